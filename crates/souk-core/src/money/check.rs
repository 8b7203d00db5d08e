//! The trial balance, recomputed from the postings: every entry sums to
//! zero, every cached balance equals the sum of its postings, no account is
//! below zero unless its kind allows it, every posting belongs to an entry
//! and an account that exist, every entry has postings.

use std::collections::{HashMap, HashSet};

use sea_orm::{EntityTrait, QuerySelect, sea_query::Expr};
use serde::Serialize;
use souk_db::entities::{ledger_accounts, ledger_entries, ledger_postings};
use uuid::Uuid;

use super::{account::may_go_negative, amount::overflow};
use crate::{
    Core,
    accounts::Authenticated,
    error::{ErrorCode, Result},
    num::count_u64,
};

/// One thing wrong.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Mismatch {
    /// unbalanced_entry | balance_mismatch | negative_balance | unknown_entry
    /// (postings of an entry that does not exist) | unknown_account
    /// (postings to an account that does not exist) | empty_entry
    pub kind: &'static str,
    pub account_key: Option<String>,
    pub entry_id: Option<Uuid>,
    pub expected: i64,
    pub actual: i64,
}

/// `GET /api/admin/ledger/check`.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TrialBalance {
    pub balanced: bool,
    /// How many accounts were checked.
    pub accounts: u64,
    pub entries: u64,
    /// Sum of every posting (zero when balanced).
    pub total: i64,
    pub mismatches: Vec<Mismatch>,
}

pub async fn check(core: &Core, caller: &Authenticated) -> Result<TrialBalance> {
    if !caller.role.is_staff() {
        return Err(ErrorCode::StaffOnly.into());
    }
    trial_balance(core).await
}

/// Recomputes everything (also used by tests after random sequences).
pub async fn trial_balance(core: &Core) -> Result<TrialBalance> {
    let conn = core.db.conn();
    let per_entry: Vec<(Uuid, Option<i64>)> = ledger_postings::Entity::find()
        .select_only()
        .column(ledger_postings::Column::EntryId)
        .column_as(Expr::cust("CAST(SUM(amount) AS BIGINT)"), "total")
        .group_by(ledger_postings::Column::EntryId)
        .into_tuple()
        .all(conn)
        .await?;
    let per_account: HashMap<Uuid, i64> = ledger_postings::Entity::find()
        .select_only()
        .column(ledger_postings::Column::AccountId)
        .column_as(Expr::cust("CAST(SUM(amount) AS BIGINT)"), "total")
        .group_by(ledger_postings::Column::AccountId)
        .into_tuple::<(Uuid, Option<i64>)>()
        .all(conn)
        .await?
        .into_iter()
        .map(|(id, total)| (id, total.unwrap_or(0)))
        .collect();
    let accounts = ledger_accounts::Entity::find().all(conn).await?;
    let entry_ids: HashSet<Uuid> = ledger_entries::Entity::find()
        .select_only()
        .column(ledger_entries::Column::Id)
        .into_tuple::<Uuid>()
        .all(conn)
        .await?
        .into_iter()
        .collect();
    let mut mismatches = Vec::new();
    let posted: HashSet<Uuid> = per_entry.iter().map(|(entry, _)| *entry).collect();
    for entry in posted.difference(&entry_ids) {
        mismatches.push(Mismatch {
            kind: "unknown_entry",
            account_key: None,
            entry_id: Some(*entry),
            expected: 0,
            actual: 0,
        });
    }
    for entry in entry_ids.difference(&posted) {
        mismatches.push(Mismatch {
            kind: "empty_entry",
            account_key: None,
            entry_id: Some(*entry),
            expected: 0,
            actual: 0,
        });
    }
    let known: HashSet<Uuid> = accounts.iter().map(|a| a.id).collect();
    for (account, total) in &per_account {
        if !known.contains(account) {
            mismatches.push(Mismatch {
                kind: "unknown_account",
                account_key: Some(account.to_string()),
                entry_id: None,
                expected: 0,
                actual: *total,
            });
        }
    }
    for (entry, total) in &per_entry {
        let total = total.unwrap_or(0);
        if total != 0 {
            mismatches.push(Mismatch {
                kind: "unbalanced_entry",
                account_key: None,
                entry_id: Some(*entry),
                expected: 0,
                actual: total,
            });
        }
    }
    let mut grand_total: i128 = 0;
    for account in &accounts {
        let summed = per_account.get(&account.id).copied().unwrap_or(0);
        // An i128 total of i64 balances cannot overflow before 2^64 accounts.
        grand_total = grand_total
            .checked_add(i128::from(summed))
            .ok_or_else(|| overflow("trial balance total"))?;
        if summed != account.balance {
            mismatches.push(Mismatch {
                kind: "balance_mismatch",
                account_key: Some(account.key.clone()),
                entry_id: None,
                expected: summed,
                actual: account.balance,
            });
        }
        if account.balance < 0 && !may_go_negative(&account.kind) {
            mismatches.push(Mismatch {
                kind: "negative_balance",
                account_key: Some(account.key.clone()),
                entry_id: None,
                expected: 0,
                actual: account.balance,
            });
        }
    }
    Ok(TrialBalance {
        balanced: mismatches.is_empty() && grand_total == 0,
        accounts: count_u64(accounts.len()),
        entries: count_u64(entry_ids.len()),
        total: i64::try_from(grand_total).unwrap_or(i64::MAX),
        mismatches,
    })
}
