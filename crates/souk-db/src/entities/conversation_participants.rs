//! `conversation_participants`: who is in a conversation, how far each has
//! read, and whether they block the other side.

use sea_orm::entity::prelude::*;

use crate::enums::MembershipStatus;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "conversation_participants")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub conversation_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub user_id: Uuid,
    pub status: MembershipStatus,
    /// The `seq` of the last message this participant has read; only moves
    /// forward.
    pub last_read_seq: i64,
    pub blocked_at: Option<DateTimeUtc>,
    pub joined_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
