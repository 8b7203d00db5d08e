//! `/api/users/*`: the caller's profile, avatar, public profiles and search.
//! (Skills, availability and portfolio are in `routes/catalog/profile.rs`.)

use axum::{
    Json,
    extract::{DefaultBodyLimit, Multipart, State},
};
use serde::Deserialize;
use souk_core::{
    Error, ErrorCode, FieldErrors, FieldIssue, Lang,
    accounts::{Role, directory, profile},
    catalog,
    i18n::Notice,
};
use souk_db::entities::users;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    error::{ApiError, ErrorBody},
    extract::{ApiJson, ApiQuery, Auth, IdPath, MaybeAuth, PageQuery, ReqLang},
    state::AppState,
    views::{Location, MessageResponse, Paged, PublicUserResponse, UserResponse},
};

/// Routes of this feature.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_me, update_me, deactivate_me))
        .routes(routes!(upload_avatar))
        .routes(routes!(search_users))
        .routes(routes!(get_user))
        .layer(DefaultBodyLimit::max(profile::AVATAR_MAX_BYTES + 64 * 1024))
}

/// The own view of a user with skills (named in `lang`) and portfolio.
pub(crate) async fn own_profile(
    state: &AppState,
    user: users::Model,
    lang: Lang,
) -> Result<Json<UserResponse>, ApiError> {
    // The session check may have come from the authentication cache, whose
    // copy of the row can be older (counters such as completed jobs change
    // without invalidating it): the profile is read as stored now, row,
    // skills and portfolio in one statement (or from the profile cache).
    let settings = &state.core.settings;
    let response = match catalog::profile::profile(&state.core, user.id).await? {
        Some(found) => UserResponse::new(found.user.clone(), settings).with_extras(
            &found.extras,
            lang,
            settings,
        ),
        None => UserResponse::new(user, settings).with_extras(&Default::default(), lang, settings),
    };
    Ok(Json(response))
}

/// The signed-in user's full profile.
#[utoipa::path(get, path = "/api/users/me", tag = "users", security(("bearer" = [])),
    responses((status = 200, body = UserResponse), (status = 401, body = ErrorBody)))]
pub async fn get_me(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    Auth(caller): Auth,
) -> Result<Json<UserResponse>, ApiError> {
    own_profile(&state, caller.user, lang).await
}

/// A partial profile update (absent fields are left alone).
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UpdateMeRequest {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    /// E.164; empty string removes it.
    pub phone: Option<String>,
    /// en | ar
    pub language: Option<String>,
    pub bio: Option<String>,
    pub city: Option<String>,
    pub location: Option<Location>,
    /// Craftsmen only: how far from `location` they work, 0.5–200 km.
    pub service_radius_km: Option<f64>,
    /// Not changeable here (use `PUT /api/users/me/skills`); present → 400.
    #[schema(value_type = Option<Vec<String>>)]
    pub skills: Option<serde_json::Value>,
    /// Not changeable here; present → 400.
    pub email: Option<String>,
    /// Not changeable here; present → 400.
    pub role: Option<String>,
}

/// Updates the signed-in user's profile.
#[utoipa::path(put, path = "/api/users/me", tag = "users", security(("bearer" = [])), request_body = UpdateMeRequest,
    responses((status = 200, body = UserResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 409, description = "phone_taken", body = ErrorBody)))]
pub async fn update_me(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<UpdateMeRequest>,
) -> Result<Json<UserResponse>, ApiError> {
    let mut errors = FieldErrors::new();
    if body.skills.is_some() {
        errors.add("skills", FieldIssue::NotAllowed);
    }
    if body.email.is_some() {
        errors.add("email", FieldIssue::NotAllowed);
    }
    if body.role.is_some() {
        errors.add("role", FieldIssue::NotAllowed);
    }
    errors.into_result()?;
    let update = profile::ProfileUpdate {
        first_name: body.first_name,
        last_name: body.last_name,
        phone: body.phone,
        language: body.language,
        bio: body.bio,
        city: body.city,
        location: body.location.map(|l| (l.lat, l.lng)),
        service_radius_km: body.service_radius_km,
    };
    let user = profile::update_profile(&state.core, &caller, update).await?;
    own_profile(&state, user, lang).await
}

/// Deactivates the account and signs out everywhere; signing in reactivates it.
#[utoipa::path(delete, path = "/api/users/me", tag = "users", security(("bearer" = [])),
    responses((status = 200, body = MessageResponse), (status = 401, body = ErrorBody)))]
pub async fn deactivate_me(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    Auth(caller): Auth,
) -> Result<Json<MessageResponse>, ApiError> {
    profile::deactivate(&state.core, &caller).await?;
    Ok(Json(MessageResponse::notice(
        Notice::AccountDeactivated,
        lang,
    )))
}

/// Multipart avatar upload.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct AvatarUpload {
    /// JPEG, PNG, GIF or WebP (recognised from the bytes), ≤ 5 MB.
    #[schema(format = Binary, content_media_type = "application/octet-stream")]
    avatar: String,
}

/// Sets the profile picture: cropped to 400×400, the previous one deleted.
#[utoipa::path(put, path = "/api/users/me/avatar", tag = "users", security(("bearer" = [])),
    request_body(content = AvatarUpload, content_type = "multipart/form-data"),
    responses((status = 200, body = UserResponse),
              (status = 400, description = "missing_file / unsupported_image", body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 413, body = ErrorBody)))]
pub async fn upload_avatar(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    Auth(caller): Auth,
    mut multipart: Multipart,
) -> Result<Json<UserResponse>, ApiError> {
    let bytes = file_field(&mut multipart, "avatar").await?;
    let user = profile::set_avatar(&state.core, caller.user.id, bytes).await?;
    own_profile(&state, user, lang).await
}

/// The non-empty file sent in the multipart field `name` (400
/// `missing_file` when there is none; 413 when it is too large).
pub(crate) async fn file_field(
    multipart: &mut Multipart,
    name: &str,
) -> Result<bytes::Bytes, ApiError> {
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(err) => return Err(multipart_error(err.status())),
        };
        if field.name() == Some(name) {
            let bytes = field
                .bytes()
                .await
                .map_err(|e| multipart_error(e.status()))?;
            if !bytes.is_empty() {
                return Ok(bytes);
            }
            break;
        }
    }
    Err(ApiError::code(ErrorCode::MissingFile))
}

pub(crate) fn multipart_error(status: axum::http::StatusCode) -> ApiError {
    if status == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::code(ErrorCode::PayloadTooLarge)
    } else {
        ApiError::code(ErrorCode::MissingFile)
    }
}

/// Directory filters.
#[derive(Deserialize, ToSchema, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserSearchQuery {
    /// Matches names, city and skill names (either language).
    pub q: Option<String>,
    /// client | craftsman
    pub role: Option<String>,
    /// A catalog service (id or slug) the user lists as a skill.
    pub skill: Option<String>,
    pub page: Option<u64>,
    pub limit: Option<u64>,
}

/// Searches active clients and craftsmen (paginated).
#[utoipa::path(get, path = "/api/users", tag = "users", params(UserSearchQuery),
    responses((status = 200, body = Paged<PublicUserResponse>), (status = 400, body = ErrorBody)))]
pub async fn search_users(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    MaybeAuth(caller): MaybeAuth,
    PageQuery(page): PageQuery,
    ApiQuery(query): ApiQuery<UserSearchQuery>,
) -> Result<Json<Paged<PublicUserResponse>>, ApiError> {
    let role = match query
        .role
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty())
    {
        None => None,
        Some(word) => match Role::parse(word) {
            Some(role) if role.is_member() => Some(role),
            _ => {
                return Err(ApiError(Error::Validation(FieldErrors::single(
                    "role",
                    FieldIssue::OneOf(vec!["client", "craftsman"]),
                ))));
            }
        },
    };
    let filters = directory::UserSearch {
        q: query.q,
        role,
        skill: query.skill,
        banned: None,
    };
    let staff = caller.as_ref().is_some_and(|c| c.role.is_staff());
    let found = directory::search(&state.core, filters, false, page).await?;
    let ids: Vec<_> = found.items.iter().map(|u| u.id).collect();
    let mut extras = catalog::profile::extras_for(state.core.db.conn(), &ids).await?;
    let settings = &state.core.settings;
    Ok(Json(Paged::new(found, |u| {
        let mine = extras.remove(&u.id).unwrap_or_default();
        PublicUserResponse::new(u, settings, staff).with_extras(&mine, lang, settings)
    })))
}

/// A public profile (email and phone only for staff).
#[utoipa::path(get, path = "/api/users/{userId}", tag = "users",
    params(("userId" = uuid::Uuid, Path)),
    responses((status = 200, body = PublicUserResponse), (status = 404, body = ErrorBody)))]
pub async fn get_user(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    MaybeAuth(caller): MaybeAuth,
    IdPath(id): IdPath,
) -> Result<Json<PublicUserResponse>, ApiError> {
    let viewer = caller.as_ref().map(|c| c.role);
    let found = directory::public_profile(&state.core, viewer, id).await?;
    let staff = viewer.is_some_and(Role::is_staff);
    let settings = &state.core.settings;
    Ok(Json(
        PublicUserResponse::new(found.user.clone(), settings, staff).with_extras(
            &found.extras,
            lang,
            settings,
        ),
    ))
}
