//! What clients send over the socket. Every event is answered through its
//! acknowledgement with the result or the `{message, code, details?}`
//! envelope in the socket's language; nothing a refused event carried is
//! stored, and the socket goes on. [`answer`] is the one place where client
//! events meet the use-cases.
//!
//! - `typing {conversationId}` is relayed as `typing {conversationId,
//!   userId}` to the other sockets of the conversation's room (not to the
//!   sender's own), only from a socket in that room (rooms are joined after
//!   the conversation's authorization check), at most once a second per
//!   socket; it is never stored.
//! - `message:send`, `message:read` and `sync` run the chat use-cases
//!   (`super::chat`), the same the REST routes run; `conversation:open` and
//!   `conversation:close` say which conversation is on the socket's screen
//!   (a message there stores no notification for its reader).
//! - An unknown event is answered `unknown_event`; a payload that is not a
//!   JSON object `invalid_payload`; one over [`MAX_EVENT_BYTES`]
//!   `payload_too_large` (past 1 MiB the transport closes the connection).

use std::{convert::Infallible, sync::Arc, time::Duration, time::Instant};

use serde_json::{Value, json};
use socketioxide::{
    adapter::Adapter,
    extract::{AckSender, Event, Extension, SocketRef, State, TryData},
    handler::FromMessageParts,
    socket::Socket,
};
use souk_core::{
    Error, ErrorCode, FieldErrors, FieldIssue,
    realtime::{conversation_room, user_room},
};
use uuid::Uuid;

use super::Identity;
use crate::{error, state::AppState};

/// Largest event payload answered on its merits.
pub const MAX_EVENT_BYTES: usize = 100 * 1024;

/// At most one `typing` per socket in this long.
const TYPING_EVERY: Duration = Duration::from_secs(1);

/// The events a client may send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientEvent {
    MessageSend,
    MessageRead,
    Typing,
    Sync,
    ConversationOpen,
    ConversationClose,
}

impl ClientEvent {
    pub const ALL: [ClientEvent; 6] = [
        ClientEvent::MessageSend,
        ClientEvent::MessageRead,
        ClientEvent::Typing,
        ClientEvent::Sync,
        ClientEvent::ConversationOpen,
        ClientEvent::ConversationClose,
    ];

    /// The Socket.IO event name.
    pub fn name(self) -> &'static str {
        match self {
            ClientEvent::MessageSend => "message:send",
            ClientEvent::MessageRead => "message:read",
            ClientEvent::Typing => "typing",
            ClientEvent::Sync => "sync",
            ClientEvent::ConversationOpen => "conversation:open",
            ClientEvent::ConversationClose => "conversation:close",
        }
    }

    fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|event| event.name() == name)
    }
}

/// The size of an event as it arrived: its text and binary attachments.
struct PayloadSize(usize);

impl<A: Adapter> FromMessageParts<A> for PayloadSize {
    type Error = Infallible;

    fn from_message_parts(
        _: &Arc<Socket<A>>,
        value: &mut socketioxide::handler::Value,
        _: &Option<i64>,
    ) -> Result<Self, Infallible> {
        let size = match value {
            socketioxide::handler::Value::Str(text, attachments) => {
                text.len()
                    + attachments
                        .iter()
                        .flatten()
                        .map(bytes::Bytes::len)
                        .sum::<usize>()
            }
            socketioxide::handler::Value::Bytes(bytes) => bytes.len(),
        };
        Ok(PayloadSize(size))
    }
}

/// Registers the socket's event handlers.
pub(super) fn listen<A: Adapter>(socket: &SocketRef<A>) {
    for event in ClientEvent::ALL {
        socket.on(event.name(), on_event::<A>);
    }
    socket.on_fallback(on_event::<A>);
}

async fn on_event<A: Adapter>(
    socket: SocketRef<A>,
    Event(name): Event,
    PayloadSize(size): PayloadSize,
    Extension(me): Extension<Identity>,
    State(state): State<AppState>,
    TryData(payload): TryData<Value>,
    ack: AckSender<A>,
) {
    let result = match ClientEvent::parse(&name) {
        None => Err(ErrorCode::UnknownEvent.into()),
        Some(_) if size > MAX_EVENT_BYTES => Err(ErrorCode::PayloadTooLarge.into()),
        Some(event) => match payload {
            Ok(Value::Object(fields)) => answer(&socket, &state, &me, event, fields).await,
            _ => Err(ErrorCode::InvalidPayload.into()),
        },
    };
    let reply = match result {
        Ok(value) => value,
        Err(err) => {
            if let Error::Internal(source) = &err {
                tracing::error!(event = %name, error = %source, "socket event failed");
            }
            json!(error::render(&err, me.lang))
        }
    };
    let _ = ack.send(&reply);
}

/// Answers one client event: the single place where client events are
/// wired to the use-cases.
async fn answer<A: Adapter>(
    socket: &SocketRef<A>,
    state: &AppState,
    me: &Identity,
    event: ClientEvent,
    payload: serde_json::Map<String, Value>,
) -> Result<Value, Error> {
    match event {
        ClientEvent::Typing => typing(socket, me, &payload).await,
        ClientEvent::MessageSend => super::chat::message_send(socket, state, me, &payload).await,
        ClientEvent::MessageRead => super::chat::message_read(socket, state, me, &payload).await,
        ClientEvent::Sync => super::chat::sync(socket, state, me, &payload).await,
        ClientEvent::ConversationOpen => {
            super::chat::conversation_open(socket, state, me, &payload).await
        }
        ClientEvent::ConversationClose => {
            super::chat::conversation_close(socket, state, me, &payload).await
        }
    }
}

/// `typing {conversationId}`: relayed to the conversation's other sockets.
async fn typing<A: Adapter>(
    socket: &SocketRef<A>,
    me: &Identity,
    payload: &serde_json::Map<String, Value>,
) -> Result<Value, Error> {
    let conversation = uuid_field(payload, "conversationId")?;
    let room = conversation_room(conversation);
    if !socket.rooms().iter().any(|joined| *joined == room) {
        return Err(ErrorCode::Forbidden.into());
    }
    {
        let mut last = me
            .last_typing
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let now = Instant::now();
        if last.is_some_and(|at| now.duration_since(at) < TYPING_EVERY) {
            return Err(ErrorCode::RateLimited.into());
        }
        *last = Some(now);
    }
    socket
        .to(room)
        .except(user_room(me.user))
        .emit(
            "typing",
            &json!({ "conversationId": conversation, "userId": me.user }),
        )
        .await
        .map_err(|err| anyhow::anyhow!("relaying typing: {err}"))?;
    Ok(json!({ "ok": true }))
}

/// A required UUID field of an event's payload.
pub(super) fn uuid_field(
    payload: &serde_json::Map<String, Value>,
    name: &str,
) -> Result<Uuid, Error> {
    match payload.get(name) {
        None | Some(Value::Null) => Err(Error::Validation(FieldErrors::single(
            name,
            FieldIssue::Required,
        ))),
        Some(value) => value
            .as_str()
            .and_then(|text| Uuid::parse_str(text).ok())
            .ok_or_else(|| Error::Validation(FieldErrors::single(name, FieldIssue::Invalid))),
    }
}
