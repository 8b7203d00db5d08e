//! The conversation-membership lifecycle, declared to the shared engine
//! (`crate::lifecycle`): a participant takes part, may block the other side
//! (who can then no longer send there), and may lift the block.

use souk_db::enums::MembershipStatus;

use crate::lifecycle::{self as engine, Lifecycle};

/// Who acts on a membership.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MemberActor {
    /// The participant whose membership it is.
    Member,
    /// The conversation's other participant(s).
    Peer,
}

use MemberActor::Member as M;
use MembershipStatus::{Active, Blocking};

/// The membership lifecycle.
pub struct MembershipLifecycle;

impl Lifecycle for MembershipLifecycle {
    type Status = MembershipStatus;
    type Actor = MemberActor;
    type Guard = ();
    type Effect = ();
    const STATUSES: &'static [MembershipStatus] = &MembershipStatus::ALL;
    const ACTORS: &'static [MemberActor] = &[M, MemberActor::Peer];
    const INITIAL: &'static [MembershipStatus] = &[Active];
    const TERMINAL: &'static [MembershipStatus] = &[];
    const NO_GUARD: () = ();
    const TRANSITIONS: &'static [engine::Transition<Self>] = &[
        engine::Transition::plain(Active, Blocking, &[M]),
        engine::Transition::plain(Blocking, Active, &[M]),
    ];
}

/// Whether `actor` may move a membership from `from` to `to`.
pub fn membership_may(from: MembershipStatus, to: MembershipStatus, actor: MemberActor) -> bool {
    engine::allows::<MembershipLifecycle>(from, to, actor)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lifecycle::{Expected, check_table, walk};

    #[test]
    fn the_membership_table_is_sound() {
        assert_eq!(check_table::<MembershipLifecycle>(), Vec::<String>::new());
    }

    #[test]
    fn membership_may_answers_what_the_table_says_for_every_triple() {
        let steps = walk::<MembershipLifecycle>();
        assert_eq!(steps.len(), 2 * 2 * 2);
        for step in steps {
            let allowed = matches!(step.expected, Expected::Allowed(()));
            assert_eq!(
                membership_may(step.from, step.to, step.actor),
                allowed,
                "{step:?}"
            );
        }
        assert!(!membership_may(Active, Blocking, MemberActor::Peer));
    }
}
