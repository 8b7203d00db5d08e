//! `message_attachments`: files sent in a conversation (images re-encoded,
//! PDFs as sent), stored privately; `message_id` is empty while an upload
//! waits to be sent.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "message_attachments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub conversation_id: Uuid,
    pub message_id: Option<Uuid>,
    pub uploader_id: Uuid,
    pub file_key: String,
    pub content_type: String,
    /// Bytes as stored.
    pub size: i64,
    /// The file name shown to the participants.
    pub name: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
