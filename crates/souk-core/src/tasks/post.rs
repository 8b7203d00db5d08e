//! Posting, editing and ending a task. Posting takes the whole cost from
//! the buyer's wallet into the task's escrow in the same transaction;
//! adding slots takes theirs, removing free ones (never below approved +
//! pending) refunds theirs; deleting (the buyer, or staff — logged) and
//! expiry at the completion date refund what is neither paid nor owed to a
//! pending submission, which is still decided later (by the buyer or the
//! automatic approval) and never lost.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set};
use serde_json::json;
use souk_db::{entities::tasks, enums::TaskStatus};
use uuid::Uuid;

use super::{due, money};
use crate::{
    Core,
    accounts::{
        Authenticated, Role,
        validate::{optional_text, required_text},
    },
    admin::activity,
    error::{Error, ErrorCode, FieldErrors, FieldIssue, Result},
    integrators::events::{self, DomainEvent, EventType},
    money::settings,
    notifications::{self, Event, TaskEvent},
    time,
};

/// Most workers one task may ask for.
pub const MAX_WORKERS: i64 = 10_000;

/// A task as sent; on edit every field is optional.
#[derive(Debug, Clone, Default)]
pub struct TaskInput {
    pub title: Option<String>,
    pub detail: Option<String>,
    pub submission_info: Option<String>,
    pub required_workers: Option<i64>,
    pub payable_amount: Option<i64>,
    /// RFC 3339, or a date (the end of that day, UTC).
    pub completion_date: Option<String>,
    /// A catalog service id or slug.
    pub category: Option<String>,
}

fn completion(
    errors: &mut FieldErrors,
    raw: Option<&str>,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let raw = raw.map(str::trim).filter(|r| !r.is_empty())?;
    let parsed = DateTime::parse_from_rfc3339(raw)
        .map(|d| d.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(23, 59, 59))
                .map(|d| d.and_utc())
        });
    match parsed {
        None => {
            errors.add("completionDate", FieldIssue::Invalid);
            None
        }
        Some(at) if at <= now || at > now + Duration::days(365) => {
            errors.add("completionDate", FieldIssue::Invalid);
            None
        }
        Some(at) => Some(at),
    }
}

fn workers(errors: &mut FieldErrors, value: i64, min: i64) -> i32 {
    if !(min..=MAX_WORKERS).contains(&value) {
        errors.add(
            "requiredWorkers",
            FieldIssue::out_of_range(min, MAX_WORKERS),
        );
    }
    i32::try_from(value.clamp(0, MAX_WORKERS)).unwrap_or(0)
}

/// `POST /api/tasks` (clients): checked, then posted and funded at once.
pub async fn create(core: &Core, caller: &Authenticated, input: TaskInput) -> Result<tasks::Model> {
    if caller.role != Role::Client {
        return Err(ErrorCode::ClientsOnly.into());
    }
    let now = core.clock.now();
    let mut errors = FieldErrors::new();
    let title = required_text(&mut errors, "title", input.title.as_deref(), 200);
    if !title.is_empty() && title.chars().count() < 3 {
        errors.add("title", FieldIssue::TooShort(3));
    }
    let detail = required_text(&mut errors, "detail", input.detail.as_deref(), 5000);
    let info = required_text(
        &mut errors,
        "submissionInfo",
        input.submission_info.as_deref(),
        2000,
    );
    let required = match input.required_workers {
        None => {
            errors.add("requiredWorkers", FieldIssue::Required);
            0
        }
        Some(n) => workers(&mut errors, n, 1),
    };
    let max = core.settings.max_amount;
    let payable = match input.payable_amount {
        None => {
            errors.add("payableAmount", FieldIssue::Required);
            0
        }
        Some(p) if !(1..=max).contains(&p) => {
            errors.add("payableAmount", FieldIssue::out_of_range(1, max));
            0
        }
        Some(p) => p,
    };
    let completion_date = completion(&mut errors, input.completion_date.as_deref(), now);
    if input.completion_date.is_none() {
        errors.add("completionDate", FieldIssue::Required);
    }
    let category = match input
        .category
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        None => None,
        Some(key) => {
            let found = crate::marketplace::jobs::find_category(core.db.conn(), key).await?;
            if found.is_none() {
                errors.add("category", FieldIssue::Invalid);
            }
            found
        }
    };
    errors.into_result()?;
    let total = money::cost(i64::from(required), payable, max, "requiredWorkers")?;
    let Some(completion_date) = completion_date else {
        return Err(ErrorCode::ValidationFailed.into());
    };
    let rules = settings::load(core.db.conn(), &core.settings).await?;
    let fee_bps = category
        .as_ref()
        .and_then(|c| c.commission_bps)
        .unwrap_or(rules.commission_bps);
    let task = tasks::Model {
        id: Uuid::now_v7(),
        buyer_id: caller.user.id,
        title,
        detail,
        submission_info: info,
        image: None,
        category_id: category.map(|c| c.id),
        required_workers: required,
        payable_amount: payable,
        fee_bps,
        auto_approve_days: i32::try_from(rules.task_auto_approve_days).unwrap_or(3),
        currency: rules.currency.clone(),
        completion_date,
        status: TaskStatus::Open,
        approved_count: 0,
        pending_count: 0,
        created_at: now,
        updated_at: now,
        closed_at: None,
    };
    let txn = core.db.begin_write().await?.without_account_changes();
    let saved = tasks::ActiveModel::from(task.clone()).insert(&*txn).await?;
    let funded = money::fund(
        &*txn,
        &saved,
        total,
        format!("task_fund:{}", saved.id),
        vec![due::expiry(&saved)?, events::write(&posted(&saved))],
    )
    .await;
    if let Err(err) = funded {
        drop(txn);
        return Err(money::shortfall(core.db.conn(), caller.user.id, total, err).await);
    }
    txn.commit().await?;
    core.outbox_wakeup.notify_one();
    Ok(saved)
}

/// Loads a task (404 `task_not_found`), locked on PostgreSQL inside a write.
pub async fn locked(core: &Core, conn: &impl ConnectionTrait, id: Uuid) -> Result<tasks::Model> {
    core.db
        .for_update(tasks::Entity::find_by_id(id))
        .one(conn)
        .await?
        .ok_or_else(|| ErrorCode::TaskNotFound.into())
}

/// `PUT /api/tasks/:id` (its buyer, while open): the text and the date, and
/// the number of workers — more takes their cost, fewer (not below approved
/// + pending) refunds theirs.
pub async fn update(
    core: &Core,
    caller: &Authenticated,
    id: Uuid,
    input: TaskInput,
) -> Result<tasks::Model> {
    let now = core.clock.now();
    let txn = core.db.begin_write().await?.without_account_changes();
    let task = locked(core, &*txn, id).await?;
    if task.buyer_id != caller.user.id {
        return Err(ErrorCode::Forbidden.into());
    }
    if task.status != TaskStatus::Open {
        return Err(Error::with_details(
            ErrorCode::TaskClosed,
            json!({ "status": task.status.as_str() }),
        ));
    }
    let mut errors = FieldErrors::new();
    if input.payable_amount.is_some() {
        errors.add("payableAmount", FieldIssue::NotAllowed);
    }
    let title = optional_text(&mut errors, "title", input.title.as_deref(), 200);
    let detail = optional_text(&mut errors, "detail", input.detail.as_deref(), 5000);
    let info = optional_text(
        &mut errors,
        "submissionInfo",
        input.submission_info.as_deref(),
        2000,
    );
    let date = completion(&mut errors, input.completion_date.as_deref(), now);
    let committed = i64::from(task.approved_count) + i64::from(task.pending_count);
    let required = input
        .required_workers
        .map(|n| workers(&mut errors, n, committed.max(1)));
    errors.into_result()?;
    let mut active: tasks::ActiveModel = task.clone().into();
    if let Some(title) = title {
        active.title = Set(title);
    }
    if let Some(detail) = detail {
        active.detail = Set(detail);
    }
    if let Some(info) = info {
        active.submission_info = Set(info);
    }
    if let Some(date) = date {
        active.completion_date = Set(date);
    }
    active.updated_at = Set(time::now());
    if let Some(required) = required {
        active.required_workers = Set(required);
    }
    let saved = active.update(&*txn).await?;
    if let Some(required) = required {
        let change = i64::from(required) - i64::from(task.required_workers);
        let key = format!(
            "task_resize:{}:{}",
            task.id,
            saved.updated_at.timestamp_micros()
        );
        let max = core.settings.max_amount;
        if change > 0 {
            let extra = money::cost(change, task.payable_amount, max, "requiredWorkers")?;
            if let Err(err) = money::fund(&*txn, &saved, extra, key, Vec::new()).await {
                drop(txn);
                return Err(money::shortfall(core.db.conn(), caller.user.id, extra, err).await);
            }
        } else if change < 0 {
            let back = money::cost(-change, task.payable_amount, i64::MAX, "requiredWorkers")?;
            money::refund(&*txn, &saved, back, key).await?;
        }
    }
    if date.is_some() {
        gated_expiry(&*txn, &saved).await?;
    }
    txn.commit().await?;
    core.outbox_wakeup.notify_one();
    Ok(saved)
}

async fn gated_expiry(conn: &impl ConnectionTrait, task: &tasks::Model) -> Result<()> {
    souk_db::gated::run_open(conn, vec![due::expiry(task)?]).await?;
    Ok(())
}

/// Who ends a task.
#[derive(Debug, Clone, Copy)]
pub enum Ender<'a> {
    Buyer(&'a Authenticated),
    Staff(&'a Authenticated, Option<&'a str>),
    /// Its completion date passed.
    Expiry,
}

/// Ends an open task: `closed` (deleted) or `expired`; refunds what is
/// neither paid nor owed to a pending submission.
pub async fn end(core: &Core, id: Uuid, by: Ender<'_>) -> Result<tasks::Model> {
    let txn = core.db.begin_write().await?.without_account_changes();
    let task = locked(core, &*txn, id).await?;
    match by {
        Ender::Buyer(caller) if task.buyer_id != caller.user.id => {
            return Err(ErrorCode::Forbidden.into());
        }
        Ender::Staff(caller, _) => caller.require_staff()?,
        Ender::Expiry if core.clock.now() < task.completion_date => return Ok(task),
        _ => {}
    }
    if task.status != TaskStatus::Open {
        if matches!(by, Ender::Expiry) {
            return Ok(task);
        }
        return Err(Error::with_details(
            ErrorCode::TaskClosed,
            json!({ "status": task.status.as_str() }),
        ));
    }
    let status = if matches!(by, Ender::Expiry) {
        TaskStatus::Expired
    } else {
        TaskStatus::Closed
    };
    let back = money::owed(&task, true)? - money::owed(&task, false)?;
    let now = time::now();
    let mut active: tasks::ActiveModel = task.clone().into();
    active.status = Set(status);
    active.closed_at = Set(Some(now));
    active.updated_at = Set(now);
    let saved = active.update(&*txn).await?;
    money::refund(&*txn, &saved, back, format!("task_end:{}", task.id)).await?;
    let mut writes = vec![events::write(&closed(&task, &by, status, back))];
    match by {
        Ender::Staff(caller, reason) => {
            activity::record(
                &*txn,
                Some(caller.user.id),
                "task.remove",
                "task",
                Some(task.id.to_string()),
                json!({ "reason": reason, "refunded": back }),
            )
            .await?;
        }
        Ender::Expiry => {
            writes.extend(notifications::writes(
                task.buyer_id,
                &Event::Task(TaskEvent::Expired {
                    task: task.id,
                    title: task.title.clone(),
                    refunded: back,
                    currency: task.currency.clone(),
                }),
            )?);
        }
        Ender::Buyer(_) => {}
    }
    souk_db::gated::run_open(&*txn, writes).await?;
    txn.commit().await?;
    core.outbox_wakeup.notify_one();
    Ok(saved)
}

/// The `task.posted` event: what the task pays and asks for.
fn posted(task: &tasks::Model) -> DomainEvent {
    DomainEvent::new(
        EventType::TaskPosted,
        Some(task.buyer_id),
        "task",
        task.id,
        json!({
            "buyerId": task.buyer_id,
            "title": task.title,
            "categoryId": task.category_id,
            "requiredWorkers": task.required_workers,
            "payableAmount": task.payable_amount,
            "currency": task.currency,
            "completionDate": task.completion_date,
            "status": task.status.as_str(),
        }),
    )
}

/// The `task.closed` event of `task` (as read, open) ended `to` by `by`,
/// `refunded` going back to its buyer.
fn closed(task: &tasks::Model, by: &Ender<'_>, to: TaskStatus, refunded: i64) -> DomainEvent {
    let actor = match by {
        Ender::Buyer(caller) | Ender::Staff(caller, _) => Some(caller.user.id),
        Ender::Expiry => None,
    };
    DomainEvent::new(
        EventType::TaskClosed,
        actor,
        "task",
        task.id,
        json!({
            "buyerId": task.buyer_id,
            "status": to.as_str(),
            "approvedCount": task.approved_count,
            "pendingCount": task.pending_count,
            "refunded": refunded,
            "currency": task.currency,
        }),
    )
    .previous(json!({ "status": task.status.as_str() }))
}

/// A task's expiry came due (the scheduler).
pub async fn on_expiry(core: &Core, task: Uuid) -> Result<()> {
    end(core, task, Ender::Expiry).await.map(|_| ())
}

/// `PUT /api/tasks/:id/image`: sets the task's picture (its buyer;
/// recognised from the bytes and resized like job photos), the previous
/// file deleted.
pub async fn set_image(
    core: &Core,
    caller: &Authenticated,
    id: Uuid,
    upload: bytes::Bytes,
) -> Result<tasks::Model> {
    let task = super::read::load(core.db.conn(), id).await?;
    if task.buyer_id != caller.user.id {
        return Err(ErrorCode::Forbidden.into());
    }
    let key = crate::marketplace::jobs::store_image(core, &format!("tasks/{id}"), "image", upload)
        .await?;
    let old = task.image.clone();
    let mut active: tasks::ActiveModel = task.into();
    active.image = Set(Some(key));
    active.updated_at = Set(time::now());
    let txn = core.db.begin_write().await?.without_account_changes();
    let saved = active.update(&*txn).await?;
    txn.commit().await?;
    if let Some(old) = old
        && let Err(err) = core.storage.delete(&old).await
    {
        tracing::warn!(key = old, error = %err, "a task's old picture stayed behind");
    }
    Ok(saved)
}
