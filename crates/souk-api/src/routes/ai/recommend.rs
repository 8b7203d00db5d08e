//! `GET /api/users/recommendations?jobId=` and `POST /api/ai/recommend`:
//! ranked craftsmen with their score, every factor's value and share, and
//! why in words.

use axum::{Json, extract::State, http::HeaderMap};
use serde::{Deserialize, Serialize};
use souk_core::{
    Lang,
    accounts::Authenticated,
    ai::{
        explain,
        recommend::{
            Recommended,
            request::{self, RecommendInput, Recommendations},
        },
        weights::AiWeights,
    },
    catalog::services,
    reviews::rating,
};
use souk_db::enums::AiEngine;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use super::answer_lang;
use crate::{
    error::{ApiError, ErrorBody},
    extract::{ApiJson, ApiQuery, Auth},
    state::AppState,
};

/// Routes of this feature.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(job_recommendations))
        .routes(routes!(recommend))
}

/// Which job to recommend craftsmen for.
#[derive(Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct RecommendationQuery {
    /// The caller's job.
    pub job_id: Option<Uuid>,
    /// How many (1–50, default 10).
    pub limit: Option<usize>,
}

/// A recommendation request: `jobId` (the caller's job) or `offeringQuery`
/// (a need in words, English or Arabic).
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RecommendRequest {
    pub job_id: Option<Uuid>,
    /// e.g. "cheap fridge repair in Tyre today" (≤ 2,000 characters).
    pub offering_query: Option<String>,
    /// How many (1–50, default 10).
    pub limit: Option<usize>,
}

/// The craftsman recommended.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CraftsmanBrief {
    pub id: Uuid,
    pub first_name: String,
    pub last_name: String,
    pub profile_picture: Option<String>,
    pub city: Option<String>,
    /// Average rating (1–5), when reviewed.
    pub rating: Option<f64>,
    pub rating_count: i32,
    pub completed_jobs: i32,
    pub verified: bool,
}

/// One factor of a score.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FactorResponse {
    /// skill | distance | rating | completion | response | availability | activity | verification
    pub name: String,
    /// 0–1.
    pub value: f64,
    /// Its configured weight.
    pub weight: f64,
    /// Its part of the score (the parts add up to the score).
    pub contribution: f64,
    /// Its share of the score, 0–1 (the shares add up to 1).
    pub share: f64,
}

/// One recommended craftsman.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RecommendationItem {
    pub craftsman: CraftsmanBrief,
    /// 0–1, higher is better.
    pub score: f64,
    pub distance_km: Option<f64>,
    pub factors: Vec<FactorResponse>,
    /// The strongest factors, in words.
    pub why: String,
}

/// Ranked craftsmen.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RecommendationsResponse {
    pub job_id: Option<Uuid>,
    /// The category ranked for (catalog slug).
    pub category: Option<String>,
    pub items: Vec<RecommendationItem>,
    /// The weights in force (admins change them in `PUT /api/admin/settings`).
    pub weights: AiWeights,
    pub engine: AiEngine,
}

fn item(
    state: &AppState,
    r: &Recommended,
    category: Option<&str>,
    lang: Lang,
) -> RecommendationItem {
    let c = &r.candidate;
    RecommendationItem {
        craftsman: CraftsmanBrief {
            id: c.id,
            first_name: c.first_name.clone(),
            last_name: c.last_name.clone(),
            profile_picture: c
                .profile_picture
                .as_deref()
                .map(|key| state.core.settings.file_url(key)),
            city: c.city.clone(),
            rating: rating::average(c.rating_sum, c.rating_count),
            rating_count: c.rating_count,
            completed_jobs: c.completed_jobs,
            verified: c.verified(),
        },
        score: r.scored.score,
        distance_km: r.distance_km,
        factors: r
            .scored
            .factors
            .iter()
            .map(|f| FactorResponse {
                name: f.name.to_owned(),
                value: f.value,
                weight: f.weight,
                contribution: f.contribution,
                share: f.share,
            })
            .collect(),
        why: explain::why(r, category, lang),
    }
}

fn response(state: &AppState, found: Recommendations, lang: Lang) -> RecommendationsResponse {
    let lang = found.lang.unwrap_or(lang);
    let name = found
        .category
        .as_ref()
        .map(|c| services::localized_name(c, lang).to_owned());
    RecommendationsResponse {
        job_id: found.job.as_ref().map(|j| j.id),
        category: found.category.as_ref().map(|c| c.slug.clone()),
        items: found
            .items
            .iter()
            .map(|r| item(state, r, name.as_deref(), lang))
            .collect(),
        weights: found.weights,
        engine: AiEngine::Builtin,
    }
}

/// Answers `input` in the caller's language.
async fn answer(
    state: &AppState,
    caller: &Authenticated,
    headers: &HeaderMap,
    input: RecommendInput,
) -> Result<Json<RecommendationsResponse>, ApiError> {
    let lang = answer_lang(headers, caller);
    let found = request::recommend(&state.core, caller, input).await?;
    Ok(Json(response(state, found, lang)))
}

/// Craftsmen recommended for the caller's job, best first, each with why.
#[utoipa::path(get, path = "/api/users/recommendations", tag = "ai", security(("bearer" = [])),
    params(RecommendationQuery),
    responses((status = 200, body = RecommendationsResponse), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn job_recommendations(
    State(state): State<AppState>,
    Auth(caller): Auth,
    headers: HeaderMap,
    ApiQuery(query): ApiQuery<RecommendationQuery>,
) -> Result<Json<RecommendationsResponse>, ApiError> {
    let input = RecommendInput {
        job: query.job_id,
        offering_query: None,
        limit: query.limit,
    };
    answer(&state, &caller, &headers, input).await
}

/// Craftsmen recommended for a job or for a need in words.
#[utoipa::path(post, path = "/api/ai/recommend", tag = "ai", security(("bearer" = [])),
    request_body = RecommendRequest,
    responses((status = 200, body = RecommendationsResponse), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn recommend(
    State(state): State<AppState>,
    Auth(caller): Auth,
    headers: HeaderMap,
    ApiJson(body): ApiJson<RecommendRequest>,
) -> Result<Json<RecommendationsResponse>, ApiError> {
    let input = RecommendInput {
        job: body.job_id,
        offering_query: body.offering_query,
        limit: body.limit,
    };
    answer(&state, &caller, &headers, input).await
}
