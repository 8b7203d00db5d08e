//! Routes of chat: conversations, their messages and files, read receipts,
//! blocking; and seed 000's job chat (`/api/jobs/{jobId}/messages`).

pub(crate) mod attachments;
mod conversations;
mod messages;
pub mod views;

use axum::extract::DefaultBodyLimit;
use souk_core::chat::attachments::{MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS};
use utoipa_axum::{router::OpenApiRouter, routes};

use crate::state::AppState;

/// Routes of this feature.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(
            conversations::list_conversations,
            conversations::open_conversation
        ))
        .routes(routes!(conversations::conversations_unread_count))
        .routes(routes!(conversations::get_conversation))
        .routes(routes!(conversations::mark_conversation_read))
        .routes(routes!(
            conversations::block_conversation,
            conversations::unblock_conversation
        ))
        .routes(routes!(messages::list_messages, messages::send_message))
        .routes(routes!(messages::edit_message, messages::delete_message))
        .routes(routes!(messages::report_message))
        .routes(routes!(
            messages::list_job_messages,
            messages::send_job_message
        ))
        .routes(routes!(attachments::upload_attachment))
        .routes(routes!(attachments::download_attachment))
        // A message may carry its files; JSON bodies keep their own limit.
        .layer(DefaultBodyLimit::max(
            MAX_ATTACHMENTS * MAX_ATTACHMENT_BYTES + 256 * 1024,
        ))
}
