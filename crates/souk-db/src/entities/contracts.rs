//! `contracts`: the agreement made when a quote is accepted.

use sea_orm::entity::prelude::*;

use crate::enums::{ContractStatus, EscrowStatus};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "contracts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub job_id: Uuid,
    pub quote_id: Uuid,
    pub client_id: Uuid,
    pub craftsman_id: Uuid,
    pub price: i64,
    /// Commission fixed at hire, in basis points.
    pub fee_bps: i32,
    pub platform_fee: i64,
    pub currency: String,
    pub payment_type: String,
    pub status: ContractStatus,
    pub escrow_status: EscrowStatus,
    pub funded_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
