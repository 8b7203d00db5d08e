//! `/api/conversations`: the caller's conversations, opening a direct one,
//! one conversation, the unread total, read receipts and blocking.

use axum::{Json, extract::State, http::StatusCode};
use serde::Deserialize;
use souk_core::{
    Error, FieldErrors, FieldIssue,
    chat::{
        access, blocking,
        list::{self, ListCursor},
        open, receipts, unread,
    },
};
use utoipa::ToSchema;
use uuid::Uuid;

use super::views::{ConversationPage, ConversationResponse, ReadResponse, UnreadCountResponse};
use crate::{
    error::{ApiError, ErrorBody},
    extract::{ApiJson, ApiQuery, Auth, IdPath},
    state::AppState,
};

/// Paging of the conversation list.
#[derive(Deserialize, ToSchema, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ConversationQuery {
    /// The `nextCursor` of the previous page.
    pub before: Option<String>,
    /// Page size, 1–100 (default 20).
    pub limit: Option<u64>,
}

/// A page size within 1..=100, else 400 `limit`.
pub(super) fn limit(raw: Option<u64>, default: u64) -> Result<u64, ApiError> {
    match raw {
        None => Ok(default),
        Some(n) if (1..=souk_core::pagination::MAX_LIMIT).contains(&n) => Ok(n),
        Some(_) => Err(ApiError(Error::Validation(FieldErrors::single(
            "limit",
            FieldIssue::OutOfRange {
                min: 1.0,
                max: 100.0,
            },
        )))),
    }
}

/// The caller's conversations, newest activity first, each with the other
/// side's public profile, the last message and the unread count.
#[utoipa::path(get, path = "/api/conversations", tag = "chat", security(("bearer" = [])),
    params(ConversationQuery),
    responses((status = 200, body = ConversationPage), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn list_conversations(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiQuery(query): ApiQuery<ConversationQuery>,
) -> Result<Json<ConversationPage>, ApiError> {
    let limit = limit(query.limit, list::DEFAULT_LIMIT)?;
    let before = match query.before.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => Some(ListCursor::parse(text)?),
    };
    let page = list::list(&state.core, caller.user.id, before, limit).await?;
    let staff = caller.role.is_staff();
    Ok(Json(ConversationPage {
        data: page
            .items
            .into_iter()
            .map(|s| ConversationResponse::new(s, &state.core.settings, staff))
            .collect(),
        next_cursor: page.next_cursor,
    }))
}

/// Whom to talk to.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OpenConversationRequest {
    #[schema(required = true, nullable = false)]
    pub peer_id: Option<Uuid>,
}

/// Opens the direct conversation with a member: answers the pair's
/// existing one (200) or creates it (201). Any member may write to a
/// craftsman; a craftsman may open one with a client only after the client
/// has written to them or they share a job (403 `dm_not_allowed`).
#[utoipa::path(post, path = "/api/conversations", tag = "chat", security(("bearer" = [])),
    request_body = OpenConversationRequest,
    responses((status = 200, description = "The pair's existing conversation", body = ConversationResponse),
              (status = 201, description = "A new conversation", body = ConversationResponse),
              (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, description = "dm_not_allowed / cannot_target_self", body = ErrorBody),
              (status = 404, description = "user_not_found", body = ErrorBody)))]
pub async fn open_conversation(
    State(state): State<AppState>,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<OpenConversationRequest>,
) -> Result<(StatusCode, Json<ConversationResponse>), ApiError> {
    let Some(peer) = body.peer_id else {
        return Err(ApiError(Error::Validation(FieldErrors::single(
            "peerId",
            FieldIssue::Required,
        ))));
    };
    let opened = open::open_direct(&state.core, &caller, peer).await?;
    let summary = list::one(&state.core, &opened.access).await?;
    let status = if opened.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    let staff = caller.role.is_staff();
    Ok((
        status,
        Json(ConversationResponse::new(
            summary,
            &state.core.settings,
            staff,
        )),
    ))
}

/// One conversation (its participants; staff on a disputed job's or a
/// reported one, logged).
#[utoipa::path(get, path = "/api/conversations/{conversationId}", tag = "chat", security(("bearer" = [])),
    params(("conversationId" = Uuid, Path)),
    responses((status = 200, body = ConversationResponse), (status = 401, body = ErrorBody),
              (status = 404, description = "conversation_not_found", body = ErrorBody)))]
pub async fn get_conversation(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(id): IdPath,
) -> Result<Json<ConversationResponse>, ApiError> {
    let access = access::conversation(&state.core, &caller, id).await?;
    access::log_staff_access(&state.core, &access, "read").await?;
    let summary = list::one(&state.core, &access).await?;
    let staff = caller.role.is_staff();
    Ok(Json(ConversationResponse::new(
        summary,
        &state.core.settings,
        staff,
    )))
}

/// Unread messages over all the caller's conversations.
#[utoipa::path(get, path = "/api/conversations/unread-count", tag = "chat", security(("bearer" = [])),
    responses((status = 200, body = UnreadCountResponse), (status = 401, body = ErrorBody)))]
pub async fn conversations_unread_count(
    State(state): State<AppState>,
    Auth(caller): Auth,
) -> Result<Json<UnreadCountResponse>, ApiError> {
    let count = unread::total(&state.core, caller.user.id).await?;
    Ok(Json(UnreadCountResponse { count }))
}

/// How far the caller has read.
#[derive(Deserialize, ToSchema)]
pub struct ReadRequest {
    /// The `seq` of the last message read; moves the read position forward
    /// only, never past the last message.
    #[schema(required = true, nullable = false, minimum = 0)]
    pub seq: Option<i64>,
}

/// Marks the conversation read up to `seq`; the other side gets
/// `message:read`.
#[utoipa::path(post, path = "/api/conversations/{conversationId}/read", tag = "chat", security(("bearer" = [])),
    params(("conversationId" = Uuid, Path)), request_body = ReadRequest,
    responses((status = 200, body = ReadResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 404, description = "conversation_not_found", body = ErrorBody)))]
pub async fn mark_conversation_read(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(id): IdPath,
    ApiJson(body): ApiJson<ReadRequest>,
) -> Result<Json<ReadResponse>, ApiError> {
    let state_now = receipts::mark_read(&state.core, &caller, id, body.seq).await?;
    Ok(Json(state_now.into()))
}

async fn set_blocking(
    state: &AppState,
    caller: &souk_core::accounts::Authenticated,
    id: Uuid,
    block: bool,
) -> Result<Json<ConversationResponse>, ApiError> {
    let access = blocking::set_blocking(&state.core, caller, id, block).await?;
    let summary = list::one(&state.core, &access).await?;
    Ok(Json(ConversationResponse::new(
        summary,
        &state.core.settings,
        caller.role.is_staff(),
    )))
}

/// Blocks the other side: they can no longer send here (403 `blocked`).
/// Blocking again changes nothing.
#[utoipa::path(post, path = "/api/conversations/{conversationId}/block", tag = "chat", security(("bearer" = [])),
    params(("conversationId" = Uuid, Path)),
    responses((status = 200, body = ConversationResponse), (status = 401, body = ErrorBody),
              (status = 404, description = "conversation_not_found", body = ErrorBody)))]
pub async fn block_conversation(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(id): IdPath,
) -> Result<Json<ConversationResponse>, ApiError> {
    set_blocking(&state, &caller, id, true).await
}

/// Lifts the caller's block.
#[utoipa::path(delete, path = "/api/conversations/{conversationId}/block", tag = "chat", security(("bearer" = [])),
    params(("conversationId" = Uuid, Path)),
    responses((status = 200, body = ConversationResponse), (status = 401, body = ErrorBody),
              (status = 404, description = "conversation_not_found", body = ErrorBody)))]
pub async fn unblock_conversation(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(id): IdPath,
) -> Result<Json<ConversationResponse>, ApiError> {
    set_blocking(&state, &caller, id, false).await
}
