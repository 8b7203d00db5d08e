//! `quotes`: craftsmen's offers on jobs.

use sea_orm::entity::prelude::*;

pub use crate::enums::QuoteStatus;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "quotes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub job_id: Uuid,
    pub craftsman_id: Uuid,
    pub price: i64,
    pub notes: Option<String>,
    pub estimated_duration: Option<String>,
    pub status: QuoteStatus,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
