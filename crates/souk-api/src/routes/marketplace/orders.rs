//! Orders views: a user's jobs grouped requested / in progress / completed / rejected.

use axum::{Json, extract::State};
use souk_core::{Settings, marketplace::orders};

use super::views::{JobResponse, OrdersResponse};
use crate::{
    error::{ApiError, ErrorBody},
    extract::Auth,
    state::AppState,
};

fn respond(groups: orders::Orders, settings: &Settings) -> OrdersResponse {
    let map = |jobs: Vec<souk_db::entities::jobs::Model>| {
        jobs.into_iter()
            .map(|j| JobResponse::new(j, settings))
            .collect()
    };
    OrdersResponse {
        requested: map(groups.requested),
        in_progress: map(groups.in_progress),
        completed: map(groups.completed),
        rejected: map(groups.rejected),
    }
}

/// A client's jobs by stage.
#[utoipa::path(get, path = "/api/orders/client", tag = "jobs", security(("bearer" = [])),
    responses((status = 200, body = OrdersResponse), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn client_orders(
    State(state): State<AppState>,
    Auth(caller): Auth,
) -> Result<Json<OrdersResponse>, ApiError> {
    let groups = orders::client_orders(&state.core, &caller).await?;
    Ok(Json(respond(groups, &state.core.settings)))
}

/// A craftsman's work by stage.
#[utoipa::path(get, path = "/api/orders/craftsman", tag = "jobs", security(("bearer" = [])),
    responses((status = 200, body = OrdersResponse), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn craftsman_orders(
    State(state): State<AppState>,
    Auth(caller): Auth,
) -> Result<Json<OrdersResponse>, ApiError> {
    let groups = orders::craftsman_orders(&state.core, &caller).await?;
    Ok(Json(respond(groups, &state.core.settings)))
}
