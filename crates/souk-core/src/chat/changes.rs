//! Changing sent messages: the sender edits the text within 15 minutes
//! (`editedAt` set, `message:updated`), or deletes it, leaving a tombstone
//! in the log (text and files gone, `deletedAt` set, `message:deleted`);
//! any participant reports someone else's message to moderation (a row in
//! `message_reports`, once per reporter, and an activity-log entry).

use chrono::Duration;
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, EntityTrait, QueryFilter,
    sea_query::{Expr, OnConflict},
};
use serde_json::json;
use souk_db::{
    entities::{message_attachments, message_reports, messages},
    gated,
};
use uuid::Uuid;

use super::{
    access::{self, Access, Viewer},
    events, history,
    send::check_text,
    unread,
    views::{ChatMessageResponse, UnreadUpdate},
};
use crate::{
    Core,
    accounts::Authenticated,
    admin::activity,
    error::{Error, ErrorCode, FieldErrors, FieldIssue, Result},
    time,
};

/// How long after sending a message may be edited.
pub const EDIT_WINDOW_MINUTES: i64 = 15;
/// Longest report reason.
const MAX_REASON_CHARS: usize = 1000;

/// The caller's own live message of a conversation they take part in.
async fn own_message(
    core: &Core,
    caller: &Authenticated,
    conversation: Uuid,
    message: Uuid,
) -> Result<(Access, messages::Model, ChatMessageResponse)> {
    let access = access::conversation(core, caller, conversation).await?;
    let (row, view) = history::message(core.db.conn(), core, access.id(), message)
        .await?
        .ok_or(Error::code(ErrorCode::MessageNotFound))?;
    if row.sender_id != caller.user.id {
        return Err(ErrorCode::NotTheSender.into());
    }
    Ok((access, row, view))
}

/// Replaces a message's text (its sender, within 15 minutes).
pub async fn edit(
    core: &Core,
    caller: &Authenticated,
    conversation: Uuid,
    message: Uuid,
    text: Option<String>,
) -> Result<ChatMessageResponse> {
    let mut errors = FieldErrors::new();
    let text = check_text(&mut errors, text.as_deref());
    let (access, row, view) = own_message(core, caller, conversation, message).await?;
    if row.deleted_at.is_some() {
        return Err(ErrorCode::MessageDeleted.into());
    }
    let now = time::now();
    let closes = row
        .created_at
        .checked_add_signed(Duration::minutes(EDIT_WINDOW_MINUTES))
        .unwrap_or(row.created_at);
    if now > closes {
        return Err(ErrorCode::EditWindowClosed.into());
    }
    if text.is_empty() && view.attachments.is_empty() {
        errors.add("text", FieldIssue::Required);
    }
    errors.into_result()?;
    let txn = core.db.begin_write().await?.without_account_changes();
    let changed = messages::Entity::update_many()
        .col_expr(messages::Column::Text, Expr::value(text.clone()))
        .col_expr(messages::Column::EditedAt, Expr::value(Some(now)))
        .filter(messages::Column::Id.eq(row.id))
        .filter(messages::Column::DeletedAt.is_null())
        .exec(&*txn)
        .await?;
    if changed.rows_affected == 0 {
        return Err(ErrorCode::MessageDeleted.into());
    }
    let view = ChatMessageResponse {
        text,
        edited_at: Some(now),
        ..view
    };
    gated::run_open(
        &*txn,
        vec![events::message(
            &access.participant_ids(),
            "message:updated",
            &view,
        )?],
    )
    .await?;
    txn.commit().await?;
    core.outbox_wakeup.notify_one();
    Ok(view)
}

/// Deletes a message (its sender): the tombstone stays in the log; its
/// files are removed. Deleting it again answers the tombstone.
pub async fn delete(
    core: &Core,
    caller: &Authenticated,
    conversation: Uuid,
    message: Uuid,
) -> Result<ChatMessageResponse> {
    let (access, row, view) = own_message(core, caller, conversation, message).await?;
    tombstone(core, &access, row, view).await
}

/// Staff take a reported message down (the moderation queue): the same
/// tombstone as its sender's deletion; the access is logged.
pub async fn take_down(
    core: &Core,
    caller: &Authenticated,
    conversation: Uuid,
    message: Uuid,
) -> Result<ChatMessageResponse> {
    let access = access::conversation(core, caller, conversation).await?;
    let (row, view) = history::message(core.db.conn(), core, access.id(), message)
        .await?
        .ok_or(Error::code(ErrorCode::MessageNotFound))?;
    access::log_staff_access(core, &access, "take_down").await?;
    tombstone(core, &access, row, view).await
}

/// Leaves a tombstone of `row` (no text, files removed); a deleted one
/// answers as it is.
async fn tombstone(
    core: &Core,
    access: &Access,
    row: messages::Model,
    view: ChatMessageResponse,
) -> Result<ChatMessageResponse> {
    if row.deleted_at.is_some() {
        return Ok(view);
    }
    let now = time::now();
    let txn = core.db.begin_write().await?.without_account_changes();
    let changed = messages::Entity::update_many()
        .col_expr(messages::Column::Text, Expr::value(""))
        .col_expr(messages::Column::DeletedAt, Expr::value(Some(now)))
        .filter(messages::Column::Id.eq(row.id))
        .filter(messages::Column::DeletedAt.is_null())
        .exec(&*txn)
        .await?;
    let files = message_attachments::Entity::find()
        .filter(message_attachments::Column::MessageId.eq(row.id))
        .all(&*txn)
        .await?;
    message_attachments::Entity::delete_many()
        .filter(message_attachments::Column::MessageId.eq(row.id))
        .exec(&*txn)
        .await?;
    let tombstone = ChatMessageResponse::new(
        &messages::Model {
            text: String::new(),
            deleted_at: Some(now),
            ..row
        },
        &[],
        &core.settings,
    );
    if changed.rows_affected > 0 {
        let mut writes = vec![events::message(
            &access.participant_ids(),
            "message:deleted",
            &tombstone,
        )?];
        // A deleted message no longer counts as unread.
        for other in access.others() {
            let unread_count = unread::in_conversation(&*txn, access.id(), other.user_id).await?;
            writes.push(events::unread(
                other.user_id,
                &UnreadUpdate {
                    conversation_id: access.id(),
                    unread_count,
                },
            )?);
        }
        gated::run_open(&*txn, writes).await?;
    }
    txn.commit().await?;
    core.outbox_wakeup.notify_one();
    for file in files {
        if let Err(err) = core.storage.delete(&file.file_key).await {
            tracing::warn!(file.key = %file.file_key, error = %err, "could not remove a deleted message's file");
        }
    }
    Ok(tombstone)
}

/// A report as stored.
#[derive(Debug, Clone)]
pub struct Reported {
    pub report: message_reports::Model,
    /// False when the caller had reported this message already.
    pub created: bool,
}

/// Reports someone else's message to moderation (participants).
pub async fn report(
    core: &Core,
    caller: &Authenticated,
    conversation: Uuid,
    message: Uuid,
    reason: Option<String>,
) -> Result<Reported> {
    let reason = reason.unwrap_or_default().trim().to_owned();
    let mut errors = FieldErrors::new();
    if reason.is_empty() {
        errors.add("reason", FieldIssue::Required);
    } else if reason.chars().count() > MAX_REASON_CHARS {
        errors.add("reason", FieldIssue::TooLong(MAX_REASON_CHARS));
    } else if reason.contains('\0') {
        errors.add("reason", FieldIssue::NulByte);
    }
    errors.into_result()?;
    let access = access::conversation(core, caller, conversation).await?;
    if access.viewer != Viewer::Participant {
        return Err(ErrorCode::ConversationNotFound.into());
    }
    let (row, _) = history::message(core.db.conn(), core, access.id(), message)
        .await?
        .ok_or(Error::code(ErrorCode::MessageNotFound))?;
    if row.sender_id == caller.user.id {
        return Err(ErrorCode::Forbidden.into());
    }
    let report = message_reports::ActiveModel {
        id: Set(Uuid::now_v7()),
        message_id: Set(row.id),
        conversation_id: Set(access.id()),
        reporter_id: Set(caller.user.id),
        reason: Set(reason.clone()),
        created_at: Set(time::now()),
        resolved_at: Set(None),
        resolved_by: Set(None),
    };
    let txn = core.db.begin_write().await?.without_account_changes();
    let inserted = message_reports::Entity::insert(report)
        .on_conflict(
            OnConflict::columns([
                message_reports::Column::MessageId,
                message_reports::Column::ReporterId,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(&*txn)
        .await?;
    if inserted > 0 {
        activity::record(
            &*txn,
            Some(caller.user.id),
            "chat.report",
            "message",
            Some(row.id.to_string()),
            json!({
                "conversationId": access.id(),
                "senderId": row.sender_id,
                "seq": row.seq,
                "reason": reason,
            }),
        )
        .await?;
    }
    let stored = message_reports::Entity::find()
        .filter(message_reports::Column::MessageId.eq(row.id))
        .filter(message_reports::Column::ReporterId.eq(caller.user.id))
        .one(&*txn)
        .await?
        .ok_or_else(|| Error::Internal(anyhow::anyhow!("report vanished")))?;
    txn.commit().await?;
    Ok(Reported {
        report: stored,
        created: inserted > 0,
    })
}
