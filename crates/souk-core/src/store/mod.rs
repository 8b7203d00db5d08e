//! The store seam: every operation whose SQL differs between PostgreSQL and
//! SQLite is one function here, with both engines' bodies side by side in
//! the module of its aggregate. Use-cases call these functions and never ask
//! which engine they run on. A store module imports types and leaf modules
//! only — never the use-case that calls it — so the arrows go use-case →
//! store → types. (After atuin's `atuin-server-database`: one seam, one
//! module per concern.)

pub mod browse;
pub mod contracts;
pub mod ledger;
pub mod outbox;
pub mod tasks;
pub mod users;
