//! Reading disputes: one with its timeline and files (the parties and
//! staff; anyone else 404), and the caller's own.

use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use souk_db::entities::{dispute_events, dispute_files, disputes};
use uuid::Uuid;

use super::side;
use crate::{
    Core,
    accounts::Authenticated,
    error::{ErrorCode, Result},
    pagination::{Page, PageRequest},
    store,
};

/// A dispute with everything that happened in it.
#[derive(Debug, Clone)]
pub struct DisputeDetail {
    pub dispute: disputes::Model,
    /// Oldest first.
    pub timeline: Vec<dispute_events::Model>,
    pub files: Vec<dispute_files::Model>,
    /// What the contract's escrow holds now.
    pub held: i64,
}

/// `GET /api/disputes/:id`.
pub async fn one(core: &Core, caller: &Authenticated, id: Uuid) -> Result<DisputeDetail> {
    let conn = core.db.conn();
    let dispute = disputes::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(ErrorCode::DisputeNotFound)?;
    side(&dispute, caller)?;
    detail(core, dispute).await
}

/// The timeline, files and escrow of `dispute`.
pub async fn detail(core: &Core, dispute: disputes::Model) -> Result<DisputeDetail> {
    let conn = core.db.conn();
    let timeline = dispute_events::Entity::find()
        .filter(dispute_events::Column::DisputeId.eq(dispute.id))
        .order_by_asc(dispute_events::Column::CreatedAt)
        .order_by_asc(dispute_events::Column::Id)
        .all(conn)
        .await?;
    let files = dispute_files::Entity::find()
        .filter(dispute_files::Column::DisputeId.eq(dispute.id))
        .order_by_asc(dispute_files::Column::CreatedAt)
        .all(conn)
        .await?;
    let held = store::contracts::job_for_transition(conn, dispute.job_id, false)
        .await?
        .1
        .map_or(0, |c| c.held);
    Ok(DisputeDetail {
        dispute,
        timeline,
        files,
        held,
    })
}

/// `GET /api/disputes`: the caller's disputes (either side), newest first.
pub async fn mine(
    core: &Core,
    caller: &Authenticated,
    page: PageRequest,
) -> Result<Page<disputes::Model>> {
    let me = caller.user.id;
    let query = disputes::Entity::find().filter(
        sea_orm::Condition::any()
            .add(disputes::Column::OpenedBy.eq(me))
            .add(disputes::Column::RespondentId.eq(me)),
    );
    let total = query.clone().count(core.db.conn()).await?;
    let items = query
        .order_by_desc(disputes::Column::CreatedAt)
        .order_by_desc(disputes::Column::Id)
        .offset(page.offset())
        .limit(page.limit)
        .all(core.db.conn())
        .await?;
    Ok(Page::new(items, page, total))
}
