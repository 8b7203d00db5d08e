//! A conversation's history, paged by `seq`: `before` a number, newest
//! first (the latest page when no cursor is given), or `after` one, oldest
//! first — what a reconnecting client asks to catch up, in order. One
//! statement reads the page with its attachments. Numbers have no gaps and
//! messages are never removed (a deletion leaves a tombstone), so whether
//! more remain is known without counting: older ones exist while the
//! page's oldest `seq` is above 1, newer ones while its newest is below the
//! conversation's last.

use sea_orm::{ConnectionTrait, FromQueryResult, Statement};
use souk_db::entities::{message_attachments, messages};

use super::{
    access::{self, Access},
    views::ChatMessageResponse,
};
use crate::{
    Core,
    accounts::Authenticated,
    error::{Error, FieldErrors, FieldIssue, Result},
};
use uuid::Uuid;

/// Page size when none is given.
pub const DEFAULT_LIMIT: u64 = 50;
/// Largest page.
pub const MAX_LIMIT: u64 = 100;

/// Where a page starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cursor {
    /// The newest messages, newest first.
    Latest,
    /// Messages numbered below this, newest first.
    Before(i64),
    /// Messages numbered above this, oldest first.
    After(i64),
}

impl Cursor {
    /// From the `before` and `after` query parameters (not both; ≥ 0).
    pub fn from_params(before: Option<i64>, after: Option<i64>) -> Result<Self> {
        let negative = |field: &str| {
            Error::Validation(FieldErrors::single(
                field,
                FieldIssue::OutOfRange {
                    min: 0.0,
                    max: 9.0e18,
                },
            ))
        };
        match (before, after) {
            (Some(_), Some(_)) => Err(Error::Validation(FieldErrors::single(
                "after",
                FieldIssue::NotAllowed,
            ))),
            (Some(before), None) if before < 0 => Err(negative("before")),
            (None, Some(after)) if after < 0 => Err(negative("after")),
            (Some(before), None) => Ok(Cursor::Before(before)),
            (None, Some(after)) => Ok(Cursor::After(after)),
            (None, None) => Ok(Cursor::Latest),
        }
    }
}

/// One page of messages.
#[derive(Debug, Clone)]
pub struct HistoryPage {
    pub messages: Vec<ChatMessageResponse>,
    /// The `seq` to pass as `before` (or `after`, for an `after` page) to
    /// continue; none at the end.
    pub next_cursor: Option<i64>,
}

/// The history of a conversation the caller may read.
pub async fn messages(
    core: &Core,
    caller: &Authenticated,
    conversation: Uuid,
    cursor: Cursor,
    limit: u64,
) -> Result<HistoryPage> {
    let access = access::conversation(core, caller, conversation).await?;
    page(core, &access, cursor, limit).await
}

const ATTACHMENT_COLUMNS: &str = "a.id AS a_id, a.conversation_id AS a_conversation_id, \
     a.message_id AS a_message_id, a.uploader_id AS a_uploader_id, a.file_key AS a_file_key, \
     a.content_type AS a_content_type, a.size AS a_size, a.name AS a_name, \
     a.created_at AS a_created_at";

/// A page of an accessible conversation (staff reads are logged).
pub async fn page(core: &Core, access: &Access, cursor: Cursor, limit: u64) -> Result<HistoryPage> {
    access::log_staff_access(core, access, "read").await?;
    let limit = i64::try_from(limit.clamp(1, MAX_LIMIT)).unwrap_or(50);
    let (bound, order, from) = match cursor {
        Cursor::Latest => ("<", "DESC", i64::MAX),
        Cursor::Before(seq) => ("<", "DESC", seq),
        Cursor::After(seq) => (">", "ASC", seq),
    };
    let sql = format!(
        "SELECT m.*, {ATTACHMENT_COLUMNS} FROM (SELECT * FROM messages \
         WHERE conversation_id = $1 AND seq {bound} $2 ORDER BY seq {order} LIMIT $3) m \
         LEFT JOIN message_attachments a ON a.message_id = m.id \
         ORDER BY m.seq {order}, a.created_at, a.id"
    );
    let rows = core
        .db
        .conn()
        .query_all_raw(Statement::from_sql_and_values(
            core.db.backend(),
            sql,
            [access.id().into(), from.into(), limit.into()],
        ))
        .await?;
    let messages = with_attachments(core, &rows)?;
    let next_cursor = match cursor {
        Cursor::After(_) => messages
            .last()
            .map(|m| m.seq)
            .filter(|seq| *seq < access.conversation.row.last_seq),
        Cursor::Latest | Cursor::Before(_) => messages.last().map(|m| m.seq).filter(|seq| *seq > 1),
    };
    Ok(HistoryPage {
        messages,
        next_cursor,
    })
}

/// Messages (in the rows' order) each with its attachments: rows of a
/// message left-joined to `message_attachments` as `a_…` columns.
fn with_attachments(
    core: &Core,
    rows: &[sea_orm::QueryResult],
) -> Result<Vec<ChatMessageResponse>> {
    let mut grouped: Vec<(messages::Model, Vec<message_attachments::Model>)> = Vec::new();
    for row in rows {
        let message = messages::Model::from_query_result(row, "")?;
        let attachment = match row.try_get::<Option<Uuid>>("", "a_id")? {
            Some(_) => Some(message_attachments::Model::from_query_result(row, "a_")?),
            None => None,
        };
        match grouped.last_mut() {
            Some((last, files)) if last.id == message.id => files.extend(attachment),
            _ => grouped.push((message, attachment.into_iter().collect())),
        }
    }
    Ok(grouped
        .iter()
        .map(|(message, files)| ChatMessageResponse::new(message, files, &core.settings))
        .collect())
}

/// Loads one message of a conversation with its attachments.
pub async fn message(
    conn: &impl ConnectionTrait,
    core: &Core,
    conversation: Uuid,
    id: Uuid,
) -> Result<Option<(messages::Model, ChatMessageResponse)>> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let Some(row) = messages::Entity::find_by_id(id)
        .filter(messages::Column::ConversationId.eq(conversation))
        .one(conn)
        .await?
    else {
        return Ok(None);
    };
    let files = message_attachments::Entity::find()
        .filter(message_attachments::Column::MessageId.eq(row.id))
        .all(conn)
        .await?;
    let view = ChatMessageResponse::new(&row, &files, &core.settings);
    Ok(Some((row, view)))
}
