//! `/api/admin/*` for accounts: list, create staff, ban, unban, role, erase,
//! and the activity log.

use axum::{Json, extract::State, http::StatusCode};
use serde::Deserialize;
use souk_core::{
    Error, ErrorCode, FieldErrors, FieldIssue,
    accounts::{Role, directory},
    admin::{activity, users},
    i18n::Notice,
};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    error::{ApiError, ErrorBody},
    extract::{ApiJson, ApiQuery, Auth, IdPath, PageQuery, ReqLang},
    state::AppState,
    views::{ActivityEntry, MessageResponse, Paged, UserResponse},
};

/// Routes of this feature.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_users))
        .routes(routes!(create_staff))
        .routes(routes!(ban_user))
        .routes(routes!(unban_user))
        .routes(routes!(set_user_role))
        .routes(routes!(delete_user))
        .routes(routes!(list_activity))
}

fn invalid(field: &str, issue: FieldIssue) -> ApiError {
    ApiError(Error::Validation(FieldErrors::single(field, issue)))
}

fn parse_bool(field: &str, raw: Option<&str>) -> Result<Option<bool>, ApiError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some("true" | "1") => Ok(Some(true)),
        Some("false" | "0") => Ok(Some(false)),
        Some(_) => Err(invalid(field, FieldIssue::OneOf(vec!["true", "false"]))),
    }
}

/// Admin user filters.
#[derive(Deserialize, ToSchema, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AdminUserQuery {
    /// Matches names, email, phone, city, skills.
    pub q: Option<String>,
    /// client | craftsman | admin | moderator
    pub role: Option<String>,
    /// true | false
    pub banned: Option<String>,
    pub page: Option<u64>,
    pub limit: Option<u64>,
}

/// Every account (paginated; staff).
#[utoipa::path(get, path = "/api/admin/users", tag = "admin", security(("bearer" = [])), params(AdminUserQuery),
    responses((status = 200, body = Paged<UserResponse>), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list_users(
    State(state): State<AppState>,
    Auth(caller): Auth,
    PageQuery(page): PageQuery,
    ApiQuery(query): ApiQuery<AdminUserQuery>,
) -> Result<Json<Paged<UserResponse>>, ApiError> {
    if !caller.role.is_staff() {
        return Err(ApiError::code(ErrorCode::StaffOnly));
    }
    let role = match query
        .role
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
    {
        None => None,
        Some(word) => Some(Role::parse(word).ok_or_else(|| {
            invalid(
                "role",
                FieldIssue::OneOf(vec!["client", "craftsman", "admin", "moderator"]),
            )
        })?),
    };
    let filters = directory::UserSearch {
        q: query.q,
        role,
        skill: None,
        banned: parse_bool("banned", query.banned.as_deref())?,
    };
    let found = directory::search(&state.core, filters, true, page).await?;
    let settings = &state.core.settings;
    Ok(Json(Paged::new(found, |u| UserResponse::new(u, settings))))
}

/// A new staff account.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateStaffRequest {
    #[schema(required = true, nullable = false)]
    pub email: Option<String>,
    #[schema(required = true, nullable = false)]
    pub password: Option<String>,
    #[schema(required = true, nullable = false)]
    pub first_name: Option<String>,
    #[schema(required = true, nullable = false)]
    pub last_name: Option<String>,
    /// admin | moderator (default moderator)
    pub role: Option<String>,
    pub language: Option<String>,
}

/// Creates an admin or moderator (admins only).
#[utoipa::path(post, path = "/api/admin/users/create-admin", tag = "admin", security(("bearer" = [])),
    request_body = CreateStaffRequest,
    responses((status = 201, body = UserResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create_staff(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<CreateStaffRequest>,
) -> Result<(StatusCode, Json<UserResponse>), ApiError> {
    let input = users::CreateStaffInput {
        email: body.email,
        password: body.password,
        first_name: body.first_name,
        last_name: body.last_name,
        role: body.role,
        language: body.language,
    };
    let user = users::create_staff(&state.core, &caller, input).await?;
    Ok((
        StatusCode::CREATED,
        Json(UserResponse::new(user, &state.core.settings)),
    ))
}

/// Why the user is banned.
#[derive(Deserialize, ToSchema)]
pub struct BanRequest {
    #[schema(required = true, nullable = false)]
    pub reason: Option<String>,
}

/// Bans a user (reason required); their sessions end at once (staff;
/// banning staff needs an admin).
#[utoipa::path(patch, path = "/api/admin/users/{userId}/ban", tag = "admin", security(("bearer" = [])),
    params(("userId" = Uuid, Path)), request_body = BanRequest,
    responses((status = 200, body = UserResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn ban_user(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<BanRequest>,
) -> Result<Json<UserResponse>, ApiError> {
    let user = users::ban(&state.core, &caller, id, body.reason).await?;
    Ok(Json(UserResponse::new(user, &state.core.settings)))
}

/// Lifts a ban (staff).
#[utoipa::path(patch, path = "/api/admin/users/{userId}/unban", tag = "admin", security(("bearer" = [])),
    params(("userId" = Uuid, Path)),
    responses((status = 200, body = UserResponse), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn unban_user(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(id): IdPath,
) -> Result<Json<UserResponse>, ApiError> {
    let user = users::unban(&state.core, &caller, id).await?;
    Ok(Json(UserResponse::new(user, &state.core.settings)))
}

/// The new role.
#[derive(Deserialize, ToSchema)]
pub struct SetRoleRequest {
    /// client | craftsman | admin | moderator
    #[schema(required = true, nullable = false)]
    pub role: Option<String>,
}

/// Changes a user's role (admins only; not one's own).
#[utoipa::path(patch, path = "/api/admin/users/{userId}/role", tag = "admin", security(("bearer" = [])),
    params(("userId" = Uuid, Path)), request_body = SetRoleRequest,
    responses((status = 200, body = UserResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn set_user_role(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<SetRoleRequest>,
) -> Result<Json<UserResponse>, ApiError> {
    let user = users::set_role(&state.core, &caller, id, body.role).await?;
    Ok(Json(UserResponse::new(user, &state.core.settings)))
}

/// Erases a user's personal data (admins only).
#[utoipa::path(delete, path = "/api/admin/users/{userId}", tag = "admin", security(("bearer" = [])),
    params(("userId" = Uuid, Path)),
    responses((status = 200, body = MessageResponse), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete_user(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    Auth(caller): Auth,
    IdPath(id): IdPath,
) -> Result<Json<MessageResponse>, ApiError> {
    users::erase(&state.core, &caller, id).await?;
    Ok(Json(MessageResponse::notice(Notice::UserDeleted, lang)))
}

/// Activity-log filters.
#[derive(Deserialize, ToSchema, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct ActivityQuery {
    /// e.g. admin.ban
    pub action: Option<String>,
    pub actor_id: Option<Uuid>,
    pub target_id: Option<String>,
    pub page: Option<u64>,
    pub limit: Option<u64>,
}

/// The activity log, newest first (admins only).
#[utoipa::path(get, path = "/api/admin/activity-log", tag = "admin", security(("bearer" = [])), params(ActivityQuery),
    responses((status = 200, body = Paged<ActivityEntry>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list_activity(
    State(state): State<AppState>,
    Auth(caller): Auth,
    PageQuery(page): PageQuery,
    ApiQuery(query): ApiQuery<ActivityQuery>,
) -> Result<Json<Paged<ActivityEntry>>, ApiError> {
    if caller.role != Role::Admin {
        return Err(ApiError::code(ErrorCode::AdminOnly));
    }
    let filter = activity::ActivityFilter {
        action: query.action,
        actor_id: query.actor_id,
        target_id: query.target_id,
    };
    let entries = activity::list(&state.core, filter, page).await?;
    Ok(Json(Paged::new(entries, ActivityEntry::from)))
}
