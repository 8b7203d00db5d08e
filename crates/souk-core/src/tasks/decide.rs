//! Deciding submissions: the buyer (or staff) approves — the worker is paid
//! from the task's escrow in the same statement that marks it approved, so
//! racing approvals pay once — or rejects with a reason (the slot reopens;
//! on a task that has ended, its amount goes back to the buyer). A rejected
//! worker may appeal once within 7 days; the buyer decides, or staff once
//! the buyer has left it 3 days. An upheld appeal pays as an approval: from
//! a free slot's money when the task has one, else the buyer's wallet funds
//! it first. Undecided submissions are approved by the scheduler.

use chrono::Duration;
use sea_orm::ConnectionTrait;
use serde_json::json;
use souk_db::{
    entities::{task_submissions, tasks},
    enums::{SubmissionStatus, TaskStatus},
    gated::{self, GatedWrite},
};
use uuid::Uuid;

use super::{
    lifecycle::{self, Actor, Effect, Guard},
    money, post,
};
use crate::{
    Core,
    accounts::{Authenticated, validate::optional_text},
    error::{Error, ErrorCode, FieldErrors, FieldIssue, Result},
    integrators::events::{self, DomainEvent, EventType},
    lifecycle::Refusal,
    money::ledger::Lead,
    notifications::{self, Event, TaskEvent},
    store, time,
};

/// How long a rejected worker has to appeal.
pub const APPEAL_DAYS: i64 = 7;
/// How long the buyer has an appeal to themselves before staff may decide.
pub const BUYER_APPEAL_DAYS: i64 = 3;

/// The caller's part in a submission (`None`: not theirs to see).
pub fn actor_for(submission: &task_submissions::Model, caller: &Authenticated) -> Option<Actor> {
    if caller.user.id == submission.buyer_id {
        Some(Actor::Buyer)
    } else if caller.user.id == submission.worker_id {
        Some(Actor::Worker)
    } else if caller.role.is_staff() {
        Some(Actor::Staff)
    } else {
        None
    }
}

fn refusal(
    from: SubmissionStatus,
    to: SubmissionStatus,
    why: Refusal<SubmissionStatus, Guard>,
) -> Error {
    match why {
        Refusal::NotFromHere { allowed } => Error::with_details(
            ErrorCode::InvalidTransition,
            json!({
                "from": from.as_str(),
                "to": to.as_str(),
                "allowed": allowed.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
            }),
        ),
        Refusal::NotYours => Error::with_details(
            ErrorCode::Forbidden,
            json!({ "from": from.as_str(), "to": to.as_str() }),
        ),
        Refusal::Guard(_) => {
            let field = if to == SubmissionStatus::Appealed {
                "note"
            } else {
                "reason"
            };
            Error::Validation(FieldErrors::single(field, FieldIssue::Required))
        }
    }
}

/// A decision as asked for.
#[derive(Debug, Clone)]
pub struct Decision {
    pub submission: Uuid,
    pub to: SubmissionStatus,
    /// A rejection's reason, an appeal's note.
    pub reason: Option<String>,
}

/// Who decides: a person, or the scheduler.
#[derive(Debug, Clone, Copy)]
enum By<'a> {
    Person(&'a Authenticated),
    Scheduler,
}

/// `POST /api/submissions/:id/approve|reject|appeal` and the appeal's
/// decision: moves a submission where its caller asks, if the table lets
/// them.
pub async fn request(
    core: &Core,
    caller: &Authenticated,
    ask: Decision,
) -> Result<task_submissions::Model> {
    decide(core, By::Person(caller), ask).await
}

/// The scheduler's automatic approval of a submission still pending.
pub async fn auto_approve(core: &Core, id: Uuid) -> Result<()> {
    let ask = Decision {
        submission: id,
        to: SubmissionStatus::Approved,
        reason: None,
    };
    match decide(core, By::Scheduler, ask).await {
        Ok(_) => Ok(()),
        // Decided meanwhile: nothing to do.
        Err(err) if err.error_code() == ErrorCode::InvalidTransition => Ok(()),
        Err(err) => Err(err),
    }
}

async fn decide(core: &Core, by: By<'_>, ask: Decision) -> Result<task_submissions::Model> {
    let mut errors = FieldErrors::new();
    let reason = optional_text(&mut errors, "reason", ask.reason.as_deref(), 1000);
    errors.into_result()?;
    let (submission, unlocked_task) =
        store::tasks::submission_with_task(core.db.conn(), ask.submission).await?;
    let (actor, who) = match by {
        By::Scheduler => (Actor::System, None),
        By::Person(caller) => match actor_for(&submission, caller) {
            Some(actor) => (actor, Some(caller.user.id)),
            None => return Err(ErrorCode::SubmissionNotFound.into()),
        },
    };
    let (from, to) = (submission.status, ask.to);
    let transition = lifecycle::decide(from, to, actor, reason.is_some())
        .map_err(|why| refusal(from, to, why))?;
    let now = core.clock.now();
    if to == SubmissionStatus::Appealed {
        let decided = submission.decided_at.unwrap_or(submission.updated_at);
        if now > decided + Duration::days(APPEAL_DAYS) {
            return Err(ErrorCode::AppealWindowClosed.into());
        }
    }
    if from == SubmissionStatus::Appealed && actor == Actor::Staff {
        let appealed = submission.appealed_at.unwrap_or(submission.updated_at);
        if now < appealed + Duration::days(BUYER_APPEAL_DAYS) {
            return Err(ErrorCode::AppealWithBuyer.into());
        }
    }
    // Approving a pending submission is one statement on PostgreSQL (the
    // guarded mark leads the payment, the counters and the notice; the
    // task's price and commission never change, so its row need not be
    // locked). Everything else locks the task row in a transaction.
    let one_statement = transition.effect == Effect::Pay && from == SubmissionStatus::Pending;
    let write = core.db.begin_checked().await?.without_account_changes();
    let write = if one_statement {
        write
    } else {
        write.into_transaction().await?
    };
    let task = if write.is_transaction() {
        post::locked(core, &write.conn(), submission.task_id).await?
    } else {
        unlocked_task
    };
    let txn = write;
    let stamp = time::now();
    let mark = |paid: i64| {
        GatedWrite::new(
            "UPDATE task_submissions SET status = $1, reason = COALESCE($2, reason), \
             decided_at = $3, decided_by = $4, paid = $5, updated_at = $6 \
             WHERE id = $7 AND status = $8 AND {gate}",
            vec![
                to.as_str().into(),
                reason.clone().into(),
                stamp.into(),
                who.into(),
                paid.into(),
                stamp.into(),
                submission.id.into(),
                from.as_str().into(),
            ],
        )
    };
    let paid = if transition.effect == Effect::Pay {
        money::split(&task)?.0
    } else {
        0
    };
    // A decision (not an appeal, which asks for one) is in the feed, with it.
    let decided: Vec<GatedWrite> = if to == SubmissionStatus::Appealed {
        Vec::new()
    } else {
        let event = decided_event(&task, &submission, to, who, reason.as_deref(), paid);
        vec![events::write(&event)]
    };
    let moved = match transition.effect {
        Effect::Pay => {
            let lead = mark(paid);
            match approve(&txn.conn(), &task, &submission, from, (lead, decided)).await {
                Ok(moved) => moved,
                Err(err) => {
                    drop(txn);
                    let conn = core.db.conn();
                    let needed = task.payable_amount;
                    return Err(money::shortfall(conn, task.buyer_id, needed, err).await);
                }
            }
        }
        Effect::Release => reject(&txn.conn(), &task, &submission, (mark(0), decided)).await?,
        Effect::None => {
            let (write, tell) = if to == SubmissionStatus::Appealed {
                (
                    GatedWrite::new(
                        "UPDATE task_submissions SET status = $1, appeal_note = $2, \
                         appealed_at = $3, updated_at = $4 WHERE id = $5 AND status = $6 AND {gate}",
                        vec![
                            to.as_str().into(),
                            reason.clone().into(),
                            stamp.into(),
                            stamp.into(),
                            submission.id.into(),
                            from.as_str().into(),
                        ],
                    ),
                    (
                        submission.buyer_id,
                        TaskEvent::AppealReceived {
                            task: task.id,
                            title: task.title.clone(),
                            submission: submission.id,
                        },
                    ),
                )
            } else {
                (
                    mark(0),
                    (
                        submission.worker_id,
                        TaskEvent::AppealDecided {
                            task: task.id,
                            title: task.title.clone(),
                            submission: submission.id,
                            upheld: false,
                        },
                    ),
                )
            };
            let mut then = notifications::writes(tell.0, &Event::Task(tell.1))?;
            then.extend(decided);
            gated::run(&txn.conn(), write, then).await? == 1
        }
    };
    if !moved {
        return Err(ErrorCode::Conflict.into());
    }
    txn.commit().await?;
    core.outbox_wakeup.notify_one();
    // The submission as written (no read back).
    Ok(if to == SubmissionStatus::Appealed {
        task_submissions::Model {
            status: to,
            appeal_note: reason,
            appealed_at: Some(stamp),
            updated_at: stamp,
            ..submission
        }
    } else {
        task_submissions::Model {
            status: to,
            reason: reason.or(submission.reason.clone()),
            decided_at: Some(stamp),
            decided_by: who,
            paid,
            updated_at: stamp,
            ..submission
        }
    })
}

/// The `task.submission_decided` event: `who` (`None`: the automatic
/// approval) moved `submission` to `to`, paying the worker `paid` (net).
fn decided_event(
    task: &tasks::Model,
    submission: &task_submissions::Model,
    to: SubmissionStatus,
    who: Option<Uuid>,
    reason: Option<&str>,
    paid: i64,
) -> DomainEvent {
    DomainEvent::new(
        EventType::TaskSubmissionDecided,
        who,
        "task_submission",
        submission.id,
        json!({
            "taskId": task.id,
            "workerId": submission.worker_id,
            "buyerId": submission.buyer_id,
            "status": to.as_str(),
            "reason": reason.or(submission.reason.as_deref()),
            "paid": paid,
            "currency": task.currency,
        }),
    )
    .previous(json!({ "status": submission.status.as_str() }))
}

/// Pays an approval (or an upheld appeal) behind `mark`, with the writes
/// that ride along with it.
async fn approve(
    conn: &impl ConnectionTrait,
    task: &tasks::Model,
    submission: &task_submissions::Model,
    from: SubmissionStatus,
    (mark, also): (GatedWrite, Vec<GatedWrite>),
) -> Result<bool> {
    let open = task.status == TaskStatus::Open;
    let counters = if from == SubmissionStatus::Pending {
        "approved_count = approved_count + 1, pending_count = pending_count - 1"
    } else if open && task.approved_count + task.pending_count < task.required_workers {
        // An upheld appeal takes a free slot (its money is in the escrow).
        "approved_count = approved_count + 1"
    } else {
        // No free slot (or the task ended): the buyer's wallet funds it.
        money::fund(
            conn,
            task,
            task.payable_amount,
            format!("task_appeal_fund:{}", submission.id),
            Vec::new(),
        )
        .await?;
        if open {
            "approved_count = approved_count + 1, required_workers = required_workers + 1"
        } else {
            "approved_count = approved_count + 1"
        }
    };
    let (net, _) = money::split(task)?;
    let event = if from == SubmissionStatus::Pending {
        TaskEvent::SubmissionApproved {
            task: task.id,
            title: task.title.clone(),
            submission: submission.id,
            amount: net,
            currency: task.currency.clone(),
        }
    } else {
        TaskEvent::AppealDecided {
            task: task.id,
            title: task.title.clone(),
            submission: submission.id,
            upheld: true,
        }
    };
    let mut then = vec![GatedWrite::new(
        format!("UPDATE tasks SET {counters}, updated_at = $1 WHERE id = $2 AND {{gate}}"),
        vec![time::now().into(), task.id.into()],
    )];
    then.extend(notifications::writes(
        submission.worker_id,
        &Event::Task(event),
    )?);
    then.extend(also);
    let lead = Lead { write: mark, then };
    let posted = money::pay(
        conn,
        task,
        submission.id,
        submission.worker_id,
        lead,
        Vec::new(),
    )
    .await?;
    Ok(posted.is_some())
}

/// Rejects behind `mark` (with the writes that ride along): the slot
/// reopens; on a task that ended its amount goes back to the buyer.
async fn reject(
    conn: &impl ConnectionTrait,
    task: &tasks::Model,
    submission: &task_submissions::Model,
    (mark, also): (GatedWrite, Vec<GatedWrite>),
) -> Result<bool> {
    let then = {
        let mut then = vec![GatedWrite::new(
            "UPDATE tasks SET pending_count = pending_count - 1, updated_at = $1 \
             WHERE id = $2 AND {gate}",
            vec![time::now().into(), task.id.into()],
        )];
        then.extend(notifications::writes(
            submission.worker_id,
            &Event::Task(TaskEvent::SubmissionRejected {
                task: task.id,
                title: task.title.clone(),
                submission: submission.id,
            }),
        )?);
        then.extend(also);
        then
    };
    if gated::run(conn, mark, then).await? != 1 {
        return Ok(false);
    }
    if task.status != TaskStatus::Open {
        money::refund(
            conn,
            task,
            task.payable_amount,
            format!("task_release:{}", submission.id),
        )
        .await?;
    }
    Ok(true)
}
