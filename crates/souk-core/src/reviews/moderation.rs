//! Around a revealed review: the reviewee's one reply, members' reports,
//! and staff hiding a review (it leaves the reviewee's rating) or
//! restoring it. Every staff step lands in the activity log.

use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set, sea_query::Expr};
use serde_json::json;
use souk_db::{
    entities::{jobs, review_reports, reviews},
    enums::ReviewStatus,
};
use uuid::Uuid;

use super::{
    MAX_REPLY,
    lifecycle::{self, ReviewActor},
    read::visible_to,
    reveal::count_rating,
};
use crate::{
    Core,
    accounts::{Authenticated, validate::required_text},
    admin::activity,
    error::{Error, ErrorCode, FieldErrors, Result},
    notifications::{self, Event, TrustEvent},
};

/// `POST /api/reviews/:id/reply`: the reviewee answers a revealed review,
/// once.
pub async fn reply(
    core: &Core,
    caller: &Authenticated,
    id: Uuid,
    text: Option<&str>,
) -> Result<reviews::Model> {
    let mut errors = FieldErrors::new();
    let text = required_text(&mut errors, "text", text, MAX_REPLY);
    errors.into_result()?;
    let txn = core.db.begin_write().await?.without_account_changes();
    let review = reviews::Entity::find_by_id(id)
        .one(&*txn)
        .await?
        .ok_or(ErrorCode::ReviewNotFound)?;
    visible_to(&review, caller)?;
    if review.reviewee_id != caller.user.id {
        return Err(ErrorCode::NotTheReviewee.into());
    }
    if review.status != ReviewStatus::Revealed {
        return Err(ErrorCode::ReviewNotRevealed.into());
    }
    let now = core.clock.now();
    // Guarded: two replies racing, one wins.
    let moved = reviews::Entity::update_many()
        .col_expr(reviews::Column::Reply, Expr::value(text))
        .col_expr(reviews::Column::RepliedAt, Expr::value(now))
        .col_expr(reviews::Column::UpdatedAt, Expr::value(now))
        .filter(reviews::Column::Id.eq(id))
        .filter(reviews::Column::Reply.is_null())
        .exec(&*txn)
        .await?;
    if moved.rows_affected == 0 {
        return Err(ErrorCode::AlreadyReplied.into());
    }
    let review = reviews::Entity::find_by_id(id)
        .one(&*txn)
        .await?
        .ok_or(ErrorCode::ReviewNotFound)?;
    txn.commit().await?;
    Ok(review)
}

/// `POST /api/reviews/:id/report`: any member reports a review they can
/// see (once each; a repeat answers `false`). Not one's own.
pub async fn report(
    core: &Core,
    caller: &Authenticated,
    id: Uuid,
    reason: Option<&str>,
) -> Result<bool> {
    let mut errors = FieldErrors::new();
    let reason = required_text(&mut errors, "reason", reason, MAX_REPLY);
    errors.into_result()?;
    let txn = core.db.begin_write().await?.without_account_changes();
    let review = reviews::Entity::find_by_id(id)
        .one(&*txn)
        .await?
        .ok_or(ErrorCode::ReviewNotFound)?;
    visible_to(&review, caller)?;
    if review.reviewer_id == caller.user.id {
        return Err(ErrorCode::CannotTargetSelf.into());
    }
    let already = review_reports::Entity::find_by_id((id, caller.user.id))
        .one(&*txn)
        .await?;
    if already.is_some() {
        return Ok(false);
    }
    review_reports::ActiveModel {
        review_id: Set(id),
        reporter_id: Set(caller.user.id),
        reason: Set(reason.clone()),
        created_at: Set(core.clock.now()),
        resolved_at: Set(None),
        resolved_by: Set(None),
    }
    .insert(&*txn)
    .await?;
    activity::record(
        &*txn,
        Some(caller.user.id),
        "review.report",
        "review",
        Some(id.to_string()),
        json!({ "reason": reason }),
    )
    .await?;
    txn.commit().await?;
    Ok(true)
}

/// What staff do to a review.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaffAction {
    Hide,
    Restore,
}

/// `POST /api/admin/reviews/:id/hide|restore`: staff take a revealed
/// review down (its rating leaves the reviewee's) or put it back; the
/// review's open reports are resolved; its author hears of it.
pub async fn moderate(
    core: &Core,
    caller: &Authenticated,
    id: Uuid,
    action: StaffAction,
    note: Option<&str>,
) -> Result<reviews::Model> {
    caller.require_staff()?;
    let note = note
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_owned);
    let txn = core.db.begin_write().await?.without_account_changes();
    let review = reviews::Entity::find_by_id(id)
        .one(&*txn)
        .await?
        .ok_or(ErrorCode::ReviewNotFound)?;
    let (from, to) = match action {
        StaffAction::Hide => (ReviewStatus::Revealed, ReviewStatus::Hidden),
        StaffAction::Restore => (ReviewStatus::Hidden, ReviewStatus::Revealed),
    };
    if review.status != from {
        return Err(Error::with_details(
            ErrorCode::InvalidTransition,
            json!({ "from": review.status.as_str(), "to": to.as_str() }),
        ));
    }
    lifecycle::ensure(from, to, ReviewActor::Staff)?;
    let now = core.clock.now();
    let moved = reviews::Entity::update_many()
        .col_expr(reviews::Column::Status, Expr::value(to))
        .col_expr(
            reviews::Column::HiddenReason,
            Expr::value(if to == ReviewStatus::Hidden {
                note.clone()
            } else {
                None
            }),
        )
        .col_expr(reviews::Column::UpdatedAt, Expr::value(now))
        .filter(reviews::Column::Id.eq(id))
        .filter(reviews::Column::Status.eq(from))
        .exec(&*txn)
        .await?;
    if moved.rows_affected != 1 {
        return Err(ErrorCode::Conflict.into());
    }
    let sign = if lifecycle::counts(to) { 1 } else { -1 };
    count_rating(&*txn, review.reviewee_id, review.rating, sign).await?;
    review_reports::Entity::update_many()
        .col_expr(review_reports::Column::ResolvedAt, Expr::value(now))
        .col_expr(
            review_reports::Column::ResolvedBy,
            Expr::value(caller.user.id),
        )
        .filter(review_reports::Column::ReviewId.eq(id))
        .filter(review_reports::Column::ResolvedAt.is_null())
        .exec(&*txn)
        .await?;
    let title = jobs::Entity::find_by_id(review.job_id)
        .one(&*txn)
        .await?
        .map(|j| j.title)
        .unwrap_or_default();
    notifications::notify(
        &*txn,
        review.reviewer_id,
        &Event::Trust(TrustEvent::ReviewModerated {
            review: id,
            title,
            hidden: to == ReviewStatus::Hidden,
        }),
    )
    .await?;
    let action_name = match action {
        StaffAction::Hide => "review.hide",
        StaffAction::Restore => "review.restore",
    };
    activity::record(
        &*txn,
        Some(caller.user.id),
        action_name,
        "review",
        Some(id.to_string()),
        json!({ "note": note, "reviewee": review.reviewee_id }),
    )
    .await?;
    let review = reviews::Entity::find_by_id(id)
        .one(&*txn)
        .await?
        .ok_or(ErrorCode::ReviewNotFound)?;
    txn.commit().await?;
    core.outbox_wakeup.notify_one();
    Ok(review)
}
