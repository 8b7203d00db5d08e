//! Realtime events: what reaches connected clients and how. An event is an
//! outbox row written in the transaction that causes it
//! (`outbox::realtime`, `outbox::emit_after_commit`) and emitted after the
//! commit by the outbox dispatcher through the [`RealtimeSink`] the server
//! installed (Socket.IO, in `souk-api`); nothing is emitted from inside a request, so a client never
//! sees what was rolled back. Sockets only carry news sooner: the stored
//! records (notifications, conversation logs) stay the truth a reconnecting
//! client syncs from.

use std::sync::{Arc, OnceLock};

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// The room every socket of a user joins.
pub fn user_room(user: Uuid) -> String {
    format!("user:{user}")
}

/// The room of every socket opened with one session (what ending the
/// session disconnects).
pub fn session_room(session: Uuid) -> String {
    format!("session:{session}")
}

/// The room of a conversation's live readers.
pub fn conversation_room(conversation: Uuid) -> String {
    format!("conversation:{conversation}")
}

/// One event for the sockets in some rooms.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct RealtimeEvent {
    /// Rooms to reach (a socket in several of them gets it once).
    pub rooms: Vec<String>,
    /// The Socket.IO event name (`notification`, `job:updated`, …).
    pub event: String,
    /// Its payload.
    pub data: serde_json::Value,
}

impl RealtimeEvent {
    /// An event for the sockets of these users.
    pub fn to_users(users: &[Uuid], event: &str, data: serde_json::Value) -> Self {
        Self {
            rooms: users.iter().map(|u| user_room(*u)).collect(),
            event: event.to_owned(),
            data,
        }
    }
}

/// Where emitted events go (implemented by the server that owns the
/// sockets).
#[async_trait]
pub trait RealtimeSink: Send + Sync {
    /// Sends `event` to every socket in its rooms, on every node.
    async fn emit(&self, event: &RealtimeEvent) -> anyhow::Result<()>;
    /// Drops, on every node, the sockets opened with `session` (`None`:
    /// every socket of the user).
    async fn end_session(&self, user: Uuid, session: Option<Uuid>) -> anyhow::Result<()>;
    /// Makes every socket of `user`, on every node, join `room` (a
    /// conversation, once the user's right to it has been checked).
    async fn join_room(&self, user: Uuid, room: &str) -> anyhow::Result<()>;
    /// Closes every socket of this node (shutdown).
    async fn close(&self) {}
}

/// The sink of one core, installed once by the server; until then (or in a
/// process with no sockets, such as the benchmark tools) events go nowhere.
#[derive(Default)]
pub struct RealtimeSlot(OnceLock<Arc<dyn RealtimeSink>>);

impl RealtimeSlot {
    /// Installs the sink; `false` if one was installed already.
    pub fn install(&self, sink: Arc<dyn RealtimeSink>) -> bool {
        self.0.set(sink).is_ok()
    }

    /// Emits through the installed sink, if any.
    pub async fn emit(&self, event: &RealtimeEvent) -> anyhow::Result<()> {
        match self.0.get() {
            Some(sink) => sink.emit(event).await,
            None => Ok(()),
        }
    }

    /// Ends a session's sockets through the installed sink, if any.
    pub async fn end_session(&self, user: Uuid, session: Option<Uuid>) -> anyhow::Result<()> {
        match self.0.get() {
            Some(sink) => sink.end_session(user, session).await,
            None => Ok(()),
        }
    }

    /// Makes a user's sockets join a room through the installed sink, if any.
    pub async fn join_room(&self, user: Uuid, room: &str) -> anyhow::Result<()> {
        match self.0.get() {
            Some(sink) => sink.join_room(user, room).await,
            None => Ok(()),
        }
    }

    /// Closes this node's sockets, if a sink is installed.
    pub async fn close(&self) {
        if let Some(sink) = self.0.get() {
            sink.close().await;
        }
    }
}
