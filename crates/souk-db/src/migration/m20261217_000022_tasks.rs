//! Micro-tasks: a buyer's task for many workers, funded up front into the
//! task's own escrow account (`task_escrow:{id}`), with counters of the
//! approved and pending submissions the slot guard reads; the workers'
//! submissions (one per worker and task); the workers' ratings of buyers.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Tasks {
    Table,
    Id,
    BuyerId,
    Title,
    Detail,
    SubmissionInfo,
    Image,
    CategoryId,
    RequiredWorkers,
    PayableAmount,
    FeeBps,
    AutoApproveDays,
    Currency,
    CompletionDate,
    Status,
    ApprovedCount,
    PendingCount,
    CreatedAt,
    UpdatedAt,
    ClosedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum TaskSubmissions {
    Table,
    Id,
    TaskId,
    WorkerId,
    BuyerId,
    Details,
    Attachments,
    Status,
    Reason,
    AppealNote,
    AppealedAt,
    DecidedAt,
    DecidedBy,
    Paid,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum TaskRatings {
    Table,
    TaskId,
    WorkerId,
    BuyerId,
    Rating,
    Comment,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Tasks::Table)
                    .col(uuid(Tasks::Id).primary_key())
                    .col(uuid(Tasks::BuyerId))
                    .col(string_len(Tasks::Title, 200))
                    .col(text(Tasks::Detail))
                    .col(text(Tasks::SubmissionInfo))
                    .col(text_null(Tasks::Image))
                    .col(uuid_null(Tasks::CategoryId))
                    .col(integer(Tasks::RequiredWorkers))
                    .col(big_integer(Tasks::PayableAmount))
                    .col(integer(Tasks::FeeBps))
                    .col(integer(Tasks::AutoApproveDays))
                    .col(string_len(Tasks::Currency, 3))
                    .col(timestamp_with_time_zone(Tasks::CompletionDate))
                    .col(string_len(Tasks::Status, 16))
                    .col(integer(Tasks::ApprovedCount))
                    .col(integer(Tasks::PendingCount))
                    .col(timestamp_with_time_zone(Tasks::CreatedAt))
                    .col(timestamp_with_time_zone(Tasks::UpdatedAt))
                    .col(timestamp_with_time_zone_null(Tasks::ClosedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(TaskSubmissions::Table)
                    .col(uuid(TaskSubmissions::Id).primary_key())
                    .col(uuid(TaskSubmissions::TaskId))
                    .col(uuid(TaskSubmissions::WorkerId))
                    .col(uuid(TaskSubmissions::BuyerId))
                    .col(text(TaskSubmissions::Details))
                    .col(text(TaskSubmissions::Attachments))
                    .col(string_len(TaskSubmissions::Status, 16))
                    .col(text_null(TaskSubmissions::Reason))
                    .col(text_null(TaskSubmissions::AppealNote))
                    .col(timestamp_with_time_zone_null(TaskSubmissions::AppealedAt))
                    .col(timestamp_with_time_zone_null(TaskSubmissions::DecidedAt))
                    .col(uuid_null(TaskSubmissions::DecidedBy))
                    .col(big_integer(TaskSubmissions::Paid))
                    .col(timestamp_with_time_zone(TaskSubmissions::CreatedAt))
                    .col(timestamp_with_time_zone(TaskSubmissions::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(TaskRatings::Table)
                    .col(uuid(TaskRatings::TaskId))
                    .col(uuid(TaskRatings::WorkerId))
                    .col(uuid(TaskRatings::BuyerId))
                    .col(integer(TaskRatings::Rating))
                    .col(text_null(TaskRatings::Comment))
                    .col(timestamp_with_time_zone(TaskRatings::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(TaskRatings::TaskId)
                            .col(TaskRatings::WorkerId),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_task_submissions_worker")
                    .if_not_exists()
                    .table(TaskSubmissions::Table)
                    .col(TaskSubmissions::TaskId)
                    .col(TaskSubmissions::WorkerId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        for (name, table, cols) in [
            (
                "ix_tasks_open",
                Tasks::Table,
                vec![Tasks::Status, Tasks::CreatedAt],
            ),
            (
                "ix_tasks_buyer",
                Tasks::Table,
                vec![Tasks::BuyerId, Tasks::CreatedAt],
            ),
        ] {
            let mut index = super::create_index(table, name, &cols);
            manager
                .create_index(index.if_not_exists().to_owned())
                .await?;
        }
        for (name, cols) in [
            (
                "ix_task_submissions_worker",
                vec![TaskSubmissions::WorkerId, TaskSubmissions::CreatedAt],
            ),
            (
                "ix_task_submissions_buyer",
                vec![TaskSubmissions::BuyerId, TaskSubmissions::Status],
            ),
        ] {
            let mut index = super::create_index(TaskSubmissions::Table, name, &cols);
            manager
                .create_index(index.if_not_exists().to_owned())
                .await?;
        }
        let mut index = super::create_index(
            TaskRatings::Table,
            "ix_task_ratings_buyer",
            &[TaskRatings::BuyerId],
        );
        manager.create_index(index.if_not_exists().to_owned()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["task_ratings", "task_submissions", "tasks"] {
            manager
                .drop_table(Table::drop().table(Alias::new(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}
