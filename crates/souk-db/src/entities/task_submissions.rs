//! `task_submissions`: a worker's proof for a micro-task (one per worker
//! and task), and the buyer's decision on it.

use sea_orm::entity::prelude::*;

use crate::enums::SubmissionStatus;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "task_submissions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub task_id: Uuid,
    pub worker_id: Uuid,
    /// The task's buyer (kept for the buyer's statistics).
    pub buyer_id: Uuid,
    pub details: String,
    /// JSON array of attachment URLs or ids.
    pub attachments: String,
    pub status: SubmissionStatus,
    /// Why it was rejected.
    pub reason: Option<String>,
    pub appeal_note: Option<String>,
    pub appealed_at: Option<DateTimeUtc>,
    /// When the buyer (or staff, or the scheduler) last decided.
    pub decided_at: Option<DateTimeUtc>,
    pub decided_by: Option<Uuid>,
    /// What the worker received for it (minor units, after commission).
    pub paid: i64,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
