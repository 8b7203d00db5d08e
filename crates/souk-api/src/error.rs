//! The one error type at the HTTP edge. Handlers return [`ApiError`]; the
//! response carries the domain error in an extension, and the `localize`
//! middleware renders the `{message, code, details}` envelope in the
//! request's language (which may only be known after authentication).

use std::sync::Arc;

use axum::{
    Json,
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use serde::Serialize;
use serde_json::{Map, Value};
use souk_core::{Error, ErrorCode, Lang, i18n};
use utoipa::ToSchema;

/// The error body of every failed request.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// Human-readable, in the request's language.
    #[schema(example = "API route not found")]
    pub message: String,
    /// Stable snake_case code.
    #[schema(example = "route_not_found")]
    pub code: String,
    /// Structured details; validation errors list `fields.<name>`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub details: Option<Value>,
}

/// A failed request.
#[derive(Debug)]
pub struct ApiError(pub Error);

impl<E: Into<Error>> From<E> for ApiError {
    fn from(err: E) -> Self {
        ApiError(err.into())
    }
}

impl ApiError {
    /// An error with just a code.
    pub fn code(code: ErrorCode) -> Self {
        ApiError(Error::code(code))
    }
}

/// The domain error travelling on a response until it is rendered.
#[derive(Clone)]
pub struct PendingError(pub Arc<Error>);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.0.error_code().status())
            .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut response = status.into_response();
        // A use-case that rate-limits says how long to wait (429 answers
        // carry `Retry-After`, like the edge's own limits).
        if let Error::Coded {
            code: ErrorCode::RateLimited,
            details: Some(details),
        } = &self.0
            && let Some(wait) = details.get("retryAfter").and_then(Value::as_u64)
            && let Ok(value) = HeaderValue::from_str(&wait.to_string())
        {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        response
            .extensions_mut()
            .insert(PendingError(Arc::new(self.0)));
        response
    }
}

/// Renders an error body in a language.
pub fn render(err: &Error, lang: Lang) -> ErrorBody {
    let code = err.error_code();
    let details = match err {
        Error::Validation(fields) => {
            let mut map = Map::new();
            for (name, issue) in &fields.0 {
                map.insert(
                    name.clone(),
                    Value::String(i18n::field_message(issue, lang)),
                );
            }
            Some(serde_json::json!({ "fields": map }))
        }
        Error::Coded { details, .. } => details.clone(),
        Error::Internal(_) => None,
    };
    ErrorBody {
        message: i18n::error_message(code, lang).to_owned(),
        code: code.as_str().to_owned(),
        details,
    }
}

/// A complete response for an error, rendered now (used where no later
/// rendering happens, e.g. by the rate limiter before the request body).
pub fn respond(err: &Error, lang: Lang, status: StatusCode) -> Response {
    let mut response = (status, Json(render(err, lang))).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}
