//! `POST /api/jobs/:id/report`: a member reports a job post (once each;
//! not their own).

use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use serde_json::json;
use souk_db::entities::{job_reports, jobs};
use uuid::Uuid;

use crate::{
    Core,
    accounts::{Authenticated, validate::required_text},
    admin::activity,
    error::{ErrorCode, FieldErrors, Result},
};

/// Reports a job; `false` when the caller had reported it already.
pub async fn report_job(
    core: &Core,
    caller: &Authenticated,
    job: Uuid,
    reason: Option<&str>,
) -> Result<bool> {
    let mut errors = FieldErrors::new();
    let reason = required_text(&mut errors, "reason", reason, 1_000);
    errors.into_result()?;
    let txn = core.db.begin_write().await?.without_account_changes();
    let row = jobs::Entity::find_by_id(job)
        .one(&*txn)
        .await?
        .ok_or(ErrorCode::JobNotFound)?;
    if row.client_id == caller.user.id {
        return Err(ErrorCode::CannotTargetSelf.into());
    }
    if job_reports::Entity::find_by_id((job, caller.user.id))
        .one(&*txn)
        .await?
        .is_some()
    {
        return Ok(false);
    }
    job_reports::ActiveModel {
        job_id: Set(job),
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
        "job.report",
        "job",
        Some(job.to_string()),
        json!({ "reason": reason }),
    )
    .await?;
    txn.commit().await?;
    Ok(true)
}
