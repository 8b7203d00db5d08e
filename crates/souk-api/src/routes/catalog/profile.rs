//! `/api/users/me/{skills,availability,portfolio}`: the craftsman profile.

use axum::{
    Json,
    extract::{Multipart, State},
    http::StatusCode,
};
use serde::{Deserialize, Serialize};
use souk_core::catalog::{portfolio, skills};
use utoipa::ToSchema;

use crate::{
    error::{ApiError, ErrorBody},
    extract::{ApiJson, Auth, IdPath, ReqLang},
    routes::users::{file_field, own_profile},
    state::AppState,
    views::{PortfolioImage, UserResponse},
};

/// The services a craftsman offers.
#[derive(Deserialize, ToSchema)]
pub struct SetSkillsRequest {
    /// Catalog service ids or slugs (active ones), at most 20; replaces the set.
    pub skills: Vec<String>,
}

/// Replaces the caller's skills (craftsmen only).
#[utoipa::path(put, path = "/api/users/me/skills", tag = "users", security(("bearer" = [])),
    request_body = SetSkillsRequest,
    responses((status = 200, body = UserResponse),
              (status = 400, description = "fields.skills[i]: unknown or archived service", body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, description = "forbidden: not a craftsman", body = ErrorBody)))]
pub async fn set_skills(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<SetSkillsRequest>,
) -> Result<Json<UserResponse>, ApiError> {
    let user = skills::set_skills(&state.core, &caller, body.skills).await?;
    own_profile(&state, user, lang).await
}

/// Whether the craftsman takes new work.
#[derive(Deserialize, ToSchema)]
pub struct AvailabilityRequest {
    pub available: bool,
}

/// Sets the caller's availability (craftsmen only).
#[utoipa::path(put, path = "/api/users/me/availability", tag = "users", security(("bearer" = [])),
    request_body = AvailabilityRequest,
    responses((status = 200, body = UserResponse), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, description = "forbidden: not a craftsman", body = ErrorBody)))]
pub async fn set_availability(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<AvailabilityRequest>,
) -> Result<Json<UserResponse>, ApiError> {
    let user = skills::set_availability(&state.core, &caller, body.available).await?;
    own_profile(&state, user, lang).await
}

/// Multipart portfolio upload.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct PortfolioUpload {
    /// JPEG, PNG, GIF or WebP (recognised from the bytes), ≤ 5 MB; stored
    /// at most 1600 px on a side.
    #[schema(format = Binary, content_media_type = "application/octet-stream")]
    image: String,
}

/// Adds a picture to the caller's portfolio (craftsmen only; at most 10).
#[utoipa::path(post, path = "/api/users/me/portfolio", tag = "users", security(("bearer" = [])),
    request_body(content = PortfolioUpload, content_type = "multipart/form-data"),
    responses((status = 201, body = PortfolioImage),
              (status = 400, description = "missing_file / unsupported_image", body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, description = "forbidden: not a craftsman", body = ErrorBody),
              (status = 409, description = "portfolio_full", body = ErrorBody),
              (status = 413, body = ErrorBody)))]
pub async fn add_portfolio_image(
    State(state): State<AppState>,
    Auth(caller): Auth,
    mut multipart: Multipart,
) -> Result<(StatusCode, Json<PortfolioImage>), ApiError> {
    let bytes = file_field(&mut multipart, "image").await?;
    let image = portfolio::add_image(&state.core, &caller, bytes).await?;
    Ok((
        StatusCode::CREATED,
        Json(PortfolioImage::new(&image, &state.core.settings)),
    ))
}

/// Confirms a removal.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeletedResponse {
    pub deleted: bool,
}

/// Removes a picture from the caller's portfolio, file included.
#[utoipa::path(delete, path = "/api/users/me/portfolio/{imageId}", tag = "users", security(("bearer" = [])),
    params(("imageId" = uuid::Uuid, Path)),
    responses((status = 200, body = DeletedResponse), (status = 401, body = ErrorBody),
              (status = 404, description = "not_found (not yours) / invalid_id", body = ErrorBody)))]
pub async fn delete_portfolio_image(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(image_id): IdPath,
) -> Result<Json<DeletedResponse>, ApiError> {
    portfolio::remove_image(&state.core, &caller, image_id).await?;
    Ok(Json(DeletedResponse { deleted: true }))
}
