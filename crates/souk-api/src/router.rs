//! Assembles the application: documented routes, docs UI, fallbacks, the
//! middleware stack and the Socket.IO endpoint beside it.

use axum::{
    Router,
    extract::DefaultBodyLimit,
    http::{StatusCode, Uri},
    response::IntoResponse,
};
use souk_core::ErrorCode;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_swagger_ui::SwaggerUi;

use crate::{error::ApiError, middleware, openapi::ApiDoc, realtime, routes, state::AppState};

/// The whole application router — the API, its docs and the Socket.IO
/// endpoint — and the OpenAPI document it serves. Installs the realtime sink
/// into the core (connecting to Redis when `REDIS_URL` is set).
pub async fn build_router(state: AppState) -> anyhow::Result<(Router, utoipa::openapi::OpenApi)> {
    let (api, mut openapi) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(routes::all(&state))
        .split_for_parts();
    crate::openapi::complete(&mut openapi);
    let router = Router::new()
        .merge(SwaggerUi::new("/api/docs").url("/api/openapi.json", openapi.clone()))
        .merge(api.layer(DefaultBodyLimit::max(state.config.body_limit)))
        .fallback(fallback)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(state.clone());
    let app = realtime::mount(middleware::apply(router, &state), &state).await?;
    Ok((app, openapi))
}

async fn fallback(uri: Uri) -> impl IntoResponse {
    if uri.path() == "/api" || uri.path().starts_with("/api/") {
        ApiError::code(ErrorCode::RouteNotFound).into_response()
    } else {
        ApiError::code(ErrorCode::NotFound).into_response()
    }
}

async fn method_not_allowed() -> impl IntoResponse {
    let mut response = ApiError::code(ErrorCode::MethodNotAllowed).into_response();
    *response.status_mut() = StatusCode::METHOD_NOT_ALLOWED;
    response
}
