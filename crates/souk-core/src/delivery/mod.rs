//! Delivery beyond the stored notification: users' push devices and
//! preferences (category × channel, quiet hours), routing each
//! notification into per-channel deliveries with idempotency keys, sending
//! them (FCM push, localized email, chat digests), the dead-letter list,
//! unsubscribe links and admin announcements.

pub mod announce;
pub mod dead;
pub mod devices;
pub mod preferences;
pub mod route;
pub mod send;
pub mod unsubscribe;
