//! Staff's side of delivery: the dead-letter list with retry, and
//! announcements to everyone, a role or listed users.

use axum::{Json, extract::State, http::StatusCode};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use souk_core::delivery::{
    announce::{self, AnnouncementInput},
    dead,
};
use souk_db::{
    entities::{announcements, deliveries},
    enums::DeliveryStatus,
};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    error::{ApiError, ErrorBody},
    extract::{ApiJson, ApiQuery, Auth, IdPath, PageQuery, one_of},
    state::AppState,
    views::Paged,
};

/// Routes of this feature.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_deliveries))
        .routes(routes!(retry_delivery))
        .routes(routes!(create_announcement, list_announcements))
}

/// Dead-letter filters.
/// (`page` and `limit` are read by `PageQuery`; here for the document.)
#[allow(dead_code)]
#[derive(Deserialize, ToSchema, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeliveryQuery {
    /// pending | sent | skipped | dead
    pub status: Option<String>,
    pub page: Option<u64>,
    pub limit: Option<u64>,
}

/// One send of a notification on one channel.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DeliveryResponse {
    pub id: Uuid,
    pub notification_id: Option<Uuid>,
    pub user_id: Uuid,
    /// push | email
    pub channel: String,
    pub status: DeliveryStatus,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

impl From<deliveries::Model> for DeliveryResponse {
    fn from(d: deliveries::Model) -> Self {
        Self {
            id: d.id,
            notification_id: d.notification_id,
            user_id: d.user_id,
            channel: d.channel,
            status: d.status,
            attempts: d.attempts,
            last_error: d.last_error,
            created_at: d.created_at,
            updated_at: d.updated_at,
            sent_at: d.sent_at,
        }
    }
}

/// Notification deliveries by status (`dead`: the dead-letter list; staff).
#[utoipa::path(get, path = "/api/admin/deliveries", tag = "admin", security(("bearer" = [])), params(DeliveryQuery),
    responses((status = 200, body = Paged<DeliveryResponse>), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list_deliveries(
    State(state): State<AppState>,
    Auth(caller): Auth,
    PageQuery(page): PageQuery,
    ApiQuery(query): ApiQuery<DeliveryQuery>,
) -> Result<Json<Paged<DeliveryResponse>>, ApiError> {
    caller.require_staff()?;
    let names = DeliveryStatus::ALL.map(DeliveryStatus::as_str);
    let status = one_of("status", query.status.as_deref(), &names)?.and_then(DeliveryStatus::parse);
    let found = dead::list(&state.core, status, page).await?;
    Ok(Json(Paged::new(found, DeliveryResponse::from)))
}

/// Puts a dead delivery back in the queue (staff).
#[utoipa::path(post, path = "/api/admin/deliveries/{id}/retry", tag = "admin", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 202, body = DeliveryResponse), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, body = ErrorBody)))]
pub async fn retry_delivery(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(id): IdPath,
) -> Result<(StatusCode, Json<DeliveryResponse>), ApiError> {
    caller.require_staff()?;
    let row = dead::retry(&state.core, id).await?;
    Ok((StatusCode::ACCEPTED, Json(row.into())))
}

/// Text in both languages.
#[derive(Deserialize, Serialize, ToSchema)]
pub struct Bilingual {
    #[schema(required = true, nullable = false)]
    pub en: Option<String>,
    #[schema(required = true, nullable = false)]
    pub ar: Option<String>,
}

/// An announcement to send.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AnnouncementRequest {
    /// all | role | userIds
    #[schema(required = true, nullable = false)]
    pub audience: Option<String>,
    /// With `audience: role`: client | craftsman | admin | moderator.
    pub role: Option<String>,
    /// With `audience: userIds` (≤ 10,000).
    pub user_ids: Option<Vec<Uuid>>,
    /// ≤ 200 characters each.
    #[schema(required = true, nullable = false)]
    pub title: Option<Bilingual>,
    /// ≤ 2,000 characters each.
    #[schema(required = true, nullable = false)]
    pub body: Option<Bilingual>,
    /// inApp | push | email (default all three; preferences still apply).
    pub channels: Option<Vec<String>>,
}

/// An announcement and how far its fan-out has gone.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AnnouncementResponse {
    pub id: Uuid,
    #[schema(value_type = Object)]
    pub audience: serde_json::Value,
    pub title: Bilingual,
    pub body: Bilingual,
    pub channels: Vec<String>,
    pub created_by: Uuid,
    pub created_at: DateTime<Utc>,
    /// Recipients notified so far.
    pub recipients: i32,
    /// When the last batch went out.
    pub finished_at: Option<DateTime<Utc>>,
}

impl From<announcements::Model> for AnnouncementResponse {
    fn from(a: announcements::Model) -> Self {
        Self {
            id: a.id,
            audience: serde_json::from_str(&a.audience).unwrap_or_default(),
            title: Bilingual {
                en: Some(a.title_en),
                ar: Some(a.title_ar),
            },
            body: Bilingual {
                en: Some(a.body_en),
                ar: Some(a.body_ar),
            },
            channels: serde_json::from_str(&a.channels).unwrap_or_default(),
            created_by: a.created_by,
            created_at: a.created_at,
            recipients: a.recipients,
            finished_at: a.finished_at,
        }
    }
}

/// Sends an announcement (admins); it fans out in the background.
#[utoipa::path(post, path = "/api/admin/announcements", tag = "admin", security(("bearer" = [])),
    request_body = AnnouncementRequest,
    responses((status = 202, body = AnnouncementResponse), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn create_announcement(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<AnnouncementRequest>,
) -> Result<(StatusCode, Json<AnnouncementResponse>), ApiError> {
    caller.require_admin()?;
    let (title_en, title_ar) = body.title.map_or((None, None), |t| (t.en, t.ar));
    let (body_en, body_ar) = body.body.map_or((None, None), |b| (b.en, b.ar));
    let stored = announce::create(
        &state.core,
        caller.user.id,
        AnnouncementInput {
            audience: body.audience,
            role: body.role,
            user_ids: body.user_ids,
            title_en,
            title_ar,
            body_en,
            body_ar,
            channels: body.channels,
        },
    )
    .await?;
    Ok((StatusCode::ACCEPTED, Json(stored.into())))
}

/// The latest 50 announcements (staff).
#[utoipa::path(get, path = "/api/admin/announcements", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = Vec<AnnouncementResponse>), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody)))]
pub async fn list_announcements(
    State(state): State<AppState>,
    Auth(caller): Auth,
) -> Result<Json<Vec<AnnouncementResponse>>, ApiError> {
    caller.require_staff()?;
    let rows = announce::list(&state.core, 50).await?;
    Ok(Json(
        rows.into_iter().map(AnnouncementResponse::from).collect(),
    ))
}
