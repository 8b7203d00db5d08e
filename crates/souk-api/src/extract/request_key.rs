//! `RequestKey`: the request's `Idempotency-Key`, or a fresh id when none was
//! sent; money use-cases name their ledger entries with it, so a replay of
//! the same key can never move money twice.

use axum::{extract::FromRequestParts, http::request::Parts};

use crate::error::ApiError;

pub struct RequestKey(pub String);

impl<S: Send + Sync> FromRequestParts<S> for RequestKey {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let key = parts
            .headers
            .get(crate::middleware::idempotency::HEADER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
            .unwrap_or_else(|| uuid::Uuid::now_v7().to_string());
        Ok(RequestKey(key))
    }
}
