//! The public contact form: forwards a message to the support mailbox.

use axum::{Json, extract::State, http::StatusCode};
use serde::Deserialize;
use souk_core::{
    FieldErrors, FieldIssue,
    accounts::validate::{normalize_email, required_text},
    i18n::Notice,
    outbox::{self, OutboxMessage},
};
use utoipa::ToSchema;
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::{
    error::{ApiError, ErrorBody},
    extract::{ApiJson, ReqLang},
    state::AppState,
    views::MessageResponse,
};

/// Routes of this feature.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(send_contact_email))
}

/// A contact-form message.
#[derive(Deserialize, ToSchema)]
pub struct ContactRequest {
    #[schema(required = true, nullable = false)]
    pub name: Option<String>,
    #[schema(required = true, nullable = false)]
    pub email: Option<String>,
    #[schema(required = true, nullable = false)]
    pub message: Option<String>,
}

/// Sends a message to the team (rate limited).
#[utoipa::path(post, path = "/api/send-email", tag = "system", request_body = ContactRequest,
    responses((status = 200, body = MessageResponse), (status = 400, body = ErrorBody), (status = 429, body = ErrorBody)))]
pub async fn send_contact_email(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    ApiJson(body): ApiJson<ContactRequest>,
) -> Result<(StatusCode, Json<MessageResponse>), ApiError> {
    let mut errors = FieldErrors::new();
    let name = required_text(&mut errors, "name", body.name.as_deref(), 200);
    let message = required_text(&mut errors, "message", body.message.as_deref(), 5000);
    let email = match body
        .email
        .as_deref()
        .map(str::trim)
        .filter(|e| !e.is_empty())
    {
        None => {
            errors.add("email", FieldIssue::Required);
            String::new()
        }
        Some(raw) => normalize_email(raw).unwrap_or_else(|| {
            errors.add("email", FieldIssue::InvalidEmail);
            String::new()
        }),
    };
    errors.into_result()?;
    let core = &state.core;
    let txn = core.db.begin_write().await?;
    outbox::enqueue(
        &*txn,
        &OutboxMessage::Mail {
            to: state.config.support_email.clone(),
            subject: format!("Contact form: {name}"),
            text: format!("From: {name} <{email}>\n\n{message}\n"),
        },
    )
    .await?;
    txn.commit().await?;
    core.outbox_wakeup.notify_one();
    Ok((
        StatusCode::OK,
        Json(MessageResponse::notice(Notice::ContactSent, lang)),
    ))
}
