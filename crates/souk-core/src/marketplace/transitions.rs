//! Moving jobs through the lifecycle table: what callers ask
//! ([`request`] and its shortcuts) and what a move does once allowed
//! ([`apply_transition`]): the guarded status change, the contract's money
//! and status, and who hears of it (notifications, and `job:updated` to
//! both parties' sockets).

use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Value, sea_query::Expr,
};
use serde_json::json;
use souk_db::{
    CheckedWrite,
    entities::{jobs, quotes},
    enums::QuoteStatus,
    gated::{self, GatedWrite},
};
use uuid::Uuid;

use super::{
    Actor, JobStatus,
    access::{actor_for, ensure_owner},
    booked,
    job_rows::load,
    lifecycle::{self, ContractEffect, Facts, Refusal},
};
use crate::{
    Core,
    accounts::{Authenticated, validate::optional_text},
    error::{Error, ErrorCode, FieldErrors, FieldIssue, Result},
    integrators::events::{self, DomainEvent, EventType},
    money::{self, escrow::MoneyMove, ledger::Lead},
    notifications::{self, Event},
    outbox,
    realtime::RealtimeEvent,
    store::{self, contracts::LockedContract},
    time,
};

/// Who hears about a status change made by `actor`.
fn audience(job: &jobs::Model, actor: Actor) -> Vec<Uuid> {
    let mut people = Vec::new();
    if actor != Actor::Client {
        people.push(job.client_id);
    }
    if actor != Actor::Craftsman
        && let Some(craftsman) = job.craftsman_id
    {
        people.push(craftsman);
    }
    people
}

/// A move of a job through its lifecycle, as a use-case asks for it.
pub struct Move<'a> {
    /// The job as read.
    pub job: &'a jobs::Model,
    /// The job's contract as [`store::contracts::job_for_transition`] read
    /// it — locked, for a move that can move money; `None` for a job not
    /// hired yet (or a caller that did not read it: it is read here then).
    pub contract: Option<LockedContract>,
    pub to: JobStatus,
    pub actor: Actor,
    /// The user who asked (none for the system's own moves).
    pub by: Option<Uuid>,
    pub reason: Option<String>,
    /// The craftsman's share of the escrow on a cancellation, when the
    /// caller's own policy decides it (a booking's); `None`: the settings'
    /// share by status when the client cancels, nothing otherwise.
    pub share_bps: Option<i32>,
}

impl<'a> Move<'a> {
    /// The system's own bookkeeping move (first quote, last quote gone,
    /// hire): no contract read yet, nobody asked, no reason.
    pub fn system(job: &'a jobs::Model, to: JobStatus) -> Self {
        Self {
            job,
            contract: None,
            to,
            actor: Actor::System,
            by: None,
            reason: None,
            share_bps: None,
        }
    }
}

/// Applies an allowed move inside `conn`'s transaction (or as one statement
/// that is its own, for a completion that pays out of a contract read
/// unlocked): guarded status update, the contract's money and status,
/// notifications.
pub async fn apply_transition(
    core: &Core,
    conn: &impl ConnectionTrait,
    request: Move<'_>,
) -> Result<jobs::Model> {
    let Move {
        job,
        contract,
        to,
        actor,
        by,
        reason,
        share_bps,
    } = request;
    let from = job.status;
    let contract = match contract {
        None if !from.is_open() => {
            store::contracts::job_for_transition(conn, job.id, true)
                .await?
                .1
        }
        given => given,
    };
    let facts = Facts {
        has_reason: reason.is_some(),
        escrow_ready: money::escrow::ready_to_start(contract.as_ref().map(|c| &c.contract)),
    };
    let transition = lifecycle::decide(from, to, actor, facts)
        .map_err(|refusal| refusal_error(from, to, refusal))?;
    let now = time::now();
    // The guarded status change leads; the search index flag, the
    // craftsman's counter and the notifications ride along with it (one
    // statement on PostgreSQL).
    let mut values: Vec<Value> = vec![
        to.as_str().into(),
        to.is_open().into(),
        reason.clone().into(),
        now.into(),
    ];
    let mut sets = String::from("status = $1, listed = $2, status_reason = $3, updated_at = $4");
    if to == JobStatus::Completed {
        values.push(now.into());
        sets.push_str(&format!(", completed_at = ${}", values.len()));
    }
    if to == JobStatus::WorkSubmitted {
        values.push(now.into());
        sets.push_str(&format!(", submitted_at = ${}", values.len()));
    }
    values.push(job.id.into());
    values.push(from.as_str().into());
    let lead = GatedWrite::new(
        format!(
            "UPDATE jobs SET {sets} WHERE id = ${} AND status = ${} AND {{gate}}",
            values.len() - 1,
            values.len()
        ),
        values,
    );
    let mut then = Vec::new();
    if from.is_open() != to.is_open() {
        then.push(GatedWrite::new(
            "UPDATE job_terms SET listed = $1 WHERE job_id = $2 AND {gate}",
            vec![to.is_open().into(), job.id.into()],
        ));
    }
    if to == JobStatus::Completed
        && let Some(craftsman) = job.craftsman_id
    {
        then.push(GatedWrite::new(
            "UPDATE users SET completed_jobs = completed_jobs + 1 WHERE id = $1 AND {gate}",
            vec![craftsman.into()],
        ));
    }
    // The system's own bookkeeping moves (first quote, hire) are announced by
    // their own events (quote received, quote accepted).
    // A completion that pays the craftsman tells them once, with the payment.
    let paid = contract
        .as_ref()
        .is_some_and(|c| money::escrow::pays_on(transition.effect, c.held));
    if actor != Actor::System || to == JobStatus::Completed {
        let event = Event::StatusChanged {
            job: job.id,
            title: job.title.clone(),
            status: to,
            reason: reason.clone(),
        };
        for person in audience(job, actor) {
            if paid && Some(person) == job.craftsman_id {
                continue;
            }
            then.extend(notifications::writes(person, &event)?);
        }
    }
    // Both parties' sockets hear of every move, each with what it may do next.
    then.extend(job_updated(job, from, to, reason.as_deref())?);
    // The feed records every move, with the status change (never without it).
    then.push(events::write(&status_changed(
        job,
        by,
        from,
        to,
        reason.as_deref(),
    )));
    // A booked job carries its booking along.
    if let Some(craftsman) = job.craftsman_id {
        then.extend(booked::follow(
            booked::Follow {
                booking: job.booking_id,
                job: job.id,
                parties: [job.client_id, craftsman],
                by,
            },
            from,
            to,
        )?);
    }
    let updated = jobs::Model {
        status: to,
        listed: to.is_open(),
        status_reason: reason.clone(),
        updated_at: now,
        completed_at: if to == JobStatus::Completed {
            Some(now)
        } else {
            job.completed_at
        },
        submitted_at: if to == JobStatus::WorkSubmitted {
            Some(now)
        } else {
            job.submitted_at
        },
        ..job.clone()
    };
    // The contract's status changes with its money; a completion's status
    // change and escrow release are one statement on PostgreSQL.
    let status = Lead { write: lead, then };
    let moved = if transition.effect == ContractEffect::None {
        gated::run(conn, status.write, status.then).await?
    } else {
        money::escrow::on_transition(
            core,
            conn,
            MoneyMove {
                job: &updated,
                from,
                effect: transition.effect,
                actor,
                actor_id: by,
                contract,
                status,
                share_bps,
            },
        )
        .await?
    };
    if moved != 1 {
        // Someone moved it first: answer as if we had seen their move.
        let current = load(conn, job.id).await?.status;
        return Err(match lifecycle::decide(current, to, actor, facts) {
            Err(refusal) => refusal_error(current, to, refusal),
            Ok(_) => ErrorCode::Conflict.into(),
        });
    }
    if from.is_open() && to == JobStatus::Cancelled {
        // Live quotes die with the job; their authors hear about it.
        let live: Vec<Uuid> = quotes::Entity::find()
            .select_only()
            .column(quotes::Column::CraftsmanId)
            .filter(quotes::Column::JobId.eq(job.id))
            .filter(quotes::Column::Status.eq(QuoteStatus::Submitted))
            .into_tuple()
            .all(conn)
            .await?;
        quotes::Entity::update_many()
            .col_expr(quotes::Column::Status, Expr::value(QuoteStatus::Declined))
            .col_expr(quotes::Column::UpdatedAt, Expr::value(now))
            .filter(quotes::Column::JobId.eq(job.id))
            .filter(quotes::Column::Status.eq(QuoteStatus::Submitted))
            .exec(conn)
            .await?;
        let event = Event::StatusChanged {
            job: job.id,
            title: job.title.clone(),
            status: to,
            reason,
        };
        for craftsman in live {
            notifications::notify(conn, craftsman, &event).await?;
        }
    }
    Ok(updated)
}

/// The `job.status_changed` event of a move made by `by` (`None`: the
/// platform's own move — a scheduler's, or bookkeeping).
fn status_changed(
    job: &jobs::Model,
    by: Option<Uuid>,
    from: JobStatus,
    to: JobStatus,
    reason: Option<&str>,
) -> DomainEvent {
    DomainEvent::new(
        EventType::JobStatusChanged,
        by,
        "job",
        job.id,
        json!({
            "status": to.as_str(),
            "reason": reason,
            "clientId": job.client_id,
            "craftsmanId": job.craftsman_id,
            "bookingId": job.booking_id,
        }),
    )
    .previous(json!({ "status": from.as_str() }))
}

/// The `job:updated` events of a move, one per party (the client, and the
/// craftsman once hired): `{jobId, status, previousStatus, reason,
/// allowedNext}`, where `allowedNext` are the moves that party may make
/// from the new status. Outbox writes that ride along with the status
/// change, so they are emitted after its commit, never for a rolled-back move.
fn job_updated(
    job: &jobs::Model,
    from: JobStatus,
    to: JobStatus,
    reason: Option<&str>,
) -> Result<Vec<GatedWrite>> {
    let mut parties = vec![(job.client_id, Actor::Client)];
    if let Some(craftsman) = job.craftsman_id {
        parties.push((craftsman, Actor::Craftsman));
    }
    parties
        .into_iter()
        .map(|(user, actor)| {
            let allowed: Vec<&str> = lifecycle::next_states(to, actor)
                .iter()
                .map(|s| s.as_str())
                .collect();
            outbox::realtime(&RealtimeEvent::to_users(
                &[user],
                "job:updated",
                json!({
                    "jobId": job.id,
                    "status": to.as_str(),
                    "previousStatus": from.as_str(),
                    "reason": reason,
                    "allowedNext": allowed,
                }),
            ))
        })
        .collect()
}

fn refusal_error(from: JobStatus, to: JobStatus, refusal: Refusal) -> Error {
    match refusal {
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
        Refusal::ReasonRequired => {
            Error::Validation(FieldErrors::single("reason", FieldIssue::Required))
        }
        Refusal::EscrowNotFunded => Error::with_details(
            ErrorCode::EscrowNotFunded,
            json!({ "from": from.as_str(), "to": to.as_str() }),
        ),
    }
}

/// What a caller asks of a job's lifecycle.
#[derive(Debug, Clone)]
pub struct Request {
    pub job: Uuid,
    pub to: JobStatus,
    pub reason: Option<String>,
    /// The only side that may ask this way (approval: the client); anyone
    /// else gets 403 `forbidden`.
    pub only: Option<Actor>,
}

/// Moves a job where its caller asks, if the table lets them.
pub async fn request(core: &Core, caller: &Authenticated, request: Request) -> Result<jobs::Model> {
    let Request {
        job: id,
        to,
        reason,
        only,
    } = request;
    let mut errors = FieldErrors::new();
    let reason = optional_text(&mut errors, "reason", reason.as_deref(), 1000);
    errors.into_result()?;
    // A transition writes jobs, contracts, the ledger, notifications and at
    // most a craftsman's completed-jobs counter — nothing the authentication
    // cache decides on (the profile endpoints read counters fresh).
    let mut write = core.db.begin_checked().await?.without_account_changes();
    // Only a completion that pays out of escrow can be one statement (the
    // status change riding with the release, re-checking what was read);
    // every other move runs in a transaction. No lock on the job: its
    // status change is guarded (`WHERE status = from`); a move that can
    // move money locks the contract as it reads.
    if to != JobStatus::Completed {
        write = write.into_transaction().await?;
    }
    let may_move_money = lifecycle::TRANSITIONS
        .iter()
        .any(|t| t.to == to && t.effect != ContractEffect::None);
    let lock = |write: &CheckedWrite<'_>| may_move_money && write.is_transaction();
    let (mut job, mut contract) =
        store::contracts::job_for_transition(&write.conn(), id, lock(&write)).await?;
    let pays = |c: &LockedContract| money::escrow::pays_on(ContractEffect::Complete, c.held);
    if !write.is_transaction() && !contract.as_ref().is_some_and(pays) {
        // Not one statement after all: read again inside a transaction.
        write = write.into_transaction().await?;
        (job, contract) =
            store::contracts::job_for_transition(&write.conn(), id, lock(&write)).await?;
    }
    let actor = match (actor_for(&job, caller), only) {
        (None, None) => return Err(ErrorCode::NotAParty.into()),
        (Some(actor), None) => actor,
        (Some(actor), Some(only)) if actor == only => actor,
        (_, Some(_)) => return Err(ErrorCode::Forbidden.into()),
    };
    let request = Move {
        job: &job,
        contract,
        to,
        actor,
        by: Some(caller.user.id),
        reason,
        share_bps: None,
    };
    let job = apply_transition(core, &write.conn(), request).await?;
    write.commit().await?;
    core.outbox_wakeup.notify_one();
    Ok(job)
}

/// The target of `PATCH /api/jobs/:id/status` as a word (the seeds'
/// spellings too).
pub fn parse_target(target: Option<&str>) -> Result<JobStatus> {
    match target.map(str::trim).filter(|t| !t.is_empty()) {
        None => Err(Error::Validation(FieldErrors::single(
            "status",
            FieldIssue::Required,
        ))),
        Some(word) => JobStatus::parse(word).ok_or_else(|| {
            Error::Validation(FieldErrors::single(
                "status",
                FieldIssue::OneOf(JobStatus::ALL.iter().map(|s| s.as_str()).collect()),
            ))
        }),
    }
}

/// `POST /api/jobs/:id/approve`: the client accepts the submitted work;
/// the escrow pays the craftsman.
pub async fn approve(core: &Core, caller: &Authenticated, id: Uuid) -> Result<jobs::Model> {
    let to = JobStatus::Completed;
    let only = Some(Actor::Client);
    request(
        core,
        caller,
        Request {
            job: id,
            to,
            reason: None,
            only,
        },
    )
    .await
}

/// `POST /api/jobs/:id/submit`: the craftsman says the work is done.
pub async fn submit_work(core: &Core, caller: &Authenticated, id: Uuid) -> Result<jobs::Model> {
    let to = JobStatus::WorkSubmitted;
    request(
        core,
        caller,
        Request {
            job: id,
            to,
            reason: None,
            only: None,
        },
    )
    .await
}

/// The owner cancels an open job (`DELETE /api/jobs/:id`).
pub async fn cancel_open(
    core: &Core,
    caller: &Authenticated,
    id: Uuid,
    reason: Option<String>,
) -> Result<jobs::Model> {
    let job = load(core.db.conn(), id).await?;
    ensure_owner(&job, caller, true)?;
    if !job.status.is_open() {
        return Err(ErrorCode::JobNotEditable.into());
    }
    let to = JobStatus::Cancelled;
    request(
        core,
        caller,
        Request {
            job: id,
            to,
            reason,
            only: None,
        },
    )
    .await
}
