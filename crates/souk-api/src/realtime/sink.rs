//! The `RealtimeSink` over the Socket.IO handle: what the outbox dispatcher
//! emits through after a commit, and how ended sessions' sockets are
//! dropped. Every operation goes through the adapter, so with Redis it
//! reaches the sockets of every node.

use async_trait::async_trait;
use socketioxide::{SocketIo, adapter::Adapter};
use souk_core::realtime::{RealtimeEvent, RealtimeSink, session_room, user_room};
use uuid::Uuid;

/// Emits to and disconnects the sockets of one Socket.IO server.
pub struct SocketSink<A: Adapter>(SocketIo<A>);

impl<A: Adapter> SocketSink<A> {
    pub fn new(io: SocketIo<A>) -> Self {
        Self(io)
    }
}

#[async_trait]
impl<A: Adapter> RealtimeSink for SocketSink<A> {
    async fn emit(&self, event: &RealtimeEvent) -> anyhow::Result<()> {
        if event.rooms.is_empty() {
            return Ok(());
        }
        match self
            .0
            .to(event.rooms.clone())
            .emit(&event.event, &event.data)
            .await
        {
            Ok(()) => Ok(()),
            // Some sockets could not take it (gone, or their buffer full):
            // sockets only bring news sooner and a client catches up over
            // REST, so the others are not sent the event twice by a retry.
            Err(socketioxide::BroadcastError::Socket(failed)) => {
                tracing::debug!(event = %event.event, sockets = failed.len(), "realtime event not delivered to some sockets");
                Ok(())
            }
            Err(err) => Err(anyhow::anyhow!("realtime emit of {}: {err}", event.event)),
        }
    }

    async fn end_session(&self, user: Uuid, session: Option<Uuid>) -> anyhow::Result<()> {
        let room = match session {
            Some(session) => session_room(session),
            None => user_room(user),
        };
        self.0
            .to(room)
            .disconnect()
            .await
            .map_err(|err| anyhow::anyhow!("disconnecting an ended session's sockets: {err}"))
    }

    async fn join_room(&self, user: Uuid, room: &str) -> anyhow::Result<()> {
        self.0
            .to(user_room(user))
            .join(room.to_owned())
            .await
            .map_err(|err| anyhow::anyhow!("joining {room}: {err}"))
    }

    async fn close(&self) {
        self.0.close().await;
    }
}
