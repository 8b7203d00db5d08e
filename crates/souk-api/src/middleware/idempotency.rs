//! `Idempotency-Key` for money-moving POSTs (API.md): same key and body →
//! the first answer again (with `Idempotent-Replayed: true`); same key,
//! another body → 409. The rules live in `souk_core::money::idempotency`.

use axum::{
    body::{Body, Bytes, to_bytes},
    extract::{Request, State},
    http::{HeaderValue, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use sha2::{Digest, Sha256};
use souk_core::{
    Error, ErrorCode, FieldErrors, FieldIssue,
    accounts::sessions,
    money::idempotency::{self, Claim},
};

use crate::{error::ApiError, state::AppState};

/// The request header.
pub const HEADER: &str = "idempotency-key";
const HEADER_FIELD: &str = "Idempotency-Key";
/// How much longer than the request timeout a claim without an answer is
/// still taken for a request in flight (clock skew between nodes, a slow
/// commit after the handler answered).
const ABANDON_MARGIN: std::time::Duration = std::time::Duration::from_secs(30);
/// Largest answer kept for replay.
const ANSWER_LIMIT: usize = 4 * 1024 * 1024;

pub async fn idempotent(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Some(key) = request
        .headers()
        .get(HEADER)
        .map(|v| v.to_str().map(str::to_owned))
    else {
        return next.run(request).await;
    };
    let key = match key {
        Ok(key) => key,
        Err(_) => {
            let invalid = FieldErrors::single(HEADER_FIELD, FieldIssue::Invalid);
            return ApiError::from(Error::Validation(invalid)).into_response();
        }
    };
    if let Err(err) = idempotency::check_key(&key) {
        return ApiError::from(err).into_response();
    }
    // Only signed-in callers are keyed; others get the handler's 401.
    let token = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim().to_owned());
    let Some(user) = (match token {
        Some(token) => sessions::authenticate(&state.core, &token).await.ok(),
        None => None,
    }) else {
        return next.run(request).await;
    };
    let user = user.user.id;
    let (parts, body) = request.into_parts();
    let bytes = match to_bytes(body, state.config.body_limit).await {
        Ok(bytes) => bytes,
        Err(_) => return ApiError::code(ErrorCode::PayloadTooLarge).into_response(),
    };
    let mut hasher = Sha256::new();
    hasher.update(parts.method.as_str().as_bytes());
    hasher.update(b" ");
    hasher.update(parts.uri.path().as_bytes());
    hasher.update(b"\n");
    hasher.update(&bytes);
    let hash = hex::encode(hasher.finalize());
    let abandoned_after = state.config.request_timeout + ABANDON_MARGIN;
    match idempotency::claim(&state.core, user, &key, &hash, abandoned_after).await {
        Err(err) => ApiError::from(err).into_response(),
        Ok(Claim::Replay { status, body }) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
            let mut response = (status, body).into_response();
            let headers = response.headers_mut();
            headers.insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            );
            headers.insert("idempotent-replayed", HeaderValue::from_static("true"));
            response
        }
        Ok(Claim::Run) => {
            let response = next
                .run(Request::from_parts(parts, Body::from(bytes)))
                .await;
            if !response.status().is_success() {
                if let Err(err) = idempotency::forget(&state.core, user, &key).await {
                    tracing::error!(error = %err, "could not release an idempotency key");
                }
                return response;
            }
            let (parts, body) = response.into_parts();
            let bytes: Bytes = match to_bytes(body, ANSWER_LIMIT).await {
                Ok(bytes) => bytes,
                Err(_) => Bytes::new(),
            };
            let text = String::from_utf8_lossy(&bytes).into_owned();
            if let Err(err) =
                idempotency::remember(&state.core, user, &key, parts.status.as_u16(), text).await
            {
                tracing::error!(error = %err, "could not store an idempotent answer");
            }
            Response::from_parts(parts, Body::from(bytes))
        }
    }
}
