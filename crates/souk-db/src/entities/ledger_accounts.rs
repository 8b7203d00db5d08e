//! `ledger_accounts`: every account of the double-entry ledger, with its
//! cached balance (always the sum of its postings).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "ledger_accounts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Stable name: `wallet:<user>`, `escrow:<contract>`, `platform_revenue`, …
    #[sea_orm(unique)]
    pub key: String,
    /// wallet | fee_debt | escrow | platform_revenue | promotions | clearing | payouts_in_flight
    pub kind: String,
    /// The user (wallet, fee debt) or contract (escrow) it belongs to.
    pub owner_id: Option<Uuid>,
    pub currency: String,
    pub balance: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
