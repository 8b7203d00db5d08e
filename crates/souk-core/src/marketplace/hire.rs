//! The contract a hire makes, the same whichever way in: an accepted quote
//! on a job, or an accepted booking of an offering (whose job and quote the
//! booking writes first). The commission is the category's, else the
//! platform's, fixed now; the escrow starts as the payment type says; the
//! parties' conversation opens with it.

use sea_orm::{ConnectionTrait, EntityTrait};
use serde_json::json;
use souk_db::{
    entities::{contracts, jobs, services},
    enums::ContractStatus,
    gated::{self, GatedWrite},
};
use uuid::Uuid;

use crate::{
    Core, chat,
    error::Result,
    integrators::events::{self, DomainEvent, EventType},
    money::{self, EscrowStatus},
    time,
};

/// What is hired: the job, the accepted quote, its author and price.
pub struct Hire<'a> {
    pub job: &'a jobs::Model,
    pub quote: Uuid,
    pub craftsman: Uuid,
    pub price: i64,
    /// Who hired (`None`: the platform — an instant booking).
    pub by: Option<Uuid>,
}

/// Writes the contract of a hire (inside the caller's transaction).
pub async fn contract(
    core: &Core,
    conn: &impl ConnectionTrait,
    hire: Hire<'_>,
) -> Result<contracts::Model> {
    let Hire {
        job,
        quote,
        craftsman,
        price,
        by,
    } = hire;
    let category = services::Entity::find_by_id(job.category_id)
        .one(conn)
        .await?;
    let fee_bps = match category.and_then(|c| c.commission_bps) {
        Some(bps) => bps,
        None => {
            money::settings::load(conn, &core.settings)
                .await?
                .commission_bps
        }
    };
    let now = time::now();
    let contract = contracts::Model {
        id: Uuid::now_v7(),
        job_id: job.id,
        quote_id: quote,
        client_id: job.client_id,
        craftsman_id: craftsman,
        price,
        fee_bps,
        platform_fee: money::settings::share(price, fee_bps)?,
        currency: job.currency.clone(),
        payment_type: job.payment_type.clone(),
        status: ContractStatus::Active,
        escrow_status: EscrowStatus::initial(&job.payment_type),
        funded_at: None,
        created_at: now,
        updated_at: now,
    };
    // The feed's `contract.created` rides along with the insert (one
    // statement on PostgreSQL).
    gated::run(
        conn,
        insert(&contract),
        vec![events::write(&created(&contract, job, by))],
    )
    .await?;
    chat::open::open_for_contract(conn, chat::open::ContractParties::of(&contract)).await?;
    Ok(contract)
}

/// The insert of a new contract (the lead of its writes).
fn insert(c: &contracts::Model) -> GatedWrite {
    GatedWrite::new(
        "INSERT INTO contracts (id, job_id, quote_id, client_id, craftsman_id, price, fee_bps, \
         platform_fee, currency, payment_type, status, escrow_status, funded_at, created_at, \
         updated_at) SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15 \
         WHERE {gate}",
        vec![
            c.id.into(),
            c.job_id.into(),
            c.quote_id.into(),
            c.client_id.into(),
            c.craftsman_id.into(),
            c.price.into(),
            c.fee_bps.into(),
            c.platform_fee.into(),
            c.currency.clone().into(),
            c.payment_type.clone().into(),
            c.status.as_str().into(),
            c.escrow_status.as_str().into(),
            c.funded_at.into(),
            c.created_at.into(),
            c.updated_at.into(),
        ],
    )
}

/// The `contract.created` event: the parties, the price and the
/// commission fixed now, how it is paid.
fn created(contract: &contracts::Model, job: &jobs::Model, by: Option<Uuid>) -> DomainEvent {
    DomainEvent::new(
        EventType::ContractCreated,
        by,
        "contract",
        contract.id,
        json!({
            "jobId": contract.job_id,
            "quoteId": contract.quote_id,
            "bookingId": job.booking_id,
            "clientId": contract.client_id,
            "craftsmanId": contract.craftsman_id,
            "price": contract.price,
            "platformFee": contract.platform_fee,
            "currency": contract.currency,
            "paymentType": contract.payment_type,
            "status": contract.status.as_str(),
            "escrowStatus": contract.escrow_status.as_str(),
        }),
    )
}
