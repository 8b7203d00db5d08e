//! A user's concierge conversation: its messages (the last
//! [`MAX_MESSAGES`]), the filters it has reached and its last matches;
//! kept [`TTL_HOURS`] after its last turn, visible to its user only.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{EntityTrait, Set, sea_query::OnConflict};
use serde::{Deserialize, Serialize};
use souk_db::entities::ai_conversations;
use uuid::Uuid;

use super::{filters::Filters, matches::Match};
use crate::{
    Core,
    error::{ErrorCode, Result},
};

/// Hours a conversation is kept after its last turn.
pub const TTL_HOURS: i64 = 24;
/// Messages kept per conversation.
pub const MAX_MESSAGES: usize = 40;

/// One message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Said {
    /// `user` or `assistant`.
    pub role: String,
    pub text: String,
    pub at: DateTime<Utc>,
}

/// What a conversation has reached.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct State {
    pub filters: Filters,
    pub matches: Vec<Match>,
}

/// A conversation in memory.
#[derive(Debug, Clone)]
pub struct Conversation {
    pub id: Uuid,
    pub user: Uuid,
    pub messages: Vec<Said>,
    pub state: State,
    pub created_at: DateTime<Utc>,
    /// Whether it is stored yet.
    stored: bool,
}

impl Conversation {
    /// A new conversation of `user`.
    pub fn new(user: Uuid, now: DateTime<Utc>) -> Self {
        Self {
            id: Uuid::now_v7(),
            user,
            messages: Vec::new(),
            state: State::default(),
            created_at: now,
            stored: false,
        }
    }

    /// Adds a message, keeping the last [`MAX_MESSAGES`].
    pub fn say(&mut self, role: &str, text: &str, at: DateTime<Utc>) {
        self.messages.push(Said {
            role: role.to_owned(),
            text: text.to_owned(),
            at,
        });
        let extra = self.messages.len().saturating_sub(MAX_MESSAGES);
        self.messages.drain(..extra);
    }
}

/// The caller's conversation `id`, unexpired (404 otherwise).
pub async fn load(core: &Core, user: Uuid, id: Uuid) -> Result<Conversation> {
    let row = ai_conversations::Entity::find_by_id(id)
        .one(core.db.conn())
        .await?
        .filter(|c| c.user_id == user && c.expires_at > core.clock.now())
        .ok_or(ErrorCode::AiConversationNotFound)?;
    Ok(Conversation {
        id: row.id,
        user: row.user_id,
        messages: serde_json::from_str(&row.messages).unwrap_or_default(),
        state: serde_json::from_str(&row.state).unwrap_or_default(),
        created_at: row.created_at,
        stored: true,
    })
}

/// Writes the conversation (one statement), extending its life.
pub async fn save(core: &Core, conversation: &Conversation) -> Result<()> {
    let now = core.clock.now();
    let messages = serde_json::to_string(&conversation.messages).map_err(anyhow::Error::from)?;
    let state = serde_json::to_string(&conversation.state).map_err(anyhow::Error::from)?;
    let row = ai_conversations::ActiveModel {
        id: Set(conversation.id),
        user_id: Set(conversation.user),
        messages: Set(messages),
        state: Set(state),
        created_at: Set(conversation.created_at),
        updated_at: Set(now),
        expires_at: Set(crate::time::later(now, Duration::hours(TTL_HOURS))),
    };
    let insert = ai_conversations::Entity::insert(row);
    let insert = if conversation.stored {
        insert.on_conflict(
            OnConflict::column(ai_conversations::Column::Id)
                .update_columns([
                    ai_conversations::Column::Messages,
                    ai_conversations::Column::State,
                    ai_conversations::Column::UpdatedAt,
                    ai_conversations::Column::ExpiresAt,
                ])
                .to_owned(),
        )
    } else {
        insert
    };
    insert.exec_without_returning(core.db.conn()).await?;
    Ok(())
}
