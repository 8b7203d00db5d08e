//! `chat_presence`: a socket that has a conversation open on screen, until
//! `expires_at` (its node refreshes it while the socket lives).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "chat_presence")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub socket_id: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub conversation_id: Uuid,
    pub user_id: Uuid,
    pub node_id: Uuid,
    pub expires_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
