//! The wallet: balance, statement, packages, top-up, withdrawals, fees due
//! and paying them.

use axum::{Json, extract::State, http::StatusCode};
use serde::{Deserialize, Serialize};
use souk_core::{
    Error, FieldErrors, FieldIssue, Lang,
    money::{
        escrow::FundingSource,
        fees,
        ledger::EntryKind,
        packages,
        payments::{self, PaymentRequest, Purpose},
        settings, wallet, withdrawals,
    },
};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::{
    input::{PaySource, gateway},
    views::{
        BalanceResponse, FeesDueResponse, PackageResponse, PaymentResponse, TransactionResponse,
        WithdrawalResponse,
    },
};
use crate::{
    error::{ApiError, ErrorBody},
    extract::{ApiJson, ApiQuery, Auth, PageQuery, ReqLang, RequestKey},
    state::AppState,
    views::Paged,
};

/// The caller's balance.
#[utoipa::path(get, path = "/api/wallet/balance", tag = "wallet", security(("bearer" = [])),
    responses((status = 200, body = BalanceResponse), (status = 401, body = ErrorBody)))]
pub async fn get_balance(
    State(state): State<AppState>,
    Auth(caller): Auth,
) -> Result<Json<BalanceResponse>, ApiError> {
    Ok(Json(wallet::balance(&state.core, &caller).await?.into()))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct TransactionFilter {
    /// Only lines of this type (deposit, escrow_fund, escrow_release, fee, refund, tip, withdrawal, payout, bonus, adjustment).
    #[serde(rename = "type")]
    pub kind: Option<String>,
}

/// The wallet statement, newest first.
#[utoipa::path(get, path = "/api/wallet/transactions", tag = "wallet", security(("bearer" = [])),
    params(TransactionFilter, ("page" = Option<u64>, Query), ("limit" = Option<u64>, Query)),
    responses((status = 200, body = Paged<TransactionResponse>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn list_transactions(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiQuery(filter): ApiQuery<TransactionFilter>,
    PageQuery(page): PageQuery,
) -> Result<Json<Paged<TransactionResponse>>, ApiError> {
    let kind = match filter
        .kind
        .as_deref()
        .map(str::trim)
        .filter(|k| !k.is_empty())
    {
        None => None,
        Some(word) => Some(EntryKind::parse(word).ok_or_else(|| {
            Error::Validation(FieldErrors::single(
                "type",
                FieldIssue::OneOf(EntryKind::names()),
            ))
        })?),
    };
    let money = settings::load(state.core.db.conn(), &state.core.settings).await?;
    let lines = wallet::transactions(&state.core, &caller, kind, page).await?;
    Ok(Json(Paged::new(lines, |l| {
        TransactionResponse::new(l, &money.currency)
    })))
}

/// The credit packages on offer.
#[utoipa::path(get, path = "/api/wallet/packages", tag = "wallet", security(("bearer" = [])),
    responses((status = 200, body = Vec<PackageResponse>), (status = 401, body = ErrorBody)))]
pub async fn list_packages(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ReqLang(lang): ReqLang,
) -> Result<Json<Vec<PackageResponse>>, ApiError> {
    let money = settings::load(state.core.db.conn(), &state.core.settings).await?;
    let list = packages::list(&state.core, &caller, false).await?;
    let arabic = lang == Lang::Ar;
    Ok(Json(
        list.into_iter()
            .map(|p| PackageResponse::new(p, arabic, &money.currency))
            .collect(),
    ))
}

/// A top-up: an amount, or a package.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TopUpRequest {
    /// Minor units (or give `packageId`).
    pub amount: Option<i64>,
    pub package_id: Option<Uuid>,
    /// sandbox (default) | stripe | fawry
    pub gateway: Option<String>,
}

/// Starts a top-up through a gateway; the wallet is credited when the
/// gateway's signed webhook confirms it.
#[utoipa::path(post, path = "/api/wallet/top-up", tag = "wallet", security(("bearer" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Same key and body: the first answer again")),
    request_body = TopUpRequest,
    responses((status = 201, body = PaymentResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 502, body = ErrorBody)))]
pub async fn top_up(
    State(state): State<AppState>,
    Auth(caller): Auth,
    RequestKey(key): RequestKey,
    ApiJson(body): ApiJson<TopUpRequest>,
) -> Result<(StatusCode, Json<PaymentResponse>), ApiError> {
    let request = PaymentRequest {
        purpose: Purpose::TopUp,
        gateway: gateway(body.gateway.as_deref(), &state.core.gateways)?,
        amount: body.amount,
        package_id: body.package_id,
        job_id: None,
        request_key: key,
    };
    let payment = payments::initiate(&state.core, &caller, request).await?;
    Ok((StatusCode::CREATED, Json(payment.into())))
}

/// A withdrawal request.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WithdrawRequest {
    /// Minor units; at least the configured minimum.
    #[schema(required = true, nullable = false)]
    pub amount: Option<i64>,
    /// bank_transfer | mobile_wallet | stripe | sandbox
    #[schema(required = true, nullable = false)]
    pub method: Option<String>,
    /// IBAN / account, wallet number, or Stripe `acct_…`.
    #[schema(required = true, nullable = false)]
    pub destination: Option<String>,
}

/// Requests a withdrawal: the amount leaves the wallet now and waits for an
/// admin to approve (paid out) or reject (returned).
#[utoipa::path(post, path = "/api/wallet/withdraw", tag = "wallet", security(("bearer" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Same key and body: the first answer again")),
    request_body = WithdrawRequest,
    responses((status = 201, body = WithdrawalResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 409, description = "insufficient_funds", body = ErrorBody)))]
pub async fn withdraw(
    State(state): State<AppState>,
    Auth(caller): Auth,
    RequestKey(key): RequestKey,
    ApiJson(body): ApiJson<WithdrawRequest>,
) -> Result<(StatusCode, Json<WithdrawalResponse>), ApiError> {
    let request = withdrawals::WithdrawalRequest {
        amount: body.amount,
        method: body.method,
        destination: body.destination,
    };
    let withdrawal = withdrawals::request(&state.core, &caller, request, &key).await?;
    Ok((StatusCode::CREATED, Json(withdrawal.into())))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WithdrawalFilter {
    /// pending | processing | completed | rejected
    pub status: Option<String>,
}

/// The caller's withdrawals, newest first.
#[utoipa::path(get, path = "/api/wallet/withdrawals", tag = "wallet", security(("bearer" = [])),
    params(WithdrawalFilter, ("page" = Option<u64>, Query), ("limit" = Option<u64>, Query)),
    responses((status = 200, body = Paged<WithdrawalResponse>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn my_withdrawals(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiQuery(filter): ApiQuery<WithdrawalFilter>,
    PageQuery(page): PageQuery,
) -> Result<Json<Paged<WithdrawalResponse>>, ApiError> {
    let list =
        withdrawals::list(&state.core, &caller, false, filter.status.as_deref(), page).await?;
    Ok(Json(Paged::new(list, Into::into)))
}

/// Commission owed from cash jobs (craftsmen).
#[utoipa::path(get, path = "/api/wallet/fees-due", tag = "wallet", security(("bearer" = [])),
    responses((status = 200, body = FeesDueResponse), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn fees_due(
    State(state): State<AppState>,
    Auth(caller): Auth,
) -> Result<Json<FeesDueResponse>, ApiError> {
    Ok(Json(fees::due(&state.core, &caller).await?.into()))
}

/// Paying fees.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PayFeesRequest {
    /// Minor units; everything owed when absent.
    pub amount: Option<i64>,
    #[serde(flatten)]
    pub from: PaySource,
}

/// What paying fees did.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FeesPaidResponse {
    /// Paid now from the wallet (0 when a gateway payment was started).
    pub paid: i64,
    /// Still owed.
    pub fee_debt: i64,
    pub currency: String,
    /// The gateway payment, when paying through one.
    pub payment: Option<PaymentResponse>,
}

/// Pays commission owed, from the wallet or through a gateway.
#[utoipa::path(post, path = "/api/wallet/fees/pay", tag = "wallet", security(("bearer" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Same key and body: the first answer again")),
    request_body = PayFeesRequest,
    responses((status = 200, body = FeesPaidResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 409, description = "no_fees_due / insufficient_funds", body = ErrorBody)))]
pub async fn pay_fees(
    State(state): State<AppState>,
    Auth(caller): Auth,
    RequestKey(key): RequestKey,
    ApiJson(body): ApiJson<PayFeesRequest>,
) -> Result<Json<FeesPaidResponse>, ApiError> {
    let (paid, payment) = match body.from.resolve(&state.core.gateways)? {
        FundingSource::Wallet => (
            fees::pay_from_wallet(&state.core, &caller, body.amount, &key).await?,
            None,
        ),
        FundingSource::Gateway(gateway) => {
            let request = PaymentRequest {
                purpose: Purpose::Fees,
                gateway,
                amount: body.amount,
                package_id: None,
                job_id: None,
                request_key: key.clone(),
            };
            (
                0,
                Some(
                    payments::initiate(&state.core, &caller, request)
                        .await?
                        .into(),
                ),
            )
        }
    };
    let due = fees::due(&state.core, &caller).await?;
    Ok(Json(FeesPaidResponse {
        paid,
        fee_debt: due.amount,
        currency: due.currency,
        payment,
    }))
}
