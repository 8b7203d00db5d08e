//! Routes of money: wallet, payments and gateway webhooks, escrow and tips,
//! and staff's ledger check, settings, packages and withdrawals. Every
//! money-moving POST honours `Idempotency-Key`.

mod admin;
pub(crate) mod escrow;
mod input;
mod payments;
pub mod views;
mod wallet;

use axum::middleware::from_fn_with_state;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{middleware::idempotency::idempotent, state::AppState};

/// Routes of this feature.
pub fn routes(state: &AppState) -> OpenApiRouter<AppState> {
    let moving = OpenApiRouter::new()
        .routes(routes!(wallet::top_up))
        .routes(routes!(wallet::withdraw))
        .routes(routes!(wallet::pay_fees))
        .routes(routes!(payments::initiate_payment))
        .routes(routes!(payments::sandbox_complete))
        .routes(routes!(payments::sandbox_fail))
        .routes(routes!(payments::refund_payment))
        .routes(routes!(escrow::fund_escrow))
        .routes(routes!(escrow::tip_craftsman))
        .routes(routes!(escrow::refund_contract))
        .routes(routes!(admin::approve_withdrawal))
        .routes(routes!(admin::reject_withdrawal))
        .route_layer(from_fn_with_state(state.clone(), idempotent));
    OpenApiRouter::new()
        .merge(moving)
        .routes(routes!(wallet::get_balance))
        .routes(routes!(wallet::list_transactions))
        .routes(routes!(wallet::list_packages))
        .routes(routes!(wallet::my_withdrawals))
        .routes(routes!(wallet::fees_due))
        .routes(routes!(payments::payment_history))
        .routes(routes!(payments::get_payment))
        .routes(routes!(payments::sandbox_checkout))
        .routes(routes!(payments::gateway_webhook))
        .routes(routes!(escrow::get_escrow))
        .routes(routes!(admin::ledger_check))
        .routes(routes!(admin::get_settings, admin::put_settings))
        .routes(routes!(admin::admin_list_packages, admin::create_package))
        .routes(routes!(admin::update_package, admin::delete_package))
        .routes(routes!(admin::admin_withdrawals))
}
