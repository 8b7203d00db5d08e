//! `services`: the bilingual service catalog (job categories and skills).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "services")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub slug: String,
    pub name_en: String,
    pub name_ar: String,
    pub description_en: String,
    pub description_ar: String,
    pub icon: String,
    /// Archived categories stay for the jobs that use them but take no new ones.
    pub active: bool,
    /// Commission override in basis points (500 = 5%).
    pub commission_bps: Option<i32>,
    pub sort_order: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
