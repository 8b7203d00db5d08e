//! `provider_schedules`: a provider's time zone and availability as local
//! wall time (the API's JSON shape).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "provider_schedules")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: Uuid,
    /// IANA zone, e.g. `Africa/Cairo`.
    pub time_zone: String,
    /// `{timeZone, weekly, overrides, timeOff}` as JSON.
    pub body: String,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
