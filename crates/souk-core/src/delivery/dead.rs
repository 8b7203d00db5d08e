//! The dead-letter list: deliveries that gave up (staff read them, with
//! their last error) and a retry that puts one back in the queue.

use sea_orm::{
    ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, sea_query::Expr,
};
use souk_db::{entities::deliveries, enums::DeliveryStatus};
use uuid::Uuid;

use crate::{
    Core,
    error::{ErrorCode, Result},
    outbox::{self, OutboxMessage},
    pagination::{Page, PageRequest},
    time,
};

/// Deliveries in `status` (all when `None`), most recently changed first.
pub async fn list(
    core: &Core,
    status: Option<DeliveryStatus>,
    page: PageRequest,
) -> Result<Page<deliveries::Model>> {
    let mut query = deliveries::Entity::find();
    if let Some(status) = status {
        query = query.filter(deliveries::Column::Status.eq(status));
    }
    let total = query.clone().count(core.db.conn()).await?;
    let items = query
        .order_by_desc(deliveries::Column::UpdatedAt)
        .order_by_desc(deliveries::Column::Id)
        .offset(page.offset())
        .limit(page.limit)
        .all(core.db.conn())
        .await?;
    Ok(Page::new(items, page, total))
}

/// Puts a dead delivery back in the queue (409 `delivery_not_dead` for any
/// other; 404 for an unknown one).
pub async fn retry(core: &Core, id: Uuid) -> Result<deliveries::Model> {
    let txn = core.db.begin_write().await?.without_account_changes();
    let revived = deliveries::Entity::update_many()
        .col_expr(
            deliveries::Column::Status,
            Expr::value(DeliveryStatus::Pending),
        )
        .col_expr(deliveries::Column::UpdatedAt, Expr::value(time::now()))
        .filter(deliveries::Column::Id.eq(id))
        .filter(deliveries::Column::Status.eq(DeliveryStatus::Dead))
        .exec(&*txn)
        .await?;
    let row = deliveries::Entity::find_by_id(id)
        .one(&*txn)
        .await?
        .ok_or(ErrorCode::DeliveryNotFound)?;
    if revived.rows_affected == 0 {
        return Err(ErrorCode::DeliveryNotDead.into());
    }
    outbox::enqueue(&*txn, &OutboxMessage::Deliver { delivery: id }).await?;
    txn.commit().await?;
    core.outbox_wakeup.notify_one();
    Ok(row)
}
