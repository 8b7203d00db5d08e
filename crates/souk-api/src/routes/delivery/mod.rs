//! Delivery over HTTP: push devices, notification preferences, one-click
//! unsubscribe, and staff's dead-letter list and announcements.

mod admin;
mod devices;
mod preferences;

use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

/// Routes of this feature.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(devices::routes())
        .merge(preferences::routes())
        .merge(admin::routes())
}
