//! Files in conversations. What a file is comes from its bytes, never from
//! its name or declared type: JPEG, PNG, GIF and WebP images (re-encoded and
//! bounded like job photos, which strips their metadata) and PDFs (`%PDF-`,
//! stored as sent), each at most 10 MB. Anything else — or a file whose
//! declared type or extension says something else than its bytes — is 400
//! `unsupported_file`, and nothing is stored. Files live under `chat/` in
//! storage, which the public `/uploads` route does not serve: participants
//! download them through the conversation
//! (`GET /api/conversations/{id}/attachments/{attachmentId}`).

use bytes::Bytes;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
};
use souk_db::entities::{message_attachments, messages};
use souk_integrations::{
    images::{self, ImageError, ImageKind},
    storage::StoredFile,
};
use uuid::Uuid;

use super::{
    access::{self, Access},
    views::AttachmentResponse,
};
use crate::{
    Core,
    accounts::Authenticated,
    error::{Error, ErrorCode, FieldErrors, FieldIssue, Result},
    time,
};

/// Largest file, in bytes (before images are re-encoded).
pub const MAX_ATTACHMENT_BYTES: usize = 10 * 1024 * 1024;
/// Most files on one message.
pub const MAX_ATTACHMENTS: usize = 5;
/// Images are bounded to this many pixels a side, like job photos.
const IMAGE_MAX_SIDE: u32 = 1600;
/// Longest file name kept.
const MAX_NAME_CHARS: usize = 200;

/// A file as received.
#[derive(Debug, Clone)]
pub struct Upload {
    pub bytes: Bytes,
    /// The client's file name, if it sent one.
    pub name: Option<String>,
    /// The client's declared type, if it sent one.
    pub content_type: Option<String>,
}

/// What the bytes are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Image(ImageKind),
    Pdf,
}

impl Kind {
    fn sniff(bytes: &[u8]) -> Option<Self> {
        if bytes.starts_with(b"%PDF-") {
            Some(Kind::Pdf)
        } else {
            images::sniff_image(bytes).map(Kind::Image)
        }
    }

    fn mime(self) -> &'static str {
        match self {
            Kind::Image(kind) => kind.mime(),
            Kind::Pdf => "application/pdf",
        }
    }

    /// Whether a declared type names this kind (a generic one names any).
    fn matches_type(self, declared: &str) -> bool {
        let declared = declared
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        if declared.is_empty() || declared == "application/octet-stream" {
            return true;
        }
        match self {
            Kind::Pdf => matches!(declared.as_str(), "application/pdf" | "application/x-pdf"),
            Kind::Image(ImageKind::Jpeg) => {
                matches!(
                    declared.as_str(),
                    "image/jpeg" | "image/jpg" | "image/pjpeg"
                )
            }
            Kind::Image(kind) => declared == kind.mime(),
        }
    }

    /// Whether a file name's extension (if it has one) names this kind.
    fn matches_name(self, name: &str) -> bool {
        let Some((_, extension)) = name.rsplit_once('.') else {
            return true;
        };
        let extension = extension.to_ascii_lowercase();
        let allowed: &[&str] = match self {
            Kind::Pdf => &["pdf"],
            Kind::Image(ImageKind::Jpeg) => &["jpg", "jpeg", "jpe", "jfif"],
            Kind::Image(ImageKind::Png) => &["png"],
            Kind::Image(ImageKind::Gif) => &["gif"],
            Kind::Image(ImageKind::Webp) => &["webp"],
        };
        allowed.contains(&extension.as_str())
    }
}

/// A file checked and ready to store.
#[derive(Debug, Clone)]
pub struct Prepared {
    bytes: Bytes,
    content_type: &'static str,
    extension: &'static str,
    name: String,
}

/// The last path segment of a client's file name, without control
/// characters, at most 200 characters.
fn clean_name(raw: Option<&str>) -> String {
    let base = raw
        .unwrap_or_default()
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default();
    base.chars()
        .filter(|c| !c.is_control())
        .take(MAX_NAME_CHARS)
        .collect::<String>()
        .trim()
        .to_owned()
}

/// `name` with its extension replaced (or added).
fn with_extension(name: &str, extension: &str) -> String {
    let stem = match name.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem,
        _ => name,
    };
    let stem = if stem.is_empty() { "attachment" } else { stem };
    format!("{stem}.{extension}")
}

fn unsupported() -> Error {
    Error::code(ErrorCode::UnsupportedFile)
}

/// Checks a file and re-encodes images; nothing is stored yet.
pub async fn prepare(upload: Upload) -> Result<Prepared> {
    if upload.bytes.is_empty() {
        return Err(ErrorCode::MissingFile.into());
    }
    if upload.bytes.len() > MAX_ATTACHMENT_BYTES {
        return Err(ErrorCode::PayloadTooLarge.into());
    }
    let kind = Kind::sniff(&upload.bytes).ok_or_else(unsupported)?;
    let name = clean_name(upload.name.as_deref());
    if !upload
        .content_type
        .as_deref()
        .is_none_or(|declared| kind.matches_type(declared))
        || !kind.matches_name(&name)
    {
        return Err(unsupported());
    }
    match kind {
        Kind::Pdf => Ok(Prepared {
            bytes: upload.bytes,
            content_type: kind.mime(),
            extension: "pdf",
            name: with_extension(&name, "pdf"),
        }),
        Kind::Image(_) => {
            let bytes = upload.bytes;
            let processed =
                tokio::task::spawn_blocking(move || images::fit_within(&bytes, IMAGE_MAX_SIDE))
                    .await
                    .map_err(|e| Error::Internal(e.into()))?
                    .map_err(|err| match err {
                        ImageError::TooLarge => Error::code(ErrorCode::PayloadTooLarge),
                        ImageError::Unsupported | ImageError::Undecodable => unsupported(),
                    })?;
            let extension = processed.kind.extension();
            Ok(Prepared {
                bytes: Bytes::from(processed.bytes),
                content_type: processed.kind.mime(),
                extension,
                name: with_extension(&name, extension),
            })
        }
    }
}

/// A prepared file written to storage, not yet in the database.
#[derive(Debug, Clone)]
pub struct Stored {
    pub id: Uuid,
    pub file_key: String,
    pub content_type: String,
    pub size: i64,
    pub name: String,
}

impl Stored {
    /// Its row, attached to `message` (or pending when `None`).
    pub fn row(
        &self,
        conversation: Uuid,
        uploader: Uuid,
        message: Option<Uuid>,
    ) -> message_attachments::ActiveModel {
        message_attachments::ActiveModel {
            id: Set(self.id),
            conversation_id: Set(conversation),
            message_id: Set(message),
            uploader_id: Set(uploader),
            file_key: Set(self.file_key.clone()),
            content_type: Set(self.content_type.clone()),
            size: Set(self.size),
            name: Set(self.name.clone()),
            created_at: Set(time::now()),
        }
    }
}

/// Writes prepared files to storage; if one fails, those written are
/// removed again.
pub async fn store_all(
    core: &Core,
    conversation: Uuid,
    files: Vec<Prepared>,
) -> Result<Vec<Stored>> {
    store_in(core, &format!("chat/{conversation}"), files).await
}

/// [`store_all`] under any private folder of storage (one `/uploads` does
/// not serve): dispute evidence uses it too.
pub async fn store_in(core: &Core, folder: &str, files: Vec<Prepared>) -> Result<Vec<Stored>> {
    let mut stored: Vec<Stored> = Vec::with_capacity(files.len());
    for file in files {
        let id = Uuid::now_v7();
        let key = format!("{folder}/{id}.{}", file.extension);
        let size = i64::try_from(file.bytes.len()).unwrap_or(i64::MAX);
        if let Err(err) = core.storage.put(&key, file.bytes, file.content_type).await {
            discard(core, &stored).await;
            return Err(Error::Internal(err));
        }
        stored.push(Stored {
            id,
            file_key: key,
            content_type: file.content_type.to_owned(),
            size,
            name: file.name,
        });
    }
    Ok(stored)
}

/// Removes stored files whose rows were never written (best effort).
pub async fn discard(core: &Core, stored: &[Stored]) {
    for file in stored {
        if let Err(err) = core.storage.delete(&file.file_key).await {
            tracing::warn!(file.key = %file.file_key, error = %err, "could not remove an unsent attachment");
        }
    }
}

/// The storage keys of every file in the conversation of job `job` (read
/// before a staff deletion of the job takes the rows along).
pub async fn keys_of_job(conn: &impl ConnectionTrait, job: Uuid) -> Result<Vec<String>> {
    let rows = conn
        .query_all_raw(souk_db::sql_text::statement(
            conn,
            "SELECT a.file_key FROM message_attachments a \
             JOIN conversations c ON c.id = a.conversation_id WHERE c.job_id = $1",
            [job.into()],
        ))
        .await?;
    let mut keys = Vec::with_capacity(rows.len());
    for row in rows {
        keys.push(row.try_get::<String>("", "file_key")?);
    }
    Ok(keys)
}

/// Uploads a file to a conversation ahead of the message that sends it
/// (`POST /api/conversations/{id}/attachments`); the answer's `id` goes in
/// the message's `attachments`. Only its uploader may send or download it
/// until then.
pub async fn upload(
    core: &Core,
    caller: &Authenticated,
    conversation: Uuid,
    file: Upload,
) -> Result<AttachmentResponse> {
    let access = access::conversation(core, caller, conversation).await?;
    if access.blocked() {
        return Err(ErrorCode::Blocked.into());
    }
    let prepared = prepare(file).await?;
    let stored = store_all(core, access.id(), vec![prepared]).await?;
    let written = write_pending(core, &access, &stored).await;
    match written {
        Ok(row) => Ok(AttachmentResponse::new(&row, &core.settings)),
        Err(err) => {
            discard(core, &stored).await;
            Err(err)
        }
    }
}

async fn write_pending(
    core: &Core,
    access: &Access,
    stored: &[Stored],
) -> Result<message_attachments::Model> {
    let Some(file) = stored.first() else {
        return Err(ErrorCode::MissingFile.into());
    };
    let txn = core.db.begin_write().await?.without_account_changes();
    access::record_staff_access(&*txn, access, "upload").await?;
    let row = file
        .row(access.id(), access.caller, None)
        .insert(&*txn)
        .await?;
    txn.commit().await?;
    Ok(row)
}

/// Files uploaded ahead by the caller to this conversation and not sent
/// yet, by id; an id that is not one of them is refused (400
/// `attachments`).
pub async fn pending(
    core: &Core,
    access: &Access,
    ids: &[Uuid],
) -> Result<Vec<message_attachments::Model>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut unique = ids.to_vec();
    unique.sort_unstable();
    unique.dedup();
    let found = message_attachments::Entity::find()
        .filter(message_attachments::Column::Id.is_in(unique.clone()))
        .filter(message_attachments::Column::ConversationId.eq(access.id()))
        .filter(message_attachments::Column::UploaderId.eq(access.caller))
        .filter(message_attachments::Column::MessageId.is_null())
        .all(core.db.conn())
        .await?;
    if found.len() != unique.len() || unique.len() != ids.len() {
        return Err(Error::Validation(FieldErrors::single(
            "attachments",
            FieldIssue::Invalid,
        )));
    }
    Ok(found)
}

/// A file of a conversation, for a caller who may see it: participants
/// (and staff looking in), once sent; its uploader before. Others get 404.
pub async fn download(
    core: &Core,
    caller: &Authenticated,
    conversation: Uuid,
    attachment: Uuid,
) -> Result<(message_attachments::Model, StoredFile)> {
    let access = access::conversation(core, caller, conversation).await?;
    let not_found = || Error::code(ErrorCode::AttachmentNotFound);
    let row = message_attachments::Entity::find_by_id(attachment)
        .filter(message_attachments::Column::ConversationId.eq(access.id()))
        .one(core.db.conn())
        .await?
        .ok_or_else(not_found)?;
    match row.message_id {
        None if row.uploader_id != caller.user.id => return Err(not_found()),
        None => {}
        Some(message) => {
            let live = messages::Entity::find_by_id(message)
                .filter(messages::Column::DeletedAt.is_null())
                .one(core.db.conn())
                .await?;
            if live.is_none() {
                return Err(not_found());
            }
        }
    }
    access::log_staff_access(core, &access, "download").await?;
    let file = core
        .storage
        .get(&row.file_key)
        .await
        .map_err(Error::Internal)?
        .ok_or_else(not_found)?;
    Ok((row, file))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_come_from_the_bytes_and_must_match_what_is_claimed() {
        assert_eq!(Kind::sniff(b"%PDF-1.7\n..."), Some(Kind::Pdf));
        assert_eq!(Kind::sniff(b"MZ\x90\0"), None);
        assert!(Kind::Pdf.matches_type("application/pdf"));
        assert!(Kind::Pdf.matches_type("application/octet-stream"));
        assert!(!Kind::Pdf.matches_type("image/png"));
        assert!(Kind::Image(ImageKind::Jpeg).matches_type("image/jpg"));
        assert!(Kind::Pdf.matches_name("quote.PDF"));
        assert!(Kind::Pdf.matches_name("no-extension"));
        assert!(!Kind::Pdf.matches_name("invoice.exe"));
        assert!(!Kind::Image(ImageKind::Png).matches_name("photo.pdf"));
    }

    #[test]
    fn names_lose_paths_and_control_characters_and_take_the_stored_extension() {
        assert_eq!(clean_name(Some("../../etc/pass\u{7}wd")), "passwd");
        assert_eq!(clean_name(Some("C:\\docs\\quote.pdf")), "quote.pdf");
        assert_eq!(with_extension("photo.webp", "jpg"), "photo.jpg");
        assert_eq!(with_extension("", "png"), "attachment.png");
        assert_eq!(with_extension(".hidden", "pdf"), ".hidden.pdf");
    }
}
