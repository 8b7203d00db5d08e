//! Quotes on jobs: submit, list, accept (hire), decline, withdraw, mine.

use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
};
use serde::Deserialize;
use souk_core::{ErrorCode, marketplace::quotes};
use utoipa::ToSchema;
use uuid::Uuid;

use super::views::{ContractResponse, HireResponse, JobResponse, JobSummary, QuoteResponse};
use crate::{
    error::{ApiError, ErrorBody},
    extract::{ApiJson, ApiQuery, Auth, IdPath, PageQuery},
    state::AppState,
    views::Paged,
};

/// A quote.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct QuoteRequest {
    /// Minor units, > 0.
    #[schema(required = true, nullable = false)]
    pub price: Option<i64>,
    pub notes: Option<String>,
    /// Free text, e.g. "2 days".
    pub estimated_duration: Option<String>,
}

/// Submits a quote (craftsmen; posted or quoted jobs; one live quote each).
#[utoipa::path(post, path = "/api/jobs/{jobId}/quotes", tag = "quotes", security(("bearer" = [])),
    params(("jobId" = Uuid, Path)), request_body = QuoteRequest,
    responses((status = 201, body = QuoteResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "job_not_open / quote_exists / invitation_was_rejected", body = ErrorBody)))]
pub async fn submit_quote(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(job): IdPath,
    ApiJson(body): ApiJson<QuoteRequest>,
) -> Result<(StatusCode, Json<QuoteResponse>), ApiError> {
    let input = quotes::QuoteInput {
        price: body.price,
        notes: body.notes,
        estimated_duration: body.estimated_duration,
    };
    let quote = quotes::submit(&state.core, &caller, job, input).await?;
    Ok((StatusCode::CREATED, Json(quote.into())))
}

/// The quotes on a job: all for its owner, one's own for a craftsman.
#[utoipa::path(get, path = "/api/jobs/{jobId}/quotes", tag = "quotes", security(("bearer" = [])),
    params(("jobId" = Uuid, Path)),
    responses((status = 200, body = Vec<QuoteResponse>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
pub async fn list_job_quotes(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(job): IdPath,
) -> Result<Json<Vec<QuoteResponse>>, ApiError> {
    let list = quotes::list_for_job(&state.core, &caller, job).await?;
    Ok(Json(list.into_iter().map(Into::into).collect()))
}

fn ids(job: &str, quote: &str) -> Result<(Uuid, Uuid), ApiError> {
    match (Uuid::parse_str(job), Uuid::parse_str(quote)) {
        (Ok(job), Ok(quote)) => Ok((job, quote)),
        _ => Err(ApiError::code(ErrorCode::InvalidId)),
    }
}

/// Accepts a quote: creates the contract (price, fee fixed now, payment
/// type), hires the craftsman, declines every other live quote.
#[utoipa::path(post, path = "/api/jobs/{jobId}/quotes/{quoteId}/accept", tag = "quotes", security(("bearer" = [])),
    params(("jobId" = Uuid, Path), ("quoteId" = Uuid, Path)),
    responses((status = 200, body = HireResponse), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn accept_quote(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path((job, quote)): Path<(String, String)>,
) -> Result<Json<HireResponse>, ApiError> {
    let (job, quote) = ids(&job, &quote)?;
    let (job, contract) = quotes::accept(&state.core, &caller, job, quote).await?;
    Ok(Json(HireResponse {
        job: JobResponse::new(job, &state.core.settings),
        contract: ContractResponse::from(contract),
    }))
}

/// Declines a quote (job owner).
#[utoipa::path(post, path = "/api/jobs/{jobId}/quotes/{quoteId}/decline", tag = "quotes", security(("bearer" = [])),
    params(("jobId" = Uuid, Path), ("quoteId" = Uuid, Path)),
    responses((status = 200, body = QuoteResponse), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn decline_quote(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path((job, quote)): Path<(String, String)>,
) -> Result<Json<QuoteResponse>, ApiError> {
    let (job, quote) = ids(&job, &quote)?;
    Ok(Json(
        quotes::decline(&state.core, &caller, job, quote)
            .await?
            .into(),
    ))
}

/// Withdraws one's own live quote.
#[utoipa::path(delete, path = "/api/jobs/{jobId}/quotes/{quoteId}", tag = "quotes", security(("bearer" = [])),
    params(("jobId" = Uuid, Path), ("quoteId" = Uuid, Path)),
    responses((status = 200, body = QuoteResponse), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn withdraw_quote(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path((job, quote)): Path<(String, String)>,
) -> Result<Json<QuoteResponse>, ApiError> {
    let (job, quote) = ids(&job, &quote)?;
    Ok(Json(
        quotes::withdraw(&state.core, &caller, job, quote)
            .await?
            .into(),
    ))
}

/// Filter of one's quotes.
#[derive(Deserialize, ToSchema, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MyQuotesQuery {
    /// submitted | accepted | declined | withdrawn
    pub status: Option<String>,
    /// Read by the pagination extractor; listed here for the docs.
    #[allow(dead_code)]
    pub page: Option<u64>,
    #[allow(dead_code)]
    pub limit: Option<u64>,
}

/// The craftsman's own quotes, newest first, with their jobs.
#[utoipa::path(get, path = "/api/quotes/mine", tag = "quotes", security(("bearer" = [])), params(MyQuotesQuery),
    responses((status = 200, body = Paged<QuoteResponse>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody)))]
pub async fn my_quotes(
    State(state): State<AppState>,
    Auth(caller): Auth,
    PageQuery(page): PageQuery,
    ApiQuery(query): ApiQuery<MyQuotesQuery>,
) -> Result<Json<Paged<QuoteResponse>>, ApiError> {
    let found = quotes::mine(&state.core, &caller, query.status, page).await?;
    Ok(Json(Paged::new(found, |(quote, job)| {
        let mut response = QuoteResponse::from(quote);
        response.job = job.as_ref().map(JobSummary::from);
        response
    })))
}
