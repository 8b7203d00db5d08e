//! Money coming in through a gateway: a payment is stored pending, the
//! gateway is asked to collect it, and only the gateway's signed webhook
//! moves money (deposit to the payer's wallet, then what the payment was for:
//! funding an escrow, a tip, paying fees). The same event twice moves nothing.

pub mod fawry;
pub mod gateway;
pub mod gateways;
pub mod lifecycle;
pub mod sandbox;
pub mod stripe;

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, sea_query::OnConflict,
};
use serde_json::json;
use souk_db::entities::{credit_packages, payments, webhook_events};
use souk_db::{enums::PaymentStatus, gated};

use self::lifecycle::PaymentActor;
use uuid::Uuid;

use self::gateway::{GatewayEvent, Headers, Outcome, Payer, PaymentGateway, PaymentRef};
use super::{
    Gateway,
    account::Account,
    amount,
    escrow::{self, EscrowStatus, FundingSource},
    fees, idempotency,
    ledger::{self, Entry, EntryKind, Posted},
    settings, tips,
};
use crate::{
    Core,
    accounts::Authenticated,
    error::{Error, ErrorCode, FieldErrors, FieldIssue, Result},
    integrators::events::{self, DomainEvent, EventType},
    marketplace::jobs::load_for_update,
    notifications::{self, Event, MoneyEvent},
    pagination::{Page, PageRequest},
    time,
};

/// What a payment is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    TopUp,
    Escrow,
    Tip,
    Fees,
}

impl Purpose {
    pub const ALL: &'static [Purpose] =
        &[Purpose::TopUp, Purpose::Escrow, Purpose::Tip, Purpose::Fees];

    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::TopUp => "top_up",
            Purpose::Escrow => "escrow",
            Purpose::Tip => "tip",
            Purpose::Fees => "fees",
        }
    }

    pub fn parse(word: &str) -> Option<Self> {
        let key: String = word
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect::<String>()
            .to_lowercase();
        match key.as_str() {
            "topup" | "deposit" => Some(Purpose::TopUp),
            "escrow" => Some(Purpose::Escrow),
            "tip" => Some(Purpose::Tip),
            "fees" | "fee" => Some(Purpose::Fees),
            _ => None,
        }
    }

    pub fn names() -> Vec<&'static str> {
        Self::ALL.iter().map(|p| p.as_str()).collect()
    }
}

/// A payment to start.
#[derive(Debug, Clone)]
pub struct PaymentRequest {
    pub purpose: Purpose,
    pub gateway: Gateway,
    pub amount: Option<i64>,
    pub package_id: Option<Uuid>,
    pub job_id: Option<Uuid>,
    /// The request's `Idempotency-Key` (or a fresh id): the payment's id is
    /// derived from it, so a retried request answers the same payment.
    pub request_key: String,
}

/// Starts a gateway payment: stores it pending, asks the gateway where the
/// payer pays, and returns it (with `checkoutUrl` or `referenceCode`).
pub async fn initiate(
    core: &Core,
    caller: &Authenticated,
    request: PaymentRequest,
) -> Result<payments::Model> {
    let gateway = core.gateways.get(request.gateway)?;
    let id = idempotency::derived_id("payment", caller.user.id, &request.request_key);
    if let Some(existing) = payments::Entity::find_by_id(id).one(core.db.conn()).await? {
        let started = existing.checkout_url.is_some() || existing.reference_code.is_some();
        if started || existing.status != PaymentStatus::Pending {
            return Ok(existing);
        }
        // Stored, but the gateway was never asked (the first run stopped
        // in between): ask it now.
        let description = match request.purpose {
            Purpose::TopUp => "Wallet top-up",
            Purpose::Escrow => "Escrow",
            Purpose::Tip => "Tip",
            Purpose::Fees => "Platform fees",
        };
        return start_checkout(core, gateway, caller, existing, description).await;
    }
    let txn = core.db.begin_write().await?.without_account_changes();
    let money = settings::load(&*txn, &core.settings).await?;
    let mut errors = FieldErrors::new();
    let (amount, credit, contract_id, description) = match request.purpose {
        Purpose::TopUp => match (request.amount, request.package_id) {
            (Some(amount), None) => {
                super::amount::check_payable(
                    &mut errors,
                    "amount",
                    amount,
                    core.settings.max_amount,
                );
                (amount, amount, None, "Wallet top-up".to_owned())
            }
            (None, Some(id)) => {
                let package = credit_packages::Entity::find_by_id(id)
                    .one(&*txn)
                    .await?
                    .filter(|p| p.active)
                    .ok_or(Error::code(ErrorCode::PackageNotFound))?;
                (package.price, package.credit, None, package.name_en)
            }
            _ => {
                errors.add("amount", FieldIssue::Required);
                (0, 0, None, String::new())
            }
        },
        Purpose::Escrow => {
            let job_id = request.job_id.ok_or_else(|| {
                Error::Validation(FieldErrors::single("jobId", FieldIssue::Required))
            })?;
            let (job, contract) = escrow::fundable(
                &*txn,
                caller,
                job_id,
                request.amount,
                FundingSource::Gateway(request.gateway),
                true,
            )
            .await?;
            (
                contract.price,
                contract.price,
                Some(contract.id),
                format!("Escrow: {}", job.title),
            )
        }
        Purpose::Tip => {
            let job_id = request.job_id.ok_or_else(|| {
                Error::Validation(FieldErrors::single("jobId", FieldIssue::Required))
            })?;
            let amount = request.amount.ok_or_else(|| {
                Error::Validation(FieldErrors::single("amount", FieldIssue::Required))
            })?;
            super::amount::check_payable(&mut errors, "amount", amount, core.settings.max_amount);
            errors.into_result()?;
            let (job, contract) = tips::tippable(core, &*txn, caller, job_id).await?;
            errors = FieldErrors::new();
            (
                amount,
                amount,
                Some(contract.id),
                format!("Tip: {}", job.title),
            )
        }
        Purpose::Fees => {
            let owed = fees::owed(&*txn, caller).await?;
            let amount = request.amount.unwrap_or(owed);
            super::amount::check_payable(&mut errors, "amount", amount, core.settings.max_amount);
            if amount > owed {
                errors.add("amount", FieldIssue::out_of_range(1, owed));
            }
            (amount, amount, None, "Platform fees".to_owned())
        }
    };
    errors.into_result()?;
    let now = time::now();
    let payment = payments::ActiveModel {
        id: Set(id),
        user_id: Set(caller.user.id),
        gateway: Set(request.gateway.as_str().to_owned()),
        purpose: Set(request.purpose.as_str().to_owned()),
        status: Set(PaymentStatus::Pending),
        amount: Set(amount),
        credit: Set(credit),
        currency: Set(money.currency.clone()),
        contract_id: Set(contract_id),
        package_id: Set(request
            .package_id
            .filter(|_| request.purpose == Purpose::TopUp)),
        external_id: Set(None),
        reference_code: Set(None),
        checkout_url: Set(None),
        failure_reason: Set(None),
        charge_reference: Set(None),
        refunded: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
        completed_at: Set(None),
    }
    .insert(&*txn)
    .await?;
    txn.commit().await?;
    start_checkout(core, gateway, caller, payment, &description).await
}

/// Asks the gateway where the payer pays for a stored pending payment.
async fn start_checkout(
    core: &Core,
    gateway: &dyn PaymentGateway,
    caller: &Authenticated,
    payment: payments::Model,
    description: &str,
) -> Result<payments::Model> {
    // The gateway call happens outside any transaction.
    let payer = Payer {
        id: caller.user.id,
        email: caller.user.email.clone(),
        phone: caller.user.phone.clone(),
    };
    let started = gateway.start(&payment, &payer, description).await;
    let (id, status) = (payment.id, payment.status);
    let txn = core.db.begin_write().await?.without_account_changes();
    let mut active: payments::ActiveModel = payment.clone().into();
    active.updated_at = Set(time::now());
    let result = match started {
        Ok(checkout) => {
            active.external_id = Set(checkout.external_id);
            active.checkout_url = Set(checkout.checkout_url);
            active.reference_code = Set(checkout.reference_code);
            Ok(active.update(&*txn).await?)
        }
        Err(err) => {
            if !lifecycle::may(status, PaymentStatus::Failed, PaymentActor::Checkout) {
                return Err(
                    anyhow::anyhow!("payment {id}: {status:?} cannot fail its checkout").into(),
                );
            }
            let reason = "the gateway did not accept the payment";
            active.status = Set(PaymentStatus::Failed);
            active.failure_reason = Set(Some(reason.into()));
            active.update(&*txn).await?;
            let event = failed_event(&payment, reason);
            events::record(&*txn, &[event]).await?;
            Err(err)
        }
    };
    txn.commit().await?;
    result
}

/// A payment event of the feed: `p` (as read, before the move) going
/// `to`, `extra` fields joining the data — never the checkout link or the
/// gateway's references, only what the payment is and where it stands.
fn payment_event(
    kind: EventType,
    p: &payments::Model,
    to: PaymentStatus,
    extra: Vec<(&str, serde_json::Value)>,
) -> DomainEvent {
    let mut data = json!({
        "userId": p.user_id,
        "gateway": p.gateway,
        "purpose": p.purpose,
        "amount": p.amount,
        "currency": p.currency,
        "contractId": p.contract_id,
        "status": to.as_str(),
    });
    if let Some(fields) = data.as_object_mut() {
        fields.extend(extra.into_iter().map(|(k, v)| (k.to_owned(), v)));
    }
    // A gateway's verdict: nobody's action.
    DomainEvent::new(kind, None, "payment", p.id, data)
        .previous(json!({ "status": p.status.as_str() }))
}

/// `payment.failed` of `p` (as read), with why.
fn failed_event(p: &payments::Model, reason: &str) -> DomainEvent {
    let why = vec![("failureReason", json!(reason))];
    payment_event(EventType::PaymentFailed, p, PaymentStatus::Failed, why)
}

/// What a webhook did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Received {
    /// Money moved (or a failure was recorded).
    Settled,
    /// This event was handled before: nothing moved.
    Duplicate,
    /// The payment was already settled by an earlier event.
    AlreadySettled,
    /// Not about a payment of ours, or an event we do not act on.
    Ignored,
}

impl Received {
    pub fn as_str(self) -> &'static str {
        match self {
            Received::Settled => "settled",
            Received::Duplicate => "duplicate",
            Received::AlreadySettled => "already_settled",
            Received::Ignored => "ignored",
        }
    }
}

/// `POST /api/payments/webhook/:gateway`: verifies, de-duplicates, settles.
pub async fn receive(
    core: &Core,
    gateway: Gateway,
    headers: &Headers,
    body: &[u8],
) -> Result<Received> {
    let event = core
        .gateways
        .get(gateway)?
        .verify(headers, body, time::now().timestamp())?;
    let received = apply_event(core, gateway, &event).await?;
    core.outbox_wakeup.notify_one();
    Ok(received)
}

async fn apply_event(core: &Core, gateway: Gateway, event: &GatewayEvent) -> Result<Received> {
    let txn = core.db.begin_write().await?.without_account_changes();
    let first_time = webhook_events::Entity::insert(webhook_events::ActiveModel {
        gateway: Set(gateway.as_str().to_owned()),
        event_id: Set(event.event_id.clone()),
        payment_id: Set(None),
        received_at: Set(time::now()),
    })
    .on_conflict(
        OnConflict::columns([
            webhook_events::Column::Gateway,
            webhook_events::Column::EventId,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(&*txn)
    .await?;
    if first_time == 0 {
        txn.commit().await?;
        return Ok(Received::Duplicate);
    }
    let mut query = payments::Entity::find().filter(payments::Column::Gateway.eq(gateway.as_str()));
    query = match &event.payment {
        Some(PaymentRef::Id(id)) => query.filter(payments::Column::Id.eq(*id)),
        Some(PaymentRef::External(external)) => {
            query.filter(payments::Column::ExternalId.eq(external.clone()))
        }
        None => {
            txn.commit().await?;
            return Ok(Received::Ignored);
        }
    };
    let Some(payment) = core.db.for_update(query).one(&*txn).await? else {
        txn.commit().await?;
        return Ok(Received::Ignored);
    };
    webhook_events::Entity::update_many()
        .col_expr(
            webhook_events::Column::PaymentId,
            sea_orm::sea_query::Expr::value(payment.id),
        )
        .filter(webhook_events::Column::Gateway.eq(gateway.as_str()))
        .filter(webhook_events::Column::EventId.eq(event.event_id.clone()))
        .exec(&*txn)
        .await?;
    let received = if event.outcome == Outcome::Ignored {
        Received::Ignored
    } else if !lifecycle::may(
        payment.status,
        event.outcome.status(),
        PaymentActor::Gateway,
    ) {
        Received::AlreadySettled
    } else {
        settle(core, &*txn, payment, event).await?;
        Received::Settled
    };
    txn.commit().await?;
    Ok(received)
}

/// Books a gateway's verdict on a pending payment.
async fn settle(
    core: &Core,
    conn: &impl ConnectionTrait,
    payment: payments::Model,
    event: &GatewayEvent,
) -> Result<()> {
    let outcome = &event.outcome;
    let now = time::now();
    let mut active: payments::ActiveModel = payment.clone().into();
    active.updated_at = Set(now);
    match outcome {
        Outcome::Ignored => Ok(()),
        Outcome::Failed { reason } => {
            active.status = Set(PaymentStatus::Failed);
            active.failure_reason = Set(Some(reason.clone()));
            active.update(conn).await?;
            let mut writes = notifications::writes(
                payment.user_id,
                &Event::Money(MoneyEvent::PaymentFailed {
                    payment: payment.id,
                    amount: payment.amount,
                    currency: payment.currency.clone(),
                }),
            )?;
            let failed = failed_event(&payment, reason);
            writes.push(events::write(&failed));
            gated::run_open(conn, writes).await?;
            Ok(())
        }
        Outcome::Succeeded { amount } => {
            let received = amount.unwrap_or(payment.amount);
            let gateway = Gateway::parse(&payment.gateway).unwrap_or(Gateway::Sandbox);
            let wallet = Account::Wallet(payment.user_id);
            let deposit = Entry::new(EntryKind::Deposit, format!("payment:{}", payment.id))
                .transfer(Account::Clearing(gateway), wallet, received)
                .payment(payment.id)
                .actor(Some(payment.user_id));
            ledger::post(conn, &payment.currency, deposit).await?;
            let complete = received >= payment.amount;
            if complete && payment.credit > payment.amount {
                let bonus = Entry::new(EntryKind::Bonus, format!("payment_bonus:{}", payment.id))
                    .transfer(
                        Account::Promotions,
                        wallet,
                        amount::sub(payment.credit, payment.amount)?,
                    )
                    .payment(payment.id)
                    .memo("credit package");
                ledger::post(conn, &payment.currency, bonus).await?;
            }
            if !complete {
                tracing::warn!(payment = %payment.id, received, expected = payment.amount, "gateway paid less than asked; credited to the wallet only");
            }
            active.status = Set(PaymentStatus::Succeeded);
            active.completed_at = Set(Some(now));
            active.charge_reference = Set(event.charge_reference.clone());
            active.update(conn).await?;
            let mut writes = notifications::writes(
                payment.user_id,
                &Event::Money(MoneyEvent::PaymentSucceeded {
                    payment: payment.id,
                    amount: received,
                    currency: payment.currency.clone(),
                }),
            )?;
            let to = PaymentStatus::Succeeded;
            let got = vec![("received", json!(received))];
            let succeeded = payment_event(EventType::PaymentSucceeded, &payment, to, got);
            writes.push(events::write(&succeeded));
            gated::run_open(conn, writes).await?;
            if complete {
                fulfil(core, conn, &payment).await?;
            }
            Ok(())
        }
    }
}

/// Does what the payment was for, from the wallet it was just deposited in.
/// When that is no longer possible (escrow funded meanwhile, job cancelled)
/// the money simply stays in the wallet.
async fn fulfil(core: &Core, conn: &impl ConnectionTrait, payment: &payments::Model) -> Result<()> {
    let purpose = Purpose::parse(&payment.purpose).unwrap_or(Purpose::TopUp);
    match (purpose, payment.contract_id) {
        (Purpose::Escrow, Some(contract_id)) => {
            let contract = escrow::contract_for_update(core, conn, contract_id).await?;
            let job = load_for_update(core, conn, contract.job_id).await?;
            let fundable = contract.escrow_status == EscrowStatus::Unfunded
                && job.status == crate::marketplace::JobStatus::Hired;
            if fundable {
                escrow::fund_from_wallet(conn, &job, &contract, Some(payment.user_id)).await?;
            }
            Ok(())
        }
        (Purpose::Tip, Some(contract_id)) => {
            let contract = escrow::contract_for_update(core, conn, contract_id).await?;
            let job = load_for_update(core, conn, contract.job_id).await?;
            tips::give_from_wallet(
                core,
                conn,
                &job,
                &contract,
                payment.amount,
                &format!("payment:{}", payment.id),
            )
            .await
            .map(|_| ())
        }
        (Purpose::Fees, _) => fees::settle_from_wallet(
            conn,
            payment.user_id,
            payment.amount,
            &format!("payment:{}", payment.id),
            &payment.currency,
        )
        .await
        .map(|_| ()),
        _ => Ok(()),
    }
}

/// The sandbox plays the customer: the payer completes or fails their own
/// pending sandbox payment, and the outcome goes through the signed webhook.
/// Staff may see the payment but not play it (403): playing it would move
/// money on someone else's behalf.
pub async fn sandbox_play(
    core: &Core,
    caller: &Authenticated,
    payment_id: Uuid,
    succeed: bool,
) -> Result<payments::Model> {
    let payment = find_visible(core, caller, payment_id).await?;
    if payment.user_id != caller.user.id {
        return Err(ErrorCode::Forbidden.into());
    }
    if payment.gateway != Gateway::Sandbox.as_str() {
        return Err(Error::with_details(
            ErrorCode::Conflict,
            json!({ "gateway": payment.gateway }),
        ));
    }
    let to = if succeed {
        PaymentStatus::Succeeded
    } else {
        PaymentStatus::Failed
    };
    if !lifecycle::may(payment.status, to, PaymentActor::Gateway) {
        return Err(ErrorCode::PaymentNotPending.into());
    }
    let event = sandbox::SandboxEvent {
        id: format!("evt_{}", Uuid::now_v7().simple()),
        kind: if succeed {
            "payment.succeeded"
        } else {
            "payment.failed"
        }
        .to_owned(),
        payment_id: payment.id,
        amount: payment.amount,
        reason: (!succeed).then(|| "declined in the sandbox".to_owned()),
    };
    let body = serde_json::to_vec(&event).map_err(anyhow::Error::from)?;
    let mut headers = Headers::new();
    headers.insert(
        sandbox::SIGNATURE_HEADER.to_owned(),
        core.gateways.sandbox.sign(&body, time::now().timestamp()),
    );
    receive(core, Gateway::Sandbox, &headers, &body).await?;
    find_visible(core, caller, payment_id).await
}

/// One payment: its payer or staff.
pub async fn find_visible(
    core: &Core,
    caller: &Authenticated,
    id: Uuid,
) -> Result<payments::Model> {
    let payment = payments::Entity::find_by_id(id)
        .one(core.db.conn())
        .await?
        .ok_or(Error::code(ErrorCode::PaymentNotFound))?;
    if payment.user_id != caller.user.id && !caller.role.is_staff() {
        return Err(ErrorCode::PaymentNotFound.into());
    }
    Ok(payment)
}

/// `GET /api/payments/history`: the caller's payments, newest first.
pub async fn history(
    core: &Core,
    caller: &Authenticated,
    page: PageRequest,
) -> Result<Page<payments::Model>> {
    let query = payments::Entity::find().filter(payments::Column::UserId.eq(caller.user.id));
    let total = query.clone().count(core.db.conn()).await?;
    let items = query
        .order_by_desc(payments::Column::CreatedAt)
        .order_by_desc(payments::Column::Id)
        .offset(page.offset())
        .limit(page.limit)
        .all(core.db.conn())
        .await?;
    Ok(Page::new(items, page, total))
}

/// `POST /api/payments/:id/refund`: the payer sends (part of) a settled
/// top-up back to the card it came from. The money leaves the wallet first
/// (so it cannot be spent twice); if the gateway refuses, it comes back.
pub async fn refund_to_source(
    core: &Core,
    caller: &Authenticated,
    payment_id: Uuid,
    amount: Option<i64>,
    request_key: &str,
) -> Result<payments::Model> {
    let txn = core.db.begin_write().await?.without_account_changes();
    let payment = core
        .db
        .for_update(payments::Entity::find_by_id(payment_id))
        .one(&*txn)
        .await?
        .filter(|p| p.user_id == caller.user.id)
        .ok_or(Error::code(ErrorCode::PaymentNotFound))?;
    let gateway = Gateway::parse(&payment.gateway).unwrap_or(Gateway::Sandbox);
    if payment.status != PaymentStatus::Succeeded
        || payment.purpose != Purpose::TopUp.as_str()
        || gateway == Gateway::Fawry
    {
        return Err(Error::with_details(
            ErrorCode::Conflict,
            json!({ "status": payment.status, "purpose": payment.purpose, "gateway": payment.gateway }),
        ));
    }
    let refundable = amount::sub(payment.amount, payment.refunded)?;
    let amount = amount.unwrap_or(refundable);
    if !(1..=refundable).contains(&amount) {
        return Err(Error::Validation(FieldErrors::single(
            "amount",
            FieldIssue::out_of_range(1, refundable),
        )));
    }
    let handler = core.gateways.get(gateway)?;
    let wallet = Account::Wallet(payment.user_id);
    let entry = Entry::new(
        EntryKind::Refund,
        format!("card_refund:{}:{request_key}", payment.id),
    )
    .transfer(wallet, Account::Clearing(gateway), amount)
    .payment(payment.id)
    .actor(Some(caller.user.id))
    .memo("refund to the card");
    if ledger::post(&*txn, &payment.currency, entry).await? == Posted::AlreadyWritten {
        return Ok(payment);
    }
    let mut active: payments::ActiveModel = payment.clone().into();
    active.refunded = Set(amount::add(payment.refunded, amount)?);
    active.updated_at = Set(time::now());
    let reserved = active.update(&*txn).await?;
    txn.commit().await?;

    match handler.refund(&reserved, amount, request_key).await {
        Ok(_) => Ok(reserved),
        Err(err) => {
            let txn = core.db.begin_write().await?.without_account_changes();
            let entry = Entry::new(
                EntryKind::Adjustment,
                format!("card_refund_failed:{}:{request_key}", payment.id),
            )
            .transfer(Account::Clearing(gateway), wallet, amount)
            .payment(payment.id)
            .memo("the gateway refused the refund");
            ledger::post(&*txn, &payment.currency, entry).await?;
            payments::Entity::update_many()
                .col_expr(
                    payments::Column::Refunded,
                    sea_orm::sea_query::ExprTrait::sub(
                        sea_orm::sea_query::Expr::col(payments::Column::Refunded),
                        amount,
                    ),
                )
                .filter(payments::Column::Id.eq(payment.id))
                .exec(&*txn)
                .await?;
            txn.commit().await?;
            Err(err)
        }
    }
}
