//! `Auth` (required) and `MaybeAuth` (optional) bearer-token extractors. A
//! successful check also records the user's language for error messages.

use std::sync::{Arc, OnceLock};

use axum::{
    extract::{FromRequestParts, OptionalFromRequestParts},
    http::{header, request::Parts},
};
use souk_core::{
    ErrorCode, Lang,
    accounts::{Authenticated, lang_of, sessions},
    integrators::api_keys::{self, Scope},
};

use crate::{error::ApiError, state::AppState};

/// A slot the `localize` middleware reads after the handler: the signed-in
/// user's language, used when the request names none.
#[derive(Clone, Default)]
pub struct UserLang(pub Arc<OnceLock<Lang>>);

/// The authenticated caller.
pub struct Auth(pub Authenticated);

/// The caller, when a token was sent.
pub struct MaybeAuth(pub Option<Authenticated>);

/// Who calls an integrator route: a signed-in user or an API key
/// (`Authorization: Bearer souk_sk_…`).
pub enum Integrator {
    /// Boxed: a session is much larger than a key row.
    User(Box<Authenticated>),
    Key(souk_db::entities::api_keys::Model),
}

impl Integrator {
    /// Staff, or a key with `scope`; `admins_only` narrows staff to admins.
    pub fn require(&self, scope: Scope, admins_only: bool) -> Result<(), ApiError> {
        match self {
            Integrator::User(user) if admins_only => Ok(user.require_admin()?),
            Integrator::User(user) => Ok(user.require_staff()?),
            Integrator::Key(key) if api_keys::allows(key, scope) => Ok(()),
            Integrator::Key(_) => Err(ApiError::code(ErrorCode::InsufficientScope)),
        }
    }

    /// The user behind the call (the key's creator for a key).
    pub fn user_id(&self) -> uuid::Uuid {
        match self {
            Integrator::User(user) => user.user.id,
            Integrator::Key(key) => key.created_by,
        }
    }
}

fn bearer(parts: &Parts) -> Option<Result<&str, ApiError>> {
    let value = parts.headers.get(header::AUTHORIZATION)?;
    Some(
        value
            .to_str()
            .ok()
            .and_then(|v| {
                let (scheme, token) = v.trim().split_once(' ')?;
                scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
            })
            .filter(|t| !t.is_empty())
            .ok_or(ApiError::code(ErrorCode::InvalidToken)),
    )
}

async fn check(
    parts: &mut Parts,
    state: &AppState,
    token: &str,
) -> Result<Authenticated, ApiError> {
    let caller = sessions::authenticate(&state.core, token).await?;
    if let Some(slot) = parts.extensions.get::<UserLang>() {
        let _ = slot.0.set(lang_of(&caller.user));
    }
    Ok(caller)
}

impl FromRequestParts<AppState> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match bearer(parts) {
            None => Err(ApiError::code(ErrorCode::Unauthorized)),
            Some(Err(err)) => Err(err),
            Some(Ok(token)) => {
                let token = token.to_owned();
                check(parts, state, &token).await.map(Auth)
            }
        }
    }
}

impl FromRequestParts<AppState> for MaybeAuth {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match bearer(parts) {
            None => Ok(MaybeAuth(None)),
            Some(Err(err)) => Err(err),
            Some(Ok(token)) => {
                let token = token.to_owned();
                check(parts, state, &token)
                    .await
                    .map(|c| MaybeAuth(Some(c)))
            }
        }
    }
}

impl FromRequestParts<AppState> for Integrator {
    type Rejection = ApiError;

    /// An API key when the bearer is one (`souk_sk_…`); otherwise the
    /// session check of [`Auth`].
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let key = match bearer(parts) {
            Some(Ok(token)) if token.starts_with(api_keys::SECRET_PREFIX) => Some(token.to_owned()),
            _ => None,
        };
        match key {
            Some(secret) => Ok(Integrator::Key(
                api_keys::authenticate(&state.core, &secret).await?,
            )),
            None => {
                let Auth(user) =
                    <Auth as FromRequestParts<AppState>>::from_request_parts(parts, state).await?;
                Ok(Integrator::User(Box::new(user)))
            }
        }
    }
}

impl OptionalFromRequestParts<AppState> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Self>, Self::Rejection> {
        let MaybeAuth(caller) =
            <MaybeAuth as FromRequestParts<AppState>>::from_request_parts(parts, state).await?;
        Ok(caller.map(Auth))
    }
}
