//! Staff decide a pending verification: approve (`verified`) or reject with
//! a reason (`rejected`; the craftsman may submit again). The craftsman is
//! told either way; the documents are deleted some days later (a setting).

use chrono::Duration;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
use serde_json::json;
use souk_db::{
    entities::{users, verifications},
    enums::VerificationStatus,
    gated,
};
use uuid::Uuid;

use super::lifecycle::{self, VerificationActor};
use crate::{
    Core,
    accounts::{Authenticated, validate::required_text},
    admin::activity,
    error::{Error, ErrorCode, FieldErrors, Result},
    integrators::events::{self, DomainEvent, EventType},
    money::settings,
    notifications::{self, Event, TrustEvent},
    outbox::{self, OutboxMessage},
    time,
};

/// Approves (`reason` `None`) or rejects a verification.
pub async fn decide(
    core: &Core,
    caller: &Authenticated,
    id: Uuid,
    approve: bool,
    reason: Option<&str>,
) -> Result<verifications::Model> {
    caller.require_staff()?;
    let reason = if approve {
        None
    } else {
        let mut errors = FieldErrors::new();
        let reason = required_text(&mut errors, "reason", reason, 1_000);
        errors.into_result()?;
        Some(reason)
    };
    let to = if approve {
        VerificationStatus::Verified
    } else {
        VerificationStatus::Rejected
    };
    let txn = core.db.begin_write().await?;
    let verification = core
        .db
        .for_update(verifications::Entity::find_by_id(id))
        .one(&*txn)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    if verification.status != VerificationStatus::Pending {
        return Err(Error::with_details(
            ErrorCode::InvalidTransition,
            json!({ "from": verification.status, "to": to }),
        ));
    }
    lifecycle::ensure(verification.status, to, VerificationActor::Staff)?;
    let now = core.clock.now();
    verifications::Entity::update_many()
        .col_expr(verifications::Column::Status, Expr::value(to))
        .col_expr(verifications::Column::Reason, Expr::value(reason.clone()))
        .col_expr(
            verifications::Column::DecidedBy,
            Expr::value(caller.user.id),
        )
        .col_expr(verifications::Column::DecidedAt, Expr::value(now))
        .col_expr(verifications::Column::UpdatedAt, Expr::value(now))
        .filter(verifications::Column::Id.eq(id))
        .exec(&*txn)
        .await?;
    users::Entity::update_many()
        .col_expr(users::Column::VerificationStatus, Expr::value(to))
        .col_expr(users::Column::UpdatedAt, Expr::value(now))
        .filter(users::Column::Id.eq(verification.user_id))
        .filter(users::Column::VerificationStatus.eq(VerificationStatus::Pending))
        .exec(&*txn)
        .await?;
    let mut writes = notifications::writes(
        verification.user_id,
        &Event::Trust(TrustEvent::VerificationDecided {
            verified: approve,
            reason: reason.clone(),
        }),
    )?;
    // What was decided, never the documents it was decided on.
    let decided = DomainEvent::new(
        EventType::VerificationDecided,
        Some(caller.user.id),
        "verification",
        id,
        json!({
            "userId": verification.user_id,
            "status": to.as_str(),
            "reason": reason,
            "decidedAt": now,
        }),
    )
    .previous(json!({ "status": verification.status.as_str() }));
    writes.push(events::write(&decided));
    gated::run_open(&*txn, writes).await?;
    let days = settings::load(&*txn, &core.settings)
        .await?
        .verification_retention_days;
    let purge_at = time::later(now, Duration::days(days));
    outbox::enqueue_at(
        &*txn,
        &OutboxMessage::PurgeVerification { verification: id },
        purge_at,
    )
    .await?;
    activity::record(
        &*txn,
        Some(caller.user.id),
        if approve {
            "verification.approve"
        } else {
            "verification.reject"
        },
        "verification",
        Some(id.to_string()),
        json!({ "userId": verification.user_id, "reason": reason }),
    )
    .await?;
    let verification = verifications::Entity::find_by_id(id)
        .one(&*txn)
        .await?
        .ok_or(ErrorCode::NotFound)?;
    txn.commit().await?;
    core.outbox_wakeup.notify_one();
    Ok(verification)
}
