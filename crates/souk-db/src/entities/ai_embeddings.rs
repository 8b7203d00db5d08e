//! `ai_embeddings`: an offering's or job's embedding vector from the
//! configured embeddings model, with the hash of the text it embeds.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "ai_embeddings")]
pub struct Model {
    /// `offering` or `job`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub resource_type: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub resource_id: Uuid,
    pub model: String,
    pub text_hash: String,
    /// JSON array of floats.
    pub vector: String,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
