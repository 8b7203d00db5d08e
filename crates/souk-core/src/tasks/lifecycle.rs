//! A submission's lifecycle, declared to the shared engine
//! (`crate::lifecycle`): pending until the buyer (or the scheduler, after
//! the auto-approval delay) approves — paid — or rejects with a reason —
//! its slot reopens; a rejection may be appealed once within 7 days, and
//! the appeal upheld (paid as an approval) or denied (final). Staff may
//! decide what a buyer leaves undecided.

use souk_db::enums::SubmissionStatus::{self, *};

use crate::lifecycle::{self as engine, Lifecycle};

/// Who acts on a submission.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Actor {
    /// The task's buyer.
    Buyer,
    /// The submission's worker.
    Worker,
    Staff,
    /// The scheduler (automatic approval).
    System,
}

/// What a move needs beyond the right actor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Guard {
    None,
    /// A reason (a rejection) or a note (an appeal).
    Reason,
}

/// What a move does to money.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    None,
    /// The worker is paid the payable amount, less the commission.
    Pay,
    /// The submission's slot reopens (or, on a task that ended, its
    /// amount goes back to the buyer).
    Release,
}

/// The submission lifecycle.
pub struct SubmissionLifecycle;

impl Lifecycle for SubmissionLifecycle {
    type Status = SubmissionStatus;
    type Actor = Actor;
    type Guard = Guard;
    type Effect = Effect;
    const STATUSES: &'static [SubmissionStatus] = &SubmissionStatus::ALL;
    const ACTORS: &'static [Actor] = &[Actor::Buyer, Actor::Worker, Actor::Staff, Actor::System];
    const INITIAL: &'static [SubmissionStatus] = &[Pending];
    const TERMINAL: &'static [SubmissionStatus] = &[Approved, AppealDenied];
    const NO_GUARD: Guard = Guard::None;
    const TRANSITIONS: &'static [engine::Transition<Self>] = &[
        t(
            Pending,
            Approved,
            &[Actor::Buyer, Actor::Staff, Actor::System],
            Guard::None,
            Effect::Pay,
        ),
        t(
            Pending,
            Rejected,
            &[Actor::Buyer, Actor::Staff],
            Guard::Reason,
            Effect::Release,
        ),
        t(
            Rejected,
            Appealed,
            &[Actor::Worker],
            Guard::Reason,
            Effect::None,
        ),
        t(
            Appealed,
            Approved,
            &[Actor::Buyer, Actor::Staff],
            Guard::None,
            Effect::Pay,
        ),
        t(
            Appealed,
            AppealDenied,
            &[Actor::Buyer, Actor::Staff],
            Guard::None,
            Effect::None,
        ),
    ];
}

const fn t(
    from: SubmissionStatus,
    to: SubmissionStatus,
    actors: &'static [Actor],
    guard: Guard,
    effect: Effect,
) -> engine::Transition<SubmissionLifecycle> {
    engine::Transition {
        from,
        to,
        actors,
        guard,
        effect,
    }
}

/// Decides a move.
pub fn decide(
    from: SubmissionStatus,
    to: SubmissionStatus,
    actor: Actor,
    has_reason: bool,
) -> Result<
    &'static engine::Transition<SubmissionLifecycle>,
    engine::Refusal<SubmissionStatus, Guard>,
> {
    engine::decide::<SubmissionLifecycle>(from, to, actor, |guard| match guard {
        Guard::None => true,
        Guard::Reason => has_reason,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lifecycle::{Expected, check_table, walk};

    #[test]
    fn the_submission_table_is_sound() {
        assert_eq!(check_table::<SubmissionLifecycle>(), Vec::<String>::new());
    }

    #[test]
    fn decide_answers_what_the_table_says_for_every_triple() {
        for step in walk::<SubmissionLifecycle>() {
            let answer = decide(step.from, step.to, step.actor, true);
            match step.expected {
                Expected::Allowed(guard) => {
                    assert!(answer.is_ok(), "{step:?}");
                    let bare = decide(step.from, step.to, step.actor, false);
                    assert_eq!(bare.is_ok(), guard == Guard::None, "{step:?}");
                }
                _ => assert!(answer.is_err(), "{step:?}"),
            }
        }
    }
}
