//! Invitations: the owner invites craftsmen to a posted job; they answer once.

use axum::{Json, extract::State, http::StatusCode};
use serde::Deserialize;
use souk_core::marketplace::invitations;
use utoipa::ToSchema;

use super::views::{InvitationResponse, JobSummary};
use crate::{
    error::{ApiError, ErrorBody},
    extract::{ApiJson, Auth, IdPath, PageQuery},
    state::AppState,
    views::Paged,
};

/// Whom to invite.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InviteRequest {
    #[schema(required = true, nullable = false)]
    pub craftsman_id: Option<String>,
}

/// Invites a craftsman (job owner; posted jobs; once per craftsman; never
/// again after a rejection).
#[utoipa::path(post, path = "/api/jobs/{jobId}/invite", tag = "invitations", security(("bearer" = [])),
    params(("jobId" = uuid::Uuid, Path)), request_body = InviteRequest,
    responses((status = 201, body = InvitationResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "job_not_open / already_invited / invitation_was_rejected", body = ErrorBody)))]
pub async fn invite_craftsman(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(job): IdPath,
    ApiJson(body): ApiJson<InviteRequest>,
) -> Result<(StatusCode, Json<InvitationResponse>), ApiError> {
    let invitation = invitations::invite(&state.core, &caller, job, body.craftsman_id).await?;
    Ok((StatusCode::CREATED, Json(invitation.into())))
}

/// The invitations of a job (owner and staff).
#[utoipa::path(get, path = "/api/jobs/{jobId}/invitations", tag = "invitations", security(("bearer" = [])),
    params(("jobId" = uuid::Uuid, Path)),
    responses((status = 200, body = Vec<InvitationResponse>), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_job_invitations(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(job): IdPath,
) -> Result<Json<Vec<InvitationResponse>>, ApiError> {
    let list = invitations::list_for_job(&state.core, &caller, job).await?;
    Ok(Json(list.into_iter().map(Into::into).collect()))
}

/// An answer.
#[derive(Deserialize, ToSchema)]
pub struct RespondRequest {
    /// accepted | rejected (seed spellings "Accepted"/"Rejected" too)
    #[schema(required = true, nullable = false)]
    pub response: Option<String>,
}

/// The invited craftsman accepts or rejects, once.
#[utoipa::path(post, path = "/api/jobs/{jobId}/invitations/respond", tag = "invitations", security(("bearer" = [])),
    params(("jobId" = uuid::Uuid, Path)), request_body = RespondRequest,
    responses((status = 200, body = InvitationResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody), (status = 404, body = ErrorBody),
              (status = 409, description = "already_responded", body = ErrorBody)))]
pub async fn respond_to_invitation(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(job): IdPath,
    ApiJson(body): ApiJson<RespondRequest>,
) -> Result<Json<InvitationResponse>, ApiError> {
    Ok(Json(
        invitations::respond(&state.core, &caller, job, body.response)
            .await?
            .into(),
    ))
}

/// The craftsman's invitations, newest first, with their jobs.
#[utoipa::path(get, path = "/api/invitations/mine", tag = "invitations", security(("bearer" = [])),
    params(("page" = Option<u64>, Query), ("limit" = Option<u64>, Query)),
    responses((status = 200, body = Paged<InvitationResponse>), (status = 401, body = ErrorBody),
              (status = 403, body = ErrorBody)))]
pub async fn my_invitations(
    State(state): State<AppState>,
    Auth(caller): Auth,
    PageQuery(page): PageQuery,
) -> Result<Json<Paged<InvitationResponse>>, ApiError> {
    let found = invitations::mine(&state.core, &caller, page).await?;
    Ok(Json(Paged::new(found, |(invitation, job)| {
        let mut response = InvitationResponse::from(invitation);
        response.job = job.as_ref().map(JobSummary::from);
        response
    })))
}
