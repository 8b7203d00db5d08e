//! `/api/disputes`: opening, evidence and files, withdrawal, settlement
//! proposals; staff work the queue under `/api/admin/disputes`.

mod admin;
pub mod views;

use axum::{
    Json,
    extract::{DefaultBodyLimit, FromRequest, Multipart, Path, Request, State},
    http::{StatusCode, header},
    response::Response,
};
use serde::Deserialize;
use souk_core::{
    ErrorCode, FieldErrors, FieldIssue,
    accounts::Authenticated,
    chat::attachments::{MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, Upload},
    disputes::{
        evidence::{self, Evidence},
        open::{self, OpenDispute},
        read, settle,
    },
};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use self::views::{DisputeResponse, DisputeSummary};
use crate::{
    error::{ApiError, ErrorBody},
    extract::{ApiJson, Auth, IdPath, PageQuery},
    routes::{chat::attachments::private_file, users::multipart_error},
    state::AppState,
    views::Paged,
};

/// Routes of this feature.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(open_dispute, my_disputes))
        .routes(routes!(get_dispute))
        .routes(routes!(add_evidence))
        .routes(routes!(download_dispute_file))
        .routes(routes!(withdraw_dispute))
        .routes(routes!(propose_settlement))
        .routes(routes!(accept_settlement))
        .routes(routes!(decline_settlement))
        .merge(admin::routes())
        .layer(DefaultBodyLimit::max(
            MAX_ATTACHMENTS * MAX_ATTACHMENT_BYTES + 256 * 1024,
        ))
}

/// The full dispute as the caller may see it.
pub(crate) async fn answer(
    state: &AppState,
    caller: &Authenticated,
    id: Uuid,
) -> Result<Json<DisputeResponse>, ApiError> {
    let detail = read::one(&state.core, caller, id).await?;
    Ok(Json(DisputeResponse::new(detail, state.core.clock.now())))
}

/// A dispute.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OpenDisputeRequest {
    /// The contract disputed (or give its `jobId`, or the `bookingId` that made it).
    pub contract_id: Option<Uuid>,
    pub job_id: Option<Uuid>,
    pub booking_id: Option<Uuid>,
    /// `not_delivered`, `poor_quality`, `no_show`, `payment` or `other`.
    #[schema(required = true, nullable = false)]
    pub reason: Option<String>,
    /// At most 4,000 characters.
    #[schema(required = true, nullable = false)]
    pub description: Option<String>,
}

/// Either party opens a dispute on a hired contract before completion:
/// the job moves to `disputed`, the escrow freezes, automatic approval
/// stops, and the other party has until `responseDueAt` (72 hours by
/// default) to respond.
#[utoipa::path(post, path = "/api/disputes", tag = "disputes", security(("bearer" = [])),
    request_body = OpenDisputeRequest,
    responses((status = 201, body = DisputeResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, description = "not_a_party / forbidden (staff)", body = ErrorBody),
              (status = 404, description = "contract_not_found / job_not_found", body = ErrorBody),
              (status = 409, description = "dispute_not_allowed / no_contract", body = ErrorBody)))]
pub async fn open_dispute(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<OpenDisputeRequest>,
) -> Result<(StatusCode, Json<DisputeResponse>), ApiError> {
    let job = souk_core::bookings::read::named_job(
        &state.core,
        &caller,
        body.job_id,
        body.contract_id,
        body.booking_id,
    )
    .await?;
    let input = OpenDispute {
        contract: body.contract_id,
        job,
        reason: body.reason,
        description: body.description,
        via_job_status: false,
    };
    let (dispute, _) = open::open(&state.core, &caller, input).await?;
    Ok((
        StatusCode::CREATED,
        answer(&state, &caller, dispute.id).await?,
    ))
}

/// Paging.
#[derive(Deserialize, ToSchema, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DisputePageQuery {
    /// Read by the pagination extractor; listed here for the docs.
    #[allow(dead_code)]
    pub page: Option<u64>,
    #[allow(dead_code)]
    pub limit: Option<u64>,
}

/// The caller's disputes (either side), newest first.
#[utoipa::path(get, path = "/api/disputes", tag = "disputes", security(("bearer" = [])),
    params(DisputePageQuery),
    responses((status = 200, body = Paged<DisputeSummary>), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn my_disputes(
    State(state): State<AppState>,
    Auth(caller): Auth,
    PageQuery(page): PageQuery,
) -> Result<Json<Paged<DisputeSummary>>, ApiError> {
    let found = read::mine(&state.core, &caller, page).await?;
    let now = state.core.clock.now();
    Ok(Json(Paged::new(found, |d| DisputeSummary::new(d, now))))
}

/// A dispute with its timeline, files and escrow: its parties and staff
/// (anyone else 404).
#[utoipa::path(get, path = "/api/disputes/{id}", tag = "disputes", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = DisputeResponse), (status = 401, body = ErrorBody),
              (status = 404, description = "dispute_not_found", body = ErrorBody)))]
pub async fn get_dispute(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(id): IdPath,
) -> Result<Json<DisputeResponse>, ApiError> {
    answer(&state, &caller, id).await
}

/// A statement.
#[derive(Deserialize, ToSchema, Default)]
pub struct EvidenceRequest {
    /// At most 4,000 characters.
    pub text: Option<String>,
}

/// The multipart form of evidence: `text`, and up to 5 files (any part
/// with a file name; images or PDF, ≤ 10 MB each).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct EvidenceMultipart {
    text: Option<String>,
    #[schema(format = Binary, content_media_type = "application/octet-stream")]
    files: Vec<String>,
}

async fn read_evidence(request: Request) -> Result<Evidence, ApiError> {
    let is_multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if !is_multipart {
        let ApiJson(body) = ApiJson::<EvidenceRequest>::from_request(request, &()).await?;
        return Ok(Evidence {
            text: body.text,
            files: Vec::new(),
        });
    }
    let mut multipart = Multipart::from_request(request, &())
        .await
        .map_err(|_| ApiError::code(ErrorCode::MissingFile))?;
    let mut evidence = Evidence::default();
    let mut errors = FieldErrors::new();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(err) => return Err(multipart_error(err.status())),
        };
        let name = field.name().unwrap_or_default().to_owned();
        if let Some(file_name) = field.file_name().map(str::to_owned) {
            let content_type = field.content_type().map(str::to_owned);
            let bytes = field
                .bytes()
                .await
                .map_err(|e| multipart_error(e.status()))?;
            evidence.files.push(Upload {
                bytes,
                name: Some(file_name),
                content_type,
            });
            continue;
        }
        let text = field
            .text()
            .await
            .map_err(|_| ApiError::code(ErrorCode::InvalidJson))?;
        if text.contains('\0') {
            errors.add(name, FieldIssue::NulByte);
        } else if name == "text" {
            evidence.text = Some(text);
        }
    }
    errors.into_result()?;
    Ok(evidence)
}

/// A party (or staff) adds a statement and files to the timeline, as JSON
/// `{text}` or multipart. The other party's first word is their response.
/// Files that are not images or PDFs, or not what they claim, are refused
/// (400 `unsupported_file`) with nothing stored.
#[utoipa::path(post, path = "/api/disputes/{id}/evidence", tag = "disputes", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    request_body(content(
        (EvidenceRequest = "application/json"),
        (EvidenceMultipart = "multipart/form-data"),
    )),
    responses((status = 200, body = DisputeResponse),
              (status = 400, description = "validation_failed / unsupported_file", body = ErrorBody),
              (status = 401, body = ErrorBody),
              (status = 404, description = "dispute_not_found", body = ErrorBody),
              (status = 409, description = "dispute_closed", body = ErrorBody), (status = 413, body = ErrorBody)))]
pub async fn add_evidence(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(id): IdPath,
    request: Request,
) -> Result<Json<DisputeResponse>, ApiError> {
    let evidence = read_evidence(request).await?;
    evidence::add(&state.core, &caller, id, evidence).await?;
    answer(&state, &caller, id).await
}

/// Downloads an evidence file: the parties and staff (staff downloads are
/// in the activity log).
#[utoipa::path(get, path = "/api/disputes/{id}/files/{fileId}", tag = "disputes", security(("bearer" = [])),
    params(("id" = Uuid, Path), ("fileId" = Uuid, Path)),
    responses((status = 200, description = "The file", content_type = "application/octet-stream"),
              (status = 401, body = ErrorBody),
              (status = 404, description = "dispute_not_found / dispute_file_not_found", body = ErrorBody)))]
pub async fn download_dispute_file(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path((id, file)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let (id, file) = two_ids(&id, &file)?;
    let (row, stored) = evidence::download(&state.core, &caller, id, file).await?;
    Ok(private_file(stored.bytes, &row.content_type, &row.name))
}

/// Two path ids, or 404 `invalid_id`.
fn two_ids(first: &str, second: &str) -> Result<(Uuid, Uuid), ApiError> {
    match (
        Uuid::parse_str(first.trim()),
        Uuid::parse_str(second.trim()),
    ) {
        (Ok(a), Ok(b)) => Ok((a, b)),
        _ => Err(ApiError::code(ErrorCode::InvalidId)),
    }
}

/// A note.
#[derive(Deserialize, ToSchema)]
pub struct NoteRequest {
    pub note: Option<String>,
}

/// The opener withdraws the dispute: the job returns to the status it had
/// and the escrow is held again.
#[utoipa::path(post, path = "/api/disputes/{id}/withdraw", tag = "disputes", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = NoteRequest,
    responses((status = 200, body = DisputeResponse), (status = 401, body = ErrorBody),
              (status = 403, description = "not_the_opener", body = ErrorBody),
              (status = 404, description = "dispute_not_found", body = ErrorBody),
              (status = 409, description = "dispute_closed", body = ErrorBody)))]
pub async fn withdraw_dispute(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<NoteRequest>,
) -> Result<Json<DisputeResponse>, ApiError> {
    open::withdraw(&state.core, &caller, id, body.note.as_deref()).await?;
    answer(&state, &caller, id).await
}

/// A settlement proposal.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProposalRequest {
    /// The craftsman's share before commission, 0 … what the escrow holds;
    /// the client gets the rest.
    #[schema(required = true, nullable = false, minimum = 0)]
    pub craftsman_amount: Option<i64>,
}

/// A party proposes a settlement (replacing any open one); the other side
/// may accept it within 48 hours (a setting).
#[utoipa::path(post, path = "/api/disputes/{id}/proposals", tag = "disputes", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = ProposalRequest,
    responses((status = 200, body = DisputeResponse),
              (status = 400, description = "validation_failed / split_out_of_range", body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, description = "not_a_party", body = ErrorBody),
              (status = 404, description = "dispute_not_found", body = ErrorBody),
              (status = 409, description = "dispute_closed", body = ErrorBody)))]
pub async fn propose_settlement(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<ProposalRequest>,
) -> Result<Json<DisputeResponse>, ApiError> {
    settle::propose(&state.core, &caller, id, body.craftsman_amount).await?;
    answer(&state, &caller, id).await
}

/// The other party accepts the open proposal: the dispute resolves exactly
/// as a staff split would (the ledger moves both parts).
#[utoipa::path(post, path = "/api/disputes/{id}/proposals/{proposalId}/accept", tag = "disputes", security(("bearer" = [])),
    params(("id" = Uuid, Path), ("proposalId" = Uuid, Path)),
    responses((status = 200, body = DisputeResponse), (status = 401, body = ErrorBody),
              (status = 403, description = "not_a_party", body = ErrorBody),
              (status = 404, description = "dispute_not_found", body = ErrorBody),
              (status = 409, description = "no_proposal / own_proposal / proposal_expired / dispute_closed", body = ErrorBody)))]
pub async fn accept_settlement(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path((id, proposal)): Path<(String, String)>,
) -> Result<Json<DisputeResponse>, ApiError> {
    let (id, proposal) = two_ids(&id, &proposal)?;
    settle::accept(&state.core, &caller, id, proposal).await?;
    answer(&state, &caller, id).await
}

/// The other party declines the open proposal.
#[utoipa::path(post, path = "/api/disputes/{id}/proposals/{proposalId}/decline", tag = "disputes", security(("bearer" = [])),
    params(("id" = Uuid, Path), ("proposalId" = Uuid, Path)),
    responses((status = 200, body = DisputeResponse), (status = 401, body = ErrorBody),
              (status = 403, description = "not_a_party", body = ErrorBody),
              (status = 404, description = "dispute_not_found", body = ErrorBody),
              (status = 409, description = "no_proposal / own_proposal / proposal_expired / dispute_closed", body = ErrorBody)))]
pub async fn decline_settlement(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path((id, proposal)): Path<(String, String)>,
) -> Result<Json<DisputeResponse>, ApiError> {
    let (id, proposal) = two_ids(&id, &proposal)?;
    settle::decline(&state.core, &caller, id, proposal).await?;
    answer(&state, &caller, id).await
}
