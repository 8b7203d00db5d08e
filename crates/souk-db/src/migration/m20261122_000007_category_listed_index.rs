//! Two `jobs` indexes reshaped for browsing near a point:
//! * the area index puts `latitude` right after the cell and the open flag,
//!   so within each cell only the circle's band of latitudes is read (the
//!   cells are 0.1°, the band of a 10 km circle a little more than half of
//!   three cells), not every entry of the cell;
//! * browsing a category newest first reads `(category_id, listed,
//!   created_at, id)` backwards, with the position in the entry; it replaces
//!   `(category_id, status, created_at)`, so a job's status is in one index
//!   fewer (status changes of hired jobs can stay in their heap page).

use sea_orm_migration::{prelude::*, sea_orm::TransactionTrait};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Jobs {
    Table,
    CategoryId,
    GeoCell,
    Listed,
    Status,
    CreatedAt,
    Id,
    Latitude,
    Longitude,
    BudgetMax,
}

const AREA: &str = "idx_jobs_category_cell";
const BY_STATUS: &str = "idx_jobs_category_status";
const NEWEST: &str = "idx_jobs_category_listed";

fn index(name: &str, cols: &[Jobs]) -> IndexCreateStatement {
    super::create_index(Jobs::Table, name, cols)
}

fn drop(name: &str) -> IndexDropStatement {
    super::drop_index(Jobs::Table, name)
}

// Each direction runs in one transaction, hence on one connection (see
// m20261122_000005: SQLite's other pooled connections may hold the old
// schema).
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use Jobs::*;
        let txn = manager.get_connection().begin().await?;
        txn.execute(&drop(AREA)).await?;
        txn.execute(&index(
            AREA,
            &[
                CategoryId, GeoCell, Listed, Latitude, Longitude, CreatedAt, BudgetMax, Id,
            ],
        ))
        .await?;
        txn.execute(&drop(BY_STATUS)).await?;
        txn.execute(&index(
            NEWEST,
            &[CategoryId, Listed, CreatedAt, Id, Latitude, Longitude],
        ))
        .await?;
        txn.commit().await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use Jobs::*;
        let txn = manager.get_connection().begin().await?;
        txn.execute(&drop(NEWEST)).await?;
        txn.execute(&index(BY_STATUS, &[CategoryId, Status, CreatedAt]))
            .await?;
        txn.execute(&drop(AREA)).await?;
        txn.execute(&index(
            AREA,
            &[
                CategoryId, GeoCell, Listed, CreatedAt, Latitude, Longitude, BudgetMax, Id,
            ],
        ))
        .await?;
        txn.commit().await
    }
}
