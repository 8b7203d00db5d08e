//! The Socket.IO endpoint: `/socket.io/`, Engine.IO 4 (the Socket.IO v5
//! protocol of `socket.io-client` 3 and 4) over websocket and long polling,
//! served by socketioxide in front of the HTTP router.
//!
//! - [`handshake`]: the access token of the handshake (`auth: {token}` or
//!   a `token` query parameter) is checked as the HTTP `Auth` extractor
//!   checks a bearer token; a refusal is a `connect_error` whose `data` is
//!   the localized `{message, code}` envelope. An admitted socket keeps its
//!   [`Identity`] and joins its user's and its session's rooms.
//! - [`events`]: what clients send (`message:send`, `message:read`,
//!   `typing`, `sync`, `conversation:open`, `conversation:close`), each
//!   answered through its acknowledgement.
//! - [`sink`]: the `RealtimeSink` the outbox dispatcher emits through, and
//!   ends sessions' sockets with, installed into `Core::realtime` here.
//!
//! With `REDIS_URL` the socketioxide-redis adapter carries every emit, join
//! and disconnect to the sockets of every node; without it, the in-memory
//! adapter serves this process's sockets.

mod chat;
mod events;
mod handshake;
mod sink;

use std::{convert::Infallible, sync::Arc};

use anyhow::Context;
use axum::Router;
use socketioxide::{SocketIo, SocketIoBuilder, adapter::Adapter, handler::ConnectHandler};
use socketioxide_redis::{
    RedisAdapter, RedisAdapterConfig, RedisAdapterCtr, drivers::redis::redis_client,
};
use souk_core::chat::presence;
use tower_http::cors::CorsLayer;
use uuid::Uuid;

pub use events::{ClientEvent, MAX_EVENT_BYTES};
pub use handshake::Identity;

use crate::state::AppState;

/// Largest Engine.IO message or polling body: beyond it the connection is
/// closed (protocol abuse). Events between [`MAX_EVENT_BYTES`] and this are
/// answered `payload_too_large`, the socket unaffected.
const MAX_TRANSPORT_BYTES: usize = 1024 * 1024;

/// The smallest websocket read buffer taken (a frame header and a little).
const MIN_WS_READ_BUFFER: usize = 256;

/// Puts the Socket.IO endpoint beside `app` (the router with its whole
/// middleware stack): `/socket.io/` goes to socketioxide with CORS only —
/// long polls must not meet the request timeout, the rate limits or the
/// access log — everything else to `app`. Installs the sink into the core;
/// connects to Redis first when `REDIS_URL` is set.
pub async fn mount(app: Router, state: &AppState) -> anyhow::Result<Router> {
    let config = &state.config.realtime;
    let cors = crate::middleware::cors(&state.config.cors_origins);
    match &config.redis_url {
        None => {
            let (service, io) = builder(state).build_svc();
            io.ns("/", handshake::on_connect.with(handshake::admit));
            install(state, io);
            Ok(beside(app, cors, service))
        }
        Some(url) => {
            let client = redis_client::Client::open(resp3(url)).context("REDIS_URL")?;
            let adapter = RedisAdapterCtr::new_with_redis_config(
                &client,
                RedisAdapterConfig::new().with_prefix(config.redis_prefix.clone()),
            )
            .await
            .context("cannot connect to REDIS_URL")?;
            let (service, io) = builder(state)
                .with_adapter::<RedisAdapter<_>>(adapter)
                .build_svc();
            io.ns("/", handshake::on_connect.with(handshake::admit))
                .await
                .map_err(|err| anyhow::anyhow!("the Redis adapter did not start: {err}"))?;
            install(state, io);
            Ok(beside(app, cors, service))
        }
    }
}

/// `/socket.io/` to `service` (with CORS), everything else to `app`.
fn beside<S>(app: Router, cors: CorsLayer, service: S) -> Router
where
    S: tower::Service<axum::extract::Request, Error = Infallible> + Clone + Send + Sync + 'static,
    S::Response: axum::response::IntoResponse + 'static,
    S::Future: Send + 'static,
{
    Router::new()
        .route_service("/socket.io/", service)
        .route_layer(cors)
        .fallback_service(app)
}

/// This process among the nodes: its sockets' presence rows carry it, and
/// it refreshes them while it runs (`chat::presence`).
#[derive(Debug, Clone, Copy)]
pub struct NodeId(pub Uuid);

/// Keeps this node's readers counting for as long as the process serves.
fn refresh_presence(state: &AppState, node: NodeId) {
    let core = state.core.clone();
    tokio::spawn(async move {
        // The first refresh one period in: a node just started has no
        // readers yet, and an immediate write would land in whatever the
        // process does at start (a statement budget's window, in tests).
        let first = tokio::time::Instant::now() + presence::REFRESH_EVERY;
        let mut tick = tokio::time::interval_at(first, presence::REFRESH_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(err) = presence::refresh(&core, node.0).await {
                tracing::warn!(error = %err, "refreshing chat presence failed");
            }
        }
    });
}

/// The settings every node shares, whatever its adapter.
fn builder(state: &AppState) -> SocketIoBuilder {
    let max = u64::try_from(MAX_TRANSPORT_BYTES).unwrap_or(u64::MAX);
    let node = NodeId(Uuid::now_v7());
    refresh_presence(state, node);
    SocketIo::builder()
        .with_state(state.clone())
        .with_state(node)
        .max_payload(max)
        .ws_max_message_size(MAX_TRANSPORT_BYTES)
        .ws_max_frame_size(MAX_TRANSPORT_BYTES)
        .ws_read_buffer_size(state.config.realtime.ws_read_buffer.max(MIN_WS_READ_BUFFER))
}

fn install<A: Adapter>(state: &AppState, io: SocketIo<A>) {
    if !state
        .core
        .realtime
        .install(Arc::new(sink::SocketSink::new(io)))
    {
        tracing::warn!(
            "a realtime sink was installed already; this router's sockets get no events"
        );
    }
}

/// The socketioxide Redis driver speaks RESP3: ask for it unless the URL
/// already names a protocol.
fn resp3(url: &str) -> String {
    if url.contains("protocol=") {
        url.to_owned()
    } else if url.contains('?') {
        format!("{url}&protocol=resp3")
    } else {
        format!("{url}?protocol=resp3")
    }
}

#[cfg(test)]
mod tests {
    use super::resp3;

    #[test]
    fn the_redis_url_asks_for_resp3_unless_it_names_a_protocol() {
        assert_eq!(
            resp3("redis://127.0.0.1:6379"),
            "redis://127.0.0.1:6379?protocol=resp3"
        );
        assert_eq!(
            resp3("redis://h/2?timeout=1"),
            "redis://h/2?timeout=1&protocol=resp3"
        );
        assert_eq!(
            resp3("redis://h?protocol=resp2"),
            "redis://h?protocol=resp2"
        );
    }
}
