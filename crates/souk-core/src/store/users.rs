//! Serializing one user's write transactions, the engine's way: PostgreSQL
//! takes the user row's lock (`SELECT … FOR UPDATE`); SQLite needs nothing,
//! its writers are serialized already (`Db::begin_write`), so it sends no
//! statement at all.

use sea_orm::{ConnectionTrait, DbBackend, DbErr, EntityTrait, QuerySelect};
use souk_db::entities::users;
use uuid::Uuid;

/// Makes concurrent write transactions about `user` queue behind this one
/// (`conn` must be a write transaction), so a rule they check — "at most
/// ten pictures" — holds for all of them.
pub async fn serialize_writes(conn: &impl ConnectionTrait, user: Uuid) -> Result<(), DbErr> {
    if conn.get_database_backend() == DbBackend::Postgres {
        users::Entity::find_by_id(user)
            .lock_exclusive()
            .one(conn)
            .await?;
    }
    Ok(())
}
