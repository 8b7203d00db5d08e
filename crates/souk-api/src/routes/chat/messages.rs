//! A conversation's messages: history by `seq` cursor, sending (JSON, or
//! multipart with the files), editing, deleting, reporting; and seed 000's
//! job chat, `/api/jobs/{jobId}/messages`, which is the contract's
//! conversation.

use axum::{
    Json,
    extract::{FromRequest, Multipart, Path, Request, State},
    http::{StatusCode, header},
};
use serde::Deserialize;
use souk_core::{
    Error, ErrorCode, FieldErrors, FieldIssue,
    accounts::Authenticated,
    chat::{
        self, NewAttachment, SendMessage,
        attachments::Upload,
        by_job, changes,
        history::{self, Cursor},
        views::ChatMessageResponse,
    },
};
use utoipa::ToSchema;
use uuid::Uuid;

use super::views::{MessagePage, ReportResponse};
use crate::{
    error::{ApiError, ErrorBody},
    extract::{ApiJson, ApiQuery, Auth, IdPath},
    routes::users::multipart_error,
    state::AppState,
};

/// Paging of a conversation's history.
#[derive(Deserialize, ToSchema, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MessageQuery {
    /// Messages numbered below this `seq`, newest first.
    #[param(minimum = 0)]
    pub before: Option<i64>,
    /// Messages numbered above this `seq`, oldest first (catching up after
    /// a reconnect). Not with `before`.
    #[param(minimum = 0)]
    pub after: Option<i64>,
    /// Page size, 1–100 (default 50).
    pub limit: Option<u64>,
}

fn cursor(query: &MessageQuery) -> Result<(Cursor, u64), ApiError> {
    let cursor = Cursor::from_params(query.before, query.after)?;
    let limit = super::conversations::limit(query.limit, history::DEFAULT_LIMIT)?;
    Ok((cursor, limit))
}

fn page(found: history::HistoryPage) -> Json<MessagePage> {
    Json(MessagePage {
        data: found.messages,
        next_cursor: found.next_cursor,
    })
}

/// A conversation's messages: the latest (no cursor) or those `before` a
/// `seq`, newest first; or those `after` a `seq`, oldest first.
#[utoipa::path(get, path = "/api/conversations/{conversationId}/messages", tag = "chat", security(("bearer" = [])),
    params(("conversationId" = Uuid, Path), MessageQuery),
    responses((status = 200, body = MessagePage), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 404, description = "conversation_not_found", body = ErrorBody)))]
pub async fn list_messages(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(id): IdPath,
    ApiQuery(query): ApiQuery<MessageQuery>,
) -> Result<Json<MessagePage>, ApiError> {
    let (cursor, limit) = cursor(&query)?;
    let found = history::messages(&state.core, &caller, id, cursor, limit).await?;
    Ok(page(found))
}

/// A message to send.
#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase")]
pub struct SendMessageRequest {
    /// Up to 4,000 characters; may be left out when files are attached.
    #[schema(max_length = 4000)]
    pub text: Option<String>,
    /// Ids of files uploaded first (`POST …/attachments`), at most 5.
    #[schema(max_items = 5)]
    pub attachments: Option<Vec<Uuid>>,
    /// The client's own id for the message (≤ 64 characters): a resend
    /// with it answers the first message (200) instead of sending again.
    #[schema(min_length = 1, max_length = 64)]
    pub client_message_id: Option<String>,
}

/// The multipart form of a message: `text`, `clientMessageId` and
/// `attachments` (ids of files uploaded first) as text parts, and up to 5
/// files (any part with a file name; images or PDF, ≤ 10 MB each).
#[derive(ToSchema)]
#[allow(dead_code)]
#[serde(rename_all = "camelCase")]
pub struct SendMessageMultipart {
    text: Option<String>,
    client_message_id: Option<String>,
    attachments: Option<Vec<Uuid>>,
    #[schema(format = Binary, content_media_type = "application/octet-stream")]
    files: Vec<String>,
}

async fn read_multipart(
    mut multipart: Multipart,
) -> Result<(SendMessageRequest, Vec<Upload>), ApiError> {
    let mut body = SendMessageRequest::default();
    let mut ids = Vec::new();
    let mut files = Vec::new();
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
            files.push(Upload {
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
            continue;
        }
        match name.as_str() {
            "text" => body.text = Some(text),
            "clientMessageId" => body.client_message_id = Some(text),
            "attachments" | "attachments[]" => match Uuid::parse_str(text.trim()) {
                Ok(id) => ids.push(id),
                Err(_) => errors.add("attachments", FieldIssue::Invalid),
            },
            _ => {}
        }
    }
    errors.into_result()?;
    if !ids.is_empty() {
        body.attachments = Some(ids);
    }
    Ok((body, files))
}

/// The message of a JSON or multipart request, for `conversation`.
async fn read_message(request: Request, conversation: Uuid) -> Result<SendMessage, ApiError> {
    let is_multipart = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let (body, files) = if is_multipart {
        let multipart = Multipart::from_request(request, &())
            .await
            .map_err(|_| ApiError::code(ErrorCode::MissingFile))?;
        read_multipart(multipart).await?
    } else {
        let ApiJson(body) = ApiJson::<SendMessageRequest>::from_request(request, &()).await?;
        (body, Vec::new())
    };
    let mut attachments: Vec<NewAttachment> = body
        .attachments
        .unwrap_or_default()
        .into_iter()
        .map(NewAttachment::Uploaded)
        .collect();
    attachments.extend(files.into_iter().map(NewAttachment::File));
    Ok(SendMessage {
        conversation,
        text: body.text,
        attachments,
        client_message_id: body.client_message_id,
    })
}

async fn send(
    state: &AppState,
    caller: &Authenticated,
    message: SendMessage,
) -> Result<(StatusCode, Json<ChatMessageResponse>), ApiError> {
    let sent = chat::send(&state.core, caller, message).await?;
    let status = if sent.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(sent.message)))
}

/// Sends a message (201), or answers the first one again (200) when its
/// `clientMessageId` was sent before. The recipient is notified and every
/// participant gets `message:new`.
#[utoipa::path(post, path = "/api/conversations/{conversationId}/messages", tag = "chat", security(("bearer" = [])),
    params(("conversationId" = Uuid, Path)),
    request_body(content(
        (SendMessageRequest = "application/json"),
        (SendMessageMultipart = "multipart/form-data"),
    )),
    responses((status = 201, body = ChatMessageResponse),
              (status = 200, description = "A resend: the first message with this clientMessageId", body = ChatMessageResponse),
              (status = 400, description = "validation_failed / unsupported_file / missing_file", body = ErrorBody),
              (status = 401, body = ErrorBody),
              (status = 403, description = "blocked / account_banned", body = ErrorBody),
              (status = 404, description = "conversation_not_found", body = ErrorBody),
              (status = 413, body = ErrorBody),
              (status = 429, description = "rate_limited; Retry-After says when to retry", body = ErrorBody)))]
pub async fn send_message(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(id): IdPath,
    request: Request,
) -> Result<(StatusCode, Json<ChatMessageResponse>), ApiError> {
    let message = read_message(request, id).await?;
    send(&state, &caller, message).await
}

fn ids(conversation: &str, message: &str) -> Result<(Uuid, Uuid), ApiError> {
    match (
        Uuid::parse_str(conversation.trim()),
        Uuid::parse_str(message.trim()),
    ) {
        (Ok(conversation), Ok(message)) => Ok((conversation, message)),
        _ => Err(ApiError::code(ErrorCode::InvalidId)),
    }
}

/// A new text.
#[derive(Deserialize, ToSchema)]
pub struct EditMessageRequest {
    /// Up to 4,000 characters.
    #[schema(required = true, nullable = false, max_length = 4000)]
    pub text: Option<String>,
}

/// Edits one's own message within 15 minutes of sending it (`editedAt`
/// set; `message:updated` to the participants).
#[utoipa::path(patch, path = "/api/conversations/{conversationId}/messages/{messageId}", tag = "chat", security(("bearer" = [])),
    params(("conversationId" = Uuid, Path), ("messageId" = Uuid, Path)), request_body = EditMessageRequest,
    responses((status = 200, body = ChatMessageResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, description = "not_the_sender", body = ErrorBody),
              (status = 404, description = "conversation_not_found / message_not_found", body = ErrorBody),
              (status = 409, description = "edit_window_closed / message_deleted", body = ErrorBody)))]
pub async fn edit_message(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path((conversation, message)): Path<(String, String)>,
    ApiJson(body): ApiJson<EditMessageRequest>,
) -> Result<Json<ChatMessageResponse>, ApiError> {
    let (conversation, message) = ids(&conversation, &message)?;
    let Some(text) = body.text else {
        return Err(ApiError(Error::Validation(FieldErrors::single(
            "text",
            FieldIssue::Required,
        ))));
    };
    let edited = changes::edit(&state.core, &caller, conversation, message, Some(text)).await?;
    Ok(Json(edited))
}

/// Deletes one's own message: a tombstone stays in the history (no text,
/// no files, `deletedAt` set; `message:deleted` to the participants).
#[utoipa::path(delete, path = "/api/conversations/{conversationId}/messages/{messageId}", tag = "chat", security(("bearer" = [])),
    params(("conversationId" = Uuid, Path), ("messageId" = Uuid, Path)),
    responses((status = 200, body = ChatMessageResponse), (status = 401, body = ErrorBody),
              (status = 403, description = "not_the_sender", body = ErrorBody),
              (status = 404, description = "conversation_not_found / message_not_found", body = ErrorBody)))]
pub async fn delete_message(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path((conversation, message)): Path<(String, String)>,
) -> Result<Json<ChatMessageResponse>, ApiError> {
    let (conversation, message) = ids(&conversation, &message)?;
    let tombstone = changes::delete(&state.core, &caller, conversation, message).await?;
    Ok(Json(tombstone))
}

/// Why a message is reported.
#[derive(Deserialize, ToSchema)]
pub struct ReportMessageRequest {
    /// Up to 1,000 characters.
    #[schema(required = true, nullable = false, min_length = 1, max_length = 1000)]
    pub reason: Option<String>,
}

/// Reports someone else's message to moderation (201; 200 when the caller
/// reported it already).
#[utoipa::path(post, path = "/api/conversations/{conversationId}/messages/{messageId}/report", tag = "chat", security(("bearer" = [])),
    params(("conversationId" = Uuid, Path), ("messageId" = Uuid, Path)), request_body = ReportMessageRequest,
    responses((status = 201, body = ReportResponse),
              (status = 200, description = "Reported before by the caller", body = ReportResponse),
              (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, description = "one's own message", body = ErrorBody),
              (status = 404, description = "conversation_not_found / message_not_found", body = ErrorBody)))]
pub async fn report_message(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path((conversation, message)): Path<(String, String)>,
    ApiJson(body): ApiJson<ReportMessageRequest>,
) -> Result<(StatusCode, Json<ReportResponse>), ApiError> {
    let (conversation, message) = ids(&conversation, &message)?;
    let reported =
        changes::report(&state.core, &caller, conversation, message, body.reason).await?;
    let status = if reported.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(reported.report.into())))
}

/// The messages of a job's contract conversation (its two parties; staff
/// while the job is disputed, logged), paged like
/// `/api/conversations/{conversationId}/messages`.
#[utoipa::path(get, path = "/api/jobs/{jobId}/messages", tag = "chat", security(("bearer" = [])),
    params(("jobId" = Uuid, Path), MessageQuery),
    responses((status = 200, body = MessagePage), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, description = "not_a_party", body = ErrorBody),
              (status = 404, description = "job_not_found", body = ErrorBody),
              (status = 409, description = "no_contract: nobody is hired yet", body = ErrorBody)))]
pub async fn list_job_messages(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(job): IdPath,
    ApiQuery(query): ApiQuery<MessageQuery>,
) -> Result<Json<MessagePage>, ApiError> {
    let (cursor, limit) = cursor(&query)?;
    let access = by_job::conversation(&state.core, &caller, job).await?;
    let found = history::page(&state.core, &access, cursor, limit).await?;
    Ok(page(found))
}

/// Sends a message to a job's contract conversation (as
/// `POST /api/conversations/{conversationId}/messages`).
#[utoipa::path(post, path = "/api/jobs/{jobId}/messages", tag = "chat", security(("bearer" = [])),
    params(("jobId" = Uuid, Path)),
    request_body(content(
        (SendMessageRequest = "application/json"),
        (SendMessageMultipart = "multipart/form-data"),
    )),
    responses((status = 201, body = ChatMessageResponse),
              (status = 200, description = "A resend: the first message with this clientMessageId", body = ChatMessageResponse),
              (status = 400, description = "validation_failed / unsupported_file / missing_file", body = ErrorBody),
              (status = 401, body = ErrorBody),
              (status = 403, description = "not_a_party / blocked / account_banned", body = ErrorBody),
              (status = 404, description = "job_not_found", body = ErrorBody),
              (status = 409, description = "no_contract: nobody is hired yet", body = ErrorBody),
              (status = 413, body = ErrorBody),
              (status = 429, description = "rate_limited; Retry-After says when to retry", body = ErrorBody)))]
pub async fn send_job_message(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(job): IdPath,
    request: Request,
) -> Result<(StatusCode, Json<ChatMessageResponse>), ApiError> {
    let access = by_job::conversation(&state.core, &caller, job).await?;
    let message = read_message(request, access.id()).await?;
    send(&state, &caller, message).await
}
