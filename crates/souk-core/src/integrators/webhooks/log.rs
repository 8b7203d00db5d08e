//! An endpoint's delivery log: its deliveries (status, attempts, last
//! response) and every attempt (status, latency, response excerpt).

use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use souk_db::{
    entities::{webhook_attempts, webhook_deliveries},
    enums::WebhookDeliveryStatus,
};
use uuid::Uuid;

use super::endpoints;
use crate::{
    Core,
    error::Result,
    pagination::{Page, PageRequest},
};

/// An endpoint's deliveries, newest event first.
pub async fn deliveries(
    core: &Core,
    endpoint: Uuid,
    status: Option<WebhookDeliveryStatus>,
    page: PageRequest,
) -> Result<Page<webhook_deliveries::Model>> {
    endpoints::get(core, endpoint).await?;
    let mut query = webhook_deliveries::Entity::find()
        .filter(webhook_deliveries::Column::EndpointId.eq(endpoint));
    if let Some(status) = status {
        query = query.filter(webhook_deliveries::Column::Status.eq(status));
    }
    let total = query.clone().count(core.db.conn()).await?;
    let items = query
        .order_by_desc(webhook_deliveries::Column::Sequence)
        .order_by_desc(webhook_deliveries::Column::CreatedAt)
        .offset(page.offset())
        .limit(page.limit)
        .all(core.db.conn())
        .await?;
    Ok(Page::new(items, page, total))
}

/// An endpoint's attempts, newest first.
pub async fn attempts(
    core: &Core,
    endpoint: Uuid,
    page: PageRequest,
) -> Result<Page<webhook_attempts::Model>> {
    endpoints::get(core, endpoint).await?;
    let query =
        webhook_attempts::Entity::find().filter(webhook_attempts::Column::EndpointId.eq(endpoint));
    let total = query.clone().count(core.db.conn()).await?;
    let items = query
        .order_by_desc(webhook_attempts::Column::AttemptedAt)
        .order_by_desc(webhook_attempts::Column::Id)
        .offset(page.offset())
        .limit(page.limit)
        .all(core.db.conn())
        .await?;
    Ok(Page::new(items, page, total))
}
