//! SeaORM entities, one file per table.

pub mod activity_log;
pub mod one_time_tokens;
pub mod outbox;
pub mod refresh_tokens;
pub mod sessions;
pub mod users;
