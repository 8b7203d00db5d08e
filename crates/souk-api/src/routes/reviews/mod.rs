//! `/api/reviews`: double-blind reviews after a completed contract, the
//! reviewee's reply, reports; staff hide and restore under `/api/admin/reviews`.

pub mod views;

use axum::{Json, extract::State, http::StatusCode};
use serde::{Deserialize, Serialize};
use souk_core::reviews::{
    moderation::{self, StaffAction},
    read,
    write::{self, NewReview, ReviewEdit},
};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use self::views::{MyReviewsResponse, ReviewResponse};
use crate::{
    error::{ApiError, ErrorBody},
    extract::{ApiJson, Auth, IdPath, PageQuery},
    state::AppState,
    views::Paged,
};

/// Routes of this feature.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_review))
        .routes(routes!(my_reviews))
        .routes(routes!(user_reviews))
        .routes(routes!(offering_reviews))
        .routes(routes!(get_review, edit_review))
        .routes(routes!(reply_to_review))
        .routes(routes!(report_review))
        .routes(routes!(hide_review))
        .routes(routes!(restore_review))
}

/// A review.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReviewRequest {
    /// The contract reviewed (or give its `jobId`, or the `bookingId` that made it).
    pub contract_id: Option<Uuid>,
    pub job_id: Option<Uuid>,
    pub booking_id: Option<Uuid>,
    /// 1–5.
    #[schema(required = true, nullable = false, minimum = 1, maximum = 5)]
    pub rating: Option<i64>,
    /// At most 2,000 characters.
    pub comment: Option<String>,
}

/// Reviews the other side of a completed contract, once, within the
/// window (14 days after completion by default). Blind: hidden from the
/// reviewee and the public until both sides have reviewed (both revealed
/// now) or the window closes (`reviewDeadlineAt`).
#[utoipa::path(post, path = "/api/reviews", tag = "reviews", security(("bearer" = [])),
    request_body = ReviewRequest,
    responses((status = 201, body = ReviewResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, description = "not_a_party", body = ErrorBody),
              (status = 404, description = "contract_not_found", body = ErrorBody),
              (status = 409, description = "contract_not_completed / review_window_closed / already_reviewed / no_contract", body = ErrorBody)))]
pub async fn create_review(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<ReviewRequest>,
) -> Result<(StatusCode, Json<ReviewResponse>), ApiError> {
    let job = souk_core::bookings::read::named_job(
        &state.core,
        &caller,
        body.job_id,
        body.contract_id,
        body.booking_id,
    )
    .await?;
    let input = NewReview {
        contract: body.contract_id,
        job,
        rating: body.rating,
        comment: body.comment,
    };
    let view = write::create(&state.core, &caller, input).await?;
    Ok((StatusCode::CREATED, Json(ReviewResponse::new(view))))
}

/// A change to a blind review.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReviewEditRequest {
    /// 1–5.
    pub rating: Option<i64>,
    /// An empty string clears it.
    pub comment: Option<String>,
}

/// Changes one's review while it is still blind (the other side has not
/// reviewed and the window is open); 409 `review_not_editable` after.
#[utoipa::path(put, path = "/api/reviews/{id}", tag = "reviews", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = ReviewEditRequest,
    responses((status = 200, body = ReviewResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, description = "review_not_found", body = ErrorBody),
              (status = 409, description = "review_not_editable", body = ErrorBody)))]
pub async fn edit_review(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<ReviewEditRequest>,
) -> Result<Json<ReviewResponse>, ApiError> {
    let change = ReviewEdit {
        rating: body.rating,
        comment: body.comment,
    };
    let view = write::edit(&state.core, &caller, id, change).await?;
    Ok(Json(ReviewResponse::new(view)))
}

/// One review: its author always, anyone signed in once revealed, staff
/// any; otherwise 404 (a blind review's existence does not leak).
#[utoipa::path(get, path = "/api/reviews/{id}", tag = "reviews", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = ReviewResponse), (status = 401, body = ErrorBody),
              (status = 404, description = "review_not_found", body = ErrorBody)))]
pub async fn get_review(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(id): IdPath,
) -> Result<Json<ReviewResponse>, ApiError> {
    let card = read::one(&state.core, &caller, id).await?;
    Ok(Json(ReviewResponse::card(card)))
}

/// Paging.
#[derive(Deserialize, ToSchema, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReviewPageQuery {
    /// Read by the pagination extractor; listed here for the docs.
    #[allow(dead_code)]
    pub page: Option<u64>,
    #[allow(dead_code)]
    pub limit: Option<u64>,
}

/// A user's public reviews: revealed only, newest first, with each
/// author's public name and the job's title and category. No sign-in needed.
#[utoipa::path(get, path = "/api/reviews/user/{userId}", tag = "reviews",
    params(("userId" = Uuid, Path), ReviewPageQuery),
    responses((status = 200, body = Paged<ReviewResponse>), (status = 400, body = ErrorBody),
              (status = 404, description = "user_not_found", body = ErrorBody)))]
pub async fn user_reviews(
    State(state): State<AppState>,
    IdPath(user): IdPath,
    PageQuery(page): PageQuery,
) -> Result<Json<Paged<ReviewResponse>>, ApiError> {
    let found = read::for_user(&state.core, user, page).await?;
    Ok(Json(Paged::new(found, ReviewResponse::card)))
}

/// An offering's public reviews: those of its provider by clients who
/// booked this offering, revealed only, newest first. No sign-in needed.
#[utoipa::path(get, path = "/api/reviews/offering/{id}", tag = "reviews",
    params(("id" = Uuid, Path), ReviewPageQuery),
    responses((status = 200, body = Paged<ReviewResponse>), (status = 400, body = ErrorBody),
              (status = 404, description = "offering_not_found", body = ErrorBody)))]
pub async fn offering_reviews(
    State(state): State<AppState>,
    IdPath(offering): IdPath,
    PageQuery(page): PageQuery,
) -> Result<Json<Paged<ReviewResponse>>, ApiError> {
    let found = read::for_offering(&state.core, offering, page).await?;
    Ok(Json(Paged::new(found, ReviewResponse::card)))
}

/// The caller's reviews: written (blind ones too), received (revealed
/// only), and the completed contracts still to review, with deadlines.
#[utoipa::path(get, path = "/api/reviews/mine", tag = "reviews", security(("bearer" = [])),
    responses((status = 200, body = MyReviewsResponse), (status = 401, body = ErrorBody)))]
pub async fn my_reviews(
    State(state): State<AppState>,
    Auth(caller): Auth,
) -> Result<Json<MyReviewsResponse>, ApiError> {
    Ok(Json(read::mine(&state.core, &caller).await?.into()))
}

/// The reviewee's reply.
#[derive(Deserialize, ToSchema)]
pub struct ReplyRequest {
    /// At most 1,000 characters.
    #[schema(required = true, nullable = false)]
    pub text: Option<String>,
}

/// The reviewee replies to a revealed review, once.
#[utoipa::path(post, path = "/api/reviews/{id}/reply", tag = "reviews", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = ReplyRequest,
    responses((status = 200, body = ReviewResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, description = "not_the_reviewee", body = ErrorBody),
              (status = 404, description = "review_not_found", body = ErrorBody),
              (status = 409, description = "already_replied / review_not_revealed", body = ErrorBody)))]
pub async fn reply_to_review(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<ReplyRequest>,
) -> Result<Json<ReviewResponse>, ApiError> {
    moderation::reply(&state.core, &caller, id, body.text.as_deref()).await?;
    Ok(Json(ReviewResponse::card(
        read::one(&state.core, &caller, id).await?,
    )))
}

/// Why a review is reported.
#[derive(Deserialize, ToSchema)]
pub struct ReportRequest {
    /// At most 1,000 characters.
    #[schema(required = true, nullable = false)]
    pub reason: Option<String>,
}

/// Whether this report is new.
#[derive(Serialize, ToSchema)]
pub struct ReportResponse {
    /// `false`: the caller had reported it already.
    pub reported: bool,
}

/// Reports a review one can see to moderation (once per member; not one's own).
#[utoipa::path(post, path = "/api/reviews/{id}/report", tag = "reviews", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = ReportRequest,
    responses((status = 201, description = "Reported", body = ReportResponse),
              (status = 200, description = "Reported before", body = ReportResponse),
              (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, description = "cannot_target_self", body = ErrorBody),
              (status = 404, description = "review_not_found", body = ErrorBody)))]
pub async fn report_review(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<ReportRequest>,
) -> Result<(StatusCode, Json<ReportResponse>), ApiError> {
    let reported = moderation::report(&state.core, &caller, id, body.reason.as_deref()).await?;
    let status = if reported {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(ReportResponse { reported })))
}

/// A staff note.
#[derive(Deserialize, ToSchema)]
pub struct ModerationRequest {
    pub note: Option<String>,
}

/// Staff hide a revealed review: it leaves the reviewee's rating and the
/// public lists; its reports are resolved; its author is told.
#[utoipa::path(post, path = "/api/admin/reviews/{id}/hide", tag = "admin", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = ModerationRequest,
    responses((status = 200, body = ReviewResponse), (status = 401, body = ErrorBody),
              (status = 403, description = "staff_only", body = ErrorBody),
              (status = 404, description = "review_not_found", body = ErrorBody),
              (status = 409, description = "invalid_transition", body = ErrorBody)))]
pub async fn hide_review(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<ModerationRequest>,
) -> Result<Json<ReviewResponse>, ApiError> {
    moderate(&state, &caller, id, StaffAction::Hide, body.note).await
}

/// Staff restore a hidden review (it counts in the rating again).
#[utoipa::path(post, path = "/api/admin/reviews/{id}/restore", tag = "admin", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = ModerationRequest,
    responses((status = 200, body = ReviewResponse), (status = 401, body = ErrorBody),
              (status = 403, description = "staff_only", body = ErrorBody),
              (status = 404, description = "review_not_found", body = ErrorBody),
              (status = 409, description = "invalid_transition", body = ErrorBody)))]
pub async fn restore_review(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<ModerationRequest>,
) -> Result<Json<ReviewResponse>, ApiError> {
    moderate(&state, &caller, id, StaffAction::Restore, body.note).await
}

async fn moderate(
    state: &AppState,
    caller: &souk_core::accounts::Authenticated,
    id: Uuid,
    action: StaffAction,
    note: Option<String>,
) -> Result<Json<ReviewResponse>, ApiError> {
    moderation::moderate(&state.core, caller, id, action, note.as_deref()).await?;
    Ok(Json(ReviewResponse::card(
        read::one(&state.core, caller, id).await?,
    )))
}
