//! SeaORM entities, one file per table.

pub mod activity_log;
pub mod contracts;
pub mod credit_packages;
pub mod idempotency_keys;
pub mod invitations;
pub mod job_terms;
pub mod jobs;
pub mod ledger_accounts;
pub mod ledger_entries;
pub mod ledger_postings;
pub mod notifications;
pub mod one_time_tokens;
pub mod outbox;
pub mod payments;
pub mod platform_settings;
pub mod portfolio_images;
pub mod quotes;
pub mod refresh_tokens;
pub mod services;
pub mod sessions;
pub mod user_skills;
pub mod users;
pub mod webhook_events;
pub mod withdrawals;
