//! Domain events and how a use-case records one: a write that rides along
//! with the change that caused it (same statement on PostgreSQL, same
//! transaction on SQLite), with no sequence yet — [`super::feed`] numbers
//! it once committed.

use std::fmt;

use sea_orm::ConnectionTrait;
use serde_json::Value;
use souk_db::gated::{self, GatedWrite};
use uuid::Uuid;

use crate::{error::Result, time};

macro_rules! event_types {
    ($($variant:ident => $name:literal),* $(,)?) => {
        /// Every kind of domain event, as integrators name it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum EventType { $($variant),* }

        impl EventType {
            /// Every event type, in the documented order.
            pub const ALL: &'static [EventType] = &[$(EventType::$variant),*];

            /// The dotted name (`job.posted`).
            pub fn as_str(self) -> &'static str {
                match self { $(EventType::$variant => $name),* }
            }

            /// The type with this name.
            pub fn parse(name: &str) -> Option<Self> {
                match name { $($name => Some(EventType::$variant),)* _ => None }
            }
        }
    };
}

event_types! {
    UserRegistered => "user.registered",
    JobPosted => "job.posted",
    JobStatusChanged => "job.status_changed",
    QuoteSubmitted => "quote.submitted",
    ContractCreated => "contract.created",
    EscrowFunded => "escrow.funded",
    EscrowReleased => "escrow.released",
    EscrowRefunded => "escrow.refunded",
    PaymentSucceeded => "payment.succeeded",
    PaymentFailed => "payment.failed",
    WithdrawalRequested => "withdrawal.requested",
    WithdrawalPaid => "withdrawal.paid",
    WithdrawalRejected => "withdrawal.rejected",
    ReviewPublished => "review.published",
    DisputeOpened => "dispute.opened",
    DisputeResolved => "dispute.resolved",
    BookingRequested => "booking.requested",
    BookingStatusChanged => "booking.status_changed",
    BookingRescheduled => "booking.rescheduled",
    TaskPosted => "task.posted",
    TaskSubmissionCreated => "task.submission_created",
    TaskSubmissionDecided => "task.submission_decided",
    TaskClosed => "task.closed",
    VerificationDecided => "verification.decided",
}

impl fmt::Display for EventType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One thing that happened, as the feed and webhooks carry it.
#[derive(Debug, Clone)]
pub struct DomainEvent {
    pub kind: EventType,
    /// Who did it (`None`: the platform itself — a scheduler, a gateway).
    pub actor: Option<Uuid>,
    /// What it happened to: `("job", id)`.
    pub resource_type: &'static str,
    pub resource_id: String,
    /// The resource's new state (the fields integrators need).
    pub data: Value,
    /// The fields that changed, as they were (`null` for creations).
    pub previous: Option<Value>,
}

impl DomainEvent {
    /// An event about `resource_type` `id`.
    pub fn new(
        kind: EventType,
        actor: Option<Uuid>,
        resource_type: &'static str,
        id: impl ToString,
        data: Value,
    ) -> Self {
        Self {
            kind,
            actor,
            resource_type,
            resource_id: id.to_string(),
            data,
            previous: None,
        }
    }

    /// With the previous values of what changed.
    pub fn previous(mut self, previous: Value) -> Self {
        self.previous = Some(previous);
        self
    }
}

/// The write that records `event`, to ride along with the change that
/// caused it (its gate) or run on its own.
pub fn write(event: &DomainEvent) -> GatedWrite {
    GatedWrite::new(
        "INSERT INTO events (id, sequence, kind, actor_id, resource_type, resource_id, data, \
         previous, created_at) SELECT $1, NULL, $2, $3, $4, $5, $6, $7, $8 WHERE {gate}",
        vec![
            Uuid::now_v7().into(),
            event.kind.as_str().into(),
            event.actor.into(),
            event.resource_type.into(),
            event.resource_id.clone().into(),
            event.data.to_string().into(),
            event.previous.as_ref().map(Value::to_string).into(),
            time::now().into(),
        ],
    )
}

/// Records events inside `conn`'s transaction.
pub async fn record(conn: &impl ConnectionTrait, events: &[DomainEvent]) -> Result<()> {
    if events.is_empty() {
        return Ok(());
    }
    gated::run_open(conn, events.iter().map(write).collect()).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::EventType;

    #[test]
    fn every_event_type_parses_back_from_its_name() {
        for kind in EventType::ALL {
            assert_eq!(EventType::parse(kind.as_str()), Some(*kind));
        }
        assert_eq!(EventType::parse("job.exploded"), None);
    }
}
