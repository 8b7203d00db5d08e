//! Response shapes of chat at the edge: a conversation as its list shows
//! it, and the cursor pages. Messages and attachments are the core's own
//! shapes (`souk_core::chat::views`), which the realtime events carry too.

use chrono::{DateTime, Utc};
use serde::Serialize;
use souk_core::{
    Settings,
    chat::{list::Summary, receipts::ReadState, views::ChatMessageResponse},
};
use souk_db::{
    entities::{conversation_participants, message_reports},
    enums::{ConversationKind, MembershipStatus},
};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::views::PublicUserResponse;

/// One participant of a conversation.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ParticipantResponse {
    pub user_id: Uuid,
    /// The `seq` of the last message they have read (for read receipts).
    pub last_read_seq: i64,
    /// `blocking`: they block the other side, who can no longer send here.
    pub status: MembershipStatus,
}

impl From<&conversation_participants::Model> for ParticipantResponse {
    fn from(row: &conversation_participants::Model) -> Self {
        Self {
            user_id: row.user_id,
            last_read_seq: row.last_read_seq,
            status: row.status,
        }
    }
}

/// A conversation as the caller sees it.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConversationResponse {
    pub id: Uuid,
    pub kind: ConversationKind,
    /// The contract's job (contract conversations).
    pub job_id: Option<Uuid>,
    pub participants: Vec<ParticipantResponse>,
    /// The other side's public profile.
    pub peer: Option<PublicUserResponse>,
    pub last_message: Option<ChatMessageResponse>,
    /// Messages of others after `lastReadSeq`, deleted ones left out.
    pub unread_count: i64,
    /// The caller's read position.
    pub last_read_seq: i64,
    /// The newest message's `seq` (0 before the first).
    pub last_seq: i64,
    pub created_at: DateTime<Utc>,
    /// Last activity: creation, then each new message.
    pub updated_at: DateTime<Utc>,
}

impl ConversationResponse {
    /// Maps a summary; `staff` viewers also see the peer's contact details.
    pub fn new(summary: Summary, settings: &Settings, staff: bool) -> Self {
        let row = summary.conversation;
        Self {
            id: row.id,
            kind: row.kind,
            job_id: row.job_id,
            participants: summary
                .participants
                .iter()
                .map(ParticipantResponse::from)
                .collect(),
            peer: summary
                .peers
                .into_iter()
                .next()
                .map(|user| PublicUserResponse::new(user, settings, staff)),
            last_message: summary.last_message,
            unread_count: summary.unread_count,
            last_read_seq: summary.last_read_seq,
            last_seq: row.last_seq,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

/// A page of conversations, newest activity first.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ConversationPage {
    pub data: Vec<ConversationResponse>,
    /// Pass as `before` for the next page; null at the end.
    pub next_cursor: Option<String>,
}

/// A page of a conversation's messages: newest first for `before` (and
/// without a cursor), oldest first for `after`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MessagePage {
    pub data: Vec<ChatMessageResponse>,
    /// The `seq` to pass as `before` (or `after`, when paging with `after`)
    /// for the next page; null at the end.
    pub next_cursor: Option<i64>,
}

/// Where the caller's reading stands.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReadResponse {
    pub conversation_id: Uuid,
    pub last_read_seq: i64,
    pub unread_count: i64,
}

impl From<ReadState> for ReadResponse {
    fn from(state: ReadState) -> Self {
        Self {
            conversation_id: state.conversation_id,
            last_read_seq: state.last_read_seq,
            unread_count: state.unread_count,
        }
    }
}

/// A message reported to moderation.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReportResponse {
    pub id: Uuid,
    pub message_id: Uuid,
    pub conversation_id: Uuid,
    pub reason: String,
    pub created_at: DateTime<Utc>,
}

impl From<message_reports::Model> for ReportResponse {
    fn from(row: message_reports::Model) -> Self {
        Self {
            id: row.id,
            message_id: row.message_id,
            conversation_id: row.conversation_id,
            reason: row.reason,
            created_at: row.created_at,
        }
    }
}

/// `{count}`: unread messages over all the caller's conversations.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnreadCountResponse {
    pub count: i64,
}
