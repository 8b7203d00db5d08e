//! `tasks`: a buyer's micro-task for many workers, funded up front.

use sea_orm::entity::prelude::*;

use crate::enums::TaskStatus;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "tasks")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub buyer_id: Uuid,
    pub title: String,
    pub detail: String,
    /// What proof a worker must give.
    pub submission_info: String,
    /// Storage key of the task's picture.
    pub image: Option<String>,
    pub category_id: Option<Uuid>,
    pub required_workers: i32,
    /// Paid per approved submission (minor units).
    pub payable_amount: i64,
    /// Commission on each payment, fixed when the task was posted.
    pub fee_bps: i32,
    /// Days after which a submission nobody decided is approved, fixed when
    /// the task was posted (MTurk's per-task auto-approval delay).
    pub auto_approve_days: i32,
    pub currency: String,
    pub completion_date: DateTimeUtc,
    pub status: TaskStatus,
    /// Submissions approved (paid) so far.
    pub approved_count: i32,
    /// Submissions waiting for a decision (each holds a slot).
    pub pending_count: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub closed_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
