//! Reviews: one per side of a completed contract, blind until both sides
//! have written or the window closes; the reviewee's reply; reports to
//! moderation. Ratings are summed on the user row (`rating_sum`,
//! `rating_count`) when a review is revealed, so a profile stays one read.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
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

#[derive(DeriveIden)]
enum ReviewReports {
    Table,
    ReviewId,
    ReporterId,
    Reason,
    CreatedAt,
    ResolvedAt,
}

#[derive(DeriveIden)]
enum Contracts {
    Table,
    Id,
}

fn index(
    name: &str,
    table: impl IntoIden,
    cols: Vec<DynIden>,
    unique: bool,
) -> IndexCreateStatement {
    let mut statement = Index::create();
    statement.name(name).table(table);
    for col in cols {
        statement.col(col);
    }
    if unique {
        statement.unique();
    }
    statement.to_owned()
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
            .create_index(index(
                "uq_reviews_contract_reviewer",
                Reviews::Table,
                vec![
                    Reviews::ContractId.into_iden(),
                    Reviews::ReviewerId.into_iden(),
                ],
                true,
            ))
            .await?;
        // A profile's revealed reviews, newest first.
        manager
            .create_index(index(
                "ix_reviews_reviewee",
                Reviews::Table,
                vec![
                    Reviews::RevieweeId.into_iden(),
                    Reviews::Status.into_iden(),
                    Reviews::RevealedAt.into_iden(),
                ],
                false,
            ))
            .await?;
        manager
            .create_index(index(
                "ix_reviews_reviewer",
                Reviews::Table,
                vec![
                    Reviews::ReviewerId.into_iden(),
                    Reviews::CreatedAt.into_iden(),
                ],
                false,
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
            .create_index(index(
                "ix_review_reports_open",
                ReviewReports::Table,
                vec![
                    ReviewReports::ResolvedAt.into_iden(),
                    ReviewReports::CreatedAt.into_iden(),
                ],
                false,
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
