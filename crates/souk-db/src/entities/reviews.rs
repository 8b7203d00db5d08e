//! `reviews`: one side's review of the other after a completed contract.

use sea_orm::entity::prelude::*;

use crate::enums::ReviewStatus;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "reviews")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub contract_id: Uuid,
    pub job_id: Uuid,
    pub reviewer_id: Uuid,
    pub reviewee_id: Uuid,
    /// `client` or `craftsman`: the side the reviewer was on.
    pub reviewer_role: String,
    /// 1–5.
    pub rating: i32,
    pub comment: Option<String>,
    /// −1 … 1, from the built-in lexicon.
    pub sentiment_score: f64,
    pub sentiment_label: String,
    pub status: ReviewStatus,
    /// The reviewee's one reply.
    pub reply: Option<String>,
    pub replied_at: Option<DateTimeUtc>,
    pub revealed_at: Option<DateTimeUtc>,
    /// Why staff hid it.
    pub hidden_reason: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
