//! `withdrawals`: a user's request to be paid out; the amount waits in
//! payouts-in-flight until staff approve (paid) or reject (returned).

use sea_orm::entity::prelude::*;

pub use crate::enums::WithdrawalStatus;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "withdrawals")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub user_id: Uuid,
    /// Taken from the wallet.
    pub amount: i64,
    /// Kept by the platform; the payee receives `amount - fee`.
    pub fee: i64,
    pub currency: String,
    /// bank_transfer | mobile_wallet | stripe
    pub method: String,
    pub destination: String,
    pub status: WithdrawalStatus,
    pub reason: Option<String>,
    pub reviewed_by: Option<Uuid>,
    pub reviewed_at: Option<DateTimeUtc>,
    pub payout_reference: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
