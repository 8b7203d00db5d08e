//! Reviews after a completed contract, double-blind as Airbnb's: each side
//! reviews the other once; a review stays hidden from the reviewee and the
//! public until both sides have written or the window (14 days after
//! completion, a setting) closes, when the scheduler reveals it through an
//! outbox due row. Revealed ratings are summed on the reviewee's row. The
//! reviewee may reply once; members report, staff hide and restore.
//!
//! Disputes come before completion (a job in dispute is not completed), so
//! a dispute never runs while a review window is open: the window opens at
//! the completion that resolves it, which is the "pause" the rule asks for.

pub mod lifecycle;
pub mod moderation;
pub mod rating;
pub mod read;
pub mod reveal;
pub mod sentiment;
pub mod write;

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, EntityTrait};
use souk_db::entities::{contracts, jobs, reviews};
use uuid::Uuid;

use crate::{
    Core,
    error::{ErrorCode, Result},
    money::settings,
    time,
};

/// Longest comment, in characters.
pub const MAX_COMMENT: usize = 2_000;
/// Longest reply or report reason, in characters.
pub const MAX_REPLY: usize = 1_000;

/// A review with when its contract's window closes.
#[derive(Debug, Clone)]
pub struct ReviewView {
    pub review: reviews::Model,
    pub deadline: DateTime<Utc>,
}

/// When a contract completed at `completed_at` stops taking reviews.
pub async fn deadline_of(
    core: &Core,
    conn: &impl ConnectionTrait,
    completed_at: DateTime<Utc>,
) -> Result<DateTime<Utc>> {
    let days = settings::load(conn, &core.settings)
        .await?
        .review_window_days;
    Ok(time::later(completed_at, chrono::Duration::days(days)))
}

/// A contract's job, and when its review window closes (`None`: the job
/// never completed).
pub async fn window(
    core: &Core,
    conn: &impl ConnectionTrait,
    contract: &contracts::Model,
) -> Result<(jobs::Model, Option<DateTime<Utc>>)> {
    let job = jobs::Entity::find_by_id(contract.job_id)
        .one(conn)
        .await?
        .ok_or(ErrorCode::JobNotFound)?;
    let deadline = match job.completed_at {
        Some(at) => Some(deadline_of(core, conn, at).await?),
        None => None,
    };
    Ok((job, deadline))
}

/// The side a user was on in a contract, and the other side.
pub fn sides(contract: &contracts::Model, user: Uuid) -> Option<(&'static str, Uuid)> {
    if contract.client_id == user {
        Some(("client", contract.craftsman_id))
    } else if contract.craftsman_id == user {
        Some(("craftsman", contract.client_id))
    } else {
        None
    }
}
