//! A user's wallet as they see it: balance (available, held in escrow or
//! withdrawals, fee debt) and the statement of every movement.

use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Statement,
};
use souk_db::entities::{ledger_accounts, ledger_entries, ledger_postings};
use uuid::Uuid;

use super::{account::Account, amount, ledger::EntryKind, settings};
use crate::{
    Core,
    accounts::Authenticated,
    error::Result,
    pagination::{Page, PageRequest},
};

/// `GET /api/wallet/balance`.
#[derive(Debug, Clone)]
pub struct Balance {
    /// Spendable now.
    pub available: i64,
    /// Set aside: escrow the user funded and withdrawals awaiting payout.
    pub held: i64,
    /// Commission owed from cash jobs.
    pub fee_debt: i64,
    pub currency: String,
}

/// Everything the balance is made of, in one statement written once for
/// both engines (SQLite reads each `$n` as one parameter wherever it
/// appears): the money settings (for the currency), the wallet, the fee
/// debt, what the user's contracts hold in escrow and their pending
/// withdrawals.
const BALANCE_SQL: &str = include_str!("balance.sql");

pub async fn balance(core: &Core, caller: &Authenticated) -> Result<Balance> {
    let user = caller.user.id;
    let row = core
        .db
        .conn()
        .query_one_raw(Statement::from_sql_and_values(
            core.db.backend(),
            BALANCE_SQL,
            [
                settings::ROW_KEY.into(),
                Account::Wallet(user).key().into(),
                Account::FeeDebt(user).key().into(),
                user.into(),
            ],
        ))
        .await?
        .ok_or_else(|| anyhow::anyhow!("the balance statement returned no row"))?;
    let stored: Option<String> = row.try_get("", "settings")?;
    let money = settings::from_stored(stored.as_deref(), &core.settings)?;
    let column =
        |column: &str| -> Result<i64> { Ok(row.try_get::<Option<i64>>("", column)?.unwrap_or(0)) };
    Ok(Balance {
        available: column("available")?,
        held: amount::add(column("in_escrow")?, column("withdrawing")?)?,
        fee_debt: amount::neg(column("fee_debt")?)?.max(0),
        currency: money.currency,
    })
}

/// One line of the statement.
#[derive(Debug, Clone)]
pub struct Line {
    pub id: i64,
    pub entry_id: Uuid,
    pub kind: String,
    /// Positive: money in; negative: money out.
    pub amount: i64,
    pub balance_after: i64,
    pub contract_id: Option<Uuid>,
    pub payment_id: Option<Uuid>,
    pub withdrawal_id: Option<Uuid>,
    pub memo: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

type LineRow = (
    i64,
    Uuid,
    String,
    i64,
    i64,
    Option<Uuid>,
    Option<Uuid>,
    Option<Uuid>,
    Option<String>,
    chrono::DateTime<chrono::Utc>,
);

/// `GET /api/wallet/transactions`: the wallet's postings, newest first.
pub async fn transactions(
    core: &Core,
    caller: &Authenticated,
    kind: Option<EntryKind>,
    page: PageRequest,
) -> Result<Page<Line>> {
    let mut query = ledger_postings::Entity::find()
        .inner_join(ledger_entries::Entity)
        .inner_join(ledger_accounts::Entity)
        .filter(ledger_accounts::Column::Key.eq(Account::Wallet(caller.user.id).key()));
    if let Some(kind) = kind {
        query = query.filter(ledger_entries::Column::Kind.eq(kind.as_str()));
    }
    let total = query.clone().count(core.db.conn()).await?;
    let rows: Vec<LineRow> = query
        .select_only()
        .column(ledger_postings::Column::Id)
        .column(ledger_postings::Column::EntryId)
        .column(ledger_entries::Column::Kind)
        .column(ledger_postings::Column::Amount)
        .column(ledger_postings::Column::BalanceAfter)
        .column(ledger_entries::Column::ContractId)
        .column(ledger_entries::Column::PaymentId)
        .column(ledger_entries::Column::WithdrawalId)
        .column(ledger_entries::Column::Memo)
        .column(ledger_postings::Column::CreatedAt)
        .order_by_desc(ledger_postings::Column::Id)
        .offset(page.offset())
        .limit(page.limit)
        .into_tuple()
        .all(core.db.conn())
        .await?;
    let items = rows
        .into_iter()
        .map(
            |(
                id,
                entry_id,
                kind,
                amount,
                balance_after,
                contract_id,
                payment_id,
                withdrawal_id,
                memo,
                created_at,
            )| Line {
                id,
                entry_id,
                kind,
                amount,
                balance_after,
                contract_id,
                payment_id,
                withdrawal_id,
                memo,
                created_at,
            },
        )
        .collect();
    Ok(Page::new(items, page, total))
}
