//! Craftsman verification: submitting documents and reading one's own
//! status (`/api/users/craftsman/verification`), opening a sealed document
//! (`/api/users/craftsman/verification/documents/{docId}`), and the staff queue and decisions
//! under `/api/admin/verifications`.

use axum::{
    Json,
    extract::{DefaultBodyLimit, Multipart, State},
    http::StatusCode,
    response::Response,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use souk_core::{
    ErrorCode, FieldErrors, FieldIssue,
    verification::{
        DOC_TYPES, MAX_DOCUMENT_BYTES, MAX_DOCUMENTS, decide, documents,
        read::{self, Submission},
        submit::{self, NewDocument},
    },
};
use souk_db::{
    entities::{verification_documents, verifications},
    enums::VerificationStatus,
};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};
use uuid::Uuid;

use crate::{
    error::{ApiError, ErrorBody},
    extract::{ApiJson, ApiQuery, Auth, IdPath, PageQuery},
    routes::{chat::attachments::private_file, users::multipart_error},
    state::AppState,
    views::Paged,
};

/// Routes of this feature.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(submit_verification, my_verification))
        .routes(routes!(download_verification_document))
        .routes(routes!(verification_queue))
        .routes(routes!(get_verification))
        .routes(routes!(approve_verification))
        .routes(routes!(reject_verification))
        .layer(DefaultBodyLimit::max(
            MAX_DOCUMENTS * MAX_DOCUMENT_BYTES + 256 * 1024,
        ))
}

/// A document, without its contents.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DocumentBody {
    pub id: Uuid,
    /// `national_id`, `certificate`, `license` or `other`.
    pub doc_type: String,
    pub content_type: String,
    pub size: i64,
    /// Where the owner and staff download it (bearer).
    pub url: String,
}

impl DocumentBody {
    fn new(d: verification_documents::Model) -> Self {
        Self {
            url: format!("/api/users/craftsman/verification/documents/{}", d.id),
            id: d.id,
            doc_type: d.doc_type,
            content_type: d.content_type,
            size: d.size,
        }
    }
}

/// One submission.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SubmissionBody {
    pub id: Uuid,
    pub user_id: Uuid,
    pub status: VerificationStatus,
    /// Why it was rejected.
    pub reason: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    /// When its documents were deleted (the decision stays).
    pub documents_purged_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl SubmissionBody {
    fn new(v: verifications::Model) -> Self {
        Self {
            id: v.id,
            user_id: v.user_id,
            status: v.status,
            reason: v.reason,
            decided_at: v.decided_at,
            documents_purged_at: v.documents_purged_at,
            created_at: v.created_at,
        }
    }
}

/// A submission with its documents.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SubmissionDetail {
    #[serde(flatten)]
    pub submission: SubmissionBody,
    pub documents: Vec<DocumentBody>,
}

impl SubmissionDetail {
    fn new(s: Submission) -> Self {
        Self {
            submission: SubmissionBody::new(s.verification),
            documents: s.documents.into_iter().map(DocumentBody::new).collect(),
        }
    }
}

/// A craftsman's verification.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VerificationResponse {
    /// `unverified`, `pending`, `verified` or `rejected` (as on the profile).
    pub status: VerificationStatus,
    /// The latest rejection's reason.
    pub reason: Option<String>,
    /// The latest submission's documents.
    pub documents: Vec<DocumentBody>,
    /// Every submission, newest first.
    pub history: Vec<SubmissionBody>,
}

impl From<read::Mine> for VerificationResponse {
    fn from(m: read::Mine) -> Self {
        let (reason, documents) = match m.latest {
            Some(latest) => (
                latest.verification.reason,
                latest
                    .documents
                    .into_iter()
                    .map(DocumentBody::new)
                    .collect(),
            ),
            None => (None, Vec::new()),
        };
        Self {
            status: m.status,
            reason,
            documents,
            history: m.history.into_iter().map(SubmissionBody::new).collect(),
        }
    }
}

/// Multipart: one or more `documents` files (PDF, JPEG or PNG, ≤ 10 MB
/// each, recognised from their bytes) and `docType` text parts — one for
/// all, or one per document in order.
#[derive(ToSchema)]
#[allow(dead_code)]
#[serde(rename_all = "camelCase")]
pub struct VerificationUpload {
    #[schema(format = Binary, content_media_type = "application/octet-stream")]
    documents: Vec<String>,
    /// `national_id`, `certificate`, `license` or `other`.
    doc_type: Vec<String>,
}

/// A craftsman submits identity documents: sealed with AES-256-GCM before
/// storage, readable only by them and staff. Their status becomes
/// `pending`; after a rejection they may submit again.
#[utoipa::path(post, path = "/api/users/craftsman/verification", tag = "users", security(("bearer" = [])),
    request_body(content = VerificationUpload, content_type = "multipart/form-data"),
    responses((status = 201, body = VerificationResponse),
              (status = 400, description = "validation_failed / missing_file / unsupported_file", body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, description = "craftsmen_only", body = ErrorBody),
              (status = 409, description = "verification_pending / already_verified", body = ErrorBody),
              (status = 413, body = ErrorBody)))]
pub async fn submit_verification(
    State(state): State<AppState>,
    Auth(caller): Auth,
    mut multipart: Multipart,
) -> Result<(StatusCode, Json<VerificationResponse>), ApiError> {
    let mut files = Vec::new();
    let mut types = Vec::new();
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(err) => return Err(multipart_error(err.status())),
        };
        let name = field.name().unwrap_or_default().to_owned();
        if field.file_name().is_some() {
            let content_type = field.content_type().map(str::to_owned);
            let bytes = field
                .bytes()
                .await
                .map_err(|e| multipart_error(e.status()))?;
            files.push((bytes, content_type));
        } else if name == "docType" || name == "docType[]" {
            let text = field
                .text()
                .await
                .map_err(|_| ApiError::code(ErrorCode::InvalidJson))?;
            types.push(text);
        }
    }
    if files.is_empty() {
        return Err(ApiError::code(ErrorCode::MissingFile));
    }
    let paired = types.len() == files.len();
    if !(paired || types.len() <= 1) {
        return Err(ApiError(souk_core::Error::Validation(FieldErrors::single(
            "docType",
            FieldIssue::OneOf(DOC_TYPES.to_vec()),
        ))));
    }
    let documents = files
        .into_iter()
        .enumerate()
        .map(|(i, (bytes, content_type))| NewDocument {
            doc_type: if paired { types.get(i) } else { types.first() }.cloned(),
            bytes,
            content_type,
        })
        .collect();
    let mine = submit::submit(&state.core, &caller, documents).await?;
    Ok((StatusCode::CREATED, Json(mine.into())))
}

/// The caller's verification: status, the latest submission's documents
/// and reason, and the history.
#[utoipa::path(get, path = "/api/users/craftsman/verification", tag = "users", security(("bearer" = [])),
    responses((status = 200, body = VerificationResponse), (status = 401, body = ErrorBody)))]
pub async fn my_verification(
    State(state): State<AppState>,
    Auth(caller): Auth,
) -> Result<Json<VerificationResponse>, ApiError> {
    Ok(Json(read::mine(&state.core, &caller).await?.into()))
}

/// Opens a sealed document: its owner and staff (each staff download is in
/// the activity log); anyone else 404.
#[utoipa::path(get, path = "/api/users/craftsman/verification/documents/{docId}", tag = "users", security(("bearer" = [])),
    params(("docId" = Uuid, Path)),
    responses((status = 200, description = "The document", content_type = "application/octet-stream"),
              (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn download_verification_document(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(id): IdPath,
) -> Result<Response, ApiError> {
    let (row, plain) = documents::open(&state.core, &caller, id).await?;
    let extension = match row.content_type.as_str() {
        "application/pdf" => "pdf",
        "image/png" => "png",
        _ => "jpg",
    };
    let name = format!("{}.{extension}", row.doc_type);
    Ok(private_file(plain.into(), &row.content_type, &name))
}

/// Queue filter.
#[derive(Deserialize, ToSchema, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VerificationQuery {
    /// `pending`, `verified` or `rejected`.
    pub status: Option<String>,
    /// Read by the pagination extractor; listed here for the docs.
    #[allow(dead_code)]
    pub page: Option<u64>,
    #[allow(dead_code)]
    pub limit: Option<u64>,
}

/// The verification queue (staff), oldest first.
#[utoipa::path(get, path = "/api/admin/verifications", tag = "admin", security(("bearer" = [])),
    params(VerificationQuery),
    responses((status = 200, body = Paged<SubmissionBody>), (status = 400, body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, description = "staff_only", body = ErrorBody)))]
pub async fn verification_queue(
    State(state): State<AppState>,
    Auth(caller): Auth,
    PageQuery(page): PageQuery,
    ApiQuery(query): ApiQuery<VerificationQuery>,
) -> Result<Json<Paged<SubmissionBody>>, ApiError> {
    let choices = [
        VerificationStatus::Pending,
        VerificationStatus::Verified,
        VerificationStatus::Rejected,
    ];
    let status = match query
        .status
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(word) => Some(
            choices
                .into_iter()
                .find(|s| s.as_str() == word)
                .ok_or_else(|| {
                    ApiError(souk_core::Error::Validation(FieldErrors::single(
                        "status",
                        FieldIssue::OneOf(choices.iter().map(|s| s.as_str()).collect()),
                    )))
                })?,
        ),
    };
    let found = read::queue(&state.core, &caller, status, page).await?;
    Ok(Json(Paged::new(found, SubmissionBody::new)))
}

/// One submission with its documents (staff).
#[utoipa::path(get, path = "/api/admin/verifications/{id}", tag = "admin", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = SubmissionDetail), (status = 401, body = ErrorBody),
              (status = 403, description = "staff_only", body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_verification(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(id): IdPath,
) -> Result<Json<SubmissionDetail>, ApiError> {
    Ok(Json(SubmissionDetail::new(
        read::one(&state.core, &caller, id).await?,
    )))
}

/// Staff approve a pending verification: the craftsman is `verified` and told.
#[utoipa::path(post, path = "/api/admin/verifications/{id}/approve", tag = "admin", security(("bearer" = [])),
    params(("id" = Uuid, Path)),
    responses((status = 200, body = SubmissionDetail), (status = 401, body = ErrorBody),
              (status = 403, description = "staff_only", body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "invalid_transition", body = ErrorBody)))]
pub async fn approve_verification(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(id): IdPath,
) -> Result<Json<SubmissionDetail>, ApiError> {
    decide::decide(&state.core, &caller, id, true, None).await?;
    Ok(Json(SubmissionDetail::new(
        read::one(&state.core, &caller, id).await?,
    )))
}

/// Why it is rejected.
#[derive(Deserialize, ToSchema)]
pub struct RejectRequest {
    /// Told to the craftsman. At most 1,000 characters.
    #[schema(required = true, nullable = false)]
    pub reason: Option<String>,
}

/// Staff reject a pending verification with a reason: the craftsman is
/// `rejected`, told why, and may submit again.
#[utoipa::path(post, path = "/api/admin/verifications/{id}/reject", tag = "admin", security(("bearer" = [])),
    params(("id" = Uuid, Path)), request_body = RejectRequest,
    responses((status = 200, body = SubmissionDetail), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, description = "staff_only", body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "invalid_transition", body = ErrorBody)))]
pub async fn reject_verification(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<RejectRequest>,
) -> Result<Json<SubmissionDetail>, ApiError> {
    decide::decide(&state.core, &caller, id, false, body.reason.as_deref()).await?;
    Ok(Json(SubmissionDetail::new(
        read::one(&state.core, &caller, id).await?,
    )))
}
