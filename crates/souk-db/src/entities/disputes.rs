//! `disputes`: a party's dispute of a contract before completion, with the
//! open settlement proposal and, once ended, the decision.

use sea_orm::entity::prelude::*;

use crate::enums::DisputeStatus;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "disputes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub contract_id: Uuid,
    pub job_id: Uuid,
    pub opened_by: Uuid,
    /// The other party.
    pub respondent_id: Uuid,
    /// `not_delivered`, `poor_quality`, `no_show`, `payment`, `other`.
    pub reason: String,
    pub description: String,
    pub status: DisputeStatus,
    /// The job's status when the dispute was opened (where a withdrawal
    /// returns it).
    pub job_status_before: String,
    /// When the party being waited on must have answered.
    pub response_due_at: DateTimeUtc,
    pub responded_at: Option<DateTimeUtc>,
    pub assignee_id: Option<Uuid>,
    /// The open settlement proposal: its id, who made it, the craftsman's
    /// share, until when it can be accepted.
    pub proposal_id: Option<Uuid>,
    pub proposal_by: Option<Uuid>,
    pub proposal_amount: Option<i64>,
    pub proposal_expires_at: Option<DateTimeUtc>,
    /// `release`, `refund` or `split`, once resolved.
    pub decision: Option<String>,
    pub craftsman_amount: Option<i64>,
    pub client_amount: Option<i64>,
    pub resolution_note: Option<String>,
    /// Staff who decided (none for a settlement between the parties).
    pub resolved_by: Option<Uuid>,
    pub resolved_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
