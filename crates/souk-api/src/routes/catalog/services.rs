//! `/api/services*`: the bilingual service catalog — read by anyone,
//! managed by staff.

use axum::{
    Json,
    extract::{FromRequestParts, Path, State},
    http::{StatusCode, request::Parts},
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use souk_core::{
    ErrorCode, FieldErrors, FieldIssue, Lang,
    catalog::{
        ServiceInput,
        services::{self as catalog, Removal, localized_description, localized_name},
    },
};
use souk_db::entities::services;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::{
    error::{ApiError, ErrorBody},
    extract::{ApiJson, ApiQuery, Auth, MaybeAuth, ReqLang},
    state::AppState,
};

/// A catalog service.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ServiceResponse {
    pub id: Uuid,
    /// Lowercase letters, digits and hyphens; usable instead of the id.
    pub slug: String,
    pub name_en: String,
    pub name_ar: String,
    pub description_en: String,
    pub description_ar: String,
    /// A Material Symbols icon name.
    pub icon: String,
    /// Archived services are inactive: shown on old jobs, not offered anew.
    pub active: bool,
    /// Commission override in basis points (500 = 5%); null = platform default.
    pub commission_bps: Option<i32>,
    pub sort_order: i32,
    /// The name in the request's language.
    pub name: String,
    /// The description in the request's language.
    pub description: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl ServiceResponse {
    fn new(service: services::Model, lang: Lang) -> Self {
        Self {
            id: service.id,
            name: localized_name(&service, lang).to_owned(),
            description: localized_description(&service, lang).to_owned(),
            slug: service.slug,
            name_en: service.name_en,
            name_ar: service.name_ar,
            description_en: service.description_en,
            description_ar: service.description_ar,
            icon: service.icon,
            active: service.active,
            commission_bps: service.commission_bps,
            sort_order: service.sort_order,
            created_at: service.created_at,
            updated_at: service.updated_at,
        }
    }
}

/// The `{id}` of a service route: a UUID or a slug (checked by the core).
pub struct ServiceKey(pub String);

impl<S: Send + Sync> FromRequestParts<S> for ServiceKey {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path(raw) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::code(ErrorCode::InvalidId))?;
        Ok(ServiceKey(raw))
    }
}

/// Catalog filters.
#[derive(Deserialize, ToSchema, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct ServiceListQuery {
    /// true: archived services too (staff only; ignored for others).
    pub include_inactive: Option<String>,
}

/// The catalog in display order (not paginated: it is small).
#[utoipa::path(get, path = "/api/services", tag = "catalog", params(ServiceListQuery),
    responses((status = 200, body = Vec<ServiceResponse>), (status = 400, body = ErrorBody),
              (status = 401, description = "a sent token is invalid", body = ErrorBody)))]
pub async fn list_services(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    MaybeAuth(caller): MaybeAuth,
    ApiQuery(query): ApiQuery<ServiceListQuery>,
) -> Result<Json<Vec<ServiceResponse>>, ApiError> {
    let include_inactive = match query.include_inactive.as_deref().map(str::trim) {
        None | Some("" | "false" | "0") => false,
        Some("true" | "1") => true,
        Some(_) => {
            return Err(ApiError(souk_core::Error::Validation(FieldErrors::single(
                "includeInactive",
                FieldIssue::OneOf(vec!["true", "false"]),
            ))));
        }
    };
    let staff = caller.as_ref().is_some_and(|c| c.role.is_staff());
    let found = catalog::list(&state.core, include_inactive && staff).await?;
    Ok(Json(
        found
            .into_iter()
            .map(|s| ServiceResponse::new(s, lang))
            .collect(),
    ))
}

/// One service, by id or slug (archived ones too).
#[utoipa::path(get, path = "/api/services/{id}", tag = "catalog",
    params(("id" = String, Path, description = "Service id or slug")),
    responses((status = 200, body = ServiceResponse),
              (status = 404, description = "service_not_found / invalid_id", body = ErrorBody)))]
pub async fn get_service(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    ServiceKey(key): ServiceKey,
) -> Result<Json<ServiceResponse>, ApiError> {
    let service = catalog::get(&state.core, &key).await?;
    Ok(Json(ServiceResponse::new(service, lang)))
}

fn present_or_null<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<i64>>, D::Error> {
    Option::<i64>::deserialize(d).map(Some)
}

/// A service to create, or the fields to change (update: all optional).
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ServiceRequest {
    /// Required on create; lowercase letters, digits, hyphens; unique.
    pub slug: Option<String>,
    /// Required on create; ≤ 100 characters.
    pub name_en: Option<String>,
    /// Required on create; ≤ 100 characters.
    pub name_ar: Option<String>,
    /// ≤ 2000 characters.
    pub description_en: Option<String>,
    /// ≤ 2000 characters.
    pub description_ar: Option<String>,
    /// A Material Symbols icon name.
    pub icon: Option<String>,
    /// false archives, true restores (default true).
    pub active: Option<bool>,
    /// 0–5000 basis points; null = platform default.
    #[serde(default, deserialize_with = "present_or_null")]
    #[schema(value_type = Option<i64>)]
    pub commission_bps: Option<Option<i64>>,
    /// Display position (default: last).
    pub sort_order: Option<i64>,
}

impl From<ServiceRequest> for ServiceInput {
    fn from(body: ServiceRequest) -> Self {
        ServiceInput {
            slug: body.slug,
            name_en: body.name_en,
            name_ar: body.name_ar,
            description_en: body.description_en,
            description_ar: body.description_ar,
            icon: body.icon,
            active: body.active,
            commission_bps: body.commission_bps,
            sort_order: body.sort_order,
        }
    }
}

/// Adds a service (admin or moderator).
#[utoipa::path(post, path = "/api/services", tag = "catalog", security(("bearer" = [])),
    request_body = ServiceRequest,
    responses((status = 201, body = ServiceResponse), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, description = "staff_only", body = ErrorBody),
              (status = 409, description = "slug_taken", body = ErrorBody)))]
pub async fn create_service(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<ServiceRequest>,
) -> Result<(StatusCode, Json<ServiceResponse>), ApiError> {
    let service = catalog::create(&state.core, &caller, body.into()).await?;
    Ok((
        StatusCode::CREATED,
        Json(ServiceResponse::new(service, lang)),
    ))
}

/// Changes the given fields of a service (admin or moderator).
#[utoipa::path(put, path = "/api/services/{id}", tag = "catalog", security(("bearer" = [])),
    params(("id" = String, Path, description = "Service id or slug")), request_body = ServiceRequest,
    responses((status = 200, body = ServiceResponse), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, description = "staff_only", body = ErrorBody),
              (status = 404, description = "service_not_found / invalid_id", body = ErrorBody),
              (status = 409, description = "slug_taken", body = ErrorBody)))]
pub async fn update_service(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    Auth(caller): Auth,
    ServiceKey(key): ServiceKey,
    ApiJson(body): ApiJson<ServiceRequest>,
) -> Result<Json<ServiceResponse>, ApiError> {
    let service = catalog::update(&state.core, &caller, &key, body.into()).await?;
    Ok(Json(ServiceResponse::new(service, lang)))
}

/// What a delete did: exactly one of the two is true.
#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceRemovedResponse {
    /// Nothing used the service; it is gone.
    pub deleted: bool,
    /// Jobs or craftsmen use it; it was archived (made inactive) instead.
    pub archived: bool,
}

/// Deletes a service, or archives it when jobs or craftsmen use it (admin
/// or moderator).
#[utoipa::path(delete, path = "/api/services/{id}", tag = "catalog", security(("bearer" = [])),
    params(("id" = String, Path, description = "Service id or slug")),
    responses((status = 200, body = ServiceRemovedResponse),
              (status = 401, body = ErrorBody), (status = 403, description = "staff_only", body = ErrorBody),
              (status = 404, description = "service_not_found / invalid_id", body = ErrorBody)))]
pub async fn delete_service(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ServiceKey(key): ServiceKey,
) -> Result<Json<ServiceRemovedResponse>, ApiError> {
    let removal = catalog::delete(&state.core, &caller, &key).await?;
    Ok(Json(ServiceRemovedResponse {
        deleted: removal == Removal::Deleted,
        archived: removal == Removal::Archived,
    }))
}
