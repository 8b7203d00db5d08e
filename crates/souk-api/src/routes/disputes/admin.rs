//! `/api/admin/disputes`: the staff queue, taking a dispute, asking a
//! party for information, deciding, and the figures.

use axum::{Json, extract::State};
use serde::Deserialize;
use souk_core::{
    FieldErrors, FieldIssue,
    disputes::{
        settle::{self, Resolution},
        staff::{self, QueueFilter},
    },
};
use souk_db::enums::DisputeStatus;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::{
    answer,
    views::{DisputeResponse, DisputeStatsResponse, DisputeSummary},
};
use crate::{
    error::{ApiError, ErrorBody},
    extract::{ApiJson, ApiQuery, Auth, IdPath, PageQuery},
    state::AppState,
    views::Paged,
};

/// Routes of the staff side.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(dispute_queue))
        .routes(routes!(dispute_stats))
        .routes(routes!(assign_dispute))
        .routes(routes!(request_dispute_info))
        .routes(routes!(resolve_dispute))
}

/// Queue filters.
#[derive(Deserialize, ToSchema, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueQuery {
    /// `open`, `awaiting_response`, `under_review`, `resolved`, `withdrawn`.
    pub status: Option<String>,
    /// A member of staff's id, or `me`.
    pub assignee: Option<String>,
    /// Only those waiting on a party past the deadline.
    pub overdue: Option<bool>,
    /// Read by the pagination extractor; listed here for the docs.
    #[allow(dead_code)]
    pub page: Option<u64>,
    #[allow(dead_code)]
    pub limit: Option<u64>,
}

/// The dispute queue (staff), oldest first.
#[utoipa::path(get, path = "/api/admin/disputes", tag = "admin", security(("bearer" = [])),
    params(QueueQuery),
    responses((status = 200, body = Paged<DisputeSummary>), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, description = "staff_only", body = ErrorBody)))]
pub async fn dispute_queue(
    State(state): State<AppState>,
    Auth(caller): Auth,
    PageQuery(page): PageQuery,
    ApiQuery(query): ApiQuery<QueueQuery>,
) -> Result<Json<Paged<DisputeSummary>>, ApiError> {
    let mut errors = FieldErrors::new();
    let status = match query
        .status
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(word) => {
            let parsed = DisputeStatus::parse(word);
            if parsed.is_none() {
                errors.add(
                    "status",
                    FieldIssue::OneOf(DisputeStatus::ALL.iter().map(|s| s.as_str()).collect()),
                );
            }
            parsed
        }
    };
    let assignee = match query
        .assignee
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some("me") => Some(caller.user.id),
        Some(text) => match Uuid::parse_str(text) {
            Ok(id) => Some(id),
            Err(_) => {
                errors.add("assignee", FieldIssue::Invalid);
                None
            }
        },
    };
    errors.into_result().map_err(ApiError)?;
    let filter = QueueFilter {
        status,
        assignee,
        overdue: query.overdue.unwrap_or(false),
    };
    let found = staff::queue(&state.core, &caller, filter, page).await?;
    let now = state.core.clock.now();
    Ok(Json(Paged::new(found, |d| DisputeSummary::new(d, now))))
}

/// Dispute figures (staff): live ones by status, overdue, and the median
/// hours from opening to a decision.
#[utoipa::path(get, path = "/api/admin/disputes/stats", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = DisputeStatsResponse), (status = 401, body = ErrorBody),
              (status = 403, description = "staff_only", body = ErrorBody)))]
pub async fn dispute_stats(
    State(state): State<AppState>,
    Auth(caller): Auth,
) -> Result<Json<DisputeStatsResponse>, ApiError> {
    Ok(Json(staff::stats(&state.core, &caller).await?.into()))
}

/// The caller (staff) takes the dispute; a filed one moves to `under_review`.
#[utoipa::path(post, path = "/api/admin/disputes/{id}/assign", tag = "admin", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = DisputeResponse), (status = 401, body = ErrorBody),
              (status = 403, description = "staff_only", body = ErrorBody),
              (status = 404, description = "dispute_not_found", body = ErrorBody),
              (status = 409, description = "dispute_closed", body = ErrorBody)))]
pub async fn assign_dispute(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(id): IdPath,
) -> Result<Json<DisputeResponse>, ApiError> {
    staff::assign(&state.core, &caller, id).await?;
    answer(&state, &caller, id).await
}

/// What staff ask.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InfoRequest {
    /// The party asked.
    #[schema(required = true, nullable = false)]
    pub party_id: Option<Uuid>,
    /// At most 4,000 characters.
    #[schema(required = true, nullable = false)]
    pub message: Option<String>,
}

/// Staff ask a party for information: the dispute waits on them until a
/// new response deadline; they are notified.
#[utoipa::path(post, path = "/api/admin/disputes/{id}/request-info", tag = "admin", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = InfoRequest,
    responses((status = 200, body = DisputeResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, description = "staff_only", body = ErrorBody),
              (status = 404, description = "dispute_not_found", body = ErrorBody),
              (status = 409, description = "dispute_closed", body = ErrorBody)))]
pub async fn request_dispute_info(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<InfoRequest>,
) -> Result<Json<DisputeResponse>, ApiError> {
    staff::request_info(
        &state.core,
        &caller,
        id,
        body.party_id,
        body.message.as_deref(),
    )
    .await?;
    answer(&state, &caller, id).await
}

/// A decision.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ResolveRequest {
    /// `release` (the craftsman gets what the escrow holds, minus
    /// commission), `refund` (the client gets it), `split`.
    #[schema(required = true, nullable = false)]
    pub decision: Option<String>,
    /// With `split`: the craftsman's share before commission, 0 … held.
    pub craftsman_amount: Option<i64>,
    /// Told to both parties. At most 4,000 characters.
    #[schema(required = true, nullable = false)]
    pub note: Option<String>,
}

/// Staff decide: the ledger moves exactly that in one transaction, the job
/// ends `completed` (or `cancelled` when the client gets everything), both
/// parties are notified with the note.
#[utoipa::path(post, path = "/api/admin/disputes/{id}/resolve", tag = "admin", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = ResolveRequest,
    responses((status = 200, body = DisputeResponse),
              (status = 400, description = "validation_failed / split_out_of_range", body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, description = "staff_only", body = ErrorBody),
              (status = 404, description = "dispute_not_found", body = ErrorBody),
              (status = 409, description = "dispute_closed", body = ErrorBody)))]
pub async fn resolve_dispute(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<ResolveRequest>,
) -> Result<Json<DisputeResponse>, ApiError> {
    let resolution = Resolution {
        decision: body.decision,
        craftsman_amount: body.craftsman_amount,
        note: body.note,
    };
    settle::resolve(&state.core, &caller, id, resolution).await?;
    answer(&state, &caller, id).await
}
