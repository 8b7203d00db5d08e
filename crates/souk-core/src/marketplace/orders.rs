//! Orders views (seed 000): a user's jobs grouped as requested, in progress,
//! completed and rejected.

use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use souk_db::{
    entities::{jobs, quotes},
    enums::QuoteStatus,
};
use uuid::Uuid;

use super::JobStatus;
use crate::{
    Core,
    accounts::{Authenticated, Role},
    error::{ErrorCode, Result},
};

/// Most jobs per group.
const PER_GROUP: u64 = 100;

/// The four groups.
#[derive(Debug, Default)]
pub struct Orders {
    pub requested: Vec<jobs::Model>,
    pub in_progress: Vec<jobs::Model>,
    pub completed: Vec<jobs::Model>,
    pub rejected: Vec<jobs::Model>,
}

fn group(jobs: Vec<jobs::Model>, rejected_extra: &[Uuid]) -> Orders {
    let mut orders = Orders::default();
    for job in jobs {
        let status = job.status;
        if rejected_extra.contains(&job.id) {
            orders.rejected.push(job);
        } else if status.is_open() {
            orders.requested.push(job);
        } else if status.is_active() || status == JobStatus::Disputed {
            orders.in_progress.push(job);
        } else if status == JobStatus::Completed {
            orders.completed.push(job);
        } else {
            orders.rejected.push(job);
        }
    }
    orders
}

/// A client's jobs: open, hired and under way, completed, cancelled.
pub async fn client_orders(core: &Core, caller: &Authenticated) -> Result<Orders> {
    if caller.role != Role::Client {
        return Err(ErrorCode::ClientsOnly.into());
    }
    let jobs = jobs::Entity::find()
        .filter(jobs::Column::ClientId.eq(caller.user.id))
        .order_by_desc(jobs::Column::CreatedAt)
        .limit(PER_GROUP * 4)
        .all(core.db.conn())
        .await?;
    Ok(group(jobs, &[]))
}

/// A craftsman's work: jobs quoted on and still open, assigned and under way,
/// completed, and those where the quote was declined or the job cancelled.
pub async fn craftsman_orders(core: &Core, caller: &Authenticated) -> Result<Orders> {
    if caller.role != Role::Craftsman {
        return Err(ErrorCode::CraftsmenOnly.into());
    }
    let my_quotes: Vec<(Uuid, QuoteStatus)> = quotes::Entity::find()
        .select_only()
        .column(quotes::Column::JobId)
        .column(quotes::Column::Status)
        .filter(quotes::Column::CraftsmanId.eq(caller.user.id))
        .order_by_desc(quotes::Column::CreatedAt)
        .limit(PER_GROUP * 4)
        .into_tuple()
        .all(core.db.conn())
        .await?;
    let quoted: Vec<Uuid> = my_quotes.iter().map(|(job, _)| *job).collect();
    let declined: Vec<Uuid> = my_quotes
        .iter()
        .filter(|(_, status)| *status == QuoteStatus::Declined)
        .map(|(job, _)| *job)
        .collect();
    let jobs = jobs::Entity::find()
        .filter(
            Condition::any()
                .add(jobs::Column::CraftsmanId.eq(caller.user.id))
                .add(jobs::Column::Id.is_in(quoted)),
        )
        .order_by_desc(jobs::Column::CreatedAt)
        .limit(PER_GROUP * 4)
        .all(core.db.conn())
        .await?;
    // Someone else's contract is not this craftsman's work in progress.
    let jobs: Vec<jobs::Model> = jobs
        .into_iter()
        .filter(|j| j.craftsman_id.is_none_or(|c| c == caller.user.id) || declined.contains(&j.id))
        .collect();
    let rejected: Vec<Uuid> = jobs
        .iter()
        .filter(|j| declined.contains(&j.id) && j.craftsman_id != Some(caller.user.id))
        .map(|j| j.id)
        .collect();
    Ok(group(jobs, &rejected))
}
