//! Who is who on a job: the owner, the assigned craftsman, staff, or nobody.

use souk_db::entities::jobs;

use super::Actor;
use crate::{
    accounts::{Authenticated, Role},
    error::{ErrorCode, Result},
};

/// The caller's part in a job, if any.
pub fn actor_for(job: &jobs::Model, caller: &Authenticated) -> Option<Actor> {
    if caller.role.is_staff() {
        Some(Actor::Staff)
    } else if caller.user.id == job.client_id {
        Some(Actor::Client)
    } else if job.craftsman_id == Some(caller.user.id) {
        Some(Actor::Craftsman)
    } else {
        None
    }
}

/// Parties and staff see a job; craftsmen also see open jobs; others get 403.
pub fn ensure_can_view(job: &jobs::Model, caller: &Authenticated) -> Result<()> {
    let open = job.status.is_open();
    if actor_for(job, caller).is_some() || (caller.role == Role::Craftsman && open) {
        Ok(())
    } else {
        Err(ErrorCode::Forbidden.into())
    }
}

/// Only the owner (or staff, when `staff_too`).
pub fn ensure_owner(job: &jobs::Model, caller: &Authenticated, staff_too: bool) -> Result<()> {
    match actor_for(job, caller) {
        Some(Actor::Client) => Ok(()),
        Some(Actor::Staff) if staff_too => Ok(()),
        _ => Err(ErrorCode::Forbidden.into()),
    }
}
