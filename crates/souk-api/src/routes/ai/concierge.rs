//! `POST /api/ai/chat` (the concierge) and `POST /api/ai/action` (confirm
//! a proposed booking: books it through the same use-case as
//! `POST /api/bookings`).

use axum::{Json, extract::State, http::StatusCode};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use souk_core::ai::concierge::{self, ChatInput, filters::Filters, matches::Match, proposal};
use souk_db::enums::AiEngine;
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    error::{ApiError, ErrorBody},
    extract::{ApiJson, Auth},
    routes::bookings::BookingResponse,
    state::AppState,
};

/// Routes of this feature.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(chat))
        .routes(routes!(action))
}

/// A message to the concierge.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChatRequest {
    /// What the user says, English or Arabic (1–2,000 characters).
    #[schema(required = true, nullable = false)]
    pub message: Option<String>,
    /// Continue this conversation (kept 24 hours); omit to start one.
    pub conversation_id: Option<Uuid>,
}

/// A place understood.
#[derive(Serialize, ToSchema)]
pub struct PlaceResponse {
    pub name: String,
    pub lat: f64,
    pub lng: f64,
}

/// What the concierge has understood so far.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FiltersResponse {
    /// Catalog slug.
    pub category: Option<String>,
    /// Price ceiling, minor units.
    pub max_price: Option<i64>,
    pub cheap: bool,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub place: Option<PlaceResponse>,
    pub urgent: bool,
}

impl From<Filters> for FiltersResponse {
    fn from(f: Filters) -> Self {
        Self {
            category: f.category,
            max_price: f.max_price,
            cheap: f.cheap,
            from: f.from,
            to: f.to,
            place: f.place.map(|p| PlaceResponse {
                name: p.name,
                lat: p.lat,
                lng: p.lng,
            }),
            urgent: f.urgent,
        }
    }
}

/// One match.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MatchResponse {
    /// offering | craftsman
    #[serde(rename = "type")]
    pub kind: String,
    pub id: Uuid,
    pub title: String,
    /// Why it fits, in words.
    pub why: String,
    /// The next free start times (offerings).
    pub next_slots: Vec<DateTime<Utc>>,
    /// What booking it costs, minor units (offerings).
    pub price: Option<i64>,
}

impl From<Match> for MatchResponse {
    fn from(m: Match) -> Self {
        Self {
            kind: m.kind,
            id: m.id,
            title: m.title,
            why: m.why,
            next_slots: m.next_slots,
            price: m.price,
        }
    }
}

/// A booking the concierge proposes; nothing is booked until it is confirmed.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProposalResponse {
    /// Send to `POST /api/ai/action` to book (once, within 15 minutes).
    pub confirmation_token: String,
    pub offering_id: Uuid,
    pub start_at: DateTime<Utc>,
    /// Minor units.
    pub price: i64,
    pub expires_at: DateTime<Utc>,
}

impl From<proposal::Proposal> for ProposalResponse {
    fn from(p: proposal::Proposal) -> Self {
        Self {
            confirmation_token: p.confirmation_token,
            offering_id: p.offering_id,
            start_at: p.start_at,
            price: p.price,
            expires_at: p.expires_at,
        }
    }
}

/// The concierge's answer.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChatResponse {
    pub conversation_id: Uuid,
    /// In the language of the message.
    pub reply: String,
    /// search | book | greeting | thanks | help | unknown
    pub intent: String,
    /// en | ar
    pub language: String,
    pub filters: FiltersResponse,
    /// Up to three.
    pub matches: Vec<MatchResponse>,
    pub proposal: Option<ProposalResponse>,
    pub engine: AiEngine,
}

/// One turn of the concierge: understands the message, answers matches
/// with why each fits, or — asked to book — a proposal to confirm.
#[utoipa::path(post, path = "/api/ai/chat", tag = "ai", security(("bearer" = [])),
    request_body = ChatRequest,
    responses((status = 200, body = ChatResponse), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 404, description = "ai_conversation_not_found", body = ErrorBody)))]
pub async fn chat(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<ChatRequest>,
) -> Result<Json<ChatResponse>, ApiError> {
    let turn = concierge::chat(
        &state.core,
        &caller,
        ChatInput {
            message: body.message,
            conversation_id: body.conversation_id,
        },
    )
    .await?;
    Ok(Json(ChatResponse {
        conversation_id: turn.conversation_id,
        reply: turn.reply,
        intent: turn.intent.as_str().to_owned(),
        language: turn.lang.as_str().to_owned(),
        filters: turn.filters.into(),
        matches: turn.matches.into_iter().map(MatchResponse::from).collect(),
        proposal: turn.proposal.map(ProposalResponse::from),
        engine: turn.engine,
    }))
}

/// Confirms a proposal.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ActionRequest {
    #[schema(required = true, nullable = false)]
    pub confirmation_token: Option<String>,
}

/// The booking made.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ActionResponse {
    pub booking: BookingResponse,
}

/// Books what the concierge proposed (the proposal's user, once, in time).
#[utoipa::path(post, path = "/api/ai/action", tag = "ai", security(("bearer" = [])),
    request_body = ActionRequest,
    responses((status = 201, body = ActionResponse), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, description = "confirmation_not_found", body = ErrorBody),
              (status = 409, description = "confirmation_used, slot_taken", body = ErrorBody),
              (status = 410, description = "confirmation_expired", body = ErrorBody)))]
pub async fn action(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<ActionRequest>,
) -> Result<(StatusCode, Json<ActionResponse>), ApiError> {
    let (_, view) =
        proposal::confirm(&state.core, &caller, body.confirmation_token.as_deref()).await?;
    Ok((
        StatusCode::CREATED,
        Json(ActionResponse {
            booking: view.into(),
        }),
    ))
}
