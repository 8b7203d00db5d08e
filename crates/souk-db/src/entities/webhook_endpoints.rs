//! `webhook_endpoints`: where signed event POSTs go, which events, and how far the fan-out
//! has read the feed.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "webhook_endpoints")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub url: String,
    pub description: Option<String>,
    pub events: String,
    pub active: bool,
    pub secret: String,
    pub cursor: i64,
    pub failing_since: Option<DateTimeUtc>,
    pub disabled_reason: Option<String>,
    pub lease_until: Option<DateTimeUtc>,
    pub created_by: Uuid,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
