//! AI: the log of every AI call (prompts blanked after the retention
//! window), the concierge's short conversations (24 h), the booking
//! proposals it makes (single-use confirmation tokens, stored hashed), and
//! embedding vectors per offering and job when an embeddings model is set.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum AiLogs {
    Table,
    Id,
    UserId,
    Feature,
    Engine,
    Intent,
    Prompt,
    Matched,
    LatencyMs,
    PromptTokens,
    CompletionTokens,
    Error,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum AiConversations {
    Table,
    Id,
    UserId,
    Messages,
    State,
    CreatedAt,
    UpdatedAt,
    ExpiresAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum AiProposals {
    Table,
    Id,
    TokenHash,
    UserId,
    ConversationId,
    OfferingId,
    StartAt,
    Price,
    ExpiresAt,
    UsedAt,
    BookingId,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum AiEmbeddings {
    Table,
    ResourceType,
    ResourceId,
    Model,
    TextHash,
    Vector,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let tables = [
            Table::create()
                .table(AiLogs::Table)
                .if_not_exists()
                .col(uuid(AiLogs::Id).primary_key())
                .col(uuid_null(AiLogs::UserId))
                .col(string_len(AiLogs::Feature, 24))
                .col(string_len(AiLogs::Engine, 10))
                .col(string_len_null(AiLogs::Intent, 24))
                .col(text_null(AiLogs::Prompt))
                .col(text(AiLogs::Matched))
                .col(big_integer(AiLogs::LatencyMs))
                .col(integer(AiLogs::PromptTokens))
                .col(integer(AiLogs::CompletionTokens))
                .col(text_null(AiLogs::Error))
                .col(timestamp_with_time_zone(AiLogs::CreatedAt))
                .to_owned(),
            Table::create()
                .table(AiConversations::Table)
                .if_not_exists()
                .col(uuid(AiConversations::Id).primary_key())
                .col(uuid(AiConversations::UserId))
                .col(text(AiConversations::Messages))
                .col(text(AiConversations::State))
                .col(timestamp_with_time_zone(AiConversations::CreatedAt))
                .col(timestamp_with_time_zone(AiConversations::UpdatedAt))
                .col(timestamp_with_time_zone(AiConversations::ExpiresAt))
                .to_owned(),
            Table::create()
                .table(AiProposals::Table)
                .if_not_exists()
                .col(uuid(AiProposals::Id).primary_key())
                .col(string_len(AiProposals::TokenHash, 64).unique_key())
                .col(uuid(AiProposals::UserId))
                .col(uuid(AiProposals::ConversationId))
                .col(uuid(AiProposals::OfferingId))
                .col(timestamp_with_time_zone(AiProposals::StartAt))
                .col(big_integer(AiProposals::Price))
                .col(timestamp_with_time_zone(AiProposals::ExpiresAt))
                .col(timestamp_with_time_zone_null(AiProposals::UsedAt))
                .col(uuid_null(AiProposals::BookingId))
                .col(timestamp_with_time_zone(AiProposals::CreatedAt))
                .to_owned(),
            Table::create()
                .table(AiEmbeddings::Table)
                .if_not_exists()
                .col(string_len(AiEmbeddings::ResourceType, 16))
                .col(uuid(AiEmbeddings::ResourceId))
                .col(string_len(AiEmbeddings::Model, 100))
                .col(string_len(AiEmbeddings::TextHash, 64))
                .col(text(AiEmbeddings::Vector))
                .col(timestamp_with_time_zone(AiEmbeddings::UpdatedAt))
                .primary_key(
                    Index::create()
                        .col(AiEmbeddings::ResourceType)
                        .col(AiEmbeddings::ResourceId),
                )
                .to_owned(),
        ];
        for table in tables {
            manager.create_table(table).await?;
        }
        let db = manager.get_connection();
        for sql in [
            "CREATE INDEX IF NOT EXISTS ix_ai_logs_created ON ai_logs (created_at)",
            "CREATE INDEX IF NOT EXISTS ix_ai_logs_user ON ai_logs (user_id, created_at)",
            "CREATE INDEX IF NOT EXISTS ix_ai_logs_feature ON ai_logs (feature, created_at)",
            "CREATE INDEX IF NOT EXISTS ix_ai_conversations_user ON ai_conversations (user_id, updated_at)",
            "CREATE INDEX IF NOT EXISTS ix_ai_conversations_expires ON ai_conversations (expires_at)",
            "CREATE INDEX IF NOT EXISTS ix_ai_proposals_expires ON ai_proposals (expires_at)",
            // Recommendation candidates: craftsmen of a skill inside a bounding box.
            "CREATE INDEX IF NOT EXISTS ix_users_craftsman_place ON users (latitude, longitude) WHERE role = 'craftsman'",
            "CREATE INDEX IF NOT EXISTS ix_contracts_craftsman ON contracts (craftsman_id, status)",
        ] {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for sql in [
            "DROP INDEX IF EXISTS ix_users_craftsman_place",
            "DROP INDEX IF EXISTS ix_contracts_craftsman",
        ] {
            db.execute_unprepared(sql).await?;
        }
        for table in [
            "ai_embeddings",
            "ai_proposals",
            "ai_conversations",
            "ai_logs",
        ] {
            manager
                .drop_table(
                    Table::drop()
                        .table(Alias::new(table))
                        .if_exists()
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
