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

/// `t.col AS p_col, …` for every column of an entity, so one joined row
/// can be read back as several models (`from_query_result(&row, "p_")`).
fn prefixed_columns<E: sea_orm::EntityTrait>(table: &str, prefix: &str) -> String {
    use sea_orm::{IdenStatic, Iterable};
    E::Column::iter()
        .map(|c| format!("{table}.{} AS {prefix}{}", c.as_str(), c.as_str()))
        .collect::<Vec<_>>()
        .join(", ")
}
