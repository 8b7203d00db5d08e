//! The AI helpers: job-post drafting, job finding, price suggestion,
//! sentiment and skill development.

use axum::{Json, extract::State, http::HeaderMap};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use souk_core::{
    ai::{
        demand,
        find_jobs::{self, FindJobs},
        generate,
        log::{self, Call},
        price::{self, PriceQuery},
        prompt,
    },
    reviews::sentiment,
};
use souk_db::enums::{AiEngine, AiFeature};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::answer_lang;
use crate::{
    error::{ApiError, ErrorBody},
    extract::{ApiJson, Auth},
    state::AppState,
};

/// Routes of this feature.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(generate_draft))
        .routes(routes!(find))
        .routes(routes!(price_suggest))
        .routes(routes!(analyze_sentiment))
        .routes(routes!(skill_development))
}

/// A prompt.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PromptRequest {
    /// 1–2,000 characters, English or Arabic.
    #[schema(required = true, nullable = false)]
    pub prompt: Option<String>,
}

/// A job-post draft for the client to edit; nothing is posted.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DraftResponse {
    pub title: String,
    pub description: String,
    /// Catalog slug.
    pub category: Option<String>,
    /// Suggested budget range (25th–75th percentile of prices paid nearby), minor units.
    pub budget_min: Option<i64>,
    pub budget_max: Option<i64>,
    /// How many paid prices the range comes from.
    pub budget_sample: usize,
    pub desired_date: Option<DateTime<Utc>>,
    pub address: Option<String>,
    pub lat: Option<f64>,
    pub lng: Option<f64>,
    /// en | ar
    pub language: String,
    pub engine: AiEngine,
}

/// Drafts a job post from a request in words (clients).
#[utoipa::path(post, path = "/api/ai/generate", tag = "ai", security(("bearer" = [])),
    request_body = PromptRequest,
    responses((status = 200, body = DraftResponse), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn generate_draft(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<PromptRequest>,
) -> Result<Json<DraftResponse>, ApiError> {
    let d = generate::generate(&state.core, &caller, body.prompt.as_deref()).await?;
    Ok(Json(DraftResponse {
        title: d.title,
        description: d.description,
        category: d.category,
        budget_min: d.budget_min,
        budget_max: d.budget_max,
        budget_sample: d.budget_sample,
        desired_date: d.desired_date,
        address: d.address,
        lat: d.lat,
        lng: d.lng,
        language: d.lang.as_str().to_owned(),
        engine: d.engine,
    }))
}

/// Job finding in words.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FindJobsRequest {
    #[schema(required = true, nullable = false)]
    pub prompt: Option<String>,
    /// Only jobs whose budget reaches this, minor units.
    pub min_budget: Option<i64>,
    pub lat: Option<f64>,
    pub lng: Option<f64>,
}

/// One job found.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FoundJobResponse {
    pub id: Uuid,
    pub title: String,
    pub category_id: Uuid,
    pub budget_min: Option<i64>,
    pub budget_max: Option<i64>,
    pub distance_km: Option<f64>,
    pub created_at: DateTime<Utc>,
    /// 0–1.
    pub score: f64,
    pub why: String,
}

/// Jobs found.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FindJobsResponse {
    /// The category understood (catalog slug).
    pub category: Option<String>,
    pub items: Vec<FoundJobResponse>,
    pub engine: AiEngine,
}

/// Open jobs ranked for a prompt, each with why it matches.
#[utoipa::path(post, path = "/api/ai/find-jobs", tag = "ai", security(("bearer" = [])),
    request_body = FindJobsRequest,
    responses((status = 200, body = FindJobsResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn find(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<FindJobsRequest>,
) -> Result<Json<FindJobsResponse>, ApiError> {
    let found = find_jobs::find(
        &state.core,
        &caller,
        FindJobs {
            prompt: body.prompt,
            min_budget: body.min_budget,
            lat: body.lat,
            lng: body.lng,
        },
    )
    .await?;
    Ok(Json(FindJobsResponse {
        category: found.parsed.category.map(str::to_owned),
        engine: found.engine,
        items: found
            .items
            .into_iter()
            .map(|f| FoundJobResponse {
                id: f.job.id,
                title: f.job.title,
                category_id: f.job.category_id,
                budget_min: f.job.budget_min,
                budget_max: f.job.budget_max,
                distance_km: f.distance_km,
                created_at: f.job.created_at,
                score: f.score,
                why: f.why,
            })
            .collect(),
    }))
}

/// What a price suggestion is for: a category (slug or id) and a city or a
/// point, or an offering.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PriceRequest {
    pub category: Option<String>,
    /// A city or district (English or Arabic), e.g. "Maadi", "صور".
    pub city: Option<String>,
    pub lat: Option<f64>,
    pub lng: Option<f64>,
    pub offering_id: Option<Uuid>,
}

/// A price suggestion from prices really paid.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PriceResponse {
    pub category: String,
    pub place: Option<String>,
    /// Minor units; absent without any sample.
    pub median: Option<i64>,
    pub p25: Option<i64>,
    pub p75: Option<i64>,
    pub sample_size: usize,
    /// The circle the sample comes from, km (absent: the whole platform).
    pub radius_km: Option<f64>,
    /// Whether the circle had to grow to find enough prices.
    pub widened: bool,
    pub currency: String,
    pub engine: AiEngine,
}

/// Median and 25th–75th percentile of prices paid for a category near a place.
#[utoipa::path(post, path = "/api/ai/price-suggest", tag = "ai", security(("bearer" = [])),
    request_body = PriceRequest,
    responses((status = 200, body = PriceResponse), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn price_suggest(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<PriceRequest>,
) -> Result<Json<PriceResponse>, ApiError> {
    let s = price::suggest(
        &state.core,
        &caller,
        PriceQuery {
            category: body.category,
            city: body.city,
            lat: body.lat,
            lng: body.lng,
            offering: body.offering_id,
        },
    )
    .await?;
    Ok(Json(PriceResponse {
        category: s.category,
        place: s.place,
        median: s.median,
        p25: s.p25,
        p75: s.p75,
        sample_size: s.sample_size,
        radius_km: s.radius_km,
        widened: s.widened,
        currency: s.currency,
        engine: AiEngine::Builtin,
    }))
}

/// Text to score.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SentimentRequest {
    /// 1–2,000 characters, English or Arabic.
    #[schema(required = true, nullable = false)]
    pub text: Option<String>,
}

/// A sentiment.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SentimentResponse {
    /// −1 (very negative) … 1 (very positive).
    pub score: f64,
    /// positive | neutral | negative
    pub label: String,
    pub engine: AiEngine,
}

/// The sentiment of a text (negation-aware, English and Arabic; the score reviews store).
#[utoipa::path(post, path = "/api/ai/sentiment", tag = "ai", security(("bearer" = [])),
    request_body = SentimentRequest,
    responses((status = 200, body = SentimentResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn analyze_sentiment(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<SentimentRequest>,
) -> Result<Json<SentimentResponse>, ApiError> {
    let text = prompt::checked("text", body.text.as_deref())?;
    let mut call = Call::start(Some(caller.user.id), AiFeature::Sentiment);
    let found = sentiment::analyze(&text);
    call.prompt = Some(text);
    call.intent = Some(found.label.as_str().to_owned());
    log::record(&state.core, call).await;
    Ok(Json(SentimentResponse {
        score: found.score,
        label: found.label.as_str().to_owned(),
        engine: AiEngine::Builtin,
    }))
}

/// A skill in demand.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SkillDemandResponse {
    /// Catalog slug.
    pub skill: String,
    pub name: String,
    /// Open jobs posted near the caller in the last 30 days.
    pub open_jobs: i64,
    /// Craftsmen listing the skill near the caller.
    pub craftsmen: i64,
    /// open jobs ÷ (craftsmen + 1).
    pub jobs_per_craftsman: f64,
    /// Whether the caller lists it already.
    pub has_skill: bool,
    pub why: String,
}

/// Skill development for a craftsman.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SkillDevelopmentResponse {
    /// How far around the caller demand is counted, km (everywhere when the caller has no location).
    pub radius_km: f64,
    /// Skills the caller lacks first, then by jobs per craftsman.
    pub items: Vec<SkillDemandResponse>,
    pub engine: AiEngine,
}

/// Catalog skills in demand near the caller (craftsmen), with the figures behind each.
#[utoipa::path(post, path = "/api/ai/skill-development", tag = "ai", security(("bearer" = [])),
    responses((status = 200, body = SkillDevelopmentResponse), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn skill_development(
    State(state): State<AppState>,
    Auth(caller): Auth,
    headers: HeaderMap,
) -> Result<Json<SkillDevelopmentResponse>, ApiError> {
    let lang = answer_lang(&headers, &caller);
    let found = demand::suggest(&state.core, &caller, lang).await?;
    Ok(Json(SkillDevelopmentResponse {
        radius_km: demand::RADIUS_KM,
        items: found
            .into_iter()
            .map(|d| SkillDemandResponse {
                skill: d.slug,
                name: d.name,
                open_jobs: d.open_jobs,
                craftsmen: d.craftsmen,
                jobs_per_craftsman: d.jobs_per_craftsman,
                has_skill: d.has_skill,
                why: d.why,
            })
            .collect(),
        engine: AiEngine::Builtin,
    }))
}
