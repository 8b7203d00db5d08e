//! The transactional outbox (side effects delivered after commit) and the
//! activity log (who did what to what, when).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Outbox {
    Table,
    Id,
    Kind,
    Payload,
    AvailableAt,
    LockedUntil,
    Attempts,
    LastError,
    ProcessedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ActivityLog {
    Table,
    Id,
    ActorId,
    Action,
    TargetType,
    TargetId,
    Details,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Outbox::Table)
                    .col(big_pk_auto(Outbox::Id))
                    .col(string(Outbox::Kind))
                    .col(text(Outbox::Payload))
                    .col(timestamp_with_time_zone(Outbox::AvailableAt))
                    .col(timestamp_with_time_zone_null(Outbox::LockedUntil))
                    .col(integer(Outbox::Attempts).default(0))
                    .col(text_null(Outbox::LastError))
                    .col(timestamp_with_time_zone_null(Outbox::ProcessedAt))
                    .col(timestamp_with_time_zone(Outbox::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_outbox_pending")
                    .table(Outbox::Table)
                    .col(Outbox::ProcessedAt)
                    .col(Outbox::AvailableAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ActivityLog::Table)
                    .col(pk_uuid(ActivityLog::Id))
                    .col(uuid_null(ActivityLog::ActorId))
                    .col(string(ActivityLog::Action))
                    .col(string(ActivityLog::TargetType))
                    .col(string_null(ActivityLog::TargetId))
                    .col(text(ActivityLog::Details))
                    .col(timestamp_with_time_zone(ActivityLog::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_activity_log_created")
                    .table(ActivityLog::Table)
                    .col(ActivityLog::CreatedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ActivityLog::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Outbox::Table).to_owned())
            .await
    }
}
