//! The job lifecycle as data: one table of transitions, each naming who may
//! fire it, its guard and its contract effect, declared to the shared
//! lifecycle engine (`crate::lifecycle`). Use-cases ask [`decide`]; tests
//! walk the table.

use serde::Serialize;

use super::JobStatus::{self, *};
use crate::lifecycle::{self as engine, Lifecycle};

/// Who is acting on a job.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Actor {
    /// The job's owner.
    Client,
    /// The craftsman assigned by the contract.
    Craftsman,
    /// An admin or moderator.
    Staff,
    /// Souk itself (first quote, hire, automatic approval).
    System,
}

/// What a transition needs beyond the right actor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Guard {
    None,
    /// A reason must be given (cancelling after hire, disputing).
    Reason,
    /// The contract's escrow must be funded (cash contracts have none).
    Funded,
}

/// What the guards look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Facts {
    pub has_reason: bool,
    /// The escrow holds the money, or the contract needs none (cash).
    pub escrow_ready: bool,
}

/// What happens to the contract when a transition fires: the seam where the
/// money side (escrow release, refunds) plugs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContractEffect {
    None,
    /// Release the escrow to the craftsman (or post a cash job's commission).
    Complete,
    /// Apply the cancellation policy to whatever the escrow holds.
    Cancel,
    /// Freeze the escrow while a dispute is open.
    Freeze,
    /// Hold it again when the dispute is withdrawn.
    Unfreeze,
}

/// The job lifecycle, as the engine sees it.
pub struct JobLifecycle;

impl Lifecycle for JobLifecycle {
    type Status = JobStatus;
    type Actor = Actor;
    type Guard = Guard;
    type Effect = ContractEffect;
    const STATUSES: &'static [JobStatus] = &JobStatus::ALL;
    const ACTORS: &'static [Actor] =
        &[Actor::Client, Actor::Craftsman, Actor::Staff, Actor::System];
    const INITIAL: &'static [JobStatus] = &[Posted];
    const TERMINAL: &'static [JobStatus] = &[Completed, Cancelled];
    const NO_GUARD: Guard = Guard::None;
    const TRANSITIONS: &'static [Transition] = TRANSITIONS;
}

/// One allowed move.
pub type Transition = engine::Transition<JobLifecycle>;

const fn t(
    from: JobStatus,
    to: JobStatus,
    actors: &'static [Actor],
    guard: Guard,
    effect: ContractEffect,
) -> Transition {
    Transition {
        from,
        to,
        actors,
        guard,
        effect,
    }
}

use Actor::{Client as C, Craftsman as K, Staff as S, System as Y};
use ContractEffect as E;

/// The whole lifecycle.
pub const TRANSITIONS: &[Transition] = &[
    t(Posted, Quoted, &[Y], Guard::None, E::None),
    t(Quoted, Posted, &[Y], Guard::None, E::None),
    t(Posted, Hired, &[Y], Guard::None, E::None),
    t(Quoted, Hired, &[Y], Guard::None, E::None),
    t(Posted, Cancelled, &[C, S], Guard::None, E::None),
    t(Quoted, Cancelled, &[C, S], Guard::None, E::None),
    t(Hired, OnTheWay, &[K], Guard::Funded, E::None),
    t(Hired, InProgress, &[K], Guard::Funded, E::None),
    t(OnTheWay, InProgress, &[K], Guard::None, E::None),
    t(InProgress, WorkSubmitted, &[K], Guard::None, E::None),
    t(WorkSubmitted, InProgress, &[C], Guard::Reason, E::None),
    t(
        WorkSubmitted,
        Completed,
        &[C, S, Y],
        Guard::None,
        E::Complete,
    ),
    t(Hired, Cancelled, &[C, K, S], Guard::Reason, E::Cancel),
    t(OnTheWay, Cancelled, &[C, K, S], Guard::Reason, E::Cancel),
    t(InProgress, Cancelled, &[C, K, S], Guard::Reason, E::Cancel),
    t(WorkSubmitted, Cancelled, &[S], Guard::Reason, E::Cancel),
    t(Hired, Disputed, &[C, K], Guard::Reason, E::Freeze),
    t(OnTheWay, Disputed, &[C, K], Guard::Reason, E::Freeze),
    t(InProgress, Disputed, &[C, K], Guard::Reason, E::Freeze),
    t(WorkSubmitted, Disputed, &[C, K], Guard::Reason, E::Freeze),
    // Staff decide a dispute; the system carries out a settlement the
    // parties agreed on, and returns a withdrawn dispute's job to where it was.
    t(Disputed, Completed, &[S, Y], Guard::Reason, E::Complete),
    t(Disputed, Cancelled, &[S, Y], Guard::Reason, E::Cancel),
    t(Disputed, Hired, &[Y], Guard::None, E::Unfreeze),
    t(Disputed, OnTheWay, &[Y], Guard::None, E::Unfreeze),
    t(Disputed, InProgress, &[Y], Guard::None, E::Unfreeze),
    t(Disputed, WorkSubmitted, &[Y], Guard::None, E::Unfreeze),
];

/// Why a move is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// No such move from this state (409); lists where this actor may go.
    NotFromHere { allowed: Vec<JobStatus> },
    /// The move exists but not for this actor (403).
    NotYours,
    /// A reason is required (400).
    ReasonRequired,
    /// The escrow is not funded yet (409).
    EscrowNotFunded,
}

/// Where `actor` may move a job from `from`.
pub fn next_states(from: JobStatus, actor: Actor) -> Vec<JobStatus> {
    engine::next_states::<JobLifecycle>(from, actor)
}

/// Decides a move.
pub fn decide(
    from: JobStatus,
    to: JobStatus,
    actor: Actor,
    facts: Facts,
) -> Result<&'static Transition, Refusal> {
    engine::decide::<JobLifecycle>(from, to, actor, |guard| match guard {
        Guard::None => true,
        Guard::Reason => facts.has_reason,
        Guard::Funded => facts.escrow_ready,
    })
    .map_err(|refusal| match refusal {
        engine::Refusal::NotFromHere { allowed } => Refusal::NotFromHere { allowed },
        engine::Refusal::NotYours => Refusal::NotYours,
        engine::Refusal::Guard(Guard::Funded) => Refusal::EscrowNotFunded,
        engine::Refusal::Guard(_) => Refusal::ReasonRequired,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lifecycle::{Expected, check_table, walk};

    #[test]
    fn the_job_table_is_sound() {
        assert_eq!(check_table::<JobLifecycle>(), Vec::<String>::new());
    }

    #[test]
    fn decide_answers_what_the_table_says_for_every_triple() {
        let everything = Facts {
            has_reason: true,
            escrow_ready: true,
        };
        let steps = walk::<JobLifecycle>();
        assert_eq!(steps.len(), 9 * 9 * 4);
        for step in steps {
            let answer = decide(step.from, step.to, step.actor, everything);
            match step.expected {
                Expected::Allowed(_) => assert!(answer.is_ok(), "{step:?}"),
                Expected::NotYours => assert_eq!(answer.err(), Some(Refusal::NotYours)),
                Expected::NotFromHere => assert!(
                    matches!(answer, Err(Refusal::NotFromHere { .. })),
                    "{step:?}"
                ),
            }
            if let Expected::Allowed(guard) = step.expected {
                let nothing = decide(step.from, step.to, step.actor, Facts::default());
                match guard {
                    Guard::None => assert!(nothing.is_ok()),
                    Guard::Reason => assert_eq!(nothing.err(), Some(Refusal::ReasonRequired)),
                    Guard::Funded => assert_eq!(nothing.err(), Some(Refusal::EscrowNotFunded)),
                }
            }
        }
    }
}
