//! `IdPath`: a UUID path parameter; anything else answers 404 "Resource not
//! found (invalid ID)".

use axum::{
    extract::{FromRequestParts, Path},
    http::request::Parts,
};
use souk_core::ErrorCode;
use uuid::Uuid;

use crate::error::ApiError;

/// The single `{id}`-style parameter of a route, as a UUID.
pub struct IdPath(pub Uuid);

impl<S: Send + Sync> FromRequestParts<S> for IdPath {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path(raw) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| ApiError::code(ErrorCode::InvalidId))?;
        Uuid::parse_str(raw.trim())
            .map(IdPath)
            .map_err(|_| ApiError::code(ErrorCode::InvalidId))
    }
}
