//! A user's conversations, newest activity first, cursor-paged: each with
//! its participants and the other side's profile row, the last message, the
//! caller's read position and unread count. Three statements whatever the
//! page size: the page (with each one's unread count and last message),
//! the participants with their user rows, the last messages' attachments.

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, JoinType, QueryFilter, QuerySelect,
    Statement,
};
use souk_db::entities::{
    conversation_participants, conversations, message_attachments, messages, users,
};
use uuid::Uuid;

use super::{access::Access, views::ChatMessageResponse};
use crate::{
    Core,
    error::{Error, FieldErrors, FieldIssue, Result},
};

/// Page size when none is given.
pub const DEFAULT_LIMIT: u64 = 20;

/// A conversation as its list shows it to one user.
#[derive(Debug, Clone)]
pub struct Summary {
    pub conversation: conversations::Model,
    pub participants: Vec<conversation_participants::Model>,
    /// The user rows of the participants other than the viewer.
    pub peers: Vec<users::Model>,
    pub last_message: Option<ChatMessageResponse>,
    pub unread_count: i64,
    /// The viewer's read position (0 for staff looking in).
    pub last_read_seq: i64,
}

/// One page of a user's conversations.
#[derive(Debug, Clone)]
pub struct SummaryPage {
    pub items: Vec<Summary>,
    /// The `before` of the next page; none at the end.
    pub next_cursor: Option<String>,
}

/// Where a page of conversations starts: below this activity time and id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListCursor {
    pub updated_at: DateTime<Utc>,
    pub id: Uuid,
}

impl ListCursor {
    /// `<microseconds since the epoch>_<conversation id>`.
    pub fn encode(&self) -> String {
        format!("{}_{}", self.updated_at.timestamp_micros(), self.id)
    }

    /// Reads [`encode`](Self::encode)'s text; anything else is 400 `before`.
    pub fn parse(text: &str) -> Result<Self> {
        let invalid = || Error::Validation(FieldErrors::single("before", FieldIssue::Invalid));
        let (micros, id) = text.trim().split_once('_').ok_or_else(invalid)?;
        let micros: i64 = micros.parse().map_err(|_| invalid())?;
        Ok(Self {
            updated_at: DateTime::from_timestamp_micros(micros).ok_or_else(invalid)?,
            id: Uuid::parse_str(id).map_err(|_| invalid())?,
        })
    }
}

const SUMMARY_SQL: &str = "SELECT c.*, COALESCE(p.last_read_seq, 0) AS my_last_read_seq, \
     (SELECT COUNT(*) FROM messages u WHERE u.conversation_id = c.id \
      AND u.seq > COALESCE(p.last_read_seq, c.last_seq) AND u.sender_id <> $1 \
      AND u.deleted_at IS NULL) AS unread_count, \
     lm.id AS lm_id, lm.conversation_id AS lm_conversation_id, lm.seq AS lm_seq, \
     lm.sender_id AS lm_sender_id, lm.text AS lm_text, lm.client_message_id AS lm_client_message_id, \
     lm.created_at AS lm_created_at, lm.edited_at AS lm_edited_at, lm.deleted_at AS lm_deleted_at \
     FROM conversations c \
     LEFT JOIN conversation_participants p ON p.conversation_id = c.id AND p.user_id = $1 \
     LEFT JOIN messages lm ON lm.conversation_id = c.id AND lm.seq = c.last_seq \
     WHERE ";

/// A page of `user`'s conversations, newest activity first.
pub async fn list(
    core: &Core,
    user: Uuid,
    before: Option<ListCursor>,
    limit: u64,
) -> Result<SummaryPage> {
    let take = limit.clamp(1, crate::pagination::MAX_LIMIT);
    let fetch = i64::try_from(take.saturating_add(1)).unwrap_or(101);
    let mut values: Vec<sea_orm::Value> = vec![user.into()];
    let mut sql = format!("{SUMMARY_SQL}p.user_id = $1");
    if let Some(cursor) = before {
        sql.push_str(" AND (c.updated_at < $2 OR (c.updated_at = $2 AND c.id < $3))");
        values.push(cursor.updated_at.into());
        values.push(cursor.id.into());
    }
    sql.push_str(&format!(
        " ORDER BY c.updated_at DESC, c.id DESC LIMIT ${}",
        values.len().saturating_add(1)
    ));
    values.push(fetch.into());
    let mut items = summaries(core, user, sql, values).await?;
    let more = items.len() > usize::try_from(take).unwrap_or(usize::MAX);
    items.truncate(usize::try_from(take).unwrap_or(usize::MAX));
    let next_cursor = more.then(|| items.last()).flatten().map(|last| {
        ListCursor {
            updated_at: last.conversation.updated_at,
            id: last.conversation.id,
        }
        .encode()
    });
    Ok(SummaryPage { items, next_cursor })
}

/// One conversation as its list would show it to the caller.
pub async fn one(core: &Core, access: &Access) -> Result<Summary> {
    let sql = format!("{SUMMARY_SQL}c.id = $2");
    summaries(
        core,
        access.caller,
        sql,
        vec![access.caller.into(), access.id().into()],
    )
    .await?
    .into_iter()
    .next()
    .ok_or_else(|| Error::Internal(anyhow::anyhow!("conversation vanished")))
}

async fn summaries(
    core: &Core,
    viewer: Uuid,
    sql: String,
    values: Vec<sea_orm::Value>,
) -> Result<Vec<Summary>> {
    let conn = core.db.conn();
    let rows = conn
        .query_all_raw(Statement::from_sql_and_values(
            core.db.backend(),
            sql,
            values,
        ))
        .await?;
    let mut page = Vec::with_capacity(rows.len());
    for row in &rows {
        let last = match row.try_get::<Option<Uuid>>("", "lm_id")? {
            Some(_) => Some(messages::Model::from_query_result(row, "lm_")?),
            None => None,
        };
        page.push((
            conversations::Model::from_query_result(row, "")?,
            row.try_get::<i64>("", "my_last_read_seq")?,
            row.try_get::<i64>("", "unread_count")?,
            last,
        ));
    }
    if page.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<Uuid> = page.iter().map(|(c, ..)| c.id).collect();
    let members: Vec<(conversation_participants::Model, Option<users::Model>)> =
        conversation_participants::Entity::find()
            .filter(conversation_participants::Column::ConversationId.is_in(ids))
            .join(
                JoinType::InnerJoin,
                conversation_participants::Entity::belongs_to(users::Entity)
                    .from(conversation_participants::Column::UserId)
                    .to(users::Column::Id)
                    .into(),
            )
            .select_also(users::Entity)
            .all(conn)
            .await?;
    let last_ids: Vec<Uuid> = page
        .iter()
        .filter_map(|(.., last)| last.as_ref().map(|m| m.id))
        .collect();
    let files = if last_ids.is_empty() {
        Vec::new()
    } else {
        message_attachments::Entity::find()
            .filter(message_attachments::Column::MessageId.is_in(last_ids))
            .all(conn)
            .await?
    };
    Ok(page
        .into_iter()
        .map(|(conversation, last_read_seq, unread_count, last)| {
            let mut participants: Vec<conversation_participants::Model> = members
                .iter()
                .filter(|(p, _)| p.conversation_id == conversation.id)
                .map(|(p, _)| p.clone())
                .collect();
            participants.sort_by_key(|p| (p.joined_at, p.user_id));
            let peers = members
                .iter()
                .filter(|(p, _)| p.conversation_id == conversation.id && p.user_id != viewer)
                .filter_map(|(_, user)| user.clone())
                .collect();
            Summary {
                last_message: last
                    .as_ref()
                    .map(|m| ChatMessageResponse::new(m, &files, &core.settings)),
                conversation,
                participants,
                peers,
                unread_count,
                last_read_seq,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_read_back_what_they_encode_and_refuse_anything_else() {
        let cursor = ListCursor {
            updated_at: DateTime::from_timestamp_micros(1_765_084_800_123_456).unwrap_or_default(),
            id: Uuid::now_v7(),
        };
        assert_eq!(ListCursor::parse(&cursor.encode()).ok(), Some(cursor));
        for bad in ["", "12", "x_y", "12_not-a-uuid", "99999999999999999999_0"] {
            assert!(ListCursor::parse(bad).is_err(), "{bad}");
        }
    }
}
