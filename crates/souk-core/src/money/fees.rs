//! Commission on cash jobs: posted to the craftsman's fee debt when the job
//! completes, reminded every few days while owed, paid from the wallet or
//! through a gateway; above the configured limit the craftsman cannot quote.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::json;
use souk_db::entities::{contracts, ledger_accounts, ledger_entries, ledger_postings};
use uuid::Uuid;

use super::{
    account::Account,
    amount,
    ledger::{self, Entry, EntryKind, Posted},
    settings,
};
use crate::{
    Core,
    accounts::{Authenticated, Role},
    error::{Error, ErrorCode, FieldErrors, FieldIssue, Result},
    notifications::{self, Event, MoneyEvent},
    outbox::{self, OutboxMessage},
    time,
};

/// What a user owes (positive), from the fee-debt account.
pub async fn owed_by(conn: &impl ConnectionTrait, user: Uuid) -> Result<i64> {
    amount::neg(ledger::balance(conn, Account::FeeDebt(user)).await?)
}

/// What the caller owes; 409 when nothing.
pub async fn owed(conn: &impl ConnectionTrait, caller: &Authenticated) -> Result<i64> {
    if caller.role != Role::Craftsman {
        return Err(ErrorCode::CraftsmenOnly.into());
    }
    let owed = owed_by(conn, caller.user.id).await?;
    if owed <= 0 {
        return Err(ErrorCode::NoFeesDue.into());
    }
    Ok(owed)
}

/// Posts a completed cash contract's commission to the craftsman's debt and
/// starts reminders when the debt was clear before.
pub async fn post_cash_commission(
    core: &Core,
    conn: &impl ConnectionTrait,
    contract: &contracts::Model,
) -> Result<()> {
    let before = owed_by(conn, contract.craftsman_id).await?;
    let entry = Entry::new(EntryKind::Fee, format!("cash_fee:{}", contract.id))
        .transfer(
            Account::FeeDebt(contract.craftsman_id),
            Account::PlatformRevenue,
            contract.platform_fee,
        )
        .contract(contract.id)
        .memo("commission on a cash job");
    let posted = ledger::post(conn, &contract.currency, entry).await?;
    if matches!(posted, Posted::Written(_)) && before <= 0 && contract.platform_fee > 0 {
        let money = settings::load(conn, &core.settings).await?;
        notify_due(
            conn,
            contract.craftsman_id,
            contract.platform_fee,
            &contract.currency,
        )
        .await?;
        schedule_reminder(conn, contract.craftsman_id, money.fee_reminder_days).await?;
    }
    Ok(())
}

async fn notify_due(
    conn: &impl ConnectionTrait,
    user: Uuid,
    amount: i64,
    currency: &str,
) -> Result<()> {
    notifications::notify(
        conn,
        user,
        &Event::Money(MoneyEvent::FeesDue {
            amount,
            currency: currency.to_owned(),
        }),
    )
    .await
}

async fn schedule_reminder(conn: &impl ConnectionTrait, user: Uuid, days: i64) -> Result<()> {
    outbox::enqueue_at(
        conn,
        &OutboxMessage::FeeReminder { user },
        time::later(time::now(), chrono::Duration::days(days.max(1))),
    )
    .await
}

/// A due reminder: while the debt remains, tell the craftsman and schedule
/// the next one; once paid, the chain stops.
pub async fn remind(core: &Core, user: Uuid) -> Result<()> {
    let txn = core.db.begin_write().await?.without_account_changes();
    let owed = owed_by(&*txn, user).await?;
    if owed > 0 {
        let money = settings::load(&*txn, &core.settings).await?;
        notify_due(&*txn, user, owed, &money.currency).await?;
        schedule_reminder(&*txn, user, money.fee_reminder_days).await?;
    }
    txn.commit().await?;
    core.outbox_wakeup.notify_one();
    Ok(())
}

/// Moves up to `amount` from the wallet to the fee debt (never past what is
/// owed); returns what was paid.
pub async fn settle_from_wallet(
    conn: &impl ConnectionTrait,
    user: Uuid,
    amount: i64,
    key: &str,
    currency: &str,
) -> Result<i64> {
    let pay = amount.min(owed_by(conn, user).await?);
    if pay <= 0 {
        return Ok(0);
    }
    let entry = Entry::new(EntryKind::Fee, format!("fee_payment:{user}:{key}"))
        .transfer(Account::Wallet(user), Account::FeeDebt(user), pay)
        .actor(Some(user))
        .memo("fees paid");
    ledger::post(conn, currency, entry).await?;
    Ok(pay)
}

/// `POST /api/wallet/fees/pay` from the wallet.
pub async fn pay_from_wallet(
    core: &Core,
    caller: &Authenticated,
    amount: Option<i64>,
    request_key: &str,
) -> Result<i64> {
    let txn = core.db.begin_write().await?.without_account_changes();
    let owed = owed(&*txn, caller).await?;
    let amount = amount.unwrap_or(owed);
    if !(1..=owed).contains(&amount) {
        return Err(Error::Validation(FieldErrors::single(
            "amount",
            FieldIssue::out_of_range(1, owed),
        )));
    }
    let money = settings::load(&*txn, &core.settings).await?;
    let paid =
        settle_from_wallet(&*txn, caller.user.id, amount, request_key, &money.currency).await?;
    txn.commit().await?;
    Ok(paid)
}

/// Refuses a quote from a craftsman whose unpaid commission is above the limit.
pub async fn ensure_may_quote(
    core: &Core,
    conn: &impl ConnectionTrait,
    craftsman: Uuid,
) -> Result<()> {
    let owed = owed_by(conn, craftsman).await?;
    if owed <= 0 {
        return Ok(());
    }
    let money = settings::load(conn, &core.settings).await?;
    if owed > money.cash_debt_limit {
        return Err(Error::with_details(
            ErrorCode::FeeDebtLimit,
            json!({ "feeDebt": owed, "limit": money.cash_debt_limit, "currency": money.currency }),
        ));
    }
    Ok(())
}

/// One commission posted from a cash job.
#[derive(Debug, Clone)]
pub struct FeeLine {
    pub contract_id: Option<Uuid>,
    pub amount: i64,
    pub at: chrono::DateTime<chrono::Utc>,
}

/// `GET /api/wallet/fees-due`.
#[derive(Debug, Clone)]
pub struct FeesDue {
    pub amount: i64,
    pub limit: i64,
    pub currency: String,
    pub quoting_blocked: bool,
    /// The latest commissions posted (up to 50).
    pub recent: Vec<FeeLine>,
}

pub async fn due(core: &Core, caller: &Authenticated) -> Result<FeesDue> {
    if caller.role != Role::Craftsman {
        return Err(ErrorCode::CraftsmenOnly.into());
    }
    let conn = core.db.conn();
    let money = settings::load(conn, &core.settings).await?;
    let amount = owed_by(conn, caller.user.id).await?.max(0);
    let rows: Vec<(Option<Uuid>, i64, chrono::DateTime<chrono::Utc>)> =
        ledger_postings::Entity::find()
            .select_only()
            .column(ledger_entries::Column::ContractId)
            .column(ledger_postings::Column::Amount)
            .column(ledger_postings::Column::CreatedAt)
            .inner_join(ledger_entries::Entity)
            .inner_join(ledger_accounts::Entity)
            .filter(ledger_accounts::Column::Key.eq(Account::FeeDebt(caller.user.id).key()))
            .filter(ledger_postings::Column::Amount.lt(0))
            .order_by_desc(ledger_postings::Column::Id)
            .limit(50)
            .into_tuple()
            .all(conn)
            .await?;
    Ok(FeesDue {
        amount,
        limit: money.cash_debt_limit,
        currency: money.currency,
        quoting_blocked: amount > money.cash_debt_limit,
        recent: rows
            .into_iter()
            .map(|(contract_id, posted, at)| {
                Ok(FeeLine {
                    contract_id,
                    amount: amount::neg(posted)?,
                    at,
                })
            })
            .collect::<Result<_>>()?,
    })
}
