//! Writing to the ledger: one balanced entry at a time, inside the caller's
//! transaction, never twice for the same idempotency key, never taking an
//! account below zero unless its kind allows it. The rules live here; how
//! each engine writes the entry is `store::ledger`'s.

use std::collections::BTreeMap;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use souk_db::{entities::ledger_accounts, gated::GatedWrite};

pub use super::entry::{Entry, EntryKind, Lead, Posted};
use super::{account::Account, amount, entry::Line};
use crate::{error::Result, store};

/// Writes `entry` inside `conn`'s transaction.
///
/// Postings to one account are merged; zero amounts dropped. Each account is
/// touched by key, in key order (so concurrent entries lock rows in one
/// order): a credit (or any movement on an account that may go negative) is
/// an upsert that creates the account on first use; a debit is a
/// conditional update that refuses to go below zero — PostgreSQL's row lock
/// re-checks the condition after a concurrent commit, SQLite has one writer.
/// On PostgreSQL the whole entry is one statement (one round trip; see
/// [`store::ledger::post`]).
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
    for (account, posted) in &entry.postings {
        let sum = &mut merged
            .entry(account.row_key(&entry.key))
            .or_insert((*account, 0))
            .1;
        *sum = amount::add(*sum, *posted)?;
    }
    merged.retain(|_, (_, amount)| *amount != 0);
    let total: i128 = merged.values().map(|(_, a)| i128::from(*a)).sum();
    if total != 0 {
        return Err(anyhow::anyhow!("unbalanced ledger entry {}: {total}", entry.key).into());
    }
    let lines: Vec<Line> = merged
        .into_iter()
        .map(|(key, (account, amount))| Line {
            key,
            account,
            amount,
        })
        .collect();
    store::ledger::post(conn, currency, lead, &entry, &lines, then).await
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
