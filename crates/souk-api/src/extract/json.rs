//! `ApiJson<T>`: a JSON body whose every failure is a 4xx in the API shape —
//! wrong content type 415, too large 413, malformed 400, missing or mistyped
//! fields 400 with `details.fields`, NUL characters 400 (PostgreSQL cannot
//! store them).

use axum::{
    body::Bytes,
    extract::{FromRequest, Request},
    http::header,
};
use http_body_util::BodyExt;
use serde::de::DeserializeOwned;
use serde_json::Value;
use souk_core::{Error, ErrorCode, FieldErrors, FieldIssue};

use crate::error::ApiError;

/// A validated JSON body.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, _state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<mime::Mime>().ok())
            .is_some_and(|m| {
                m.type_() == mime::APPLICATION
                    && (m.subtype() == mime::JSON || m.suffix() == Some(mime::JSON))
            });
        if !is_json {
            return Err(ApiError::code(ErrorCode::UnsupportedMediaType));
        }
        let bytes = read_limited(req).await?;
        parse_json(&bytes).map(ApiJson).map_err(ApiError)
    }
}

/// The largest JSON body (`BODY_LIMIT_BYTES`), put on each request by the
/// middleware stack. JSON obeys it on every route, including those whose
/// multipart uploads may be larger.
#[derive(Debug, Clone, Copy)]
pub struct JsonLimit(pub usize);

impl Default for JsonLimit {
    fn default() -> Self {
        Self(1024 * 1024)
    }
}

/// Reads a JSON body, at most [`JsonLimit`] bytes: a declared length over
/// the limit is refused before reading, and reading stops one byte past it.
async fn read_limited(req: Request) -> Result<Bytes, ApiError> {
    let JsonLimit(limit) = req
        .extensions()
        .get::<JsonLimit>()
        .copied()
        .unwrap_or_default();
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| u64::try_from(limit).is_ok_and(|limit| n > limit)) {
        return Err(ApiError::code(ErrorCode::PayloadTooLarge));
    }
    let body = http_body_util::Limited::new(req.into_body(), limit);
    match body.collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(err) if err.is::<http_body_util::LengthLimitError>() => {
            Err(ApiError::code(ErrorCode::PayloadTooLarge))
        }
        Err(_) => Err(ApiError::code(ErrorCode::InvalidJson)),
    }
}

/// Parses and checks a JSON document into `T`.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Error> {
    let value: Value = serde_json::from_slice(bytes).map_err(|err| {
        Error::with_details(
            ErrorCode::InvalidJson,
            serde_json::json!({ "line": err.line(), "column": err.column() }),
        )
    })?;
    let mut errors = FieldErrors::new();
    find_nul_bytes(&value, String::new(), &mut errors);
    errors.into_result()?;
    serde_path_to_error::deserialize::<_, T>(value).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner().to_string();
        Error::Validation(field_error(&path, &inner))
    })
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() || path == "." {
        name.to_owned()
    } else {
        format!("{path}.{name}")
    }
}

fn field_error(path: &str, message: &str) -> FieldErrors {
    if let Some(rest) = message.strip_prefix("missing field `")
        && let Some(name) = rest.split('`').next()
    {
        return FieldErrors::single(join(path, name), FieldIssue::Required);
    }
    let field = if path.is_empty() || path == "." {
        "body".to_owned()
    } else {
        path.to_owned()
    };
    let expected = message
        .split("expected ")
        .nth(1)
        .map(|e| {
            e.trim_end_matches(|c: char| c == '.' || c.is_whitespace())
                .to_owned()
        })
        .unwrap_or_else(|| message.to_owned());
    FieldErrors::single(field, FieldIssue::InvalidType(expected))
}

fn find_nul_bytes(value: &Value, path: String, errors: &mut FieldErrors) {
    match value {
        Value::String(s) if s.contains('\0') => errors.add(
            if path.is_empty() { "body".into() } else { path },
            FieldIssue::NulByte,
        ),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                find_nul_bytes(item, format!("{path}[{i}]"), errors);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                if key.contains('\0') {
                    errors.add("body", FieldIssue::NulByte);
                }
                find_nul_bytes(item, join(&path, key), errors);
            }
        }
        _ => {}
    }
}
