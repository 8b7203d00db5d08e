//! A job's status leaves every index, so its status changes can be HOT
//! updates on PostgreSQL (no new entry in each of the table's indexes):
//! * `(status, created_at)` goes; staff list jobs newest first through
//!   `(created_at, id)` and filter the status as they read;
//! * automatic approval finds its work through `submitted_at`, which now
//!   holds only while the work awaits approval (the scheduler clears it once
//!   the job has moved on; here it is cleared for every job not awaiting);
//! * on PostgreSQL `jobs` leaves 15% of each new page free, room for the
//!   next version of a row in its own page.

use sea_orm_migration::{
    prelude::*,
    sea_orm::{ConnectionTrait, DatabaseBackend, TransactionTrait},
};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Jobs {
    Table,
    Status,
    CreatedAt,
    Id,
    SubmittedAt,
}

const BY_STATUS: &str = "idx_jobs_status_created";
const NEWEST: &str = "idx_jobs_created";
const AWAITING: &str = "idx_jobs_submitted";

fn index(name: &str, cols: &[Jobs]) -> IndexCreateStatement {
    super::create_index(Jobs::Table, name, cols)
}

fn drop(name: &str) -> IndexDropStatement {
    super::drop_index(Jobs::Table, name)
}

// Each direction runs in one transaction, hence on one connection (see
// m20261122_000005).
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use Jobs::*;
        let txn = manager.get_connection().begin().await?;
        txn.execute(&drop(BY_STATUS)).await?;
        txn.execute(&index(NEWEST, &[CreatedAt, Id])).await?;
        txn.execute(
            &Query::update()
                .table(Table)
                .value(SubmittedAt, Expr::cust("NULL"))
                .and_where(Expr::col(Status).ne("work_submitted"))
                .and_where(Expr::col(SubmittedAt).is_not_null())
                .to_owned(),
        )
        .await?;
        txn.execute(&index(AWAITING, &[SubmittedAt])).await?;
        if txn.get_database_backend() == DatabaseBackend::Postgres {
            txn.execute_unprepared("ALTER TABLE jobs SET (fillfactor = 85)")
                .await?;
        }
        txn.commit().await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use Jobs::*;
        let txn = manager.get_connection().begin().await?;
        if txn.get_database_backend() == DatabaseBackend::Postgres {
            txn.execute_unprepared("ALTER TABLE jobs RESET (fillfactor)")
                .await?;
        }
        txn.execute(&drop(AWAITING)).await?;
        txn.execute(&drop(NEWEST)).await?;
        txn.execute(&index(BY_STATUS, &[Status, CreatedAt])).await?;
        txn.commit().await
    }
}
