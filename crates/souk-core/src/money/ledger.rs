//! Writing to the ledger: one balanced entry at a time, inside the caller's
//! transaction, never twice for the same idempotency key, never taking an
//! account below zero unless its kind allows it.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, DbErr, EntityTrait, QueryFilter, QuerySelect, Set,
    Statement, Value,
};
use serde_json::json;
use souk_db::{
    entities::{ledger_accounts, ledger_postings},
    gated::{self, GatedWrite},
};
use uuid::Uuid;

use super::account::Account;
use crate::{
    error::{Error, ErrorCode, Result},
    time,
};

/// What an entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    Deposit,
    EscrowFund,
    EscrowRelease,
    Fee,
    Refund,
    Tip,
    Withdrawal,
    Payout,
    Bonus,
    Adjustment,
}

impl EntryKind {
    pub const ALL: &'static [EntryKind] = &[
        EntryKind::Deposit,
        EntryKind::EscrowFund,
        EntryKind::EscrowRelease,
        EntryKind::Fee,
        EntryKind::Refund,
        EntryKind::Tip,
        EntryKind::Withdrawal,
        EntryKind::Payout,
        EntryKind::Bonus,
        EntryKind::Adjustment,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Deposit => "deposit",
            EntryKind::EscrowFund => "escrow_fund",
            EntryKind::EscrowRelease => "escrow_release",
            EntryKind::Fee => "fee",
            EntryKind::Refund => "refund",
            EntryKind::Tip => "tip",
            EntryKind::Withdrawal => "withdrawal",
            EntryKind::Payout => "payout",
            EntryKind::Bonus => "bonus",
            EntryKind::Adjustment => "adjustment",
        }
    }

    pub fn parse(word: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .copied()
            .find(|k| k.as_str().eq_ignore_ascii_case(word.trim()))
    }

    pub fn names() -> Vec<&'static str> {
        Self::ALL.iter().map(|k| k.as_str()).collect()
    }
}

/// An entry to write.
#[derive(Debug, Clone)]
pub struct Entry {
    pub kind: EntryKind,
    /// Unique per movement: the same key is written once, whoever retries.
    pub key: String,
    pub contract: Option<Uuid>,
    pub payment: Option<Uuid>,
    pub withdrawal: Option<Uuid>,
    pub actor: Option<Uuid>,
    pub memo: Option<String>,
    pub postings: Vec<(Account, i64)>,
}

impl Entry {
    /// An entry of `kind` under `key`, with no postings yet.
    pub fn new(kind: EntryKind, key: impl Into<String>) -> Self {
        Self {
            kind,
            key: key.into(),
            contract: None,
            payment: None,
            withdrawal: None,
            actor: None,
            memo: None,
            postings: Vec::new(),
        }
    }

    /// Moves `amount` from one account to another.
    pub fn transfer(mut self, from: Account, to: Account, amount: i64) -> Self {
        self.postings.push((from, -amount));
        self.postings.push((to, amount));
        self
    }

    pub fn contract(mut self, id: Uuid) -> Self {
        self.contract = Some(id);
        self
    }

    pub fn payment(mut self, id: Uuid) -> Self {
        self.payment = Some(id);
        self
    }

    pub fn withdrawal(mut self, id: Uuid) -> Self {
        self.withdrawal = Some(id);
        self
    }

    pub fn actor(mut self, id: Option<Uuid>) -> Self {
        self.actor = id;
        self
    }

    pub fn memo(mut self, memo: impl Into<String>) -> Self {
        self.memo = Some(memo.into());
        self
    }
}

/// What writing an entry did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Posted {
    /// Written now.
    Written(Uuid),
    /// An entry with this key exists already: nothing moved.
    AlreadyWritten,
    /// Every amount was zero: nothing to write.
    Nothing,
}

/// Writes `entry` inside `conn`'s transaction.
///
/// Postings to one account are merged; zero amounts dropped. Each account is
/// touched by key, in key order (so concurrent entries lock rows in one
/// order): a credit (or any movement on an account that may go negative) is
/// an upsert that creates the account on first use; a debit is a
/// conditional update that refuses to go below zero — PostgreSQL's row lock
/// re-checks the condition after a concurrent commit, SQLite has one writer.
/// On PostgreSQL the whole entry is one statement (one round trip).
pub async fn post(conn: &impl ConnectionTrait, currency: &str, entry: Entry) -> Result<Posted> {
    post_with(conn, currency, entry, Vec::new()).await
}

/// [`post`], plus writes that happen only if the entry is written now (the
/// contract's new state, the notification): on PostgreSQL in the same
/// statement.
pub async fn post_with(
    conn: &impl ConnectionTrait,
    currency: &str,
    entry: Entry,
    then: Vec<GatedWrite>,
) -> Result<Posted> {
    let posted = post_after(conn, currency, None, entry, then).await?;
    Ok(posted.unwrap_or(Posted::Nothing))
}

/// A write the entry waits for: the entry is posted only if `write` touches
/// a row (a guarded status change), and `then` runs with `write` whether or
/// not the entry was new.
pub struct Lead {
    pub write: GatedWrite,
    pub then: Vec<GatedWrite>,
}

/// [`post_with`] behind a [`Lead`]: `None` when the lead touched no row (and
/// nothing was written), else what became of the entry. On PostgreSQL the
/// lead, the entry and every write ride in one statement.
pub async fn post_after(
    conn: &impl ConnectionTrait,
    currency: &str,
    lead: Option<Lead>,
    entry: Entry,
    then: Vec<GatedWrite>,
) -> Result<Option<Posted>> {
    let mut merged: BTreeMap<String, (Account, i64)> = BTreeMap::new();
    for (account, amount) in &entry.postings {
        merged
            .entry(account.row_key(&entry.key))
            .or_insert((*account, 0))
            .1 += *amount;
    }
    merged.retain(|_, (_, amount)| *amount != 0);
    let total: i128 = merged.values().map(|(_, a)| i128::from(*a)).sum();
    if total != 0 {
        return Err(anyhow::anyhow!("unbalanced ledger entry {}: {total}", entry.key).into());
    }
    let postgres = conn.get_database_backend() == DbBackend::Postgres;
    let lead = if merged.is_empty() || !postgres {
        // The lead on its own first; nothing more if it found no row (or a
        // required write of it none).
        if let Some(lead) = lead {
            match gated::run(conn, lead.write, lead.then).await {
                Ok(0) | Err(DbErr::RecordNotUpdated) => return Ok(None),
                Err(err) if gated::refusal(&err).is_some() => return Ok(None),
                Ok(_) => {}
                Err(err) => return Err(err.into()),
            }
        }
        None
    } else {
        lead
    };
    if merged.is_empty() {
        gated::run_open(conn, then).await?;
        return Ok(Some(Posted::Nothing));
    }
    let lines: Vec<Line> = merged
        .into_iter()
        .map(|(key, (account, amount))| Line {
            key,
            account,
            amount,
        })
        .collect();
    if postgres {
        return post_in_one_statement(conn, currency, lead, &entry, &lines, then).await;
    }
    let posted = post_step_by_step(conn, currency, &entry, &lines).await?;
    if matches!(posted, Posted::Written(_)) {
        gated::run_open(conn, then).await?;
    }
    Ok(Some(posted))
}

/// One merged posting: the account row's key, the account, the amount.
struct Line {
    key: String,
    account: Account,
    amount: i64,
}

impl Line {
    /// A debit on an account that must stay at or above zero.
    fn guarded(&self) -> bool {
        self.amount < 0 && !self.account.may_go_negative()
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
                Some(_) => {
                    let short = lines.iter().find(|l| l.guarded()).unwrap_or(&lines[0]);
                    Err(refused(short))
                }
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

/// SQLite (and any other backend): the same steps as separate statements.
async fn post_step_by_step(
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

/// One account's balance (zero when it was never used).
pub async fn balance(conn: &impl ConnectionTrait, account: Account) -> Result<i64> {
    let found: Option<i64> = ledger_accounts::Entity::find()
        .select_only()
        .column(ledger_accounts::Column::Balance)
        .filter(ledger_accounts::Column::Key.eq(account.key()))
        .into_tuple()
        .one(conn)
        .await?;
    Ok(found.unwrap_or(0))
}
