//! Admitting a socket. The access token comes in the handshake's
//! `auth: {token}` (or a `token` query parameter, for clients that cannot
//! send `auth`) and is checked by `sessions::authenticate`, as the HTTP
//! `Auth` extractor checks a bearer token: signature, expiry, a live
//! session, not banned. A refusal is the `connect_error` the client sees,
//! its `data` the `{message, code}` envelope in the handshake's
//! `Accept-Language` (vendor/socketioxide-parser-common/PATCH.md). An
//! admitted socket keeps its [`Identity`], listens for client events and
//! joins its user's room and its session's room (what ending the session
//! disconnects).

use std::{
    fmt,
    sync::{Arc, Mutex},
    time::Instant,
};

use serde::Deserialize;
use socketioxide::{
    adapter::Adapter,
    extract::{SocketRef, State, TryData},
};
use souk_core::{
    Error, ErrorCode, Lang,
    accounts::{Role, lang_of, sessions},
    chat::presence,
    realtime::{session_room, user_room},
};
use uuid::Uuid;

use crate::{error, extract::lang::header_lang, state::AppState};

/// Who a socket belongs to, kept in its extensions from the handshake on.
#[derive(Debug, Clone)]
pub struct Identity {
    pub user: Uuid,
    pub session: Uuid,
    /// The role the socket was admitted with (a role change drops it).
    pub role: Role,
    /// Acknowledgements' language: the handshake's `Accept-Language`, else
    /// the user's.
    pub lang: Lang,
    /// When this socket last relayed `typing` (rate limit).
    pub(super) last_typing: Arc<Mutex<Option<Instant>>>,
    /// Whether this socket ever opened a conversation (`conversation:open`):
    /// only then does its disconnect clear presence rows.
    pub(super) opened: Arc<std::sync::atomic::AtomicBool>,
    /// The node serving the socket (its presence rows are refreshed by it).
    pub(super) node: Uuid,
}

/// The handshake's `auth` object.
#[derive(Deserialize)]
pub(super) struct HandshakeAuth {
    token: Option<String>,
}

/// A refused handshake: the rendered envelope, which the (patched) parser
/// sends as the `connect_error`'s `data`.
pub(super) struct Refusal(String);

impl Refusal {
    fn new(err: &Error, lang: Lang) -> Self {
        if let Error::Internal(source) = err {
            tracing::error!(error = %source, "socket handshake failed");
        }
        let body = error::render(err, lang);
        Self(serde_json::to_string(&body).unwrap_or_else(|_| {
            r#"{"message":"Internal server error","code":"internal"}"#.to_owned()
        }))
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The token of a handshake: `auth.token`, else the `token` query parameter.
fn token<A: Adapter>(socket: &SocketRef<A>, auth: Option<HandshakeAuth>) -> Option<String> {
    auth.and_then(|a| a.token)
        .or_else(|| {
            let query = socket.req_parts().uri.query()?;
            form_urlencoded::parse(query.as_bytes())
                .find(|(name, _)| name == "token")
                .map(|(_, value)| value.into_owned())
        })
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
}

/// The connect middleware: admits the socket or refuses the handshake.
pub(super) async fn admit<A: Adapter>(
    socket: SocketRef<A>,
    TryData(auth): TryData<HandshakeAuth>,
    State(state): State<AppState>,
    State(node): State<super::NodeId>,
) -> Result<(), Refusal> {
    let asked = header_lang(&socket.req_parts().headers);
    let Some(token) = token(&socket, auth.ok()) else {
        return Err(Refusal::new(
            &ErrorCode::Unauthorized.into(),
            asked.unwrap_or_default(),
        ));
    };
    let caller = sessions::authenticate(&state.core, &token)
        .await
        .map_err(|err| Refusal::new(&err, asked.unwrap_or_default()))?;
    // Rooms and handlers before the client hears `connect` (the connect
    // handler runs after): its first emit finds a handler, and the first
    // event for its user finds it in the room.
    socket.join([user_room(caller.user.id), session_room(caller.session_id)]);
    super::events::listen(&socket);
    socket.extensions.insert(Identity {
        user: caller.user.id,
        session: caller.session_id,
        role: caller.role,
        lang: asked.unwrap_or_else(|| lang_of(&caller.user)),
        last_typing: Arc::new(Mutex::new(None)),
        opened: Arc::new(std::sync::atomic::AtomicBool::new(false)),
        node: node.0,
    });
    socket.on_disconnect(on_disconnect::<A>);
    Ok(())
}

/// An admitted socket, now reachable by room operations: checks once more
/// that its session is live — a revocation committed while it was
/// connecting found no socket to drop, and this read sees it.
pub(super) async fn on_connect<A: Adapter>(socket: SocketRef<A>, State(state): State<AppState>) {
    let Some(me) = socket.extensions.get::<Identity>() else {
        let _ = socket.disconnect();
        return;
    };
    match sessions::is_live(&state.core, me.session).await {
        Ok(true) => {}
        Ok(false) => {
            let _ = socket.disconnect();
        }
        Err(err) => {
            tracing::error!(error = %err, "checking a new socket's session failed");
            let _ = socket.disconnect();
        }
    }
}

/// A socket is gone: the conversations it had open are no longer read on it.
async fn on_disconnect<A: Adapter>(socket: SocketRef<A>, State(state): State<AppState>) {
    let opened = socket
        .extensions
        .get::<Identity>()
        .is_some_and(|me| me.opened.load(std::sync::atomic::Ordering::Relaxed));
    if opened && let Err(err) = presence::forget_socket(&state.core, &socket.id.to_string()).await {
        tracing::error!(error = %err, "clearing a closed socket's presence failed");
    }
}
