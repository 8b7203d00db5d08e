//! `announcements`: an admin broadcast, fanned out to its audience in batches through the
//! outbox.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "announcements")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub audience: String,
    pub title_en: String,
    pub title_ar: String,
    pub body_en: String,
    pub body_ar: String,
    pub channels: String,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub recipients: i32,
    pub finished_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
