//! Ending a dispute with money: a staff decision (`release`, `refund`,
//! `split`) or a settlement the parties agree on (one proposes the
//! craftsman's share, the other accepts within 48 hours). Either moves
//! exactly what was decided in the resolving transaction: the client's
//! part back to their wallet, the craftsman's part released (commission in
//! proportion), the job `completed` (or `cancelled` when the client gets
//! everything).

use chrono::Duration;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, sea_query::Expr};
use serde_json::json;
use souk_db::{entities::disputes, enums::DisputeStatus, gated};
use uuid::Uuid;

use super::{
    MAX_TEXT, ensure_live, for_update, job_title, lifecycle::DisputeActor, move_status, record,
    reload, side, tell, without_proposal,
};
use crate::{
    Core,
    accounts::{Authenticated, validate::required_text},
    admin::activity,
    error::{Error, ErrorCode, FieldErrors, FieldIssue, Result},
    integrators::events::{self, DomainEvent, EventType},
    marketplace::{
        Actor, JobStatus,
        transitions::{Move, apply_transition},
    },
    money::{amount, escrow, settings},
    notifications::{self, Event, TrustEvent},
    store, time,
};

/// How much of the escrow goes to the craftsman.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Share {
    All,
    Nothing,
    Amount(i64),
}

/// What a dispute ended with.
struct Outcome {
    decision: &'static str,
    craftsman: i64,
    client: i64,
}

fn out_of_range(held: i64) -> Error {
    Error::with_details(
        ErrorCode::SplitOutOfRange,
        json!({ "fields": { "craftsmanAmount": { "min": 0, "max": held } }, "min": 0, "max": held }),
    )
}

/// Moves the money and the job, inside `conn`'s transaction.
async fn carry_out(
    core: &Core,
    conn: &impl ConnectionTrait,
    dispute: &disputes::Model,
    share: Share,
    actor: Actor,
    by: Option<Uuid>,
    note: &str,
) -> Result<Outcome> {
    let (job, contract) = store::contracts::job_for_transition(conn, dispute.job_id, true).await?;
    if job.status != JobStatus::Disputed {
        return Err(ErrorCode::Conflict.into());
    }
    let locked = contract.ok_or(ErrorCode::NoContract)?;
    let held = locked.held;
    let craftsman = match share {
        Share::All => held,
        Share::Nothing => 0,
        Share::Amount(a) if (0..=held).contains(&a) => a,
        Share::Amount(_) => return Err(out_of_range(held)),
    };
    let client = amount::sub(held, craftsman)?;
    let (to, decision) = match share {
        Share::Nothing => (JobStatus::Cancelled, "refund"),
        Share::All => (JobStatus::Completed, "release"),
        Share::Amount(_) if craftsman == 0 => (JobStatus::Cancelled, "split"),
        Share::Amount(_) => (JobStatus::Completed, "split"),
    };
    let mut contract = Some(locked);
    if to == JobStatus::Completed && client > 0 {
        // The client's part first; the completion then releases the rest.
        let row = contract
            .as_ref()
            .map(|c| c.contract.clone())
            .ok_or(ErrorCode::NoContract)?;
        escrow::refund(
            conn,
            &job,
            &row,
            client,
            format!("escrow_refund:{}:dispute:{}", row.id, dispute.id),
            by,
            Some("dispute settlement".to_owned()),
        )
        .await?;
        contract = store::contracts::job_for_transition(conn, job.id, true)
            .await?
            .1;
    }
    apply_transition(
        core,
        conn,
        Move {
            job: &job,
            contract,
            to,
            actor,
            by,
            reason: Some(note.to_owned()),
            share_bps: None,
        },
    )
    .await?;
    Ok(Outcome {
        decision,
        craftsman,
        client,
    })
}

/// Who ended a dispute: staff deciding (`decided_by`, recorded on the
/// dispute) or a party accepting a settlement (`by` only).
struct Ender {
    decided_by: Option<Uuid>,
    by: Option<Uuid>,
    actor: DisputeActor,
}

/// Records the end of a dispute and tells both parties.
async fn finish(
    conn: &impl ConnectionTrait,
    dispute: &disputes::Model,
    outcome: &Outcome,
    note: &str,
    ender: Ender,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<()> {
    let Ender {
        decided_by,
        by,
        actor,
    } = ender;
    move_status(conn, dispute, DisputeStatus::Resolved, actor, now).await?;
    without_proposal(disputes::Entity::update_many())
        .col_expr(disputes::Column::Decision, Expr::value(outcome.decision))
        .col_expr(
            disputes::Column::CraftsmanAmount,
            Expr::value(outcome.craftsman),
        )
        .col_expr(disputes::Column::ClientAmount, Expr::value(outcome.client))
        .col_expr(disputes::Column::ResolutionNote, Expr::value(note))
        .col_expr(disputes::Column::ResolvedBy, Expr::value(decided_by))
        .col_expr(disputes::Column::ResolvedAt, Expr::value(now))
        .filter(disputes::Column::Id.eq(dispute.id))
        .exec(conn)
        .await?;
    let data = json!({
        "decision": outcome.decision,
        "craftsmanAmount": outcome.craftsman,
        "clientAmount": outcome.client,
    });
    record(
        conn,
        dispute.id,
        decided_by,
        "resolved",
        Some(note.to_owned()),
        data,
        now,
    )
    .await?;
    let event = Event::Trust(TrustEvent::DisputeResolved {
        dispute: dispute.id,
        job: dispute.job_id,
        title: job_title(conn, dispute.job_id).await?,
        decision: outcome.decision.to_owned(),
        note: Some(note.to_owned()),
    });
    let mut writes = Vec::new();
    for party in [dispute.opened_by, dispute.respondent_id] {
        writes.extend(notifications::writes(party, &event)?);
    }
    let resolved = DomainEvent::new(
        EventType::DisputeResolved,
        by,
        "dispute",
        dispute.id,
        json!({
            "jobId": dispute.job_id,
            "contractId": dispute.contract_id,
            "status": DisputeStatus::Resolved.as_str(),
            "decision": outcome.decision,
            "craftsmanAmount": outcome.craftsman,
            "clientAmount": outcome.client,
        }),
    )
    .previous(json!({ "status": dispute.status.as_str() }));
    writes.push(events::write(&resolved));
    gated::run_open(conn, writes).await?;
    Ok(())
}

/// A staff decision.
#[derive(Debug, Clone, Default)]
pub struct Resolution {
    /// `release`, `refund` or `split`.
    pub decision: Option<String>,
    /// With `split`: what the craftsman gets (before commission), 0 …
    /// what the escrow holds.
    pub craftsman_amount: Option<i64>,
    pub note: Option<String>,
}

/// `POST /api/admin/disputes/:id/resolve`.
pub async fn resolve(
    core: &Core,
    caller: &Authenticated,
    id: Uuid,
    input: Resolution,
) -> Result<disputes::Model> {
    caller.require_staff()?;
    let mut errors = FieldErrors::new();
    let note = required_text(&mut errors, "note", input.note.as_deref(), MAX_TEXT);
    let share = match input.decision.as_deref().map(str::trim) {
        Some("release") => Some(Share::All),
        Some("refund") => Some(Share::Nothing),
        Some("split") => match input.craftsman_amount {
            Some(a) => Some(Share::Amount(a)),
            None => {
                errors.add("craftsmanAmount", FieldIssue::Required);
                None
            }
        },
        _ => {
            errors.add(
                "decision",
                FieldIssue::OneOf(vec!["release", "refund", "split"]),
            );
            None
        }
    };
    errors.into_result()?;
    let share = share.ok_or(ErrorCode::ValidationFailed)?;
    let txn = core.db.begin_write().await?.without_account_changes();
    let dispute = for_update(core, &*txn, id).await?;
    ensure_live(&dispute)?;
    let by = Some(caller.user.id);
    let outcome = carry_out(core, &*txn, &dispute, share, Actor::Staff, by, &note).await?;
    let now = core.clock.now();
    let ender = Ender {
        decided_by: by,
        by,
        actor: DisputeActor::Staff,
    };
    finish(&*txn, &dispute, &outcome, &note, ender, now).await?;
    activity::record(
        &*txn,
        by,
        "dispute.resolve",
        "dispute",
        Some(id.to_string()),
        json!({ "decision": outcome.decision, "craftsmanAmount": outcome.craftsman, "clientAmount": outcome.client }),
    )
    .await?;
    let dispute = reload(&*txn, id).await?;
    txn.commit().await?;
    core.outbox_wakeup.notify_one();
    Ok(dispute)
}

/// `POST /api/disputes/:id/proposals {craftsmanAmount}`: a party proposes a
/// settlement (replacing any open one); the other side has the setting's
/// hours (48 by default) to accept.
pub async fn propose(
    core: &Core,
    caller: &Authenticated,
    id: Uuid,
    craftsman_amount: Option<i64>,
) -> Result<disputes::Model> {
    let Some(proposed) = craftsman_amount else {
        return Err(Error::Validation(FieldErrors::single(
            "craftsmanAmount",
            FieldIssue::Required,
        )));
    };
    let txn = core.db.begin_write().await?.without_account_changes();
    let dispute = for_update(core, &*txn, id).await?;
    if side(&dispute, caller)?.is_none() {
        return Err(ErrorCode::NotAParty.into());
    }
    ensure_live(&dispute)?;
    let held = store::contracts::job_for_transition(&*txn, dispute.job_id, false)
        .await?
        .1
        .map_or(0, |c| c.held);
    if !(0..=held).contains(&proposed) {
        return Err(out_of_range(held));
    }
    let now = core.clock.now();
    let hours = settings::load(&*txn, &core.settings)
        .await?
        .settlement_proposal_hours;
    let expires = time::later(now, Duration::hours(hours));
    let proposal = Uuid::now_v7();
    disputes::Entity::update_many()
        .col_expr(disputes::Column::ProposalId, Expr::value(proposal))
        .col_expr(disputes::Column::ProposalBy, Expr::value(caller.user.id))
        .col_expr(disputes::Column::ProposalAmount, Expr::value(proposed))
        .col_expr(disputes::Column::ProposalExpiresAt, Expr::value(expires))
        .col_expr(disputes::Column::UpdatedAt, Expr::value(now))
        .filter(disputes::Column::Id.eq(id))
        .exec(&*txn)
        .await?;
    let data = json!({ "proposalId": proposal, "craftsmanAmount": proposed, "clientAmount": held - proposed, "expiresAt": expires });
    record(&*txn, id, Some(caller.user.id), "proposal", None, data, now).await?;
    let other = other_party(&dispute, caller.user.id);
    tell(&*txn, &dispute, &[other], "proposal").await?;
    activity::record(
        &*txn,
        Some(caller.user.id),
        "dispute.propose",
        "dispute",
        Some(id.to_string()),
        json!({ "proposalId": proposal, "craftsmanAmount": proposed }),
    )
    .await?;
    let dispute = reload(&*txn, id).await?;
    txn.commit().await?;
    core.outbox_wakeup.notify_one();
    Ok(dispute)
}

fn other_party(dispute: &disputes::Model, me: Uuid) -> Uuid {
    if dispute.opened_by == me {
        dispute.respondent_id
    } else {
        dispute.opened_by
    }
}

/// The open proposal the caller may answer: there is one, it is the other
/// side's, and it has not lapsed by the core's clock.
fn answerable(core: &Core, dispute: &disputes::Model, me: Uuid, proposal: Uuid) -> Result<i64> {
    let (Some(id), Some(by), Some(amount), Some(expires)) = (
        dispute.proposal_id,
        dispute.proposal_by,
        dispute.proposal_amount,
        dispute.proposal_expires_at,
    ) else {
        return Err(ErrorCode::NoProposal.into());
    };
    if id != proposal {
        // Replaced, declined or never made: answer with the one that is open.
        return Err(Error::with_details(
            ErrorCode::NoProposal,
            json!({ "openProposalId": id }),
        ));
    }
    if by == me {
        return Err(ErrorCode::OwnProposal.into());
    }
    if core.clock.now() >= expires {
        return Err(Error::with_details(
            ErrorCode::ProposalExpired,
            json!({ "expiredAt": expires }),
        ));
    }
    Ok(amount)
}

/// `POST /api/disputes/:id/proposals/:pid/accept`: the other party accepts; the
/// dispute resolves exactly as a staff split would.
pub async fn accept(
    core: &Core,
    caller: &Authenticated,
    id: Uuid,
    proposal: Uuid,
) -> Result<disputes::Model> {
    let txn = core.db.begin_write().await?.without_account_changes();
    let dispute = for_update(core, &*txn, id).await?;
    if side(&dispute, caller)?.is_none() {
        return Err(ErrorCode::NotAParty.into());
    }
    ensure_live(&dispute)?;
    let amount = answerable(core, &dispute, caller.user.id, proposal)?;
    let note = "Settled by the parties";
    let by = Some(caller.user.id);
    let outcome = carry_out(
        core,
        &*txn,
        &dispute,
        Share::Amount(amount),
        Actor::System,
        by,
        note,
    )
    .await?;
    let now = core.clock.now();
    let ender = Ender {
        decided_by: None,
        by,
        actor: DisputeActor::Party,
    };
    finish(&*txn, &dispute, &outcome, note, ender, now).await?;
    activity::record(
        &*txn,
        by,
        "dispute.settle",
        "dispute",
        Some(id.to_string()),
        json!({ "craftsmanAmount": outcome.craftsman, "clientAmount": outcome.client }),
    )
    .await?;
    let dispute = reload(&*txn, id).await?;
    txn.commit().await?;
    core.outbox_wakeup.notify_one();
    Ok(dispute)
}

/// `POST /api/disputes/:id/proposals/:pid/decline`: the other party says no.
pub async fn decline(
    core: &Core,
    caller: &Authenticated,
    id: Uuid,
    proposal: Uuid,
) -> Result<disputes::Model> {
    let txn = core.db.begin_write().await?.without_account_changes();
    let dispute = for_update(core, &*txn, id).await?;
    if side(&dispute, caller)?.is_none() {
        return Err(ErrorCode::NotAParty.into());
    }
    ensure_live(&dispute)?;
    answerable(core, &dispute, caller.user.id, proposal)?;
    let now = core.clock.now();
    without_proposal(disputes::Entity::update_many())
        .col_expr(disputes::Column::UpdatedAt, Expr::value(now))
        .filter(disputes::Column::Id.eq(id))
        .exec(&*txn)
        .await?;
    record(
        &*txn,
        id,
        Some(caller.user.id),
        "proposal_declined",
        None,
        json!({}),
        now,
    )
    .await?;
    let proposer = other_party(&dispute, caller.user.id);
    tell(&*txn, &dispute, &[proposer], "proposal_declined").await?;
    activity::record(
        &*txn,
        Some(caller.user.id),
        "dispute.decline_proposal",
        "dispute",
        Some(id.to_string()),
        json!({ "proposalId": proposal }),
    )
    .await?;
    let dispute = reload(&*txn, id).await?;
    txn.commit().await?;
    Ok(dispute)
}
