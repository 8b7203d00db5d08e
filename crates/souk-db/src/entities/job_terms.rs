//! `job_terms`: the search index: one row per normalized term of a job,
//! keyed term → category → grid cell → job, carrying what ranking needs.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "job_terms")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub term: String,
    /// Denormalized so that term + category + place is one index range.
    #[sea_orm(primary_key, auto_increment = false)]
    pub category_id: Uuid,
    /// The job's grid cell, or -1 when it has no location.
    #[sea_orm(primary_key, auto_increment = false)]
    pub geo_cell: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub job_id: Uuid,
    /// Whether craftsmen can browse the job (posted or quoted).
    pub listed: bool,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub budget_min: Option<i64>,
    pub budget_max: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
