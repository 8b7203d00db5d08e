//! A contract's escrow: funded by the client (wallet or gateway payment),
//! frozen by a dispute, released to the craftsman on completion (price minus
//! the commission fixed at hire), refunded or split on cancellation by the
//! policy in the settings, refunded in part or in full by staff.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set,
};
use serde_json::json;
use souk_db::{
    entities::{contracts, jobs, ledger_accounts, ledger_entries, ledger_postings},
    gated::{self, GatedWrite},
};
use uuid::Uuid;

use super::{
    account::Account,
    amount,
    ledger::{self, Entry, EntryKind, Lead, Posted},
    settings,
};
use crate::{
    Core,
    accounts::Authenticated,
    error::{Error, ErrorCode, FieldErrors, FieldIssue, Result},
    integrators::events::{self, DomainEvent, EventType},
    marketplace::{
        Actor, JobStatus,
        access::actor_for,
        contract_lifecycle::{self, EscrowActor},
        job_rows::load,
        lifecycle::ContractEffect,
    },
    notifications::{self, Event, MoneyEvent},
    store::{self, contracts::LockedContract},
    time,
};

use souk_db::enums::ContractStatus;
pub use souk_db::enums::EscrowStatus;

/// A contract's escrow as its parties see it.
#[derive(Debug, Clone)]
pub struct EscrowView {
    pub contract: contracts::Model,
    /// What the escrow holds now.
    pub held: i64,
    /// Paid out to the craftsman so far (net of commission).
    pub released: i64,
    /// Returned to the client so far.
    pub refunded: i64,
}

/// Loads the contract of a job, or 409 when there is none yet.
pub async fn contract_of(conn: &impl ConnectionTrait, job_id: Uuid) -> Result<contracts::Model> {
    contracts::Entity::find()
        .filter(contracts::Column::JobId.eq(job_id))
        .one(conn)
        .await?
        .ok_or(Error::code(ErrorCode::NoContract))
}

/// Loads a contract inside a write transaction, locking it on PostgreSQL.
pub async fn contract_for_update(
    core: &Core,
    conn: &impl ConnectionTrait,
    id: Uuid,
) -> Result<contracts::Model> {
    core.db
        .for_update(contracts::Entity::find_by_id(id))
        .one(conn)
        .await?
        .ok_or(Error::code(ErrorCode::ContractNotFound))
}

/// `GET /api/jobs/:id/escrow`: the job's parties and staff.
pub async fn view(core: &Core, caller: &Authenticated, job_id: Uuid) -> Result<EscrowView> {
    let job = load(core.db.conn(), job_id).await?;
    if actor_for(&job, caller).is_none() {
        return Err(ErrorCode::NotAParty.into());
    }
    let contract = contract_of(core.db.conn(), job.id).await?;
    describe(core.db.conn(), contract).await
}

/// What the escrow holds, released and refunded, from the ledger.
pub async fn describe(
    conn: &impl ConnectionTrait,
    contract: contracts::Model,
) -> Result<EscrowView> {
    let held = ledger::balance(conn, Account::Escrow(contract.id)).await?;
    // What left the escrow, by kind of entry (read through the escrow
    // account's own postings); a release's net is its gross minus the
    // commission share, computed as it was when posted.
    let outflows: Vec<(String, i64)> = ledger_postings::Entity::find()
        .select_only()
        .column(ledger_entries::Column::Kind)
        .column(ledger_postings::Column::Amount)
        .inner_join(ledger_entries::Entity)
        .inner_join(ledger_accounts::Entity)
        .filter(ledger_accounts::Column::Key.eq(Account::Escrow(contract.id).key()))
        .filter(ledger_postings::Column::Amount.lt(0))
        .into_tuple()
        .all(conn)
        .await?;
    let mut released = 0;
    let mut refunded = 0;
    for (kind, posted) in outflows {
        let gross = amount::neg(posted)?;
        if kind == EntryKind::EscrowRelease.as_str() {
            let net = amount::sub(gross, fee_on(&contract, gross)?)?;
            released = amount::add(released, net)?;
        } else if kind == EntryKind::Refund.as_str() {
            refunded = amount::add(refunded, gross)?;
        }
    }
    Ok(EscrowView {
        contract,
        held,
        released,
        refunded,
    })
}

/// Where escrow funding comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FundingSource {
    Wallet,
    Gateway(super::Gateway),
}

/// Checks that `caller` may fund this job's escrow now and returns the job
/// and its contract, locked by the read when `lock` (else the funding
/// statement locks and re-checks it).
pub async fn fundable(
    conn: &impl ConnectionTrait,
    caller: &Authenticated,
    job_id: Uuid,
    amount: Option<i64>,
    source: FundingSource,
    lock: bool,
) -> Result<(jobs::Model, contracts::Model)> {
    // The contract's row lock orders funding against transitions (which lock
    // it first too); a contract that was cancelled meanwhile is no longer
    // active when the lock is granted.
    let (job, contract) = store::contracts::job_for_transition(conn, job_id, lock).await?;
    match actor_for(&job, caller) {
        Some(Actor::Client) => {}
        Some(_) => return Err(ErrorCode::ClientsOnly.into()),
        None => return Err(ErrorCode::NotAParty.into()),
    }
    let contract = contract.ok_or(Error::code(ErrorCode::NoContract))?.contract;
    let status = contract.escrow_status;
    if status != EscrowStatus::Unfunded
        || contract.status != ContractStatus::Active
        || job.status != JobStatus::Hired
    {
        return Err(Error::with_details(
            ErrorCode::EscrowNotFundable,
            json!({ "escrowStatus": status.as_str(), "jobStatus": job.status }),
        ));
    }
    // Cash-protected jobs are paid in cash at a Fawry outlet, and only so.
    let fawry_only = contract.payment_type == "cash_protected";
    let is_fawry = source == FundingSource::Gateway(super::Gateway::Fawry);
    if fawry_only != is_fawry {
        let field = match source {
            FundingSource::Wallet => "source",
            FundingSource::Gateway(_) => "gateway",
        };
        return Err(Error::Validation(FieldErrors::single(
            field,
            FieldIssue::NotAllowed,
        )));
    }
    if let Some(amount) = amount
        && amount != contract.price
    {
        return Err(Error::with_details(
            ErrorCode::ValidationFailed,
            json!({ "fields": { "amount": { "expected": contract.price } } }),
        ));
    }
    Ok((job, contract))
}

/// Moves the contract's price from the client's wallet into escrow and tells
/// the craftsman; returns the contract as it is now. Its ledger key makes it
/// happen once.
pub async fn fund_from_wallet(
    conn: &impl ConnectionTrait,
    job: &jobs::Model,
    contract: &contracts::Model,
    actor: Option<Uuid>,
) -> Result<contracts::Model> {
    let funded = fund_from_wallet_as(conn, job, contract, actor, false).await?;
    Ok(funded.unwrap_or_else(|| contract.clone()))
}

/// [`fund_from_wallet`]; `alone`: the statement is its own transaction
/// (PostgreSQL, contract not locked yet), so the contract's update leads,
/// locking it and re-checking that it is still active and unfunded and its
/// job still hired. `None`: it no longer was, nothing was written.
async fn fund_from_wallet_as(
    conn: &impl ConnectionTrait,
    job: &jobs::Model,
    contract: &contracts::Model,
    actor: Option<Uuid>,
    alone: bool,
) -> Result<Option<contracts::Model>> {
    let held = Some(EscrowStatus::Held);
    contract_lifecycle::ensure(contract, None, held, EscrowActor::Payer)?;
    // Written only with the contract's move from unfunded to held, so an
    // unfunded contract has none yet.
    let key = format!("escrow_fund:{}", contract.id);
    let entry = Entry::new(EntryKind::EscrowFund, key)
        .transfer(
            Account::Wallet(contract.client_id),
            Account::Escrow(contract.id),
            contract.price,
        )
        .contract(contract.id)
        .actor(actor);
    let now = time::now();
    let mut notice = notifications::writes(
        contract.craftsman_id,
        &Event::Money(MoneyEvent::EscrowFunded {
            job: job.id,
            title: job.title.clone(),
            amount: contract.price,
            currency: contract.currency.clone(),
        }),
    )?;
    let held = vec![("escrowStatus", json!(EscrowStatus::Held.as_str()))];
    let funded = escrow_event(
        EventType::EscrowFunded,
        actor,
        contract,
        contract.price,
        held,
    )
    .previous(json!({ "escrowStatus": contract.escrow_status.as_str() }));
    notice.push(events::write(&funded));
    let posted = if alone {
        let lead = GatedWrite::new(
            "UPDATE contracts SET escrow_status = 'held', funded_at = $1, updated_at = $2 \
             WHERE id = $3 AND escrow_status = 'unfunded' AND status = 'active' \
             AND EXISTS (SELECT 1 FROM jobs j WHERE j.id = $4 AND j.status = 'hired') \
             AND {gate}",
            vec![now.into(), now.into(), contract.id.into(), job.id.into()],
        );
        let lead = Lead {
            write: lead,
            then: Vec::new(),
        };
        match ledger::post_after(conn, &contract.currency, Some(lead), entry, notice).await? {
            None => return Ok(None),
            Some(posted) => posted,
        }
    } else {
        let mut then = vec![GatedWrite::new(
            "UPDATE contracts SET escrow_status = 'held', funded_at = $1, updated_at = $2 \
             WHERE id = $3 AND {gate}",
            vec![now.into(), now.into(), contract.id.into()],
        )];
        then.extend(notice);
        ledger::post_with(conn, &contract.currency, entry, then).await?
    };
    if posted == Posted::AlreadyWritten {
        return Ok(Some(contract.clone()));
    }
    Ok(Some(contracts::Model {
        escrow_status: EscrowStatus::Held,
        funded_at: Some(now),
        updated_at: now,
        ..contract.clone()
    }))
}

/// Staff move an escrow's status (see [`contract_lifecycle::ensure`]).
async fn set_status(
    conn: &impl ConnectionTrait,
    contract: &contracts::Model,
    status: EscrowStatus,
) -> Result<contracts::Model> {
    contract_lifecycle::ensure(contract, None, Some(status), EscrowActor::Staff)?;
    let mut active: contracts::ActiveModel = contract.clone().into();
    active.escrow_status = Set(status);
    active.updated_at = Set(time::now());
    Ok(active.update(conn).await?)
}

/// Whether the job may start: the escrow holds the money, or none is needed.
pub fn ready_to_start(contract: Option<&contracts::Model>) -> bool {
    contract.is_none_or(|c| matches!(c.escrow_status, EscrowStatus::Held | EscrowStatus::None))
}

/// The commission on releasing `amount` of the contract's escrow: the fee
/// fixed at hire, in proportion (all of it when the whole price goes).
fn fee_on(contract: &contracts::Model, amount: i64) -> Result<i64> {
    if amount == contract.price || contract.price == 0 {
        return Ok(contract.platform_fee.min(amount));
    }
    // fee × amount / price, rounded half up. In i128 the product of two
    // amounts cannot overflow, and with the fee at most the price the
    // quotient is at most `amount`: the checks guard a broken row.
    let price = i128::from(contract.price);
    let fee = i128::from(contract.platform_fee)
        .checked_mul(i128::from(amount))
        .and_then(|product| product.checked_add(price / 2))
        .and_then(|rounded| rounded.checked_div(price))
        .and_then(|fee| i64::try_from(fee).ok())
        .ok_or_else(|| amount::overflow("commission on an escrow release"))?;
    Ok(fee.min(amount))
}

/// A payment out of a contract's escrow to its craftsman.
struct Release<'a> {
    /// The write that leads (the job's status change), if any: nothing
    /// moves unless it touches its row.
    lead: Option<Lead>,
    job: &'a jobs::Model,
    contract: &'a contracts::Model,
    amount: i64,
    /// The ledger entry's idempotency key.
    key: String,
    actor: Option<Uuid>,
    /// Writes that ride along with the entry.
    also: Vec<GatedWrite>,
}

/// Releases `amount` of the escrow to the craftsman (commission to the
/// platform); `None` when the lead found nothing to change.
async fn release(conn: &impl ConnectionTrait, request: Release<'_>) -> Result<Option<Posted>> {
    let Release {
        lead,
        job,
        contract,
        amount,
        key,
        actor,
        also,
    } = request;
    let fee = fee_on(contract, amount)?;
    let net = amount::sub(amount, fee)?;
    let entry = Entry::new(EntryKind::EscrowRelease, key)
        .transfer(
            Account::Escrow(contract.id),
            Account::Wallet(contract.craftsman_id),
            net,
        )
        .transfer(Account::Escrow(contract.id), Account::PlatformRevenue, fee)
        .contract(contract.id)
        .actor(actor);
    let mut then = notifications::writes(
        contract.craftsman_id,
        &Event::Money(MoneyEvent::EscrowReleased {
            job: job.id,
            title: job.title.clone(),
            amount: net,
            currency: contract.currency.clone(),
            completed: job.status == JobStatus::Completed,
        }),
    )?;
    let shares = vec![("net", json!(net)), ("fee", json!(fee))];
    let released = escrow_event(EventType::EscrowReleased, actor, contract, amount, shares);
    then.push(events::write(&released));
    then.extend(also);
    ledger::post_after(conn, &contract.currency, lead, entry, then).await
}

/// The write that moves `contract` to its next status and escrow status
/// (each `None`: unchanged), as the contract's lifecycle tables allow
/// `actor` (see [`contract_lifecycle::ensure`]).
fn contract_update(
    contract: &contracts::Model,
    status: Option<ContractStatus>,
    escrow: Option<EscrowStatus>,
    actor: EscrowActor,
) -> Result<GatedWrite> {
    contract_lifecycle::ensure(contract, status, escrow, actor)?;
    let mut values: Vec<sea_orm::Value> = vec![time::now().into()];
    let mut sets = vec!["updated_at = $1".to_owned()];
    if let Some(status) = status {
        values.push(status.as_str().into());
        sets.push(format!("status = ${}", values.len()));
    }
    if let Some(escrow) = escrow {
        values.push(escrow.as_str().into());
        sets.push(format!("escrow_status = ${}", values.len()));
    }
    values.push(contract.id.into());
    Ok(GatedWrite::new(
        format!(
            "UPDATE contracts SET {} WHERE id = ${} AND {{gate}}",
            sets.join(", "),
            values.len()
        ),
        values,
    ))
}

/// [`contract_update`] that also re-checks, under the row lock it takes,
/// that the contract is still active with the escrow status it was read with.
fn contract_update_if(
    contract: &contracts::Model,
    status: Option<ContractStatus>,
    escrow: Option<EscrowStatus>,
    actor: EscrowActor,
) -> Result<GatedWrite> {
    let mut write = contract_update(contract, status, escrow, actor)?;
    write.values.push(contract.escrow_status.as_str().into());
    let check = format!(
        "AND status = 'active' AND escrow_status = ${} AND {{gate}}",
        write.values.len()
    );
    write.sql = write.sql.replace("AND {gate}", &check);
    Ok(write)
}

/// Returns `amount` of the escrow to the client under `key` (a dispute's
/// split returns the client's part this way before the rest is released).
pub(crate) async fn refund(
    conn: &impl ConnectionTrait,
    job: &jobs::Model,
    contract: &contracts::Model,
    amount: i64,
    key: String,
    actor: Option<Uuid>,
    memo: Option<String>,
) -> Result<()> {
    let mut entry = Entry::new(EntryKind::Refund, key)
        .transfer(
            Account::Escrow(contract.id),
            Account::Wallet(contract.client_id),
            amount,
        )
        .contract(contract.id)
        .actor(actor);
    entry.memo = memo;
    if let Posted::Written(_) = ledger::post(conn, &contract.currency, entry).await? {
        let mut writes = notifications::writes(
            contract.client_id,
            &Event::Money(MoneyEvent::EscrowRefunded {
                job: job.id,
                title: job.title.clone(),
                amount,
                currency: contract.currency.clone(),
            }),
        )?;
        let refunded = escrow_event(EventType::EscrowRefunded, actor, contract, amount, vec![]);
        writes.push(events::write(&refunded));
        gated::run_open(conn, writes).await?;
    }
    Ok(())
}

/// An escrow event of the feed, about the contract whose escrow it is:
/// `amount` (minor units) moved in, out to the craftsman, or back; `extra`
/// fields join the data.
fn escrow_event(
    kind: EventType,
    actor: Option<Uuid>,
    contract: &contracts::Model,
    amount: i64,
    extra: Vec<(&str, serde_json::Value)>,
) -> DomainEvent {
    let mut data = json!({
        "jobId": contract.job_id,
        "clientId": contract.client_id,
        "craftsmanId": contract.craftsman_id,
        "amount": amount,
        "currency": contract.currency,
    });
    if let Some(fields) = data.as_object_mut() {
        fields.extend(extra.into_iter().map(|(k, v)| (k.to_owned(), v)));
    }
    DomainEvent::new(kind, actor, "contract", contract.id, data)
}

/// Whether a transition with `effect` pays the craftsman out of an escrow
/// holding `held`: a completion with money held. The craftsman's notice of
/// that payment is also their notice of the completion.
pub fn pays_on(effect: ContractEffect, held: i64) -> bool {
    effect == ContractEffect::Complete && held > 0
}

/// A completion releases what the escrow held when the job was read: coming
/// up short means staff refunded part of it since, so the approval lost a
/// race (nothing moved) and is answered as one, not as a lack of funds.
fn raced(err: Error) -> Error {
    if err.error_code() == ErrorCode::InsufficientFunds {
        ErrorCode::Conflict.into()
    } else {
        err
    }
}

/// The money side of a job's move, as the lifecycle asks for it.
pub struct MoneyMove<'a> {
    /// The job as it is after the move.
    pub job: &'a jobs::Model,
    pub from: JobStatus,
    pub effect: ContractEffect,
    pub actor: Actor,
    pub actor_id: Option<Uuid>,
    /// The job's contract as read for the move (see
    /// [`store::contracts::job_for_transition`]).
    pub contract: Option<LockedContract>,
    /// The guarded status change, with the writes that ride along with it.
    pub status: Lead,
    /// The craftsman's share on a cancellation, decided by the caller's
    /// policy (a booking's); `None`: the settings' share by status.
    pub share_bps: Option<i32>,
}

/// The money side of a lifecycle transition, inside its transaction: first
/// the status change, then the escrow released, refunded, split or frozen
/// by the effect and the contract's status and escrow status written in one
/// update. Returns the rows the status change touched (0: someone moved the
/// job first, nothing was done). A completion that releases the escrow is
/// one statement where the engine allows (and the only statement when the
/// contract was read unlocked: it locks and re-checks the contract itself).
pub async fn on_transition(
    core: &Core,
    conn: &impl ConnectionTrait,
    request: MoneyMove<'_>,
) -> Result<u64> {
    let MoneyMove {
        job,
        from,
        effect,
        actor,
        actor_id,
        contract,
        status,
        share_bps,
    } = request;
    let Some(LockedContract {
        contract,
        held,
        locked,
    }) = contract
    else {
        return Ok(gated::run(conn, status.write, status.then).await?);
    };
    let escrow = contract.escrow_status;
    let release_key = format!("escrow_release:{}", contract.id);
    if pays_on(effect, held) {
        // The status change, the release and the contract's new state ride
        // together.
        let next = escrow.holds_money().then_some(EscrowStatus::Released);
        if !locked {
            // Its own transaction: the contract's update leads (locking it,
            // and re-checking it is active and holds what was read); the
            // job's guarded status change must then succeed, or nothing is.
            let completed = Some(ContractStatus::Completed);
            let guarded = contract_update_if(&contract, completed, next, EscrowActor::Job)?;
            let mut then = vec![status.write.required()];
            then.extend(status.then);
            let lead = Lead {
                write: guarded,
                then,
            };
            let released = release(
                conn,
                Release {
                    lead: Some(lead),
                    job,
                    contract: &contract,
                    amount: held,
                    key: release_key,
                    actor: actor_id,
                    also: Vec::new(),
                },
            );
            return Ok(u64::from(released.await.map_err(raced)?.is_some()));
        }
        let completed = Some(ContractStatus::Completed);
        let finish = contract_update(&contract, completed, next, EscrowActor::Job)?;
        let also = vec![finish.clone()];
        let release_all = Release {
            lead: Some(status),
            job,
            contract: &contract,
            amount: held,
            key: release_key,
            actor: actor_id,
            also,
        };
        return match release(conn, release_all).await.map_err(raced)? {
            None => Ok(0),
            Some(Posted::Written(_)) => Ok(1),
            Some(_) => {
                gated::run_open(conn, vec![finish]).await?;
                Ok(1)
            }
        };
    }
    let moved = gated::run(conn, status.write, status.then).await?;
    if moved == 0 {
        return Ok(0);
    }
    let finish = match effect {
        ContractEffect::None => return Ok(moved),
        ContractEffect::Freeze => {
            if escrow != EscrowStatus::Held {
                return Ok(moved);
            }
            contract_update(
                &contract,
                None,
                Some(EscrowStatus::Frozen),
                EscrowActor::Job,
            )?
        }
        ContractEffect::Unfreeze => {
            if escrow != EscrowStatus::Frozen {
                return Ok(moved);
            }
            contract_update(&contract, None, Some(EscrowStatus::Held), EscrowActor::Job)?
        }
        ContractEffect::Complete => {
            if escrow == EscrowStatus::None {
                super::fees::post_cash_commission(core, conn, &contract).await?;
            }
            let next = escrow.holds_money().then_some(EscrowStatus::Released);
            contract_update(
                &contract,
                Some(ContractStatus::Completed),
                next,
                EscrowActor::Job,
            )?
        }
        ContractEffect::Cancel => {
            // The policy's share applies when the client walks away; a
            // craftsman who cancels, or staff, return everything.
            let share_bps = match share_bps {
                Some(bps) => bps,
                None if actor == Actor::Client && held > 0 => settings::load(conn, &core.settings)
                    .await?
                    .cancellation_share(from),
                None => 0,
            };
            let to_craftsman = settings::share(held, share_bps)?;
            let to_client = amount::sub(held, to_craftsman)?;
            if to_craftsman > 0 {
                let share = Release {
                    lead: None,
                    job,
                    contract: &contract,
                    amount: to_craftsman,
                    key: release_key,
                    actor: actor_id,
                    also: Vec::new(),
                };
                release(conn, share).await?;
            }
            if to_client > 0 {
                let key = format!("escrow_refund:{}:cancel", contract.id);
                let memo = Some("cancellation".to_owned());
                refund(conn, job, &contract, to_client, key, actor_id, memo).await?;
            }
            let next = escrow.holds_money().then_some(if to_client > 0 {
                EscrowStatus::Refunded
            } else {
                EscrowStatus::Released
            });
            contract_update(
                &contract,
                Some(ContractStatus::Cancelled),
                next,
                EscrowActor::Job,
            )?
        }
    };
    gated::run_open(conn, vec![finish]).await?;
    Ok(moved)
}

/// `POST /api/admin/contracts/:id/refund`: staff return part or all of what
/// the escrow holds to the client (a dispute's split is a partial refund,
/// then completion releases the rest).
pub async fn staff_refund(
    core: &Core,
    caller: &Authenticated,
    contract_id: Uuid,
    amount: Option<i64>,
    reason: Option<String>,
    request_key: &str,
) -> Result<EscrowView> {
    if !caller.role.is_staff() {
        return Err(ErrorCode::StaffOnly.into());
    }
    let txn = core.db.begin_write().await?.without_account_changes();
    let contract = contract_for_update(core, &*txn, contract_id).await?;
    let job = load(&*txn, contract.job_id).await?;
    let held = ledger::balance(&*txn, Account::Escrow(contract.id)).await?;
    if held == 0 {
        return Err(ErrorCode::EscrowEmpty.into());
    }
    let amount = amount.unwrap_or(held);
    if !(1..=held).contains(&amount) {
        return Err(Error::Validation(FieldErrors::single(
            "amount",
            FieldIssue::out_of_range(1, held),
        )));
    }
    refund(
        &*txn,
        &job,
        &contract,
        amount,
        format!("escrow_refund:{}:{request_key}", contract.id),
        Some(caller.user.id),
        reason,
    )
    .await?;
    if amount == held {
        set_status(&*txn, &contract, EscrowStatus::Refunded).await?;
    }
    crate::admin::activity::record(
        &*txn,
        Some(caller.user.id),
        "admin.refund_escrow",
        "contract",
        Some(contract.id.to_string()),
        json!({ "amount": amount, "jobId": job.id }),
    )
    .await?;
    let contract = contracts::Entity::find_by_id(contract.id)
        .one(&*txn)
        .await?
        .ok_or(Error::code(ErrorCode::ContractNotFound))?;
    let view = describe(&*txn, contract).await?;
    txn.commit().await?;
    core.outbox_wakeup.notify_one();
    Ok(view)
}

/// `POST /api/jobs/:id/escrow/fund` from the client's wallet.
pub async fn fund_with_wallet(
    core: &Core,
    caller: &Authenticated,
    job_id: Uuid,
    amount: Option<i64>,
) -> Result<EscrowView> {
    let source = FundingSource::Wallet;
    // One read, then one write: a statement that is its own transaction and
    // re-checks what the read saw (no BEGIN / COMMIT round trips) where the
    // engine allows, else a transaction whose read holds.
    let write = core.db.begin_checked().await?.without_account_changes();
    let locked = write.is_transaction();
    let (job, contract) = fundable(&write.conn(), caller, job_id, amount, source, locked).await?;
    let by = Some(caller.user.id);
    let Some(contract) = fund_from_wallet_as(&write.conn(), &job, &contract, by, !locked).await?
    else {
        // Something changed in between: answer as the read now does.
        fundable(&write.conn(), caller, job_id, amount, source, false).await?;
        return Err(ErrorCode::Conflict.into());
    };
    write.commit().await?;
    // Funding happens only from unfunded: nothing was released or refunded yet.
    let view = EscrowView {
        held: contract.price,
        released: 0,
        refunded: 0,
        contract,
    };
    core.outbox_wakeup.notify_one();
    Ok(view)
}

/// Before staff delete a job outright: whatever its escrow still holds goes
/// back to the client, so no money is left behind a vanished contract.
pub async fn refund_before_delete(
    conn: &impl ConnectionTrait,
    job: &jobs::Model,
    actor: Uuid,
) -> Result<()> {
    let Some(contract) = contracts::Entity::find()
        .filter(contracts::Column::JobId.eq(job.id))
        .one(conn)
        .await?
    else {
        return Ok(());
    };
    let held = ledger::balance(conn, Account::Escrow(contract.id)).await?;
    if held > 0 {
        refund(
            conn,
            job,
            &contract,
            held,
            format!("escrow_refund:{}:deleted", contract.id),
            Some(actor),
            Some("job deleted by staff".into()),
        )
        .await?;
    }
    Ok(())
}
