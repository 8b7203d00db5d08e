//! `payments`: money coming in through a gateway (top-up, escrow funding,
//! tip, fee payment), confirmed only by the gateway's signed webhook.

use sea_orm::entity::prelude::*;

use crate::enums::PaymentStatus;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "payments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub user_id: Uuid,
    /// sandbox | stripe | fawry
    pub gateway: String,
    /// top_up | escrow | tip | fees
    pub purpose: String,
    pub status: PaymentStatus,
    /// What the payer pays.
    pub amount: i64,
    /// What the wallet receives (more than `amount` with a package bonus).
    pub credit: i64,
    pub currency: String,
    pub contract_id: Option<Uuid>,
    pub package_id: Option<Uuid>,
    /// The gateway's id (Stripe session, Fawry reference).
    pub external_id: Option<String>,
    /// The code a customer pays at an outlet (Fawry).
    pub reference_code: Option<String>,
    pub checkout_url: Option<String>,
    pub failure_reason: Option<String>,
    /// What the gateway charged (Stripe PaymentIntent), for refunds to the card.
    pub charge_reference: Option<String>,
    /// Sent back to the payer's card so far.
    pub refunded: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub completed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
