//! Routes of the marketplace feature.

use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

/// Routes of this feature.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
}
