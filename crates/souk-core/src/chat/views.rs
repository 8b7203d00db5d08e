//! The shapes of chat as clients see them — the REST answers and, the same
//! JSON, the payloads of the realtime events (`message:new` carries exactly
//! what `GET …/messages` answers).

use chrono::{DateTime, Utc};
use serde::Serialize;
use souk_db::entities::{message_attachments, messages};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::Settings;

/// A file sent in a conversation.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct AttachmentResponse {
    pub id: Uuid,
    /// Served only to the conversation's participants (bearer token).
    pub url: String,
    /// As sniffed from the bytes (images re-encoded: `image/jpeg` or
    /// `image/png`; `application/pdf`).
    pub content_type: String,
    /// Bytes.
    pub size: i64,
    pub name: String,
}

impl AttachmentResponse {
    /// Maps a row.
    pub fn new(row: &message_attachments::Model, settings: &Settings) -> Self {
        Self {
            id: row.id,
            url: attachment_url(settings, row.conversation_id, row.id),
            content_type: row.content_type.clone(),
            size: row.size,
            name: row.name.clone(),
        }
    }
}

/// Where an attachment is downloaded from.
pub fn attachment_url(settings: &Settings, conversation: Uuid, attachment: Uuid) -> String {
    format!(
        "{}/api/conversations/{conversation}/attachments/{attachment}",
        settings.public_url
    )
}

/// A message of a conversation's log. A deleted message stays as a
/// tombstone: `deletedAt` set, no text, no attachments.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ChatMessageResponse {
    pub id: Uuid,
    pub conversation_id: Uuid,
    /// 1, 2, 3 … in the conversation, without gaps.
    pub seq: i64,
    pub sender_id: Uuid,
    /// Empty when the message is only attachments, and once deleted.
    pub text: String,
    pub attachments: Vec<AttachmentResponse>,
    /// The sender's own id for the message (a resend with it answers this
    /// message again).
    pub client_message_id: Option<String>,
    pub created_at: DateTime<Utc>,
    pub edited_at: Option<DateTime<Utc>>,
    pub deleted_at: Option<DateTime<Utc>>,
}

impl ChatMessageResponse {
    /// Maps a message with its attachments (left out once deleted).
    pub fn new(
        row: &messages::Model,
        attachments: &[message_attachments::Model],
        settings: &Settings,
    ) -> Self {
        let deleted = row.deleted_at.is_some();
        Self {
            id: row.id,
            conversation_id: row.conversation_id,
            seq: row.seq,
            sender_id: row.sender_id,
            text: if deleted {
                String::new()
            } else {
                row.text.clone()
            },
            attachments: if deleted {
                Vec::new()
            } else {
                attachments
                    .iter()
                    .filter(|a| a.message_id == Some(row.id))
                    .map(|a| AttachmentResponse::new(a, settings))
                    .collect()
            },
            client_message_id: row.client_message_id.clone(),
            created_at: row.created_at,
            edited_at: row.edited_at,
            deleted_at: row.deleted_at,
        }
    }
}

/// `message:read`: a participant has read up to `seq`.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ReadReceipt {
    pub conversation_id: Uuid,
    pub user_id: Uuid,
    pub seq: i64,
}

/// `conversation:updated`: a participant's unread count changed.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct UnreadUpdate {
    pub conversation_id: Uuid,
    pub unread_count: i64,
}
