//! Evidence: a party's statement with files (images and PDFs, ≤ 10 MB
//! each, recognised from their bytes like chat files), stored privately
//! under `disputes/` and served only to the parties and staff (staff
//! downloads are logged). The other party's first word is their response.

use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set, sea_query::Expr};
use serde_json::json;
use souk_db::{
    entities::{dispute_files, disputes},
    enums::DisputeStatus,
};
use souk_integrations::storage::StoredFile;
use uuid::Uuid;

use super::{
    MAX_TEXT, ensure_live, for_update, lifecycle::DisputeActor, move_status, record, reload, side,
    tell,
};
use crate::{
    Core,
    accounts::{Authenticated, validate::optional_text},
    admin::activity,
    chat::attachments::{self, MAX_ATTACHMENTS, Upload},
    error::{Error, ErrorCode, FieldErrors, FieldIssue, Result},
};

/// A statement with files.
#[derive(Debug, Clone, Default)]
pub struct Evidence {
    pub text: Option<String>,
    pub files: Vec<Upload>,
}

/// `POST /api/disputes/:id/evidence`: a party (or staff) adds to the
/// timeline. Files are checked before anything is stored.
pub async fn add(
    core: &Core,
    caller: &Authenticated,
    id: Uuid,
    evidence: Evidence,
) -> Result<disputes::Model> {
    let mut errors = FieldErrors::new();
    let text = optional_text(&mut errors, "text", evidence.text.as_deref(), MAX_TEXT);
    if text.is_none() && evidence.files.is_empty() {
        errors.add("text", FieldIssue::Required);
    }
    if evidence.files.len() > MAX_ATTACHMENTS {
        errors.add("files", FieldIssue::TooLong(MAX_ATTACHMENTS));
    }
    errors.into_result()?;
    // Who may add, before any file is processed.
    let seen = disputes::Entity::find_by_id(id)
        .one(core.db.conn())
        .await?
        .ok_or(ErrorCode::DisputeNotFound)?;
    side(&seen, caller)?;
    ensure_live(&seen)?;
    let mut prepared = Vec::with_capacity(evidence.files.len());
    for file in evidence.files {
        prepared.push(attachments::prepare(file).await?);
    }
    let stored = attachments::store_in(core, &format!("disputes/{id}"), prepared).await?;
    let written = write(core, caller, id, text, &stored).await;
    if written.is_err() {
        attachments::discard(core, &stored).await;
    }
    written
}

async fn write(
    core: &Core,
    caller: &Authenticated,
    id: Uuid,
    text: Option<String>,
    stored: &[attachments::Stored],
) -> Result<disputes::Model> {
    let txn = core.db.begin_write().await?.without_account_changes();
    let dispute = for_update(core, &*txn, id).await?;
    let mine = side(&dispute, caller)?;
    ensure_live(&dispute)?;
    let now = core.clock.now();
    let files: Vec<serde_json::Value> = stored
        .iter()
        .map(|f| json!({ "id": f.id, "name": f.name, "contentType": f.content_type, "size": f.size }))
        .collect();
    let kind = if mine.is_none() {
        "staff_note"
    } else {
        "evidence"
    };
    let event = record(
        &*txn,
        id,
        Some(caller.user.id),
        kind,
        text,
        json!({ "files": files }),
        now,
    )
    .await?;
    for file in stored {
        dispute_files::ActiveModel {
            id: Set(file.id),
            dispute_id: Set(id),
            event_id: Set(event),
            uploader_id: Set(caller.user.id),
            file_key: Set(file.file_key.clone()),
            content_type: Set(file.content_type.clone()),
            size: Set(file.size),
            name: Set(file.name.clone()),
            created_at: Set(now),
        }
        .insert(&*txn)
        .await?;
    }
    // A party's word moves a dispute waiting on them to staff review; the
    // respondent's first word is their response.
    if mine.is_some() {
        if mine == Some(false) && dispute.responded_at.is_none() {
            disputes::Entity::update_many()
                .col_expr(disputes::Column::RespondedAt, Expr::value(now))
                .filter(disputes::Column::Id.eq(id))
                .exec(&*txn)
                .await?;
        }
        let waiting = dispute.status == DisputeStatus::AwaitingResponse
            || (dispute.status == DisputeStatus::Open && mine == Some(false));
        if waiting {
            move_status(
                &*txn,
                &dispute,
                DisputeStatus::UnderReview,
                DisputeActor::Party,
                now,
            )
            .await?;
        }
        let other = if mine == Some(true) {
            dispute.respondent_id
        } else {
            dispute.opened_by
        };
        tell(&*txn, &dispute, &[other], "evidence").await?;
    } else {
        tell(
            &*txn,
            &dispute,
            &[dispute.opened_by, dispute.respondent_id],
            "evidence",
        )
        .await?;
    }
    activity::record(
        &*txn,
        Some(caller.user.id),
        "dispute.evidence",
        "dispute",
        Some(id.to_string()),
        json!({ "files": stored.len() }),
    )
    .await?;
    let dispute = reload(&*txn, id).await?;
    txn.commit().await?;
    core.outbox_wakeup.notify_one();
    Ok(dispute)
}

/// `GET /api/disputes/:id/files/:fileId`: the parties and staff (logged).
pub async fn download(
    core: &Core,
    caller: &Authenticated,
    id: Uuid,
    file: Uuid,
) -> Result<(dispute_files::Model, StoredFile)> {
    let dispute = disputes::Entity::find_by_id(id)
        .one(core.db.conn())
        .await?
        .ok_or(ErrorCode::DisputeNotFound)?;
    let mine = side(&dispute, caller)?;
    let not_found = || Error::code(ErrorCode::DisputeFileNotFound);
    let row = dispute_files::Entity::find_by_id(file)
        .filter(dispute_files::Column::DisputeId.eq(id))
        .one(core.db.conn())
        .await?
        .ok_or_else(not_found)?;
    if mine.is_none() {
        let txn = core.db.begin_write().await?.without_account_changes();
        activity::record(
            &*txn,
            Some(caller.user.id),
            "dispute.file_download",
            "dispute",
            Some(id.to_string()),
            json!({ "fileId": file }),
        )
        .await?;
        txn.commit().await?;
    }
    let stored = core
        .storage
        .get(&row.file_key)
        .await
        .map_err(Error::Internal)?
        .ok_or_else(not_found)?;
    Ok((row, stored))
}
