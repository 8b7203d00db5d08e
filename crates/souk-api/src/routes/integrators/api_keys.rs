//! `/api/admin/api-keys`: integrators' keys (admins): create (the secret
//! is shown once), list, revoke.

use axum::{Json, extract::State, http::StatusCode};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use souk_core::integrators::api_keys;
use souk_db::entities::api_keys as rows;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    error::{ApiError, ErrorBody},
    extract::{ApiJson, Auth, IdPath},
    state::AppState,
};

/// Routes of this feature.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_api_key, list_api_keys))
        .routes(routes!(revoke_api_key))
}

/// A new key.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApiKeyRequest {
    /// 1–100 characters.
    #[schema(required = true, nullable = false)]
    pub name: Option<String>,
    /// events:read | webhooks:manage
    #[schema(required = true, nullable = false)]
    pub scopes: Option<Vec<String>>,
}

/// A key (never its secret, except once on creation).
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApiKeyResponse {
    pub id: Uuid,
    pub name: String,
    /// The secret's first characters, to recognise it.
    pub prefix: String,
    pub scopes: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// Only in the creation response: send as `Authorization: Bearer …`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

impl From<rows::Model> for ApiKeyResponse {
    fn from(k: rows::Model) -> Self {
        Self {
            id: k.id,
            name: k.name,
            prefix: k.prefix,
            scopes: k.scopes.split(' ').map(str::to_owned).collect(),
            created_at: k.created_at,
            last_used_at: k.last_used_at,
            revoked_at: k.revoked_at,
            secret: None,
        }
    }
}

/// Creates a key; the answer holds its secret, shown this once (admins).
#[utoipa::path(post, path = "/api/admin/api-keys", tag = "integrators", security(("bearer" = [])),
    request_body = ApiKeyRequest,
    responses((status = 201, body = ApiKeyResponse), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn create_api_key(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<ApiKeyRequest>,
) -> Result<(StatusCode, Json<ApiKeyResponse>), ApiError> {
    caller.require_admin()?;
    let created = api_keys::create(
        &state.core,
        caller.user.id,
        body.name.as_deref().unwrap_or_default(),
        &body.scopes.unwrap_or_default(),
    )
    .await?;
    let mut response = ApiKeyResponse::from(created.key);
    response.secret = Some(created.secret);
    Ok((StatusCode::CREATED, Json(response)))
}

/// Every key, newest first (admins).
#[utoipa::path(get, path = "/api/admin/api-keys", tag = "integrators", security(("bearer" = [])),
    responses((status = 200, body = Vec<ApiKeyResponse>), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody)))]
pub async fn list_api_keys(
    State(state): State<AppState>,
    Auth(caller): Auth,
) -> Result<Json<Vec<ApiKeyResponse>>, ApiError> {
    caller.require_admin()?;
    let keys = api_keys::list(&state.core).await?;
    Ok(Json(keys.into_iter().map(ApiKeyResponse::from).collect()))
}

/// Revokes a key at once (admins).
#[utoipa::path(delete, path = "/api/admin/api-keys/{id}", tag = "integrators", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 204), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn revoke_api_key(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(id): IdPath,
) -> Result<StatusCode, ApiError> {
    caller.require_admin()?;
    api_keys::revoke(&state.core, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
