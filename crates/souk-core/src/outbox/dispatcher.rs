//! Delivers outbox rows after commit: claims due rows (`store::outbox::claim`;
//! `FOR UPDATE SKIP LOCKED` on PostgreSQL so several nodes share the work),
//! runs each, and retries failures with exponential backoff. Delivered mail
//! has its payload blanked, since it may hold a one-time secret.

use std::time::Duration;

use chrono::Utc;
use futures::StreamExt;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, sea_query::Expr};
use souk_db::entities::outbox;
use souk_integrations::mail::OutgoingMail;
use tokio::sync::watch;

use super::OutboxMessage;
use crate::{
    Core,
    error::Result,
    store::outbox::{self as store, Claimed},
    time,
};

const MAX_ATTEMPTS: i32 = 10;
const LEASE: Duration = Duration::from_secs(120);
const IDLE_POLL: Duration = Duration::from_secs(2);
/// Channel sends in flight at once in one batch.
const SEND_CONCURRENCY: usize = 16;

/// Runs until `shutdown` turns true.
pub async fn run(core: Core, mut shutdown: watch::Receiver<bool>) {
    loop {
        if *shutdown.borrow() {
            return;
        }
        match deliver_due(&core).await {
            Ok(n) if n > 0 => continue,
            Ok(_) => {}
            Err(err) => tracing::error!(error = %err, "outbox dispatch failed"),
        }
        tokio::select! {
            _ = core.outbox_wakeup.notified() => {}
            _ = tokio::time::sleep(IDLE_POLL) => {}
            _ = shutdown.changed() => {}
        }
    }
}

/// Claims and delivers one batch of due rows; returns how many were claimed.
///
/// Realtime rows (events, session ends: in-memory work) go first, in the
/// batch's order, and are marked delivered before the slower rows (mail,
/// notifications, reminders) start, so a chat's events never wait behind an
/// SMTP server. Channel sends (`Deliver`) go last, several at a time. Each
/// group's successes are one write; failures one by one.
pub async fn deliver_due(core: &Core) -> Result<usize> {
    feeds(core).await;
    let rows = claim(core).await?;
    let count = rows.len();
    let mut fast = Vec::with_capacity(count);
    let mut slow = Vec::new();
    let mut sends = Vec::new();
    let mut failures = Vec::new();
    for row in rows {
        match serde_json::from_str::<OutboxMessage>(&row.payload) {
            Ok(message) if message.is_realtime() => fast.push((row, message)),
            Ok(message @ OutboxMessage::Deliver { .. }) => sends.push((row, message)),
            Ok(message) => slow.push((row, message)),
            Err(err) => failures.push((row, anyhow::anyhow!("undecodable outbox payload: {err}"))),
        }
    }
    for group in [fast, slow] {
        let mut delivered = Vec::with_capacity(group.len());
        for (row, message) in group {
            match deliver(core, &message).await {
                Ok(()) => delivered.push(row.id),
                Err(err) => failures.push((row, err)),
            }
        }
        mark_delivered(core, delivered).await?;
    }
    // Channel sends (one push, one email) are independent of each other and
    // mostly wait on the network: several at a time.
    let outcomes: Vec<_> = futures::stream::iter(sends)
        .map(|(row, message)| async move {
            let outcome = deliver(core, &message).await;
            (row, outcome)
        })
        .buffer_unordered(SEND_CONCURRENCY)
        .collect()
        .await;
    let mut delivered = Vec::with_capacity(outcomes.len());
    for (row, outcome) in outcomes {
        match outcome {
            Ok(()) => delivered.push(row.id),
            Err(err) => failures.push((row, err)),
        }
    }
    mark_delivered(core, delivered).await?;
    for (row, err) in failures {
        finish(core, &row, Err(err)).await?;
    }
    Ok(count)
}

/// Numbers newly committed feed events and starts the pump of each webhook
/// endpoint with work (in the background: a slow endpoint never holds up
/// notifications). Failures are logged; the next pass tries again.
async fn feeds(core: &Core) {
    if let Err(err) = crate::ai::log::sweep(core).await {
        tracing::error!(error = %err, "AI retention sweep failed");
    }
    if let Err(err) = crate::integrators::feed::sequence(core).await {
        tracing::error!(error = %err, "event sequencing failed");
    }
    match crate::integrators::webhooks::pump::endpoints_with_work(core).await {
        Ok(endpoints) => {
            for endpoint in endpoints {
                let core = core.clone();
                tokio::spawn(async move {
                    if let Err(err) = crate::integrators::webhooks::pump::run(&core, endpoint).await
                    {
                        tracing::error!(%endpoint, error = %err, "webhook pump failed");
                    }
                });
            }
        }
        Err(err) => tracing::error!(error = %err, "webhook scan failed"),
    }
}

/// Marks rows delivered, in one write.
async fn mark_delivered(core: &Core, ids: Vec<i64>) -> Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let txn = core.db.begin_write().await?.without_account_changes();
    outbox::Entity::update_many()
        .col_expr(outbox::Column::ProcessedAt, Expr::value(time::now()))
        .col_expr(
            outbox::Column::LockedUntil,
            Expr::value(Option::<chrono::DateTime<Utc>>::None),
        )
        .col_expr(outbox::Column::Payload, Expr::value("{}"))
        .filter(outbox::Column::Id.is_in(ids))
        .exec(&*txn)
        .await?;
    txn.commit().await?;
    Ok(())
}

async fn claim(core: &Core) -> Result<Vec<Claimed>> {
    let now = core.clock.now();
    let lease_end = now + chrono::Duration::from_std(LEASE).unwrap_or_default();
    let txn = core.db.begin_write().await?.without_account_changes();
    let rows = store::claim(&*txn, now, lease_end).await?;
    txn.commit().await?;
    Ok(rows)
}

async fn deliver(core: &Core, message: &OutboxMessage) -> anyhow::Result<()> {
    match message {
        OutboxMessage::Mail { to, subject, text } => {
            core.mailer
                .send(&OutgoingMail {
                    to: to.clone(),
                    subject: subject.clone(),
                    text_body: text.clone(),
                    html_body: None,
                    headers: Vec::new(),
                })
                .await
        }
        OutboxMessage::Notification { id } => crate::delivery::route::route(core, *id).await,
        OutboxMessage::Deliver { delivery } => {
            crate::delivery::send::deliver(core, *delivery).await
        }
        OutboxMessage::Announce {
            announcement,
            after,
        } => crate::delivery::announce::fan_out(core, *announcement, *after).await,
        OutboxMessage::FeeReminder { user } => crate::money::fees::remind(core, *user)
            .await
            .map_err(|err| anyhow::anyhow!("fee reminder: {err}")),
        OutboxMessage::RevealReviews { contract } => {
            crate::reviews::reveal::on_due(core, *contract)
                .await
                .map_err(|err| anyhow::anyhow!("review reveal: {err}"))
        }
        OutboxMessage::DisputeDeadline { dispute } => {
            crate::disputes::deadline::on_due(core, *dispute)
                .await
                .map_err(|err| anyhow::anyhow!("dispute deadline: {err}"))
        }
        OutboxMessage::PurgeVerification { verification } => {
            crate::verification::documents::purge(core, *verification)
                .await
                .map_err(|err| anyhow::anyhow!("verification purge: {err}"))
        }
        OutboxMessage::ExpireTask { task } => crate::tasks::post::on_expiry(core, *task)
            .await
            .map_err(|err| anyhow::anyhow!("task expiry: {err}")),
        OutboxMessage::AutoApproveSubmission { submission } => {
            crate::tasks::decide::auto_approve(core, *submission)
                .await
                .map_err(|err| anyhow::anyhow!("automatic approval: {err}"))
        }
        OutboxMessage::ExpireBooking { booking } => crate::bookings::due::on_expiry(core, *booking)
            .await
            .map_err(|err| anyhow::anyhow!("booking expiry: {err}")),
        OutboxMessage::BookingReminder {
            booking,
            start,
            hours,
        } => crate::bookings::due::on_reminder(core, *booking, *start, *hours)
            .await
            .map_err(|err| anyhow::anyhow!("booking reminder: {err}")),
        OutboxMessage::Realtime(event) => core.realtime.emit(event).await,
        OutboxMessage::EndSession { user, session } => {
            core.realtime.end_session(*user, *session).await
        }
    }
}

/// What giving up on a row means beyond the row: a delivery joins the
/// dead-letter list.
async fn give_up(core: &Core, row: &Claimed, err: &anyhow::Error) {
    if let Ok(OutboxMessage::Deliver { delivery }) = serde_json::from_str(&row.payload)
        && let Err(e) = crate::delivery::send::give_up(core, delivery, &err.to_string()).await
    {
        tracing::error!(%delivery, error = %e, "could not dead-letter a delivery");
    }
}

async fn finish(core: &Core, row: &Claimed, outcome: anyhow::Result<()>) -> Result<()> {
    let now = time::now();
    let update = outbox::Entity::update_many().filter(outbox::Column::Id.eq(row.id));
    let update = match outcome {
        Ok(()) => update
            .col_expr(outbox::Column::ProcessedAt, Expr::value(now))
            .col_expr(
                outbox::Column::LockedUntil,
                Expr::value(Option::<chrono::DateTime<Utc>>::None),
            )
            .col_expr(outbox::Column::Payload, Expr::value("{}")),
        Err(err) => {
            tracing::warn!(outbox.id = row.id, attempts = row.attempts, error = %err, "outbox delivery failed");
            let exponential =
                chrono::Duration::seconds(2i64.pow(row.attempts.clamp(0, 12).unsigned_abs()));
            // The other side's `Retry-After`, when it gave one (capped at a day).
            let backoff = err
                .downcast_ref::<super::RetryLater>()
                .and_then(|r| r.after)
                .map_or(exponential, |after| {
                    time::duration(after.min(Duration::from_secs(86_400)))
                });
            if row.attempts >= MAX_ATTEMPTS {
                give_up(core, row, &err).await;
            }
            let update = update
                .col_expr(outbox::Column::LastError, Expr::value(err.to_string()))
                .col_expr(
                    outbox::Column::LockedUntil,
                    Expr::value(Option::<chrono::DateTime<Utc>>::None),
                )
                .col_expr(outbox::Column::AvailableAt, Expr::value(now + backoff));
            if row.attempts >= MAX_ATTEMPTS {
                tracing::error!(
                    outbox.id = row.id,
                    "outbox row gave up after {MAX_ATTEMPTS} attempts"
                );
                update.col_expr(outbox::Column::ProcessedAt, Expr::value(now))
            } else {
                update
            }
        }
    };
    let txn = core.db.begin_write().await?.without_account_changes();
    update.exec(&*txn).await?;
    txn.commit().await?;
    Ok(())
}

/// Whether every due row has been handled (used by tests and shutdown).
pub async fn pending_count(conn: &impl ConnectionTrait) -> Result<u64> {
    use sea_orm::PaginatorTrait;
    Ok(outbox::Entity::find()
        .filter(outbox::Column::ProcessedAt.is_null())
        .count(conn)
        .await?)
}
