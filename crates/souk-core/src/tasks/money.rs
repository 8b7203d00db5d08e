//! A task's money, each movement one ledger entry with a key that makes it
//! happen once: the buyer's wallet funds the task's escrow (at posting, and
//! when slots are added), an approval pays the worker from it less the
//! commission, and what is neither paid nor owed goes back to the buyer.

use sea_orm::ConnectionTrait;
use souk_db::{entities::tasks, gated::GatedWrite};
use uuid::Uuid;

use crate::{
    error::{Error, ErrorCode, Result},
    money::{
        Account, amount,
        ledger::{self, Entry, EntryKind, Lead, Posted},
        settings,
    },
};

/// `count × payable`, or 400 naming `field` when it overflows or passes
/// `max`.
pub fn cost(count: i64, payable: i64, max: i64, field: &str) -> Result<i64> {
    match count.checked_mul(payable) {
        Some(total) if total <= max => Ok(total),
        _ => Err(Error::Validation(crate::error::FieldErrors::single(
            field,
            crate::error::FieldIssue::out_of_range(1, max),
        ))),
    }
}

/// Moves `amount` from the buyer's wallet into the task's escrow (409
/// `insufficient_funds` when the wallet is short: the caller's transaction
/// is then spent; [`shortfall`] tells how short, read after it).
pub async fn fund(
    conn: &impl ConnectionTrait,
    task: &tasks::Model,
    amount: i64,
    key: String,
    then: Vec<GatedWrite>,
) -> Result<()> {
    let entry = Entry::new(EntryKind::EscrowFund, key)
        .transfer(
            Account::Wallet(task.buyer_id),
            Account::TaskEscrow(task.id),
            amount,
        )
        .actor(Some(task.buyer_id))
        .memo(format!("task {}", task.id));
    ledger::post_with(conn, &task.currency, entry, then)
        .await
        .map(|_| ())
}

/// 409 `insufficient_funds` with what `buyer` needed, had and lacked, when
/// `err` is a refused debit (read outside the failed transaction); `err`
/// itself otherwise.
pub async fn shortfall(conn: &impl ConnectionTrait, buyer: Uuid, needed: i64, err: Error) -> Error {
    if err.error_code() != ErrorCode::InsufficientFunds {
        return err;
    }
    let balance = match ledger::balance(conn, Account::Wallet(buyer)).await {
        Ok(balance) => balance,
        Err(other) => return other,
    };
    Error::with_details(
        ErrorCode::InsufficientFunds,
        serde_json::json!({
            "needed": needed,
            "available": balance,
            "shortfall": needed.saturating_sub(balance),
        }),
    )
}

/// What a worker receives for one approved submission, and the commission.
pub fn split(task: &tasks::Model) -> Result<(i64, i64)> {
    let fee = settings::share(task.payable_amount, task.fee_bps)?;
    Ok((amount::sub(task.payable_amount, fee)?, fee))
}

/// Pays `worker` for `submission` from the task's escrow behind `lead`
/// (the guarded status change): `None` when the lead found nothing (someone
/// decided first; nothing moved).
pub async fn pay(
    conn: &impl ConnectionTrait,
    task: &tasks::Model,
    submission: Uuid,
    worker: Uuid,
    lead: Lead,
    then: Vec<GatedWrite>,
) -> Result<Option<Posted>> {
    let (net, fee) = split(task)?;
    let entry = Entry::new(EntryKind::EscrowRelease, format!("task_pay:{submission}"))
        .transfer(Account::TaskEscrow(task.id), Account::Wallet(worker), net)
        .transfer(Account::TaskEscrow(task.id), Account::PlatformRevenue, fee)
        .memo(format!("task {} submission {submission}", task.id));
    ledger::post_after(conn, &task.currency, Some(lead), entry, then).await
}

/// Returns `amount` of the task's escrow to its buyer.
pub async fn refund(
    conn: &impl ConnectionTrait,
    task: &tasks::Model,
    amount: i64,
    key: String,
) -> Result<()> {
    if amount <= 0 {
        return Ok(());
    }
    let entry = Entry::new(EntryKind::Refund, key)
        .transfer(
            Account::TaskEscrow(task.id),
            Account::Wallet(task.buyer_id),
            amount,
        )
        .memo(format!("task {}", task.id));
    ledger::post(conn, &task.currency, entry).await?;
    Ok(())
}

/// What a task's escrow must hold while it is open: every slot not yet
/// paid (free or pending); once it ended, the pending ones only.
pub fn owed(task: &tasks::Model, open: bool) -> Result<i64> {
    let slots = if open {
        i64::from(task.required_workers) - i64::from(task.approved_count)
    } else {
        i64::from(task.pending_count)
    };
    task.payable_amount
        .checked_mul(slots.max(0))
        .ok_or_else(|| amount::overflow("task escrow"))
}
