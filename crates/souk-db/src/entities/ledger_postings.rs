//! `ledger_postings`: one line of an entry: an amount (signed) on one
//! account, with the account's balance after it.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "ledger_postings")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub entry_id: Uuid,
    pub account_id: Uuid,
    pub amount: i64,
    pub balance_after: i64,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::ledger_entries::Entity",
        from = "Column::EntryId",
        to = "super::ledger_entries::Column::Id"
    )]
    Entry,
    #[sea_orm(
        belongs_to = "super::ledger_accounts::Entity",
        from = "Column::AccountId",
        to = "super::ledger_accounts::Column::Id"
    )]
    Account,
}

impl Related<super::ledger_entries::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Entry.def()
    }
}

impl Related<super::ledger_accounts::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Account.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
