//! The moderation queue: reports of jobs (new), and who resolved reports
//! of messages and reviews and when, so the queue shows what is open.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum JobReports {
    Table,
    JobId,
    ReporterId,
    Reason,
    CreatedAt,
    ResolvedAt,
    ResolvedBy,
}

#[derive(DeriveIden)]
enum MessageReports {
    Table,
    ResolvedAt,
    ResolvedBy,
}

#[derive(DeriveIden)]
enum ReviewReports {
    Table,
    ResolvedBy,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(JobReports::Table)
                    .col(uuid(JobReports::JobId))
                    .col(uuid(JobReports::ReporterId))
                    .col(text(JobReports::Reason))
                    .col(timestamp_with_time_zone(JobReports::CreatedAt))
                    .col(timestamp_with_time_zone_null(JobReports::ResolvedAt))
                    .col(uuid_null(JobReports::ResolvedBy))
                    .primary_key(
                        Index::create()
                            .col(JobReports::JobId)
                            .col(JobReports::ReporterId),
                    )
                    .to_owned(),
            )
            .await?;
        for (table, col) in [
            (
                MessageReports::Table.into_iden(),
                timestamp_with_time_zone_null(MessageReports::ResolvedAt),
            ),
            (
                MessageReports::Table.into_iden(),
                uuid_null(MessageReports::ResolvedBy),
            ),
            (
                ReviewReports::Table.into_iden(),
                uuid_null(ReviewReports::ResolvedBy),
            ),
        ] {
            let mut column = col;
            manager
                .alter_table(
                    Table::alter()
                        .table(table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(JobReports::Table).to_owned())
            .await?;
        for (table, col) in [
            (
                MessageReports::Table.into_iden(),
                MessageReports::ResolvedAt.into_iden(),
            ),
            (
                MessageReports::Table.into_iden(),
                MessageReports::ResolvedBy.into_iden(),
            ),
            (
                ReviewReports::Table.into_iden(),
                ReviewReports::ResolvedBy.into_iden(),
            ),
        ] {
            manager
                .alter_table(Table::alter().table(table).drop_column(col).to_owned())
                .await?;
        }
        Ok(())
    }
}
