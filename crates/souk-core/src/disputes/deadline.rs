//! The response deadline: an outbox row due when the party being waited on
//! must have answered. If they have not by then (by the core's clock),
//! staff take the dispute up anyway (`under_review`); if the deadline moved
//! later (staff asked again), the row queues itself for the new one.

use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;
use serde_json::json;
use souk_db::enums::DisputeStatus;
use uuid::Uuid;

use super::{for_update, lifecycle::DisputeActor, move_status, record};
use crate::{
    Core,
    error::Result,
    outbox::{self, OutboxMessage},
};

/// Queues the deadline check of a dispute at `due`.
pub async fn schedule(
    conn: &impl ConnectionTrait,
    dispute: Uuid,
    due: DateTime<Utc>,
) -> Result<()> {
    outbox::enqueue_at(conn, &OutboxMessage::DisputeDeadline { dispute }, due).await
}

/// The due row.
pub async fn on_due(core: &Core, id: Uuid) -> Result<()> {
    let txn = core.db.begin_write().await?.without_account_changes();
    let Ok(dispute) = for_update(core, &*txn, id).await else {
        return Ok(());
    };
    let waiting = matches!(
        dispute.status,
        DisputeStatus::Open | DisputeStatus::AwaitingResponse
    );
    if !waiting {
        return Ok(());
    }
    let now = core.clock.now();
    if now < dispute.response_due_at {
        schedule(&*txn, id, dispute.response_due_at).await?;
    } else {
        move_status(
            &*txn,
            &dispute,
            DisputeStatus::UnderReview,
            DisputeActor::System,
            now,
        )
        .await?;
        record(
            &*txn,
            id,
            None,
            "response_overdue",
            None,
            json!({ "responseDueAt": dispute.response_due_at }),
            now,
        )
        .await?;
        crate::admin::activity::record(
            &*txn,
            None,
            "dispute.response_overdue",
            "dispute",
            Some(id.to_string()),
            json!({ "responseDueAt": dispute.response_due_at }),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(())
}
