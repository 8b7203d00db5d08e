//! Reading tasks and submissions: one task (anyone signed in; with its
//! free slots and the buyer's record), the open ones with free slots
//! (newest first; the buyer's own with `mine`), a task's submissions (its
//! buyer and staff), a worker's own submissions with earnings, and staff's
//! list of every task.

use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, sea_query::Expr,
};
use souk_db::{
    entities::{task_submissions, tasks},
    enums::{SubmissionStatus, TaskStatus},
};
use uuid::Uuid;

use super::stats::{self, BuyerRecord};
use crate::{
    Core,
    accounts::Authenticated,
    error::{Error, ErrorCode, FieldErrors, FieldIssue, Result},
    money::{Account, ledger},
    pagination::{Page, PageRequest},
};

/// Loads a task (404 `task_not_found`).
pub async fn load(conn: &impl ConnectionTrait, id: Uuid) -> Result<tasks::Model> {
    tasks::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(|| ErrorCode::TaskNotFound.into())
}

/// A task with what a reader needs beside it.
#[derive(Debug, Clone)]
pub struct TaskView {
    pub task: tasks::Model,
    pub buyer: BuyerRecord,
    /// The caller's own submission, if any.
    pub mine: Option<task_submissions::Model>,
    /// What the task's escrow holds now (its buyer and staff only).
    pub held: Option<i64>,
}

/// Slots still free.
pub fn free_slots(task: &tasks::Model) -> i32 {
    (task.required_workers - task.approved_count - task.pending_count).max(0)
}

/// `GET /api/tasks/:id`.
pub async fn one(core: &Core, caller: &Authenticated, id: Uuid) -> Result<TaskView> {
    let conn = core.db.conn();
    let task = load(conn, id).await?;
    let buyer = stats::buyer_record(conn, task.buyer_id).await?;
    let mine = task_submissions::Entity::find()
        .filter(task_submissions::Column::TaskId.eq(id))
        .filter(task_submissions::Column::WorkerId.eq(caller.user.id))
        .one(conn)
        .await?;
    let held = if task.buyer_id == caller.user.id || caller.role.is_staff() {
        Some(ledger::balance(conn, Account::TaskEscrow(task.id)).await?)
    } else {
        None
    };
    Ok(TaskView {
        task,
        buyer,
        mine,
        held,
    })
}

/// `GET /api/tasks` filters.
#[derive(Debug, Clone, Default)]
pub struct TaskFilter {
    /// The caller's own tasks, in every status.
    pub mine: bool,
    pub category: Option<String>,
    /// At least this much per approved submission.
    pub min_payable: Option<i64>,
}

/// `GET /api/tasks`: open tasks with free slots, newest first.
pub async fn list(
    core: &Core,
    caller: &Authenticated,
    filter: TaskFilter,
    page: PageRequest,
) -> Result<Page<tasks::Model>> {
    let conn = core.db.conn();
    let mut query = tasks::Entity::find();
    if filter.mine {
        query = query.filter(tasks::Column::BuyerId.eq(caller.user.id));
    } else {
        query = query
            .filter(tasks::Column::Status.eq(TaskStatus::Open))
            .filter(tasks::Column::CompletionDate.gt(core.clock.now()))
            .filter(Expr::cust(
                "tasks.approved_count + tasks.pending_count < tasks.required_workers",
            ));
    }
    if let Some(key) = filter
        .category
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        let Some(category) = crate::marketplace::jobs::find_category(conn, key).await? else {
            return Err(Error::Validation(FieldErrors::single(
                "category",
                FieldIssue::Invalid,
            )));
        };
        query = query.filter(tasks::Column::CategoryId.eq(category.id));
    }
    if let Some(min) = filter.min_payable {
        query = query.filter(tasks::Column::PayableAmount.gte(min));
    }
    page_of(conn, query, page).await
}

async fn page_of(
    conn: &impl ConnectionTrait,
    query: sea_orm::Select<tasks::Entity>,
    page: PageRequest,
) -> Result<Page<tasks::Model>> {
    let total = query.clone().count(conn).await?;
    let items = query
        .order_by_desc(tasks::Column::CreatedAt)
        .order_by_desc(tasks::Column::Id)
        .offset(page.offset())
        .limit(page.limit)
        .all(conn)
        .await?;
    Ok(Page::new(items, page, total))
}

/// `GET /api/admin/tasks` (staff): every task, newest first, by status.
pub async fn all(
    core: &Core,
    caller: &Authenticated,
    status: Option<&str>,
    page: PageRequest,
) -> Result<Page<tasks::Model>> {
    caller.require_staff()?;
    let mut query = tasks::Entity::find();
    match status.map(str::trim).filter(|s| !s.is_empty()) {
        None => {}
        Some(word) => {
            let found = [TaskStatus::Open, TaskStatus::Closed, TaskStatus::Expired]
                .into_iter()
                .find(|s| s.as_str() == word)
                .ok_or_else(|| {
                    Error::Validation(FieldErrors::single(
                        "status",
                        FieldIssue::OneOf(vec!["open", "closed", "expired"]),
                    ))
                })?;
            query = query.filter(tasks::Column::Status.eq(found));
        }
    }
    page_of(core.db.conn(), query, page).await
}

fn parse_status(raw: Option<&str>) -> Result<Option<SubmissionStatus>> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(word) => SubmissionStatus::parse(word).map(Some).ok_or_else(|| {
            Error::Validation(FieldErrors::single(
                "status",
                FieldIssue::OneOf(SubmissionStatus::ALL.iter().map(|s| s.as_str()).collect()),
            ))
        }),
    }
}

/// `GET /api/tasks/:id/submissions` (its buyer and staff), oldest first.
pub async fn submissions(
    core: &Core,
    caller: &Authenticated,
    task: Uuid,
    status: Option<&str>,
    page: PageRequest,
) -> Result<Page<task_submissions::Model>> {
    let conn = core.db.conn();
    let found = load(conn, task).await?;
    if found.buyer_id != caller.user.id && !caller.role.is_staff() {
        return Err(ErrorCode::Forbidden.into());
    }
    let status = parse_status(status)?;
    let mut query =
        task_submissions::Entity::find().filter(task_submissions::Column::TaskId.eq(task));
    if let Some(status) = status {
        query = query.filter(task_submissions::Column::Status.eq(status));
    }
    let total = query.clone().count(conn).await?;
    let items = query
        .order_by_asc(task_submissions::Column::CreatedAt)
        .order_by_asc(task_submissions::Column::Id)
        .offset(page.offset())
        .limit(page.limit)
        .all(conn)
        .await?;
    Ok(Page::new(items, page, total))
}

/// A worker's submissions and earnings.
#[derive(Debug, Clone)]
pub struct MySubmissions {
    pub page: Page<task_submissions::Model>,
    /// What the worker received so far, over every task.
    pub earnings: i64,
}

/// `GET /api/submissions/mine`: newest first.
pub async fn mine(
    core: &Core,
    caller: &Authenticated,
    status: Option<&str>,
    page: PageRequest,
) -> Result<MySubmissions> {
    let conn = core.db.conn();
    let status = parse_status(status)?;
    let mut query = task_submissions::Entity::find()
        .filter(task_submissions::Column::WorkerId.eq(caller.user.id));
    if let Some(status) = status {
        query = query.filter(task_submissions::Column::Status.eq(status));
    }
    let total = query.clone().count(conn).await?;
    let items = query
        .order_by_desc(task_submissions::Column::CreatedAt)
        .order_by_desc(task_submissions::Column::Id)
        .offset(page.offset())
        .limit(page.limit)
        .all(conn)
        .await?;
    let earnings = stats::worker_record(conn, caller.user.id).await?.earnings;
    Ok(MySubmissions {
        page: Page::new(items, page, total),
        earnings,
    })
}
