//! `ReqLang`: the language asked for by `Accept-Language` (English otherwise).

use std::convert::Infallible;

use axum::{
    extract::FromRequestParts,
    http::{header, request::Parts},
};
use souk_core::Lang;

/// The request's language from its headers.
pub struct ReqLang(pub Lang);

/// The language named by `Accept-Language`, if it names a supported one.
pub fn header_lang(parts_headers: &axum::http::HeaderMap) -> Option<Lang> {
    parts_headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(Lang::from_accept_language)
}

impl<S: Send + Sync> FromRequestParts<S> for ReqLang {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ReqLang(header_lang(&parts.headers).unwrap_or_default()))
    }
}
