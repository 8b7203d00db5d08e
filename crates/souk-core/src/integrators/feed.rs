//! The event feed: numbering committed events, and reading them in order.
//!
//! PostgreSQL hands out sequence values at insert time but transactions
//! commit in any order, so a reader that saw 42 could later find 41 appear.
//! Events are therefore written without a number, and one sequencer at a
//! time (the `event_counter` row is its lock) numbers the committed ones in
//! a single transaction of its own. Every pass's numbers are above every
//! earlier pass's and appear together at its commit, so a reader that has
//! read up to N never later finds an event ≤ N — and numbers have no gaps.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::{Value, json};
use souk_db::{entities::events, sql_text::statement};
use uuid::Uuid;

use super::events::EventType;
use crate::{Core, error::Result, time};

/// The most events one sequencer pass numbers.
const PASS: u64 = 5_000;

/// The most events one read returns.
pub const MAX_READ: u64 = 1_000;

/// Numbers the committed events that have no sequence yet; returns how
/// many it numbered (0 without writing when there were none). Old events
/// past the retention are dropped in the same pass.
pub async fn sequence(core: &Core) -> Result<u64> {
    let waiting = events::Entity::find()
        .select_only()
        .column(events::Column::Id)
        .filter(events::Column::Sequence.is_null())
        .limit(1)
        .into_tuple::<Uuid>()
        .one(core.db.conn())
        .await?;
    if waiting.is_none() {
        return Ok(0);
    }
    let mut numbered = 0;
    loop {
        let txn = core.db.begin_write().await?.without_account_changes();
        let lock = if core.db.backend() == sea_orm::DbBackend::Postgres {
            " FOR UPDATE"
        } else {
            ""
        };
        let last: i64 = txn
            .query_one_raw(statement(
                &*txn,
                format!("SELECT last FROM event_counter WHERE id = 1{lock}"),
                [],
            ))
            .await?
            .map(|row| row.try_get::<i64>("", "last"))
            .transpose()?
            .unwrap_or(0);
        let result = txn
            .execute_raw(statement(
                &*txn,
                format!(
                    "UPDATE events SET sequence = r.rn + $1 FROM (SELECT id, \
                     row_number() OVER (ORDER BY created_at, id) AS rn FROM events \
                     WHERE sequence IS NULL ORDER BY created_at, id LIMIT {PASS}) AS r \
                     WHERE events.id = r.id"
                ),
                [last.into()],
            ))
            .await?;
        let count = result.rows_affected();
        if count > 0 {
            txn.execute_raw(statement(
                &*txn,
                "UPDATE event_counter SET last = last + $1 WHERE id = 1",
                [i64::try_from(count).unwrap_or(i64::MAX).into()],
            ))
            .await?;
            let horizon = time::earlier(
                time::now(),
                time::duration(core.settings.delivery.event_retention),
            );
            txn.execute_raw(statement(
                &*txn,
                "DELETE FROM events WHERE created_at < $1 AND sequence IS NOT NULL",
                [horizon.into()],
            ))
            .await?;
        }
        txn.commit().await?;
        numbered += count;
        if count < PASS {
            return Ok(numbered);
        }
    }
}

/// What to read from the feed.
#[derive(Debug, Clone, Default)]
pub struct FeedQuery {
    /// Events after this sequence (0: from the oldest kept).
    pub after: i64,
    /// Only these types (empty: all).
    pub types: Vec<EventType>,
    /// At most this many (≤ [`MAX_READ`]).
    pub limit: u64,
}

/// Events after `query.after`, in sequence order, numbering any committed
/// ones first so that a reader is never behind what has been written.
pub async fn read(core: &Core, query: &FeedQuery) -> Result<Vec<events::Model>> {
    sequence(core).await?;
    after(core.db.conn(), query).await
}

/// Events already numbered after `query.after`, in order (no sequencing).
pub async fn after(conn: &impl ConnectionTrait, query: &FeedQuery) -> Result<Vec<events::Model>> {
    let mut select = events::Entity::find().filter(events::Column::Sequence.gt(query.after));
    if !query.types.is_empty() {
        select = select.filter(
            events::Column::Kind.is_in(query.types.iter().map(|t| t.as_str()).collect::<Vec<_>>()),
        );
    }
    Ok(select
        .order_by_asc(events::Column::Sequence)
        .limit(query.limit.clamp(1, MAX_READ))
        .all(conn)
        .await?)
}

/// An event as the feed and webhooks carry it.
pub fn view(event: &events::Model) -> Value {
    json!({
        "sequence": event.sequence,
        "id": event.id,
        "type": event.kind,
        "createdAt": event.created_at,
        "actor": event.actor_id.map(|id| json!({"type": "user", "id": id})),
        "resource": {"type": event.resource_type, "id": event.resource_id},
        "data": serde_json::from_str::<Value>(&event.data).unwrap_or(Value::Null),
        "previousValues": event
            .previous
            .as_deref()
            .and_then(|p| serde_json::from_str::<Value>(p).ok()),
    })
}
