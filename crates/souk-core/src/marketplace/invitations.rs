//! Invitations, seed 001's rules: only the owner invites, only to a posted
//! job, only craftsmen, once per craftsman per job, never again after a
//! rejection; the craftsman answers once.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use souk_db::{
    entities::{invitations, jobs, users},
    enums::InvitationStatus,
};
use uuid::Uuid;

use super::{
    JobStatus,
    access::ensure_owner,
    jobs::{load, load_for_update, with_jobs},
    offer_lifecycles::{OfferActor, invitation_may},
};
use crate::{
    Core,
    accounts::{Authenticated, Role, role_of},
    error::{Error, ErrorCode, FieldErrors, FieldIssue, Result, is_unique_violation},
    notifications::{self, Event},
    pagination::{Page, PageRequest},
    time,
};

/// Invites a craftsman to the caller's posted job.
pub async fn invite(
    core: &Core,
    caller: &Authenticated,
    job_id: Uuid,
    craftsman: Option<String>,
) -> Result<invitations::Model> {
    let craftsman_id = craftsman
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .ok_or_else(|| {
            Error::Validation(FieldErrors::single("craftsmanId", FieldIssue::Required))
        })?;
    let craftsman_id = Uuid::parse_str(craftsman_id)
        .map_err(|_| Error::Validation(FieldErrors::single("craftsmanId", FieldIssue::Invalid)))?;
    let txn = core.db.begin_write().await?;
    let job = load_for_update(core, &*txn, job_id).await?;
    ensure_owner(&job, caller, false)?;
    if job.status != JobStatus::Posted {
        return Err(ErrorCode::JobNotOpen.into());
    }
    let target = users::Entity::find_by_id(craftsman_id)
        .filter(users::Column::DeletedAt.is_null())
        .one(&*txn)
        .await?
        .ok_or(Error::code(ErrorCode::UserNotFound))?;
    if role_of(&target) != Role::Craftsman
        || target.banned_at.is_some()
        || target.deactivated_at.is_some()
    {
        return Err(Error::Validation(FieldErrors::single(
            "craftsmanId",
            FieldIssue::Invalid,
        )));
    }
    if let Some(existing) = invitations::Entity::find()
        .filter(invitations::Column::JobId.eq(job.id))
        .filter(invitations::Column::CraftsmanId.eq(craftsman_id))
        .one(&*txn)
        .await?
    {
        return Err(if existing.status == InvitationStatus::Rejected {
            ErrorCode::InvitationWasRejected
        } else {
            ErrorCode::AlreadyInvited
        }
        .into());
    }
    let invitation = invitations::ActiveModel {
        id: Set(Uuid::now_v7()),
        job_id: Set(job.id),
        craftsman_id: Set(craftsman_id),
        status: Set(InvitationStatus::Pending),
        responded_at: Set(None),
        created_at: Set(time::now()),
    }
    .insert(&*txn)
    .await
    .map_err(|err| {
        if is_unique_violation(&err) {
            Error::code(ErrorCode::AlreadyInvited)
        } else {
            err.into()
        }
    })?;
    notifications::notify(
        &*txn,
        craftsman_id,
        &Event::Invited {
            job: job.id,
            title: job.title.clone(),
            invitation: invitation.id,
        },
    )
    .await?;
    txn.commit().await?;
    core.outbox_wakeup.notify_one();
    Ok(invitation)
}

/// The invitations of a job (owner and staff).
pub async fn list_for_job(
    core: &Core,
    caller: &Authenticated,
    job_id: Uuid,
) -> Result<Vec<invitations::Model>> {
    let job = load(core.db.conn(), job_id).await?;
    ensure_owner(&job, caller, true)?;
    Ok(invitations::Entity::find()
        .filter(invitations::Column::JobId.eq(job.id))
        .order_by_asc(invitations::Column::CreatedAt)
        .all(core.db.conn())
        .await?)
}

/// The invited craftsman answers `accepted` or `rejected`, once.
pub async fn respond(
    core: &Core,
    caller: &Authenticated,
    job_id: Uuid,
    response: Option<String>,
) -> Result<invitations::Model> {
    if caller.role != Role::Craftsman {
        return Err(ErrorCode::CraftsmenOnly.into());
    }
    let accepted = match response.as_deref().map(|r| r.trim().to_lowercase()) {
        Some(r) if r == "accepted" || r == "accept" => true,
        Some(r) if r == "rejected" || r == "reject" => false,
        None => {
            return Err(Error::Validation(FieldErrors::single(
                "response",
                FieldIssue::Required,
            )));
        }
        Some(_) => {
            return Err(Error::Validation(FieldErrors::single(
                "response",
                FieldIssue::OneOf(vec!["accepted", "rejected"]),
            )));
        }
    };
    let txn = core.db.begin_write().await?;
    let job = load_for_update(core, &*txn, job_id).await?;
    let invitation = invitations::Entity::find()
        .filter(invitations::Column::JobId.eq(job.id))
        .filter(invitations::Column::CraftsmanId.eq(caller.user.id))
        .one(&*txn)
        .await?
        .ok_or(Error::code(ErrorCode::InvitationNotFound))?;
    let answer = if accepted {
        InvitationStatus::Accepted
    } else {
        InvitationStatus::Rejected
    };
    if !invitation_may(invitation.status, answer, OfferActor::Craftsman) {
        return Err(ErrorCode::AlreadyResponded.into());
    }
    let mut active: invitations::ActiveModel = invitation.into();
    active.status = Set(answer);
    active.responded_at = Set(Some(time::now()));
    let invitation = active.update(&*txn).await?;
    notifications::notify(
        &*txn,
        job.client_id,
        &Event::InvitationAnswered {
            job: job.id,
            title: job.title.clone(),
            invitation: invitation.id,
            accepted,
        },
    )
    .await?;
    txn.commit().await?;
    core.outbox_wakeup.notify_one();
    Ok(invitation)
}

/// An invitation with its job.
pub type InvitationWithJob = (invitations::Model, Option<jobs::Model>);

/// A craftsman's invitations, newest first.
pub async fn mine(
    core: &Core,
    caller: &Authenticated,
    page: PageRequest,
) -> Result<Page<InvitationWithJob>> {
    if caller.role != Role::Craftsman {
        return Err(ErrorCode::CraftsmenOnly.into());
    }
    let query =
        invitations::Entity::find().filter(invitations::Column::CraftsmanId.eq(caller.user.id));
    let total = query.clone().count(core.db.conn()).await?;
    let items = query
        .order_by_desc(invitations::Column::CreatedAt)
        .order_by_desc(invitations::Column::Id)
        .offset(page.offset())
        .limit(page.limit)
        .all(core.db.conn())
        .await?;
    let items = with_jobs(core.db.conn(), items, |i| i.job_id).await?;
    Ok(Page::new(items, page, total))
}
