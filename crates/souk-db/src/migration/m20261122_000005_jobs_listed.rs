//! `jobs.listed` (posted or quoted: what craftsmen browse) replaces `status`
//! in the area index, so its entries are all fixed-width — cheap for
//! PostgreSQL to read in the thousands — and browsing filters on a flag that
//! only changes when a job opens or closes.

use sea_orm_migration::{prelude::*, schema::*, sea_orm::TransactionTrait};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Jobs {
    Table,
    Listed,
    CategoryId,
    GeoCell,
    Status,
    CreatedAt,
    Latitude,
    Longitude,
    BudgetMax,
    Id,
}

const AREA_INDEX: &str = "idx_jobs_category_cell";

fn area_index(flag: Jobs) -> IndexCreateStatement {
    Index::create()
        .name(AREA_INDEX)
        .table(Jobs::Table)
        .col(Jobs::CategoryId)
        .col(Jobs::GeoCell)
        .col(flag)
        .col(Jobs::CreatedAt)
        .col(Jobs::Latitude)
        .col(Jobs::Longitude)
        .col(Jobs::BudgetMax)
        .col(Jobs::Id)
        .to_owned()
}

// Each direction runs in one transaction, hence on one connection: on SQLite
// another pooled connection could still hold the old schema and refuse the
// index name that was just freed.
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let txn = manager.get_connection().begin().await?;
        txn.execute(
            &Table::alter()
                .table(Jobs::Table)
                .add_column(boolean(Jobs::Listed).default(false))
                .to_owned(),
        )
        .await?;
        txn.execute_unprepared("UPDATE jobs SET listed = (status IN ('posted', 'quoted'))")
            .await?;
        txn.execute(&Index::drop().name(AREA_INDEX).table(Jobs::Table).to_owned())
            .await?;
        txn.execute(&area_index(Jobs::Listed)).await?;
        txn.commit().await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let txn = manager.get_connection().begin().await?;
        txn.execute(&Index::drop().name(AREA_INDEX).table(Jobs::Table).to_owned())
            .await?;
        txn.execute(&area_index(Jobs::Status)).await?;
        txn.execute(
            &Table::alter()
                .table(Jobs::Table)
                .drop_column(Jobs::Listed)
                .to_owned(),
        )
        .await?;
        txn.commit().await
    }
}
