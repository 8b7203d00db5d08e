//! The chat's client events over the socket, answered by the same
//! use-cases as the REST routes: `message:send` (`chat::send`, the one
//! `POST /api/conversations/:id/messages` runs), `message:read` (the read
//! receipt) and `sync` (everything missed since the client's cursors, in
//! order, in the acknowledgement — before the live events that follow it).
//! A socket joins a conversation's room (for `typing`) once the
//! conversation's own authorization check lets it send, read or sync there.

use serde_json::{Map, Value, json};
use socketioxide::{adapter::Adapter, extract::SocketRef};
use souk_core::{
    Error, ErrorCode, FieldErrors, FieldIssue,
    accounts::{Authenticated, sessions},
    chat::{
        access::{self, Viewer},
        history::{self, Cursor},
        presence::{self, Reader},
        receipts,
        send::{self, NewAttachment, SendMessage},
    },
    notifications,
    realtime::conversation_room,
};
use uuid::Uuid;

use super::Identity;
use crate::state::AppState;

/// Most conversations one `sync` may name.
pub const MAX_SYNC_CONVERSATIONS: usize = 200;
/// Most messages one conversation answers in one `sync` (the client pages
/// on with `?after=` or another `sync`; `more: true` says so).
const SYNC_MESSAGES: u64 = history::MAX_LIMIT;
/// Most notifications one `sync` answers.
const SYNC_NOTIFICATIONS: u64 = 100;

/// The socket's user, checked again for this event (session live, not
/// banned), as the HTTP `Auth` extractor would.
async fn caller(state: &AppState, me: &Identity) -> Result<Authenticated, Error> {
    sessions::authenticate_session(&state.core, me.user, me.session).await
}

fn uuid_of(payload: &Map<String, Value>, name: &str) -> Result<Uuid, Error> {
    super::events::uuid_field(payload, name)
}

fn optional_string(payload: &Map<String, Value>, name: &str) -> Result<Option<String>, Error> {
    match payload.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => Ok(Some(text.clone())),
        Some(_) => Err(Error::Validation(FieldErrors::single(
            name,
            FieldIssue::Invalid,
        ))),
    }
}

async fn join<A: Adapter>(socket: &SocketRef<A>, conversation: Uuid) {
    socket.join(conversation_room(conversation));
}

/// `message:send {conversationId, text, attachments?, clientMessageId?}`:
/// the stored message (a resend with the same `clientMessageId` answers the
/// first one).
pub async fn message_send<A: Adapter>(
    socket: &SocketRef<A>,
    state: &AppState,
    me: &Identity,
    payload: &Map<String, Value>,
) -> Result<Value, Error> {
    let caller = caller(state, me).await?;
    let conversation = uuid_of(payload, "conversationId")?;
    let attachments = match payload.get("attachments") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(ids)) => ids
            .iter()
            .map(|id| {
                id.as_str()
                    .and_then(|text| Uuid::parse_str(text).ok())
                    .map(NewAttachment::Uploaded)
                    .ok_or_else(|| {
                        Error::Validation(FieldErrors::single("attachments", FieldIssue::Invalid))
                    })
            })
            .collect::<Result<Vec<_>, Error>>()?,
        Some(_) => {
            return Err(Error::Validation(FieldErrors::single(
                "attachments",
                FieldIssue::Invalid,
            )));
        }
    };
    let request = SendMessage {
        conversation,
        text: optional_string(payload, "text")?,
        attachments,
        client_message_id: optional_string(payload, "clientMessageId")?,
    };
    let sent = send::send(&state.core, &caller, request).await?;
    join(socket, conversation).await;
    serde_json::to_value(&sent.message).map_err(|err| anyhow::Error::from(err).into())
}

/// `message:read {conversationId, seq}`: the reader's position and unread
/// count after it.
pub async fn message_read<A: Adapter>(
    socket: &SocketRef<A>,
    state: &AppState,
    me: &Identity,
    payload: &Map<String, Value>,
) -> Result<Value, Error> {
    let caller = caller(state, me).await?;
    let conversation = uuid_of(payload, "conversationId")?;
    let seq =
        match payload.get("seq") {
            None | Some(Value::Null) => None,
            Some(value) => Some(value.as_i64().ok_or_else(|| {
                Error::Validation(FieldErrors::single("seq", FieldIssue::Invalid))
            })?),
        };
    let read = receipts::mark_read(&state.core, &caller, conversation, seq).await?;
    join(socket, conversation).await;
    Ok(json!({
        "conversationId": read.conversation_id,
        "lastReadSeq": read.last_read_seq,
        "unreadCount": read.unread_count,
    }))
}

/// `sync {conversations: {<id>: <lastSeq>}, notificationsAfter?}`: every
/// message after each `lastSeq` (oldest first, up to a page each, `more`
/// when there is more) and every notification after `notificationsAfter`
/// (a notification id; oldest first). The socket joins each conversation's
/// room. A conversation the caller may not read is answered in `refused`
/// with its error code, the others still answered.
pub async fn sync<A: Adapter>(
    socket: &SocketRef<A>,
    state: &AppState,
    me: &Identity,
    payload: &Map<String, Value>,
) -> Result<Value, Error> {
    let caller = caller(state, me).await?;
    let wanted = match payload.get("conversations") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(map)) if map.len() <= MAX_SYNC_CONVERSATIONS => map.clone(),
        Some(Value::Object(_)) => {
            return Err(Error::Validation(FieldErrors::single(
                "conversations",
                FieldIssue::TooLong(MAX_SYNC_CONVERSATIONS),
            )));
        }
        Some(_) => {
            return Err(Error::Validation(FieldErrors::single(
                "conversations",
                FieldIssue::Invalid,
            )));
        }
    };
    let mut conversations = Map::new();
    let mut refused = Map::new();
    for (key, last) in &wanted {
        let (Ok(id), Some(last)) = (Uuid::parse_str(key), last.as_i64().filter(|s| *s >= 0)) else {
            return Err(Error::Validation(FieldErrors::single(
                "conversations",
                FieldIssue::Invalid,
            )));
        };
        let access = match access::conversation(&state.core, &caller, id).await {
            Ok(access) if access.viewer == Viewer::Participant => access,
            Ok(_) => {
                refused.insert(key.clone(), json!(ErrorCode::ConversationNotFound.as_str()));
                continue;
            }
            Err(err) => {
                refused.insert(key.clone(), json!(err.error_code().as_str()));
                continue;
            }
        };
        let page = history::page(&state.core, &access, Cursor::After(last), SYNC_MESSAGES).await?;
        join(socket, id).await;
        conversations.insert(
            key.clone(),
            json!({ "messages": page.messages, "more": page.next_cursor.is_some() }),
        );
    }
    let notifications = match payload.get("notificationsAfter") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::String(after)) => {
            let after = Uuid::parse_str(after).map_err(|_| {
                Error::Validation(FieldErrors::single(
                    "notificationsAfter",
                    FieldIssue::Invalid,
                ))
            })?;
            notifications::after(&state.core, caller.user.id, after, SYNC_NOTIFICATIONS)
                .await?
                .iter()
                .map(notifications::view)
                .collect()
        }
        Some(_) => {
            return Err(Error::Validation(FieldErrors::single(
                "notificationsAfter",
                FieldIssue::Invalid,
            )));
        }
    };
    Ok(json!({
        "conversations": conversations,
        "refused": refused,
        "notifications": notifications,
    }))
}

/// `conversation:open {conversationId}`: the conversation is on this
/// socket's screen; messages there reach the caller live and store no
/// notification until `conversation:close` or the socket goes. Answers
/// `{conversationId, lastSeq}` (what to `sync` from).
pub async fn conversation_open<A: Adapter>(
    socket: &SocketRef<A>,
    state: &AppState,
    me: &Identity,
    payload: &Map<String, Value>,
) -> Result<Value, Error> {
    let caller = caller(state, me).await?;
    let conversation = uuid_of(payload, "conversationId")?;
    let socket_id = socket.id.to_string();
    me.opened.store(true, std::sync::atomic::Ordering::Relaxed);
    let last_seq = presence::open(
        &state.core,
        &caller,
        conversation,
        Reader {
            socket: &socket_id,
            node: me.node,
        },
    )
    .await?;
    join(socket, conversation).await;
    Ok(json!({ "conversationId": conversation, "lastSeq": last_seq }))
}

/// `conversation:close {conversationId}`: off the screen again.
pub async fn conversation_close<A: Adapter>(
    socket: &SocketRef<A>,
    state: &AppState,
    me: &Identity,
    payload: &Map<String, Value>,
) -> Result<Value, Error> {
    caller(state, me).await?;
    let conversation = uuid_of(payload, "conversationId")?;
    presence::close(&state.core, &socket.id.to_string(), conversation).await?;
    Ok(json!({ "conversationId": conversation, "closed": true }))
}
