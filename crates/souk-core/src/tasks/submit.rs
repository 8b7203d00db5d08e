//! Submitting proof for a task: craftsmen, once per task, never on their
//! own, only while the task is open and a slot is free. The slot is taken
//! by a guarded update of the task's counters (approved + pending <
//! required) that leads the insert, so under any race a task never has
//! more live submissions than slots; the worker's second submission is the
//! unique index's to refuse.

use serde_json::json;
use souk_db::{
    entities::{task_submissions, tasks},
    enums::{SubmissionStatus, TaskStatus},
    gated::{self, GatedWrite},
};
use uuid::Uuid;

use super::{due, read};
use crate::{
    Core,
    accounts::{Authenticated, Role, validate::required_text},
    error::{Error, ErrorCode, FieldErrors, FieldIssue, Result, is_unique_violation},
    integrators::events::{self, DomainEvent, EventType},
    notifications::{self, Event, TaskEvent},
    time,
};

/// Most attachments one submission carries.
pub const MAX_ATTACHMENTS: usize = 10;

/// A submission as sent.
#[derive(Debug, Clone, Default)]
pub struct SubmissionInput {
    pub details: Option<String>,
    /// Links or uploaded files' URLs.
    pub attachments: Vec<String>,
}

/// `POST /api/tasks/:id/submissions`.
pub async fn submit(
    core: &Core,
    caller: &Authenticated,
    task_id: Uuid,
    input: SubmissionInput,
) -> Result<task_submissions::Model> {
    if caller.role != Role::Craftsman {
        return Err(ErrorCode::CraftsmenOnly.into());
    }
    let mut errors = FieldErrors::new();
    let details = required_text(&mut errors, "details", input.details.as_deref(), 5000);
    if input.attachments.len() > MAX_ATTACHMENTS {
        errors.add("attachments", FieldIssue::TooLong(MAX_ATTACHMENTS));
    }
    for (i, a) in input.attachments.iter().enumerate() {
        if a.trim().is_empty() || a.chars().count() > 500 {
            errors.add(format!("attachments[{i}]"), FieldIssue::Invalid);
        }
    }
    errors.into_result()?;
    let task = read::load(core.db.conn(), task_id).await?;
    if task.buyer_id == caller.user.id {
        return Err(ErrorCode::OwnTask.into());
    }
    let now = time::now();
    let days = i64::from(task.auto_approve_days);
    let submission = task_submissions::Model {
        id: Uuid::now_v7(),
        task_id,
        worker_id: caller.user.id,
        buyer_id: task.buyer_id,
        details,
        attachments: serde_json::to_string(&input.attachments).map_err(anyhow::Error::from)?,
        status: SubmissionStatus::Pending,
        reason: None,
        appeal_note: None,
        appealed_at: None,
        decided_at: None,
        decided_by: None,
        paid: 0,
        created_at: now,
        updated_at: now,
    };
    let slot = GatedWrite::new(
        "UPDATE tasks SET pending_count = pending_count + 1, updated_at = $1 \
         WHERE id = $2 AND status = $3 AND completion_date > $4 \
         AND approved_count + pending_count < required_workers AND {gate}",
        vec![
            now.into(),
            task_id.into(),
            TaskStatus::Open.as_str().into(),
            core.clock.now().into(),
        ],
    );
    let mut then = vec![insert(&submission)];
    then.extend(notifications::writes(
        task.buyer_id,
        &Event::Task(TaskEvent::SubmissionReceived {
            task: task.id,
            title: task.title.clone(),
            submission: submission.id,
        }),
    )?);
    then.push(due::auto_approval(&submission, days)?);
    then.push(events::write(&created(&submission)));
    let write = core.db.begin_checked().await?.without_account_changes();
    let taken = match gated::run(&write.conn(), slot, then).await {
        Ok(n) => n,
        Err(err) if is_unique_violation(&err) => {
            return Err(ErrorCode::AlreadySubmitted.into());
        }
        Err(err) => return Err(err.into()),
    };
    if taken == 0 {
        drop(write);
        let now = read::load(core.db.conn(), task_id).await?;
        return Err(refused(&now, core));
    }
    write.commit().await?;
    core.outbox_wakeup.notify_one();
    Ok(submission)
}

/// Why a task took no submission.
fn refused(task: &tasks::Model, core: &Core) -> Error {
    if task.status != TaskStatus::Open || task.completion_date <= core.clock.now() {
        Error::with_details(
            ErrorCode::TaskClosed,
            json!({ "status": task.status.as_str() }),
        )
    } else {
        Error::with_details(
            ErrorCode::TaskFull,
            json!({ "requiredWorkers": task.required_workers }),
        )
    }
}

fn insert(s: &task_submissions::Model) -> GatedWrite {
    GatedWrite::new(
        "INSERT INTO task_submissions (id, task_id, worker_id, buyer_id, details, attachments, \
         status, reason, appeal_note, appealed_at, decided_at, decided_by, paid, created_at, \
         updated_at) SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15 \
         WHERE {gate}",
        vec![
            s.id.into(),
            s.task_id.into(),
            s.worker_id.into(),
            s.buyer_id.into(),
            s.details.clone().into(),
            s.attachments.clone().into(),
            s.status.as_str().into(),
            s.reason.clone().into(),
            s.appeal_note.clone().into(),
            s.appealed_at.into(),
            s.decided_at.into(),
            s.decided_by.into(),
            s.paid.into(),
            s.created_at.into(),
            s.updated_at.into(),
        ],
    )
}

/// The `task.submission_created` event (the proof itself — details and
/// attachments — stays with the buyer).
fn created(s: &task_submissions::Model) -> DomainEvent {
    DomainEvent::new(
        EventType::TaskSubmissionCreated,
        Some(s.worker_id),
        "task_submission",
        s.id,
        json!({
            "taskId": s.task_id,
            "workerId": s.worker_id,
            "buyerId": s.buyer_id,
            "status": s.status.as_str(),
            "attachmentCount": serde_json::from_str::<Vec<String>>(&s.attachments).map_or(0, |a| a.len()),
        }),
    )
}
