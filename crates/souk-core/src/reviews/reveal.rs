//! Revealing a contract's reviews: when the second side writes (in that
//! write's transaction) or when the window closes (the outbox due row
//! written with the first review). Each revealed rating is added to its
//! reviewee's sums and both sides hear of it.

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    sea_query::{Expr, ExprTrait},
};
use serde_json::json;
use souk_db::{
    entities::{contracts, jobs, reviews, users},
    enums::ReviewStatus,
    gated,
};
use uuid::Uuid;

use super::lifecycle::{self, ReviewActor};
use crate::{
    Core,
    error::{ErrorCode, Result},
    integrators::events::{self, DomainEvent, EventType},
    notifications::{self, Event, TrustEvent},
    outbox::{self, OutboxMessage},
};

/// Adds (`sign` 1) or takes away (−1) a rating from a reviewee's sums.
pub async fn count_rating(
    conn: &impl ConnectionTrait,
    reviewee: Uuid,
    rating: i32,
    sign: i32,
) -> Result<()> {
    users::Entity::update_many()
        .col_expr(
            users::Column::RatingSum,
            Expr::col(users::Column::RatingSum).add(Expr::val(i64::from(rating) * i64::from(sign))),
        )
        .col_expr(
            users::Column::RatingCount,
            Expr::col(users::Column::RatingCount).add(Expr::val(sign)),
        )
        .filter(users::Column::Id.eq(reviewee))
        .exec(conn)
        .await?;
    Ok(())
}

/// Reveals `pending` (the contract's blind reviews) inside `conn`'s
/// transaction: status, ratings, a notice to both parties, and a
/// `review.published` event per review revealed now. `by`: whose review
/// revealed them (`None`: the window closed).
pub async fn reveal(
    conn: &impl ConnectionTrait,
    contract: &contracts::Model,
    job: &jobs::Model,
    pending: &[reviews::Model],
    now: DateTime<Utc>,
    by: Option<Uuid>,
) -> Result<()> {
    let mut writes = Vec::new();
    for review in pending {
        lifecycle::ensure(review.status, ReviewStatus::Revealed, ReviewActor::System)?;
        let moved = reviews::Entity::update_many()
            .col_expr(reviews::Column::Status, Expr::value(ReviewStatus::Revealed))
            .col_expr(reviews::Column::RevealedAt, Expr::value(now))
            .col_expr(reviews::Column::UpdatedAt, Expr::value(now))
            .filter(reviews::Column::Id.eq(review.id))
            .filter(reviews::Column::Status.eq(ReviewStatus::Pending))
            .exec(conn)
            .await?;
        if moved.rows_affected == 1 {
            count_rating(conn, review.reviewee_id, review.rating, 1).await?;
            writes.push(events::write(&published(review, job, by, now)));
        }
    }
    let event = Event::Trust(TrustEvent::ReviewsRevealed {
        job: job.id,
        title: job.title.clone(),
        contract: contract.id,
    });
    for party in [contract.client_id, contract.craftsman_id] {
        writes.extend(notifications::writes(party, &event)?);
    }
    gated::run_open(conn, writes).await?;
    Ok(())
}

/// The `review.published` event: the review as everyone may now read it.
fn published(
    review: &reviews::Model,
    job: &jobs::Model,
    by: Option<Uuid>,
    now: DateTime<Utc>,
) -> DomainEvent {
    DomainEvent::new(
        EventType::ReviewPublished,
        by,
        "review",
        review.id,
        json!({
            "contractId": review.contract_id,
            "jobId": review.job_id,
            "bookingId": job.booking_id,
            "reviewerId": review.reviewer_id,
            "revieweeId": review.reviewee_id,
            "reviewerRole": review.reviewer_role,
            "rating": review.rating,
            "comment": review.comment,
            "status": ReviewStatus::Revealed.as_str(),
            "revealedAt": now,
        }),
    )
    .previous(json!({ "status": review.status.as_str() }))
}

/// Queues the reveal of a contract's reviews at its window's close.
pub async fn schedule(
    conn: &impl ConnectionTrait,
    contract: Uuid,
    deadline: DateTime<Utc>,
) -> Result<()> {
    outbox::enqueue_at(conn, &OutboxMessage::RevealReviews { contract }, deadline).await
}

/// The due row: reveals what is still blind if the window has closed by
/// the core's clock, else queues itself again for the window's close.
pub async fn on_due(core: &Core, contract_id: Uuid) -> Result<()> {
    let txn = core.db.begin_write().await?.without_account_changes();
    let Some(contract) = core
        .db
        .for_update(contracts::Entity::find_by_id(contract_id))
        .one(&*txn)
        .await?
    else {
        return Ok(());
    };
    let pending = reviews::Entity::find()
        .filter(reviews::Column::ContractId.eq(contract.id))
        .filter(reviews::Column::Status.eq(ReviewStatus::Pending))
        .order_by_asc(reviews::Column::CreatedAt)
        .all(&*txn)
        .await?;
    if pending.is_empty() {
        return Ok(());
    }
    let (job, deadline) = super::window(core, &*txn, &contract).await?;
    let deadline = deadline.ok_or(ErrorCode::ContractNotCompleted)?;
    let now = core.clock.now();
    if now < deadline {
        schedule(&*txn, contract.id, deadline).await?;
    } else {
        reveal(&*txn, &contract, &job, &pending, now, None).await?;
    }
    txn.commit().await?;
    core.outbox_wakeup.notify_one();
    Ok(())
}
