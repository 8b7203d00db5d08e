//! The transactional outbox: side effects (mail, notifications, realtime
//! events, the disconnection of ended sessions' sockets, notification
//! deliveries, announcements) are rows written inside the business transaction and delivered
//! after commit, at least once, by [`dispatcher`].

pub mod dispatcher;

use chrono::{DateTime, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set};
use serde::{Deserialize, Serialize};
use souk_db::entities::outbox;

use crate::{error::Result, time};

/// What an outbox row asks for.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum OutboxMessage {
    /// Send an email.
    Mail {
        to: String,
        subject: String,
        text: String,
    },
    /// Route a stored notification to the channels its user's preferences
    /// allow (sockets now; a delivery per push device and email).
    Notification { id: uuid::Uuid },
    /// Send one delivery (one channel, one target) of a notification.
    Deliver { delivery: uuid::Uuid },
    /// Fan an announcement out to the next batch of its audience.
    Announce {
        announcement: uuid::Uuid,
        after: Option<uuid::Uuid>,
    },
    /// Remind a craftsman of unpaid commission (re-schedules itself while owed).
    FeeReminder { user: uuid::Uuid },
    /// Reveal a contract's blind reviews once its window has closed
    /// (re-schedules itself when the window moved later).
    RevealReviews { contract: uuid::Uuid },
    /// Check whether a dispute's response deadline passed unanswered.
    DisputeDeadline { dispute: uuid::Uuid },
    /// Delete a decided verification's documents (data minimisation).
    PurgeVerification { verification: uuid::Uuid },
    /// End a micro-task whose completion date came.
    ExpireTask { task: uuid::Uuid },
    /// Approve a submission nobody decided in time.
    AutoApproveSubmission { submission: uuid::Uuid },
    /// Expire a booking request nobody answered.
    ExpireBooking { booking: uuid::Uuid },
    /// Remind both sides of a booking starting at `start` (Unix seconds)
    /// in `hours`.
    BookingReminder {
        booking: uuid::Uuid,
        start: i64,
        hours: i64,
    },
    /// Emit an event to connected clients (see `crate::realtime`).
    Realtime(crate::realtime::RealtimeEvent),
    /// Disconnect, on every node, the sockets opened with an ended session
    /// (`None`: every socket of the user, who must sign in to the socket
    /// again).
    EndSession {
        user: uuid::Uuid,
        session: Option<uuid::Uuid>,
    },
}

impl OutboxMessage {
    /// Delivered in memory (to sockets), not to an outside service.
    pub fn is_realtime(&self) -> bool {
        matches!(
            self,
            OutboxMessage::Realtime(_) | OutboxMessage::EndSession { .. }
        )
    }

    fn kind(&self) -> &'static str {
        match self {
            OutboxMessage::Mail { .. } => "mail",
            OutboxMessage::Notification { .. } => "notification",
            OutboxMessage::Deliver { .. } => "deliver",
            OutboxMessage::Announce { .. } => "announce",
            OutboxMessage::FeeReminder { .. } => "fee_reminder",
            OutboxMessage::RevealReviews { .. } => "reveal_reviews",
            OutboxMessage::DisputeDeadline { .. } => "dispute_deadline",
            OutboxMessage::PurgeVerification { .. } => "purge_verification",
            OutboxMessage::ExpireBooking { .. } => "expire_booking",
            OutboxMessage::ExpireTask { .. } => "expire_task",
            OutboxMessage::AutoApproveSubmission { .. } => "auto_approve_submission",
            OutboxMessage::BookingReminder { .. } => "booking_reminder",
            OutboxMessage::Realtime(_) => "realtime",
            OutboxMessage::EndSession { .. } => "end_session",
        }
    }
}

/// A failure worth retrying later (after `after`, when the other side said
/// so with `Retry-After`).
#[derive(Debug, thiserror::Error)]
#[error("{reason}")]
pub struct RetryLater {
    pub after: Option<std::time::Duration>,
    pub reason: String,
}

/// Writes a message to deliver as soon as the transaction commits.
pub async fn enqueue(conn: &impl ConnectionTrait, message: &OutboxMessage) -> Result<()> {
    enqueue_at(conn, message, time::now()).await
}

/// Writes several messages to deliver as soon as the transaction commits,
/// in one statement.
pub async fn enqueue_all(conn: &impl ConnectionTrait, messages: &[OutboxMessage]) -> Result<()> {
    if messages.is_empty() {
        return Ok(());
    }
    let now = time::now();
    let rows = messages
        .iter()
        .map(|message| {
            let payload = serde_json::to_string(message).map_err(anyhow::Error::from)?;
            Ok(outbox::ActiveModel {
                kind: Set(message.kind().to_owned()),
                payload: Set(payload),
                available_at: Set(now),
                locked_until: Set(None),
                attempts: Set(0),
                last_error: Set(None),
                processed_at: Set(None),
                created_at: Set(now),
                ..Default::default()
            })
        })
        .collect::<Result<Vec<_>>>()?;
    outbox::Entity::insert_many(rows).exec(conn).await?;
    Ok(())
}

/// Writes a message to deliver at (or after) `due`.
pub async fn enqueue_at(
    conn: &impl ConnectionTrait,
    message: &OutboxMessage,
    due: DateTime<Utc>,
) -> Result<()> {
    let payload = serde_json::to_string(message).map_err(anyhow::Error::from)?;
    outbox::ActiveModel {
        kind: Set(message.kind().to_owned()),
        payload: Set(payload),
        available_at: Set(due),
        locked_until: Set(None),
        attempts: Set(0),
        last_error: Set(None),
        processed_at: Set(None),
        created_at: Set(time::now()),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// The outbox write of a message due at `at`, to ride along with another
/// write (its gate) or run on its own.
pub fn due(message: &OutboxMessage, at: DateTime<Utc>) -> Result<souk_db::gated::GatedWrite> {
    let payload = serde_json::to_string(message).map_err(anyhow::Error::from)?;
    Ok(souk_db::gated::GatedWrite::new(
        "INSERT INTO outbox (kind, payload, available_at, attempts, created_at) \
         SELECT $1, $2, $3, 0, $4 WHERE {gate}",
        vec![
            message.kind().into(),
            payload.into(),
            at.into(),
            time::now().into(),
        ],
    ))
}

/// The outbox write that emits a realtime event once the transaction
/// commits, to ride along with another write (its gate) or run on its own.
pub fn realtime(event: &crate::realtime::RealtimeEvent) -> Result<souk_db::gated::GatedWrite> {
    let payload = serde_json::to_string(&OutboxMessage::Realtime(event.clone()))
        .map_err(anyhow::Error::from)?;
    let now = time::now();
    Ok(souk_db::gated::GatedWrite::new(
        "INSERT INTO outbox (kind, payload, available_at, attempts, created_at) \
         SELECT 'realtime', $1, $2, 0, $3 WHERE {gate}",
        vec![payload.into(), now.into(), now.into()],
    ))
}

/// Queues a realtime event inside `conn`'s transaction.
pub async fn emit_after_commit(
    conn: &impl ConnectionTrait,
    event: &crate::realtime::RealtimeEvent,
) -> Result<()> {
    souk_db::gated::run_open(conn, vec![realtime(event)?]).await?;
    Ok(())
}
