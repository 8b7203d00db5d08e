//! `/api/users/me/notification-preferences` (category × channel, quiet
//! hours) and one-click unsubscribe from emails
//! (`/api/notifications/unsubscribe?token=`, RFC 8058).

use std::collections::BTreeMap;

use axum::{
    Json,
    extract::State,
    response::{Html, IntoResponse},
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use souk_core::delivery::{
    preferences::{self, CRITICAL, Preferences, Switches},
    unsubscribe,
};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    error::{ApiError, ErrorBody},
    extract::{ApiJson, ApiQuery, Auth},
    state::AppState,
};

/// Routes of this feature.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_preferences, put_preferences))
        .routes(routes!(unsubscribe_page, unsubscribe_now))
}

/// One category's channels.
#[derive(Serialize, Deserialize, ToSchema, Clone, Copy)]
#[serde(rename_all = "camelCase")]
pub struct ChannelSwitches {
    pub in_app: bool,
    pub push: bool,
    pub email: bool,
}

impl From<Switches> for ChannelSwitches {
    fn from(s: Switches) -> Self {
        Self {
            in_app: s.in_app,
            push: s.push,
            email: s.email,
        }
    }
}

/// Push and email wait from `start` to `end`, local time.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct QuietHoursBody {
    /// `HH:MM`.
    pub start: String,
    /// `HH:MM` (before `start`: the quiet spans midnight).
    pub end: String,
    /// IANA time zone (`Africa/Cairo`).
    pub time_zone: String,
}

/// A user's notification preferences.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PreferencesResponse {
    /// jobs | quotes | invitations | messages | payments | reviews | disputes | bookings | tasks | account | announcements
    pub categories: BTreeMap<String, ChannelSwitches>,
    pub quiet_hours: Option<QuietHoursBody>,
    /// Categories that cannot be switched off (nor held by quiet hours).
    pub critical: Vec<String>,
}

impl From<Preferences> for PreferencesResponse {
    fn from(p: Preferences) -> Self {
        Self {
            categories: p
                .categories
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v.into()))
                .collect(),
            quiet_hours: p.quiet_hours.map(|q| QuietHoursBody {
                start: q.start,
                end: q.end,
                time_zone: q.time_zone,
            }),
            critical: CRITICAL.iter().map(|c| (*c).to_owned()).collect(),
        }
    }
}

/// A category's channels to change (only those sent).
/// (Documents the body; the handler reads it as JSON to tell absent from null.)
#[allow(dead_code)]
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ChannelPatch {
    pub in_app: Option<bool>,
    pub push: Option<bool>,
    pub email: Option<bool>,
}

/// What to change: only what is sent (`quietHours: null` clears them).
#[allow(dead_code)]
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PreferencesUpdate {
    /// Category → channels.
    pub categories: Option<BTreeMap<String, ChannelPatch>>,
    pub quiet_hours: Option<QuietHoursBody>,
}

/// The caller's preferences (defaults until changed).
#[utoipa::path(get, path = "/api/users/me/notification-preferences", tag = "notifications", security(("bearer" = [])),
    responses((status = 200, body = PreferencesResponse), (status = 401, body = ErrorBody)))]
pub async fn get_preferences(
    State(state): State<AppState>,
    Auth(caller): Auth,
) -> Result<Json<PreferencesResponse>, ApiError> {
    Ok(Json(
        preferences::get(&state.core, caller.user.id).await?.into(),
    ))
}

/// Changes what is sent; `account` and `payments` cannot be switched off.
#[utoipa::path(put, path = "/api/users/me/notification-preferences", tag = "notifications", security(("bearer" = [])),
    request_body = PreferencesUpdate,
    responses((status = 200, body = PreferencesResponse), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody)))]
pub async fn put_preferences(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<Value>,
) -> Result<Json<PreferencesResponse>, ApiError> {
    Ok(Json(
        preferences::update(&state.core, caller.user.id, &body)
            .await?
            .into(),
    ))
}

/// The link's token.
#[derive(Deserialize, ToSchema, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UnsubscribeQuery {
    #[param(required = true, nullable = false)]
    pub token: Option<String>,
}

/// RFC 8058's one-click body (`List-Unsubscribe=One-Click`).
/// (Documents the body; the token in the URL is what counts.)
#[allow(dead_code)]
#[derive(Deserialize, ToSchema)]
pub struct OneClickForm {
    #[serde(rename = "List-Unsubscribe")]
    pub list_unsubscribe: Option<String>,
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The page an email's unsubscribe link opens: it asks before switching
/// anything off (link scanners follow links; only the POST acts).
#[utoipa::path(get, path = "/api/notifications/unsubscribe", tag = "notifications", params(UnsubscribeQuery),
    responses((status = 200, description = "An HTML page with a one-button form", content_type = "text/html"),
              (status = 400, body = ErrorBody)))]
pub async fn unsubscribe_page(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<UnsubscribeQuery>,
) -> Result<Html<String>, ApiError> {
    let token = query.token.unwrap_or_default();
    let (_, category) = unsubscribe::check(&state.core, &token)?;
    Ok(Html(format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>Unsubscribe</title></head>\
         <body><form method=\"post\" action=\"?token={}\">\
         <p>Stop emails about <b>{category}</b> from Souk? / إيقاف رسائل البريد الإلكتروني؟</p>\
         <input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\">\
         <button type=\"submit\">Unsubscribe / إلغاء الاشتراك</button></form></body></html>",
        escape(&token)
    )))
}

/// One-click unsubscribe: switches the link's category email off.
#[utoipa::path(post, path = "/api/notifications/unsubscribe", tag = "notifications", params(UnsubscribeQuery),
    request_body(content = OneClickForm, content_type = "application/x-www-form-urlencoded"),
    responses((status = 200, description = "Unsubscribed (an HTML page)", content_type = "text/html"),
              (status = 400, body = ErrorBody)))]
pub async fn unsubscribe_now(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<UnsubscribeQuery>,
) -> Result<impl IntoResponse, ApiError> {
    let category = unsubscribe::apply(&state.core, &query.token.unwrap_or_default()).await?;
    Ok(Html(format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>Unsubscribed</title></head>\
         <body><p>You will no longer get emails about <b>{category}</b>. \
         لن تصلك رسائل بريد إلكتروني عن هذا بعد الآن.</p></body></html>"
    )))
}
