//! Staff operations on accounts, and the activity log they write.

pub mod activity;
pub mod users;
