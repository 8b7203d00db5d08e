//! Souk's use-cases and rules: accounts, sessions, administration, the
//! marketplace, money, the outbox — and the store seam, where each
//! operation that needs engine-specific SQL has its PostgreSQL and SQLite
//! bodies side by side.
//! Knows nothing about HTTP; the API crate calls into [`Core`].

pub mod accounts;
pub mod admin;
pub mod ai;
pub mod bookings;
pub mod catalog;
pub mod chat;
mod core;
pub mod delivery;
pub mod disputes;
pub mod error;
pub mod i18n;
pub mod integrators;
pub mod lifecycle;
pub mod marketplace;
pub mod moderation;
pub mod money;
pub mod notifications;
pub mod num;
pub mod outbox;
pub mod pagination;
pub mod read_cache;
pub mod realtime;
pub mod records;
pub mod reviews;
pub mod sealed;
pub mod search;
pub mod settings;
pub mod store;
pub mod tasks;
pub mod time;
pub mod verification;

pub use crate::core::Core;
pub use error::{Error, ErrorCode, FieldErrors, FieldIssue, Result};
pub use i18n::Lang;
pub use settings::Settings;
