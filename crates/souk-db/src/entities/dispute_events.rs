//! `dispute_events`: a dispute's timeline, one row per step.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "dispute_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub dispute_id: Uuid,
    /// Who acted (none: Souk itself, e.g. a deadline passing).
    pub actor_id: Option<Uuid>,
    pub kind: String,
    pub body: Option<String>,
    /// JSON with the step's particulars.
    pub data: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
