//! `/api/notifications`: a user's stored notifications.

use axum::{Json, extract::State};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use souk_core::{Error, FieldErrors, FieldIssue, i18n::Notice, notifications};
use souk_db::entities::notifications as rows;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    error::{ApiError, ErrorBody},
    extract::{ApiJson, ApiQuery, Auth, IdPath, PageQuery, ReqLang},
    state::AppState,
    views::{MessageResponse, Paged},
};

/// Routes of this feature.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_notifications))
        .routes(routes!(unread_count))
        .routes(routes!(mark_read))
        .routes(routes!(delete_notification))
}

/// A notification.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NotificationResponse {
    pub id: Uuid,
    /// job_invitation | quote_received | invitation_accepted | invitation_rejected | quote_accepted | quote_declined | job_status |
    /// escrow_funded | escrow_released | escrow_refunded | tip_received | payment_succeeded | payment_failed |
    /// withdrawal_requested | withdrawal_completed | withdrawal_rejected | fees_due | bonus_credited.
    /// A completion that pays the craftsman reaches them once, as `escrow_released` with `data.status = "completed"`.
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub message: String,
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
    pub read: bool,
    pub read_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl From<rows::Model> for NotificationResponse {
    fn from(n: rows::Model) -> Self {
        Self {
            id: n.id,
            kind: n.kind,
            title: n.title,
            message: n.body,
            data: serde_json::from_str(&n.data).unwrap_or_default(),
            read: n.read_at.is_some(),
            read_at: n.read_at,
            created_at: n.created_at,
        }
    }
}

/// Filter.
#[derive(Deserialize, ToSchema, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NotificationQuery {
    /// Only unread ones.
    pub unread: Option<bool>,
    /// Read by the pagination extractor; listed here for the docs.
    #[allow(dead_code)]
    pub page: Option<u64>,
    #[allow(dead_code)]
    pub limit: Option<u64>,
}

/// The caller's notifications, newest first.
#[utoipa::path(get, path = "/api/notifications", tag = "notifications", security(("bearer" = [])), params(NotificationQuery),
    responses((status = 200, body = Paged<NotificationResponse>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn list_notifications(
    State(state): State<AppState>,
    Auth(caller): Auth,
    PageQuery(page): PageQuery,
    ApiQuery(query): ApiQuery<NotificationQuery>,
) -> Result<Json<Paged<NotificationResponse>>, ApiError> {
    let found = notifications::list(
        &state.core,
        caller.user.id,
        query.unread.unwrap_or(false),
        page,
    )
    .await?;
    Ok(Json(Paged::new(found, Into::into)))
}

/// `{count}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct CountResponse {
    pub count: u64,
}

/// How many unread notifications the caller has.
#[utoipa::path(get, path = "/api/notifications/unread-count", tag = "notifications", security(("bearer" = [])),
    responses((status = 200, body = CountResponse), (status = 401, body = ErrorBody)))]
pub async fn unread_count(
    State(state): State<AppState>,
    Auth(caller): Auth,
) -> Result<Json<CountResponse>, ApiError> {
    let count = notifications::unread_count(&state.core, caller.user.id).await?;
    Ok(Json(CountResponse { count }))
}

/// Which to mark read: `{ids: [...]}` or `{all: true}`.
#[derive(Deserialize, ToSchema)]
pub struct MarkReadRequest {
    pub ids: Option<Vec<Uuid>>,
    pub all: Option<bool>,
}

/// How many changed.
#[derive(Debug, Serialize, ToSchema)]
pub struct UpdatedResponse {
    pub updated: u64,
}

/// Marks the caller's notifications read (others' ids are ignored).
#[utoipa::path(post, path = "/api/notifications/mark-read", tag = "notifications", security(("bearer" = [])),
    request_body = MarkReadRequest,
    responses((status = 200, body = UpdatedResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn mark_read(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<MarkReadRequest>,
) -> Result<Json<UpdatedResponse>, ApiError> {
    let which = match (body.all, body.ids) {
        (Some(true), _) => notifications::MarkRead::All,
        (_, Some(ids)) if !ids.is_empty() && ids.len() <= 500 => notifications::MarkRead::Ids(ids),
        (_, Some(ids)) if ids.len() > 500 => {
            return Err(ApiError(Error::Validation(FieldErrors::single(
                "ids",
                FieldIssue::TooLong(500),
            ))));
        }
        _ => {
            return Err(ApiError(Error::Validation(FieldErrors::single(
                "ids",
                FieldIssue::Required,
            ))));
        }
    };
    let updated = notifications::mark_read(&state.core, caller.user.id, which).await?;
    Ok(Json(UpdatedResponse { updated }))
}

/// Deletes one of the caller's notifications.
#[utoipa::path(delete, path = "/api/notifications/{id}", tag = "notifications", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = MessageResponse), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete_notification(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    Auth(caller): Auth,
    IdPath(id): IdPath,
) -> Result<Json<MessageResponse>, ApiError> {
    notifications::delete(&state.core, caller.user.id, id).await?;
    Ok(Json(MessageResponse::notice(
        Notice::NotificationDeleted,
        lang,
    )))
}
