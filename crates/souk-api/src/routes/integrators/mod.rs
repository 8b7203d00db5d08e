//! Integrators over HTTP: the event feed, API keys and webhook endpoints.

mod api_keys;
mod events;
mod webhooks;

use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

/// Routes of this feature.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(events::routes())
        .merge(api_keys::routes())
        .merge(webhooks::routes())
}
