//! The migration set; one file per migration, applied in order.

use sea_orm_migration::prelude::*;

mod m20261122_000001_accounts;
mod m20261122_000002_outbox_activity;
mod m20261122_000003_marketplace;
mod m20261122_000004_covering_job_terms;
mod m20261122_000005_jobs_listed;
mod m20261122_000006_money;
mod m20261122_000007_category_listed_index;
mod m20261122_000008_hot_job_status;
mod m20261122_000009_postings_without_fk_triggers;
mod m20261123_000010_statement_refusal;
mod m20261123_000011_notifications_without_user_fk;
mod m20261207_000012_email_skeleton;
mod m20261208_000013_chat;
mod m20261209_000014_chat_presence;
mod m20261210_000015_reviews;
mod m20261211_000016_disputes;
mod m20261212_000017_verifications;
mod m20261213_000018_reports;
mod m20261214_000019_schedules;
mod m20261215_000020_offerings;
mod m20261216_000021_bookings;
mod m20261217_000022_tasks;
mod m20261218_000023_delivery;
mod m20261219_000024_ai;

/// `CREATE INDEX name ON table (cols…)`, for migrations that reshape indexes.
fn create_index<C: IntoIden + Copy>(table: C, name: &str, cols: &[C]) -> IndexCreateStatement {
    let mut index = Index::create();
    index.name(name).table(table);
    for col in cols {
        index.col(*col);
    }
    index.to_owned()
}

/// `DROP INDEX name` (of `table`).
fn drop_index(table: impl IntoIden, name: &str) -> IndexDropStatement {
    Index::drop().name(name).table(table).to_owned()
}

/// Runs `sql` on PostgreSQL only; SQLite's schema stays as it is.
async fn on_postgres(manager: &SchemaManager<'_>, sql: &str) -> Result<(), DbErr> {
    use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};
    let conn = manager.get_connection();
    if conn.get_database_backend() == DatabaseBackend::Postgres {
        conn.execute_unprepared(sql).await?;
    }
    Ok(())
}

/// Every migration Souk knows, oldest first.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_accounts::Migration),
            Box::new(m20261122_000002_outbox_activity::Migration),
            Box::new(m20261122_000003_marketplace::Migration),
            Box::new(m20261122_000004_covering_job_terms::Migration),
            Box::new(m20261122_000005_jobs_listed::Migration),
            Box::new(m20261122_000006_money::Migration),
            Box::new(m20261122_000007_category_listed_index::Migration),
            Box::new(m20261122_000008_hot_job_status::Migration),
            Box::new(m20261122_000009_postings_without_fk_triggers::Migration),
            Box::new(m20261123_000010_statement_refusal::Migration),
            Box::new(m20261123_000011_notifications_without_user_fk::Migration),
            Box::new(m20261207_000012_email_skeleton::Migration),
            Box::new(m20261208_000013_chat::Migration),
            Box::new(m20261209_000014_chat_presence::Migration),
            Box::new(m20261210_000015_reviews::Migration),
            Box::new(m20261211_000016_disputes::Migration),
            Box::new(m20261212_000017_verifications::Migration),
            Box::new(m20261213_000018_reports::Migration),
            Box::new(m20261214_000019_schedules::Migration),
            Box::new(m20261215_000020_offerings::Migration),
            Box::new(m20261216_000021_bookings::Migration),
            Box::new(m20261217_000022_tasks::Migration),
            Box::new(m20261218_000023_delivery::Migration),
            Box::new(m20261219_000024_ai::Migration),
        ]
    }
}
