//! The realtime events of chat, as outbox writes that ride in the
//! transaction of the change (`outbox::realtime`): emitted after the commit,
//! never for a change that rolled back. Payloads are the REST shapes.

use serde::Serialize;
use souk_db::gated::GatedWrite;
use uuid::Uuid;

use super::views::{ChatMessageResponse, ReadReceipt, UnreadUpdate};
use crate::{error::Result, outbox, realtime::RealtimeEvent};

/// `message:new`, `message:updated` or `message:deleted` to `users`.
pub fn message(users: &[Uuid], event: &str, message: &ChatMessageResponse) -> Result<GatedWrite> {
    to_users(users, event, message)
}

/// `message:read` to `users` (the reader's peers).
pub fn read(users: &[Uuid], receipt: &ReadReceipt) -> Result<GatedWrite> {
    to_users(users, "message:read", receipt)
}

/// `conversation:updated` with `user`'s new unread count, to `user`.
pub fn unread(user: Uuid, update: &UnreadUpdate) -> Result<GatedWrite> {
    to_users(&[user], "conversation:updated", update)
}

fn to_users(users: &[Uuid], event: &str, data: &impl Serialize) -> Result<GatedWrite> {
    let data = serde_json::to_value(data).map_err(anyhow::Error::from)?;
    outbox::realtime(&RealtimeEvent::to_users(users, event, data))
}
