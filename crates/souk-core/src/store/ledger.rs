//! Writing a ledger entry, the engine's way: on PostgreSQL the whole entry
//! (with the write it waits for and the writes that ride along) is one
//! statement of chained CTEs; on SQLite the same steps are statements one
//! after another inside the caller's transaction. The rules — merging,
//! balancing, what may go negative — are `money::ledger`'s.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbBackend, DbErr, EntityTrait, Set, Statement, Value};
use serde_json::json;
use souk_db::{
    entities::ledger_postings,
    gated::{self, GatedWrite},
};
use uuid::Uuid;

use crate::{
    error::{Error, ErrorCode, Result},
    money::entry::{Entry, Lead, Line, Posted},
    time,
};

/// Writes `entry` as the merged, balanced `lines` inside `conn`'s
/// transaction, behind `lead` when there is one: `None` when the lead
/// touched no row (and nothing was written), else what became of the
/// entry; `then` runs only if the entry is written now.
///
/// Every account is touched by key, in key order (so concurrent entries lock
/// rows in one order): a credit (or any movement on an account that may go
/// negative) is an upsert that creates the account on first use; a debit is
/// a conditional update that refuses to go below zero — PostgreSQL's row
/// lock re-checks the condition after a concurrent commit, SQLite has one
/// writer.
pub async fn post(
    conn: &impl ConnectionTrait,
    currency: &str,
    lead: Option<Lead>,
    entry: &Entry,
    lines: &[Line],
    then: Vec<GatedWrite>,
) -> Result<Option<Posted>> {
    if lines.is_empty() {
        return post_nothing(conn, lead, then).await;
    }
    match conn.get_database_backend() {
        DbBackend::Postgres => {
            post_in_one_statement(conn, currency, lead, entry, lines, then).await
        }
        _ => post_step_by_step(conn, currency, lead, entry, lines, then).await,
    }
}

/// Both engines, when every amount was zero: the lead on its own, then the
/// writes (each a single statement on PostgreSQL, see `souk_db::gated`).
async fn post_nothing(
    conn: &impl ConnectionTrait,
    lead: Option<Lead>,
    then: Vec<GatedWrite>,
) -> Result<Option<Posted>> {
    if let Some(lead) = lead
        && !run_lead(conn, lead).await?
    {
        return Ok(None);
    }
    gated::run_open(conn, then).await?;
    Ok(Some(Posted::Nothing))
}

/// Runs the lead on its own; `false` if it found no row (or a required
/// write of it none).
async fn run_lead(conn: &impl ConnectionTrait, lead: Lead) -> Result<bool> {
    match gated::run(conn, lead.write, lead.then).await {
        Ok(0) | Err(DbErr::RecordNotUpdated) => Ok(false),
        Err(err) if gated::refusal(&err).is_some() => Ok(false),
        Ok(_) => Ok(true),
        Err(err) => Err(err.into()),
    }
}

fn refused(line: &Line) -> Error {
    Error::with_details(
        ErrorCode::InsufficientFunds,
        json!({ "account": line.account.kind(), "needed": -line.amount }),
    )
}

/// Statement parameters, numbered as PostgreSQL wants them.
#[derive(Default)]
struct Params(Vec<Value>);

impl Params {
    fn add(&mut self, value: impl Into<Value>) -> String {
        self.0.push(value.into());
        format!("${}", self.0.len())
    }
}

const ENTRY_COLUMNS: &str =
    "id, kind, idempotency_key, contract_id, payment_id, withdrawal_id, actor_id, memo, created_at";
const ACCOUNT_COLUMNS: &str = "id, key, kind, owner_id, currency, balance, created_at, updated_at";

fn entry_values(p: &mut Params, id: Uuid, entry: &Entry, now: DateTime<Utc>) -> String {
    [
        p.add(id),
        p.add(entry.kind.as_str()),
        p.add(entry.key.as_str()),
        p.add(entry.contract),
        p.add(entry.payment),
        p.add(entry.withdrawal),
        p.add(entry.actor),
        p.add(entry.memo.clone()),
        p.add(now),
    ]
    .join(", ")
}

/// PostgreSQL: the lead (if any) and its writes, the entry, every account
/// change and the postings in one statement of chained CTEs; each account
/// CTE waits for the previous one, which keeps the lock order. A refused
/// debit refuses the statement (`souk_refuse`), and the caller's
/// transaction is rolled back by the error.
async fn post_in_one_statement(
    conn: &impl ConnectionTrait,
    currency: &str,
    lead: Option<Lead>,
    entry: &Entry,
    lines: &[Line],
    then: Vec<GatedWrite>,
) -> Result<Option<Posted>> {
    let now = time::now();
    let id = Uuid::now_v7();
    let mut p = Params::default();
    let mut sql = String::from("WITH ");
    let has_lead = lead.is_some();
    let mut checks = String::new();
    let mut lead_gate = String::from("EXISTS (SELECT 1 FROM g)");
    if let Some(lead) = lead {
        sql.push_str(&format!(
            "g AS ({} RETURNING 1), ",
            lead.write.render(0, "TRUE")
        ));
        p.0.extend(lead.write.values);
        for (i, write) in lead.then.iter().enumerate() {
            sql.push_str(&format!(
                "w{i} AS ({}), ",
                write.render_cte(p.0.len(), "EXISTS (SELECT 1 FROM g)")
            ));
            p.0.extend(write.values.iter().cloned());
        }
        checks.push_str(&gated::required_checks(&lead.then, "g", "w"));
        // The entry waits for the lead's required writes too, so their rows
        // are locked before the accounts' (the order every path keeps:
        // contract, job, accounts).
        for (i, write) in lead.then.iter().enumerate() {
            if write.required {
                lead_gate.push_str(&format!(" AND EXISTS (SELECT 1 FROM w{i})"));
            }
        }
    }
    let values = entry_values(&mut p, id, entry, now);
    sql.push_str(&if has_lead {
        format!(
            "e AS (INSERT INTO ledger_entries ({ENTRY_COLUMNS}) SELECT {values} \
             WHERE {lead_gate} ON CONFLICT (idempotency_key) DO NOTHING RETURNING id)"
        )
    } else {
        format!(
            "e AS (INSERT INTO ledger_entries ({ENTRY_COLUMNS}) VALUES ({values}) \
             ON CONFLICT (idempotency_key) DO NOTHING RETURNING id)"
        )
    });
    let stamp = p.add(now);
    let mut moved = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        // Each account waits for the one before (key order, so concurrent
        // entries lock rows in one order). A refused debit leaves its CTE
        // empty and stops the chain: the statement is refused anyway.
        let after = if i == 0 {
            "EXISTS (SELECT 1 FROM e)".to_owned()
        } else {
            format!("EXISTS (SELECT 1 FROM a{})", i - 1)
        };
        let amount = p.add(line.amount);
        let key = p.add(line.key.as_str());
        if line.guarded() {
            sql.push_str(&format!(
                ", a{i} AS (UPDATE ledger_accounts SET balance = balance + {amount}, updated_at = {stamp} \
                 WHERE key = {key} AND balance + {amount} >= 0 AND {after} RETURNING id, balance)"
            ));
        } else {
            let values = [
                p.add(Uuid::now_v7()),
                key.clone(),
                p.add(line.account.kind()),
                p.add(line.account.owner()),
                p.add(currency),
                amount.clone(),
                stamp.clone(),
                stamp.clone(),
            ]
            .join(", ");
            sql.push_str(&format!(
                ", a{i} AS (INSERT INTO ledger_accounts ({ACCOUNT_COLUMNS}) SELECT {values} WHERE {after} \
                 ON CONFLICT (key) DO UPDATE SET balance = ledger_accounts.balance + EXCLUDED.balance, \
                 updated_at = EXCLUDED.updated_at RETURNING id, balance)"
            ));
        }
        moved.push(format!(
            "SELECT id, balance, {amount}::bigint AS amount FROM a{i}"
        ));
    }
    sql.push_str(&format!(
        ", moved AS ({}), p AS (INSERT INTO ledger_postings (entry_id, account_id, amount, balance_after, created_at) \
         SELECT e.id, moved.id, moved.amount, moved.balance, {stamp} FROM e, moved RETURNING 1)",
        moved.join(" UNION ALL ")
    ));
    for (i, write) in then.iter().enumerate() {
        sql.push_str(&format!(
            ", x{i} AS ({})",
            write.render_cte(p.0.len(), "EXISTS (SELECT 1 FROM e)")
        ));
        p.0.extend(write.values.iter().cloned());
    }
    checks.push_str(&gated::required_checks(&then, "e", "x"));
    // A refused debit undoes the whole statement (and, when the statement
    // is its own transaction, everything it wrote): written, it moved every
    // line.
    sql.push_str(&format!(
        " SELECT w.n AS written, \
         CASE WHEN w.n > 0 AND (SELECT count(*) FROM moved) <> {} \
         THEN souk_refuse('insufficient_funds') ELSE 0 END AS short{checks}",
        lines.len()
    ));
    if has_lead {
        sql.push_str(", (SELECT count(*) FROM g) AS led");
    }
    sql.push_str(" FROM (SELECT count(*) AS n FROM e) w");
    let row = match conn
        .query_one_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            sql,
            p.0,
        ))
        .await
    {
        Ok(row) => row.ok_or_else(|| anyhow::anyhow!("ledger statement returned no row"))?,
        Err(err) => {
            return match gated::refusal(&err).as_deref() {
                // A required write of the lead lost to a faster change.
                Some("conflict") => Ok(None),
                Some(_) => match lines.iter().find(|l| l.guarded()).or(lines.first()) {
                    Some(short) => Err(refused(short)),
                    None => Err(err.into()),
                },
                None => Err(err.into()),
            };
        }
    };
    if has_lead && row.try_get::<i64>("", "led")? == 0 {
        return Ok(None);
    }
    let written: i64 = row.try_get("", "written")?;
    if written == 0 {
        return Ok(Some(Posted::AlreadyWritten));
    }
    Ok(Some(Posted::Written(id)))
}

/// SQLite (and any other backend): the same steps as separate statements —
/// the lead on its own first (nothing more if it found no row), the entry,
/// then the writes that ride along if the entry was written now.
async fn post_step_by_step(
    conn: &impl ConnectionTrait,
    currency: &str,
    lead: Option<Lead>,
    entry: &Entry,
    lines: &[Line],
    then: Vec<GatedWrite>,
) -> Result<Option<Posted>> {
    if let Some(lead) = lead
        && !run_lead(conn, lead).await?
    {
        return Ok(None);
    }
    let posted = write_entry(conn, currency, entry, lines).await?;
    if matches!(posted, Posted::Written(_)) {
        gated::run_open(conn, then).await?;
    }
    Ok(Some(posted))
}

/// SQLite: the entry, each account, the postings — one statement each.
async fn write_entry(
    conn: &impl ConnectionTrait,
    currency: &str,
    entry: &Entry,
    lines: &[Line],
) -> Result<Posted> {
    let backend = conn.get_database_backend();
    let now = time::now();
    let id = Uuid::now_v7();
    let mut p = Params::default();
    let sql = format!(
        "INSERT INTO ledger_entries ({ENTRY_COLUMNS}) VALUES ({}) ON CONFLICT (idempotency_key) DO NOTHING",
        entry_values(&mut p, id, entry, now)
    );
    let inserted = conn
        .execute_raw(Statement::from_sql_and_values(
            backend,
            souk_db::sql_text::positional(&sql),
            p.0,
        ))
        .await?;
    if inserted.rows_affected() == 0 {
        return Ok(Posted::AlreadyWritten);
    }
    let mut postings = Vec::with_capacity(lines.len());
    for line in lines {
        let (sql, values) = if line.guarded() {
            (
                "UPDATE ledger_accounts SET balance = balance + ?, updated_at = ? \
                 WHERE key = ? AND balance + ? >= 0 RETURNING id, balance"
                    .to_owned(),
                vec![
                    line.amount.into(),
                    now.into(),
                    line.key.as_str().into(),
                    line.amount.into(),
                ],
            )
        } else {
            (
                format!(
                    "INSERT INTO ledger_accounts ({ACCOUNT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?) \
                     ON CONFLICT (key) DO UPDATE SET balance = ledger_accounts.balance + excluded.balance, \
                     updated_at = excluded.updated_at RETURNING id, balance"
                ),
                vec![
                    Uuid::now_v7().into(),
                    line.key.as_str().into(),
                    line.account.kind().into(),
                    line.account.owner().into(),
                    currency.into(),
                    line.amount.into(),
                    now.into(),
                    now.into(),
                ],
            )
        };
        let row = conn
            .query_one_raw(Statement::from_sql_and_values(backend, sql, values))
            .await?
            .ok_or_else(|| refused(line))?;
        postings.push(ledger_postings::ActiveModel {
            entry_id: Set(id),
            account_id: Set(row.try_get::<Uuid>("", "id")?),
            amount: Set(line.amount),
            balance_after: Set(row.try_get::<i64>("", "balance")?),
            created_at: Set(now),
            ..Default::default()
        });
    }
    ledger_postings::Entity::insert_many(postings)
        .exec_without_returning(conn)
        .await?;
    Ok(Posted::Written(id))
}
