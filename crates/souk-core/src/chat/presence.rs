//! Who is reading a conversation live: a socket that sent
//! `conversation:open` holds a `chat_presence` row until it sends
//! `conversation:close` or disconnects. A message to a recipient with such a
//! row stores no notification (it reaches them on screen); the realtime
//! events still go out. Rows are shared through the database, so every node
//! sees every node's readers; each node refreshes its own rows every
//! [`REFRESH_EVERY`], and a node that dies leaves rows that lapse after
//! [`TTL`].

use std::time::Duration;

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    sea_query::{Expr, OnConflict},
};
use souk_db::entities::chat_presence;
use uuid::Uuid;

use super::access::{self, Viewer};
use crate::{
    Core,
    accounts::Authenticated,
    error::{ErrorCode, Result},
    time,
};

/// How long a reader counts without its node refreshing it.
pub const TTL: Duration = Duration::from_secs(90);
/// How often a node refreshes its sockets' rows.
pub const REFRESH_EVERY: Duration = Duration::from_secs(30);

/// One socket of one node.
#[derive(Debug, Clone, Copy)]
pub struct Reader<'a> {
    pub socket: &'a str,
    pub node: Uuid,
}

fn lapse(now: DateTime<Utc>) -> DateTime<Utc> {
    now + chrono::Duration::from_std(TTL).unwrap_or(chrono::Duration::zero())
}

/// The caller's socket has `conversation` open on screen (participants
/// only: staff looking in are not recipients). Answers the conversation's
/// last `seq`.
pub async fn open(
    core: &Core,
    caller: &Authenticated,
    conversation: Uuid,
    reader: Reader<'_>,
) -> Result<i64> {
    let access = access::conversation(core, caller, conversation).await?;
    if access.viewer != Viewer::Participant {
        return Err(ErrorCode::ConversationNotFound.into());
    }
    let row = chat_presence::ActiveModel {
        socket_id: sea_orm::ActiveValue::Set(reader.socket.to_owned()),
        conversation_id: sea_orm::ActiveValue::Set(conversation),
        user_id: sea_orm::ActiveValue::Set(caller.user.id),
        node_id: sea_orm::ActiveValue::Set(reader.node),
        expires_at: sea_orm::ActiveValue::Set(lapse(time::now())),
    };
    let txn = core.db.begin_write().await?.without_account_changes();
    chat_presence::Entity::insert(row)
        .on_conflict(
            OnConflict::columns([
                chat_presence::Column::SocketId,
                chat_presence::Column::ConversationId,
            ])
            .update_columns([
                chat_presence::Column::UserId,
                chat_presence::Column::NodeId,
                chat_presence::Column::ExpiresAt,
            ])
            .to_owned(),
        )
        .exec_without_returning(&*txn)
        .await?;
    txn.commit().await?;
    Ok(access.conversation.row.last_seq)
}

/// The socket no longer shows `conversation` (no error when it did not).
pub async fn close(core: &Core, socket: &str, conversation: Uuid) -> Result<()> {
    let txn = core.db.begin_write().await?.without_account_changes();
    chat_presence::Entity::delete_many()
        .filter(chat_presence::Column::SocketId.eq(socket))
        .filter(chat_presence::Column::ConversationId.eq(conversation))
        .exec(&*txn)
        .await?;
    txn.commit().await?;
    Ok(())
}

/// The socket is gone: it reads nothing any more.
pub async fn forget_socket(core: &Core, socket: &str) -> Result<()> {
    let txn = core.db.begin_write().await?.without_account_changes();
    chat_presence::Entity::delete_many()
        .filter(chat_presence::Column::SocketId.eq(socket))
        .exec(&*txn)
        .await?;
    txn.commit().await?;
    Ok(())
}

/// Keeps a node's readers counting, and clears lapsed rows of any node.
pub async fn refresh(core: &Core, node: Uuid) -> Result<()> {
    let now = time::now();
    let txn = core.db.begin_write().await?.without_account_changes();
    chat_presence::Entity::update_many()
        .col_expr(chat_presence::Column::ExpiresAt, Expr::value(lapse(now)))
        .filter(chat_presence::Column::NodeId.eq(node))
        .exec(&*txn)
        .await?;
    chat_presence::Entity::delete_many()
        .filter(chat_presence::Column::ExpiresAt.lt(now))
        .exec(&*txn)
        .await?;
    txn.commit().await?;
    Ok(())
}

/// Whether `user` has `conversation` open on a live socket.
pub(super) async fn is_reading(
    conn: &impl ConnectionTrait,
    conversation: Uuid,
    user: Uuid,
    now: DateTime<Utc>,
) -> Result<bool> {
    Ok(chat_presence::Entity::find()
        .filter(chat_presence::Column::ConversationId.eq(conversation))
        .filter(chat_presence::Column::UserId.eq(user))
        .filter(chat_presence::Column::ExpiresAt.gt(now))
        .one(conn)
        .await?
        .is_some())
}
