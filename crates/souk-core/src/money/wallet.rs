//! A user's wallet as they see it: balance (available, held in escrow or
//! withdrawals, fee debt) and the statement of every movement.

use sea_orm::{
    ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, sea_query::Expr,
};
use souk_db::entities::{contracts, ledger_accounts, ledger_entries, ledger_postings, withdrawals};
use uuid::Uuid;

use super::{
    account::Account,
    ledger::{self, EntryKind},
    settings,
};
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

pub async fn balance(core: &Core, caller: &Authenticated) -> Result<Balance> {
    let conn = core.db.conn();
    let user = caller.user.id;
    let money = settings::load(conn, &core.settings).await?;
    let available = ledger::balance(conn, Account::Wallet(user)).await?;
    let fee_debt = (-ledger::balance(conn, Account::FeeDebt(user)).await?).max(0);
    let in_escrow: Option<i64> = ledger_accounts::Entity::find()
        .select_only()
        .column_as(Expr::cust("CAST(SUM(balance) AS BIGINT)"), "held")
        .filter(ledger_accounts::Column::Kind.eq("escrow"))
        .filter(
            ledger_accounts::Column::OwnerId.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(contracts::Column::Id)
                    .from(contracts::Entity)
                    .and_where(contracts::Column::ClientId.eq(user))
                    .to_owned(),
            ),
        )
        .into_tuple::<Option<i64>>()
        .one(conn)
        .await?
        .flatten();
    let withdrawing: Option<i64> = withdrawals::Entity::find()
        .select_only()
        .column_as(Expr::cust("CAST(SUM(amount) AS BIGINT)"), "amount")
        .filter(withdrawals::Column::UserId.eq(user))
        .filter(withdrawals::Column::Status.eq("pending"))
        .into_tuple::<Option<i64>>()
        .one(conn)
        .await?
        .flatten();
    Ok(Balance {
        available,
        held: in_escrow.unwrap_or(0) + withdrawing.unwrap_or(0),
        fee_debt,
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
