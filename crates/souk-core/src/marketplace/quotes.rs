//! Quotes: craftsmen offer a price on open jobs; the owner accepts one (which
//! creates the contract and hires) or declines; a craftsman may withdraw.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, sea_query::Expr,
};
use serde_json::json;
use souk_db::{
    entities::{contracts, invitations, jobs, quotes},
    enums::{InvitationStatus, QuoteStatus},
    gated,
};
use uuid::Uuid;

use super::{
    Actor, JobStatus,
    access::{actor_for, ensure_owner},
    hire::{self, Hire},
    jobs::{load, load_for_update, with_jobs},
    offer_lifecycles::{OfferActor, quote_may},
    transitions::{Move, apply_transition},
};
use crate::{
    Core,
    accounts::{Authenticated, Role, validate::optional_text},
    error::{Error, ErrorCode, FieldErrors, FieldIssue, Result, is_unique_violation},
    integrators::events::{self, DomainEvent, EventType},
    money::{self, amount},
    notifications::{self, Event},
    pagination::{Page, PageRequest},
    time,
};

const SUBMITTED: QuoteStatus = QuoteStatus::Submitted;

/// A quote as received.
#[derive(Debug, Clone, Default)]
pub struct QuoteInput {
    pub price: Option<i64>,
    pub notes: Option<String>,
    pub estimated_duration: Option<String>,
}

/// Submits a quote (craftsmen; open jobs; one live quote each).
pub async fn submit(
    core: &Core,
    caller: &Authenticated,
    job_id: Uuid,
    input: QuoteInput,
) -> Result<quotes::Model> {
    if caller.role != Role::Craftsman {
        return Err(ErrorCode::CraftsmenOnly.into());
    }
    let mut errors = FieldErrors::new();
    match input.price {
        None => errors.add("price", FieldIssue::Required),
        Some(p) => {
            amount::check(&mut errors, "price", p, 1, core.settings.max_amount);
        }
    }
    let notes = optional_text(&mut errors, "notes", input.notes.as_deref(), 2000);
    let duration = optional_text(
        &mut errors,
        "estimatedDuration",
        input.estimated_duration.as_deref(),
        100,
    );
    errors.into_result()?;
    let price = input.price.unwrap_or_default();

    // A quote writes jobs, quotes, notifications and the outbox, never
    // accounts: the authentication cache stays valid.
    let txn = core.db.begin_write().await?.without_account_changes();
    let job = load_for_update(core, &*txn, job_id).await?;
    let status = job.status;
    if !status.is_open() {
        return Err(ErrorCode::JobNotOpen.into());
    }
    // Unpaid commission from cash jobs above the limit bars quoting.
    money::fees::ensure_may_quote(core, &*txn, caller.user.id).await?;
    // A rejected invitation bars quoting. A second live quote is refused by
    // the partial unique index on (job, craftsman) where submitted, below.
    let rejected = invitations::Entity::find()
        .filter(invitations::Column::JobId.eq(job.id))
        .filter(invitations::Column::CraftsmanId.eq(caller.user.id))
        .filter(invitations::Column::Status.eq(InvitationStatus::Rejected))
        .count(&*txn)
        .await?;
    if rejected > 0 {
        return Err(ErrorCode::InvitationWasRejected.into());
    }
    let now = time::now();
    let quote = quotes::ActiveModel {
        id: Set(Uuid::now_v7()),
        job_id: Set(job.id),
        craftsman_id: Set(caller.user.id),
        price: Set(price),
        notes: Set(notes),
        estimated_duration: Set(duration),
        status: Set(SUBMITTED),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&*txn)
    .await
    .map_err(|err| {
        if is_unique_violation(&err) {
            Error::code(ErrorCode::QuoteExists)
        } else {
            err.into()
        }
    })?;
    // Made first, so the feed has the quote before the job's move it causes.
    let submitted = events::write(&submitted(&quote, &job.currency));
    if status == JobStatus::Posted {
        let first = Move {
            by: Some(caller.user.id),
            ..Move::system(&job, JobStatus::Quoted)
        };
        apply_transition(core, &*txn, first).await?;
    }
    let mut writes = notifications::writes(
        job.client_id,
        &Event::QuoteReceived {
            job: job.id,
            title: job.title.clone(),
            quote: quote.id,
            price,
        },
    )?;
    writes.push(submitted);
    gated::run_open(&*txn, writes).await?;
    txn.commit().await?;
    core.outbox_wakeup.notify_one();
    Ok(quote)
}

/// The `quote.submitted` event (the craftsman's notes stay with the client).
fn submitted(quote: &quotes::Model, currency: &str) -> DomainEvent {
    DomainEvent::new(
        EventType::QuoteSubmitted,
        Some(quote.craftsman_id),
        "quote",
        quote.id,
        json!({
            "jobId": quote.job_id,
            "craftsmanId": quote.craftsman_id,
            "price": quote.price,
            "currency": currency,
            "estimatedDuration": quote.estimated_duration,
            "status": quote.status.as_str(),
        }),
    )
}

/// The quotes on a job: all for the owner and staff, one's own for a craftsman.
pub async fn list_for_job(
    core: &Core,
    caller: &Authenticated,
    job_id: Uuid,
) -> Result<Vec<quotes::Model>> {
    let job = load(core.db.conn(), job_id).await?;
    let mut query = quotes::Entity::find().filter(quotes::Column::JobId.eq(job.id));
    match actor_for(&job, caller) {
        Some(Actor::Client | Actor::Staff) => {}
        _ if caller.role == Role::Craftsman => {
            query = query.filter(quotes::Column::CraftsmanId.eq(caller.user.id));
        }
        _ => return Err(ErrorCode::Forbidden.into()),
    }
    Ok(query
        .order_by_asc(quotes::Column::CreatedAt)
        .order_by_asc(quotes::Column::Id)
        .all(core.db.conn())
        .await?)
}

/// A quote with the job it is on.
pub type QuoteWithJob = (quotes::Model, Option<jobs::Model>);

/// A craftsman's own quotes, newest first.
pub async fn mine(
    core: &Core,
    caller: &Authenticated,
    status: Option<String>,
    page: PageRequest,
) -> Result<Page<QuoteWithJob>> {
    if caller.role != Role::Craftsman {
        return Err(ErrorCode::CraftsmenOnly.into());
    }
    let mut query = quotes::Entity::find().filter(quotes::Column::CraftsmanId.eq(caller.user.id));
    if let Some(status) = status.filter(|s| !s.trim().is_empty()) {
        let Some(status) = QuoteStatus::parse(&status) else {
            return Err(Error::Validation(FieldErrors::single(
                "status",
                FieldIssue::OneOf(QuoteStatus::ALL.iter().map(|s| s.as_str()).collect()),
            )));
        };
        query = query.filter(quotes::Column::Status.eq(status));
    }
    let total = query.clone().count(core.db.conn()).await?;
    let items = query
        .order_by_desc(quotes::Column::CreatedAt)
        .order_by_desc(quotes::Column::Id)
        .offset(page.offset())
        .limit(page.limit)
        .all(core.db.conn())
        .await?;
    let items = with_jobs(core.db.conn(), items, |q| q.job_id).await?;
    Ok(Page::new(items, page, total))
}

async fn load_quote(
    conn: &impl ConnectionTrait,
    job_id: Uuid,
    quote_id: Uuid,
) -> Result<quotes::Model> {
    quotes::Entity::find_by_id(quote_id)
        .filter(quotes::Column::JobId.eq(job_id))
        .one(conn)
        .await?
        .ok_or(Error::code(ErrorCode::QuoteNotFound))
}

/// Fee in minor units at `bps` basis points, rounded half up.
pub fn platform_fee(price: i64, bps: i32) -> Result<i64> {
    money::settings::share(price, bps)
}

/// Accepts a quote: contract, hire, every other live quote declined.
pub async fn accept(
    core: &Core,
    caller: &Authenticated,
    job_id: Uuid,
    quote_id: Uuid,
) -> Result<(jobs::Model, contracts::Model)> {
    let txn = core.db.begin_write().await?;
    let job = load_for_update(core, &*txn, job_id).await?;
    ensure_owner(&job, caller, false)?;
    let quote = load_quote(&*txn, job.id, quote_id).await?;
    if !quote_may(quote.status, QuoteStatus::Accepted, OfferActor::Client) {
        return Err(ErrorCode::QuoteNotPending.into());
    }
    if !job.status.is_open() {
        return Err(ErrorCode::JobNotOpen.into());
    }
    let contract = hire::contract(
        core,
        &*txn,
        Hire {
            job: &job,
            quote: quote.id,
            craftsman: quote.craftsman_id,
            price: quote.price,
            by: Some(caller.user.id),
        },
    )
    .await?;
    let now = time::now();
    quotes::Entity::update_many()
        .col_expr(quotes::Column::Status, Expr::value(QuoteStatus::Accepted))
        .col_expr(quotes::Column::UpdatedAt, Expr::value(now))
        .filter(quotes::Column::Id.eq(quote.id))
        .exec(&*txn)
        .await?;
    let others: Vec<(Uuid, Uuid)> = quotes::Entity::find()
        .select_only()
        .column(quotes::Column::Id)
        .column(quotes::Column::CraftsmanId)
        .filter(quotes::Column::JobId.eq(job.id))
        .filter(quotes::Column::Status.eq(SUBMITTED))
        .into_tuple()
        .all(&*txn)
        .await?;
    quotes::Entity::update_many()
        .col_expr(quotes::Column::Status, Expr::value(QuoteStatus::Declined))
        .col_expr(quotes::Column::UpdatedAt, Expr::value(now))
        .filter(quotes::Column::JobId.eq(job.id))
        .filter(quotes::Column::Status.eq(SUBMITTED))
        .exec(&*txn)
        .await?;
    // The move sees the craftsman it hires, so both parties hear of it.
    let hiring = jobs::Model {
        craftsman_id: Some(quote.craftsman_id),
        ..job
    };
    let hire = Move {
        by: Some(caller.user.id),
        ..Move::system(&hiring, JobStatus::Hired)
    };
    let job = apply_transition(core, &*txn, hire).await?;
    jobs::Entity::update_many()
        .col_expr(jobs::Column::CraftsmanId, Expr::value(quote.craftsman_id))
        .col_expr(jobs::Column::HiredAt, Expr::value(now))
        .filter(jobs::Column::Id.eq(job.id))
        .exec(&*txn)
        .await?;
    let job = jobs::Model {
        craftsman_id: Some(quote.craftsman_id),
        hired_at: Some(now),
        ..job
    };
    notifications::notify(
        &*txn,
        quote.craftsman_id,
        &Event::QuoteAccepted {
            job: job.id,
            title: job.title.clone(),
            quote: quote.id,
        },
    )
    .await?;
    for (other_quote, craftsman) in others {
        notifications::notify(
            &*txn,
            craftsman,
            &Event::QuoteDeclined {
                job: job.id,
                title: job.title.clone(),
                quote: other_quote,
            },
        )
        .await?;
    }
    txn.commit().await?;
    core.outbox_wakeup.notify_one();
    Ok((job, contract))
}

/// Declines one quote (owner).
pub async fn decline(
    core: &Core,
    caller: &Authenticated,
    job_id: Uuid,
    quote_id: Uuid,
) -> Result<quotes::Model> {
    let txn = core.db.begin_write().await?;
    let job = load_for_update(core, &*txn, job_id).await?;
    ensure_owner(&job, caller, false)?;
    let quote = load_quote(&*txn, job.id, quote_id).await?;
    if !quote_may(quote.status, QuoteStatus::Declined, OfferActor::Client) {
        return Err(ErrorCode::QuoteNotPending.into());
    }
    let now = time::now();
    let mut active: quotes::ActiveModel = quote.into();
    active.status = Set(QuoteStatus::Declined);
    active.updated_at = Set(now);
    let quote = active.update(&*txn).await?;
    notifications::notify(
        &*txn,
        quote.craftsman_id,
        &Event::QuoteDeclined {
            job: job.id,
            title: job.title.clone(),
            quote: quote.id,
        },
    )
    .await?;
    reopen_if_no_live_quotes(core, &*txn, &job).await?;
    txn.commit().await?;
    core.outbox_wakeup.notify_one();
    Ok(quote)
}

/// Withdraws one's own live quote.
pub async fn withdraw(
    core: &Core,
    caller: &Authenticated,
    job_id: Uuid,
    quote_id: Uuid,
) -> Result<quotes::Model> {
    let txn = core.db.begin_write().await?;
    let job = load_for_update(core, &*txn, job_id).await?;
    let quote = load_quote(&*txn, job.id, quote_id).await?;
    if quote.craftsman_id != caller.user.id {
        return Err(ErrorCode::Forbidden.into());
    }
    if !quote_may(quote.status, QuoteStatus::Withdrawn, OfferActor::Craftsman) {
        return Err(ErrorCode::QuoteNotPending.into());
    }
    let mut active: quotes::ActiveModel = quote.into();
    active.status = Set(QuoteStatus::Withdrawn);
    active.updated_at = Set(time::now());
    let quote = active.update(&*txn).await?;
    reopen_if_no_live_quotes(core, &*txn, &job).await?;
    txn.commit().await?;
    Ok(quote)
}

/// A quoted job with no live quote left is simply posted again.
async fn reopen_if_no_live_quotes(
    core: &Core,
    conn: &impl ConnectionTrait,
    job: &jobs::Model,
) -> Result<()> {
    if job.status != JobStatus::Quoted {
        return Ok(());
    }
    let live = quotes::Entity::find()
        .filter(quotes::Column::JobId.eq(job.id))
        .filter(quotes::Column::Status.eq(SUBMITTED))
        .count(conn)
        .await?;
    if live == 0 {
        apply_transition(core, conn, Move::system(job, JobStatus::Posted)).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::platform_fee;

    #[test]
    fn fee_rounds_half_up_in_minor_units() {
        assert_eq!(platform_fee(10_000, 500).ok(), Some(500));
        assert_eq!(platform_fee(999, 500).ok(), Some(50));
        assert_eq!(platform_fee(989, 500).ok(), Some(49));
        assert_eq!(platform_fee(1, 500).ok(), Some(0));
        assert_eq!(platform_fee(0, 500).ok(), Some(0));
    }
}
