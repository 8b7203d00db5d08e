//! Signed webhooks: admins' endpoints (url, event types, a signing secret
//! shown once), the per-endpoint pump that fans the feed out into
//! deliveries and POSTs them in order per resource with retries, the
//! delivery log and replays.

pub mod endpoints;
pub mod log;
pub mod pump;
pub mod sign;
