//! Files of a conversation: uploaded ahead of the message that sends them,
//! and downloaded by its participants only (the URL needs the bearer token;
//! strangers get 404).

use axum::{
    Json,
    body::Body,
    extract::{Multipart, Path, State},
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use souk_core::{
    ErrorCode,
    chat::{
        attachments::{self, Upload},
        views::AttachmentResponse,
    },
};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::{
    error::{ApiError, ErrorBody},
    extract::{Auth, IdPath},
    routes::users::multipart_error,
    state::AppState,
};

/// Multipart upload of one file.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct AttachmentUpload {
    /// A JPEG, PNG, GIF or WebP image (re-encoded, at most 1600 px a side)
    /// or a PDF, recognised from its bytes; ≤ 10 MB.
    #[schema(format = Binary, content_media_type = "application/octet-stream")]
    file: String,
}

/// Uploads a file to send with a later message (by its `id` in the
/// message's `attachments`). A file that is not a supported image or a
/// PDF, or not what its name or type claims, is refused with nothing
/// stored (400 `unsupported_file`).
#[utoipa::path(post, path = "/api/conversations/{conversationId}/attachments", tag = "chat", security(("bearer" = [])),
    params(("conversationId" = Uuid, Path)),
    request_body(content = AttachmentUpload, content_type = "multipart/form-data"),
    responses((status = 201, body = AttachmentResponse),
              (status = 400, description = "missing_file / unsupported_file", body = ErrorBody),
              (status = 401, body = ErrorBody), (status = 403, description = "blocked", body = ErrorBody),
              (status = 404, description = "conversation_not_found", body = ErrorBody),
              (status = 413, body = ErrorBody)))]
pub async fn upload_attachment(
    State(state): State<AppState>,
    Auth(caller): Auth,
    IdPath(id): IdPath,
    mut multipart: Multipart,
) -> Result<(StatusCode, Json<AttachmentResponse>), ApiError> {
    let mut upload = None;
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(err) => return Err(multipart_error(err.status())),
        };
        let is_file = field.file_name().is_some() || field.name() == Some("file");
        if !is_file {
            continue;
        }
        let name = field.file_name().map(str::to_owned);
        let content_type = field.content_type().map(str::to_owned);
        let bytes = field
            .bytes()
            .await
            .map_err(|e| multipart_error(e.status()))?;
        upload = Some(Upload {
            bytes,
            name,
            content_type,
        });
        break;
    }
    let Some(upload) = upload.filter(|u| !u.bytes.is_empty()) else {
        return Err(ApiError::code(ErrorCode::MissingFile));
    };
    let stored = attachments::upload(&state.core, &caller, id, upload).await?;
    Ok((StatusCode::CREATED, Json(stored)))
}

/// `name` as a `Content-Disposition` value: a plain ASCII fallback and the
/// exact UTF-8 name (RFC 6266 / RFC 5987).
fn disposition(kind: &str, name: &str) -> String {
    let fallback: String = name
        .chars()
        .map(|c| {
            if (c.is_ascii_graphic() && c != '"' && c != '\\') || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::with_capacity(name.len());
    for byte in name.bytes() {
        if byte.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    format!("{kind}; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

/// Downloads a file of the conversation (its participants; the uploader
/// alone until it is sent; staff looking into a disputed job's or a
/// reported conversation, logged).
#[utoipa::path(get, path = "/api/conversations/{conversationId}/attachments/{attachmentId}", tag = "chat", security(("bearer" = [])),
    params(("conversationId" = Uuid, Path), ("attachmentId" = Uuid, Path)),
    responses((status = 200, description = "The file", content_type = "application/octet-stream"),
              (status = 401, body = ErrorBody),
              (status = 404, description = "conversation_not_found / attachment_not_found", body = ErrorBody)))]
pub async fn download_attachment(
    State(state): State<AppState>,
    Auth(caller): Auth,
    Path((conversation, attachment)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let (Ok(conversation), Ok(attachment)) = (
        Uuid::parse_str(conversation.trim()),
        Uuid::parse_str(attachment.trim()),
    ) else {
        return Err(ApiError::code(ErrorCode::InvalidId));
    };
    let (row, file) = attachments::download(&state.core, &caller, conversation, attachment).await?;
    Ok(private_file(file.bytes, &row.content_type, &row.name))
}

/// A private file's answer: its type, inline for images and as an
/// attachment otherwise, with its exact name, and never kept by a shared
/// cache (chat files, dispute evidence).
pub(crate) fn private_file(bytes: bytes::Bytes, content_type: &str, name: &str) -> Response {
    let mut response = Body::from(bytes).into_response();
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    let kind = if content_type.starts_with("image/") {
        "inline"
    } else {
        "attachment"
    };
    if let Ok(value) = HeaderValue::from_str(&disposition(kind, name)) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::disposition;

    #[test]
    fn file_names_are_quoted_safely_and_kept_exactly() {
        assert_eq!(
            disposition("attachment", "quote \"final\".pdf"),
            "attachment; filename=\"quote _final_.pdf\"; filename*=UTF-8''quote%20%22final%22.pdf"
        );
        assert_eq!(
            disposition("inline", "صورة.jpg"),
            "inline; filename=\"____.jpg\"; filename*=UTF-8''%D8%B5%D9%88%D8%B1%D8%A9.jpg"
        );
    }
}
