//! `ledger_entries`: immutable journal entries; each owns two or more
//! postings that sum to zero. Corrections are new entries.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "ledger_entries")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// deposit | escrow_fund | escrow_release | fee | refund | tip | withdrawal | payout | bonus | adjustment
    pub kind: String,
    /// Unique: the same movement is never written twice.
    #[sea_orm(unique)]
    pub idempotency_key: String,
    pub contract_id: Option<Uuid>,
    pub payment_id: Option<Uuid>,
    pub withdrawal_id: Option<Uuid>,
    /// Who caused it (none for gateways and the scheduler).
    pub actor_id: Option<Uuid>,
    pub memo: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
