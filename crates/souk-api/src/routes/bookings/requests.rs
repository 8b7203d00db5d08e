//! Bookings over HTTP: make one (`POST /api/bookings`), read them, move
//! them through their lifecycle (`PATCH …/status`, `accept`, `decline`,
//! `cancel`), reschedule, act on the contract an accepted one made (escrow,
//! tip), and the private calendar feed.

use axum::{
    Json,
    extract::State,
    http::{StatusCode, header},
    response::IntoResponse,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use souk_core::bookings::{
    availability, book, calendar,
    moves::{self, BookingMove},
    read::{self, BookingFilter, BookingView},
    reschedule,
};
use souk_core::i18n::Notice;
use souk_db::enums::{BookingStatus, JobStatus};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    error::{ApiError, ErrorBody},
    extract::{ApiJson, ApiQuery, Auth, IdPath, PageQuery, ReqLang, RequestKey},
    routes::{
        marketplace::jobs::parse_location,
        money::escrow::{self, FundRequest, FundResponse, TipRequest, TipResponse},
        money::views::EscrowResponse,
    },
    state::AppState,
    views::{MessageResponse, Paged},
};

/// Routes of bookings.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create_booking, list_bookings))
        .routes(routes!(get_booking))
        .routes(routes!(change_booking_status))
        .routes(routes!(accept_booking))
        .routes(routes!(decline_booking))
        .routes(routes!(cancel_booking))
        .routes(routes!(propose_reschedule))
        .routes(routes!(accept_reschedule))
        .routes(routes!(decline_reschedule))
        .routes(routes!(booking_escrow))
        .routes(routes!(fund_booking_escrow))
        .routes(routes!(tip_booking))
        .routes(routes!(make_calendar_token, revoke_calendar_token))
        .routes(routes!(calendar_feed))
}

/// A booking request.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BookingRequest {
    #[schema(required = true, nullable = false)]
    pub offering_id: Option<Uuid>,
    /// RFC 3339: one of the offering's free slots (`GET /api/offerings/{id}/slots`).
    #[schema(required = true, nullable = false)]
    pub start_at: Option<String>,
    /// ≤ 2,000 characters.
    pub notes: Option<String>,
    /// ≤ 300 characters.
    pub address: Option<String>,
    /// `{lat, lng}` (or GeoJSON `{coordinates: [lng, lat]}`).
    pub location: Option<Value>,
    /// `escrow` (default) or `cash`.
    pub payment_type: Option<String>,
}

/// A booking.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BookingResponse {
    pub id: Uuid,
    pub offering_id: Uuid,
    pub provider_id: Uuid,
    pub client_id: Uuid,
    pub status: BookingStatus,
    /// The booked job's status once accepted (on_the_way, in_progress, …).
    pub job_status: Option<JobStatus>,
    pub start_at: DateTime<Utc>,
    pub end_at: DateTime<Utc>,
    /// RFC 3339 with the provider's offset.
    pub local_start: String,
    pub local_end: String,
    /// The provider's IANA zone.
    pub time_zone: String,
    /// Minor units.
    pub price: i64,
    pub currency: String,
    pub payment_type: String,
    pub notes: Option<String>,
    pub address: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// Once accepted: the booked job and its contract (escrow, chat,
    /// reviews and disputes act on them).
    pub job_id: Option<Uuid>,
    pub contract_id: Option<Uuid>,
    pub status_reason: Option<String>,
    /// When an unanswered request expires.
    pub expires_at: DateTime<Utc>,
    /// The cancellation policy fixed when booked: free until then, later
    /// `lateCancelShareBps` of the price to the provider; a no-show
    /// `noShowShareBps`.
    pub free_cancel_until: DateTime<Utc>,
    pub late_cancel_share_bps: i32,
    pub no_show_share_bps: i32,
    /// A new start proposed by one side, waiting for the other.
    pub proposed_start_at: Option<DateTime<Utc>>,
    pub proposed_by: Option<Uuid>,
    /// Where the caller may move it next.
    pub allowed_next: Vec<BookingStatus>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<BookingView> for BookingResponse {
    fn from(v: BookingView) -> Self {
        let b = v.booking;
        let tz = availability::zone(&b.time_zone);
        Self {
            id: b.id,
            offering_id: b.offering_id,
            provider_id: b.provider_id,
            client_id: b.client_id,
            status: b.status,
            job_status: v.job_status,
            start_at: b.start_at,
            end_at: b.end_at,
            local_start: availability::local_rfc3339(tz, b.start_at),
            local_end: availability::local_rfc3339(tz, b.end_at),
            time_zone: b.time_zone,
            price: b.price,
            currency: b.currency,
            payment_type: b.payment_type,
            notes: b.notes,
            address: b.address,
            latitude: b.latitude,
            longitude: b.longitude,
            job_id: b.job_id,
            contract_id: b.contract_id,
            status_reason: b.status_reason,
            expires_at: b.expires_at,
            free_cancel_until: b.free_cancel_until,
            late_cancel_share_bps: b.late_share_bps,
            no_show_share_bps: b.no_show_share_bps,
            proposed_start_at: b.proposed_start_at,
            proposed_by: b.proposed_by,
            allowed_next: v.allowed_next,
            created_at: b.created_at,
            updated_at: b.updated_at,
        }
    }
}

/// Books an offering at one of its free slots (clients). `pending` until
/// the provider answers, or `accepted` at once for instant booking. 409
/// `slot_taken` (details: `nearest` free slots) when another booking holds
/// the time; 409 `slot_unavailable` (details: `reason`) for a start not on
/// the schedule, in the past, inside the minimum notice or beyond the horizon.
#[utoipa::path(post, path = "/api/bookings", tag = "bookings", security(("bearer" = [])),
    request_body = BookingRequest,
    responses((status = 201, body = BookingResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "slot_taken / slot_unavailable / offering_unavailable", body = ErrorBody)))]
pub async fn create_booking(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<BookingRequest>,
) -> Result<(StatusCode, Json<BookingResponse>), ApiError> {
    let location = match &body.location {
        None | Some(Value::Null) => None,
        Some(value) => Some(parse_location(value)?),
    };
    let input = book::NewBooking {
        offering: body.offering_id,
        start_at: body.start_at,
        notes: body.notes,
        address: body.address,
        location,
        payment_type: body.payment_type,
    };
    let view = book::create(&state.core, &caller, input).await?;
    Ok((StatusCode::CREATED, Json(view.into())))
}

/// Filters of the caller's bookings.
#[derive(Deserialize, ToSchema, utoipa::IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct BookingQuery {
    /// One status.
    pub status: Option<String>,
    /// `client` or `provider`: only the bookings where the caller is that.
    pub role: Option<String>,
    /// Starts on or after (`YYYY-MM-DD` or RFC 3339).
    pub from: Option<String>,
    /// Starts before (`YYYY-MM-DD` or RFC 3339).
    pub to: Option<String>,
    /// Read by the pagination extractor; listed here for the docs.
    #[allow(dead_code)]
    pub page: Option<u64>,
    #[allow(dead_code)]
    pub limit: Option<u64>,
}

/// The caller's bookings, as client or provider, soonest first.
#[utoipa::path(get, path = "/api/bookings", tag = "bookings", security(("bearer" = [])),
    params(BookingQuery),
    responses((status = 200, body = Paged<BookingResponse>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn list_bookings(
    State(state): State<AppState>,
    Auth(caller): Auth,
    PageQuery(page): PageQuery,
    ApiQuery(query): ApiQuery<BookingQuery>,
) -> Result<Json<Paged<BookingResponse>>, ApiError> {
    let filter = BookingFilter {
        status: query.status,
        role: query.role,
        from: query.from,
        to: query.to,
    };
    let found = read::mine(&state.core, &caller, filter, page).await?;
    Ok(Json(Paged::new(found, BookingResponse::from)))
}

/// One booking (its client, its provider and staff; others 404).
#[utoipa::path(get, path = "/api/bookings/{id}", tag = "bookings", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = BookingResponse), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_booking(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(id): IdPath,
) -> Result<Json<BookingResponse>, ApiError> {
    Ok(Json(read::one(&state.core, &caller, id).await?.into()))
}

/// A status change.
#[derive(Deserialize, ToSchema)]
pub struct BookingStatusRequest {
    /// Target status.
    #[schema(required = true, nullable = false)]
    pub status: Option<String>,
    /// Required to cancel an accepted booking and to dispute.
    pub reason: Option<String>,
}

/// A reason, optional.
#[derive(Deserialize, ToSchema, Default)]
pub struct ReasonRequest {
    pub reason: Option<String>,
}

async fn move_to(
    state: &AppState,
    caller: &souk_core::accounts::Authenticated,
    booking: Uuid,
    to: BookingStatus,
    reason: Option<String>,
) -> Result<Json<BookingResponse>, ApiError> {
    let ask = BookingMove {
        booking,
        to,
        reason,
    };
    Ok(Json(moves::request(&state.core, caller, ask).await?.into()))
}

/// Moves a booking through its lifecycle: the provider accepts, declines,
/// starts (`in_progress`, escrow funded), submits the work
/// (`work_submitted`) or marks a no-show after the start; the client
/// confirms (`completed`) or cancels (free until `freeCancelUntil`, then
/// the late share to the provider); either side disputes. A refused move
/// answers 409 `invalid_transition` with where the caller may go.
#[utoipa::path(patch, path = "/api/bookings/{id}/status", tag = "bookings", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = BookingStatusRequest,
    responses((status = 200, body = BookingResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "invalid_transition / escrow_not_funded / booking_not_started", body = ErrorBody)))]
pub async fn change_booking_status(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<BookingStatusRequest>,
) -> Result<Json<BookingResponse>, ApiError> {
    let to = moves::parse_target(body.status.as_deref())?;
    move_to(&state, &caller, id, to, body.reason).await
}

/// The provider accepts a pending booking: the contract is made (as for a
/// hired quote).
#[utoipa::path(post, path = "/api/bookings/{id}/accept", tag = "bookings", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = BookingResponse), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn accept_booking(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(id): IdPath,
) -> Result<Json<BookingResponse>, ApiError> {
    move_to(&state, &caller, id, BookingStatus::Accepted, None).await
}

/// The provider declines a pending booking.
#[utoipa::path(post, path = "/api/bookings/{id}/decline", tag = "bookings", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = ReasonRequest,
    responses((status = 200, body = BookingResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn decline_booking(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<ReasonRequest>,
) -> Result<Json<BookingResponse>, ApiError> {
    move_to(&state, &caller, id, BookingStatus::Declined, body.reason).await
}

/// Cancels a booking (either side; a reason once accepted) under the
/// policy fixed when it was made.
#[utoipa::path(post, path = "/api/bookings/{id}/cancel", tag = "bookings", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = ReasonRequest,
    responses((status = 200, body = BookingResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn cancel_booking(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<ReasonRequest>,
) -> Result<Json<BookingResponse>, ApiError> {
    move_to(&state, &caller, id, BookingStatus::Cancelled, body.reason).await
}

/// A new start.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RescheduleRequest {
    /// RFC 3339: a bookable slot of the offering.
    #[schema(required = true, nullable = false)]
    pub start_at: Option<String>,
}

/// Proposes a new start (either side, pending or accepted bookings); the
/// booking stays where it is until the other side accepts.
#[utoipa::path(post, path = "/api/bookings/{id}/reschedule", tag = "bookings", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = RescheduleRequest,
    responses((status = 200, body = BookingResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "slot_unavailable / invalid_transition", body = ErrorBody)))]
pub async fn propose_reschedule(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<RescheduleRequest>,
) -> Result<Json<BookingResponse>, ApiError> {
    let view = reschedule::propose(&state.core, &caller, id, body.start_at.as_deref()).await?;
    Ok(Json(view.into()))
}

/// Accepts the other side's proposed start: the booking moves there if the
/// time is still free (else 409 `slot_taken` and it stays as it was).
#[utoipa::path(post, path = "/api/bookings/{id}/reschedule/accept", tag = "bookings", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = BookingResponse), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody),
              (status = 409, description = "no_reschedule / own_reschedule / slot_taken / slot_unavailable", body = ErrorBody)))]
pub async fn accept_reschedule(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(id): IdPath,
) -> Result<Json<BookingResponse>, ApiError> {
    Ok(Json(
        reschedule::answer(&state.core, &caller, id, true)
            .await?
            .into(),
    ))
}

/// Declines the other side's proposed start; the booking stays as it was.
#[utoipa::path(post, path = "/api/bookings/{id}/reschedule/decline", tag = "bookings", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = BookingResponse), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn decline_reschedule(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(id): IdPath,
) -> Result<Json<BookingResponse>, ApiError> {
    Ok(Json(
        reschedule::answer(&state.core, &caller, id, false)
            .await?
            .into(),
    ))
}

/// The escrow of an accepted booking's contract (as `GET /api/jobs/{id}/escrow`).
#[utoipa::path(get, path = "/api/bookings/{id}/escrow", tag = "bookings", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = EscrowResponse), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, description = "no_contract", body = ErrorBody)))]
pub async fn booking_escrow(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(id): IdPath,
) -> Result<Json<EscrowResponse>, ApiError> {
    let job = read::job_of(&state.core, &caller, id).await?;
    let view = souk_core::money::escrow::view(&state.core, &caller, job).await?;
    Ok(Json(view.into()))
}

/// Funds an accepted booking's escrow with its price (the client; wallet or
/// gateway), as for a job.
#[utoipa::path(post, path = "/api/bookings/{id}/escrow/fund", tag = "bookings", security(("bearer" = [])),
    params(("id" = Uuid, Path), ("Idempotency-Key" = Option<String>, Header, description = "Same key and body: the first answer again")),
    request_body = FundRequest,
    responses((status = 200, body = FundResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "insufficient_funds / escrow_not_fundable / no_contract", body = ErrorBody),
              (status = 502, body = ErrorBody)))]
pub async fn fund_booking_escrow(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(id): IdPath,
    RequestKey(key): RequestKey,
    ApiJson(body): ApiJson<FundRequest>,
) -> Result<Json<FundResponse>, ApiError> {
    let job = read::job_of(&state.core, &caller, id).await?;
    escrow::fund(&state, &caller, job, key, body).await
}

/// Tips a booking's provider (the client, once the work is submitted or
/// completed), as for a job.
#[utoipa::path(post, path = "/api/bookings/{id}/tip", tag = "bookings", security(("bearer" = [])),
    params(("id" = Uuid, Path), ("Idempotency-Key" = Option<String>, Header, description = "Same key and body: the first answer again")),
    request_body = TipRequest,
    responses((status = 200, body = TipResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "insufficient_funds / tip_not_allowed / no_contract", body = ErrorBody),
              (status = 502, body = ErrorBody)))]
pub async fn tip_booking(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(id): IdPath,
    RequestKey(key): RequestKey,
    ApiJson(body): ApiJson<TipRequest>,
) -> Result<Json<TipResponse>, ApiError> {
    let job = read::job_of(&state.core, &caller, id).await?;
    escrow::tip(&state, &caller, job, key, body).await
}

/// A calendar feed's secret link.
#[derive(Serialize, ToSchema)]
pub struct CalendarTokenResponse {
    /// Shown once; the feed answers to it until replaced or revoked.
    pub token: String,
    /// Subscribe to this URL in Google Calendar or Apple Calendar.
    pub url: String,
}

/// Makes (or replaces) the private link of the caller's bookings calendar.
#[utoipa::path(post, path = "/api/users/me/calendar-token", tag = "bookings", security(("bearer" = [])),
    responses((status = 201, body = CalendarTokenResponse), (status = 401, body = ErrorBody)))]
pub async fn make_calendar_token(
    State(state): State<AppState>,
    Auth(caller): Auth,
) -> Result<(StatusCode, Json<CalendarTokenResponse>), ApiError> {
    let link = calendar::rotate(&state.core, &caller).await?;
    Ok((
        StatusCode::CREATED,
        Json(CalendarTokenResponse {
            token: link.token,
            url: link.url,
        }),
    ))
}

/// Revokes the caller's calendar link.
#[utoipa::path(delete, path = "/api/users/me/calendar-token", tag = "bookings", security(("bearer" = [])),
    responses((status = 200, body = MessageResponse), (status = 401, body = ErrorBody)))]
pub async fn revoke_calendar_token(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ReqLang(lang): ReqLang,
) -> Result<Json<MessageResponse>, ApiError> {
    calendar::revoke(&state.core, &caller).await?;
    Ok(Json(MessageResponse::notice(
        Notice::CalendarLinkRevoked,
        lang,
    )))
}

/// The feed's token.
#[derive(Deserialize, ToSchema, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CalendarQuery {
    /// The secret from `POST /api/users/me/calendar-token`.
    #[param(required = true)]
    pub token: Option<String>,
}

/// The private iCalendar feed of the token owner's bookings (no bearer
/// token: calendar apps send only the URL).
#[utoipa::path(get, path = "/api/users/me/calendar.ics", tag = "bookings",
    params(CalendarQuery),
    responses((status = 200, content_type = "text/calendar", body = String), (status = 401, body = ErrorBody)))]
pub async fn calendar_feed(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<CalendarQuery>,
) -> Result<impl IntoResponse, ApiError> {
    let body = calendar::feed(&state.core, query.token.as_deref()).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CACHE_CONTROL, "private, max-age=300"),
        ],
        body,
    ))
}
