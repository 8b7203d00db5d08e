//! The withdrawal lifecycle, declared to the shared engine
//! (`crate::lifecycle`): an admin claims a pending withdrawal (so two admins
//! never pay it twice) or rejects it; the payout completes a claimed one, or
//! puts it back to pending when the gateway refuses.

use souk_db::enums::WithdrawalStatus::{self, *};

use crate::lifecycle::{self as engine, Lifecycle};

/// Who moves a withdrawal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WithdrawalActor {
    Admin,
    /// The payout's outcome.
    System,
}

use WithdrawalActor::{Admin as A, System as Y};

/// The withdrawal lifecycle.
pub struct WithdrawalLifecycle;

impl Lifecycle for WithdrawalLifecycle {
    type Status = WithdrawalStatus;
    type Actor = WithdrawalActor;
    type Guard = ();
    type Effect = ();
    const STATUSES: &'static [WithdrawalStatus] = &WithdrawalStatus::ALL;
    const ACTORS: &'static [WithdrawalActor] = &[A, Y];
    const INITIAL: &'static [WithdrawalStatus] = &[Pending];
    const TERMINAL: &'static [WithdrawalStatus] = &[Completed, Rejected];
    const NO_GUARD: () = ();
    const TRANSITIONS: &'static [engine::Transition<Self>] = &[
        engine::Transition::plain(Pending, Processing, &[A]),
        engine::Transition::plain(Pending, Rejected, &[A]),
        engine::Transition::plain(Processing, Completed, &[Y]),
        engine::Transition::plain(Processing, Pending, &[Y]),
    ];
}

/// Whether `actor` may move a withdrawal from `from` to `to`.
pub fn may(from: WithdrawalStatus, to: WithdrawalStatus, actor: WithdrawalActor) -> bool {
    engine::allows::<WithdrawalLifecycle>(from, to, actor)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lifecycle::{Expected, check_table, walk};

    #[test]
    fn the_withdrawal_table_is_sound_and_may_follows_it() {
        assert_eq!(check_table::<WithdrawalLifecycle>(), Vec::<String>::new());
        let steps = walk::<WithdrawalLifecycle>();
        assert_eq!(steps.len(), 4 * 4 * 2);
        for step in steps {
            let allowed = matches!(step.expected, Expected::Allowed(()));
            assert_eq!(may(step.from, step.to, step.actor), allowed, "{step:?}");
        }
    }
}
