//! Gateway payments: start one, read them, the sandbox's checkout, and the
//! signed webhooks every gateway confirms through.

use axum::{
    Json,
    body::Bytes,
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
};
use serde::{Deserialize, Serialize};
use souk_core::{
    Error, ErrorCode, FieldErrors, FieldIssue,
    money::{
        Gateway,
        payments::{self, PaymentRequest, Purpose, gateway::Headers},
    },
};
use utoipa::ToSchema;
use uuid::Uuid;

use super::{input::gateway, views::PaymentResponse};
use crate::{
    error::{ApiError, ErrorBody},
    extract::{ApiJson, Auth, IdPath, PageQuery, RequestKey},
    state::AppState,
    views::Paged,
};

/// A payment to start.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InitiateRequest {
    /// top_up (default) | escrow | tip | fees
    pub purpose: Option<String>,
    /// sandbox (default) | stripe | fawry
    pub gateway: Option<String>,
    /// Minor units (top-up, tip, fees; must equal the price for escrow).
    pub amount: Option<i64>,
    /// A credit package (top-up).
    pub package_id: Option<Uuid>,
    /// The job (escrow, tip).
    pub job_id: Option<Uuid>,
}

/// Starts a gateway payment; money moves only when the gateway's signed
/// webhook confirms it.
#[utoipa::path(post, path = "/api/payments/initiate", tag = "payments", security(("bearer" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Same key and body: the first answer again")),
    request_body = InitiateRequest,
    responses((status = 201, body = PaymentResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody),
              (status = 502, body = ErrorBody)))]
pub async fn initiate_payment(
    State(state): State<AppState>,
    Auth(caller): Auth,
    RequestKey(key): RequestKey,
    ApiJson(body): ApiJson<InitiateRequest>,
) -> Result<(StatusCode, Json<PaymentResponse>), ApiError> {
    let purpose = match body
        .purpose
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        None => Purpose::TopUp,
        Some(word) => Purpose::parse(word).ok_or_else(|| {
            Error::Validation(FieldErrors::single(
                "purpose",
                FieldIssue::OneOf(Purpose::names()),
            ))
        })?,
    };
    let request = PaymentRequest {
        purpose,
        gateway: gateway(body.gateway.as_deref(), &state.core.gateways)?,
        amount: body.amount,
        package_id: body.package_id,
        job_id: body.job_id,
        request_key: key,
    };
    let payment = payments::initiate(&state.core, &caller, request).await?;
    Ok((StatusCode::CREATED, Json(payment.into())))
}

/// The caller's payments, newest first.
#[utoipa::path(get, path = "/api/payments/history", tag = "payments", security(("bearer" = [])),
    params(("page" = Option<u64>, Query), ("limit" = Option<u64>, Query)),
    responses((status = 200, body = Paged<PaymentResponse>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn payment_history(
    State(state): State<AppState>,
    Auth(caller): Auth,
    PageQuery(page): PageQuery,
) -> Result<Json<Paged<PaymentResponse>>, ApiError> {
    let list = payments::history(&state.core, &caller, page).await?;
    Ok(Json(Paged::new(list, Into::into)))
}

/// One payment (its payer or staff).
#[utoipa::path(get, path = "/api/payments/{paymentId}", tag = "payments", security(("bearer" = [])),
    params(("paymentId" = Uuid, Path)),
    responses((status = 200, body = PaymentResponse), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_payment(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(id): IdPath,
) -> Result<Json<PaymentResponse>, ApiError> {
    Ok(Json(
        payments::find_visible(&state.core, &caller, id)
            .await?
            .into(),
    ))
}

/// A refund to the card.
#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase")]
pub struct RefundPaymentRequest {
    /// Minor units; everything not yet refunded when absent.
    pub amount: Option<i64>,
}

/// Sends (part of) a settled top-up back to the card it was paid with (the
/// payer; Stripe and sandbox). The money leaves the wallet at once and comes
/// back if the gateway refuses.
#[utoipa::path(post, path = "/api/payments/{paymentId}/refund", tag = "payments", security(("bearer" = [])),
    params(("paymentId" = Uuid, Path), ("Idempotency-Key" = Option<String>, Header, description = "Same key and body: the first answer again")),
    request_body = RefundPaymentRequest,
    responses((status = 200, body = PaymentResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, description = "not a settled top-up / insufficient_funds", body = ErrorBody),
              (status = 502, body = ErrorBody)))]
pub async fn refund_payment(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(id): IdPath,
    RequestKey(key): RequestKey,
    ApiJson(body): ApiJson<RefundPaymentRequest>,
) -> Result<Json<PaymentResponse>, ApiError> {
    let payment = payments::refund_to_source(&state.core, &caller, id, body.amount, &key).await?;
    Ok(Json(payment.into()))
}

/// The sandbox's checkout page (`checkoutUrl`): the payment and the two
/// ways it can end.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SandboxCheckout {
    pub payment: PaymentResponse,
    /// POST here to pay.
    pub complete_url: String,
    /// POST here to decline.
    pub fail_url: String,
}

#[utoipa::path(get, path = "/api/payments/sandbox/{paymentId}", tag = "payments", security(("bearer" = [])),
    params(("paymentId" = Uuid, Path)),
    responses((status = 200, body = SandboxCheckout), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn sandbox_checkout(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(id): IdPath,
) -> Result<Json<SandboxCheckout>, ApiError> {
    sandbox_on(&state)?;
    let payment = payments::find_visible(&state.core, &caller, id).await?;
    let base = format!(
        "{}/api/payments/sandbox/{}",
        state.core.settings.public_url, payment.id
    );
    Ok(Json(SandboxCheckout {
        payment: payment.into(),
        complete_url: format!("{base}/complete"),
        fail_url: format!("{base}/fail"),
    }))
}

/// Sandbox: the payer pays (only the payer: staff may look, not pay). The outcome travels through the signed webhook.
#[utoipa::path(post, path = "/api/payments/sandbox/{paymentId}/complete", tag = "payments", security(("bearer" = [])),
    params(("paymentId" = Uuid, Path), ("Idempotency-Key" = Option<String>, Header, description = "Same key and body: the first answer again")),
    responses((status = 200, body = PaymentResponse), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "payment_not_pending", body = ErrorBody)))]
pub async fn sandbox_complete(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(id): IdPath,
) -> Result<Json<PaymentResponse>, ApiError> {
    sandbox_on(&state)?;
    Ok(Json(
        payments::sandbox_play(&state.core, &caller, id, true)
            .await?
            .into(),
    ))
}

/// Sandbox: the payer's payment is declined.
#[utoipa::path(post, path = "/api/payments/sandbox/{paymentId}/fail", tag = "payments", security(("bearer" = [])),
    params(("paymentId" = Uuid, Path), ("Idempotency-Key" = Option<String>, Header, description = "Same key and body: the first answer again")),
    responses((status = 200, body = PaymentResponse), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "payment_not_pending", body = ErrorBody)))]
pub async fn sandbox_fail(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(id): IdPath,
) -> Result<Json<PaymentResponse>, ApiError> {
    sandbox_on(&state)?;
    Ok(Json(
        payments::sandbox_play(&state.core, &caller, id, false)
            .await?
            .into(),
    ))
}

/// The sandbox's pages exist only while `PAYMENTS_SANDBOX` is on.
fn sandbox_on(state: &AppState) -> Result<(), ApiError> {
    if state.core.gateways.sandbox_on() {
        Ok(())
    } else {
        Err(ApiError::code(ErrorCode::RouteNotFound))
    }
}

/// What a webhook did.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WebhookAck {
    pub received: bool,
    /// settled | duplicate | already_settled | ignored
    pub result: &'static str,
}

/// A gateway's signed notification: `Stripe-Signature` (Stripe),
/// `messageSignature` in the body (Fawry), `Souk-Signature` (sandbox). A
/// replayed event moves nothing; a bad or stale signature is refused.
#[utoipa::path(post, path = "/api/payments/webhook/{gateway}", tag = "payments",
    params(("gateway" = String, Path, description = "stripe | fawry | sandbox")),
    request_body(content = String, description = "The gateway's event, verbatim"),
    responses((status = 200, body = WebhookAck), (status = 400, description = "invalid_signature / invalid_json", body = ErrorBody),
              (status = 404, description = "unknown_gateway", body = ErrorBody), (status = 409, description = "gateway_not_configured", body = ErrorBody)))]
pub async fn gateway_webhook(
    State(state): State<AppState>,
    Path(name): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Json<WebhookAck>, ApiError> {
    let gateway = Gateway::parse(&name)
        .filter(|g| *g != Gateway::Sandbox || state.core.gateways.sandbox_on())
        .ok_or(ApiError::code(ErrorCode::UnknownGateway))?;
    let headers: Headers = headers
        .iter()
        .filter_map(|(name, value)| {
            Some((
                name.as_str().to_ascii_lowercase(),
                value.to_str().ok()?.to_owned(),
            ))
        })
        .collect();
    let result = payments::receive(&state.core, gateway, &headers, &body).await?;
    Ok(Json(WebhookAck {
        received: true,
        result: result.as_str(),
    }))
}
