//! Query-string extractors: `ApiQuery<T>` (400 in the API shape) and
//! `PageQuery` (`page` ≥ 1, `1 ≤ limit ≤ 100`).

use axum::{extract::FromRequestParts, http::request::Parts};
use serde::{Deserialize, de::DeserializeOwned};
use souk_core::{
    Error, FieldErrors, FieldIssue,
    pagination::{DEFAULT_LIMIT, MAX_LIMIT, PageRequest},
};

use crate::error::ApiError;

/// A query string deserialized into `T`.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        parse_query(query).map(ApiQuery).map_err(ApiError)
    }
}

fn parse_query<T: DeserializeOwned>(query: &str) -> Result<T, Error> {
    let pairs: Vec<(String, String)> = url_pairs(query);
    if let Some((name, _)) = pairs
        .iter()
        .find(|(k, v)| k.contains('\0') || v.contains('\0'))
    {
        return Err(Error::Validation(FieldErrors::single(
            name.replace('\0', ""),
            FieldIssue::NulByte,
        )));
    }
    let deserializer = serde_urlencoded::Deserializer::new(form_urlencoded(query));
    serde_path_to_error::deserialize::<_, T>(deserializer).map_err(|err| {
        let path = err.path().to_string();
        let field = if path.is_empty() || path == "." {
            "query".to_owned()
        } else {
            path
        };
        Error::Validation(FieldErrors::single(field, FieldIssue::Invalid))
    })
}

fn form_urlencoded(query: &str) -> form_urlencoded::Parse<'_> {
    form_urlencoded::parse(query.as_bytes())
}

fn url_pairs(query: &str) -> Vec<(String, String)> {
    form_urlencoded(query).into_owned().collect()
}

#[derive(Deserialize)]
struct RawPage {
    page: Option<String>,
    limit: Option<String>,
}

/// Validated offset pagination.
pub struct PageQuery(pub PageRequest);

impl<S: Send + Sync> FromRequestParts<S> for PageQuery {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let ApiQuery(raw) = ApiQuery::<RawPage>::from_request_parts(parts, state).await?;
        let mut errors = FieldErrors::new();
        let page = match raw.page.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            None => 1,
            Some(text) => match text.parse::<u64>() {
                Ok(n) if (1..=1_000_000).contains(&n) => n,
                _ => {
                    errors.add(
                        "page",
                        FieldIssue::OutOfRange {
                            min: 1.0,
                            max: 1_000_000.0,
                        },
                    );
                    1
                }
            },
        };
        let limit = match raw
            .limit
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => DEFAULT_LIMIT,
            Some(text) => match text.parse::<u64>() {
                Ok(n) if (1..=MAX_LIMIT).contains(&n) => n,
                _ => {
                    errors.add(
                        "limit",
                        FieldIssue::out_of_range(1, i64::try_from(MAX_LIMIT).unwrap_or(i64::MAX)),
                    );
                    DEFAULT_LIMIT
                }
            },
        };
        errors.into_result().map_err(ApiError)?;
        Ok(PageQuery(PageRequest { page, limit }))
    }
}

/// An optional filter that must be one of `allowed` (blank: none); 400
/// naming `field` otherwise.
pub fn one_of(
    field: &str,
    raw: Option<&str>,
    allowed: &[&'static str],
) -> Result<Option<&'static str>, ApiError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(value) => allowed
            .iter()
            .find(|a| **a == value)
            .copied()
            .map(Some)
            .ok_or_else(|| {
                ApiError(souk_core::Error::Validation(
                    souk_core::FieldErrors::single(
                        field,
                        souk_core::FieldIssue::OneOf(allowed.to_vec()),
                    ),
                ))
            }),
    }
}
