//! Routes of the marketplace: jobs, quotes, invitations, orders views.

mod invitations;
pub(crate) mod jobs;
mod orders;
mod quotes;
pub mod views;

use axum::extract::DefaultBodyLimit;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::state::AppState;

/// Routes of this feature.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(jobs::create_job, jobs::list_jobs))
        .routes(routes!(jobs::get_job, jobs::update_job, jobs::delete_job))
        .routes(routes!(jobs::change_job_status))
        .routes(routes!(jobs::submit_job))
        .routes(routes!(jobs::approve_job))
        .routes(routes!(jobs::force_delete_job))
        .routes(routes!(quotes::submit_quote, quotes::list_job_quotes))
        .routes(routes!(quotes::accept_quote))
        .routes(routes!(quotes::decline_quote))
        .routes(routes!(quotes::withdraw_quote))
        .routes(routes!(quotes::my_quotes))
        .routes(routes!(invitations::invite_craftsman))
        .routes(routes!(invitations::list_job_invitations))
        .routes(routes!(invitations::respond_to_invitation))
        .routes(routes!(invitations::my_invitations))
        .routes(routes!(orders::client_orders))
        .routes(routes!(orders::craftsman_orders))
        .layer(DefaultBodyLimit::max(
            souk_core::marketplace::jobs::MAX_PHOTOS
                * souk_core::marketplace::jobs::MAX_PHOTO_BYTES
                + 256 * 1024,
        ))
}
