//! A job's escrow and tips: see it, fund it (wallet or gateway), tip the
//! craftsman; staff refunds.

use axum::{Json, extract::State};
use serde::{Deserialize, Serialize};
use souk_core::money::{
    escrow::{self, FundingSource},
    payments::{self, PaymentRequest, Purpose},
    tips,
};
use utoipa::ToSchema;

use super::{
    input::PaySource,
    views::{EscrowResponse, PaymentResponse},
};
use crate::{
    error::{ApiError, ErrorBody},
    extract::{ApiJson, Auth, IdPath, RequestKey},
    state::AppState,
};

/// The job's escrow (parties and staff).
#[utoipa::path(get, path = "/api/jobs/{jobId}/escrow", tag = "escrow", security(("bearer" = [])),
    params(("jobId" = Uuid, Path)),
    responses((status = 200, body = EscrowResponse), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, description = "no_contract", body = ErrorBody)))]
pub async fn get_escrow(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(job): IdPath,
) -> Result<Json<EscrowResponse>, ApiError> {
    Ok(Json(escrow::view(&state.core, &caller, job).await?.into()))
}

/// Funding the escrow.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FundRequest {
    /// Optional; must equal the agreed price.
    pub amount: Option<i64>,
    #[serde(flatten)]
    pub from: PaySource,
}

/// What funding did: the escrow now, or the gateway payment that will fund it.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FundResponse {
    pub escrow: EscrowResponse,
    /// When paying through a gateway: pay here; the escrow fills on confirmation.
    pub payment: Option<PaymentResponse>,
}

/// Funds the escrow with the agreed price (client, after hire). Cash-protected
/// jobs fund only through Fawry; cash jobs have no escrow.
#[utoipa::path(post, path = "/api/jobs/{jobId}/escrow/fund", tag = "escrow", security(("bearer" = [])),
    params(("jobId" = Uuid, Path), ("Idempotency-Key" = Option<String>, Header, description = "Same key and body: the first answer again")),
    request_body = FundRequest,
    responses((status = 200, body = FundResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "insufficient_funds / escrow_not_fundable / no_contract", body = ErrorBody),
              (status = 502, body = ErrorBody)))]
pub async fn fund_escrow(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(job): IdPath,
    RequestKey(key): RequestKey,
    ApiJson(body): ApiJson<FundRequest>,
) -> Result<Json<FundResponse>, ApiError> {
    fund(&state, &caller, job, key, body).await
}

/// Funds the escrow of `job`'s contract (jobs' and bookings' routes).
pub(crate) async fn fund(
    state: &AppState,
    caller: &souk_core::accounts::Authenticated,
    job: uuid::Uuid,
    key: String,
    body: FundRequest,
) -> Result<Json<FundResponse>, ApiError> {
    match body.from.resolve(&state.core.gateways)? {
        FundingSource::Wallet => {
            let view = escrow::fund_with_wallet(&state.core, caller, job, body.amount).await?;
            Ok(Json(FundResponse {
                escrow: view.into(),
                payment: None,
            }))
        }
        FundingSource::Gateway(gateway) => {
            let request = PaymentRequest {
                purpose: Purpose::Escrow,
                gateway,
                amount: body.amount,
                package_id: None,
                job_id: Some(job),
                request_key: key.clone(),
            };
            let payment = payments::initiate(&state.core, caller, request).await?;
            let view = escrow::view(&state.core, caller, job).await?;
            Ok(Json(FundResponse {
                escrow: view.into(),
                payment: Some(payment.into()),
            }))
        }
    }
}

/// A tip.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TipRequest {
    /// Minor units, > 0.
    #[schema(required = true, nullable = false)]
    pub amount: Option<i64>,
    #[serde(flatten)]
    pub from: PaySource,
}

/// What a tip did.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TipResponse {
    pub amount: i64,
    /// What the craftsman received (after any tip fee); 0 until a gateway payment confirms.
    pub craftsman_receives: i64,
    pub payment: Option<PaymentResponse>,
}

/// Tips the craftsman (client, once work is submitted or completed), from
/// the wallet or through a gateway.
#[utoipa::path(post, path = "/api/jobs/{jobId}/tip", tag = "escrow", security(("bearer" = [])),
    params(("jobId" = Uuid, Path), ("Idempotency-Key" = Option<String>, Header, description = "Same key and body: the first answer again")),
    request_body = TipRequest,
    responses((status = 200, body = TipResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "insufficient_funds / tip_not_allowed", body = ErrorBody), (status = 502, body = ErrorBody)))]
pub async fn tip_craftsman(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(job): IdPath,
    RequestKey(key): RequestKey,
    ApiJson(body): ApiJson<TipRequest>,
) -> Result<Json<TipResponse>, ApiError> {
    tip(&state, &caller, job, key, body).await
}

/// Tips the craftsman of `job`'s contract (jobs' and bookings' routes).
pub(crate) async fn tip(
    state: &AppState,
    caller: &souk_core::accounts::Authenticated,
    job: uuid::Uuid,
    key: String,
    body: TipRequest,
) -> Result<Json<TipResponse>, ApiError> {
    let Some(amount) = body.amount else {
        return Err(souk_core::Error::Validation(souk_core::FieldErrors::single(
            "amount",
            souk_core::FieldIssue::Required,
        ))
        .into());
    };
    match body.from.resolve(&state.core.gateways)? {
        FundingSource::Wallet => {
            let net = tips::tip_from_wallet(&state.core, caller, job, amount, &key).await?;
            Ok(Json(TipResponse {
                amount,
                craftsman_receives: net,
                payment: None,
            }))
        }
        FundingSource::Gateway(gateway) => {
            let request = PaymentRequest {
                purpose: Purpose::Tip,
                gateway,
                amount: Some(amount),
                package_id: None,
                job_id: Some(job),
                request_key: key.clone(),
            };
            let payment = payments::initiate(&state.core, caller, request).await?;
            Ok(Json(TipResponse {
                amount,
                craftsman_receives: 0,
                payment: Some(payment.into()),
            }))
        }
    }
}

/// A staff refund.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RefundRequest {
    /// Minor units; everything the escrow holds when absent.
    pub amount: Option<i64>,
    pub reason: Option<String>,
}

/// Staff return part or all of a contract's escrow to the client (a
/// dispute's split: refund part, then complete the job to release the rest).
#[utoipa::path(post, path = "/api/admin/contracts/{contractId}/refund", tag = "admin", security(("bearer" = [])),
    params(("contractId" = Uuid, Path), ("Idempotency-Key" = Option<String>, Header, description = "Same key and body: the first answer again")),
    request_body = RefundRequest,
    responses((status = 200, body = EscrowResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, description = "escrow_empty", body = ErrorBody)))]
pub async fn refund_contract(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(contract): IdPath,
    RequestKey(key): RequestKey,
    ApiJson(body): ApiJson<RefundRequest>,
) -> Result<Json<EscrowResponse>, ApiError> {
    let reason = body
        .reason
        .map(|r| r.trim().to_owned())
        .filter(|r| !r.is_empty());
    let view =
        escrow::staff_refund(&state.core, &caller, contract, body.amount, reason, &key).await?;
    Ok(Json(view.into()))
}
