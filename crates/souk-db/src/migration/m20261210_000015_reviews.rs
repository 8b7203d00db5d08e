//! Reviews: one per side of a completed contract, blind until both sides
//! have written or the window closes; the reviewee's reply; reports to
//! moderation. Ratings are summed on the user row (`rating_sum`,
//! `rating_count`) when a review is revealed, so a profile stays one read.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Reviews {
    Table,
    Id,
    ContractId,
    JobId,
    ReviewerId,
    RevieweeId,
    ReviewerRole,
    Rating,
    Comment,
    SentimentScore,
    SentimentLabel,
    Status,
    Reply,
    RepliedAt,
    RevealedAt,
    HiddenReason,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum ReviewReports {
    Table,
    ReviewId,
    ReporterId,
    Reason,
    CreatedAt,
    ResolvedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Contracts {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Reviews::Table)
                    .col(uuid(Reviews::Id).primary_key())
                    .col(uuid(Reviews::ContractId))
                    .col(uuid(Reviews::JobId))
                    .col(uuid(Reviews::ReviewerId))
                    .col(uuid(Reviews::RevieweeId))
                    .col(string_len(Reviews::ReviewerRole, 16))
                    .col(integer(Reviews::Rating))
                    .col(text_null(Reviews::Comment))
                    .col(double(Reviews::SentimentScore))
                    .col(string_len(Reviews::SentimentLabel, 16))
                    .col(string_len(Reviews::Status, 16))
                    .col(text_null(Reviews::Reply))
                    .col(timestamp_with_time_zone_null(Reviews::RepliedAt))
                    .col(timestamp_with_time_zone_null(Reviews::RevealedAt))
                    .col(text_null(Reviews::HiddenReason))
                    .col(timestamp_with_time_zone(Reviews::CreatedAt))
                    .col(timestamp_with_time_zone(Reviews::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Reviews::Table, Reviews::ContractId)
                            .to(Contracts::Table, Contracts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // One review per side of a contract.
        manager
            .create_index(
                super::create_index(
                    Reviews::Table,
                    "uq_reviews_contract_reviewer",
                    &[Reviews::ContractId, Reviews::ReviewerId],
                )
                .unique()
                .to_owned(),
            )
            .await?;
        // A profile's revealed reviews, newest first.
        manager
            .create_index(super::create_index(
                Reviews::Table,
                "ix_reviews_reviewee",
                &[Reviews::RevieweeId, Reviews::Status, Reviews::RevealedAt],
            ))
            .await?;
        manager
            .create_index(super::create_index(
                Reviews::Table,
                "ix_reviews_reviewer",
                &[Reviews::ReviewerId, Reviews::CreatedAt],
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ReviewReports::Table)
                    .col(uuid(ReviewReports::ReviewId))
                    .col(uuid(ReviewReports::ReporterId))
                    .col(text(ReviewReports::Reason))
                    .col(timestamp_with_time_zone(ReviewReports::CreatedAt))
                    .col(timestamp_with_time_zone_null(ReviewReports::ResolvedAt))
                    .primary_key(
                        Index::create()
                            .col(ReviewReports::ReviewId)
                            .col(ReviewReports::ReporterId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(ReviewReports::Table, ReviewReports::ReviewId)
                            .to(Reviews::Table, Reviews::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(super::create_index(
                ReviewReports::Table,
                "ix_review_reports_open",
                &[ReviewReports::ResolvedAt, ReviewReports::CreatedAt],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ReviewReports::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Reviews::Table).to_owned())
            .await
    }
}
