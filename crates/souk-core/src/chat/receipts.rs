//! Read receipts: each participant's `lastReadSeq` moves forward only —
//! never back, never past the conversation's last message. A move tells
//! the other participants (`message:read`) and the reader's other devices
//! (`conversation:updated` with the new unread count) after commit.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
use souk_db::{entities::conversation_participants, gated};
use uuid::Uuid;

use super::{
    access::{self, Viewer},
    events, unread,
    views::{ReadReceipt, UnreadUpdate},
};
use crate::{
    Core,
    accounts::Authenticated,
    error::{Error, ErrorCode, FieldErrors, FieldIssue, Result},
};

/// Where a participant's reading stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadState {
    pub conversation_id: Uuid,
    pub last_read_seq: i64,
    pub unread_count: i64,
}

/// Marks a conversation read up to `seq` (clamped to its last message).
pub async fn mark_read(
    core: &Core,
    caller: &Authenticated,
    conversation: Uuid,
    seq: Option<i64>,
) -> Result<ReadState> {
    let Some(seq) = seq.filter(|s| *s >= 0) else {
        let issue = match seq {
            None => FieldIssue::Required,
            Some(_) => FieldIssue::OutOfRange {
                min: 0.0,
                max: 9.0e18,
            },
        };
        return Err(Error::Validation(FieldErrors::single("seq", issue)));
    };
    let access = access::conversation(core, caller, conversation).await?;
    let Some(me) = access.me().filter(|_| access.viewer == Viewer::Participant) else {
        return Err(ErrorCode::ConversationNotFound.into());
    };
    let target = seq.min(access.conversation.row.last_seq);
    if target <= me.last_read_seq {
        return Ok(ReadState {
            conversation_id: access.id(),
            last_read_seq: me.last_read_seq,
            unread_count: unread::in_conversation(core.db.conn(), access.id(), caller.user.id)
                .await?,
        });
    }
    let txn = core.db.begin_write().await?.without_account_changes();
    let moved = conversation_participants::Entity::update_many()
        .col_expr(
            conversation_participants::Column::LastReadSeq,
            Expr::value(target),
        )
        .filter(conversation_participants::Column::ConversationId.eq(access.id()))
        .filter(conversation_participants::Column::UserId.eq(caller.user.id))
        .filter(conversation_participants::Column::LastReadSeq.lt(target))
        .exec(&*txn)
        .await?;
    let unread_count = unread::in_conversation(&*txn, access.id(), caller.user.id).await?;
    if moved.rows_affected > 0 {
        let others: Vec<Uuid> = access.others().map(|p| p.user_id).collect();
        let mut writes = vec![events::unread(
            caller.user.id,
            &UnreadUpdate {
                conversation_id: access.id(),
                unread_count,
            },
        )?];
        if !others.is_empty() {
            writes.push(events::read(
                &others,
                &ReadReceipt {
                    conversation_id: access.id(),
                    user_id: caller.user.id,
                    seq: target,
                },
            )?);
        }
        gated::run_open(&*txn, writes).await?;
    }
    txn.commit().await?;
    if moved.rows_affected > 0 {
        core.outbox_wakeup.notify_one();
    }
    Ok(ReadState {
        conversation_id: access.id(),
        // A concurrent read may have moved it further still; never report
        // less than what was asked and allowed.
        last_read_seq: target,
        unread_count,
    })
}
