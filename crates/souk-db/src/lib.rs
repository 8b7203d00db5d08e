//! Database layer: the connection handle, SeaORM entities and migrations.
//!
//! One code path for SQLite (embedded default) and PostgreSQL (production); the
//! backend is chosen by the `DATABASE_URL` scheme.

pub mod changes;
mod checked;
pub mod confusable;
pub mod entities;
pub mod enums;
pub mod gated;
mod handle;
pub mod migration;
mod set_filter;
pub mod sql_text;

pub use checked::CheckedWrite;
pub use handle::{Db, DbBackendKind, WriteTx};
pub use sea_orm;
