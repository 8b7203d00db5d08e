//! `dispute_files`: evidence files, stored privately under `disputes/`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "dispute_files")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub dispute_id: Uuid,
    /// The timeline step that brought it.
    pub event_id: Uuid,
    pub uploader_id: Uuid,
    pub file_key: String,
    pub content_type: String,
    pub size: i64,
    pub name: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
