//! SeaORM entities, one file per table.

pub mod activity_log;
pub mod contracts;
pub mod invitations;
pub mod job_terms;
pub mod jobs;
pub mod notifications;
pub mod one_time_tokens;
pub mod outbox;
pub mod portfolio_images;
pub mod quotes;
pub mod refresh_tokens;
pub mod services;
pub mod sessions;
pub mod user_skills;
pub mod users;
