//! Routes of the catalog feature: the service catalog and the craftsman
//! profile (skills, availability, portfolio).

mod profile;
mod services;

use axum::extract::DefaultBodyLimit;
use souk_core::catalog::portfolio::PORTFOLIO_MAX_BYTES;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::state::AppState;

/// Routes of this feature.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(services::list_services, services::create_service))
        .routes(routes!(
            services::get_service,
            services::update_service,
            services::delete_service
        ))
        .routes(routes!(profile::set_skills))
        .routes(routes!(profile::set_availability))
        .routes(routes!(profile::add_portfolio_image))
        .routes(routes!(profile::delete_portfolio_image))
        .layer(DefaultBodyLimit::max(PORTFOLIO_MAX_BYTES + 64 * 1024))
}
