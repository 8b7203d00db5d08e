//! `events`: the domain event feed; `sequence` is assigned after commit by the
//! sequencer.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub sequence: Option<i64>,
    pub kind: String,
    pub actor_id: Option<Uuid>,
    pub resource_type: String,
    pub resource_id: String,
    pub data: String,
    pub previous: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
