//! Opening a dispute (`POST /api/disputes`, and seed 001's
//! `PATCH /api/jobs/:id/status {status: disputed}`) and withdrawing it.

use chrono::Duration;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set, sea_query::Expr};
use serde_json::json;
use souk_db::{
    entities::{contracts, disputes, jobs},
    enums::DisputeStatus,
    gated,
};
use uuid::Uuid;

use super::{
    MAX_TEXT, REASONS, deadline, ensure_live, for_update, lifecycle::DisputeActor, move_status,
    record, reload, side, tell, without_proposal,
};
use crate::{
    Core,
    accounts::{Authenticated, validate::required_text},
    admin::activity,
    error::{Error, ErrorCode, FieldErrors, FieldIssue, Result},
    integrators::events::{self, DomainEvent, EventType},
    marketplace::{
        Actor, JobStatus,
        access::actor_for,
        transitions::{Move, apply_transition},
    },
    money::settings,
    notifications::{self, Event, TrustEvent},
    store, time,
};

/// A dispute as a party files it.
#[derive(Debug, Clone)]
pub struct OpenDispute {
    /// The contract disputed, or its job.
    pub contract: Option<Uuid>,
    pub job: Option<Uuid>,
    /// One of [`REASONS`].
    pub reason: Option<String>,
    pub description: Option<String>,
    /// Where the request came from: the job-status route names the
    /// description `reason` and answers refusals as the job lifecycle does.
    pub via_job_status: bool,
}

/// Opens a dispute: the job moves to `disputed` (escrow frozen) in the same
/// transaction; the other party is told and has until `responseDueAt`.
pub async fn open(
    core: &Core,
    caller: &Authenticated,
    input: OpenDispute,
) -> Result<(disputes::Model, jobs::Model)> {
    let mut errors = FieldErrors::new();
    let field = if input.via_job_status {
        "reason"
    } else {
        "description"
    };
    let description = required_text(&mut errors, field, input.description.as_deref(), MAX_TEXT);
    let reason = input.reason.as_deref().map(str::trim).unwrap_or_default();
    if !REASONS.contains(&reason) {
        errors.add("reason", FieldIssue::OneOf(REASONS.to_vec()));
    }
    let job_id = match (input.contract, input.job) {
        (_, Some(job)) => Some(job),
        (Some(contract), None) => Some(
            contracts::Entity::find_by_id(contract)
                .one(core.db.conn())
                .await?
                .ok_or(ErrorCode::ContractNotFound)?
                .job_id,
        ),
        (None, None) => {
            errors.add("contractId", FieldIssue::Required);
            None
        }
    };
    errors.into_result()?;
    let job_id = job_id.ok_or(ErrorCode::ValidationFailed)?;
    let txn = core.db.begin_write().await?.without_account_changes();
    let (job, contract) = store::contracts::job_for_transition(&*txn, job_id, true).await?;
    let actor = actor_for(&job, caller).ok_or(ErrorCode::NotAParty)?;
    let contract_row = contract.as_ref().map(|c| c.contract.clone());
    let from = job.status;
    let moved = apply_transition(
        core,
        &*txn,
        Move {
            job: &job,
            contract,
            to: JobStatus::Disputed,
            actor,
            by: Some(caller.user.id),
            reason: Some(description.clone()),
            share_bps: None,
        },
    )
    .await;
    let job = match moved {
        Ok(job) => job,
        Err(err) if !input.via_job_status && err.error_code() == ErrorCode::InvalidTransition => {
            return Err(Error::with_details(
                ErrorCode::DisputeNotAllowed,
                json!({ "jobStatus": from.as_str() }),
            ));
        }
        Err(err) => return Err(err),
    };
    let (Some(contract), Some(craftsman)) = (contract_row, job.craftsman_id) else {
        return Err(ErrorCode::NoContract.into());
    };
    let respondent = if actor == Actor::Client {
        craftsman
    } else {
        job.client_id
    };
    let now = core.clock.now();
    let hours = settings::load(&*txn, &core.settings)
        .await?
        .dispute_response_hours;
    let due = time::later(now, Duration::hours(hours));
    let dispute = disputes::ActiveModel {
        id: Set(Uuid::now_v7()),
        contract_id: Set(contract.id),
        job_id: Set(job.id),
        opened_by: Set(caller.user.id),
        respondent_id: Set(respondent),
        reason: Set(reason.to_owned()),
        description: Set(description.clone()),
        status: Set(DisputeStatus::Open),
        job_status_before: Set(from.as_str().to_owned()),
        response_due_at: Set(due),
        responded_at: Set(None),
        assignee_id: Set(None),
        proposal_id: Set(None),
        proposal_by: Set(None),
        proposal_amount: Set(None),
        proposal_expires_at: Set(None),
        decision: Set(None),
        craftsman_amount: Set(None),
        client_amount: Set(None),
        resolution_note: Set(None),
        resolved_by: Set(None),
        resolved_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&*txn)
    .await?;
    record(
        &*txn,
        dispute.id,
        Some(caller.user.id),
        "opened",
        Some(description),
        json!({ "reason": reason, "jobStatusBefore": from.as_str(), "responseDueAt": due }),
        now,
    )
    .await?;
    let mut writes = notifications::writes(
        respondent,
        &Event::Trust(TrustEvent::DisputeOpened {
            dispute: dispute.id,
            job: job.id,
            title: job.title.clone(),
            deadline: due,
        }),
    )?;
    writes.push(events::write(&opened(&dispute, job.booking_id)));
    gated::run_open(&*txn, writes).await?;
    deadline::schedule(&*txn, dispute.id, due).await?;
    activity::record(
        &*txn,
        Some(caller.user.id),
        "dispute.open",
        "dispute",
        Some(dispute.id.to_string()),
        json!({ "jobId": job.id, "reason": reason }),
    )
    .await?;
    txn.commit().await?;
    core.outbox_wakeup.notify_one();
    Ok((dispute, job))
}

/// `POST /api/disputes/:id/withdraw`: the opener drops the dispute; the job
/// returns to the status it had and the escrow is held again.
pub async fn withdraw(
    core: &Core,
    caller: &Authenticated,
    id: Uuid,
    note: Option<&str>,
) -> Result<disputes::Model> {
    let note = note
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_owned);
    let txn = core.db.begin_write().await?.without_account_changes();
    let dispute = for_update(core, &*txn, id).await?;
    if side(&dispute, caller)? != Some(true) {
        return Err(ErrorCode::NotTheOpener.into());
    }
    ensure_live(&dispute)?;
    let (job, contract) = store::contracts::job_for_transition(&*txn, dispute.job_id, true).await?;
    let back = JobStatus::parse(&dispute.job_status_before).ok_or(ErrorCode::Conflict)?;
    apply_transition(
        core,
        &*txn,
        Move {
            job: &job,
            contract,
            to: back,
            actor: Actor::System,
            by: Some(caller.user.id),
            reason: None,
            share_bps: None,
        },
    )
    .await?;
    let now = core.clock.now();
    move_status(
        &*txn,
        &dispute,
        DisputeStatus::Withdrawn,
        DisputeActor::Party,
        now,
    )
    .await?;
    // A withdrawn dispute has ended too: the feed's `dispute.resolved`,
    // with no money decided.
    let ended = DomainEvent::new(
        EventType::DisputeResolved,
        Some(caller.user.id),
        "dispute",
        dispute.id,
        json!({
            "jobId": dispute.job_id,
            "contractId": dispute.contract_id,
            "status": DisputeStatus::Withdrawn.as_str(),
            "decision": "withdrawn",
            "jobStatus": back.as_str(),
        }),
    )
    .previous(json!({ "status": dispute.status.as_str() }));
    events::record(&*txn, &[ended]).await?;
    without_proposal(disputes::Entity::update_many())
        .col_expr(disputes::Column::ResolvedAt, Expr::value(now))
        .filter(disputes::Column::Id.eq(id))
        .exec(&*txn)
        .await?;
    record(
        &*txn,
        id,
        Some(caller.user.id),
        "withdrawn",
        note,
        json!({}),
        now,
    )
    .await?;
    tell(&*txn, &dispute, &[dispute.respondent_id], "withdrawn").await?;
    activity::record(
        &*txn,
        Some(caller.user.id),
        "dispute.withdraw",
        "dispute",
        Some(id.to_string()),
        json!({ "jobId": dispute.job_id, "jobStatus": back.as_str() }),
    )
    .await?;
    let dispute = reload(&*txn, id).await?;
    txn.commit().await?;
    core.outbox_wakeup.notify_one();
    Ok(dispute)
}

/// The `dispute.opened` event (the description stays with the parties and
/// staff).
fn opened(dispute: &disputes::Model, booking: Option<Uuid>) -> DomainEvent {
    DomainEvent::new(
        EventType::DisputeOpened,
        Some(dispute.opened_by),
        "dispute",
        dispute.id,
        json!({
            "jobId": dispute.job_id,
            "contractId": dispute.contract_id,
            "bookingId": booking,
            "openedBy": dispute.opened_by,
            "respondentId": dispute.respondent_id,
            "reason": dispute.reason,
            "status": dispute.status.as_str(),
            "jobStatusBefore": dispute.job_status_before,
            "responseDueAt": dispute.response_due_at,
        }),
    )
}
