//! A job with its contract and what the contract's escrow holds, read for a
//! transition or a funding: one joined statement on PostgreSQL (the
//! contract locked by it when asked), three plain reads on SQLite (whose
//! writers are serialized, so a read inside a write transaction holds).

use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, FromQueryResult, QueryFilter, Statement,
};
use souk_db::entities::{contracts, jobs};
use uuid::Uuid;

use crate::{
    error::Result,
    marketplace::job_rows::load,
    money::{account::Account, ledger},
};

/// A job's contract as a transition or a funding finds it: locked (when
/// asked for) and with what its escrow holds.
#[derive(Debug, Clone)]
pub struct LockedContract {
    pub contract: contracts::Model,
    pub held: i64,
    /// Locked by the read (or SQLite, where writes are serialized). When
    /// not, the money statement runs as its own transaction and locks and
    /// re-checks the contract itself.
    pub locked: bool,
}

/// A job and its contract (if hired) with what the escrow holds, the
/// contract locked when `lock`. Everything that moves a job's money locks
/// its contract first and the job after.
pub async fn job_for_transition(
    conn: &impl ConnectionTrait,
    job_id: Uuid,
    lock: bool,
) -> Result<(jobs::Model, Option<LockedContract>)> {
    match conn.get_database_backend() {
        DbBackend::Postgres => postgres(conn, job_id, lock).await,
        _ => sqlite(conn, job_id).await,
    }
}

/// PostgreSQL: one statement joining the job, its contract and the escrow
/// account's balance.
async fn postgres(
    conn: &impl ConnectionTrait,
    job_id: Uuid,
    lock: bool,
) -> Result<(jobs::Model, Option<LockedContract>)> {
    let sql = format!(
        "SELECT {}, {}, (SELECT a.balance FROM ledger_accounts a \
         WHERE a.key = 'escrow:' || c.id::text) AS held \
         FROM jobs j JOIN contracts c ON c.job_id = j.id WHERE j.id = $1{}",
        super::prefixed_columns::<jobs::Entity>("j", "j_"),
        super::prefixed_columns::<contracts::Entity>("c", "c_"),
        if lock { " FOR UPDATE OF c" } else { "" },
    );
    let row = conn
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            sql,
            [job_id.into()],
        ))
        .await?;
    let Some(row) = row else {
        // Not hired yet (or no such job): say which.
        return Ok((load(conn, job_id).await?, None));
    };
    let held: Option<i64> = row.try_get("", "held")?;
    Ok((
        jobs::Model::from_query_result(&row, "j_")?,
        Some(LockedContract {
            contract: contracts::Model::from_query_result(&row, "c_")?,
            held: held.unwrap_or(0),
            locked: lock,
        }),
    ))
}

/// SQLite: the job, its contract, the escrow's balance, one by one.
async fn sqlite(
    conn: &impl ConnectionTrait,
    job_id: Uuid,
) -> Result<(jobs::Model, Option<LockedContract>)> {
    let job = load(conn, job_id).await?;
    let Some(contract) = contracts::Entity::find()
        .filter(contracts::Column::JobId.eq(job.id))
        .one(conn)
        .await?
    else {
        return Ok((job, None));
    };
    let held = ledger::balance(conn, Account::Escrow(contract.id)).await?;
    Ok((
        job,
        Some(LockedContract {
            contract,
            held,
            // One writer at a time.
            locked: true,
        }),
    ))
}
