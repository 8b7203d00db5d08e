//! A craftsman's verification status as a table in the shared engine:
//! submitting makes it `pending` (first time, or again after a rejection);
//! staff decide `verified` or `rejected`. Every write asks [`ensure`].

use souk_db::enums::VerificationStatus::{self, Pending, Rejected, Unverified, Verified};

use crate::{
    error::Result,
    lifecycle::{self as engine, Lifecycle},
};

/// Who moves a verification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VerificationActor {
    /// The craftsman, submitting documents.
    Craftsman,
    Staff,
}

/// The verification lifecycle.
pub struct VerificationLifecycle;

impl Lifecycle for VerificationLifecycle {
    type Status = VerificationStatus;
    type Actor = VerificationActor;
    type Guard = ();
    type Effect = ();
    const STATUSES: &'static [VerificationStatus] = &[Unverified, Pending, Verified, Rejected];
    const ACTORS: &'static [VerificationActor] =
        &[VerificationActor::Craftsman, VerificationActor::Staff];
    const INITIAL: &'static [VerificationStatus] = &[Unverified];
    const TERMINAL: &'static [VerificationStatus] = &[Verified];
    const NO_GUARD: () = ();
    const TRANSITIONS: &'static [engine::Transition<Self>] = {
        use VerificationActor::{Craftsman as C, Staff as S};
        &[
            engine::Transition::plain(Unverified, Pending, &[C]),
            engine::Transition::plain(Rejected, Pending, &[C]),
            engine::Transition::plain(Pending, Verified, &[S]),
            engine::Transition::plain(Pending, Rejected, &[S]),
        ]
    };
}

/// Whether the table lets `actor` move a verification from `from` to `to`.
pub fn allows(from: VerificationStatus, to: VerificationStatus, actor: VerificationActor) -> bool {
    engine::allows::<VerificationLifecycle>(from, to, actor)
}

/// [`allows`], as an internal error when not (a bug: nothing is written).
pub fn ensure(
    from: VerificationStatus,
    to: VerificationStatus,
    actor: VerificationActor,
) -> Result<()> {
    if allows(from, to, actor) {
        Ok(())
    } else {
        Err(
            anyhow::anyhow!("verification {from:?} → {to:?} by {actor:?} is not in the table")
                .into(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lifecycle::{Expected, check_table, walk};

    #[test]
    fn the_verification_table_is_sound_and_only_staff_decide() {
        assert_eq!(check_table::<VerificationLifecycle>(), Vec::<String>::new());
        for step in walk::<VerificationLifecycle>() {
            let allowed = matches!(step.expected, Expected::Allowed(()));
            assert_eq!(allows(step.from, step.to, step.actor), allowed, "{step:?}");
            if allowed && matches!(step.to, Verified | Rejected) {
                assert_eq!(step.actor, VerificationActor::Staff);
            }
        }
    }
}
