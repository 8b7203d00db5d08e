//! The activity log: who did what to what, with details, and when.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use souk_db::entities::activity_log;
use uuid::Uuid;

use crate::{
    Core,
    error::Result,
    pagination::{Page, PageRequest},
    time,
};

/// Appends an entry (inside the caller's transaction).
pub async fn record(
    conn: &impl ConnectionTrait,
    actor: Option<Uuid>,
    action: &str,
    target_type: &str,
    target_id: Option<String>,
    details: serde_json::Value,
) -> Result<()> {
    activity_log::ActiveModel {
        id: Set(Uuid::now_v7()),
        actor_id: Set(actor),
        action: Set(action.to_owned()),
        target_type: Set(target_type.to_owned()),
        target_id: Set(target_id),
        details: Set(details.to_string()),
        created_at: Set(time::now()),
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// Filters for listing the log.
#[derive(Debug, Clone, Default)]
pub struct ActivityFilter {
    pub action: Option<String>,
    pub actor_id: Option<Uuid>,
    pub target_id: Option<String>,
}

/// Lists entries, newest first.
pub async fn list(
    core: &Core,
    filter: ActivityFilter,
    page: PageRequest,
) -> Result<Page<activity_log::Model>> {
    let mut query = activity_log::Entity::find();
    if let Some(action) = filter.action {
        query = query.filter(activity_log::Column::Action.eq(action));
    }
    if let Some(actor) = filter.actor_id {
        query = query.filter(activity_log::Column::ActorId.eq(actor));
    }
    if let Some(target) = filter.target_id {
        query = query.filter(activity_log::Column::TargetId.eq(target));
    }
    let total = query.clone().count(core.db.conn()).await?;
    let items = query
        .order_by_desc(activity_log::Column::CreatedAt)
        .order_by_desc(activity_log::Column::Id)
        .offset(page.offset())
        .limit(page.limit)
        .all(core.db.conn())
        .await?;
    Ok(Page::new(items, page, total))
}
