//! Writing a review (`POST /api/reviews`) and changing it while it is
//! still blind (`PUT /api/reviews/:id`).

use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use serde_json::json;
use souk_db::{
    entities::{contracts, reviews},
    enums::{ContractStatus, EscrowStatus, ReviewStatus},
};
use uuid::Uuid;

use super::{MAX_COMMENT, ReviewView, reveal, sentiment, sides, window};
use crate::{
    Core,
    accounts::{Authenticated, validate::optional_text},
    error::{Error, ErrorCode, FieldErrors, FieldIssue, Result},
    notifications::{self, Event, TrustEvent},
};

/// A review as its author sends it.
#[derive(Debug, Clone, Default)]
pub struct NewReview {
    /// The contract reviewed, or its job.
    pub contract: Option<Uuid>,
    pub job: Option<Uuid>,
    pub rating: Option<i64>,
    pub comment: Option<String>,
}

/// A change to a blind review (`None`: unchanged; an empty comment clears it).
#[derive(Debug, Clone, Default)]
pub struct ReviewEdit {
    pub rating: Option<i64>,
    pub comment: Option<String>,
}

fn check_rating(errors: &mut FieldErrors, rating: Option<i64>) -> i32 {
    match rating {
        None => {
            errors.add("rating", FieldIssue::Required);
            0
        }
        Some(r) => match i32::try_from(r).ok().filter(|r| (1..=5).contains(r)) {
            Some(r) => r,
            None => {
                errors.add("rating", FieldIssue::out_of_range(1, 5));
                0
            }
        },
    }
}

/// The contract named by id or by its job, locked for the write.
async fn contract_for(
    core: &Core,
    conn: &impl ConnectionTrait,
    contract: Option<Uuid>,
    job: Option<Uuid>,
) -> Result<contracts::Model> {
    let query = match (contract, job) {
        (Some(id), _) => contracts::Entity::find_by_id(id),
        (None, Some(job)) => contracts::Entity::find().filter(contracts::Column::JobId.eq(job)),
        (None, None) => {
            return Err(Error::Validation(FieldErrors::single(
                "contractId",
                FieldIssue::Required,
            )));
        }
    };
    let found = core.db.for_update(query).one(conn).await?;
    let found = match (found, contract) {
        (Some(found), _) => found,
        (None, Some(_)) => return Err(ErrorCode::ContractNotFound.into()),
        (None, None) => return Err(ErrorCode::NoContract.into()),
    };
    if let (Some(_), Some(job)) = (contract, job)
        && found.job_id != job
    {
        return Err(Error::Validation(FieldErrors::single(
            "jobId",
            FieldIssue::Invalid,
        )));
    }
    Ok(found)
}

/// Whether a contract can be reviewed at all: completed, and not refunded
/// in full (a refund on completion means the work was not delivered).
fn reviewable(contract: &contracts::Model) -> Result<()> {
    if contract.status == ContractStatus::Completed
        && contract.escrow_status != EscrowStatus::Refunded
    {
        return Ok(());
    }
    Err(Error::with_details(
        ErrorCode::ContractNotCompleted,
        json!({ "contractStatus": contract.status.as_str(), "escrowStatus": contract.escrow_status.as_str() }),
    ))
}

/// `POST /api/reviews`: the caller reviews the other side of a completed
/// contract, once, within the window. The review stays blind until the
/// other side has written (both are revealed now) or the window closes
/// (revealed by the scheduler).
pub async fn create(core: &Core, caller: &Authenticated, input: NewReview) -> Result<ReviewView> {
    let mut errors = FieldErrors::new();
    let rating = check_rating(&mut errors, input.rating);
    let comment = optional_text(
        &mut errors,
        "comment",
        input.comment.as_deref(),
        MAX_COMMENT,
    );
    if input.contract.is_none() && input.job.is_none() {
        errors.add("contractId", FieldIssue::Required);
    }
    errors.into_result()?;
    let me = caller.user.id;
    let txn = core.db.begin_write().await?.without_account_changes();
    // The contract's lock orders the two sides' writes: the second sees
    // the first and reveals both.
    let contract = contract_for(core, &*txn, input.contract, input.job).await?;
    let (role, reviewee) = sides(&contract, me).ok_or(ErrorCode::NotAParty)?;
    reviewable(&contract)?;
    let (job, deadline) = window(core, &*txn, &contract).await?;
    let deadline = deadline.ok_or(ErrorCode::ContractNotCompleted)?;
    let now = core.clock.now();
    if now >= deadline {
        return Err(Error::with_details(
            ErrorCode::ReviewWindowClosed,
            json!({ "reviewDeadlineAt": deadline }),
        ));
    }
    let existing = reviews::Entity::find()
        .filter(reviews::Column::ContractId.eq(contract.id))
        .all(&*txn)
        .await?;
    if existing.iter().any(|r| r.reviewer_id == me) {
        return Err(ErrorCode::AlreadyReviewed.into());
    }
    let feeling = sentiment::analyze(comment.as_deref().unwrap_or_default());
    let review = reviews::ActiveModel {
        id: Set(Uuid::now_v7()),
        contract_id: Set(contract.id),
        job_id: Set(job.id),
        reviewer_id: Set(me),
        reviewee_id: Set(reviewee),
        reviewer_role: Set(role.to_owned()),
        rating: Set(rating),
        comment: Set(comment),
        sentiment_score: Set(feeling.score),
        sentiment_label: Set(feeling.label.as_str().to_owned()),
        status: Set(ReviewStatus::Pending),
        reply: Set(None),
        replied_at: Set(None),
        revealed_at: Set(None),
        hidden_reason: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&*txn)
    .await?;
    let mut review = review;
    let others: Vec<reviews::Model> = existing
        .into_iter()
        .filter(|r| r.status == ReviewStatus::Pending)
        .collect();
    if others.is_empty() {
        let waiting = Event::Trust(TrustEvent::ReviewWaiting {
            job: job.id,
            title: job.title.clone(),
            contract: contract.id,
            deadline,
        });
        notifications::notify(&*txn, reviewee, &waiting).await?;
        reveal::schedule(&*txn, contract.id, deadline).await?;
    } else {
        let mut both = others;
        both.push(review.clone());
        reveal::reveal(&*txn, &contract, &job, &both, now, Some(me)).await?;
        review.status = ReviewStatus::Revealed;
        review.revealed_at = Some(now);
        review.updated_at = now;
    }
    txn.commit().await?;
    core.outbox_wakeup.notify_one();
    Ok(ReviewView { review, deadline })
}

/// `PUT /api/reviews/:id`: the author changes a review while it is still
/// blind and the window open.
pub async fn edit(
    core: &Core,
    caller: &Authenticated,
    id: Uuid,
    change: ReviewEdit,
) -> Result<ReviewView> {
    let mut errors = FieldErrors::new();
    let rating = change.rating.map(|r| check_rating(&mut errors, Some(r)));
    let comment = change
        .comment
        .as_ref()
        .map(|c| optional_text(&mut errors, "comment", Some(c), MAX_COMMENT));
    errors.into_result()?;
    let txn = core.db.begin_write().await?.without_account_changes();
    let review = reviews::Entity::find_by_id(id)
        .one(&*txn)
        .await?
        .ok_or(ErrorCode::ReviewNotFound)?;
    if review.reviewer_id != caller.user.id {
        // Someone else's review: as invisible as [`super::read::one`] says.
        super::read::visible_to(&review, caller)?;
        return Err(ErrorCode::Forbidden.into());
    }
    let contract = core
        .db
        .for_update(contracts::Entity::find_by_id(review.contract_id))
        .one(&*txn)
        .await?
        .ok_or(ErrorCode::ContractNotFound)?;
    // Read again under the contract's lock: the other side may have just
    // written, revealing both.
    let review = reviews::Entity::find_by_id(id)
        .one(&*txn)
        .await?
        .ok_or(ErrorCode::ReviewNotFound)?;
    let (_, deadline) = window(core, &*txn, &contract).await?;
    let deadline = deadline.ok_or(ErrorCode::ContractNotCompleted)?;
    if review.status != ReviewStatus::Pending || core.clock.now() >= deadline {
        return Err(Error::with_details(
            ErrorCode::ReviewNotEditable,
            json!({ "status": review.status.as_str(), "reviewDeadlineAt": deadline }),
        ));
    }
    let now = core.clock.now();
    let mut active: reviews::ActiveModel = review.clone().into();
    if let Some(rating) = rating {
        active.rating = Set(rating);
    }
    if let Some(comment) = comment {
        let feeling = sentiment::analyze(comment.as_deref().unwrap_or_default());
        active.sentiment_score = Set(feeling.score);
        active.sentiment_label = Set(feeling.label.as_str().to_owned());
        active.comment = Set(comment);
    }
    active.updated_at = Set(now);
    let review = active.update(&*txn).await?;
    txn.commit().await?;
    Ok(ReviewView { review, deadline })
}
