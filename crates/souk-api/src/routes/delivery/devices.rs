//! `/api/users/me/devices`: the caller's push tokens.

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use souk_core::delivery::devices::{self, DeviceInput};
use souk_db::entities::devices as rows;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    error::{ApiError, ErrorBody},
    extract::{ApiJson, Auth},
    state::AppState,
};

/// Routes of this feature.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_devices, register_device))
        .routes(routes!(remove_device))
}

/// A device to register.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DeviceRequest {
    /// The FCM registration token (8–4096 visible characters).
    #[schema(required = true, nullable = false)]
    pub token: Option<String>,
    /// android | ios | web
    #[schema(required = true, nullable = false)]
    pub platform: Option<String>,
    /// The app's locale (`ar-EG`), for information.
    pub locale: Option<String>,
}

/// A registered device.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DeviceResponse {
    pub token: String,
    /// android | ios | web
    pub platform: String,
    pub locale: Option<String>,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
}

impl From<rows::Model> for DeviceResponse {
    fn from(d: rows::Model) -> Self {
        Self {
            token: d.token,
            platform: d.platform,
            locale: d.locale,
            created_at: d.created_at,
            last_seen_at: d.last_seen_at,
        }
    }
}

/// The caller's devices (those seen in the last 270 days).
#[utoipa::path(get, path = "/api/users/me/devices", tag = "notifications", security(("bearer" = [])),
    responses((status = 200, body = Vec<DeviceResponse>), (status = 401, body = ErrorBody)))]
pub async fn list_devices(
    State(state): State<AppState>,
    Auth(caller): Auth,
) -> Result<Json<Vec<DeviceResponse>>, ApiError> {
    let found = devices::list(&state.core, caller.user.id).await?;
    Ok(Json(found.into_iter().map(DeviceResponse::from).collect()))
}

/// Registers a push token (idempotent; a token registered by someone else
/// before moves to the caller).
#[utoipa::path(post, path = "/api/users/me/devices", tag = "notifications", security(("bearer" = [])),
    request_body = DeviceRequest,
    responses((status = 200, body = DeviceResponse), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody)))]
pub async fn register_device(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<DeviceRequest>,
) -> Result<Json<DeviceResponse>, ApiError> {
    let device = devices::register(
        &state.core,
        caller.user.id,
        DeviceInput {
            token: body.token,
            platform: body.platform,
            locale: body.locale,
        },
    )
    .await?;
    Ok(Json(device.into()))
}

/// Removes one of the caller's devices (on sign-out from the app).
#[utoipa::path(delete, path = "/api/users/me/devices/{token}", tag = "notifications", security(("bearer" = [])),
    params(("token" = String, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn remove_device(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path(token): Path<String>,
) -> Result<StatusCode, ApiError> {
    devices::remove(&state.core, caller.user.id, &token).await?;
    Ok(StatusCode::NO_CONTENT)
}
