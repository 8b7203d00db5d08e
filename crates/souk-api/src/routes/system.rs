//! Health, ping, meta and metrics.

use axum::{
    Json,
    extract::State,
    http::{StatusCode, header},
    response::IntoResponse,
};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{error::ApiError, state::AppState};

/// Routes of this feature.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(health))
        .routes(routes!(ping))
        .routes(routes!(meta))
        .routes(routes!(metrics))
}

/// Health of the server and its database.
#[derive(Serialize, ToSchema)]
pub struct HealthResponse {
    /// ok | degraded
    pub status: String,
    /// ok | down
    pub database: String,
    pub version: String,
}

/// Health check (includes a database round trip; 503 when it fails).
#[utoipa::path(get, path = "/api/health", tag = "system",
    responses((status = 200, body = HealthResponse), (status = 503, body = HealthResponse)))]
pub async fn health(State(state): State<AppState>) -> impl IntoResponse {
    let db_ok = state.core.db.ping().await.is_ok();
    let body = HealthResponse {
        status: if db_ok { "ok" } else { "degraded" }.into(),
        database: if db_ok { "ok" } else { "down" }.into(),
        version: env!("CARGO_PKG_VERSION").into(),
    };
    let status = if db_ok {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, Json(body))
}

/// `{"pong": true}`.
#[derive(Serialize, ToSchema)]
pub struct PingResponse {
    pub pong: bool,
}

/// Liveness.
#[utoipa::path(get, path = "/api/ping", tag = "system", responses((status = 200, body = PingResponse)))]
pub async fn ping() -> Json<PingResponse> {
    Json(PingResponse { pong: true })
}

/// Reference data for clients.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MetaResponse {
    pub name: String,
    pub version: String,
    pub languages: Vec<String>,
    pub roles: Vec<String>,
    pub payment_types: Vec<String>,
    pub currency: String,
    /// The payment gateways that are on, the default first.
    pub gateways: Vec<String>,
    /// The largest money amount accepted anywhere in the API (minor units).
    pub max_amount: i64,
    pub skills: Vec<String>,
    pub tags: Vec<String>,
}

/// Languages, roles, payment types, currency, payment gateways that are on,
/// the largest amount accepted, skills (the active catalog's
/// slugs) and tags.
#[utoipa::path(get, path = "/api/meta", tag = "system",
    responses((status = 200, body = MetaResponse), (status = 500, body = crate::error::ErrorBody)))]
pub async fn meta(State(state): State<AppState>) -> Result<Json<MetaResponse>, ApiError> {
    let words = |list: &[&str]| list.iter().map(|s| (*s).to_owned()).collect();
    let skills = souk_core::catalog::services::list(&state.core, false)
        .await?
        .into_iter()
        .map(|s| s.slug)
        .collect();
    Ok(Json(MetaResponse {
        name: "Souk".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        languages: words(&["en", "ar"]),
        roles: words(&["client", "craftsman"]),
        payment_types: words(&["escrow", "cash", "cash_protected"]),
        currency: state.core.settings.currency.clone(),
        gateways: state
            .core
            .gateways
            .enabled()
            .iter()
            .map(|g| g.as_str().to_owned())
            .collect(),
        max_amount: state.core.settings.max_amount,
        skills,
        tags: words(&["urgent", "weekend", "remote", "on_site", "verified_only"]),
    }))
}

/// Prometheus metrics (text exposition format).
#[utoipa::path(get, path = "/metrics", tag = "system",
    responses((status = 200, content_type = "text/plain", body = String)))]
pub async fn metrics(State(state): State<AppState>) -> Result<impl IntoResponse, ApiError> {
    let text = state.metrics.render(state.core.db.pool_stats());
    Ok(([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], text))
}
