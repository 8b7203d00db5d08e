//! Offerings and bookings: the provider's schedule
//! (`GET|PUT /api/users/me/schedule`), offerings (`/api/offerings`, staff
//! take-down at `/api/admin/offerings/{id}`) and their slots here; bookings
//! themselves in [`requests`].

mod requests;

pub use requests::BookingResponse;

use axum::{
    Json,
    extract::{Multipart, Path, State},
    http::StatusCode,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use souk_core::{
    ErrorCode, Lang, Settings,
    bookings::{
        offerings::{self, OfferingFilter, OfferingInput},
        schedule::{self, ScheduleView},
    },
    i18n::Notice,
};
use souk_db::{entities::offerings as rows, enums::OfferingStatus};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    error::{ApiError, ErrorBody},
    extract::{ApiJson, ApiQuery, Auth, IdPath, MaybeAuth, PageQuery, ReqLang},
    routes::users::file_field,
    state::AppState,
    views::{MessageResponse, Paged},
};

/// Routes of this feature.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_schedule, put_schedule))
        .routes(routes!(create_offering, list_offerings))
        .routes(routes!(get_offering, update_offering, delete_offering))
        .routes(routes!(remove_offering))
        .routes(routes!(offering_slots))
        .routes(routes!(add_offering_image))
        .routes(routes!(remove_offering_image))
        .merge(requests::routes())
}

/// The date range asked.
#[derive(Deserialize, ToSchema, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SlotQuery {
    /// The provider's local date, `YYYY-MM-DD`.
    #[param(required = true)]
    pub from: Option<String>,
    /// The provider's local date, at most 61 days after `from`.
    #[param(required = true)]
    pub to: Option<String>,
}

/// A free slot.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SlotBody {
    /// UTC, RFC 3339.
    pub start_at: DateTime<Utc>,
    pub end_at: DateTime<Utc>,
    /// RFC 3339 with the provider's offset at that instant.
    pub local_start: String,
    pub local_end: String,
}

/// Free slots.
#[derive(Serialize, ToSchema)]
pub struct SlotsResponse {
    pub data: Vec<SlotBody>,
}

/// The free start times of an offering between two of the provider's local
/// dates (≤ 62 days): the schedule expanded per local date (a skipped
/// daylight-saving hour yields no slot, a repeated one each real instant
/// once), stepping by the offering's duration, after the minimum notice and
/// within the booking horizon (`bookingHorizonDays`).
#[utoipa::path(get, path = "/api/offerings/{id}/slots", tag = "offerings",
    params(("id" = Uuid, Path), SlotQuery),
    responses((status = 200, body = SlotsResponse), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn offering_slots(
    State(state): State<AppState>,
    MaybeAuth(caller): MaybeAuth,
    IdPath(id): IdPath,
    ApiQuery(query): ApiQuery<SlotQuery>,
) -> Result<Json<SlotsResponse>, ApiError> {
    let found = souk_core::bookings::open_slots::slots(
        &state.core,
        caller.as_ref(),
        id,
        query.from.as_deref(),
        query.to.as_deref(),
    )
    .await?;
    Ok(Json(SlotsResponse {
        data: found
            .into_iter()
            .map(|s| SlotBody {
                start_at: s.start,
                end_at: s.end,
                local_start: s.local_start,
                local_end: s.local_end,
            })
            .collect(),
    }))
}

/// An offering as sent; on `PUT` only the fields sent change.
#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase")]
pub struct OfferingRequest {
    /// At least one title (≤ 120) and one description (≤ 5,000), in either language.
    pub title_en: Option<String>,
    pub title_ar: Option<String>,
    pub description_en: Option<String>,
    pub description_ar: Option<String>,
    /// A catalog service id or slug.
    pub category: Option<String>,
    /// Minor units.
    pub price: Option<i64>,
    /// `fixed` (default) or `hourly`.
    pub price_unit: Option<String>,
    /// 15–720.
    pub duration_minutes: Option<i64>,
    /// Up to 10, each ≤ 40 characters.
    pub tags: Option<Vec<String>>,
    pub is_visible: Option<bool>,
    /// Booked without the provider's acceptance.
    pub instant_booking: Option<bool>,
    /// Done remotely (no service area).
    pub remote: Option<bool>,
    /// 0.5–500 km around the provider (default: the provider's own radius).
    pub service_radius_km: Option<f64>,
    /// 0–240 minutes kept free after each booking.
    pub buffer_minutes: Option<i64>,
    /// 0–43,200 minutes' notice needed before a booking starts.
    pub min_notice_minutes: Option<i64>,
}

impl From<OfferingRequest> for OfferingInput {
    fn from(b: OfferingRequest) -> Self {
        Self {
            title_en: b.title_en,
            title_ar: b.title_ar,
            description_en: b.description_en,
            description_ar: b.description_ar,
            category: b.category,
            price: b.price,
            price_unit: b.price_unit,
            duration_minutes: b.duration_minutes,
            tags: b.tags,
            is_visible: b.is_visible,
            instant_booking: b.instant_booking,
            remote: b.remote,
            service_radius_km: b.service_radius_km,
            buffer_minutes: b.buffer_minutes,
            min_notice_minutes: b.min_notice_minutes,
        }
    }
}

/// An offering.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OfferingResponse {
    pub id: Uuid,
    pub provider_id: Uuid,
    /// In the request's language, the other as fallback.
    pub title: String,
    pub description: String,
    pub title_en: Option<String>,
    pub title_ar: Option<String>,
    pub description_en: Option<String>,
    pub description_ar: Option<String>,
    pub category_id: Uuid,
    pub price: i64,
    pub price_unit: String,
    pub duration_minutes: i32,
    pub tags: Vec<String>,
    pub is_visible: bool,
    pub instant_booking: bool,
    pub remote: bool,
    pub service_radius_km: Option<f64>,
    pub buffer_minutes: i32,
    pub min_notice_minutes: i32,
    pub status: OfferingStatus,
    /// Picture URLs (at most 8).
    pub images: Vec<String>,
    /// In a search near a point: how far the provider is (km); null for
    /// remote offerings and elsewhere.
    pub distance_km: Option<f64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl OfferingResponse {
    fn listed(l: offerings::Listed, lang: Lang, settings: &Settings) -> Self {
        Self {
            distance_km: l.distance_km,
            ..Self::new(l.offering, lang, settings)
        }
    }

    fn new(o: rows::Model, lang: Lang, settings: &Settings) -> Self {
        let pick = |en: &Option<String>, ar: &Option<String>| {
            let (first, second) = if lang == Lang::Ar { (ar, en) } else { (en, ar) };
            first.clone().or_else(|| second.clone()).unwrap_or_default()
        };
        let images = offerings::image_keys(&o)
            .iter()
            .map(|k| settings.file_url(k))
            .collect();
        Self {
            title: pick(&o.title_en, &o.title_ar),
            description: pick(&o.description_en, &o.description_ar),
            tags: serde_json::from_str(&o.tags).unwrap_or_default(),
            id: o.id,
            provider_id: o.provider_id,
            title_en: o.title_en,
            title_ar: o.title_ar,
            description_en: o.description_en,
            description_ar: o.description_ar,
            category_id: o.category_id,
            price: o.price,
            price_unit: o.price_unit,
            duration_minutes: o.duration_minutes,
            is_visible: o.is_visible,
            instant_booking: o.instant_booking,
            remote: o.remote,
            service_radius_km: o.service_radius_km,
            buffer_minutes: o.buffer_minutes,
            min_notice_minutes: o.min_notice_minutes,
            images,
            status: o.status,
            distance_km: None,
            created_at: o.created_at,
            updated_at: o.updated_at,
        }
    }
}

/// Publishes an offering (craftsmen; only verified ones when the platform
/// setting `offeringsRequireVerification` is on).
#[utoipa::path(post, path = "/api/offerings", tag = "offerings", security(("bearer" = [])),
    request_body = OfferingRequest,
    responses((status = 201, body = OfferingResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, description = "craftsmen_only / forbidden (verification_required)", body = ErrorBody)))]
pub async fn create_offering(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ReqLang(lang): ReqLang,
    ApiJson(body): ApiJson<OfferingRequest>,
) -> Result<(StatusCode, Json<OfferingResponse>), ApiError> {
    let saved = offerings::create(&state.core, &caller, body.into()).await?;
    Ok((
        StatusCode::CREATED,
        Json(OfferingResponse::new(saved, lang, &state.core.settings)),
    ))
}

/// Filters.
#[derive(Deserialize, ToSchema, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct OfferingQuery {
    /// Words in English or Arabic (normalised, stemmed, plumber ↔ سباك).
    pub q: Option<String>,
    /// A catalog service id or slug.
    pub category: Option<String>,
    /// One provider's offerings.
    pub provider_id: Option<Uuid>,
    /// The caller's own (hidden and archived ones too; sign-in needed).
    pub mine: Option<bool>,
    pub min_price: Option<i64>,
    pub max_price: Option<i64>,
    /// Providers rated at least this on average (1–5).
    pub min_rating: Option<f64>,
    /// `newest` (default; `relevance` with `q`, `distance` near a point),
    /// `relevance` (query words in the title count double), `distance`,
    /// `price`, `price_desc`, `rating` (the provider's Bayesian-adjusted
    /// rating, best first).
    pub sort: Option<String>,
    /// With `lng`: only offerings serving this point (remote ones, and
    /// those whose provider's service area covers it), with `distanceKm`.
    pub lat: Option<f64>,
    pub lng: Option<f64>,
    /// And whose provider is at most this far (0.1–500 km).
    pub radius_km: Option<f64>,
    /// `YYYY-MM-DD`: only offerings with a free slot on that date (the
    /// provider's local date).
    pub available_on: Option<String>,
    /// Read by the pagination extractor; listed here for the docs.
    #[allow(dead_code)]
    pub page: Option<u64>,
    #[allow(dead_code)]
    pub limit: Option<u64>,
}

/// Bookable offerings (visible, active), newest first unless sorted by
/// price; `?mine=true`: the caller's own.
#[utoipa::path(get, path = "/api/offerings", tag = "offerings",
    params(OfferingQuery),
    responses((status = 200, body = Paged<OfferingResponse>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn list_offerings(
    State(state): State<AppState>,
    MaybeAuth(caller): MaybeAuth,
    ReqLang(lang): ReqLang,
    PageQuery(page): PageQuery,
    ApiQuery(query): ApiQuery<OfferingQuery>,
) -> Result<Json<Paged<OfferingResponse>>, ApiError> {
    let filter = OfferingFilter {
        q: query.q,
        category: query.category,
        provider: query.provider_id,
        mine: query.mine.unwrap_or(false),
        min_price: query.min_price,
        max_price: query.max_price,
        min_rating: query.min_rating,
        sort: query.sort,
        lat: query.lat,
        lng: query.lng,
        radius_km: query.radius_km,
        available_on: query.available_on,
    };
    let found = offerings::list(&state.core, caller.as_ref(), filter, page).await?;
    Ok(Json(Paged::new(found, |l| {
        OfferingResponse::listed(l, lang, &state.core.settings)
    })))
}

/// One offering (hidden or archived ones: their provider and staff only).
#[utoipa::path(get, path = "/api/offerings/{id}", tag = "offerings",
    params(("id" = Uuid, Path)),
    responses((status = 200, body = OfferingResponse), (status = 404, body = ErrorBody)))]
pub async fn get_offering(
    State(state): State<AppState>,
    MaybeAuth(caller): MaybeAuth,
    ReqLang(lang): ReqLang,
    IdPath(id): IdPath,
) -> Result<Json<OfferingResponse>, ApiError> {
    let found = offerings::one(&state.core, caller.as_ref(), id).await?;
    Ok(Json(OfferingResponse::new(
        found,
        lang,
        &state.core.settings,
    )))
}

/// Changes one's offering (only the fields sent).
#[utoipa::path(put, path = "/api/offerings/{id}", tag = "offerings", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = OfferingRequest,
    responses((status = 200, body = OfferingResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "archived", body = ErrorBody)))]
pub async fn update_offering(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ReqLang(lang): ReqLang,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<OfferingRequest>,
) -> Result<Json<OfferingResponse>, ApiError> {
    let saved = offerings::update(&state.core, &caller, id, body.into()).await?;
    Ok(Json(OfferingResponse::new(
        saved,
        lang,
        &state.core.settings,
    )))
}

/// Takes one's offering down (archived: it leaves every list).
#[utoipa::path(delete, path = "/api/offerings/{id}", tag = "offerings", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = MessageResponse), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn delete_offering(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ReqLang(lang): ReqLang,
    IdPath(id): IdPath,
) -> Result<Json<MessageResponse>, ApiError> {
    offerings::archive(&state.core, &caller, id, false).await?;
    Ok(Json(MessageResponse::notice(Notice::OfferingRemoved, lang)))
}

/// Staff take any offering down (logged).
#[utoipa::path(delete, path = "/api/admin/offerings/{id}", tag = "admin", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = MessageResponse), (status = 401, body = ErrorBody),
              (status = 403, description = "staff_only", body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn remove_offering(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ReqLang(lang): ReqLang,
    IdPath(id): IdPath,
) -> Result<Json<MessageResponse>, ApiError> {
    offerings::archive(&state.core, &caller, id, true).await?;
    Ok(Json(MessageResponse::notice(Notice::OfferingRemoved, lang)))
}

/// A span of local wall time.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct IntervalDoc {
    /// `HH:MM`, local wall time.
    #[schema(example = "09:00")]
    pub start: String,
    /// `HH:MM` after `start` (`24:00`: midnight at the day's end).
    #[schema(example = "17:00")]
    pub end: String,
}

/// Hours on one weekday, every week.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct WeeklyDoc {
    /// `mon` … `sun`.
    #[schema(example = "mon")]
    pub day: String,
    pub start: String,
    pub end: String,
}

/// Other hours on one local date (none: closed that day).
#[derive(Serialize, Deserialize, ToSchema)]
pub struct OverrideDoc {
    /// `YYYY-MM-DD`, the provider's local date.
    #[schema(example = "2027-03-14")]
    pub date: String,
    pub intervals: Vec<IntervalDoc>,
}

/// Time off, as instants.
#[derive(Serialize, Deserialize, ToSchema)]
pub struct TimeOffDoc {
    /// RFC 3339.
    pub from: String,
    pub to: String,
}

/// A provider's schedule: an IANA zone and local wall time, expanded per
/// local date (daylight saving never shifts the hours).
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScheduleDoc {
    /// IANA time zone.
    #[schema(example = "Africa/Cairo")]
    pub time_zone: String,
    pub weekly: Vec<WeeklyDoc>,
    pub overrides: Vec<OverrideDoc>,
    pub time_off: Vec<TimeOffDoc>,
}

/// The schedule as stored.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ScheduleResponse {
    #[serde(flatten)]
    #[schema(inline)]
    pub schedule: ScheduleDoc,
    /// False until the provider first saves one (UTC, no hours).
    pub configured: bool,
}

fn answer(view: ScheduleView) -> Result<Json<ScheduleResponse>, ApiError> {
    let schedule: ScheduleDoc = serde_json::from_value(view.schedule.to_json())
        .map_err(|e| ApiError(souk_core::Error::Internal(e.into())))?;
    Ok(Json(ScheduleResponse {
        schedule,
        configured: view.configured,
    }))
}

/// The caller's schedule (craftsmen).
#[utoipa::path(get, path = "/api/users/me/schedule", tag = "users", security(("bearer" = [])),
    responses((status = 200, body = ScheduleResponse), (status = 401, body = ErrorBody),
              (status = 403, description = "craftsmen_only", body = ErrorBody)))]
pub async fn get_schedule(
    State(state): State<AppState>,
    Auth(caller): Auth,
) -> Result<Json<ScheduleResponse>, ApiError> {
    answer(schedule::get(&state.core, &caller).await?)
}

/// Replaces the caller's schedule (craftsmen): the IANA zone, weekly hours
/// (several intervals a day), date overrides (no intervals: closed) and
/// time off. A problem is 400 naming its field (`weekly[2].end`, …) and
/// nothing is stored.
#[utoipa::path(put, path = "/api/users/me/schedule", tag = "users", security(("bearer" = [])),
    request_body = ScheduleDoc,
    responses((status = 200, body = ScheduleResponse), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, description = "craftsmen_only", body = ErrorBody)))]
pub async fn put_schedule(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<serde_json::Value>,
) -> Result<Json<ScheduleResponse>, ApiError> {
    answer(schedule::put(&state.core, &caller, &body).await?)
}

/// Multipart offering picture.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct OfferingImageUpload {
    /// JPEG, PNG, GIF or WebP (recognised from the bytes), ≤ 5 MB; stored
    /// at most 1600 px on a side.
    #[schema(format = Binary, content_media_type = "application/octet-stream")]
    image: String,
}

/// Adds a picture to an offering (its provider; at most 8).
#[utoipa::path(post, path = "/api/offerings/{id}/images", tag = "offerings", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    request_body(content = OfferingImageUpload, content_type = "multipart/form-data"),
    responses((status = 201, body = OfferingResponse),
              (status = 400, description = "missing_file / unsupported_image", body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "portfolio_full (8 images)", body = ErrorBody),
              (status = 413, body = ErrorBody)))]
pub async fn add_offering_image(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ReqLang(lang): ReqLang,
    IdPath(id): IdPath,
    mut multipart: Multipart,
) -> Result<(StatusCode, Json<OfferingResponse>), ApiError> {
    let bytes = file_field(&mut multipart, "image").await?;
    let saved = offerings::add_image(&state.core, &caller, id, bytes).await?;
    Ok((
        StatusCode::CREATED,
        Json(OfferingResponse::new(saved, lang, &state.core.settings)),
    ))
}

/// Removes an offering's picture by its position in `images` (its provider).
#[utoipa::path(delete, path = "/api/offerings/{id}/images/{index}", tag = "offerings", security(("bearer" = [])),
    params(("id" = Uuid, Path), ("index" = u32, Path, description = "0-based position in `images`")),
    responses((status = 200, body = OfferingResponse), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn remove_offering_image(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ReqLang(lang): ReqLang,
    Path((id, index)): Path<(String, String)>,
) -> Result<Json<OfferingResponse>, ApiError> {
    let id = Uuid::parse_str(&id).map_err(|_| ApiError::code(ErrorCode::InvalidId))?;
    let index: usize = index
        .parse()
        .map_err(|_| ApiError::code(ErrorCode::NotFound))?;
    let saved = offerings::remove_image(&state.core, &caller, id, index).await?;
    Ok(Json(OfferingResponse::new(
        saved,
        lang,
        &state.core.settings,
    )))
}
