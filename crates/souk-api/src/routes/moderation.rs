//! The moderation queue (`/api/admin/reports`) and reporting a job post
//! (`POST /api/jobs/{jobId}/report`; reviews and messages are reported on
//! their own routes).

use axum::{Json, extract::State, http::StatusCode};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use souk_core::{
    FieldErrors, FieldIssue,
    moderation::{
        ReportKind,
        queue::{self, QueueFilter, ReportItem},
        report_job, resolve,
    },
};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    error::{ApiError, ErrorBody},
    extract::{ApiJson, ApiQuery, Auth, IdPath, PageQuery},
    routes::reviews::{ReportRequest, ReportResponse},
    state::AppState,
    views::Paged,
};

/// Routes of this feature.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(report_job_post))
        .routes(routes!(report_queue))
        .routes(routes!(resolve_report))
}

/// Reports a job post to moderation (once per member; not one's own).
#[utoipa::path(post, path = "/api/jobs/{jobId}/report", tag = "jobs", security(("bearer" = [])),
    params(("jobId" = Uuid, Path)), request_body = ReportRequest,
    responses((status = 201, description = "Reported", body = ReportResponse),
              (status = 200, description = "Reported before", body = ReportResponse),
              (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, description = "cannot_target_self", body = ErrorBody),
              (status = 404, description = "job_not_found", body = ErrorBody)))]
pub async fn report_job_post(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(job): IdPath,
    ApiJson(body): ApiJson<ReportRequest>,
) -> Result<(StatusCode, Json<ReportResponse>), ApiError> {
    let reported =
        report_job::report_job(&state.core, &caller, job, body.reason.as_deref()).await?;
    let status = if reported {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(ReportResponse { reported })))
}

/// Everything reported about one thing.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReportItemBody {
    /// `review`, `message` or `job`.
    pub kind: String,
    /// The review's, message's or job's id.
    pub target_id: Uuid,
    /// A message's conversation (staff may read it while it is reported).
    pub conversation_id: Option<Uuid>,
    /// Who wrote what was reported.
    pub author_id: Option<Uuid>,
    /// The start of its text.
    pub preview: String,
    pub reports: u64,
    /// The reasons given, oldest first (at most 5).
    pub reasons: Vec<String>,
    pub first_reported_at: DateTime<Utc>,
    pub last_reported_at: DateTime<Utc>,
    pub resolved: bool,
}

impl From<ReportItem> for ReportItemBody {
    fn from(i: ReportItem) -> Self {
        Self {
            kind: i.kind.as_str().to_owned(),
            target_id: i.target,
            conversation_id: i.conversation,
            author_id: i.author,
            preview: i.preview,
            reports: i.reports,
            reasons: i.reasons,
            first_reported_at: i.first_reported_at,
            last_reported_at: i.last_reported_at,
            resolved: i.resolved,
        }
    }
}

/// Queue filters.
#[derive(Deserialize, ToSchema, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// `review`, `message` or `job`.
    pub kind: Option<String>,
    /// `open` (default) or `resolved`.
    pub status: Option<String>,
    /// Read by the pagination extractor; listed here for the docs.
    #[allow(dead_code)]
    pub page: Option<u64>,
    #[allow(dead_code)]
    pub limit: Option<u64>,
}

fn kind_of(word: &str) -> Result<ReportKind, ApiError> {
    ReportKind::parse(word).ok_or_else(|| {
        ApiError(souk_core::Error::Validation(FieldErrors::single(
            "kind",
            FieldIssue::OneOf(ReportKind::ALL.iter().map(|k| k.as_str()).collect()),
        )))
    })
}

/// The moderation queue (admins and moderators): reports grouped by what
/// they are about, oldest first.
#[utoipa::path(get, path = "/api/admin/reports", tag = "admin", security(("bearer" = [])),
    params(ReportQuery),
    responses((status = 200, body = Paged<ReportItemBody>), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, description = "staff_only", body = ErrorBody)))]
pub async fn report_queue(
    State(state): State<AppState>,
    Auth(caller): Auth,
    PageQuery(page): PageQuery,
    ApiQuery(query): ApiQuery<ReportQuery>,
) -> Result<Json<Paged<ReportItemBody>>, ApiError> {
    let kind = match query
        .kind
        .as_deref()
        .map(str::trim)
        .filter(|k| !k.is_empty())
    {
        None => None,
        Some(word) => Some(kind_of(word)?),
    };
    let resolved = match query.status.as_deref().map(str::trim) {
        None | Some("") | Some("open") => false,
        Some("resolved") => true,
        Some(_) => {
            return Err(ApiError(souk_core::Error::Validation(FieldErrors::single(
                "status",
                FieldIssue::OneOf(vec!["open", "resolved"]),
            ))));
        }
    };
    let found = queue::queue(&state.core, &caller, QueueFilter { kind, resolved }, page).await?;
    Ok(Json(Paged::new(found, Into::into)))
}

/// Staff's answer.
#[derive(Deserialize, ToSchema)]
pub struct ResolveReportRequest {
    /// `hide`, `dismiss` or `ban_user` (ban the author and hide it).
    #[schema(required = true, nullable = false)]
    pub action: Option<String>,
    pub note: Option<String>,
}

/// What was resolved.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResolvedResponse {
    /// `review`, `message` or `job`.
    pub kind: String,
    /// How many reports.
    pub resolved: u64,
}

/// Staff answer everything open about one reported thing (by its id, as
/// `targetId` in the queue): hide it (a review leaves the rating, a message
/// becomes a tombstone, a job is taken down with its escrow refunded),
/// dismiss the reports, or ban the author and hide it.
#[utoipa::path(post, path = "/api/admin/reports/{id}/resolve", tag = "admin", security(("bearer" = [])),
    params(("id" = Uuid, Path, description = "the reported review, message or job")),
    request_body = ResolveReportRequest,
    responses((status = 200, body = ResolvedResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, description = "staff_only / admin_only (banning staff)", body = ErrorBody),
              (status = 404, description = "report_not_found", body = ErrorBody)))]
pub async fn resolve_report(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(target): IdPath,
    ApiJson(body): ApiJson<ResolveReportRequest>,
) -> Result<Json<ResolvedResponse>, ApiError> {
    let (kind, resolved) = resolve::resolve(
        &state.core,
        &caller,
        target,
        body.action.as_deref(),
        body.note.as_deref(),
    )
    .await?;
    Ok(Json(ResolvedResponse {
        kind: kind.as_str().to_owned(),
        resolved,
    }))
}
