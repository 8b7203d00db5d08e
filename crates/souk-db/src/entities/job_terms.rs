//! `job_terms`: the search index: one row per normalized term of a job,
//! keyed term → category → grid cell → job.

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
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
