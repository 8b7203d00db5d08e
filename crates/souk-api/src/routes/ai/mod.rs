//! AI over HTTP: recommendations, the concierge and its confirmations,
//! drafting, job finding, price suggestion, sentiment, skill development,
//! and the admins' AI log.

mod assist;
mod concierge;
mod logs;
mod recommend;

use axum::http::HeaderMap;
use souk_core::{Lang, accounts::Authenticated};
use utoipa_axum::router::OpenApiRouter;

use crate::{extract::lang::header_lang, state::AppState};

/// Routes of this feature.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(recommend::routes())
        .merge(concierge::routes())
        .merge(assist::routes())
        .merge(logs::routes())
}

/// The language an answer is written in: the request's `Accept-Language`,
/// else the caller's own.
fn answer_lang(headers: &HeaderMap, caller: &Authenticated) -> Lang {
    header_lang(headers)
        .or_else(|| Lang::parse(&caller.user.language))
        .unwrap_or_default()
}
