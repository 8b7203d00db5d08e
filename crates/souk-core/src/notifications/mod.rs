//! Stored notifications, written in the same transaction as the change that
//! causes them, with an outbox row that routes them further
//! (`crate::delivery`): to the user's sockets (`notification`, the REST
//! shape), push devices and email, as their preferences allow.

mod bookings;
mod email;
mod messages;
mod money;
mod tasks;
mod trust;

pub use bookings::{BookingEvent, BookingWhat};
pub use email::{DigestItem, EmailContext, RenderedEmail, action_link, render, render_digest};
pub use messages::Event;
pub use money::{MoneyEvent, format_money};
pub use tasks::TaskEvent;
pub use trust::TrustEvent;

use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, sea_query::Expr,
};
use souk_db::entities::notifications;
use souk_db::gated::{self, GatedWrite};
use uuid::Uuid;

use crate::{
    Core, Lang,
    error::{ErrorCode, Result},
    outbox::OutboxMessage,
    pagination::{Page, PageRequest},
    time,
};

/// Stores a notification for `user` in their language and queues its
/// delivery (one statement on PostgreSQL).
pub async fn notify(conn: &impl ConnectionTrait, user: Uuid, event: &Event) -> Result<()> {
    gated::run_open(conn, writes(user, event)?).await?;
    Ok(())
}

/// The writes that store a notification and queue its delivery, to run on
/// their own ([`notify`]) or to ride along with another write. Both texts
/// are rendered here and the database picks the one in the user's language.
pub fn writes(user: Uuid, event: &Event) -> Result<Vec<GatedWrite>> {
    let (title_en, body_en) = event.render(Lang::En);
    let (title_ar, body_ar) = event.render(Lang::Ar);
    let id = Uuid::now_v7();
    let now = time::now();
    let delivery =
        serde_json::to_string(&OutboxMessage::Notification { id }).map_err(anyhow::Error::from)?;
    let arabic = "substr(lower(u.language), 1, 2) = 'ar'";
    let stored = GatedWrite::new(
        format!(
            "INSERT INTO notifications (id, user_id, kind, title, body, data, read_at, created_at) \
             SELECT $1, u.id, $2, CASE WHEN {arabic} THEN $3 ELSE $4 END, \
             CASE WHEN {arabic} THEN $5 ELSE $6 END, $7, NULL, $8 FROM users u \
             WHERE u.id = $9 AND {{gate}}"
        ),
        vec![
            id.into(),
            event.kind().into(),
            title_ar.into(),
            title_en.into(),
            body_ar.into(),
            body_en.into(),
            event.data().to_string().into(),
            now.into(),
            user.into(),
        ],
    );
    let queued = GatedWrite::new(
        "INSERT INTO outbox (kind, payload, available_at, attempts, created_at) \
         SELECT 'notification', $1, $2, 0, $3 WHERE {gate}",
        vec![delivery.into(), now.into(), now.into()],
    );
    Ok(vec![stored, queued])
}

/// Lists a user's notifications, newest first.
pub async fn list(
    core: &Core,
    user: Uuid,
    unread_only: bool,
    page: PageRequest,
) -> Result<Page<notifications::Model>> {
    let mut query = notifications::Entity::find().filter(notifications::Column::UserId.eq(user));
    if unread_only {
        query = query.filter(notifications::Column::ReadAt.is_null());
    }
    let total = query.clone().count(core.db.conn()).await?;
    let items = query
        .order_by_desc(notifications::Column::CreatedAt)
        .order_by_desc(notifications::Column::Id)
        .offset(page.offset())
        .limit(page.limit)
        .all(core.db.conn())
        .await?;
    Ok(Page::new(items, page, total))
}

/// A user's notifications stored after the one with id `after` (ids are
/// time-ordered), oldest first, at most `limit`: what a reconnecting client
/// missed.
pub async fn after(
    core: &Core,
    user: Uuid,
    after: Uuid,
    limit: u64,
) -> Result<Vec<notifications::Model>> {
    Ok(notifications::Entity::find()
        .filter(notifications::Column::UserId.eq(user))
        .filter(notifications::Column::Id.gt(after))
        .order_by_asc(notifications::Column::Id)
        .limit(limit)
        .all(core.db.conn())
        .await?)
}

/// How many unread notifications a user has.
pub async fn unread_count(core: &Core, user: Uuid) -> Result<u64> {
    Ok(notifications::Entity::find()
        .filter(notifications::Column::UserId.eq(user))
        .filter(notifications::Column::ReadAt.is_null())
        .count(core.db.conn())
        .await?)
}

/// Which notifications to mark read.
pub enum MarkRead {
    Ids(Vec<Uuid>),
    All,
}

/// Marks the user's own notifications read; returns how many changed.
pub async fn mark_read(core: &Core, user: Uuid, which: MarkRead) -> Result<u64> {
    let mut update = notifications::Entity::update_many()
        .col_expr(notifications::Column::ReadAt, Expr::value(time::now()))
        .filter(notifications::Column::UserId.eq(user))
        .filter(notifications::Column::ReadAt.is_null());
    if let MarkRead::Ids(ids) = which {
        update = update.filter(notifications::Column::Id.is_in(ids));
    }
    let txn = core.db.begin_write().await?.without_account_changes();
    let result = update.exec(&*txn).await?;
    txn.commit().await?;
    Ok(result.rows_affected)
}

/// Deletes one of the user's own notifications (someone else's: 404).
pub async fn delete(core: &Core, user: Uuid, id: Uuid) -> Result<()> {
    let txn = core.db.begin_write().await?.without_account_changes();
    let result = notifications::Entity::delete_many()
        .filter(notifications::Column::Id.eq(id))
        .filter(notifications::Column::UserId.eq(user))
        .exec(&*txn)
        .await?;
    txn.commit().await?;
    if result.rows_affected == 0 {
        return Err(ErrorCode::NotificationNotFound.into());
    }
    Ok(())
}

/// A notification as clients see it: the shape of the REST
/// `NotificationResponse` (`GET /api/notifications`), which the realtime
/// `notification` event carries too.
pub fn view(n: &notifications::Model) -> serde_json::Value {
    serde_json::json!({
        "id": n.id,
        "type": n.kind,
        "title": n.title,
        "message": n.body,
        "data": serde_json::from_str::<serde_json::Value>(&n.data).unwrap_or_default(),
        "read": n.read_at.is_some(),
        "readAt": n.read_at,
        "createdAt": n.created_at,
    })
}
