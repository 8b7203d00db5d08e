//! Unread counts, derived from each participant's read position: the
//! messages of others after it that are not deleted. Each count is one
//! statement (the log's `(conversation_id, seq)` index bounds it).

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use crate::{Core, error::Result};

/// `user`'s unread messages in one conversation.
pub async fn in_conversation(
    conn: &impl ConnectionTrait,
    conversation: Uuid,
    user: Uuid,
) -> Result<i64> {
    count(
        conn,
        "SELECT COUNT(*) AS n FROM messages m \
         JOIN conversation_participants p ON p.conversation_id = m.conversation_id \
         WHERE m.conversation_id = $1 AND p.user_id = $2 AND m.seq > p.last_read_seq \
         AND m.sender_id <> $2 AND m.deleted_at IS NULL",
        vec![conversation.into(), user.into()],
    )
    .await
}

/// `user`'s unread messages over all their conversations.
pub async fn total(core: &Core, user: Uuid) -> Result<i64> {
    count(
        core.db.conn(),
        "SELECT COUNT(*) AS n FROM conversation_participants p \
         JOIN messages m ON m.conversation_id = p.conversation_id AND m.seq > p.last_read_seq \
         WHERE p.user_id = $1 AND m.sender_id <> $1 AND m.deleted_at IS NULL",
        vec![user.into()],
    )
    .await
}

async fn count(conn: &impl ConnectionTrait, sql: &str, values: Vec<sea_orm::Value>) -> Result<i64> {
    let row = conn
        .query_one_raw(souk_db::sql_text::statement(conn, sql, values))
        .await?;
    Ok(match row {
        Some(row) => row.try_get::<i64>("", "n")?,
        None => 0,
    })
}
