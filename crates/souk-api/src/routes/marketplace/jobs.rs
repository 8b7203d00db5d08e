//! `/api/jobs`: post (JSON or multipart with photos), browse, view, edit,
//! cancel, move through the lifecycle; staff force-delete.

use axum::{
    Json,
    body::Bytes,
    extract::{FromRequest, Multipart, Request, State},
    http::{StatusCode, header},
};
use serde::Deserialize;
use serde_json::Value;
use souk_core::{
    Error, ErrorCode, FieldErrors, FieldIssue,
    i18n::Notice,
    marketplace::{browse, jobs, transitions},
};
use utoipa::ToSchema;

use super::views::JobResponse;
use crate::{
    error::{ApiError, ErrorBody},
    extract::{ApiJson, ApiQuery, Auth, IdPath, PageQuery, ReqLang, parse_json},
    state::AppState,
    views::{MessageResponse, Paged},
};

/// A job to post or the fields to change.
#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase")]
pub struct JobRequest {
    pub title: Option<String>,
    pub description: Option<String>,
    /// A catalog service id or slug.
    pub category: Option<String>,
    pub address: Option<String>,
    /// `{lat, lng}` or GeoJSON `{type: "Point", coordinates: [lng, lat]}`.
    #[schema(value_type = Option<Object>)]
    pub location: Option<Value>,
    /// Minor units.
    pub budget_min: Option<i64>,
    pub budget_max: Option<i64>,
    /// escrow (default) | cash | cash_protected
    pub payment_type: Option<String>,
    /// RFC 3339 or YYYY-MM-DD, today or later.
    pub desired_date: Option<String>,
}

/// The multipart form of a job: the same fields as text parts (`location` as
/// JSON text, or `lat` and `lng`), plus up to 5 `photos` files.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct JobMultipart {
    title: String,
    description: String,
    category: String,
    address: Option<String>,
    lat: Option<f64>,
    lng: Option<f64>,
    budget_min: Option<i64>,
    budget_max: Option<i64>,
    payment_type: Option<String>,
    desired_date: Option<String>,
    #[schema(format = Binary, content_media_type = "application/octet-stream")]
    photos: Vec<String>,
}

pub(crate) fn parse_location(value: &Value) -> Result<(f64, f64), Error> {
    let invalid = || Error::Validation(FieldErrors::single("location", FieldIssue::Invalid));
    if let Some(coords) = value.get("coordinates").and_then(Value::as_array) {
        let lng = coords.first().and_then(Value::as_f64).ok_or_else(invalid)?;
        let lat = coords.get(1).and_then(Value::as_f64).ok_or_else(invalid)?;
        return Ok((lat, lng));
    }
    let lat = value
        .get("lat")
        .and_then(Value::as_f64)
        .ok_or_else(invalid)?;
    let lng = value
        .get("lng")
        .or_else(|| value.get("lon"))
        .and_then(Value::as_f64)
        .ok_or_else(invalid)?;
    Ok((lat, lng))
}

fn into_input(body: JobRequest, photos: Vec<Bytes>) -> Result<jobs::JobInput, Error> {
    let location = match &body.location {
        None | Some(Value::Null) => None,
        Some(value) => Some(parse_location(value)?),
    };
    Ok(jobs::JobInput {
        title: body.title,
        description: body.description,
        category: body.category,
        address: body.address,
        location,
        budget_min: body.budget_min,
        budget_max: body.budget_max,
        payment_type: body.payment_type,
        desired_date: body.desired_date,
        photos,
    })
}

fn number<T: std::str::FromStr>(errors: &mut FieldErrors, field: &str, text: &str) -> Option<T> {
    let parsed = text.trim().parse().ok();
    if parsed.is_none() {
        errors.add(field, FieldIssue::InvalidType("a number".into()));
    }
    parsed
}

async fn read_multipart(mut multipart: Multipart) -> Result<(JobRequest, Vec<Bytes>), ApiError> {
    let mut body = JobRequest::default();
    let mut photos = Vec::new();
    let mut errors = FieldErrors::new();
    let (mut lat, mut lng) = (None::<f64>, None::<f64>);
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(err) if err.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                return Err(ApiError::code(ErrorCode::PayloadTooLarge));
            }
            Err(_) => return Err(ApiError::code(ErrorCode::InvalidJson)),
        };
        let name = field.name().unwrap_or_default().to_owned();
        if name == "photos" || name == "photos[]" {
            let bytes = field.bytes().await.map_err(|e| {
                if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    ApiError::code(ErrorCode::PayloadTooLarge)
                } else {
                    ApiError::code(ErrorCode::MissingFile)
                }
            })?;
            if !bytes.is_empty() {
                photos.push(bytes);
            }
            continue;
        }
        let text = field
            .text()
            .await
            .map_err(|_| ApiError::code(ErrorCode::InvalidJson))?;
        if text.contains('\0') {
            errors.add(name.clone(), FieldIssue::NulByte);
            continue;
        }
        match name.as_str() {
            "title" => body.title = Some(text),
            "description" => body.description = Some(text),
            "category" => body.category = Some(text),
            "address" => body.address = Some(text),
            "paymentType" => body.payment_type = Some(text),
            "desiredDate" => body.desired_date = Some(text),
            "budgetMin" => body.budget_min = number(&mut errors, "budgetMin", &text),
            "budgetMax" => body.budget_max = number(&mut errors, "budgetMax", &text),
            "lat" => lat = number(&mut errors, "lat", &text),
            "lng" => lng = number(&mut errors, "lng", &text),
            "location" => match serde_json::from_str::<Value>(&text) {
                Ok(value) => body.location = Some(value),
                Err(_) => errors.add("location", FieldIssue::Invalid),
            },
            _ => {}
        }
    }
    if let (Some(lat), Some(lng)) = (lat, lng) {
        body.location = Some(serde_json::json!({ "lat": lat, "lng": lng }));
    }
    errors.into_result()?;
    Ok((body, photos))
}

async fn read_job_body(request: Request) -> Result<jobs::JobInput, ApiError> {
    let is_multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if is_multipart {
        let multipart = Multipart::from_request(request, &())
            .await
            .map_err(|_| ApiError::code(ErrorCode::MissingFile))?;
        let (body, photos) = read_multipart(multipart).await?;
        Ok(into_input(body, photos)?)
    } else {
        let ApiJson(body) = ApiJson::<JobRequest>::from_request(request, &()).await?;
        Ok(into_input(body, Vec::new())?)
    }
}

/// Posts a job (clients only).
#[utoipa::path(post, path = "/api/jobs", tag = "jobs", security(("bearer" = [])),
    request_body(content(
        (JobRequest = "application/json"),
        (JobMultipart = "multipart/form-data"),
    )),
    responses((status = 201, body = JobResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, description = "clients_only", body = ErrorBody), (status = 413, body = ErrorBody)))]
pub async fn create_job(
    State(state): State<AppState>,
    Auth(caller): Auth,
    request: Request,
) -> Result<(StatusCode, Json<JobResponse>), ApiError> {
    let input = read_job_body(request).await?;
    let job = jobs::create(&state.core, &caller, input).await?;
    Ok((
        StatusCode::CREATED,
        Json(JobResponse::new(job, &state.core.settings)),
    ))
}

/// Job search filters.
#[derive(Deserialize, ToSchema, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct JobQuery {
    /// Catalog id or slug.
    pub category: Option<String>,
    /// Words in English or Arabic (normalized; "سباك" finds "سبّاك"; plumber ↔ سباك).
    pub q: Option<String>,
    pub status: Option<String>,
    pub lat: Option<f64>,
    pub lng: Option<f64>,
    /// Default 25 when lat/lng are given.
    pub radius_km: Option<f64>,
    pub min_budget: Option<i64>,
    pub max_budget: Option<i64>,
    /// Craftsmen: jobs they are hired on.
    pub mine: Option<bool>,
    /// newest (default) | budget | distance
    pub sort: Option<String>,
    /// Read by the pagination extractor; listed here for the docs.
    #[allow(dead_code)]
    pub page: Option<u64>,
    #[allow(dead_code)]
    pub limit: Option<u64>,
}

/// Browses jobs: craftsmen see open jobs, clients their own, staff all.
#[utoipa::path(get, path = "/api/jobs", tag = "jobs", security(("bearer" = [])), params(JobQuery),
    responses((status = 200, body = Paged<JobResponse>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn list_jobs(
    State(state): State<AppState>,
    Auth(caller): Auth,
    PageQuery(page): PageQuery,
    ApiQuery(query): ApiQuery<JobQuery>,
) -> Result<Json<Paged<JobResponse>>, ApiError> {
    let filters = browse::JobFilters {
        category: query.category,
        q: query.q,
        status: query.status,
        lat: query.lat,
        lng: query.lng,
        radius_km: query.radius_km,
        min_budget: query.min_budget,
        max_budget: query.max_budget,
        mine: query.mine.unwrap_or(false),
        sort: query.sort,
    };
    let found = browse::browse(&state.core, &caller, filters, page).await?;
    let settings = &state.core.settings;
    Ok(Json(Paged::new(found, |f| JobResponse::found(f, settings))))
}

/// One job (its parties and staff; craftsmen while it is open).
#[utoipa::path(get, path = "/api/jobs/{jobId}", tag = "jobs", security(("bearer" = [])),
    params(("jobId" = uuid::Uuid, Path)),
    responses((status = 200, body = JobResponse), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
pub async fn get_job(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(id): IdPath,
) -> Result<Json<JobResponse>, ApiError> {
    let view = jobs::view(&state.core, &caller, id).await?;
    let mut response = JobResponse::new(view.job, &state.core.settings);
    response.contract = view.contract.map(Into::into);
    Ok(Json(response))
}

/// Edits a job (owner, while posted or quoted; absent fields unchanged).
#[utoipa::path(put, path = "/api/jobs/{jobId}", tag = "jobs", security(("bearer" = [])),
    params(("jobId" = uuid::Uuid, Path)),
    request_body(content((JobRequest = "application/json"), (JobMultipart = "multipart/form-data"))),
    responses((status = 200, body = JobResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "job_not_editable", body = ErrorBody)))]
pub async fn update_job(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(id): IdPath,
    request: Request,
) -> Result<Json<JobResponse>, ApiError> {
    let input = read_job_body(request).await?;
    let job = jobs::update(&state.core, &caller, id, input).await?;
    Ok(Json(JobResponse::new(job, &state.core.settings)))
}

/// Optional reason for a cancellation or status change.
#[derive(Deserialize, ToSchema, Default)]
pub struct ReasonRequest {
    pub reason: Option<String>,
}

fn optional_body<T: serde::de::DeserializeOwned + Default>(raw: &Bytes) -> Result<T, Error> {
    if raw.iter().all(u8::is_ascii_whitespace) {
        Ok(T::default())
    } else {
        parse_json(raw)
    }
}

/// Cancels an open job (owner or staff); quoting craftsmen are told.
#[utoipa::path(delete, path = "/api/jobs/{jobId}", tag = "jobs", security(("bearer" = [])),
    params(("jobId" = uuid::Uuid, Path)), request_body(content = Option<ReasonRequest>, description = "Optional"),
    responses((status = 200, body = JobResponse), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn delete_job(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(id): IdPath,
    raw: Bytes,
) -> Result<Json<JobResponse>, ApiError> {
    let body: ReasonRequest = optional_body(&raw)?;
    let job = transitions::cancel_open(&state.core, &caller, id, body.reason).await?;
    Ok(Json(JobResponse::new(job, &state.core.settings)))
}

/// A status change.
#[derive(Deserialize, ToSchema)]
pub struct StatusRequest {
    /// Target status (snake_case, or seed spellings like "On The Way").
    #[schema(required = true, nullable = false)]
    pub status: Option<String>,
    /// Required to cancel after hire, to dispute, and to send work back.
    pub reason: Option<String>,
}

/// Moves a job through its lifecycle. A refused move answers 409 with the
/// allowed next states in `details.allowed`.
#[utoipa::path(patch, path = "/api/jobs/{jobId}/status", tag = "jobs", security(("bearer" = [])),
    params(("jobId" = uuid::Uuid, Path)), request_body = StatusRequest,
    responses((status = 200, body = JobResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "invalid_transition (details: from, to, allowed)", body = ErrorBody)))]
pub async fn change_job_status(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<StatusRequest>,
) -> Result<Json<JobResponse>, ApiError> {
    let job = souk_core::disputes::by_job::change_status(
        &state.core,
        &caller,
        id,
        body.status.as_deref(),
        body.reason,
    )
    .await?;
    Ok(Json(JobResponse::new(job, &state.core.settings)))
}

/// The assigned craftsman submits the work for approval.
#[utoipa::path(post, path = "/api/jobs/{jobId}/submit", tag = "jobs", security(("bearer" = [])),
    params(("jobId" = uuid::Uuid, Path)),
    responses((status = 200, body = JobResponse), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn submit_job(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(id): IdPath,
) -> Result<Json<JobResponse>, ApiError> {
    let job = transitions::submit_work(&state.core, &caller, id).await?;
    Ok(Json(JobResponse::new(job, &state.core.settings)))
}

/// The client approves submitted work: the job is completed.
#[utoipa::path(post, path = "/api/jobs/{jobId}/approve", tag = "jobs", security(("bearer" = [])),
    params(("jobId" = uuid::Uuid, Path)),
    responses((status = 200, body = JobResponse), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn approve_job(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(id): IdPath,
) -> Result<Json<JobResponse>, ApiError> {
    let job = transitions::approve(&state.core, &caller, id).await?;
    Ok(Json(JobResponse::new(job, &state.core.settings)))
}

/// Removes a job with its quotes, invitations and contract (staff).
#[utoipa::path(delete, path = "/api/admin/jobs/{jobId}", tag = "admin", security(("bearer" = [])),
    params(("jobId" = uuid::Uuid, Path)),
    responses((status = 200, body = MessageResponse), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
              (status = 404, body = ErrorBody)))]
pub async fn force_delete_job(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    Auth(caller): Auth,
    IdPath(id): IdPath,
) -> Result<Json<MessageResponse>, ApiError> {
    jobs::force_delete(&state.core, &caller, id).await?;
    Ok(Json(MessageResponse::notice(Notice::JobDeleted, lang)))
}
