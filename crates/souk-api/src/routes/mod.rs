//! Route handlers, one folder or file per feature.

pub mod admin;
pub mod ai;
pub mod auth;
pub mod bookings;
pub mod catalog;
pub mod chat;
pub mod contact;
pub mod delivery;
pub mod disputes;
pub mod files;
pub mod integrators;
pub mod marketplace;
pub mod moderation;
pub mod money;
pub mod notifications;
pub mod reviews;
pub mod system;
pub mod tasks;
pub mod users;
pub mod verification;

use utoipa_axum::router::OpenApiRouter;

use crate::state::AppState;

/// Every documented route.
pub fn all(state: &AppState) -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(system::routes())
        .merge(auth::routes())
        .merge(users::routes())
        .merge(admin::routes())
        .merge(contact::routes())
        .merge(files::routes())
        .merge(catalog::routes())
        .merge(marketplace::routes())
        .merge(notifications::routes())
        .merge(chat::routes())
        .merge(reviews::routes())
        .merge(disputes::routes())
        .merge(verification::routes())
        .merge(moderation::routes())
        .merge(bookings::routes())
        .merge(tasks::routes())
        .merge(delivery::routes())
        .merge(integrators::routes())
        .merge(ai::routes())
        .merge(money::routes(state))
}
