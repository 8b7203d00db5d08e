//! `conversations`: one per contract (opened at hire) or per pair of members
//! talking directly; `last_seq` numbers its messages.

use sea_orm::entity::prelude::*;

use crate::enums::ConversationKind;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "conversations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub kind: ConversationKind,
    /// The contract's job (contract conversations; unique).
    pub job_id: Option<Uuid>,
    /// `<smaller user id>:<larger user id>` (direct conversations; unique).
    pub direct_key: Option<String>,
    /// The `seq` of the newest message (0 before the first); incremented in
    /// the transaction of each message, under the row's lock.
    pub last_seq: i64,
    /// Contract conversations: when the client first wrote.
    pub client_first_message_at: Option<DateTimeUtc>,
    /// Contract conversations: the craftsman's first message after that.
    pub craftsman_first_reply_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    /// Last activity: creation, then each new message.
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
