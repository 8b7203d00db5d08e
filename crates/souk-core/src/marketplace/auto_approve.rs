//! The scheduler that approves submitted work nobody answered: N days
//! (settings, default 7) after the craftsman submits, Souk completes the job
//! itself, which releases the escrow like a client's approval would.

use std::time::Duration;

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, sea_query::Expr};
use souk_db::entities::jobs;
use tokio::sync::watch;
use uuid::Uuid;

use super::{
    JobStatus,
    jobs::load_for_update,
    transitions::{Move, apply_transition},
};
use crate::{Core, error::Result, money::settings, store::contracts::job_for_transition, time};

/// How often the scheduler looks.
const PERIOD: Duration = Duration::from_secs(60);
/// Jobs approved per pass at most.
const BATCH: u64 = 100;

/// Runs until `shutdown` turns true.
pub async fn run(core: Core, mut shutdown: watch::Receiver<bool>) {
    loop {
        if *shutdown.borrow() {
            return;
        }
        match approve_due(&core).await {
            Ok(n) if n > 0 => tracing::info!(jobs = n, "work approved automatically"),
            Ok(_) => {}
            Err(err) => tracing::error!(error = %err, "automatic approval failed"),
        }
        tokio::select! {
            _ = tokio::time::sleep(PERIOD) => {}
            _ = shutdown.changed() => {}
        }
    }
}

/// Approves every job whose work was submitted long enough ago; returns how
/// many. Safe on many nodes at once: each job is re-checked under its lock.
///
/// A job's `submitted_at` stays when it leaves `work_submitted` (so that
/// status change stays a HOT update); once due, it is cleared here for jobs
/// that moved on, which keeps its index to the last N days' submissions.
pub async fn approve_due(core: &Core) -> Result<usize> {
    let days = settings::load(core.db.conn(), &core.settings)
        .await?
        .auto_approve_days;
    let cutoff = time::now() - chrono::Duration::days(days);
    let moved_on = core.db.begin_write().await?.without_account_changes();
    jobs::Entity::update_many()
        .col_expr(
            jobs::Column::SubmittedAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .filter(jobs::Column::SubmittedAt.lte(cutoff))
        .filter(jobs::Column::Status.ne(JobStatus::WorkSubmitted.as_str()))
        .exec(&*moved_on)
        .await?;
    moved_on.commit().await?;
    let due: Vec<Uuid> = jobs::Entity::find()
        .select_only()
        .column(jobs::Column::Id)
        .filter(jobs::Column::SubmittedAt.lte(cutoff))
        .filter(jobs::Column::Status.eq(JobStatus::WorkSubmitted.as_str()))
        .order_by_asc(jobs::Column::SubmittedAt)
        .limit(BATCH)
        .into_tuple()
        .all(core.db.conn())
        .await?;
    let mut approved = 0;
    for id in due {
        let txn = core.db.begin_write().await?;
        // The contract first, then the job, as every move of money locks
        // them; the job's lock holds its submission still while it is checked.
        let (_, contract) = job_for_transition(&*txn, id, true).await?;
        let job = load_for_update(core, &*txn, id).await?;
        let still_due = job.status == JobStatus::WorkSubmitted
            && job.submitted_at.is_some_and(|at| at <= cutoff);
        if still_due {
            let reason = format!("approved automatically after {days} days");
            let request = Move {
                contract,
                reason: Some(reason),
                ..Move::system(&job, JobStatus::Completed)
            };
            apply_transition(core, &*txn, request).await?;
            txn.commit().await?;
            approved += 1;
        }
    }
    if approved > 0 {
        core.outbox_wakeup.notify_one();
    }
    Ok(approved)
}
