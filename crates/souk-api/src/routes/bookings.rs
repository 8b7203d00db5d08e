//! Offerings and bookings (issue 17), starting with the provider's
//! schedule: `GET|PUT /api/users/me/schedule`.

use axum::{Json, extract::State};
use serde::{Deserialize, Serialize};
use souk_core::bookings::schedule::{self, ScheduleView};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    error::{ApiError, ErrorBody},
    extract::{ApiJson, Auth},
    state::AppState,
};

/// Routes of this feature.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_schedule, put_schedule))
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
