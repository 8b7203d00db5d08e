//! Serves stored public files (avatars) at `/uploads/{key}`.

use axum::{
    body::Body,
    extract::{Path, State},
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
};
use souk_core::ErrorCode;
use utoipa_axum::router::OpenApiRouter;

use crate::{
    error::{ApiError, ErrorBody},
    state::AppState,
};

/// Routes of this feature. The catch-all is routed by hand (`{*key}` is
/// axum syntax) and documented as the OpenAPI template `/uploads/{key}`.
pub fn routes() -> OpenApiRouter<AppState> {
    let mut router = OpenApiRouter::new().route("/uploads/{*key}", axum::routing::get(get_file));
    let doc = <GetFileDoc as utoipa::OpenApi>::openapi();
    router.get_openapi_mut().merge(doc);
    router
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(get_file))]
struct GetFileDoc;

/// A stored public file.
#[utoipa::path(get, path = "/uploads/{key}", tag = "system",
    params(("key" = String, Path, description = "Storage key, e.g. avatars/<user>/<id>.jpg")),
    responses((status = 200, description = "The file", content_type = "application/octet-stream"),
              (status = 404, body = ErrorBody)))]
pub async fn get_file(
    State(state): State<AppState>,
    Path(key): Path<String>,
) -> Result<Response, ApiError> {
    if !["avatars/", "portfolio/", "jobs/"]
        .iter()
        .any(|p| key.starts_with(p))
    {
        return Err(ApiError::code(ErrorCode::NotFound));
    }
    let file = match state.core.storage.get(&key).await {
        Ok(Some(file)) => file,
        Ok(None) | Err(_) => return Err(ApiError::code(ErrorCode::NotFound)),
    };
    let content_type = file
        .content_type
        .unwrap_or_else(|| "application/octet-stream".into());
    let mut response = Body::from(file.bytes).into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    // Keys are never reused (each upload gets a new id), so cache for good.
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=31536000, immutable"),
    );
    Ok(response)
}
