//! The staff side of disputes: the queue (by status, assignee, overdue),
//! taking a dispute, asking a party for information, and the figures kept
//! for analytics (the median time to resolution).

use chrono::Duration;
use sea_orm::{
    ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, sea_query::Expr,
};
use serde_json::json;
use souk_db::{entities::disputes, enums::DisputeStatus};
use uuid::Uuid;

use super::{
    MAX_TEXT, deadline, ensure_live, for_update, lifecycle::DisputeActor, move_status, record,
    reload, tell,
};
use crate::{
    Core,
    accounts::{Authenticated, validate::required_text},
    admin::activity,
    error::{Error, ErrorCode, FieldErrors, FieldIssue, Result},
    money::settings,
    pagination::{Page, PageRequest},
    time,
};

/// Which disputes the queue shows.
#[derive(Debug, Clone, Default)]
pub struct QueueFilter {
    pub status: Option<DisputeStatus>,
    /// Assigned to this member of staff.
    pub assignee: Option<Uuid>,
    /// Only those whose response deadline passed while waiting on a party.
    pub overdue: bool,
}

/// `GET /api/admin/disputes`: oldest first (the longest waiting on top).
pub async fn queue(
    core: &Core,
    caller: &Authenticated,
    filter: QueueFilter,
    page: PageRequest,
) -> Result<Page<disputes::Model>> {
    caller.require_staff()?;
    let mut query = disputes::Entity::find();
    if let Some(status) = filter.status {
        query = query.filter(disputes::Column::Status.eq(status));
    }
    if let Some(assignee) = filter.assignee {
        query = query.filter(disputes::Column::AssigneeId.eq(assignee));
    }
    if filter.overdue {
        query = query
            .filter(
                disputes::Column::Status
                    .is_in([DisputeStatus::Open, DisputeStatus::AwaitingResponse]),
            )
            .filter(disputes::Column::ResponseDueAt.lt(core.clock.now()));
    }
    let total = query.clone().count(core.db.conn()).await?;
    let items = query
        .order_by_asc(disputes::Column::CreatedAt)
        .order_by_asc(disputes::Column::Id)
        .offset(page.offset())
        .limit(page.limit)
        .all(core.db.conn())
        .await?;
    Ok(Page::new(items, page, total))
}

/// `POST /api/admin/disputes/:id/assign`: the caller takes the dispute (a
/// filed one moves to `under_review`).
pub async fn assign(core: &Core, caller: &Authenticated, id: Uuid) -> Result<disputes::Model> {
    caller.require_staff()?;
    let txn = core.db.begin_write().await?.without_account_changes();
    let dispute = for_update(core, &*txn, id).await?;
    ensure_live(&dispute)?;
    let now = core.clock.now();
    if dispute.status == DisputeStatus::Open {
        move_status(
            &*txn,
            &dispute,
            DisputeStatus::UnderReview,
            DisputeActor::Staff,
            now,
        )
        .await?;
    }
    disputes::Entity::update_many()
        .col_expr(disputes::Column::AssigneeId, Expr::value(caller.user.id))
        .col_expr(disputes::Column::UpdatedAt, Expr::value(now))
        .filter(disputes::Column::Id.eq(id))
        .exec(&*txn)
        .await?;
    record(
        &*txn,
        id,
        Some(caller.user.id),
        "assigned",
        None,
        json!({}),
        now,
    )
    .await?;
    activity::record(
        &*txn,
        Some(caller.user.id),
        "dispute.assign",
        "dispute",
        Some(id.to_string()),
        json!({}),
    )
    .await?;
    let dispute = reload(&*txn, id).await?;
    txn.commit().await?;
    Ok(dispute)
}

/// `POST /api/admin/disputes/:id/request-info {partyId, message}`: staff
/// ask a party; the dispute waits on them until a new deadline.
pub async fn request_info(
    core: &Core,
    caller: &Authenticated,
    id: Uuid,
    party: Option<Uuid>,
    message: Option<&str>,
) -> Result<disputes::Model> {
    caller.require_staff()?;
    let mut errors = FieldErrors::new();
    let message = required_text(&mut errors, "message", message, MAX_TEXT);
    if party.is_none() {
        errors.add("partyId", FieldIssue::Required);
    }
    errors.into_result()?;
    let party = party.ok_or(ErrorCode::ValidationFailed)?;
    let txn = core.db.begin_write().await?.without_account_changes();
    let dispute = for_update(core, &*txn, id).await?;
    ensure_live(&dispute)?;
    if party != dispute.opened_by && party != dispute.respondent_id {
        return Err(Error::Validation(FieldErrors::single(
            "partyId",
            FieldIssue::Invalid,
        )));
    }
    let now = core.clock.now();
    if dispute.status != DisputeStatus::AwaitingResponse {
        move_status(
            &*txn,
            &dispute,
            DisputeStatus::AwaitingResponse,
            DisputeActor::Staff,
            now,
        )
        .await?;
    }
    let hours = settings::load(&*txn, &core.settings)
        .await?
        .dispute_response_hours;
    let due = time::later(now, Duration::hours(hours));
    disputes::Entity::update_many()
        .col_expr(disputes::Column::ResponseDueAt, Expr::value(due))
        .col_expr(disputes::Column::UpdatedAt, Expr::value(now))
        .filter(disputes::Column::Id.eq(id))
        .exec(&*txn)
        .await?;
    let data = json!({ "partyId": party, "responseDueAt": due });
    record(
        &*txn,
        id,
        Some(caller.user.id),
        "info_requested",
        Some(message),
        data,
        now,
    )
    .await?;
    tell(&*txn, &dispute, &[party], "info_requested").await?;
    deadline::schedule(&*txn, id, due).await?;
    activity::record(
        &*txn,
        Some(caller.user.id),
        "dispute.request_info",
        "dispute",
        Some(id.to_string()),
        json!({ "partyId": party }),
    )
    .await?;
    let dispute = reload(&*txn, id).await?;
    txn.commit().await?;
    core.outbox_wakeup.notify_one();
    Ok(dispute)
}

/// The dispute figures staff and analytics read.
#[derive(Debug, Clone, Default)]
pub struct Stats {
    /// Live disputes by status.
    pub open: u64,
    pub awaiting_response: u64,
    pub under_review: u64,
    /// Waiting on a party past the deadline.
    pub overdue: u64,
    pub resolved: u64,
    pub withdrawn: u64,
    /// Median hours from opening to a decision (resolved ones only).
    pub median_hours_to_resolution: Option<f64>,
}

/// Status, opened, resolved, response due.
type StatsRow = (DisputeStatus, At, Option<At>, At);
type At = chrono::DateTime<chrono::Utc>;

/// `GET /api/admin/disputes/stats`.
pub async fn stats(core: &Core, caller: &Authenticated) -> Result<Stats> {
    caller.require_staff()?;
    let conn = core.db.conn();
    let rows: Vec<StatsRow> = disputes::Entity::find()
        .select_only()
        .column(disputes::Column::Status)
        .column(disputes::Column::CreatedAt)
        .column(disputes::Column::ResolvedAt)
        .column(disputes::Column::ResponseDueAt)
        .into_tuple()
        .all(conn)
        .await?;
    let now = core.clock.now();
    let mut stats = Stats::default();
    let mut hours = Vec::new();
    for (status, created, resolved, due) in rows {
        match status {
            DisputeStatus::Open => stats.open += 1,
            DisputeStatus::AwaitingResponse => stats.awaiting_response += 1,
            DisputeStatus::UnderReview => stats.under_review += 1,
            DisputeStatus::Resolved => stats.resolved += 1,
            DisputeStatus::Withdrawn => stats.withdrawn += 1,
        }
        if matches!(
            status,
            DisputeStatus::Open | DisputeStatus::AwaitingResponse
        ) && due < now
        {
            stats.overdue += 1;
        }
        if let (DisputeStatus::Resolved, Some(at)) = (status, resolved) {
            hours.push(crate::num::approx_f64((at - created).num_minutes()) / 60.0);
        }
    }
    hours.sort_by(f64::total_cmp);
    stats.median_hours_to_resolution = median(&hours);
    Ok(stats)
}

fn median(sorted: &[f64]) -> Option<f64> {
    let n = sorted.len();
    let mid = n / 2;
    let value = if n % 2 == 1 {
        *sorted.get(mid)?
    } else {
        (sorted.get(mid.checked_sub(1)?)? + sorted.get(mid)?) / 2.0
    };
    Some((value * 10.0).round() / 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_is_the_middle_or_the_mean_of_the_two_middles() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[3.0]), Some(3.0));
        assert_eq!(median(&[1.0, 2.0, 10.0]), Some(2.0));
        assert_eq!(median(&[1.0, 2.0, 4.0, 10.0]), Some(3.0));
    }
}
