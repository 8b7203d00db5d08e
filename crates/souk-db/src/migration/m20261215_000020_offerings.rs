//! Offerings: a craftsman's priced service (bilingual title and
//! description, a catalog category, fixed or hourly price, duration,
//! booking rules). Archived rather than deleted once booked.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Offerings {
    Table,
    Id,
    ProviderId,
    TitleEn,
    TitleAr,
    DescriptionEn,
    DescriptionAr,
    CategoryId,
    Price,
    PriceUnit,
    DurationMinutes,
    Tags,
    SearchTerms,
    IsVisible,
    InstantBooking,
    Remote,
    ServiceRadiusKm,
    BufferMinutes,
    MinNoticeMinutes,
    Status,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Offerings::Table)
                    .col(uuid(Offerings::Id).primary_key())
                    .col(uuid(Offerings::ProviderId))
                    .col(text_null(Offerings::TitleEn))
                    .col(text_null(Offerings::TitleAr))
                    .col(text_null(Offerings::DescriptionEn))
                    .col(text_null(Offerings::DescriptionAr))
                    .col(uuid(Offerings::CategoryId))
                    .col(big_integer(Offerings::Price))
                    .col(string_len(Offerings::PriceUnit, 16))
                    .col(integer(Offerings::DurationMinutes))
                    .col(text(Offerings::Tags))
                    .col(text(Offerings::SearchTerms))
                    .col(boolean(Offerings::IsVisible))
                    .col(boolean(Offerings::InstantBooking))
                    .col(boolean(Offerings::Remote))
                    .col(double_null(Offerings::ServiceRadiusKm))
                    .col(integer(Offerings::BufferMinutes))
                    .col(integer(Offerings::MinNoticeMinutes))
                    .col(string_len(Offerings::Status, 16))
                    .col(timestamp_with_time_zone(Offerings::CreatedAt))
                    .col(timestamp_with_time_zone(Offerings::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(super::create_index(
                Offerings::Table,
                "ix_offerings_provider",
                &[Offerings::ProviderId, Offerings::CreatedAt],
            ))
            .await?;
        manager
            .create_index(super::create_index(
                Offerings::Table,
                "ix_offerings_category",
                &[Offerings::CategoryId, Offerings::Status, Offerings::Price],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Offerings::Table).to_owned())
            .await
    }
}
