//! Writing to the ledger: one balanced entry at a time, inside the caller's
//! transaction, never twice for the same idempotency key, never taking an
//! account below zero unless its kind allows it.

use std::collections::BTreeMap;

use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set,
    sea_query::{Expr, ExprTrait, OnConflict, Query},
};
use serde_json::json;
use souk_db::entities::{ledger_accounts, ledger_entries, ledger_postings};
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
/// Postings to one account are merged; zero amounts dropped. Accounts are
/// touched in key order (so concurrent entries lock them in one order), each
/// with one conditional `UPDATE … RETURNING` that refuses to take a
/// non-negative account below zero: the row lock on PostgreSQL and the single
/// writer on SQLite make that check exact under concurrency.
pub async fn post(conn: &impl ConnectionTrait, currency: &str, entry: Entry) -> Result<Posted> {
    let mut merged: BTreeMap<String, (Account, i64)> = BTreeMap::new();
    for (account, amount) in &entry.postings {
        merged.entry(account.key()).or_insert((*account, 0)).1 += *amount;
    }
    merged.retain(|_, (_, amount)| *amount != 0);
    let total: i128 = merged.values().map(|(_, a)| i128::from(*a)).sum();
    if total != 0 {
        return Err(anyhow::anyhow!("unbalanced ledger entry {}: {total}", entry.key).into());
    }
    if merged.is_empty() {
        return Ok(Posted::Nothing);
    }
    let now = time::now();
    let id = Uuid::now_v7();
    let inserted = ledger_entries::Entity::insert(ledger_entries::ActiveModel {
        id: Set(id),
        kind: Set(entry.kind.as_str().to_owned()),
        idempotency_key: Set(entry.key.clone()),
        contract_id: Set(entry.contract),
        payment_id: Set(entry.payment),
        withdrawal_id: Set(entry.withdrawal),
        actor_id: Set(entry.actor),
        memo: Set(entry.memo.clone()),
        created_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(ledger_entries::Column::IdempotencyKey)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(conn)
    .await?;
    if inserted == 0 {
        return Ok(Posted::AlreadyWritten);
    }
    let ids = account_ids(conn, currency, merged.values().map(|(a, _)| *a)).await?;
    let mut postings = Vec::with_capacity(merged.len());
    for (key, (account, amount)) in merged {
        let account_id = ids[&key];
        let balance = apply(conn, account, account_id, amount).await?;
        postings.push(ledger_postings::ActiveModel {
            entry_id: Set(id),
            account_id: Set(account_id),
            amount: Set(amount),
            balance_after: Set(balance),
            created_at: Set(now),
            ..Default::default()
        });
    }
    ledger_postings::Entity::insert_many(postings)
        .exec_without_returning(conn)
        .await?;
    Ok(Posted::Written(id))
}

/// Adds `amount` to one account's balance, refusing to go below zero where
/// that is not allowed; returns the new balance.
async fn apply(
    conn: &impl ConnectionTrait,
    account: Account,
    account_id: Uuid,
    amount: i64,
) -> Result<i64> {
    let balance = Expr::col(ledger_accounts::Column::Balance);
    let mut update = Query::update();
    update
        .table(ledger_accounts::Entity)
        .value(
            ledger_accounts::Column::Balance,
            balance.clone().add(amount),
        )
        .value(ledger_accounts::Column::UpdatedAt, time::now())
        .and_where(ledger_accounts::Column::Id.eq(account_id))
        .returning_col(ledger_accounts::Column::Balance);
    if amount < 0 && !account.may_go_negative() {
        update.and_where(balance.gte(-amount));
    }
    match conn.query_one(&update).await? {
        Some(row) => Ok(row.try_get::<i64>("", "balance")?),
        None => Err(Error::with_details(
            ErrorCode::InsufficientFunds,
            json!({ "account": account.kind(), "needed": -amount }),
        )),
    }
}

/// The ids of accounts by key, creating those that do not exist yet.
async fn account_ids(
    conn: &impl ConnectionTrait,
    currency: &str,
    accounts: impl Iterator<Item = Account>,
) -> Result<BTreeMap<String, Uuid>> {
    let accounts: Vec<Account> = accounts.collect();
    let keys: Vec<String> = accounts.iter().map(|a| a.key()).collect();
    let mut found = existing_ids(conn, keys.clone()).await?;
    let missing: Vec<Account> = accounts
        .into_iter()
        .filter(|a| !found.contains_key(&a.key()))
        .collect();
    if !missing.is_empty() {
        let now = time::now();
        let rows = missing.iter().map(|account| ledger_accounts::ActiveModel {
            id: Set(Uuid::now_v7()),
            key: Set(account.key()),
            kind: Set(account.kind().to_owned()),
            owner_id: Set(account.owner()),
            currency: Set(currency.to_owned()),
            balance: Set(0),
            created_at: Set(now),
            updated_at: Set(now),
        });
        ledger_accounts::Entity::insert_many(rows)
            .on_conflict(
                OnConflict::column(ledger_accounts::Column::Key)
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(conn)
            .await?;
        found = existing_ids(conn, keys).await?;
    }
    Ok(found)
}

async fn existing_ids(
    conn: &impl ConnectionTrait,
    keys: Vec<String>,
) -> Result<BTreeMap<String, Uuid>> {
    let rows: Vec<(String, Uuid)> = ledger_accounts::Entity::find()
        .select_only()
        .column(ledger_accounts::Column::Key)
        .column(ledger_accounts::Column::Id)
        .filter(ledger_accounts::Column::Key.is_in(keys))
        .into_tuple()
        .all(conn)
        .await?;
    Ok(rows.into_iter().collect())
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
