//! What outside systems see of Souk: the domain event feed (recorded in
//! the transaction that caused each event, numbered after commit so that
//! readers see it strictly in order), API keys for integrators, and signed
//! webhooks that push the feed to their endpoints.

pub mod api_keys;
pub mod events;
pub mod feed;
pub mod webhooks;
