//! Seed 001's `PATCH /api/jobs/:id/status` where it meets disputes: moving
//! a job to `disputed` opens a dispute (reason `other`, the request's
//! reason as its description), and staff moving a disputed job to
//! `completed` or `cancelled` resolve its dispute as a release or a
//! refund — so a dispute record, its timeline and its money always go
//! together, whichever route is used. Every other move is the lifecycle's.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use souk_db::entities::{disputes, jobs};
use uuid::Uuid;

use super::{
    open::{self, OpenDispute},
    settle::{self, Resolution},
};
use crate::{
    Core,
    accounts::Authenticated,
    error::{Error, FieldErrors, FieldIssue, Result},
    marketplace::{
        JobStatus,
        job_rows::load,
        transitions::{self, Request},
    },
};

/// `PATCH /api/jobs/:id/status`.
pub async fn change_status(
    core: &Core,
    caller: &Authenticated,
    id: Uuid,
    target: Option<&str>,
    reason: Option<String>,
) -> Result<jobs::Model> {
    let to = transitions::parse_target(target)?;
    if to == JobStatus::Disputed {
        let input = OpenDispute {
            contract: None,
            job: Some(id),
            reason: Some("other".to_owned()),
            description: reason,
            via_job_status: true,
        };
        return Ok(open::open(core, caller, input).await?.1);
    }
    if caller.role.is_staff() && matches!(to, JobStatus::Completed | JobStatus::Cancelled) {
        let live = disputes::Entity::find()
            .filter(disputes::Column::JobId.eq(id))
            .filter(disputes::Column::ResolvedAt.is_null())
            .one(core.db.conn())
            .await?;
        if let Some(dispute) = live.filter(|d| d.status.is_live()) {
            if reason.as_deref().is_none_or(|r| r.trim().is_empty()) {
                return Err(Error::Validation(FieldErrors::single(
                    "reason",
                    FieldIssue::Required,
                )));
            }
            let decision = if to == JobStatus::Completed {
                "release"
            } else {
                "refund"
            };
            let resolution = Resolution {
                decision: Some(decision.to_owned()),
                craftsman_amount: None,
                note: reason,
            };
            settle::resolve(core, caller, dispute.id, resolution).await?;
            return load(core.db.conn(), id).await;
        }
    }
    transitions::request(
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
