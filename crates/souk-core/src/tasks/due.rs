//! A task's timed work, as outbox rows due at a time: the task expires at
//! its completion date (`post::on_expiry`), and each submission nobody
//! decided is approved automatically after `taskAutoApproveDays`
//! (`decide::auto_approve`). Each re-checks when it comes due (a task ended
//! or moved, a submission decided meanwhile).

use crate::{
    error::Result,
    outbox::{self, OutboxMessage},
    time,
};
use chrono::Duration;
use souk_db::{
    entities::{task_submissions, tasks},
    gated::GatedWrite,
};

/// The outbox row of a task's expiry (at its completion date).
pub fn expiry(task: &tasks::Model) -> Result<GatedWrite> {
    outbox::due(
        &OutboxMessage::ExpireTask { task: task.id },
        task.completion_date,
    )
}

/// The outbox row of a submission's automatic approval.
pub fn auto_approval(submission: &task_submissions::Model, days: i64) -> Result<GatedWrite> {
    outbox::due(
        &OutboxMessage::AutoApproveSubmission {
            submission: submission.id,
        },
        time::later(submission.created_at, Duration::days(days)),
    )
}
