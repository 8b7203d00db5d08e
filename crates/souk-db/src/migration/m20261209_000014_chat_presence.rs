//! `chat_presence`: which sockets have which conversation open on screen
//! (`conversation:open`), so a message to someone reading it live stores
//! no notification. Ephemeral: a row lives while its socket does and is
//! refreshed by its node; a node that dies leaves rows that expire.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ChatPresence {
    Table,
    SocketId,
    ConversationId,
    UserId,
    NodeId,
    ExpiresAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ChatPresence::Table)
                    .col(string_len(ChatPresence::SocketId, 64))
                    .col(uuid(ChatPresence::ConversationId))
                    .col(uuid(ChatPresence::UserId))
                    .col(uuid(ChatPresence::NodeId))
                    .col(timestamp_with_time_zone(ChatPresence::ExpiresAt))
                    .primary_key(
                        Index::create()
                            .col(ChatPresence::SocketId)
                            .col(ChatPresence::ConversationId),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_chat_presence_reader")
                    .table(ChatPresence::Table)
                    .col(ChatPresence::ConversationId)
                    .col(ChatPresence::UserId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_chat_presence_node")
                    .table(ChatPresence::Table)
                    .col(ChatPresence::NodeId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ChatPresence::Table).to_owned())
            .await
    }
}
