//! `POST /api/users/craftsman/verification`: a craftsman submits documents.
//! Each is checked from its bytes, sealed, stored, then recorded in one
//! transaction with the craftsman's move to `pending`; if anything fails,
//! the sealed files written are removed again.

use bytes::Bytes;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set, sea_query::Expr};
use serde_json::json;
use souk_db::{
    entities::{users, verification_documents, verifications},
    enums::VerificationStatus,
};
use souk_integrations::images::{self, ImageKind};
use uuid::Uuid;

use super::{
    DOC_TYPES, MAX_DOCUMENT_BYTES, MAX_DOCUMENTS,
    lifecycle::{self, VerificationActor},
};
use crate::{
    Core,
    accounts::{Authenticated, Role},
    admin::activity,
    error::{Error, ErrorCode, FieldErrors, FieldIssue, Result},
};

/// A document as received.
#[derive(Debug, Clone)]
pub struct NewDocument {
    /// One of [`DOC_TYPES`].
    pub doc_type: Option<String>,
    pub bytes: Bytes,
    /// The client's declared type, if any.
    pub content_type: Option<String>,
}

/// What the bytes are: PDF, JPEG or PNG only; a declared type that says
/// otherwise is refused too.
fn kind_of(document: &NewDocument) -> Result<&'static str> {
    let sniffed = if document.bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else {
        match images::sniff_image(&document.bytes) {
            Some(ImageKind::Jpeg) => Some("image/jpeg"),
            Some(ImageKind::Png) => Some("image/png"),
            _ => None,
        }
    };
    let mime = sniffed.ok_or(ErrorCode::UnsupportedFile)?;
    let declared = document
        .content_type
        .as_deref()
        .map(|d| {
            d.split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        })
        .unwrap_or_default();
    let generic = declared.is_empty() || declared == "application/octet-stream";
    let same = declared == mime || (mime == "image/jpeg" && declared == "image/jpg");
    if !generic && !same {
        return Err(ErrorCode::UnsupportedFile.into());
    }
    Ok(mime)
}

/// A document checked and sealed, written to storage.
struct Sealed {
    id: Uuid,
    doc_type: String,
    content_type: &'static str,
    size: i64,
    key: String,
}

/// Submits documents; answers the craftsman's verification as it is now.
pub async fn submit(
    core: &Core,
    caller: &Authenticated,
    documents: Vec<NewDocument>,
) -> Result<super::read::Mine> {
    if caller.role != Role::Craftsman {
        return Err(ErrorCode::CraftsmenOnly.into());
    }
    let mut errors = FieldErrors::new();
    if documents.is_empty() {
        errors.add("documents", FieldIssue::Required);
    } else if documents.len() > MAX_DOCUMENTS {
        errors.add("documents", FieldIssue::TooLong(MAX_DOCUMENTS));
    }
    for document in &documents {
        let doc_type = document
            .doc_type
            .as_deref()
            .map(str::trim)
            .unwrap_or_default();
        if !DOC_TYPES.contains(&doc_type) {
            errors.add("docType", FieldIssue::OneOf(DOC_TYPES.to_vec()));
        }
    }
    errors.into_result()?;
    let current = caller.user.verification_status;
    match current {
        VerificationStatus::Pending => return Err(ErrorCode::VerificationPending.into()),
        VerificationStatus::Verified => return Err(ErrorCode::AlreadyVerified.into()),
        _ if !lifecycle::allows(
            current,
            VerificationStatus::Pending,
            VerificationActor::Craftsman,
        ) =>
        {
            return Err(ErrorCode::Conflict.into());
        }
        _ => {}
    }
    // Check every file before sealing any.
    let mut checked = Vec::with_capacity(documents.len());
    for document in documents {
        if document.bytes.is_empty() {
            return Err(ErrorCode::MissingFile.into());
        }
        if document.bytes.len() > MAX_DOCUMENT_BYTES {
            return Err(ErrorCode::PayloadTooLarge.into());
        }
        let mime = kind_of(&document)?;
        checked.push((document, mime));
    }
    let verification = Uuid::now_v7();
    let user = caller.user.id;
    let mut sealed: Vec<Sealed> = Vec::with_capacity(checked.len());
    for (document, mime) in checked {
        let id = Uuid::now_v7();
        let key = format!("verification/{user}/{id}.sealed");
        let size = i64::try_from(document.bytes.len()).unwrap_or(i64::MAX);
        let bytes = core.settings.data_keys.seal(&document.bytes)?;
        if let Err(err) = core
            .storage
            .put(&key, Bytes::from(bytes), "application/octet-stream")
            .await
        {
            discard(core, &sealed).await;
            return Err(Error::Internal(err));
        }
        sealed.push(Sealed {
            id,
            doc_type: document.doc_type.unwrap_or_default().trim().to_owned(),
            content_type: mime,
            size,
            key,
        });
    }
    if let Err(err) = record(core, caller, verification, &sealed).await {
        discard(core, &sealed).await;
        return Err(err);
    }
    super::read::of(core, user, VerificationStatus::Pending).await
}

async fn record(
    core: &Core,
    caller: &Authenticated,
    id: Uuid,
    sealed: &[Sealed],
) -> Result<verifications::Model> {
    let now = core.clock.now();
    let user = caller.user.id;
    let txn = core.db.begin_write().await?;
    // Guarded on the status the request was let in with: two submissions
    // racing, one wins.
    let from = caller.user.verification_status;
    lifecycle::ensure(
        from,
        VerificationStatus::Pending,
        VerificationActor::Craftsman,
    )?;
    let moved = users::Entity::update_many()
        .col_expr(
            users::Column::VerificationStatus,
            Expr::value(VerificationStatus::Pending),
        )
        .col_expr(users::Column::UpdatedAt, Expr::value(now))
        .filter(users::Column::Id.eq(user))
        .filter(users::Column::VerificationStatus.eq(from))
        .exec(&*txn)
        .await?;
    if moved.rows_affected != 1 {
        return Err(ErrorCode::Conflict.into());
    }
    let verification = verifications::ActiveModel {
        id: Set(id),
        user_id: Set(user),
        status: Set(VerificationStatus::Pending),
        reason: Set(None),
        decided_by: Set(None),
        decided_at: Set(None),
        documents_purged_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&*txn)
    .await?;
    let key_id = core.settings.data_keys.current.id().to_owned();
    for document in sealed {
        verification_documents::ActiveModel {
            id: Set(document.id),
            verification_id: Set(id),
            user_id: Set(user),
            doc_type: Set(document.doc_type.clone()),
            content_type: Set(document.content_type.to_owned()),
            size: Set(document.size),
            file_key: Set(document.key.clone()),
            key_id: Set(key_id.clone()),
            created_at: Set(now),
        }
        .insert(&*txn)
        .await?;
    }
    activity::record(
        &*txn,
        Some(user),
        "verification.submit",
        "verification",
        Some(id.to_string()),
        json!({ "documents": sealed.len() }),
    )
    .await?;
    txn.commit().await?;
    Ok(verification)
}

async fn discard(core: &Core, sealed: &[Sealed]) {
    for document in sealed {
        if let Err(err) = core.storage.delete(&document.key).await {
            tracing::warn!(file.key = %document.key, error = %err, "could not remove a sealed document");
        }
    }
}
