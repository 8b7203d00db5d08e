//! `jobs`: jobs posted by clients.

use sea_orm::entity::prelude::*;

use crate::enums::JobStatus;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "jobs")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub client_id: Uuid,
    pub craftsman_id: Option<Uuid>,
    pub category_id: Uuid,
    pub title: String,
    pub description: String,
    /// JSON array of storage keys.
    pub photos: String,
    pub address: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// The ~11 km grid cell of the location (see `search::geo_cell`).
    pub geo_cell: Option<i64>,
    pub budget_min: Option<i64>,
    pub budget_max: Option<i64>,
    pub currency: String,
    /// escrow | cash | cash_protected
    pub payment_type: String,
    pub desired_date: Option<DateTimeUtc>,
    pub status: JobStatus,
    /// Whether craftsmen can browse it: posted or quoted (kept by the lifecycle).
    pub listed: bool,
    /// Why the last transition happened (cancellation reason, …).
    pub status_reason: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub hired_at: Option<DateTimeUtc>,
    pub completed_at: Option<DateTimeUtc>,
    /// When the craftsman submitted the work now awaiting approval (automatic
    /// approval counts from it); the scheduler clears it once the job has
    /// moved on, so its index holds only recent submissions.
    pub submitted_at: Option<DateTimeUtc>,
    /// The booking this job carries out (a booked job is never listed; its
    /// moves carry the booking's status with them).
    pub booking_id: Option<Uuid>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
