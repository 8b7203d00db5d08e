//! A review's lifecycle as a table in the shared engine: written blind
//! (`pending`), revealed by the system (both sides in, or the window
//! closed), hidden and restored by staff. Every status write asks
//! [`ensure`] first.

use souk_db::enums::ReviewStatus::{self, Hidden, Pending, Revealed};

use crate::{
    error::Result,
    lifecycle::{self as engine, Lifecycle},
};

/// Who moves a review.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewActor {
    /// Souk: the reveal.
    System,
    /// An admin or moderator.
    Staff,
}

/// The review lifecycle.
pub struct ReviewLifecycle;

impl Lifecycle for ReviewLifecycle {
    type Status = ReviewStatus;
    type Actor = ReviewActor;
    type Guard = ();
    type Effect = ();
    const STATUSES: &'static [ReviewStatus] = &ReviewStatus::ALL;
    const ACTORS: &'static [ReviewActor] = &[ReviewActor::System, ReviewActor::Staff];
    const INITIAL: &'static [ReviewStatus] = &[Pending];
    const TERMINAL: &'static [ReviewStatus] = &[];
    const NO_GUARD: () = ();
    const TRANSITIONS: &'static [engine::Transition<Self>] = &[
        engine::Transition::plain(Pending, Revealed, &[ReviewActor::System]),
        engine::Transition::plain(Revealed, Hidden, &[ReviewActor::Staff]),
        engine::Transition::plain(Hidden, Revealed, &[ReviewActor::Staff]),
    ];
}

/// Checks a status move against the table: a move it does not declare is
/// a bug (internal error, nothing written).
pub fn ensure(from: ReviewStatus, to: ReviewStatus, actor: ReviewActor) -> Result<()> {
    if engine::allows::<ReviewLifecycle>(from, to, actor) {
        Ok(())
    } else {
        Err(
            anyhow::anyhow!("review {from:?} → {to:?} by {actor:?} is not in the review lifecycle")
                .into(),
        )
    }
}

/// Whether a review in `status` counts in its reviewee's rating.
pub fn counts(status: ReviewStatus) -> bool {
    status == Revealed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lifecycle::{Expected, check_table, walk};

    #[test]
    fn the_review_table_is_sound_and_only_staff_hide() {
        assert_eq!(check_table::<ReviewLifecycle>(), Vec::<String>::new());
        let steps = walk::<ReviewLifecycle>();
        assert_eq!(steps.len(), 3 * 3 * 2);
        for step in steps {
            let allowed = matches!(step.expected, Expected::Allowed(()));
            assert_eq!(
                ensure(step.from, step.to, step.actor).is_ok(),
                allowed,
                "{step:?}"
            );
            if step.to == Hidden && allowed {
                assert_eq!(step.actor, ReviewActor::Staff);
            }
        }
        // Nothing goes back to blind.
        assert!(ReviewLifecycle::TRANSITIONS.iter().all(|t| t.to != Pending));
    }
}
