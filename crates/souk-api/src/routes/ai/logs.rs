//! `GET /api/admin/ai-logs`: every AI call, newest first (admins).

use axum::{Json, extract::State};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use souk_core::ai::log::{self, LogQuery};
use souk_db::{
    entities::ai_logs,
    enums::{AiEngine, AiFeature},
};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    error::{ApiError, ErrorBody},
    extract::{ApiQuery, Auth, PageQuery, one_of},
    state::AppState,
    views::Paged,
};

/// Routes of this feature.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list_ai_logs))
}

/// AI log filters.
/// (`page` and `limit` are read by `PageQuery`; here for the document.)
#[allow(dead_code)]
#[derive(Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct AiLogQuery {
    pub user_id: Option<Uuid>,
    /// recommend | chat | action | generate | find_jobs | price_suggest | sentiment | skill_development
    pub feature: Option<String>,
    /// builtin | llm | fallback
    pub engine: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub page: Option<u64>,
    pub limit: Option<u64>,
}

/// One AI call.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AiLogResponse {
    pub id: Uuid,
    pub user_id: Option<Uuid>,
    pub feature: AiFeature,
    pub engine: AiEngine,
    pub intent: Option<String>,
    /// The user's text; null once older than `aiPromptRetentionDays`.
    pub prompt: Option<String>,
    /// The ids answered (craftsmen, offerings, jobs, bookings).
    pub matched: Vec<String>,
    pub latency_ms: i64,
    pub prompt_tokens: i32,
    pub completion_tokens: i32,
    /// Why the LLM was not used, when it failed.
    pub error: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl From<ai_logs::Model> for AiLogResponse {
    fn from(l: ai_logs::Model) -> Self {
        Self {
            id: l.id,
            user_id: l.user_id,
            feature: l.feature,
            engine: l.engine,
            intent: l.intent,
            prompt: l.prompt,
            matched: serde_json::from_str(&l.matched).unwrap_or_default(),
            latency_ms: l.latency_ms,
            prompt_tokens: l.prompt_tokens,
            completion_tokens: l.completion_tokens,
            error: l.error,
            created_at: l.created_at,
        }
    }
}

/// The AI log, newest first (admins).
#[utoipa::path(get, path = "/api/admin/ai-logs", tag = "admin", security(("bearer" = [])), params(AiLogQuery),
    responses((status = 200, body = Paged<AiLogResponse>), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list_ai_logs(
    State(state): State<AppState>,
    Auth(caller): Auth,
    PageQuery(page): PageQuery,
    ApiQuery(query): ApiQuery<AiLogQuery>,
) -> Result<Json<Paged<AiLogResponse>>, ApiError> {
    let features = AiFeature::ALL.map(AiFeature::as_str);
    let engines = AiEngine::ALL.map(AiEngine::as_str);
    let feature =
        one_of("feature", query.feature.as_deref(), &features)?.and_then(AiFeature::parse);
    let engine = one_of("engine", query.engine.as_deref(), &engines)?.and_then(AiEngine::parse);
    let found = log::list(
        &state.core,
        &caller,
        &LogQuery {
            user: query.user_id,
            feature,
            engine,
            from: query.from,
            to: query.to,
        },
        page,
    )
    .await?;
    Ok(Json(Paged::new(found, AiLogResponse::from)))
}
