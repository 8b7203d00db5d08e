//! Reading a job's row: as it is, or locked for a write.

use sea_orm::{ConnectionTrait, EntityTrait};
use souk_db::entities::jobs;
use uuid::Uuid;

use crate::{
    Core,
    error::{Error, ErrorCode, Result},
};

/// Loads a job or answers 404 `job_not_found`.
pub async fn load(conn: &impl ConnectionTrait, id: Uuid) -> Result<jobs::Model> {
    jobs::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(Error::code(ErrorCode::JobNotFound))
}

/// Loads a job inside a write transaction, locking its row on PostgreSQL so
/// concurrent transitions queue (SQLite writes are serialized already).
pub async fn load_for_update(
    core: &Core,
    conn: &impl ConnectionTrait,
    id: Uuid,
) -> Result<jobs::Model> {
    core.db
        .for_update(jobs::Entity::find_by_id(id))
        .one(conn)
        .await?
        .ok_or(Error::code(ErrorCode::JobNotFound))
}
