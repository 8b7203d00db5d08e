//! Withdrawals: a user asks to be paid out (minimum and fee from the
//! settings); the amount leaves the wallet for payouts-in-flight at once; an
//! admin approves (paid through Stripe or the sandbox, or by hand for bank
//! transfers and mobile wallets, then completed) or rejects (money back).

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use serde_json::json;
use souk_db::{entities::withdrawals, enums::WithdrawalStatus, gated};
use uuid::Uuid;

use super::{
    Gateway,
    account::Account,
    amount, idempotency,
    ledger::{self, Entry, EntryKind},
    settings,
    withdrawal_lifecycle::{self, WithdrawalActor},
};
use crate::{
    Core,
    accounts::Authenticated,
    error::{Error, ErrorCode, FieldErrors, FieldIssue, Result},
    integrators::events::{self, DomainEvent, EventType},
    notifications::{self, Event, MoneyEvent},
    pagination::{Page, PageRequest},
    time,
};

/// How the money reaches the payee.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Paid by staff to an IBAN / account number.
    BankTransfer,
    /// Paid by staff to a mobile wallet number.
    MobileWallet,
    /// A Stripe Connect transfer to `acct_…`.
    Stripe,
    /// The sandbox gateway (local use).
    Sandbox,
}

impl Method {
    pub const ALL: &'static [Method] = &[
        Method::BankTransfer,
        Method::MobileWallet,
        Method::Stripe,
        Method::Sandbox,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Method::BankTransfer => "bank_transfer",
            Method::MobileWallet => "mobile_wallet",
            Method::Stripe => "stripe",
            Method::Sandbox => "sandbox",
        }
    }

    pub fn parse(word: &str) -> Option<Self> {
        let key: String = word
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect::<String>()
            .to_lowercase();
        match key.as_str() {
            "banktransfer" | "bank" => Some(Method::BankTransfer),
            "mobilewallet" | "wallet" => Some(Method::MobileWallet),
            "stripe" => Some(Method::Stripe),
            "sandbox" => Some(Method::Sandbox),
            _ => None,
        }
    }

    /// The gateway that pays this method out, if any (else staff do).
    fn gateway(self) -> Option<Gateway> {
        match self {
            Method::Stripe => Some(Gateway::Stripe),
            Method::Sandbox => Some(Gateway::Sandbox),
            Method::BankTransfer | Method::MobileWallet => None,
        }
    }

    fn clearing(self) -> Account {
        match self.gateway() {
            Some(gateway) => Account::Clearing(gateway),
            None => Account::ManualPayouts,
        }
    }
}

/// A withdrawal request as received.
#[derive(Debug, Clone, Default)]
pub struct WithdrawalRequest {
    pub amount: Option<i64>,
    pub method: Option<String>,
    pub destination: Option<String>,
}

/// `POST /api/wallet/withdraw`.
pub async fn request(
    core: &Core,
    caller: &Authenticated,
    input: WithdrawalRequest,
    request_key: &str,
) -> Result<withdrawals::Model> {
    if caller.role.is_staff() {
        return Err(ErrorCode::Forbidden.into());
    }
    // A retried request (same key) answers the withdrawal it made.
    let id = idempotency::derived_id("withdrawal", caller.user.id, request_key);
    if let Some(existing) = withdrawals::Entity::find_by_id(id)
        .one(core.db.conn())
        .await?
    {
        return Ok(existing);
    }
    let txn = core.db.begin_write().await?.without_account_changes();
    let money = settings::load(&*txn, &core.settings).await?;
    let mut errors = FieldErrors::new();
    let amount = match input.amount {
        None => {
            errors.add("amount", FieldIssue::Required);
            0
        }
        Some(a) => {
            let min = money.withdrawal_minimum.max(1);
            if amount::check(&mut errors, "amount", a, min, core.settings.max_amount) {
                a
            } else {
                0
            }
        }
    };
    let method = match input
        .method
        .as_deref()
        .map(str::trim)
        .filter(|m| !m.is_empty())
    {
        None => {
            errors.add("method", FieldIssue::Required);
            None
        }
        Some(word) => {
            let found = Method::parse(word);
            if found.is_none() {
                errors.add(
                    "method",
                    FieldIssue::OneOf(Method::ALL.iter().map(|m| m.as_str()).collect()),
                );
            }
            found
        }
    };
    let destination = input
        .destination
        .as_deref()
        .map(str::trim)
        .unwrap_or_default()
        .to_owned();
    if destination.is_empty() {
        errors.add("destination", FieldIssue::Required);
    } else if destination.chars().count() > 200 {
        errors.add("destination", FieldIssue::TooLong(200));
    } else if destination.contains('\0') {
        errors.add("destination", FieldIssue::NulByte);
    } else if method == Some(Method::Stripe) && !destination.starts_with("acct_") {
        errors.add("destination", FieldIssue::Invalid);
    }
    // `amount` is 0 or checked against `MAX_AMOUNT` above, and the fixed fee
    // is a validated setting: the checked sums cannot fail on input.
    let fee = money.withdrawal_fee(amount)?;
    if amount > 0 && fee >= amount {
        errors.add(
            "amount",
            FieldIssue::out_of_range(amount::add(fee, 1)?, core.settings.max_amount),
        );
    }
    errors.into_result()?;
    let Some(method) = method else {
        return Err(ErrorCode::ValidationFailed.into());
    };
    if let Some(gateway) = method.gateway() {
        core.gateways.get(gateway)?;
    }
    let now = time::now();
    let withdrawal = withdrawals::ActiveModel {
        id: Set(id),
        user_id: Set(caller.user.id),
        amount: Set(amount),
        fee: Set(fee),
        currency: Set(money.currency.clone()),
        method: Set(method.as_str().to_owned()),
        destination: Set(destination),
        status: Set(WithdrawalStatus::Pending),
        reason: Set(None),
        reviewed_by: Set(None),
        reviewed_at: Set(None),
        payout_reference: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&*txn)
    .await?;
    let entry = Entry::new(
        EntryKind::Withdrawal,
        format!("withdrawal:{}", withdrawal.id),
    )
    .transfer(
        Account::Wallet(caller.user.id),
        Account::PayoutsInFlight,
        amount,
    )
    .withdrawal(withdrawal.id)
    .actor(Some(caller.user.id));
    ledger::post(&*txn, &money.currency, entry).await?;
    let mut writes = notifications::writes(
        caller.user.id,
        &Event::Money(MoneyEvent::WithdrawalRequested {
            withdrawal: withdrawal.id,
            amount,
            currency: money.currency.clone(),
        }),
    )?;
    let requested = event(
        EventType::WithdrawalRequested,
        &withdrawal,
        Some(caller.user.id),
    );
    writes.push(events::write(&requested));
    gated::run_open(&*txn, writes).await?;
    txn.commit().await?;
    core.outbox_wakeup.notify_one();
    Ok(withdrawal)
}

async fn load_for_update(
    core: &Core,
    conn: &impl ConnectionTrait,
    id: Uuid,
) -> Result<withdrawals::Model> {
    core.db
        .for_update(withdrawals::Entity::find_by_id(id))
        .one(conn)
        .await?
        .ok_or(Error::code(ErrorCode::WithdrawalNotFound))
}

/// Claims a pending withdrawal for review (so two admins never pay it twice).
async fn claim(core: &Core, id: Uuid) -> Result<withdrawals::Model> {
    let txn = core.db.begin_write().await?.without_account_changes();
    let withdrawal = load_for_update(core, &*txn, id).await?;
    let to = WithdrawalStatus::Processing;
    if !withdrawal_lifecycle::may(withdrawal.status, to, WithdrawalActor::Admin) {
        return Err(ErrorCode::WithdrawalNotPending.into());
    }
    let mut active: withdrawals::ActiveModel = withdrawal.into();
    active.status = Set(to);
    active.updated_at = Set(time::now());
    let withdrawal = active.update(&*txn).await?;
    txn.commit().await?;
    Ok(withdrawal)
}

/// `POST /api/admin/withdrawals/:id/approve`: pays out, then completes.
/// For methods staff pay by hand, `reference` records their transfer.
pub async fn approve(
    core: &Core,
    caller: &Authenticated,
    id: Uuid,
    reference: Option<String>,
) -> Result<withdrawals::Model> {
    caller.require_admin()?;
    let withdrawal = claim(core, id).await?;
    let method = Method::parse(&withdrawal.method).unwrap_or(Method::BankTransfer);
    let paid = match method.gateway() {
        Some(gateway) => match core.gateways.get(gateway) {
            Ok(gateway) => gateway.payout(&withdrawal).await,
            Err(err) => Err(err),
        },
        None => Ok(reference
            .filter(|r| !r.trim().is_empty())
            .unwrap_or_else(|| format!("manual:{}", caller.user.id))),
    };
    let txn = core.db.begin_write().await?.without_account_changes();
    let current = load_for_update(core, &*txn, id).await?;
    let mut active: withdrawals::ActiveModel = current.clone().into();
    let now = time::now();
    active.updated_at = Set(now);
    let reference = match paid {
        Ok(reference) => reference,
        Err(err) => {
            // Nothing was paid: back to pending, to retry or reject.
            active.status = Set(WithdrawalStatus::Pending);
            active.update(&*txn).await?;
            txn.commit().await?;
            return Err(err);
        }
    };
    let net = amount::sub(current.amount, current.fee)?;
    let entry = Entry::new(EntryKind::Payout, format!("payout:{}", current.id))
        .transfer(Account::PayoutsInFlight, method.clearing(), net)
        .transfer(
            Account::PayoutsInFlight,
            Account::PlatformRevenue,
            current.fee,
        )
        .withdrawal(current.id)
        .actor(Some(caller.user.id));
    ledger::post(&*txn, &current.currency, entry).await?;
    active.status = Set(WithdrawalStatus::Completed);
    active.payout_reference = Set(Some(reference));
    active.reviewed_by = Set(Some(caller.user.id));
    active.reviewed_at = Set(Some(now));
    let done = active.update(&*txn).await?;
    let mut writes = notifications::writes(
        done.user_id,
        &Event::Money(MoneyEvent::WithdrawalCompleted {
            withdrawal: done.id,
            amount: net,
            currency: done.currency.clone(),
        }),
    )?;
    let paid = event(EventType::WithdrawalPaid, &done, Some(caller.user.id))
        .previous(json!({ "status": current.status.as_str() }));
    writes.push(events::write(&paid));
    gated::run_open(&*txn, writes).await?;
    txn.commit().await?;
    core.outbox_wakeup.notify_one();
    Ok(done)
}

/// `POST /api/admin/withdrawals/:id/reject`: the money goes back.
pub async fn reject(
    core: &Core,
    caller: &Authenticated,
    id: Uuid,
    reason: Option<String>,
) -> Result<withdrawals::Model> {
    caller.require_admin()?;
    let txn = core.db.begin_write().await?.without_account_changes();
    let withdrawal = load_for_update(core, &*txn, id).await?;
    if !withdrawal_lifecycle::may(
        withdrawal.status,
        WithdrawalStatus::Rejected,
        WithdrawalActor::Admin,
    ) {
        return Err(ErrorCode::WithdrawalNotPending.into());
    }
    let entry = Entry::new(
        EntryKind::Refund,
        format!("withdrawal_return:{}", withdrawal.id),
    )
    .transfer(
        Account::PayoutsInFlight,
        Account::Wallet(withdrawal.user_id),
        withdrawal.amount,
    )
    .withdrawal(withdrawal.id)
    .actor(Some(caller.user.id))
    .memo("withdrawal rejected");
    ledger::post(&*txn, &withdrawal.currency, entry).await?;
    let now = time::now();
    let before = withdrawal.status;
    let mut active: withdrawals::ActiveModel = withdrawal.into();
    active.status = Set(WithdrawalStatus::Rejected);
    active.reason = Set(reason.clone());
    active.reviewed_by = Set(Some(caller.user.id));
    active.reviewed_at = Set(Some(now));
    active.updated_at = Set(now);
    let done = active.update(&*txn).await?;
    let mut writes = notifications::writes(
        done.user_id,
        &Event::Money(MoneyEvent::WithdrawalRejected {
            withdrawal: done.id,
            amount: done.amount,
            currency: done.currency.clone(),
            reason: reason.clone(),
        }),
    )?;
    let rejected = event(EventType::WithdrawalRejected, &done, Some(caller.user.id))
        .previous(json!({ "status": before.as_str() }));
    writes.push(events::write(&rejected));
    gated::run_open(&*txn, writes).await?;
    txn.commit().await?;
    core.outbox_wakeup.notify_one();
    Ok(done)
}

/// A withdrawal event of the feed, about `w` as it now is (never where
/// the money goes: the destination account stays private).
fn event(kind: EventType, w: &withdrawals::Model, actor: Option<Uuid>) -> DomainEvent {
    DomainEvent::new(
        kind,
        actor,
        "withdrawal",
        w.id,
        json!({
            "userId": w.user_id,
            "amount": w.amount,
            "fee": w.fee,
            "currency": w.currency,
            "method": w.method,
            "status": w.status.as_str(),
            "reason": w.reason,
        }),
    )
}

/// The caller's withdrawals (`mine`), or every withdrawal for staff, newest first.
pub async fn list(
    core: &Core,
    caller: &Authenticated,
    all: bool,
    status: Option<&str>,
    page: PageRequest,
) -> Result<Page<withdrawals::Model>> {
    let mut query = withdrawals::Entity::find();
    if all {
        if !caller.role.is_staff() {
            return Err(ErrorCode::StaffOnly.into());
        }
    } else {
        query = query.filter(withdrawals::Column::UserId.eq(caller.user.id));
    }
    if let Some(status) = status.map(str::trim).filter(|s| !s.is_empty()) {
        let Some(status) = WithdrawalStatus::parse(status) else {
            return Err(Error::Validation(FieldErrors::single(
                "status",
                FieldIssue::OneOf(WithdrawalStatus::ALL.iter().map(|s| s.as_str()).collect()),
            )));
        };
        query = query.filter(withdrawals::Column::Status.eq(status));
    }
    let total = query.clone().count(core.db.conn()).await?;
    let items = query
        .order_by_desc(withdrawals::Column::CreatedAt)
        .order_by_desc(withdrawals::Column::Id)
        .offset(page.offset())
        .limit(page.limit)
        .all(core.db.conn())
        .await?;
    Ok(Page::new(items, page, total))
}
