//! `/api/auth/*`: register, login, refresh, logout, recovery, verification.

use axum::{Json, extract::State, http::StatusCode};
use serde::Deserialize;
use souk_core::{
    Error, ErrorCode, FieldErrors, FieldIssue,
    accounts::{login, recovery, register, sessions},
    i18n::Notice,
};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    error::{ApiError, ErrorBody},
    extract::{ApiJson, Auth, ClientMeta, MaybeAuth, ReqLang, parse_json},
    state::AppState,
    views::{AuthResponse, MessageResponse, UserResponse},
};

/// Routes of this feature.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(register_user))
        .routes(routes!(login_user))
        .routes(routes!(refresh_session))
        .routes(routes!(logout))
        .routes(routes!(forgot_password))
        .routes(routes!(reset_password))
        .routes(routes!(change_password))
        .routes(routes!(verify_email))
        .routes(routes!(resend_verification))
        .routes(routes!(auth_me))
}

/// Registration.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RegisterRequest {
    #[schema(example = "mona@example.com", required = true, nullable = false)]
    pub email: Option<String>,
    /// E.164, e.g. +201001234567 (optional, unique).
    pub phone: Option<String>,
    /// ≥ 8 characters, not common, letters mixed with digits or symbols.
    #[schema(required = true, nullable = false)]
    pub password: Option<String>,
    /// client | craftsman (aliases: customer, buyer, employer, provider, worker, contractor, seller, freelancer).
    #[schema(required = true, nullable = false)]
    pub role: Option<String>,
    #[schema(required = true, nullable = false)]
    pub first_name: Option<String>,
    #[schema(required = true, nullable = false)]
    pub last_name: Option<String>,
    /// en | ar (defaults to the request language).
    pub language: Option<String>,
}

/// Creates a client or craftsman account and signs in.
#[utoipa::path(post, path = "/api/auth/register", tag = "auth", request_body = RegisterRequest,
    responses((status = 201, body = AuthResponse), (status = 400, body = ErrorBody),
              (status = 409, description = "email_taken / phone_taken", body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn register_user(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    ClientMeta(client): ClientMeta,
    ApiJson(body): ApiJson<RegisterRequest>,
) -> Result<(StatusCode, Json<AuthResponse>), ApiError> {
    let input = register::RegisterInput {
        email: body.email,
        phone: body.phone,
        password: body.password,
        role: body.role,
        first_name: body.first_name,
        last_name: body.last_name,
        language: body.language,
    };
    let session = register::register(&state.core, input, lang, &client).await?;
    Ok((
        StatusCode::CREATED,
        Json(AuthResponse::new(session, &state.core.settings)),
    ))
}

/// Login.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LoginRequest {
    /// Email, or phone for members.
    #[schema(required = true, nullable = false)]
    pub login_identifier: Option<String>,
    #[schema(required = true, nullable = false)]
    pub password: Option<String>,
    /// clients (default) | admins
    #[serde(rename = "type")]
    pub login_type: Option<String>,
}

/// Signs in with email or phone and password.
#[utoipa::path(post, path = "/api/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = AuthResponse), (status = 400, body = ErrorBody),
              (status = 401, description = "invalid_credentials", body = ErrorBody),
              (status = 403, description = "wrong_login_type / account_banned (details: reason, bannedAt)", body = ErrorBody),
              (status = 429, body = ErrorBody)))]
pub async fn login_user(
    State(state): State<AppState>,
    ClientMeta(client): ClientMeta,
    ApiJson(body): ApiJson<LoginRequest>,
) -> Result<Json<AuthResponse>, ApiError> {
    let input = login::LoginInput {
        login_identifier: body.login_identifier,
        password: body.password,
        login_type: body.login_type,
    };
    let session = login::login(&state.core, input, &client).await?;
    Ok(Json(AuthResponse::new(session, &state.core.settings)))
}

/// A refresh token.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RefreshRequest {
    #[schema(required = true, nullable = false)]
    pub refresh_token: Option<String>,
}

fn required_refresh_token(token: Option<String>) -> Result<String, Error> {
    token
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
        .ok_or_else(|| Error::Validation(FieldErrors::single("refreshToken", FieldIssue::Required)))
}

/// Exchanges a refresh token for a new pair. A token works once; presenting
/// an already-rotated one ends the whole session.
#[utoipa::path(post, path = "/api/auth/refresh", tag = "auth", request_body = RefreshRequest,
    responses((status = 200, body = AuthResponse), (status = 400, body = ErrorBody),
              (status = 401, description = "invalid_refresh_token / refresh_token_reused", body = ErrorBody)))]
pub async fn refresh_session(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<RefreshRequest>,
) -> Result<Json<AuthResponse>, ApiError> {
    let token = required_refresh_token(body.refresh_token)?;
    let session = sessions::refresh(&state.core, &token).await?;
    Ok(Json(AuthResponse::new(session, &state.core.settings)))
}

/// Optional logout body.
#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase")]
pub struct LogoutRequest {
    pub refresh_token: Option<String>,
}

/// Ends the session: its access and refresh tokens stop working at once.
/// Send the bearer token, the refresh token, or both.
#[utoipa::path(post, path = "/api/auth/logout", tag = "auth", request_body(content = Option<LogoutRequest>, description = "Optional"),
    security(("bearer" = [])),
    responses((status = 200, body = MessageResponse), (status = 401, body = ErrorBody)))]
pub async fn logout(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    MaybeAuth(caller): MaybeAuth,
    raw: axum::body::Bytes,
) -> Result<Json<MessageResponse>, ApiError> {
    let body: LogoutRequest = if raw.iter().all(u8::is_ascii_whitespace) {
        LogoutRequest::default()
    } else {
        parse_json(&raw)?
    };
    let refresh = body.refresh_token;
    let mut session = caller.map(|c| c.session_id);
    if session.is_none()
        && let Some(token) = refresh.as_deref()
    {
        session = sessions::session_of_refresh_token(&state.core, token).await?;
    }
    let Some(session) = session else {
        return Err(ApiError::code(ErrorCode::Unauthorized));
    };
    sessions::revoke_session(&state.core, session, "logout").await?;
    Ok(Json(MessageResponse::notice(Notice::LoggedOut, lang)))
}

/// Forgot password.
#[derive(Deserialize, ToSchema)]
pub struct ForgotPasswordRequest {
    #[schema(required = true, nullable = false)]
    pub email: Option<String>,
}

/// Mails a single-use reset link and a 6-digit code (30 minutes). Always 200.
#[utoipa::path(post, path = "/api/auth/forgot-password", tag = "auth", request_body = ForgotPasswordRequest,
    responses((status = 200, body = MessageResponse), (status = 400, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn forgot_password(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    ApiJson(body): ApiJson<ForgotPasswordRequest>,
) -> Result<Json<MessageResponse>, ApiError> {
    recovery::forgot_password(&state.core, body.email).await?;
    Ok(Json(MessageResponse::notice(Notice::ResetMailSent, lang)))
}

/// Reset by link token, or by email and code.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ResetPasswordRequest {
    pub token: Option<String>,
    pub email: Option<String>,
    pub otp: Option<String>,
    #[schema(required = true, nullable = false)]
    pub new_password: Option<String>,
}

/// Sets a new password; ends every session of the account.
#[utoipa::path(post, path = "/api/auth/reset-password", tag = "auth", request_body = ResetPasswordRequest,
    responses((status = 200, body = MessageResponse),
              (status = 400, description = "validation_failed / invalid_reset_token / invalid_otp", body = ErrorBody),
              (status = 429, description = "too_many_attempts / rate_limited", body = ErrorBody)))]
pub async fn reset_password(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    ApiJson(body): ApiJson<ResetPasswordRequest>,
) -> Result<Json<MessageResponse>, ApiError> {
    let mut errors = FieldErrors::new();
    let new_password = body.new_password.unwrap_or_default();
    if new_password.is_empty() {
        errors.add("newPassword", FieldIssue::Required);
    }
    let token = body
        .token
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty());
    let proof = match token {
        Some(token) => Some(recovery::ResetProof::Token(token)),
        None => {
            let email = body.email.unwrap_or_default();
            let otp = body.otp.unwrap_or_default();
            if email.trim().is_empty() {
                errors.add("email", FieldIssue::Required);
            }
            if otp.trim().is_empty() {
                errors.add("otp", FieldIssue::Required);
            }
            Some(recovery::ResetProof::Otp { email, otp })
        }
    };
    errors.into_result()?;
    if let Some(proof) = proof {
        recovery::reset_password(&state.core, proof, &new_password).await?;
    }
    Ok(Json(MessageResponse::notice(Notice::PasswordReset, lang)))
}

/// Change password.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChangePasswordRequest {
    #[schema(required = true, nullable = false)]
    pub current_password: Option<String>,
    #[schema(required = true, nullable = false)]
    pub new_password: Option<String>,
}

/// Changes the password; every session ends and a fresh one is returned.
#[utoipa::path(post, path = "/api/auth/change-password", tag = "auth", request_body = ChangePasswordRequest,
    security(("bearer" = [])),
    responses((status = 200, body = AuthResponse),
              (status = 400, description = "validation_failed / wrong_password", body = ErrorBody),
              (status = 401, body = ErrorBody)))]
pub async fn change_password(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ClientMeta(client): ClientMeta,
    ApiJson(body): ApiJson<ChangePasswordRequest>,
) -> Result<Json<AuthResponse>, ApiError> {
    let session = recovery::change_password(
        &state.core,
        &caller,
        &body.current_password.unwrap_or_default(),
        &body.new_password.unwrap_or_default(),
        &client,
    )
    .await?;
    Ok(Json(AuthResponse::new(session, &state.core.settings)))
}

/// Email verification.
#[derive(Deserialize, ToSchema)]
pub struct VerifyEmailRequest {
    #[schema(required = true, nullable = false)]
    pub token: Option<String>,
}

/// Confirms an email address with the mailed token (works once).
#[utoipa::path(post, path = "/api/auth/verify-email", tag = "auth", request_body = VerifyEmailRequest,
    responses((status = 200, body = UserResponse), (status = 400, body = ErrorBody)))]
pub async fn verify_email(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<VerifyEmailRequest>,
) -> Result<Json<UserResponse>, ApiError> {
    let token = body
        .token
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty())
        .ok_or_else(|| Error::Validation(FieldErrors::single("token", FieldIssue::Required)))?;
    let user = recovery::verify_email(&state.core, &token).await?;
    Ok(Json(UserResponse::new(user, &state.core.settings)))
}

/// Sends a new verification mail (409 when already verified).
#[utoipa::path(post, path = "/api/auth/verify-email/resend", tag = "auth",
    security(("bearer" = [])),
    responses((status = 200, body = MessageResponse), (status = 401, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn resend_verification(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    Auth(caller): Auth,
) -> Result<Json<MessageResponse>, ApiError> {
    recovery::resend_verification(&state.core, &caller).await?;
    Ok(Json(MessageResponse::notice(
        Notice::VerificationSent,
        lang,
    )))
}

/// The signed-in user.
#[utoipa::path(get, path = "/api/auth/me", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = UserResponse), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn auth_me(
    State(state): State<AppState>,
    Auth(caller): Auth,
) -> Result<Json<UserResponse>, ApiError> {
    let user = souk_core::accounts::fresh_user(&state.core, caller.user).await?;
    Ok(Json(UserResponse::new(user, &state.core.settings)))
}
