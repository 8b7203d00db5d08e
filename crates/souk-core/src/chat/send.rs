//! Sending a message: the one use-case behind the REST route and the
//! socket's `message:send`. In the message's own transaction: the
//! conversation's counter gives it the next `seq` (one guarded
//! `UPDATE … RETURNING`, which also refuses a blocked sender and holds the
//! row lock until commit, so concurrent sends queue and no number is lost
//! or repeated; it also refuses a sender banned since they connected), the row and its attachments are written, the sender's read
//! position moves to it, the contract's response-time clock is kept, and
//! the recipients' notification and the realtime events ride along as
//! outbox rows. A `clientMessageId` makes a resend answer the first message
//! (a unique index backs it against concurrent resends).

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    sea_query::Expr,
};
use serde_json::json;
use souk_db::{
    entities::{conversation_participants, message_attachments, messages, users},
    gated::{self, GatedWrite},
};
use uuid::Uuid;

use super::{
    access::{self, Access, Viewer},
    attachments::{self, MAX_ATTACHMENTS, Stored, Upload},
    events, presence, response_time, unread,
    views::{ChatMessageResponse, ReadReceipt, UnreadUpdate},
};
use crate::{
    Core, Settings,
    accounts::{Authenticated, sessions::banned_error},
    error::{Error, ErrorCode, FieldErrors, FieldIssue, Result},
    notifications::{self, Event},
    time,
};

/// Longest message text, in characters.
pub const MAX_TEXT_CHARS: usize = 4000;
/// Longest `clientMessageId`.
pub const MAX_CLIENT_ID_CHARS: usize = 64;
/// Characters of a message a notification shows.
const PREVIEW_CHARS: usize = 100;

/// A file sent with a message.
#[derive(Debug, Clone)]
pub enum NewAttachment {
    /// Uploaded ahead (`POST …/attachments`) and referenced by its id.
    Uploaded(Uuid),
    /// Sent with the message itself.
    File(Upload),
}

/// A message to send.
#[derive(Debug, Clone)]
pub struct SendMessage {
    pub conversation: Uuid,
    pub text: Option<String>,
    pub attachments: Vec<NewAttachment>,
    /// The client's own id for the message: a resend with it answers the
    /// first message (at most 64 characters).
    pub client_message_id: Option<String>,
}

/// The message as stored.
#[derive(Debug, Clone)]
pub struct Sent {
    pub message: ChatMessageResponse,
    /// False when a resend found the first message.
    pub created: bool,
}

/// A message's text: trimmed, at most 4,000 characters, no NUL.
pub fn check_text(errors: &mut FieldErrors, text: Option<&str>) -> String {
    let text = text.unwrap_or_default().trim();
    if text.contains('\0') {
        errors.add("text", FieldIssue::NulByte);
    } else if text.chars().count() > MAX_TEXT_CHARS {
        errors.add("text", FieldIssue::TooLong(MAX_TEXT_CHARS));
    }
    text.to_owned()
}

fn check_client_id(errors: &mut FieldErrors, id: Option<&str>) -> Option<String> {
    let id = id?.trim();
    if id.is_empty() {
        errors.add("clientMessageId", FieldIssue::Required);
    } else if id.chars().count() > MAX_CLIENT_ID_CHARS {
        errors.add("clientMessageId", FieldIssue::TooLong(MAX_CLIENT_ID_CHARS));
    } else if id.chars().any(char::is_control) {
        errors.add("clientMessageId", FieldIssue::Invalid);
    }
    Some(id.to_owned())
}

/// Sends a message to a conversation the caller takes part in (or, for
/// staff, one they may write to: a disputed job's).
pub async fn send(core: &Core, caller: &Authenticated, request: SendMessage) -> Result<Sent> {
    if caller.user.banned_at.is_some() {
        return Err(banned_error(&caller.user));
    }
    let mut errors = FieldErrors::new();
    let text = check_text(&mut errors, request.text.as_deref());
    let client_id = check_client_id(&mut errors, request.client_message_id.as_deref());
    if request.attachments.len() > MAX_ATTACHMENTS {
        errors.add("attachments", FieldIssue::TooLong(MAX_ATTACHMENTS));
    }
    if text.is_empty() && request.attachments.is_empty() {
        errors.add("text", FieldIssue::Required);
    }
    errors.into_result()?;

    let access = access::conversation(core, caller, request.conversation).await?;
    if let Some(id) = &client_id
        && let Some(first) = find_resent(core.db.conn(), &core.settings, &access, id).await?
    {
        return Ok(Sent {
            message: first,
            created: false,
        });
    }
    if access.blocked() {
        return Err(ErrorCode::Blocked.into());
    }
    core.chat_limiter.check(caller.user.id).map_err(|wait| {
        Error::with_details(ErrorCode::RateLimited, json!({ "retryAfter": wait }))
    })?;

    let mut referenced = Vec::new();
    let mut uploads = Vec::new();
    for attachment in request.attachments {
        match attachment {
            NewAttachment::Uploaded(id) => referenced.push(id),
            NewAttachment::File(file) => uploads.push(file),
        }
    }
    let pending = attachments::pending(core, &access, &referenced).await?;
    // Every file is checked before any is stored: a bad one stores nothing.
    let mut prepared = Vec::with_capacity(uploads.len());
    for upload in uploads {
        prepared.push(attachments::prepare(upload).await?);
    }
    let stored = attachments::store_all(core, access.id(), prepared).await?;

    let draft = Draft {
        text,
        client_id,
        pending,
        stored: &stored,
        sender_name: format!("{} {}", caller.user.first_name, caller.user.last_name)
            .trim()
            .to_owned(),
    };
    match write(core, &access, draft).await {
        Ok(sent) => {
            core.outbox_wakeup.notify_one();
            Ok(sent)
        }
        Err(err) => {
            attachments::discard(core, &stored).await;
            // A concurrent resend with the same client id won the unique
            // index: answer its message.
            if let Some(id) = request.client_message_id.as_deref().map(str::trim)
                && let Some(first) =
                    find_resent(core.db.conn(), &core.settings, &access, id).await?
            {
                return Ok(Sent {
                    message: first,
                    created: false,
                });
            }
            Err(err)
        }
    }
}

/// What `write` stores.
struct Draft<'a> {
    text: String,
    client_id: Option<String>,
    pending: Vec<message_attachments::Model>,
    stored: &'a [Stored],
    sender_name: String,
}

/// The first message the caller sent here with `client_id`, if any.
async fn find_resent(
    conn: &impl ConnectionTrait,
    settings: &Settings,
    access: &Access,
    client_id: &str,
) -> Result<Option<ChatMessageResponse>> {
    let Some(message) = messages::Entity::find()
        .filter(messages::Column::ConversationId.eq(access.id()))
        .filter(messages::Column::SenderId.eq(access.caller))
        .filter(messages::Column::ClientMessageId.eq(client_id))
        .one(conn)
        .await?
    else {
        return Ok(None);
    };
    let files = message_attachments::Entity::find()
        .filter(message_attachments::Column::MessageId.eq(message.id))
        .all(conn)
        .await?;
    Ok(Some(ChatMessageResponse::new(&message, &files, settings)))
}

/// The counter after a message is numbered, and the contract's clock, as
/// the conversation's locked row holds them.
struct Numbered {
    seq: i64,
    clock: response_time::Clock,
}

/// Why a message could not be numbered.
enum Refused {
    /// Another participant blocks the sender.
    Blocked,
    /// The sender was banned since they signed in (a socket's caller).
    Banned,
}

/// Takes the conversation's next `seq` (and its row lock), unless the
/// sender is banned or another participant blocks them.
async fn next_seq(
    conn: &impl ConnectionTrait,
    access: &Access,
    now: DateTime<Utc>,
) -> Result<std::result::Result<Numbered, Refused>> {
    // Participants are refused while another one blocks them; staff
    // writing to a disputed job's conversation are not.
    let unblocked = if access.viewer == Viewer::Participant {
        " AND NOT EXISTS (SELECT 1 FROM conversation_participants b \
         WHERE b.conversation_id = $2 AND b.user_id <> $3 AND b.status = 'blocking')"
    } else {
        ""
    };
    let sql = format!(
        "UPDATE conversations SET last_seq = last_seq + 1, updated_at = $1 WHERE id = $2 \
         AND EXISTS (SELECT 1 FROM users s WHERE s.id = $3 AND s.banned_at IS NULL){unblocked} \
         RETURNING last_seq, client_first_message_at, craftsman_first_reply_at"
    );
    let row = conn
        .query_one_raw(souk_db::sql_text::statement(
            conn,
            sql,
            [now.into(), access.id().into(), access.caller.into()],
        ))
        .await?;
    let Some(row) = row else {
        let banned = users::Entity::find_by_id(access.caller)
            .filter(users::Column::BannedAt.is_not_null())
            .one(conn)
            .await?
            .is_some();
        return Ok(Err(if banned {
            Refused::Banned
        } else {
            Refused::Blocked
        }));
    };
    Ok(Ok(Numbered {
        seq: row.try_get("", "last_seq")?,
        clock: response_time::Clock {
            client_first_message_at: row.try_get("", "client_first_message_at")?,
            craftsman_first_reply_at: row.try_get("", "craftsman_first_reply_at")?,
        },
    }))
}

async fn write(core: &Core, access: &Access, draft: Draft<'_>) -> Result<Sent> {
    let me = access.caller;
    let conversation = access.id();
    // A resend racing the first send is not looked for here: the unique
    // index on (conversation, sender, clientMessageId) refuses its insert
    // and `send` answers the first message (one statement fewer per send).
    let mut txn = core.db.begin_write().await?;
    let now = time::now();
    let numbered = match next_seq(&*txn, access, now).await? {
        Ok(numbered) => numbered,
        Err(Refused::Blocked) => return Err(ErrorCode::Blocked.into()),
        Err(Refused::Banned) => {
            let user = users::Entity::find_by_id(me)
                .one(&*txn)
                .await?
                .ok_or(Error::code(ErrorCode::AccountBanned))?;
            return Err(banned_error(&user));
        }
    };
    let seq = numbered.seq;
    let message = messages::ActiveModel {
        id: Set(Uuid::now_v7()),
        conversation_id: Set(conversation),
        seq: Set(seq),
        sender_id: Set(me),
        text: Set(draft.text.clone()),
        client_message_id: Set(draft.client_id.clone()),
        created_at: Set(now),
        edited_at: Set(None),
        deleted_at: Set(None),
    }
    .insert(&*txn)
    .await?;

    let mut files = Vec::with_capacity(draft.pending.len().saturating_add(draft.stored.len()));
    if !draft.pending.is_empty() {
        let ids: Vec<Uuid> = draft.pending.iter().map(|a| a.id).collect();
        let attached = message_attachments::Entity::update_many()
            .col_expr(
                message_attachments::Column::MessageId,
                Expr::value(message.id),
            )
            .filter(message_attachments::Column::Id.is_in(ids.clone()))
            .filter(message_attachments::Column::MessageId.is_null())
            .exec(&*txn)
            .await?;
        if usize::try_from(attached.rows_affected).ok() != Some(ids.len()) {
            // Sent with another message meanwhile.
            return Err(Error::Validation(FieldErrors::single(
                "attachments",
                FieldIssue::Invalid,
            )));
        }
        files.extend(draft.pending.iter().map(|a| message_attachments::Model {
            message_id: Some(message.id),
            ..a.clone()
        }));
    }
    if !draft.stored.is_empty() {
        let rows = draft
            .stored
            .iter()
            .map(|file| file.row(conversation, me, Some(message.id)));
        message_attachments::Entity::insert_many(rows)
            .exec_without_returning(&*txn)
            .await?;
        files.extend(draft.stored.iter().map(|file| message_attachments::Model {
            id: file.id,
            conversation_id: conversation,
            message_id: Some(message.id),
            uploader_id: me,
            file_key: file.file_key.clone(),
            content_type: file.content_type.clone(),
            size: file.size,
            name: file.name.clone(),
            created_at: now,
        }));
    }

    // Whoever writes has read everything before it.
    conversation_participants::Entity::update_many()
        .col_expr(
            conversation_participants::Column::LastReadSeq,
            Expr::value(seq),
        )
        .filter(conversation_participants::Column::ConversationId.eq(conversation))
        .filter(conversation_participants::Column::UserId.eq(me))
        .filter(conversation_participants::Column::LastReadSeq.lt(seq))
        .exec(&*txn)
        .await?;
    access::record_staff_access(&*txn, access, "write").await?;
    let profile_changed = response_time::on_message(&*txn, access, numbered.clock, now).await?;

    let view = ChatMessageResponse::new(&message, &files, &core.settings);
    let participants = access.participant_ids();
    let mut writes: Vec<GatedWrite> = vec![events::message(&participants, "message:new", &view)?];
    // Writing read what came before: when the sender had unread messages
    // there, the others see the receipt and the sender's other devices the
    // count drop to nothing, as after `POST …/read`.
    let had_unread = access
        .me()
        .is_some_and(|mine| mine.last_read_seq < seq.saturating_sub(1));
    if had_unread {
        let others: Vec<Uuid> = participants.iter().copied().filter(|p| *p != me).collect();
        if !others.is_empty() {
            writes.push(events::read(
                &others,
                &ReadReceipt {
                    conversation_id: conversation,
                    user_id: me,
                    seq,
                },
            )?);
        }
        writes.push(events::unread(
            me,
            &UnreadUpdate {
                conversation_id: conversation,
                unread_count: 0,
            },
        )?);
    }
    let preview: String = draft.text.chars().take(PREVIEW_CHARS).collect();
    for recipient in participants.iter().copied().filter(|p| *p != me) {
        let unread_count = unread::in_conversation(&*txn, conversation, recipient).await?;
        writes.push(events::unread(
            recipient,
            &UnreadUpdate {
                conversation_id: conversation,
                unread_count,
            },
        )?);
        // One notice per unread stretch: the first message they have not
        // read here; the rest reach them live and in the unread count. None
        // at all while they have the conversation open on a live socket.
        if unread_count == 1 && !presence::is_reading(&*txn, conversation, recipient, now).await? {
            writes.extend(notifications::writes(
                recipient,
                &Event::MessageReceived {
                    conversation,
                    message: message.id,
                    seq,
                    job: access.conversation.row.job_id,
                    sender: draft.sender_name.clone(),
                    preview: preview.clone(),
                },
            )?);
        }
    }
    gated::run_open(&*txn, writes).await?;
    if !profile_changed {
        txn = txn.without_account_changes();
    }
    txn.commit().await?;
    Ok(Sent {
        message: view,
        created: true,
    })
}
