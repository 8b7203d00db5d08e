//! `/api/admin/webhooks`: signed webhook endpoints (admins, or API keys
//! with `webhooks:manage`): create (the signing secret is shown once),
//! list, read, update, delete, replay, and the delivery log.

use axum::{Json, extract::State, http::StatusCode};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use souk_core::{
    Error, FieldErrors, FieldIssue,
    integrators::{
        api_keys::Scope,
        webhooks::{
            endpoints::{self, EndpointInput},
            log, pump,
        },
    },
};
use souk_db::{
    entities::{webhook_attempts, webhook_deliveries, webhook_endpoints},
    enums::WebhookDeliveryStatus,
};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    error::{ApiError, ErrorBody},
    extract::{ApiJson, ApiQuery, IdPath, Integrator, PageQuery, one_of},
    state::AppState,
    views::Paged,
};

/// Routes of this feature.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_webhooks, create_webhook))
        .routes(routes!(get_webhook, update_webhook, delete_webhook))
        .routes(routes!(replay_webhook))
        .routes(routes!(webhook_deliveries))
        .routes(routes!(webhook_attempts))
}

/// An endpoint as sent; on `PUT` only what is sent changes.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WebhookRequest {
    /// https (http only to loopback, when `WEBHOOKS_ALLOW_LOOPBACK=true`);
    /// never a private or link-local address, after DNS resolution.
    pub url: Option<String>,
    /// ≤ 500 characters.
    pub description: Option<String>,
    /// Event types, or `["*"]` for all (the default).
    pub events: Option<Vec<String>>,
    pub active: Option<bool>,
}

impl From<WebhookRequest> for EndpointInput {
    fn from(b: WebhookRequest) -> Self {
        Self {
            url: b.url,
            description: b.description,
            events: b.events,
            active: b.active,
        }
    }
}

/// An endpoint.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WebhookResponse {
    pub id: Uuid,
    pub url: String,
    pub description: Option<String>,
    /// Event types, or `["*"]`.
    pub events: Vec<String>,
    pub active: bool,
    /// Only in the creation response: verify `Souk-Signature` with it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
    /// The feed sequence fanned out to this endpoint so far.
    pub cursor: i64,
    /// Since when every delivery has failed (none: healthy).
    pub failing_since: Option<DateTime<Utc>>,
    /// Why it was switched off automatically (failing for 5 days).
    pub disabled_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<webhook_endpoints::Model> for WebhookResponse {
    fn from(e: webhook_endpoints::Model) -> Self {
        Self {
            id: e.id,
            url: e.url,
            description: e.description,
            events: e.events.split(' ').map(str::to_owned).collect(),
            active: e.active,
            secret: None,
            cursor: e.cursor,
            failing_since: e.failing_since,
            disabled_reason: e.disabled_reason,
            created_at: e.created_at,
            updated_at: e.updated_at,
        }
    }
}

/// Every endpoint.
#[utoipa::path(get, path = "/api/admin/webhooks", tag = "integrators", security(("bearer" = [])),
    responses((status = 200, body = Vec<WebhookResponse>), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody)))]
pub async fn list_webhooks(
    State(state): State<AppState>,
    caller: Integrator,
) -> Result<Json<Vec<WebhookResponse>>, ApiError> {
    caller.require(Scope::WebhooksManage, true)?;
    let rows = endpoints::list(&state.core).await?;
    Ok(Json(rows.into_iter().map(WebhookResponse::from).collect()))
}

/// Creates an endpoint; the answer holds its signing secret, shown this once.
#[utoipa::path(post, path = "/api/admin/webhooks", tag = "integrators", security(("bearer" = [])),
    request_body = WebhookRequest,
    responses((status = 201, body = WebhookResponse), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn create_webhook(
    State(state): State<AppState>,
    caller: Integrator,
    ApiJson(body): ApiJson<WebhookRequest>,
) -> Result<(StatusCode, Json<WebhookResponse>), ApiError> {
    caller.require(Scope::WebhooksManage, true)?;
    let created = endpoints::create(&state.core, caller.user_id(), body.into()).await?;
    let mut response = WebhookResponse::from(created.endpoint);
    response.secret = Some(created.secret);
    Ok((StatusCode::CREATED, Json(response)))
}

/// One endpoint.
#[utoipa::path(get, path = "/api/admin/webhooks/{id}", tag = "integrators", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = WebhookResponse), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_webhook(
    State(state): State<AppState>,
    caller: Integrator,
    IdPath(id): IdPath,
) -> Result<Json<WebhookResponse>, ApiError> {
    caller.require(Scope::WebhooksManage, true)?;
    Ok(Json(endpoints::get(&state.core, id).await?.into()))
}

/// Changes an endpoint (turning it back on clears its failure record).
#[utoipa::path(put, path = "/api/admin/webhooks/{id}", tag = "integrators", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = WebhookRequest,
    responses((status = 200, body = WebhookResponse), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
pub async fn update_webhook(
    State(state): State<AppState>,
    caller: Integrator,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<WebhookRequest>,
) -> Result<Json<WebhookResponse>, ApiError> {
    caller.require(Scope::WebhooksManage, true)?;
    Ok(Json(
        endpoints::update(&state.core, id, body.into())
            .await?
            .into(),
    ))
}

/// Deletes an endpoint (and what it still owed).
#[utoipa::path(delete, path = "/api/admin/webhooks/{id}", tag = "integrators", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 204), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
pub async fn delete_webhook(
    State(state): State<AppState>,
    caller: Integrator,
    IdPath(id): IdPath,
) -> Result<StatusCode, ApiError> {
    caller.require(Scope::WebhooksManage, true)?;
    endpoints::delete(&state.core, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// From where to replay.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReplayRequest {
    /// Events after this sequence are sent again (those already fanned out
    /// to the endpoint; newer ones come anyway).
    #[schema(required = true, nullable = false)]
    pub after: Option<i64>,
}

/// How many events were queued again.
#[derive(Serialize, ToSchema)]
pub struct ReplayResponse {
    pub replayed: u64,
}

/// Sends the endpoint's events after a sequence again.
#[utoipa::path(post, path = "/api/admin/webhooks/{id}/replay", tag = "integrators", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = ReplayRequest,
    responses((status = 202, body = ReplayResponse), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
pub async fn replay_webhook(
    State(state): State<AppState>,
    caller: Integrator,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<ReplayRequest>,
) -> Result<(StatusCode, Json<ReplayResponse>), ApiError> {
    caller.require(Scope::WebhooksManage, true)?;
    let after = match body.after {
        Some(after) if after >= 0 => after,
        Some(_) => {
            return Err(ApiError(Error::Validation(FieldErrors::single(
                "after",
                FieldIssue::out_of_range(0, i64::MAX),
            ))));
        }
        None => {
            return Err(ApiError(Error::Validation(FieldErrors::single(
                "after",
                FieldIssue::Required,
            ))));
        }
    };
    let replayed = pump::replay(&state.core, id, after).await?;
    state.core.outbox_wakeup.notify_one();
    Ok((StatusCode::ACCEPTED, Json(ReplayResponse { replayed })))
}

/// Delivery-log filters.
/// (`page` and `limit` are read by `PageQuery`; here for the document.)
#[allow(dead_code)]
#[derive(Deserialize, ToSchema, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeliveryLogQuery {
    /// pending | succeeded | dead
    pub status: Option<String>,
    pub page: Option<u64>,
    pub limit: Option<u64>,
}

/// One event owed to an endpoint.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WebhookDeliveryResponse {
    pub id: Uuid,
    pub event_id: Uuid,
    pub sequence: i64,
    /// `type:id` of the event's resource (delivered in order per resource).
    pub resource: String,
    pub status: WebhookDeliveryStatus,
    pub attempts: i32,
    pub next_at: DateTime<Utc>,
    pub last_status: Option<i32>,
    pub last_latency_ms: Option<i64>,
    /// The start of the last response body.
    pub last_response: Option<String>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub delivered_at: Option<DateTime<Utc>>,
}

impl From<webhook_deliveries::Model> for WebhookDeliveryResponse {
    fn from(d: webhook_deliveries::Model) -> Self {
        Self {
            id: d.id,
            event_id: d.event_id,
            sequence: d.sequence,
            resource: d.resource,
            status: d.status,
            attempts: d.attempts,
            next_at: d.next_at,
            last_status: d.last_status,
            last_latency_ms: d.last_latency_ms,
            last_response: d.last_response,
            last_error: d.last_error,
            created_at: d.created_at,
            delivered_at: d.delivered_at,
        }
    }
}

/// An endpoint's deliveries, newest event first.
#[utoipa::path(get, path = "/api/admin/webhooks/{id}/deliveries", tag = "integrators", security(("bearer" = [])),
    params(("id" = Uuid, Path), DeliveryLogQuery),
    responses((status = 200, body = Paged<WebhookDeliveryResponse>), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
pub async fn webhook_deliveries(
    State(state): State<AppState>,
    caller: Integrator,
    IdPath(id): IdPath,
    PageQuery(page): PageQuery,
    ApiQuery(query): ApiQuery<DeliveryLogQuery>,
) -> Result<Json<Paged<WebhookDeliveryResponse>>, ApiError> {
    caller.require(Scope::WebhooksManage, true)?;
    let names = WebhookDeliveryStatus::ALL.map(WebhookDeliveryStatus::as_str);
    let status =
        one_of("status", query.status.as_deref(), &names)?.and_then(WebhookDeliveryStatus::parse);
    let found = log::deliveries(&state.core, id, status, page).await?;
    Ok(Json(Paged::new(found, WebhookDeliveryResponse::from)))
}

/// One POST to an endpoint.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WebhookAttemptResponse {
    pub id: Uuid,
    pub delivery_id: Uuid,
    pub event_id: Uuid,
    pub attempted_at: DateTime<Utc>,
    /// None when no response came (connection refused, timeout, refused address).
    pub status_code: Option<i32>,
    pub latency_ms: i64,
    /// The first 500 characters of the response body.
    pub response_excerpt: String,
    pub error: Option<String>,
}

impl From<webhook_attempts::Model> for WebhookAttemptResponse {
    fn from(a: webhook_attempts::Model) -> Self {
        Self {
            id: a.id,
            delivery_id: a.delivery_id,
            event_id: a.event_id,
            attempted_at: a.attempted_at,
            status_code: a.status_code,
            latency_ms: a.latency_ms,
            response_excerpt: a.response_excerpt,
            error: a.error,
        }
    }
}

/// An endpoint's attempts, newest first.
#[utoipa::path(get, path = "/api/admin/webhooks/{id}/attempts", tag = "integrators", security(("bearer" = [])),
    params(("id" = Uuid, Path), ("page" = Option<u64>, Query), ("limit" = Option<u64>, Query)),
    responses((status = 200, body = Paged<WebhookAttemptResponse>), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
pub async fn webhook_attempts(
    State(state): State<AppState>,
    caller: Integrator,
    IdPath(id): IdPath,
    PageQuery(page): PageQuery,
) -> Result<Json<Paged<WebhookAttemptResponse>>, ApiError> {
    caller.require(Scope::WebhooksManage, true)?;
    let found = log::attempts(&state.core, id, page).await?;
    Ok(Json(Paged::new(found, WebhookAttemptResponse::from)))
}
