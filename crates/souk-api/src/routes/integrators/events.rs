//! `GET /api/events`: the replayable event feed, for staff and API keys
//! with `events:read`.

use axum::{Json, extract::State};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use souk_core::{
    Error, FieldErrors, FieldIssue,
    integrators::{
        api_keys::Scope,
        events::EventType,
        feed::{self, FeedQuery, MAX_READ},
    },
};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    error::{ApiError, ErrorBody},
    extract::{ApiQuery, Integrator},
    state::AppState,
};

/// Routes of this feature.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_events))
}

/// Which events to read.
#[derive(Deserialize, ToSchema, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventsQuery {
    /// Events after this sequence (default 0: from the oldest kept).
    pub after: Option<i64>,
    /// Comma-separated event types (`job.posted,quote.submitted`).
    pub types: Option<String>,
    /// 1–1000 (default 100).
    pub limit: Option<u64>,
}

/// Who did it.
#[derive(Serialize, ToSchema)]
pub struct EventActor {
    /// Always `user`.
    #[serde(rename = "type")]
    pub kind: String,
    pub id: Uuid,
}

/// What it happened to.
#[derive(Serialize, ToSchema)]
pub struct EventResource {
    /// user | job | quote | contract | payment | withdrawal | review | dispute | booking | task | task_submission | verification
    #[serde(rename = "type")]
    pub kind: String,
    pub id: String,
}

/// One domain event.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EventResponse {
    /// Strictly increasing, without gaps: a reader that has read up to N
    /// never later finds an event ≤ N.
    pub sequence: i64,
    pub id: Uuid,
    /// user.registered | job.posted | job.status_changed | quote.submitted | contract.created | escrow.funded |
    /// escrow.released | escrow.refunded | payment.succeeded | payment.failed | withdrawal.requested |
    /// withdrawal.paid | withdrawal.rejected | review.published | dispute.opened | dispute.resolved |
    /// booking.requested | booking.status_changed | booking.rescheduled | task.posted |
    /// task.submission_created | task.submission_decided | task.closed | verification.decided
    #[serde(rename = "type")]
    pub kind: String,
    pub created_at: DateTime<Utc>,
    /// `null` when the platform did it (a scheduler, a gateway).
    pub actor: Option<EventActor>,
    pub resource: EventResource,
    /// The resource's state after the event.
    #[schema(value_type = Object)]
    pub data: Value,
    /// What changed, as it was (`null` for creations).
    #[schema(value_type = Option<Object>)]
    pub previous_values: Option<Value>,
}

impl From<souk_db::entities::events::Model> for EventResponse {
    fn from(e: souk_db::entities::events::Model) -> Self {
        Self {
            sequence: e.sequence.unwrap_or_default(),
            id: e.id,
            created_at: e.created_at,
            actor: e.actor_id.map(|id| EventActor {
                kind: "user".into(),
                id,
            }),
            resource: EventResource {
                kind: e.resource_type,
                id: e.resource_id,
            },
            data: serde_json::from_str(&e.data).unwrap_or(Value::Null),
            previous_values: e.previous.and_then(|p| serde_json::from_str(&p).ok()),
            kind: e.kind,
        }
    }
}

/// A page of the feed.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EventPage {
    pub data: Vec<EventResponse>,
    /// Pass as `after` for the next page (the last sequence returned, or
    /// the `after` sent when there was nothing new).
    pub last_sequence: i64,
}

/// Parses a comma-separated list of event types (400 naming the one unknown).
pub fn parse_types(field: &str, raw: &str) -> Result<Vec<EventType>, ApiError> {
    let mut types = Vec::new();
    for name in raw.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        let kind = EventType::parse(name).ok_or_else(|| {
            ApiError(Error::Validation(FieldErrors::single(
                field,
                FieldIssue::OneOf(EventType::ALL.iter().map(|t| t.as_str()).collect()),
            )))
        })?;
        if !types.contains(&kind) {
            types.push(kind);
        }
    }
    Ok(types)
}

/// Events after a sequence, oldest first (staff, or an API key with `events:read`).
#[utoipa::path(get, path = "/api/events", tag = "integrators", security(("bearer" = [])), params(EventsQuery),
    responses((status = 200, body = EventPage), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list_events(
    State(state): State<AppState>,
    caller: Integrator,
    ApiQuery(query): ApiQuery<EventsQuery>,
) -> Result<Json<EventPage>, ApiError> {
    caller.require(Scope::EventsRead, false)?;
    let after = query.after.unwrap_or(0);
    if after < 0 {
        return Err(ApiError(Error::Validation(FieldErrors::single(
            "after",
            FieldIssue::out_of_range(0, i64::MAX),
        ))));
    }
    let limit = query.limit.unwrap_or(100);
    if !(1..=MAX_READ).contains(&limit) {
        return Err(ApiError(Error::Validation(FieldErrors::single(
            "limit",
            FieldIssue::out_of_range(1, 1000),
        ))));
    }
    let types = parse_types("types", query.types.as_deref().unwrap_or_default())?;
    let rows = feed::read(
        &state.core,
        &FeedQuery {
            after,
            types,
            limit,
        },
    )
    .await?;
    let last_sequence = rows.last().and_then(|e| e.sequence).unwrap_or(after);
    Ok(Json(EventPage {
        data: rows.into_iter().map(EventResponse::from).collect(),
        last_sequence,
    }))
}
