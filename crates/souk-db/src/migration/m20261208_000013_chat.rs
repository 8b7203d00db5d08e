//! Chat: conversations (one per contract, one per pair of members talking
//! directly), their participants (read position, blocking), messages
//! numbered per conversation, attachments, reports to moderation; and
//! `users.response_time_minutes`, a craftsman's median first-reply time.
//! Contracts hired before this migration get their conversation here
//! (the use-cases also open one on first access, for contracts a node on
//! older code writes during a rolling upgrade).

use sea_orm_migration::{
    prelude::*,
    schema::*,
    sea_orm::{ConnectionTrait, Statement},
};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    ResponseTimeMinutes,
}

#[derive(DeriveIden)]
enum Jobs {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Conversations {
    Table,
    Id,
    Kind,
    JobId,
    DirectKey,
    LastSeq,
    ClientFirstMessageAt,
    CraftsmanFirstReplyAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ConversationParticipants {
    Table,
    ConversationId,
    UserId,
    Status,
    LastReadSeq,
    BlockedAt,
    JoinedAt,
}

#[derive(DeriveIden)]
enum Messages {
    Table,
    Id,
    ConversationId,
    Seq,
    SenderId,
    Text,
    ClientMessageId,
    CreatedAt,
    EditedAt,
    DeletedAt,
}

#[derive(DeriveIden)]
enum MessageAttachments {
    Table,
    Id,
    ConversationId,
    MessageId,
    UploaderId,
    FileKey,
    ContentType,
    Size,
    Name,
    CreatedAt,
}

#[derive(DeriveIden)]
enum MessageReports {
    Table,
    Id,
    MessageId,
    ConversationId,
    ReporterId,
    Reason,
    CreatedAt,
}

fn fk(
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
    cascade: bool,
) -> ForeignKeyCreateStatement {
    let mut key = ForeignKey::create();
    key.from(from.0, from.1).to(to.0, to.1);
    if cascade {
        key.on_delete(ForeignKeyAction::Cascade);
    }
    key.to_owned()
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
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(integer_null(Users::ResponseTimeMinutes))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Conversations::Table)
                    .col(pk_uuid(Conversations::Id))
                    .col(string(Conversations::Kind))
                    .col(uuid_null(Conversations::JobId))
                    .col(string_null(Conversations::DirectKey))
                    .col(big_integer(Conversations::LastSeq).default(0))
                    .col(timestamp_with_time_zone_null(
                        Conversations::ClientFirstMessageAt,
                    ))
                    .col(timestamp_with_time_zone_null(
                        Conversations::CraftsmanFirstReplyAt,
                    ))
                    .col(timestamp_with_time_zone(Conversations::CreatedAt))
                    .col(timestamp_with_time_zone(Conversations::UpdatedAt))
                    // A staff deletion of a job takes its conversation along.
                    .foreign_key(&mut fk(
                        (Conversations::Table, Conversations::JobId),
                        (Jobs::Table, Jobs::Id),
                        true,
                    ))
                    .to_owned(),
            )
            .await?;
        // One conversation per contract (a job has at most one) and one per
        // pair; NULLs are distinct on both engines, so each index holds only
        // its kind.
        manager
            .create_index(index(
                "uq_conversations_job",
                Conversations::Table,
                vec![Conversations::JobId.into_iden()],
                true,
            ))
            .await?;
        manager
            .create_index(index(
                "uq_conversations_direct",
                Conversations::Table,
                vec![Conversations::DirectKey.into_iden()],
                true,
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ConversationParticipants::Table)
                    .col(uuid(ConversationParticipants::ConversationId))
                    .col(uuid(ConversationParticipants::UserId))
                    .col(string(ConversationParticipants::Status).default("active"))
                    .col(big_integer(ConversationParticipants::LastReadSeq).default(0))
                    .col(timestamp_with_time_zone_null(
                        ConversationParticipants::BlockedAt,
                    ))
                    .col(timestamp_with_time_zone(ConversationParticipants::JoinedAt))
                    .primary_key(
                        Index::create()
                            .col(ConversationParticipants::ConversationId)
                            .col(ConversationParticipants::UserId),
                    )
                    .foreign_key(&mut fk(
                        (
                            ConversationParticipants::Table,
                            ConversationParticipants::ConversationId,
                        ),
                        (Conversations::Table, Conversations::Id),
                        true,
                    ))
                    .foreign_key(&mut fk(
                        (
                            ConversationParticipants::Table,
                            ConversationParticipants::UserId,
                        ),
                        (Users::Table, Users::Id),
                        false,
                    ))
                    .to_owned(),
            )
            .await?;
        // A user's conversations (the list, the unread total).
        manager
            .create_index(index(
                "idx_participants_user",
                ConversationParticipants::Table,
                vec![
                    ConversationParticipants::UserId.into_iden(),
                    ConversationParticipants::ConversationId.into_iden(),
                ],
                false,
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Messages::Table)
                    .col(pk_uuid(Messages::Id))
                    .col(uuid(Messages::ConversationId))
                    .col(big_integer(Messages::Seq))
                    .col(uuid(Messages::SenderId))
                    .col(text(Messages::Text))
                    .col(string_null(Messages::ClientMessageId))
                    .col(timestamp_with_time_zone(Messages::CreatedAt))
                    .col(timestamp_with_time_zone_null(Messages::EditedAt))
                    .col(timestamp_with_time_zone_null(Messages::DeletedAt))
                    .foreign_key(&mut fk(
                        (Messages::Table, Messages::ConversationId),
                        (Conversations::Table, Conversations::Id),
                        true,
                    ))
                    .foreign_key(&mut fk(
                        (Messages::Table, Messages::SenderId),
                        (Users::Table, Users::Id),
                        false,
                    ))
                    .to_owned(),
            )
            .await?;
        // The log's order (history pages, unread counts, the last message)
        // and its guarantee: one message per number.
        manager
            .create_index(index(
                "uq_messages_seq",
                Messages::Table,
                vec![
                    Messages::ConversationId.into_iden(),
                    Messages::Seq.into_iden(),
                ],
                true,
            ))
            .await?;
        // A resend with the same client id finds the first message.
        manager
            .create_index(index(
                "uq_messages_client_id",
                Messages::Table,
                vec![
                    Messages::ConversationId.into_iden(),
                    Messages::SenderId.into_iden(),
                    Messages::ClientMessageId.into_iden(),
                ],
                true,
            ))
            .await?;
        // Whether someone has written in another's conversations (the
        // direct-message rule for craftsmen).
        manager
            .create_index(index(
                "idx_messages_sender",
                Messages::Table,
                vec![
                    Messages::SenderId.into_iden(),
                    Messages::ConversationId.into_iden(),
                ],
                false,
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(MessageAttachments::Table)
                    .col(pk_uuid(MessageAttachments::Id))
                    .col(uuid(MessageAttachments::ConversationId))
                    .col(uuid_null(MessageAttachments::MessageId))
                    .col(uuid(MessageAttachments::UploaderId))
                    .col(string(MessageAttachments::FileKey))
                    .col(string(MessageAttachments::ContentType))
                    .col(big_integer(MessageAttachments::Size))
                    .col(string(MessageAttachments::Name))
                    .col(timestamp_with_time_zone(MessageAttachments::CreatedAt))
                    .foreign_key(&mut fk(
                        (
                            MessageAttachments::Table,
                            MessageAttachments::ConversationId,
                        ),
                        (Conversations::Table, Conversations::Id),
                        true,
                    ))
                    .foreign_key(&mut fk(
                        (MessageAttachments::Table, MessageAttachments::MessageId),
                        (Messages::Table, Messages::Id),
                        true,
                    ))
                    .foreign_key(&mut fk(
                        (MessageAttachments::Table, MessageAttachments::UploaderId),
                        (Users::Table, Users::Id),
                        false,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_attachments_message",
                MessageAttachments::Table,
                vec![MessageAttachments::MessageId.into_iden()],
                false,
            ))
            .await?;
        manager
            .create_index(index(
                "idx_attachments_conversation",
                MessageAttachments::Table,
                vec![MessageAttachments::ConversationId.into_iden()],
                false,
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(MessageReports::Table)
                    .col(pk_uuid(MessageReports::Id))
                    .col(uuid(MessageReports::MessageId))
                    .col(uuid(MessageReports::ConversationId))
                    .col(uuid(MessageReports::ReporterId))
                    .col(text(MessageReports::Reason))
                    .col(timestamp_with_time_zone(MessageReports::CreatedAt))
                    .foreign_key(&mut fk(
                        (MessageReports::Table, MessageReports::MessageId),
                        (Messages::Table, Messages::Id),
                        true,
                    ))
                    .foreign_key(&mut fk(
                        (MessageReports::Table, MessageReports::ConversationId),
                        (Conversations::Table, Conversations::Id),
                        true,
                    ))
                    .foreign_key(&mut fk(
                        (MessageReports::Table, MessageReports::ReporterId),
                        (Users::Table, Users::Id),
                        false,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "uq_message_reports_reporter",
                MessageReports::Table,
                vec![
                    MessageReports::MessageId.into_iden(),
                    MessageReports::ReporterId.into_iden(),
                ],
                true,
            ))
            .await?;
        manager
            .create_index(index(
                "idx_message_reports_conversation",
                MessageReports::Table,
                vec![MessageReports::ConversationId.into_iden()],
                false,
            ))
            .await?;

        open_existing_contracts(manager).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            MessageReports::Table.into_iden(),
            MessageAttachments::Table.into_iden(),
            Messages::Table.into_iden(),
            ConversationParticipants::Table.into_iden(),
            Conversations::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .drop_column(Users::ResponseTimeMinutes)
                    .to_owned(),
            )
            .await
    }
}

/// A conversation with both parties for every contract that has none.
async fn open_existing_contracts(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let conn = manager.get_connection();
    let backend = conn.get_database_backend();
    let rows = conn
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT job_id, client_id, craftsman_id, created_at FROM contracts",
        ))
        .await?;
    let sql = |text: &str| match backend {
        sea_orm::DatabaseBackend::Postgres => text.to_owned(),
        _ => crate::sql_text::positional(text),
    };
    for row in rows {
        let job: uuid::Uuid = row.try_get("", "job_id")?;
        let client: uuid::Uuid = row.try_get("", "client_id")?;
        let craftsman: uuid::Uuid = row.try_get("", "craftsman_id")?;
        let at: chrono::DateTime<chrono::Utc> = row.try_get("", "created_at")?;
        let id = uuid::Uuid::now_v7();
        conn.execute_raw(Statement::from_sql_and_values(
            backend,
            sql(
                "INSERT INTO conversations (id, kind, job_id, direct_key, last_seq, \
                 client_first_message_at, craftsman_first_reply_at, created_at, updated_at) \
                 VALUES ($1, 'contract', $2, NULL, 0, NULL, NULL, $3, $4)",
            ),
            [id.into(), job.into(), at.into(), at.into()],
        ))
        .await?;
        for user in [client, craftsman] {
            conn.execute_raw(Statement::from_sql_and_values(
                backend,
                sql(
                    "INSERT INTO conversation_participants (conversation_id, user_id, status, \
                     last_read_seq, blocked_at, joined_at) VALUES ($1, $2, 'active', 0, NULL, $3)",
                ),
                [id.into(), user.into(), at.into()],
            ))
            .await?;
        }
    }
    Ok(())
}
