//! Claiming due outbox rows, the engine's way: PostgreSQL skips rows another
//! node's dispatcher has locked (`FOR UPDATE SKIP LOCKED`), so several nodes
//! share the work; SQLite has one writer and one process, so a plain
//! guarded update does.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbBackend, DbErr, FromQueryResult, Statement, Value};

/// Most rows one claim takes: a chat at 1,000 messages/s writes some 2,000
/// rows a second, and each claim and each batch's "delivered" mark is a
/// write transaction, so batches are large (delivering one is in-memory
/// work for realtime rows).
const BATCH: u32 = 256;

/// A claimed row: what delivering it needs.
#[derive(Debug, FromQueryResult)]
pub struct Claimed {
    pub id: i64,
    pub payload: String,
    pub attempts: i32,
}

/// Leases up to a batch of due, undelivered, unleased rows until
/// `lease_end` (counting the attempt) inside `conn`'s transaction, and
/// returns them.
pub async fn claim(
    conn: &impl ConnectionTrait,
    now: DateTime<Utc>,
    lease_end: DateTime<Utc>,
) -> Result<Vec<Claimed>, DbErr> {
    let backend = conn.get_database_backend();
    let (sql, values): (String, Vec<Value>) = match backend {
        DbBackend::Postgres => (
            format!(
                "UPDATE outbox SET locked_until = $1, attempts = attempts + 1 WHERE id IN (\
                 SELECT id FROM outbox WHERE processed_at IS NULL AND available_at <= $2 \
                 AND (locked_until IS NULL OR locked_until < $2) ORDER BY id LIMIT {BATCH} \
                 FOR UPDATE SKIP LOCKED) RETURNING id, payload, attempts"
            ),
            vec![lease_end.into(), now.into()],
        ),
        _ => (
            format!(
                "UPDATE outbox SET locked_until = ?, attempts = attempts + 1 WHERE id IN (\
                 SELECT id FROM outbox WHERE processed_at IS NULL AND available_at <= ? \
                 AND (locked_until IS NULL OR locked_until < ?) ORDER BY id LIMIT {BATCH}) \
                 RETURNING id, payload, attempts"
            ),
            vec![lease_end.into(), now.into(), now.into()],
        ),
    };
    Claimed::find_by_statement(Statement::from_sql_and_values(backend, sql, values))
        .all(conn)
        .await
}
