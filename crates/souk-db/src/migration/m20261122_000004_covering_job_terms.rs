//! The search index carries what a ranked "near me" search needs — whether the
//! job is listed, its position, budget and date — so one index range answers
//! a word group without touching the jobs table (PostgreSQL: `INCLUDE`
//! columns on the key; SQLite: a clustered `WITHOUT ROWID` table).

use sea_orm_migration::{
    prelude::*,
    schema::*,
    sea_orm::{DatabaseBackend, TransactionTrait},
};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Jobs {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum JobTerms {
    Table,
    Term,
    CategoryId,
    GeoCell,
    JobId,
    Listed,
    Latitude,
    Longitude,
    BudgetMin,
    BudgetMax,
    CreatedAt,
}

const KEY: &str = "term, category_id, geo_cell, job_id";
const EXTRA: &str = "listed, latitude, longitude, budget_min, budget_max, created_at";

/// The term table of the given shape: `covering` adds the job's listing data.
fn term_table(name: &str, covering: bool, backend: DatabaseBackend) -> TableCreateStatement {
    let mut table = Table::create();
    table
        .table(Alias::new(name))
        .col(string(JobTerms::Term))
        .col(uuid(JobTerms::CategoryId))
        .col(big_integer(JobTerms::GeoCell))
        .col(uuid(JobTerms::JobId));
    if covering {
        table
            .col(boolean(JobTerms::Listed))
            .col(double_null(JobTerms::Latitude))
            .col(double_null(JobTerms::Longitude))
            .col(big_integer_null(JobTerms::BudgetMin))
            .col(big_integer_null(JobTerms::BudgetMax))
            .col(timestamp_with_time_zone(JobTerms::CreatedAt));
    }
    if backend == DatabaseBackend::Sqlite || !covering {
        table.primary_key(
            Index::create()
                .col(JobTerms::Term)
                .col(JobTerms::CategoryId)
                .col(JobTerms::GeoCell)
                .col(JobTerms::JobId),
        );
    }
    table
        .foreign_key(
            ForeignKey::create()
                .name("job_terms_job_id_fkey")
                .from(Alias::new(name), JobTerms::JobId)
                .to(Jobs::Table, Jobs::Id)
                .on_delete(ForeignKeyAction::Cascade),
        )
        .to_owned()
}

/// Replaces `job_terms` with a table of the other shape, keeping every row.
/// One transaction, hence one connection: on SQLite another pooled
/// connection could still hold the old schema and refuse the new names.
async fn rebuild(manager: &SchemaManager<'_>, covering: bool) -> Result<(), DbErr> {
    let backend = manager.get_database_backend();
    let txn = manager.get_connection().begin().await?;
    txn.execute_unprepared("ALTER TABLE job_terms RENAME TO job_terms_old")
        .await?;
    txn.execute_unprepared("DROP INDEX idx_job_terms_job")
        .await?;
    if backend == DatabaseBackend::Postgres {
        // Constraint names are per schema: free the key's name for the new table.
        txn.execute_unprepared("ALTER TABLE job_terms_old DROP CONSTRAINT job_terms_pkey")
            .await?;
    }
    let mut create = backend
        .build(&term_table("job_terms", covering, backend))
        .sql;
    if backend == DatabaseBackend::Sqlite && covering {
        create.push_str(" WITHOUT ROWID");
    }
    txn.execute_unprepared(&create).await?;
    let copy = if covering {
        format!(
            "INSERT INTO job_terms ({KEY}, {EXTRA}) \
             SELECT t.term, t.category_id, t.geo_cell, t.job_id, \
                    j.status IN ('posted', 'quoted'), j.latitude, j.longitude, \
                    j.budget_min, j.budget_max, j.created_at \
             FROM job_terms_old t JOIN jobs j ON j.id = t.job_id"
        )
    } else {
        format!("INSERT INTO job_terms ({KEY}) SELECT {KEY} FROM job_terms_old")
    };
    txn.execute_unprepared(&copy).await?;
    txn.execute_unprepared("DROP TABLE job_terms_old").await?;
    if backend == DatabaseBackend::Postgres && covering {
        txn.execute_unprepared(&format!(
            "ALTER TABLE job_terms ADD CONSTRAINT job_terms_pkey PRIMARY KEY ({KEY}) INCLUDE ({EXTRA})"
        ))
        .await?;
    }
    txn.execute(
        &Index::create()
            .name("idx_job_terms_job")
            .table(JobTerms::Table)
            .col(JobTerms::JobId)
            .to_owned(),
    )
    .await?;
    txn.commit().await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        rebuild(manager, true).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        rebuild(manager, false).await
    }
}
