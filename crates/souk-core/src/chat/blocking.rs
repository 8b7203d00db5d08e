//! Blocking: either participant may block the other side of a conversation
//! (who can then no longer send there, 403 `blocked`) and lift it again.
//! Each move asks the membership lifecycle; asking for the state one is
//! already in changes nothing.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
use souk_db::{entities::conversation_participants, enums::MembershipStatus};
use uuid::Uuid;

use super::{
    access::{self, Access, Key, Viewer},
    membership::{MemberActor, membership_may},
};
use crate::{
    Core,
    accounts::Authenticated,
    error::{Error, ErrorCode, Result},
    time,
};

/// Blocks (`true`) or unblocks the other side of a conversation.
pub async fn set_blocking(
    core: &Core,
    caller: &Authenticated,
    conversation: Uuid,
    block: bool,
) -> Result<Access> {
    let access = access::conversation(core, caller, conversation).await?;
    let Some(me) = access.me().filter(|_| access.viewer == Viewer::Participant) else {
        return Err(ErrorCode::ConversationNotFound.into());
    };
    let target = if block {
        MembershipStatus::Blocking
    } else {
        MembershipStatus::Active
    };
    if me.status == target {
        return Ok(access);
    }
    if !membership_may(me.status, target, MemberActor::Member) {
        return Err(ErrorCode::Conflict.into());
    }
    let now = time::now();
    let txn = core.db.begin_write().await?.without_account_changes();
    let changed = conversation_participants::Entity::update_many()
        .col_expr(
            conversation_participants::Column::Status,
            Expr::value(target),
        )
        .col_expr(
            conversation_participants::Column::BlockedAt,
            Expr::value(block.then_some(now)),
        )
        .filter(conversation_participants::Column::ConversationId.eq(access.id()))
        .filter(conversation_participants::Column::UserId.eq(caller.user.id))
        .filter(conversation_participants::Column::Status.eq(me.status))
        .exec(&*txn)
        .await?;
    let reloaded = access::load(&*txn, Key::Id(access.id())).await?;
    txn.commit().await?;
    if changed.rows_affected == 0 {
        tracing::debug!(conversation.id = %access.id(), "membership changed concurrently");
    }
    let conversation =
        reloaded.ok_or_else(|| Error::Internal(anyhow::anyhow!("conversation vanished")))?;
    Ok(Access {
        conversation,
        ..access
    })
}
