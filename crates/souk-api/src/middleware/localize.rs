//! Renders every error response as the `{message, code, details}` envelope in
//! the request's language: `Accept-Language`, else the signed-in user's
//! language, else English. Also turns bare error statuses from inner layers
//! (timeouts, unknown methods) and panics into the envelope, and logs
//! internal errors once, with the request id.

use std::{any::Any, sync::Arc};

use axum::{
    body::Body,
    extract::Request,
    http::{HeaderValue, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use souk_core::{Error, ErrorCode};

use crate::{
    error::{ApiError, PendingError, render},
    extract::{UserLang, lang::header_lang},
};

/// The middleware function.
pub async fn localize(mut request: Request, next: Next) -> Response {
    let asked = header_lang(request.headers());
    let user_lang = UserLang::default();
    request.extensions_mut().insert(user_lang.clone());
    let request_id = request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let method = request.method().clone();
    let path = request.uri().path().to_owned();

    let mut response = next.run(request).await;
    let status = response.status();
    let pending = response.extensions_mut().remove::<PendingError>();
    let error: Arc<Error> = match pending {
        Some(PendingError(err)) => err,
        None if status.is_client_error() || status.is_server_error() => {
            if is_json(&response) {
                return response;
            }
            Arc::new(Error::code(code_for_status(status)))
        }
        None => return response,
    };
    if let Error::Internal(source) = error.as_ref() {
        tracing::error!(request_id = %request_id, method = %method, path = %path, error = ?source, "internal error");
    }
    let lang = asked
        .or_else(|| user_lang.0.get().copied())
        .unwrap_or_default();
    let body = match serde_json::to_vec(&render(&error, lang)) {
        Ok(body) => body,
        Err(_) => return StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    };
    let (mut parts, _) = response.into_parts();
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(body))
}

fn is_json(response: &Response) -> bool {
    response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"))
}

fn code_for_status(status: StatusCode) -> ErrorCode {
    match status {
        StatusCode::NOT_FOUND => ErrorCode::NotFound,
        StatusCode::METHOD_NOT_ALLOWED => ErrorCode::MethodNotAllowed,
        StatusCode::REQUEST_TIMEOUT => ErrorCode::RequestTimeout,
        StatusCode::PAYLOAD_TOO_LARGE => ErrorCode::PayloadTooLarge,
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ErrorCode::UnsupportedMediaType,
        StatusCode::TOO_MANY_REQUESTS => ErrorCode::RateLimited,
        StatusCode::UNAUTHORIZED => ErrorCode::Unauthorized,
        StatusCode::FORBIDDEN => ErrorCode::Forbidden,
        StatusCode::CONFLICT => ErrorCode::Conflict,
        StatusCode::SERVICE_UNAVAILABLE => ErrorCode::ServiceUnavailable,
        s if s.is_client_error() => ErrorCode::ValidationFailed,
        _ => ErrorCode::Internal,
    }
}

/// Turns a panic into a 500 whose cause is logged (with the request id) by
/// [`localize`], never sent.
pub fn panic_response(payload: Box<dyn Any + Send + 'static>) -> Response {
    let message = payload
        .downcast_ref::<String>()
        .cloned()
        .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_owned()))
        .unwrap_or_else(|| "unknown panic".to_owned());
    ApiError(Error::Internal(anyhow::anyhow!("panic: {message}"))).into_response()
}
