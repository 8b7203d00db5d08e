//! One endpoint's pump: fans newly numbered feed events out into
//! deliveries, then POSTs the due ones — in sequence order, a resource's
//! later events waiting behind an earlier one that is still being retried —
//! signing each, logging each attempt, retrying on about 5 s, 5 min, 30 min,
//! 2 h, 5 h, 10 h, 10 h, and disabling an endpoint that has failed for 5
//! days (admins are emailed). A lease on the endpoint row keeps one pump per
//! endpoint across nodes.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
    sea_query::{Expr, ExprTrait},
};
use souk_db::{
    entities::{events, users, webhook_attempts, webhook_deliveries, webhook_endpoints},
    enums::WebhookDeliveryStatus,
};
use souk_integrations::webhook_http::{self, WebhookPost};
use uuid::Uuid;

use super::{endpoints, sign};
use crate::{
    Core,
    error::Result,
    integrators::feed::{self, FeedQuery, MAX_READ},
    outbox::{self, OutboxMessage},
    time,
};

/// Waits after the 1st … 7th failed attempt; the 8th failure is final.
const RETRY_AFTER_SECS: [i64; 7] = [5, 300, 1_800, 7_200, 18_000, 36_000, 36_000];

/// An endpoint failing this long is switched off.
const DISABLE_AFTER_DAYS: i64 = 5;

const LEASE_SECS: i64 = 300;

/// Endpoints with work to do now: feed events not yet fanned out, or
/// deliveries due.
pub async fn endpoints_with_work(core: &Core) -> Result<Vec<Uuid>> {
    let now = core.clock.now();
    let rows = core
        .db
        .conn()
        .query_all_raw(souk_db::sql_text::statement(
            core.db.conn(),
            "SELECT e.id AS id FROM webhook_endpoints e WHERE e.active = $1 AND \
             (e.lease_until IS NULL OR e.lease_until < $2) AND \
             (e.cursor < (SELECT last FROM event_counter WHERE id = 1) OR EXISTS \
             (SELECT 1 FROM webhook_deliveries d WHERE d.endpoint_id = e.id AND \
             d.status = 'pending' AND d.next_at <= $3))",
            [true.into(), now.into(), now.into()],
        ))
        .await?;
    Ok(rows
        .iter()
        .filter_map(|row| row.try_get::<Uuid>("", "id").ok())
        .collect())
}

/// Runs one endpoint's pump to the end of its due work (no-op when another
/// node holds its lease).
///
/// A run stops sending once half its lease has passed (each POST takes at
/// most 15 s), so it never outlives the lease another node would then take;
/// the next dispatcher pass carries on. It releases only its own lease.
pub async fn run(core: &Core, endpoint: Uuid) -> Result<()> {
    let now = core.clock.now();
    let Some(ours) = lease(core, endpoint, now).await? else {
        return Ok(());
    };
    let stop_sending =
        std::time::Instant::now() + std::time::Duration::from_secs(LEASE_SECS.unsigned_abs() / 2);
    let outcome = pump(core, endpoint, stop_sending).await;
    let txn = core.db.begin_write().await?.without_account_changes();
    webhook_endpoints::Entity::update_many()
        .col_expr(
            webhook_endpoints::Column::LeaseUntil,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(webhook_endpoints::Column::Id.eq(endpoint))
        .filter(webhook_endpoints::Column::LeaseUntil.eq(ours))
        .exec(&*txn)
        .await?;
    txn.commit().await?;
    outcome
}

/// Takes the endpoint's lease; returns its end, the pump's proof of holding it.
async fn lease(core: &Core, endpoint: Uuid, now: DateTime<Utc>) -> Result<Option<DateTime<Utc>>> {
    let until = now + chrono::Duration::seconds(LEASE_SECS);
    let txn = core.db.begin_write().await?.without_account_changes();
    let taken = webhook_endpoints::Entity::update_many()
        .col_expr(webhook_endpoints::Column::LeaseUntil, Expr::value(until))
        .filter(webhook_endpoints::Column::Id.eq(endpoint))
        .filter(webhook_endpoints::Column::Active.eq(true))
        .filter(
            webhook_endpoints::Column::LeaseUntil
                .is_null()
                .or(webhook_endpoints::Column::LeaseUntil.lt(now)),
        )
        .exec(&*txn)
        .await?;
    txn.commit().await?;
    Ok((taken.rows_affected == 1).then_some(until))
}

async fn pump(core: &Core, endpoint_id: Uuid, stop_sending: std::time::Instant) -> Result<()> {
    loop {
        if fan_out(core, endpoint_id).await? < MAX_READ {
            break;
        }
    }
    let Some(endpoint) = webhook_endpoints::Entity::find_by_id(endpoint_id)
        .one(core.db.conn())
        .await?
    else {
        return Ok(());
    };
    let secret = endpoints::secret_of(core, &endpoint)?;
    let policy = endpoints::policy(core);
    let pending = webhook_deliveries::Entity::find()
        .filter(webhook_deliveries::Column::EndpointId.eq(endpoint_id))
        .filter(webhook_deliveries::Column::Status.eq(WebhookDeliveryStatus::Pending))
        .order_by_asc(webhook_deliveries::Column::Sequence)
        .order_by_asc(webhook_deliveries::Column::CreatedAt)
        .limit(500)
        .all(core.db.conn())
        .await?;
    let events_by_id = load_events(core, &pending).await?;
    let mut blocked = HashSet::new();
    for delivery in pending {
        if std::time::Instant::now() >= stop_sending {
            break; // the next pass goes on, under a fresh lease
        }
        let now = core.clock.now();
        if blocked.contains(&delivery.resource) {
            continue;
        }
        if delivery.next_at > now {
            blocked.insert(delivery.resource.clone());
            continue;
        }
        let Some(event) = events_by_id.get(&delivery.event_id) else {
            // The event passed the feed's retention: nothing left to send.
            finish(core, &delivery, Finish::Dead("event no longer kept".into())).await?;
            continue;
        };
        let body = feed::view(event).to_string();
        let timestamp = time::now().timestamp();
        let post = WebhookPost {
            url: endpoint.url.clone(),
            body: body.clone(),
            headers: vec![
                (
                    "Souk-Signature".into(),
                    sign::header(&secret, timestamp, &body),
                ),
                ("Souk-Event-Id".into(), event.id.to_string()),
                (
                    "Souk-Sequence".into(),
                    event.sequence.unwrap_or_default().to_string(),
                ),
            ],
        };
        let result = webhook_http::post(&post, &policy).await;
        let ok = result.status.is_some_and(|s| (200..300).contains(&s));
        log_attempt(core, &delivery, &result).await?;
        if ok {
            finish(core, &delivery, Finish::Delivered).await?;
            continue;
        }
        blocked.insert(delivery.resource.clone());
        let attempts = delivery.attempts.saturating_add(1);
        let wait = usize::try_from(attempts - 1)
            .ok()
            .and_then(|i| RETRY_AFTER_SECS.get(i));
        match wait {
            Some(secs) => {
                finish(
                    core,
                    &delivery,
                    Finish::Retry(now + chrono::Duration::seconds(*secs)),
                )
                .await?
            }
            None => finish(core, &delivery, Finish::Dead(describe(&result))).await?,
        }
        if failing(core, &endpoint, now).await? {
            return Ok(()); // switched off
        }
    }
    Ok(())
}

fn describe(result: &webhook_http::WebhookResult) -> String {
    match (&result.error, result.status) {
        (Some(error), _) => error.clone(),
        (None, Some(status)) => format!("HTTP {status}"),
        (None, None) => "no response".into(),
    }
}

async fn load_events(
    core: &Core,
    pending: &[webhook_deliveries::Model],
) -> Result<HashMap<Uuid, events::Model>> {
    if pending.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(events::Entity::find()
        .filter(events::Column::Id.is_in(pending.iter().map(|d| d.event_id).collect::<Vec<_>>()))
        .all(core.db.conn())
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect())
}

/// Fans the next feed events after the endpoint's cursor out into
/// deliveries; returns how many events it read.
async fn fan_out(core: &Core, endpoint_id: Uuid) -> Result<u64> {
    let txn = core.db.begin_write().await?.without_account_changes();
    let Some(endpoint) = webhook_endpoints::Entity::find_by_id(endpoint_id)
        .one(&*txn)
        .await?
    else {
        return Ok(0);
    };
    let batch = feed::after(
        &*txn,
        &FeedQuery {
            after: endpoint.cursor,
            types: Vec::new(),
            limit: MAX_READ,
        },
    )
    .await?;
    let read = u64::try_from(batch.len()).unwrap_or(0);
    let Some(last) = batch.last().and_then(|e| e.sequence) else {
        return Ok(0);
    };
    let wanted = endpoints::event_filter(&endpoint);
    let now = core.clock.now();
    insert_deliveries(&*txn, endpoint_id, &batch, wanted.as_deref(), now).await?;
    webhook_endpoints::Entity::update_many()
        .col_expr(webhook_endpoints::Column::Cursor, Expr::value(last))
        .filter(webhook_endpoints::Column::Id.eq(endpoint_id))
        .exec(&*txn)
        .await?;
    txn.commit().await?;
    Ok(read)
}

async fn insert_deliveries(
    conn: &impl ConnectionTrait,
    endpoint: Uuid,
    batch: &[events::Model],
    wanted: Option<&[crate::integrators::events::EventType]>,
    now: DateTime<Utc>,
) -> Result<u64> {
    let rows: Vec<_> = batch
        .iter()
        .filter(|e| wanted.is_none_or(|w| w.iter().any(|t| t.as_str() == e.kind)))
        .map(|e| webhook_deliveries::ActiveModel {
            id: Set(Uuid::now_v7()),
            endpoint_id: Set(endpoint),
            event_id: Set(e.id),
            sequence: Set(e.sequence.unwrap_or_default()),
            resource: Set(format!("{}:{}", e.resource_type, e.resource_id)),
            status: Set(WebhookDeliveryStatus::Pending),
            attempts: Set(0),
            next_at: Set(now),
            last_status: Set(None),
            last_latency_ms: Set(None),
            last_response: Set(None),
            last_error: Set(None),
            created_at: Set(time::now()),
            delivered_at: Set(None),
        })
        .collect();
    let count = u64::try_from(rows.len()).unwrap_or(0);
    for chunk in rows.chunks(200) {
        webhook_deliveries::Entity::insert_many(chunk.to_vec())
            .exec(conn)
            .await?;
    }
    Ok(count)
}

/// Queues events after `after` (up to what the endpoint has already been
/// fanned) for delivery again; returns how many.
pub async fn replay(core: &Core, endpoint_id: Uuid, after: i64) -> Result<u64> {
    let endpoint = endpoints::get(core, endpoint_id).await?;
    let wanted = endpoints::event_filter(&endpoint);
    let mut from = after;
    let mut total = 0;
    while from < endpoint.cursor {
        let txn = core.db.begin_write().await?.without_account_changes();
        let batch: Vec<_> = feed::after(
            &*txn,
            &FeedQuery {
                after: from,
                types: Vec::new(),
                limit: MAX_READ,
            },
        )
        .await?
        .into_iter()
        .filter(|e| e.sequence.is_some_and(|s| s <= endpoint.cursor))
        .collect();
        let Some(last) = batch.last().and_then(|e| e.sequence) else {
            break;
        };
        total += insert_deliveries(
            &*txn,
            endpoint_id,
            &batch,
            wanted.as_deref(),
            core.clock.now(),
        )
        .await?;
        txn.commit().await?;
        from = last;
    }
    Ok(total)
}

enum Finish {
    Delivered,
    Retry(DateTime<Utc>),
    Dead(String),
}

async fn finish(core: &Core, delivery: &webhook_deliveries::Model, how: Finish) -> Result<()> {
    let succeeded = matches!(how, Finish::Delivered);
    let mut row: webhook_deliveries::ActiveModel = delivery.clone().into();
    match how {
        Finish::Delivered => {
            row.status = Set(WebhookDeliveryStatus::Succeeded);
            row.delivered_at = Set(Some(time::now()));
            row.attempts = Set(delivery.attempts.saturating_add(1));
        }
        Finish::Retry(at) => {
            row.attempts = Set(delivery.attempts.saturating_add(1));
            row.next_at = Set(at);
        }
        Finish::Dead(reason) => {
            row.status = Set(WebhookDeliveryStatus::Dead);
            row.attempts = Set(delivery.attempts.saturating_add(1));
            row.last_error = Set(Some(reason));
        }
    }
    let txn = core.db.begin_write().await?.without_account_changes();
    row.update(&*txn).await?;
    if succeeded {
        webhook_endpoints::Entity::update_many()
            .col_expr(
                webhook_endpoints::Column::FailingSince,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .filter(webhook_endpoints::Column::Id.eq(delivery.endpoint_id))
            .exec(&*txn)
            .await?;
    }
    txn.commit().await?;
    Ok(())
}

async fn log_attempt(
    core: &Core,
    delivery: &webhook_deliveries::Model,
    result: &webhook_http::WebhookResult,
) -> Result<()> {
    let status = result.status.map(i32::from);
    let txn = core.db.begin_write().await?.without_account_changes();
    webhook_attempts::ActiveModel {
        id: Set(Uuid::now_v7()),
        delivery_id: Set(delivery.id),
        endpoint_id: Set(delivery.endpoint_id),
        event_id: Set(delivery.event_id),
        attempted_at: Set(time::now()),
        status_code: Set(status),
        latency_ms: Set(result.latency_ms),
        response_excerpt: Set(result.excerpt.clone()),
        error: Set(result.error.clone()),
    }
    .insert(&*txn)
    .await?;
    webhook_deliveries::Entity::update_many()
        .col_expr(webhook_deliveries::Column::LastStatus, Expr::value(status))
        .col_expr(
            webhook_deliveries::Column::LastLatencyMs,
            Expr::value(result.latency_ms),
        )
        .col_expr(
            webhook_deliveries::Column::LastResponse,
            Expr::value(result.excerpt.clone()),
        )
        .col_expr(
            webhook_deliveries::Column::LastError,
            Expr::value(result.error.clone()),
        )
        .filter(webhook_deliveries::Column::Id.eq(delivery.id))
        .exec(&*txn)
        .await?;
    txn.commit().await?;
    Ok(())
}

/// Records a failure on the endpoint; switches it off (and emails the
/// admins) once it has been failing for [`DISABLE_AFTER_DAYS`]. Returns
/// whether it was switched off.
async fn failing(
    core: &Core,
    endpoint: &webhook_endpoints::Model,
    now: DateTime<Utc>,
) -> Result<bool> {
    let current = webhook_endpoints::Entity::find_by_id(endpoint.id)
        .one(core.db.conn())
        .await?;
    let Some(current) = current else {
        return Ok(true);
    };
    let since = current.failing_since.unwrap_or(now);
    let disable = now - since >= chrono::Duration::days(DISABLE_AFTER_DAYS);
    let txn = core.db.begin_write().await?.without_account_changes();
    let mut update = webhook_endpoints::Entity::update_many()
        .col_expr(webhook_endpoints::Column::FailingSince, Expr::value(since))
        .filter(webhook_endpoints::Column::Id.eq(endpoint.id));
    if disable {
        update = update
            .col_expr(webhook_endpoints::Column::Active, Expr::value(false))
            .col_expr(
                webhook_endpoints::Column::DisabledReason,
                Expr::value(format!(
                    "failing since {} ({DISABLE_AFTER_DAYS} days)",
                    since.to_rfc3339()
                )),
            );
    }
    update.exec(&*txn).await?;
    if disable {
        let admins = users::Entity::find()
            .filter(users::Column::Role.eq("admin"))
            .filter(users::Column::DeletedAt.is_null())
            .all(&*txn)
            .await?;
        let mails: Vec<_> = admins
            .into_iter()
            .map(|admin| OutboxMessage::Mail {
                to: admin.email,
                subject: "A Souk webhook endpoint was disabled".into(),
                text: format!(
                    "The webhook endpoint {} has failed every delivery since {} and was \
                     disabled. Fix it, then turn it back on and replay what it missed:\n\n{}/admin/webhooks/{}\n",
                    endpoint.url,
                    since.to_rfc3339(),
                    core.settings.public_url,
                    endpoint.id
                ),
            })
            .collect();
        outbox::enqueue_all(&*txn, &mails).await?;
    }
    txn.commit().await?;
    Ok(disable)
}
