//! The contract a hire makes, the same whichever way in: an accepted quote
//! on a job, or an accepted booking of an offering (whose job and quote the
//! booking writes first). The commission is the category's, else the
//! platform's, fixed now; the escrow starts as the payment type says; the
//! parties' conversation opens with it.

use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set};
use souk_db::{
    entities::{contracts, jobs, services},
    enums::ContractStatus,
};
use uuid::Uuid;

use crate::{
    Core, chat,
    error::Result,
    money::{self, EscrowStatus},
    time,
};

/// What is hired: the job, the accepted quote, its author and price.
pub struct Hire<'a> {
    pub job: &'a jobs::Model,
    pub quote: Uuid,
    pub craftsman: Uuid,
    pub price: i64,
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
    let contract = contracts::ActiveModel {
        id: Set(Uuid::now_v7()),
        job_id: Set(job.id),
        quote_id: Set(quote),
        client_id: Set(job.client_id),
        craftsman_id: Set(craftsman),
        price: Set(price),
        fee_bps: Set(fee_bps),
        platform_fee: Set(money::settings::share(price, fee_bps)?),
        currency: Set(job.currency.clone()),
        payment_type: Set(job.payment_type.clone()),
        status: Set(ContractStatus::Active),
        escrow_status: Set(EscrowStatus::initial(&job.payment_type)),
        funded_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(conn)
    .await?;
    chat::open::open_for_contract(conn, chat::open::ContractParties::of(&contract)).await?;
    Ok(contract)
}
