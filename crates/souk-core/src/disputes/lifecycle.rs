//! A dispute's own lifecycle as a table in the shared engine: filed
//! (`open`, the other party's response deadline running), waiting on a
//! party staff asked (`awaiting_response`), `under_review` by staff, then
//! `resolved` (a staff decision or the parties' settlement) or `withdrawn`
//! by the party who opened it. Every status write asks [`ensure`] first.

use souk_db::enums::DisputeStatus::{
    self, AwaitingResponse, Open, Resolved, UnderReview, Withdrawn,
};

use crate::{
    error::Result,
    lifecycle::{self as engine, Lifecycle},
};

/// Who moves a dispute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DisputeActor {
    /// Either party (which one is the use-case's check: only the opener
    /// withdraws, only the other side accepts a proposal).
    Party,
    Staff,
    /// Souk: a response deadline passing.
    System,
}

/// The dispute lifecycle.
pub struct DisputeLifecycle;

impl Lifecycle for DisputeLifecycle {
    type Status = DisputeStatus;
    type Actor = DisputeActor;
    type Guard = ();
    type Effect = ();
    const STATUSES: &'static [DisputeStatus] = &DisputeStatus::ALL;
    const ACTORS: &'static [DisputeActor] = &[
        DisputeActor::Party,
        DisputeActor::Staff,
        DisputeActor::System,
    ];
    const INITIAL: &'static [DisputeStatus] = &[Open];
    const TERMINAL: &'static [DisputeStatus] = &[Resolved, Withdrawn];
    const NO_GUARD: () = ();
    const TRANSITIONS: &'static [engine::Transition<Self>] = {
        use DisputeActor::{Party as P, Staff as S, System as Y};
        &[
            engine::Transition::plain(Open, AwaitingResponse, &[S]),
            engine::Transition::plain(Open, UnderReview, &[P, S, Y]),
            engine::Transition::plain(AwaitingResponse, UnderReview, &[P, S, Y]),
            engine::Transition::plain(UnderReview, AwaitingResponse, &[S]),
            engine::Transition::plain(Open, Resolved, &[P, S]),
            engine::Transition::plain(AwaitingResponse, Resolved, &[P, S]),
            engine::Transition::plain(UnderReview, Resolved, &[P, S]),
            engine::Transition::plain(Open, Withdrawn, &[P]),
            engine::Transition::plain(AwaitingResponse, Withdrawn, &[P]),
            engine::Transition::plain(UnderReview, Withdrawn, &[P]),
        ]
    };
}

/// Checks a status move against the table (a move it does not declare is a
/// bug: internal error, nothing written).
pub fn ensure(from: DisputeStatus, to: DisputeStatus, actor: DisputeActor) -> Result<()> {
    if engine::allows::<DisputeLifecycle>(from, to, actor) {
        Ok(())
    } else {
        Err(anyhow::anyhow!(
            "dispute {from:?} → {to:?} by {actor:?} is not in the dispute lifecycle"
        )
        .into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lifecycle::{Expected, check_table, walk};

    #[test]
    fn the_dispute_table_is_sound_and_only_staff_ask_for_information() {
        assert_eq!(check_table::<DisputeLifecycle>(), Vec::<String>::new());
        let steps = walk::<DisputeLifecycle>();
        assert_eq!(steps.len(), 5 * 5 * 3);
        for step in steps {
            let allowed = matches!(step.expected, Expected::Allowed(()));
            assert_eq!(
                ensure(step.from, step.to, step.actor).is_ok(),
                allowed,
                "{step:?}"
            );
            if allowed && step.to == AwaitingResponse {
                assert_eq!(step.actor, DisputeActor::Staff);
            }
            if allowed && step.actor == DisputeActor::System {
                assert_eq!(step.to, UnderReview, "Souk never decides a dispute");
            }
        }
    }
}
