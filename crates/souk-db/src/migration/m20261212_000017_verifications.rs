//! Craftsman verification (KYC): each submission with its decision, and its
//! documents, sealed at rest (AES-256-GCM) with the id of the key that
//! sealed them, deleted some days after the decision (the decision stays).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Verifications {
    Table,
    Id,
    UserId,
    Status,
    Reason,
    DecidedBy,
    DecidedAt,
    DocumentsPurgedAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum VerificationDocuments {
    Table,
    Id,
    VerificationId,
    UserId,
    DocType,
    ContentType,
    Size,
    FileKey,
    KeyId,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Verifications::Table)
                    .col(uuid(Verifications::Id).primary_key())
                    .col(uuid(Verifications::UserId))
                    .col(string_len(Verifications::Status, 16))
                    .col(text_null(Verifications::Reason))
                    .col(uuid_null(Verifications::DecidedBy))
                    .col(timestamp_with_time_zone_null(Verifications::DecidedAt))
                    .col(timestamp_with_time_zone_null(
                        Verifications::DocumentsPurgedAt,
                    ))
                    .col(timestamp_with_time_zone(Verifications::CreatedAt))
                    .col(timestamp_with_time_zone(Verifications::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(super::create_index(
                Verifications::Table,
                "ix_verifications_user",
                &[Verifications::UserId, Verifications::CreatedAt],
            ))
            .await?;
        manager
            .create_index(super::create_index(
                Verifications::Table,
                "ix_verifications_status",
                &[Verifications::Status, Verifications::CreatedAt],
            ))
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(VerificationDocuments::Table)
                    .col(uuid(VerificationDocuments::Id).primary_key())
                    .col(uuid(VerificationDocuments::VerificationId))
                    .col(uuid(VerificationDocuments::UserId))
                    .col(string_len(VerificationDocuments::DocType, 32))
                    .col(string(VerificationDocuments::ContentType))
                    .col(big_integer(VerificationDocuments::Size))
                    .col(string(VerificationDocuments::FileKey))
                    .col(string_len(VerificationDocuments::KeyId, 32))
                    .col(timestamp_with_time_zone(VerificationDocuments::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(
                                VerificationDocuments::Table,
                                VerificationDocuments::VerificationId,
                            )
                            .to(Verifications::Table, Verifications::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(super::create_index(
                VerificationDocuments::Table,
                "ix_verification_documents_verification",
                &[VerificationDocuments::VerificationId],
            ))
            .await?;
        manager
            .create_index(super::create_index(
                VerificationDocuments::Table,
                "ix_verification_documents_key",
                &[VerificationDocuments::KeyId],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(VerificationDocuments::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Verifications::Table).to_owned())
            .await
    }
}
