//! Tips: the client of a job gives the craftsman extra, from the wallet or
//! through a gateway payment, once the work is submitted or done; the
//! platform keeps the configured tip fee (none by default).

use sea_orm::ConnectionTrait;
use souk_db::entities::{contracts, jobs};
use uuid::Uuid;

use super::{
    account::Account,
    amount::{self, check_payable},
    escrow::contract_of,
    ledger::{self, Entry, EntryKind, Posted},
    settings,
};
use crate::{
    Core,
    accounts::Authenticated,
    error::{ErrorCode, FieldErrors, Result},
    marketplace::{Actor, JobStatus, access::actor_for, jobs::load_for_update},
    notifications::{self, Event, MoneyEvent},
};

/// Checks that `caller` may tip on this job now; returns the locked job and
/// its contract.
pub async fn tippable(
    core: &Core,
    conn: &impl ConnectionTrait,
    caller: &Authenticated,
    job_id: Uuid,
) -> Result<(jobs::Model, contracts::Model)> {
    let job = load_for_update(core, conn, job_id).await?;
    match actor_for(&job, caller) {
        Some(Actor::Client) => {}
        Some(_) => return Err(ErrorCode::ClientsOnly.into()),
        None => return Err(ErrorCode::NotAParty.into()),
    }
    let contract = contract_of(conn, job.id).await?;
    if !matches!(job.status, JobStatus::WorkSubmitted | JobStatus::Completed) {
        return Err(ErrorCode::TipNotAllowed.into());
    }
    Ok((job, contract))
}

/// `POST /api/jobs/:id/tip` from the wallet; `request_key` makes it once.
pub async fn tip_from_wallet(
    core: &Core,
    caller: &Authenticated,
    job_id: Uuid,
    amount: i64,
    request_key: &str,
) -> Result<i64> {
    let mut errors = FieldErrors::new();
    check_payable(&mut errors, "amount", amount, core.settings.max_amount);
    errors.into_result()?;
    let txn = core.db.begin_write().await?.without_account_changes();
    let (job, contract) = tippable(core, &*txn, caller, job_id).await?;
    let net = give_from_wallet(core, &*txn, &job, &contract, amount, request_key).await?;
    txn.commit().await?;
    core.outbox_wakeup.notify_one();
    Ok(net)
}

/// A tip from the client's wallet (after a gateway deposit too); returns
/// what the craftsman received.
pub async fn give_from_wallet(
    core: &Core,
    conn: &impl ConnectionTrait,
    job: &jobs::Model,
    contract: &contracts::Model,
    amount: i64,
    key: &str,
) -> Result<i64> {
    let money = settings::load(conn, &core.settings).await?;
    let fee = settings::share(amount, money.tip_fee_bps)?;
    let net = amount::sub(amount, fee)?;
    let entry = Entry::new(EntryKind::Tip, format!("tip:{}:{key}", contract.id))
        .transfer(
            Account::Wallet(contract.client_id),
            Account::Wallet(contract.craftsman_id),
            net,
        )
        .transfer(
            Account::Wallet(contract.client_id),
            Account::PlatformRevenue,
            fee,
        )
        .contract(contract.id)
        .actor(Some(contract.client_id));
    if let Posted::Written(_) = ledger::post(conn, &contract.currency, entry).await? {
        notifications::notify(
            conn,
            contract.craftsman_id,
            &Event::Money(MoneyEvent::TipReceived {
                job: job.id,
                title: job.title.clone(),
                amount: net,
                currency: contract.currency.clone(),
            }),
        )
        .await?;
    }
    Ok(net)
}
