//! Provider schedules: an IANA time zone and the weekly hours, date
//! overrides and time off as local wall time (JSON), expanded per local
//! date when slots are computed — never stored as fixed UTC offsets.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ProviderSchedules {
    Table,
    UserId,
    TimeZone,
    Body,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ProviderSchedules::Table)
                    .col(uuid(ProviderSchedules::UserId).primary_key())
                    .col(string_len(ProviderSchedules::TimeZone, 64))
                    .col(text(ProviderSchedules::Body))
                    .col(timestamp_with_time_zone(ProviderSchedules::UpdatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ProviderSchedules::Table).to_owned())
            .await
    }
}
