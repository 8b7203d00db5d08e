//! `verification_documents`: a sealed identity document and the id of the
//! data key that sealed it.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "verification_documents")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub verification_id: Uuid,
    pub user_id: Uuid,
    /// `national_id`, `certificate`, `license` or `other`.
    pub doc_type: String,
    pub content_type: String,
    /// Bytes before sealing.
    pub size: i64,
    pub file_key: String,
    pub key_id: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
