//! The trial balance, recomputed from the postings: every entry sums to
//! zero, every cached balance equals the sum of its postings, no account is
//! below zero unless its kind allows it.

use std::collections::HashMap;

use sea_orm::{EntityTrait, QuerySelect, sea_query::Expr};
use serde::Serialize;
use souk_db::entities::{ledger_accounts, ledger_postings};
use uuid::Uuid;

use super::account::may_go_negative;
use crate::{
    Core,
    accounts::Authenticated,
    error::{ErrorCode, Result},
};

/// One thing wrong.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Mismatch {
    /// unbalanced_entry | balance_mismatch | negative_balance
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
    let mut mismatches = Vec::new();
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
        grand_total += i128::from(summed);
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
        accounts: accounts.len() as u64,
        entries: per_entry.len() as u64,
        total: i64::try_from(grand_total).unwrap_or(i64::MAX),
        mismatches,
    })
}
