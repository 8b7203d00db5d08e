//! Disputes: one per contract at a time, opened by a party before
//! completion; their timeline (statements, evidence, staff requests,
//! proposals, decisions) and the files given as evidence, stored privately.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Disputes {
    Table,
    Id,
    ContractId,
    JobId,
    OpenedBy,
    RespondentId,
    Reason,
    Description,
    Status,
    JobStatusBefore,
    ResponseDueAt,
    RespondedAt,
    AssigneeId,
    ProposalId,
    ProposalBy,
    ProposalAmount,
    ProposalExpiresAt,
    Decision,
    CraftsmanAmount,
    ClientAmount,
    ResolutionNote,
    ResolvedBy,
    ResolvedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum DisputeEvents {
    Table,
    Id,
    DisputeId,
    ActorId,
    Kind,
    Body,
    Data,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum DisputeFiles {
    Table,
    Id,
    DisputeId,
    EventId,
    UploaderId,
    FileKey,
    ContentType,
    Size,
    Name,
    CreatedAt,
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
                    .table(Disputes::Table)
                    .col(uuid(Disputes::Id).primary_key())
                    .col(uuid(Disputes::ContractId))
                    .col(uuid(Disputes::JobId))
                    .col(uuid(Disputes::OpenedBy))
                    .col(uuid(Disputes::RespondentId))
                    .col(string_len(Disputes::Reason, 32))
                    .col(text(Disputes::Description))
                    .col(string_len(Disputes::Status, 32))
                    .col(string_len(Disputes::JobStatusBefore, 32))
                    .col(timestamp_with_time_zone(Disputes::ResponseDueAt))
                    .col(timestamp_with_time_zone_null(Disputes::RespondedAt))
                    .col(uuid_null(Disputes::AssigneeId))
                    .col(uuid_null(Disputes::ProposalId))
                    .col(uuid_null(Disputes::ProposalBy))
                    .col(big_integer_null(Disputes::ProposalAmount))
                    .col(timestamp_with_time_zone_null(Disputes::ProposalExpiresAt))
                    .col(string_len_null(Disputes::Decision, 16))
                    .col(big_integer_null(Disputes::CraftsmanAmount))
                    .col(big_integer_null(Disputes::ClientAmount))
                    .col(text_null(Disputes::ResolutionNote))
                    .col(uuid_null(Disputes::ResolvedBy))
                    .col(timestamp_with_time_zone_null(Disputes::ResolvedAt))
                    .col(timestamp_with_time_zone(Disputes::CreatedAt))
                    .col(timestamp_with_time_zone(Disputes::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Disputes::Table, Disputes::ContractId)
                            .to(Contracts::Table, Contracts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(super::create_index(
                Disputes::Table,
                "ix_disputes_contract",
                &[Disputes::ContractId],
            ))
            .await?;
        // The staff queue: by status, oldest first.
        manager
            .create_index(super::create_index(
                Disputes::Table,
                "ix_disputes_status",
                &[Disputes::Status, Disputes::CreatedAt],
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DisputeEvents::Table)
                    .col(uuid(DisputeEvents::Id).primary_key())
                    .col(uuid(DisputeEvents::DisputeId))
                    .col(uuid_null(DisputeEvents::ActorId))
                    .col(string_len(DisputeEvents::Kind, 32))
                    .col(text_null(DisputeEvents::Body))
                    .col(text(DisputeEvents::Data))
                    .col(timestamp_with_time_zone(DisputeEvents::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(DisputeEvents::Table, DisputeEvents::DisputeId)
                            .to(Disputes::Table, Disputes::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(super::create_index(
                DisputeEvents::Table,
                "ix_dispute_events_dispute",
                &[DisputeEvents::DisputeId, DisputeEvents::CreatedAt],
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DisputeFiles::Table)
                    .col(uuid(DisputeFiles::Id).primary_key())
                    .col(uuid(DisputeFiles::DisputeId))
                    .col(uuid(DisputeFiles::EventId))
                    .col(uuid(DisputeFiles::UploaderId))
                    .col(string(DisputeFiles::FileKey))
                    .col(string(DisputeFiles::ContentType))
                    .col(big_integer(DisputeFiles::Size))
                    .col(string(DisputeFiles::Name))
                    .col(timestamp_with_time_zone(DisputeFiles::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(DisputeFiles::Table, DisputeFiles::DisputeId)
                            .to(Disputes::Table, Disputes::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(super::create_index(
                DisputeFiles::Table,
                "ix_dispute_files_dispute",
                &[DisputeFiles::DisputeId],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            DisputeFiles::Table.into_iden(),
            DisputeEvents::Table.into_iden(),
            Disputes::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
