//! Staff's side of money: the trial balance, settings, credit packages,
//! withdrawals to review.

use std::collections::BTreeMap;

use axum::{Json, body::Bytes, extract::State, http::StatusCode};
use serde::{Deserialize, Serialize};
use souk_core::{
    Lang,
    money::{
        check::{self, TrialBalance},
        packages::{self, PackageInput},
        settings::{self, SettingsView},
        withdrawals,
    },
};
use utoipa::{IntoParams, ToSchema};

use super::views::{PackageResponse, WithdrawalResponse};
use crate::{
    error::{ApiError, ErrorBody},
    extract::{ApiJson, ApiQuery, Auth, IdPath, PageQuery, ReqLang, parse_json},
    state::AppState,
    views::Paged,
};

/// One problem the check found.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MismatchResponse {
    /// unbalanced_entry | balance_mismatch | negative_balance | unknown_entry
    /// (postings of a missing entry) | unknown_account (postings to a missing
    /// account; its id in accountKey) | empty_entry (an entry without postings)
    pub kind: String,
    pub account_key: Option<String>,
    pub entry_id: Option<uuid::Uuid>,
    pub expected: i64,
    pub actual: i64,
}

/// `GET /api/admin/ledger/check`.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LedgerCheckResponse {
    /// Every entry sums to zero, every cached balance equals its postings, no forbidden negative.
    pub balanced: bool,
    /// Accounts checked.
    pub accounts: u64,
    pub entries: u64,
    /// Sum of all postings (0 when balanced).
    pub total: i64,
    pub mismatches: Vec<MismatchResponse>,
}

impl From<TrialBalance> for LedgerCheckResponse {
    fn from(t: TrialBalance) -> Self {
        Self {
            balanced: t.balanced,
            accounts: t.accounts,
            entries: t.entries,
            total: t.total,
            mismatches: t
                .mismatches
                .into_iter()
                .map(|m| MismatchResponse {
                    kind: m.kind.to_owned(),
                    account_key: m.account_key,
                    entry_id: m.entry_id,
                    expected: m.expected,
                    actual: m.actual,
                })
                .collect(),
        }
    }
}

/// Recomputes the trial balance and every cached balance (staff).
#[utoipa::path(get, path = "/api/admin/ledger/check", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = LedgerCheckResponse), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn ledger_check(
    State(state): State<AppState>,
    Auth(caller): Auth,
) -> Result<Json<LedgerCheckResponse>, ApiError> {
    Ok(Json(check::check(&state.core, &caller).await?.into()))
}

/// Signup bonus per role, minor units.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SignupBonusBody {
    pub client: Option<i64>,
    pub craftsman: Option<i64>,
}

/// Money settings. On `PUT` every field is optional (only those sent change).
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SettingsBody {
    /// Default commission, basis points (500 = 5%).
    pub commission_bps: Option<i32>,
    /// Category slug (or id on input) → commission override; `null` removes one.
    pub category_commission_bps: Option<BTreeMap<String, Option<i32>>>,
    /// Days after submission before automatic approval.
    pub auto_approve_days: Option<i64>,
    pub withdrawal_minimum: Option<i64>,
    pub withdrawal_fee_bps: Option<i32>,
    pub withdrawal_fee_fixed: Option<i64>,
    pub signup_bonus: Option<SignupBonusBody>,
    /// Above this unpaid commission a craftsman cannot quote.
    pub cash_debt_limit: Option<i64>,
    pub fee_reminder_days: Option<i64>,
    pub tip_fee_bps: Option<i32>,
    /// Craftsman's share of the escrow when the client cancels, by status (hired, on_the_way, in_progress).
    pub cancellation_share_bps: Option<BTreeMap<String, i32>>,
    /// ISO code; fixed once money has moved.
    pub currency: Option<String>,
    /// Days after completion to review (1–90, default 14).
    pub review_window_days: Option<i64>,
    /// Hours a dispute's other party has to respond (1–720, default 72).
    pub dispute_response_hours: Option<i64>,
    /// Hours a settlement proposal stays open (1–720, default 48).
    pub settlement_proposal_hours: Option<i64>,
    /// Days after a verification's decision before its documents are deleted (1–3650, default 30).
    pub verification_retention_days: Option<i64>,
    /// Only verified craftsmen may publish offerings (default false).
    pub offerings_require_verification: Option<bool>,
    /// How far ahead offerings can be booked, in days (1–730, default 60).
    pub booking_horizon_days: Option<i64>,
    /// Hours a provider has to answer a booking request (1–168, default 24).
    pub booking_response_hours: Option<i64>,
    /// A client's cancellation is free until this many hours before the start (0–720, default 24).
    pub booking_free_cancel_hours: Option<i64>,
    /// The provider's share of the escrow on a later cancellation by the client (default 5000).
    pub booking_late_share_bps: Option<i32>,
    /// The provider's share of the escrow when the client does not show up (default 10000).
    pub booking_no_show_share_bps: Option<i32>,
    /// Days before a micro-task submission nobody decided is approved (1–30, default 3).
    pub task_auto_approve_days: Option<i64>,
    /// How much each recommendation factor counts (each 0–100; only the ratios matter; send all eight).
    pub ai_weights: Option<souk_core::ai::weights::AiWeights>,
    /// Days an AI call's prompt stays in the AI log before it is blanked (1–3650, default 30).
    pub ai_prompt_retention_days: Option<i64>,
}

impl From<SettingsView> for SettingsBody {
    fn from(v: SettingsView) -> Self {
        let m = v.money;
        Self {
            commission_bps: Some(m.commission_bps),
            category_commission_bps: Some(
                v.category_commission_bps
                    .into_iter()
                    .map(|(k, v)| (k, Some(v)))
                    .collect(),
            ),
            auto_approve_days: Some(m.auto_approve_days),
            withdrawal_minimum: Some(m.withdrawal_minimum),
            withdrawal_fee_bps: Some(m.withdrawal_fee_bps),
            withdrawal_fee_fixed: Some(m.withdrawal_fee_fixed),
            signup_bonus: Some(SignupBonusBody {
                client: Some(m.signup_bonus.client),
                craftsman: Some(m.signup_bonus.craftsman),
            }),
            cash_debt_limit: Some(m.cash_debt_limit),
            fee_reminder_days: Some(m.fee_reminder_days),
            tip_fee_bps: Some(m.tip_fee_bps),
            cancellation_share_bps: Some(m.cancellation_share_bps),
            currency: Some(m.currency),
            review_window_days: Some(m.review_window_days),
            dispute_response_hours: Some(m.dispute_response_hours),
            settlement_proposal_hours: Some(m.settlement_proposal_hours),
            verification_retention_days: Some(m.verification_retention_days),
            offerings_require_verification: Some(m.offerings_require_verification),
            booking_horizon_days: Some(m.booking_horizon_days),
            booking_response_hours: Some(m.booking_response_hours),
            booking_free_cancel_hours: Some(m.booking_free_cancel_hours),
            booking_late_share_bps: Some(m.booking_late_share_bps),
            booking_no_show_share_bps: Some(m.booking_no_show_share_bps),
            task_auto_approve_days: Some(m.task_auto_approve_days),
            ai_weights: Some(m.ai_weights),
            ai_prompt_retention_days: Some(m.ai_prompt_retention_days),
        }
    }
}

/// The money settings (admin).
#[utoipa::path(get, path = "/api/admin/settings", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = SettingsBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn get_settings(
    State(state): State<AppState>,
    Auth(caller): Auth,
) -> Result<Json<SettingsBody>, ApiError> {
    Ok(Json(settings::view(&state.core, &caller).await?.into()))
}

/// Changes money settings (admin); only the fields sent change.
#[utoipa::path(put, path = "/api/admin/settings", tag = "admin", security(("bearer" = [])),
    request_body = SettingsBody,
    responses((status = 200, body = SettingsBody), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 409, description = "currency_locked", body = ErrorBody)))]
pub async fn put_settings(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> Result<Json<SettingsBody>, ApiError> {
    Ok(Json(
        settings::update(&state.core, &caller, body).await?.into(),
    ))
}

/// A credit package (all fields optional on update).
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PackageRequest {
    pub name_en: Option<String>,
    pub name_ar: Option<String>,
    /// What it costs, minor units.
    pub price: Option<i64>,
    /// What the wallet receives (≥ price).
    pub credit: Option<i64>,
    pub active: Option<bool>,
    pub sort_order: Option<i32>,
}

impl From<PackageRequest> for PackageInput {
    fn from(b: PackageRequest) -> Self {
        Self {
            name_en: b.name_en,
            name_ar: b.name_ar,
            price: b.price,
            credit: b.credit,
            active: b.active,
            sort_order: b.sort_order,
        }
    }
}

async fn currency(state: &AppState) -> Result<String, ApiError> {
    Ok(settings::load(state.core.db.conn(), &state.core.settings)
        .await?
        .currency)
}

/// Every package, archived too (admin).
#[utoipa::path(get, path = "/api/admin/packages", tag = "admin", security(("bearer" = [])),
    responses((status = 200, body = Vec<PackageResponse>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn admin_list_packages(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ReqLang(lang): ReqLang,
) -> Result<Json<Vec<PackageResponse>>, ApiError> {
    let list = packages::list(&state.core, &caller, true).await?;
    let currency = currency(&state).await?;
    Ok(Json(
        list.into_iter()
            .map(|p| PackageResponse::new(p, lang == Lang::Ar, &currency))
            .collect(),
    ))
}

/// Creates a package (admin).
#[utoipa::path(post, path = "/api/admin/packages", tag = "admin", security(("bearer" = [])),
    request_body = PackageRequest,
    responses((status = 201, body = PackageResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn create_package(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ReqLang(lang): ReqLang,
    ApiJson(body): ApiJson<PackageRequest>,
) -> Result<(StatusCode, Json<PackageResponse>), ApiError> {
    let package = packages::create(&state.core, &caller, body.into()).await?;
    let currency = currency(&state).await?;
    Ok((
        StatusCode::CREATED,
        Json(PackageResponse::new(package, lang == Lang::Ar, &currency)),
    ))
}

/// Changes a package (admin).
#[utoipa::path(put, path = "/api/admin/packages/{packageId}", tag = "admin", security(("bearer" = [])),
    params(("packageId" = Uuid, Path)), request_body = PackageRequest,
    responses((status = 200, body = PackageResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn update_package(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ReqLang(lang): ReqLang,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<PackageRequest>,
) -> Result<Json<PackageResponse>, ApiError> {
    let package = packages::update(&state.core, &caller, id, body.into()).await?;
    let currency = currency(&state).await?;
    Ok(Json(PackageResponse::new(
        package,
        lang == Lang::Ar,
        &currency,
    )))
}

/// What deleting did.
#[derive(Serialize, ToSchema)]
pub struct DeletedPackage {
    /// True when it had purchases and was archived instead.
    pub archived: bool,
}

/// Deletes a package (archives it when it was ever bought).
#[utoipa::path(delete, path = "/api/admin/packages/{packageId}", tag = "admin", security(("bearer" = [])),
    params(("packageId" = Uuid, Path)),
    responses((status = 200, body = DeletedPackage), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete_package(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(id): IdPath,
) -> Result<Json<DeletedPackage>, ApiError> {
    Ok(Json(DeletedPackage {
        archived: packages::delete(&state.core, &caller, id).await?,
    }))
}

/// A JSON body that may be left out entirely.
fn optional_body<T: serde::de::DeserializeOwned + Default>(raw: &[u8]) -> Result<T, ApiError> {
    if raw.iter().all(u8::is_ascii_whitespace) {
        Ok(T::default())
    } else {
        Ok(parse_json(raw)?)
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AdminWithdrawalFilter {
    /// pending | processing | completed | rejected
    pub status: Option<String>,
}

/// Every withdrawal, newest first (staff).
#[utoipa::path(get, path = "/api/admin/withdrawals", tag = "admin", security(("bearer" = [])),
    params(AdminWithdrawalFilter, ("page" = Option<u64>, Query), ("limit" = Option<u64>, Query)),
    responses((status = 200, body = Paged<WithdrawalResponse>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn admin_withdrawals(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiQuery(filter): ApiQuery<AdminWithdrawalFilter>,
    PageQuery(page): PageQuery,
) -> Result<Json<Paged<WithdrawalResponse>>, ApiError> {
    let list =
        withdrawals::list(&state.core, &caller, true, filter.status.as_deref(), page).await?;
    Ok(Json(Paged::new(list, Into::into)))
}

/// Approving a withdrawal.
#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase")]
pub struct ApproveWithdrawalRequest {
    /// For bank transfers and mobile wallets staff pay by hand: their transfer's reference.
    pub reference: Option<String>,
}

/// Approves a withdrawal (admin): pays it out, then completes it.
#[utoipa::path(post, path = "/api/admin/withdrawals/{withdrawalId}/approve", tag = "admin", security(("bearer" = [])),
    params(("withdrawalId" = Uuid, Path), ("Idempotency-Key" = Option<String>, Header, description = "Same key and body: the first answer again")),
    request_body = ApproveWithdrawalRequest,
    responses((status = 200, body = WithdrawalResponse), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, description = "withdrawal_not_pending", body = ErrorBody), (status = 502, body = ErrorBody)))]
pub async fn approve_withdrawal(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(id): IdPath,
    body: Bytes,
) -> Result<Json<WithdrawalResponse>, ApiError> {
    let reference = optional_body::<ApproveWithdrawalRequest>(&body)?.reference;
    Ok(Json(
        withdrawals::approve(&state.core, &caller, id, reference)
            .await?
            .into(),
    ))
}

/// Rejecting a withdrawal.
#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase")]
pub struct RejectWithdrawalRequest {
    pub reason: Option<String>,
}

/// Rejects a withdrawal (admin): the money goes back to the wallet.
#[utoipa::path(post, path = "/api/admin/withdrawals/{withdrawalId}/reject", tag = "admin", security(("bearer" = [])),
    params(("withdrawalId" = Uuid, Path), ("Idempotency-Key" = Option<String>, Header, description = "Same key and body: the first answer again")),
    request_body = RejectWithdrawalRequest,
    responses((status = 200, body = WithdrawalResponse), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, description = "withdrawal_not_pending", body = ErrorBody)))]
pub async fn reject_withdrawal(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(id): IdPath,
    body: Bytes,
) -> Result<Json<WithdrawalResponse>, ApiError> {
    let reason = optional_body::<RejectWithdrawalRequest>(&body)?
        .reason
        .map(|r| r.trim().to_owned())
        .filter(|r| !r.is_empty());
    Ok(Json(
        withdrawals::reject(&state.core, &caller, id, reason)
            .await?
            .into(),
    ))
}
