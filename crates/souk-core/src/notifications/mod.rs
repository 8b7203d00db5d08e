//! Stored notifications, written in the same transaction as the change that
//! causes them, with an outbox row that delivers them further (email now;
//! realtime and push plug into the same row later).

mod messages;
mod money;

pub use messages::Event;
pub use money::{MoneyEvent, format_money};

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, sea_query::Expr,
};
use souk_db::entities::{notifications, users};
use uuid::Uuid;

use crate::{
    Core, Lang,
    error::{ErrorCode, Result},
    outbox::{self, OutboxMessage},
    pagination::{Page, PageRequest},
    time,
};

/// Stores a notification for `user` in their language and queues its delivery.
pub async fn notify(conn: &impl ConnectionTrait, user: Uuid, event: &Event) -> Result<()> {
    let language: Option<String> = users::Entity::find_by_id(user)
        .select_only()
        .column(users::Column::Language)
        .into_tuple()
        .one(conn)
        .await?;
    let lang = language
        .as_deref()
        .and_then(Lang::parse)
        .unwrap_or_default();
    let (title, body) = event.render(lang);
    let id = Uuid::now_v7();
    notifications::ActiveModel {
        id: Set(id),
        user_id: Set(user),
        kind: Set(event.kind().to_owned()),
        title: Set(title),
        body: Set(body),
        data: Set(event.data().to_string()),
        read_at: Set(None),
        created_at: Set(time::now()),
    }
    .insert(conn)
    .await?;
    outbox::enqueue(conn, &OutboxMessage::Notification { id }).await
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

/// Delivers a stored notification beyond the app: by email for now.
pub async fn deliver(core: &Core, id: Uuid) -> anyhow::Result<()> {
    let Some(notification) = notifications::Entity::find_by_id(id)
        .one(core.db.conn())
        .await?
    else {
        return Ok(()); // deleted before delivery
    };
    let Some(user) = users::Entity::find_by_id(notification.user_id)
        .one(core.db.conn())
        .await?
        .filter(|u| u.deleted_at.is_none())
    else {
        return Ok(());
    };
    core.mailer
        .send(&souk_integrations::mail::OutgoingMail {
            to: user.email,
            subject: notification.title,
            text_body: format!("{}\n\n{}\n", notification.body, core.settings.public_url),
            html_body: None,
        })
        .await
}
