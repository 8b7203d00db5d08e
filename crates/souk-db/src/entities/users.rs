//! `users`: every account (client, craftsman, admin, moderator).

use sea_orm::entity::prelude::*;

use crate::enums::VerificationStatus;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub email: String,
    /// The confusable skeleton of `email` (`crate::confusable`).
    pub email_skeleton: Option<String>,
    #[sea_orm(unique)]
    pub phone: Option<String>,
    pub password_hash: String,
    pub role: String,
    pub first_name: String,
    pub last_name: String,
    pub language: String,
    pub profile_picture: Option<String>,
    pub bio: Option<String>,
    pub city: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// JSON array of skill names.
    pub skills: String,
    pub email_verified_at: Option<DateTimeUtc>,
    pub banned_at: Option<DateTimeUtc>,
    pub ban_reason: Option<String>,
    pub deactivated_at: Option<DateTimeUtc>,
    pub deleted_at: Option<DateTimeUtc>,
    /// Craftsmen: how far from their location they work.
    pub service_radius_km: Option<f64>,
    /// Craftsmen: taking new work.
    pub available: bool,
    pub verification_status: VerificationStatus,
    /// Sum of received ratings (1–5 each).
    pub rating_sum: i64,
    pub rating_count: i32,
    pub completed_jobs: i32,
    /// Craftsmen: median minutes from a client's first message to their
    /// first reply in contract conversations of the last 90 days (kept up
    /// to date as first replies are written); none without data.
    pub response_time_minutes: Option<i32>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::sessions::Entity")]
    Sessions,
}

impl Related<super::sessions::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Sessions.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
