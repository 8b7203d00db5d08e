//! Disputes, as Upwork's and Fiverr's resolution centres run them: a party
//! opens one on a hired job before completion (the job moves to
//! `disputed` through its lifecycle table, the escrow freezes, automatic
//! approval stops); both sides add statements and files; the other party
//! has a response deadline (72 hours, a setting) after which staff take
//! it up anyway; the parties may settle between themselves (a proposal
//! the other side accepts within 48 hours) or staff decide — release,
//! refund or split — and the ledger moves exactly that. The opener may
//! withdraw, which returns the job to where it was.

pub mod by_job;
pub mod deadline;
pub mod evidence;
pub mod lifecycle;
pub mod open;
pub mod read;
pub mod settle;
pub mod staff;

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, sea_query::Expr,
};
use serde_json::{Value, json};
use souk_db::{
    entities::{dispute_events, disputes, jobs},
    enums::DisputeStatus,
};
use uuid::Uuid;

use self::lifecycle::DisputeActor;
use crate::{
    Core,
    accounts::Authenticated,
    error::{ErrorCode, Result},
    notifications::{self, Event, TrustEvent},
};

/// The reasons a dispute may give.
pub const REASONS: [&str; 5] = [
    "not_delivered",
    "poor_quality",
    "no_show",
    "payment",
    "other",
];
/// Longest description, statement or note, in characters.
pub const MAX_TEXT: usize = 4_000;

/// Writes one step of a dispute's timeline; returns its id.
pub async fn record(
    conn: &impl ConnectionTrait,
    dispute: Uuid,
    actor: Option<Uuid>,
    kind: &str,
    body: Option<String>,
    data: Value,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<Uuid> {
    let id = Uuid::now_v7();
    dispute_events::ActiveModel {
        id: Set(id),
        dispute_id: Set(dispute),
        actor_id: Set(actor),
        kind: Set(kind.to_owned()),
        body: Set(body),
        data: Set(data.to_string()),
        created_at: Set(at),
    }
    .insert(conn)
    .await?;
    Ok(id)
}

/// Moves a dispute's status, as the table allows `actor`; guarded on the
/// status it was read with (0 rows: someone moved it first → 409).
pub async fn move_status(
    conn: &impl ConnectionTrait,
    dispute: &disputes::Model,
    to: DisputeStatus,
    actor: DisputeActor,
    at: chrono::DateTime<chrono::Utc>,
) -> Result<()> {
    lifecycle::ensure(dispute.status, to, actor)?;
    let moved = disputes::Entity::update_many()
        .col_expr(disputes::Column::Status, Expr::value(to))
        .col_expr(disputes::Column::UpdatedAt, Expr::value(at))
        .filter(disputes::Column::Id.eq(dispute.id))
        .filter(disputes::Column::Status.eq(dispute.status))
        .exec(conn)
        .await?;
    if moved.rows_affected != 1 {
        return Err(ErrorCode::Conflict.into());
    }
    Ok(())
}

/// A dispute, locked for a write where the engine locks rows.
pub async fn for_update(
    core: &Core,
    conn: &impl ConnectionTrait,
    id: Uuid,
) -> Result<disputes::Model> {
    core.db
        .for_update(disputes::Entity::find_by_id(id))
        .one(conn)
        .await?
        .ok_or_else(|| ErrorCode::DisputeNotFound.into())
}

/// The caller's side: `Some(true)` the opener, `Some(false)` the other
/// party, `None` neither. Staff see every dispute; anyone else gets 404.
pub fn side(dispute: &disputes::Model, caller: &Authenticated) -> Result<Option<bool>> {
    let me = caller.user.id;
    if dispute.opened_by == me {
        Ok(Some(true))
    } else if dispute.respondent_id == me {
        Ok(Some(false))
    } else if caller.role.is_staff() {
        Ok(None)
    } else {
        Err(ErrorCode::DisputeNotFound.into())
    }
}

/// Refuses a write on a dispute that has ended.
pub fn ensure_live(dispute: &disputes::Model) -> Result<()> {
    if dispute.status.is_live() {
        Ok(())
    } else {
        Err(crate::Error::with_details(
            ErrorCode::DisputeClosed,
            json!({ "status": dispute.status.as_str() }),
        ))
    }
}

/// Tells `people` about a step of a dispute.
pub async fn tell(
    conn: &impl ConnectionTrait,
    dispute: &disputes::Model,
    people: &[Uuid],
    what: &'static str,
) -> Result<()> {
    let title = job_title(conn, dispute.job_id).await?;
    let event = Event::Trust(TrustEvent::DisputeUpdated {
        dispute: dispute.id,
        job: dispute.job_id,
        title,
        what,
    });
    for person in people {
        notifications::notify(conn, *person, &event).await?;
    }
    Ok(())
}

/// `update` also clearing the open settlement proposal.
pub fn without_proposal(
    update: sea_orm::UpdateMany<disputes::Entity>,
) -> sea_orm::UpdateMany<disputes::Entity> {
    update
        .col_expr(
            disputes::Column::ProposalId,
            Expr::value(Option::<Uuid>::None),
        )
        .col_expr(
            disputes::Column::ProposalBy,
            Expr::value(Option::<Uuid>::None),
        )
        .col_expr(
            disputes::Column::ProposalAmount,
            Expr::value(Option::<i64>::None),
        )
        .col_expr(
            disputes::Column::ProposalExpiresAt,
            Expr::value(Option::<chrono::DateTime<chrono::Utc>>::None),
        )
}

/// The dispute as it is now (inside the writing transaction).
pub async fn reload(conn: &impl ConnectionTrait, id: Uuid) -> Result<disputes::Model> {
    disputes::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(|| ErrorCode::DisputeNotFound.into())
}

/// A job's title (empty if it is gone).
pub async fn job_title(conn: &impl ConnectionTrait, job: Uuid) -> Result<String> {
    Ok(jobs::Entity::find_by_id(job)
        .one(conn)
        .await?
        .map(|j| j.title)
        .unwrap_or_default())
}
