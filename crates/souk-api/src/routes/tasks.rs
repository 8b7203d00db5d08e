//! Micro-tasks over HTTP: post, list, edit and delete tasks (buyers),
//! submit proof (workers), decide, appeal, rate buyers, the top workers,
//! and staff's view.

use axum::{
    Json,
    extract::{Multipart, State},
    http::StatusCode,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use souk_core::{
    Settings,
    i18n::Notice,
    tasks::{
        decide::{self, Decision},
        post::{self, Ender, TaskInput},
        read::{self, TaskFilter, TaskView},
        stats::{self, BuyerRecord, TopWorker, WorkerRecord},
        submit::{self, SubmissionInput},
    },
};
use souk_db::{
    entities::{task_submissions, tasks},
    enums::{SubmissionStatus, TaskStatus},
};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    error::{ApiError, ErrorBody},
    extract::{ApiJson, ApiQuery, Auth, IdPath, PageQuery, ReqLang},
    routes::users::file_field,
    state::AppState,
    views::{MessageResponse, Paged},
};

/// Routes of this feature.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_task, list_tasks))
        .routes(routes!(top_workers))
        .routes(routes!(get_task, update_task, delete_task))
        .routes(routes!(set_task_image))
        .routes(routes!(submit_to_task, task_submissions))
        .routes(routes!(my_submissions))
        .routes(routes!(approve_submission))
        .routes(routes!(reject_submission))
        .routes(routes!(appeal_submission))
        .routes(routes!(decide_appeal))
        .routes(routes!(rate_buyer))
        .routes(routes!(user_task_record))
        .routes(routes!(admin_tasks))
        .routes(routes!(admin_remove_task))
}

/// A task as sent; on `PUT` only the fields sent change (`payableAmount`
/// is fixed once posted).
#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase")]
pub struct TaskRequest {
    /// 3–200 characters.
    pub title: Option<String>,
    /// ≤ 5,000 characters.
    pub detail: Option<String>,
    /// What proof to give (≤ 2,000 characters).
    pub submission_info: Option<String>,
    /// 1–10,000 (on edit: not below approved + pending).
    pub required_workers: Option<i64>,
    /// Minor units, per approved submission.
    pub payable_amount: Option<i64>,
    /// RFC 3339 or `YYYY-MM-DD` (the end of that day, UTC); within a year.
    pub completion_date: Option<String>,
    /// A catalog service id or slug.
    pub category: Option<String>,
}

impl From<TaskRequest> for TaskInput {
    fn from(b: TaskRequest) -> Self {
        Self {
            title: b.title,
            detail: b.detail,
            submission_info: b.submission_info,
            required_workers: b.required_workers,
            payable_amount: b.payable_amount,
            completion_date: b.completion_date,
            category: b.category,
        }
    }
}

/// A buyer's public record.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BuyerRecordBody {
    pub decided: u64,
    pub approved: u64,
    /// Approved out of decided (0–1).
    pub approval_rate: Option<f64>,
    pub median_decision_hours: Option<f64>,
    /// Workers' average rating of the buyer.
    pub rating: Option<f64>,
    pub rating_count: i32,
}

impl From<BuyerRecord> for BuyerRecordBody {
    fn from(r: BuyerRecord) -> Self {
        Self {
            decided: r.decided,
            approved: r.approved,
            approval_rate: r.approval_rate,
            median_decision_hours: r.median_decision_hours,
            rating: r.rating,
            rating_count: r.rating_count,
        }
    }
}

/// A worker's record.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WorkerRecordBody {
    pub decided: u64,
    pub approved: u64,
    pub approval_rate: Option<f64>,
    /// Minor units received over every task.
    pub earnings: i64,
}

impl From<WorkerRecord> for WorkerRecordBody {
    fn from(r: WorkerRecord) -> Self {
        Self {
            decided: r.decided,
            approved: r.approved,
            approval_rate: r.approval_rate,
            earnings: r.earnings,
        }
    }
}

/// A task.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TaskResponse {
    pub id: Uuid,
    pub buyer_id: Uuid,
    pub title: String,
    pub detail: String,
    pub submission_info: String,
    pub image: Option<String>,
    pub category_id: Option<Uuid>,
    pub required_workers: i32,
    pub payable_amount: i64,
    /// What a worker receives per approval, after the commission.
    pub worker_receives: i64,
    /// Days after which a submission nobody decided is approved (fixed
    /// when posted, from the `taskAutoApproveDays` setting).
    pub auto_approve_days: i32,
    pub currency: String,
    pub completion_date: DateTime<Utc>,
    pub status: TaskStatus,
    pub approved_count: i32,
    pub pending_count: i32,
    pub free_slots: i32,
    /// The buyer's record (on one task's page).
    pub buyer: Option<BuyerRecordBody>,
    /// The caller's own submission to it.
    pub my_submission: Option<SubmissionResponse>,
    /// What the task's escrow holds now (its buyer and staff, on one
    /// task's page): the unpaid slots while open, the pending ones after.
    pub held_amount: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
}

impl TaskResponse {
    fn new(t: tasks::Model, settings: &Settings) -> Self {
        let worker_receives = souk_core::tasks::money::split(&t).map_or(0, |(net, _)| net);
        Self {
            free_slots: read::free_slots(&t),
            id: t.id,
            buyer_id: t.buyer_id,
            title: t.title,
            detail: t.detail,
            submission_info: t.submission_info,
            image: t.image.as_deref().map(|k| settings.file_url(k)),
            category_id: t.category_id,
            required_workers: t.required_workers,
            payable_amount: t.payable_amount,
            worker_receives,
            auto_approve_days: t.auto_approve_days,
            currency: t.currency,
            completion_date: t.completion_date,
            status: t.status,
            approved_count: t.approved_count,
            pending_count: t.pending_count,
            buyer: None,
            my_submission: None,
            held_amount: None,
            created_at: t.created_at,
            updated_at: t.updated_at,
            closed_at: t.closed_at,
        }
    }

    fn view(v: TaskView, settings: &Settings) -> Self {
        Self {
            buyer: Some(v.buyer.into()),
            my_submission: v.mine.map(SubmissionResponse::from),
            held_amount: v.held,
            ..Self::new(v.task, settings)
        }
    }
}

/// A submission.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SubmissionResponse {
    pub id: Uuid,
    pub task_id: Uuid,
    pub worker_id: Uuid,
    pub details: String,
    pub attachments: Vec<String>,
    pub status: SubmissionStatus,
    pub reason: Option<String>,
    pub appeal_note: Option<String>,
    pub appealed_at: Option<DateTime<Utc>>,
    pub decided_at: Option<DateTime<Utc>>,
    /// What the worker received for it.
    pub paid: i64,
    pub created_at: DateTime<Utc>,
}

impl From<task_submissions::Model> for SubmissionResponse {
    fn from(s: task_submissions::Model) -> Self {
        Self {
            attachments: serde_json::from_str(&s.attachments).unwrap_or_default(),
            id: s.id,
            task_id: s.task_id,
            worker_id: s.worker_id,
            details: s.details,
            status: s.status,
            reason: s.reason,
            appeal_note: s.appeal_note,
            appealed_at: s.appealed_at,
            decided_at: s.decided_at,
            paid: s.paid,
            created_at: s.created_at,
        }
    }
}

/// Posts a task (clients): its whole cost (`requiredWorkers ×
/// payableAmount`) moves from the wallet into the task's escrow now.
#[utoipa::path(post, path = "/api/tasks", tag = "tasks", security(("bearer" = [])),
    request_body = TaskRequest,
    responses((status = 201, body = TaskResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, description = "clients_only", body = ErrorBody),
              (status = 409, description = "insufficient_funds (details: needed, available, shortfall)", body = ErrorBody)))]
pub async fn create_task(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<TaskRequest>,
) -> Result<(StatusCode, Json<TaskResponse>), ApiError> {
    let task = post::create(&state.core, &caller, body.into()).await?;
    Ok((
        StatusCode::CREATED,
        Json(TaskResponse::new(task, &state.core.settings)),
    ))
}

/// Filters.
#[derive(Deserialize, ToSchema, utoipa::IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct TaskQuery {
    /// The caller's own tasks, in every status.
    pub mine: Option<bool>,
    /// A catalog service id or slug.
    pub category: Option<String>,
    /// At least this much per approved submission.
    pub min_payable: Option<i64>,
    /// Read by the pagination extractor; listed here for the docs.
    #[allow(dead_code)]
    pub page: Option<u64>,
    #[allow(dead_code)]
    pub limit: Option<u64>,
}

/// Open tasks with free slots, newest first (`mine=true`: the caller's own).
#[utoipa::path(get, path = "/api/tasks", tag = "tasks", security(("bearer" = [])),
    params(TaskQuery),
    responses((status = 200, body = Paged<TaskResponse>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn list_tasks(
    State(state): State<AppState>,
    Auth(caller): Auth,
    PageQuery(page): PageQuery,
    ApiQuery(query): ApiQuery<TaskQuery>,
) -> Result<Json<Paged<TaskResponse>>, ApiError> {
    let filter = TaskFilter {
        mine: query.mine.unwrap_or(false),
        category: query.category,
        min_payable: query.min_payable,
    };
    let found = read::list(&state.core, &caller, filter, page).await?;
    Ok(Json(Paged::new(found, |t| {
        TaskResponse::new(t, &state.core.settings)
    })))
}

/// One task, with its buyer's record and the caller's own submission.
#[utoipa::path(get, path = "/api/tasks/{id}", tag = "tasks", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = TaskResponse), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_task(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(id): IdPath,
) -> Result<Json<TaskResponse>, ApiError> {
    let view = read::one(&state.core, &caller, id).await?;
    Ok(Json(TaskResponse::view(view, &state.core.settings)))
}

/// Edits a task (its buyer, while open): text and date; more workers take
/// their cost from the wallet, fewer (not below approved + pending) refund
/// theirs.
#[utoipa::path(put, path = "/api/tasks/{id}", tag = "tasks", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = TaskRequest,
    responses((status = 200, body = TaskResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "task_closed / insufficient_funds", body = ErrorBody)))]
pub async fn update_task(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<TaskRequest>,
) -> Result<Json<TaskResponse>, ApiError> {
    let task = post::update(&state.core, &caller, id, body.into()).await?;
    Ok(Json(TaskResponse::new(task, &state.core.settings)))
}

/// Deletes a task (its buyer): what is neither paid nor owed to a pending
/// submission goes back to the wallet; pending submissions are still
/// decided.
#[utoipa::path(delete, path = "/api/tasks/{id}", tag = "tasks", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = TaskResponse), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, description = "task_closed", body = ErrorBody)))]
pub async fn delete_task(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(id): IdPath,
) -> Result<Json<TaskResponse>, ApiError> {
    let task = post::end(&state.core, id, Ender::Buyer(&caller)).await?;
    Ok(Json(TaskResponse::new(task, &state.core.settings)))
}

/// A submission as sent.
#[derive(Deserialize, ToSchema)]
pub struct SubmissionRequest {
    /// The proof (≤ 5,000 characters).
    #[schema(required = true, nullable = false)]
    pub details: Option<String>,
    /// Up to 10 links or uploaded files' URLs.
    pub attachments: Option<Vec<String>>,
}

/// Submits proof (craftsmen; once per task; not one's own; while a slot is
/// free).
#[utoipa::path(post, path = "/api/tasks/{id}/submissions", tag = "tasks", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = SubmissionRequest,
    responses((status = 201, body = SubmissionResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, description = "craftsmen_only / own_task", body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "task_full / task_closed / already_submitted", body = ErrorBody)))]
pub async fn submit_to_task(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<SubmissionRequest>,
) -> Result<(StatusCode, Json<SubmissionResponse>), ApiError> {
    let input = SubmissionInput {
        details: body.details,
        attachments: body.attachments.unwrap_or_default(),
    };
    let saved = submit::submit(&state.core, &caller, id, input).await?;
    Ok((StatusCode::CREATED, Json(saved.into())))
}

/// Status filter.
#[derive(Deserialize, ToSchema, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SubmissionQuery {
    /// pending, approved, rejected, appealed, appeal_denied.
    pub status: Option<String>,
    /// Read by the pagination extractor; listed here for the docs.
    #[allow(dead_code)]
    pub page: Option<u64>,
    #[allow(dead_code)]
    pub limit: Option<u64>,
}

/// A task's submissions, oldest first (its buyer and staff).
#[utoipa::path(get, path = "/api/tasks/{id}/submissions", tag = "tasks", security(("bearer" = [])),
    params(("id" = Uuid, Path), SubmissionQuery),
    responses((status = 200, body = Paged<SubmissionResponse>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn task_submissions(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(id): IdPath,
    PageQuery(page): PageQuery,
    ApiQuery(query): ApiQuery<SubmissionQuery>,
) -> Result<Json<Paged<SubmissionResponse>>, ApiError> {
    let found = read::submissions(&state.core, &caller, id, query.status.as_deref(), page).await?;
    Ok(Json(Paged::new(found, SubmissionResponse::from)))
}

/// A worker's submissions with their earnings.
#[derive(Serialize, ToSchema)]
pub struct MySubmissionsResponse {
    pub data: Vec<SubmissionResponse>,
    pub pagination: crate::views::Pagination,
    /// Minor units received over every task.
    pub earnings: i64,
}

/// The caller's submissions, newest first, with their earnings so far.
#[utoipa::path(get, path = "/api/submissions/mine", tag = "tasks", security(("bearer" = [])),
    params(SubmissionQuery),
    responses((status = 200, body = MySubmissionsResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn my_submissions(
    State(state): State<AppState>,
    Auth(caller): Auth,
    PageQuery(page): PageQuery,
    ApiQuery(query): ApiQuery<SubmissionQuery>,
) -> Result<Json<MySubmissionsResponse>, ApiError> {
    let mine = read::mine(&state.core, &caller, query.status.as_deref(), page).await?;
    let paged = Paged::new(mine.page, SubmissionResponse::from);
    Ok(Json(MySubmissionsResponse {
        data: paged.data,
        pagination: paged.pagination,
        earnings: mine.earnings,
    }))
}

/// A reason or note.
#[derive(Deserialize, ToSchema, Default)]
pub struct ReasonBody {
    pub reason: Option<String>,
}

async fn decided(
    state: &AppState,
    caller: &souk_core::accounts::Authenticated,
    submission: Uuid,
    to: SubmissionStatus,
    reason: Option<String>,
) -> Result<Json<SubmissionResponse>, ApiError> {
    let ask = Decision {
        submission,
        to,
        reason,
    };
    Ok(Json(
        decide::request(&state.core, caller, ask).await?.into(),
    ))
}

/// Approves a pending submission (the task's buyer, or staff): the worker
/// is paid from the task's escrow, less the commission.
#[utoipa::path(post, path = "/api/submissions/{id}/approve", tag = "tasks", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = SubmissionResponse), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, description = "invalid_transition / conflict", body = ErrorBody)))]
pub async fn approve_submission(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(id): IdPath,
) -> Result<Json<SubmissionResponse>, ApiError> {
    decided(&state, &caller, id, SubmissionStatus::Approved, None).await
}

/// Rejects a pending submission with a reason (required); the slot reopens.
#[utoipa::path(post, path = "/api/submissions/{id}/reject", tag = "tasks", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = ReasonBody,
    responses((status = 200, body = SubmissionResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn reject_submission(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<ReasonBody>,
) -> Result<Json<SubmissionResponse>, ApiError> {
    decided(&state, &caller, id, SubmissionStatus::Rejected, body.reason).await
}

/// An appeal's note.
#[derive(Deserialize, ToSchema)]
pub struct AppealBody {
    /// Why the rejection was wrong (required).
    pub note: Option<String>,
}

/// Appeals a rejection (its worker; once, within 7 days).
#[utoipa::path(post, path = "/api/submissions/{id}/appeal", tag = "tasks", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = AppealBody,
    responses((status = 200, body = SubmissionResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "invalid_transition / appeal_window_closed", body = ErrorBody)))]
pub async fn appeal_submission(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<AppealBody>,
) -> Result<Json<SubmissionResponse>, ApiError> {
    decided(&state, &caller, id, SubmissionStatus::Appealed, body.note).await
}

/// An appeal's decision.
#[derive(Deserialize, ToSchema)]
pub struct AppealDecisionBody {
    /// true: paid as an approval; false: the rejection stands.
    #[schema(required = true, nullable = false)]
    pub uphold: Option<bool>,
}

/// Decides an appeal: the buyer, or staff once the buyer has left it 3 days.
#[utoipa::path(post, path = "/api/submissions/{id}/appeal/decide", tag = "tasks", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = AppealDecisionBody,
    responses((status = 200, body = SubmissionResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "invalid_transition / appeal_with_buyer / insufficient_funds", body = ErrorBody)))]
pub async fn decide_appeal(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<AppealDecisionBody>,
) -> Result<Json<SubmissionResponse>, ApiError> {
    let Some(uphold) = body.uphold else {
        return Err(souk_core::Error::Validation(souk_core::FieldErrors::single(
            "uphold",
            souk_core::FieldIssue::Required,
        ))
        .into());
    };
    let to = if uphold {
        SubmissionStatus::Approved
    } else {
        SubmissionStatus::AppealDenied
    };
    decided(&state, &caller, id, to, None).await
}

/// A rating of a buyer.
#[derive(Deserialize, ToSchema)]
pub struct RatingBody {
    /// 1–5.
    #[schema(required = true, nullable = false, minimum = 1, maximum = 5)]
    pub rating: Option<i64>,
    pub comment: Option<String>,
}

/// Rates the task's buyer (a worker whose submission was decided; once).
#[utoipa::path(post, path = "/api/tasks/{id}/rating", tag = "tasks", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = RatingBody,
    responses((status = 201, body = MessageResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 409, description = "not_rateable / already_rated", body = ErrorBody)))]
pub async fn rate_buyer(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ReqLang(lang): ReqLang,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<RatingBody>,
) -> Result<(StatusCode, Json<MessageResponse>), ApiError> {
    stats::rate_buyer(
        &state.core,
        &caller,
        id,
        body.rating,
        body.comment.as_deref(),
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(MessageResponse::notice(Notice::BuyerRated, lang)),
    ))
}

/// A top worker.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TopWorkerBody {
    pub user_id: Uuid,
    pub first_name: String,
    pub last_name: String,
    /// Minor units received from approved submissions.
    pub earnings: i64,
    pub approved: i64,
}

impl From<TopWorker> for TopWorkerBody {
    fn from(t: TopWorker) -> Self {
        Self {
            user_id: t.user.id,
            first_name: t.user.first_name,
            last_name: t.user.last_name,
            earnings: t.earnings,
            approved: t.approved,
        }
    }
}

/// The top workers.
#[derive(Serialize, ToSchema)]
pub struct TopWorkersResponse {
    pub data: Vec<TopWorkerBody>,
}

/// The six workers with the most approved earnings.
#[utoipa::path(get, path = "/api/tasks/top-workers", tag = "tasks",
    responses((status = 200, body = TopWorkersResponse)))]
pub async fn top_workers(
    State(state): State<AppState>,
) -> Result<Json<TopWorkersResponse>, ApiError> {
    let found = stats::top_workers(&state.core).await?;
    Ok(Json(TopWorkersResponse {
        data: found.into_iter().map(TopWorkerBody::from).collect(),
    }))
}

/// A member's micro-task record, both ways.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TaskRecordResponse {
    pub as_buyer: BuyerRecordBody,
    pub as_worker: WorkerRecordBody,
}

/// A member's public micro-task record: as a buyer (approval rate, median
/// decision time, rating) and as a worker (approval rate, earnings).
#[utoipa::path(get, path = "/api/users/{id}/task-record", tag = "tasks",
    params(("id" = Uuid, Path)),
    responses((status = 200, body = TaskRecordResponse), (status = 404, body = ErrorBody)))]
pub async fn user_task_record(
    State(state): State<AppState>,
    IdPath(id): IdPath,
) -> Result<Json<TaskRecordResponse>, ApiError> {
    let conn = state.core.db.conn();
    Ok(Json(TaskRecordResponse {
        as_buyer: stats::buyer_record(conn, id).await?.into(),
        as_worker: stats::worker_record(conn, id).await?.into(),
    }))
}

/// Staff filter.
#[derive(Deserialize, ToSchema, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AdminTaskQuery {
    /// open, closed, expired.
    pub status: Option<String>,
    /// Read by the pagination extractor; listed here for the docs.
    #[allow(dead_code)]
    pub page: Option<u64>,
    #[allow(dead_code)]
    pub limit: Option<u64>,
}

/// Every task, newest first (staff).
#[utoipa::path(get, path = "/api/admin/tasks", tag = "admin", security(("bearer" = [])),
    params(AdminTaskQuery),
    responses((status = 200, body = Paged<TaskResponse>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody)))]
pub async fn admin_tasks(
    State(state): State<AppState>,
    Auth(caller): Auth,
    PageQuery(page): PageQuery,
    ApiQuery(query): ApiQuery<AdminTaskQuery>,
) -> Result<Json<Paged<TaskResponse>>, ApiError> {
    let found = read::all(&state.core, &caller, query.status.as_deref(), page).await?;
    Ok(Json(Paged::new(found, |t| {
        TaskResponse::new(t, &state.core.settings)
    })))
}

/// Takes a task down (staff; logged): the unspent cost goes back to the
/// buyer; pending submissions are still decided.
#[utoipa::path(delete, path = "/api/admin/tasks/{id}", tag = "admin", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = ReasonBody,
    responses((status = 200, body = TaskResponse), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, description = "task_closed", body = ErrorBody)))]
pub async fn admin_remove_task(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<ReasonBody>,
) -> Result<Json<TaskResponse>, ApiError> {
    let reason = body.reason.as_deref();
    let task = post::end(&state.core, id, Ender::Staff(&caller, reason)).await?;
    Ok(Json(TaskResponse::new(task, &state.core.settings)))
}

/// Multipart task picture.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct TaskImageUpload {
    /// JPEG, PNG, GIF or WebP (recognised from the bytes), ≤ 5 MB; stored
    /// at most 1600 px on a side.
    #[schema(format = Binary, content_media_type = "application/octet-stream")]
    image: String,
}

/// Sets a task's picture (its buyer).
#[utoipa::path(put, path = "/api/tasks/{id}/image", tag = "tasks", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    request_body(content = TaskImageUpload, content_type = "multipart/form-data"),
    responses((status = 200, body = TaskResponse),
              (status = 400, description = "missing_file / unsupported_image", body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 413, body = ErrorBody)))]
pub async fn set_task_image(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(id): IdPath,
    mut multipart: Multipart,
) -> Result<Json<TaskResponse>, ApiError> {
    let bytes = file_field(&mut multipart, "image").await?;
    let task = post::set_image(&state.core, &caller, id, bytes).await?;
    Ok(Json(TaskResponse::new(task, &state.core.settings)))
}
