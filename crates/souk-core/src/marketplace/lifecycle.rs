//! The job lifecycle as data: one table of transitions, each naming who may
//! fire it and its guard. Handlers ask [`decide`]; tests walk the table.

use serde::Serialize;

use super::JobStatus::{self, *};

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
}

/// One allowed move.
#[derive(Debug, Clone, Copy)]
pub struct Transition {
    pub from: JobStatus,
    pub to: JobStatus,
    pub actors: &'static [Actor],
    pub guard: Guard,
    pub effect: ContractEffect,
}

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
    t(Disputed, Completed, &[S], Guard::Reason, E::Complete),
    t(Disputed, Cancelled, &[S], Guard::Reason, E::Cancel),
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
    TRANSITIONS
        .iter()
        .filter(|t| t.from == from && t.actors.contains(&actor))
        .map(|t| t.to)
        .collect()
}

/// Decides a move.
pub fn decide(
    from: JobStatus,
    to: JobStatus,
    actor: Actor,
    facts: Facts,
) -> Result<&'static Transition, Refusal> {
    let Some(transition) = TRANSITIONS.iter().find(|t| t.from == from && t.to == to) else {
        return Err(Refusal::NotFromHere {
            allowed: next_states(from, actor),
        });
    };
    if !transition.actors.contains(&actor) {
        return Err(Refusal::NotYours);
    }
    match transition.guard {
        Guard::Reason if !facts.has_reason => Err(Refusal::ReasonRequired),
        Guard::Funded if !facts.escrow_ready => Err(Refusal::EscrowNotFunded),
        _ => Ok(transition),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_has_no_duplicate_moves_and_terminal_states_are_final() {
        for (i, a) in TRANSITIONS.iter().enumerate() {
            for b in &TRANSITIONS[i + 1..] {
                assert!(
                    !(a.from == b.from && a.to == b.to),
                    "{:?}→{:?} twice",
                    a.from,
                    a.to
                );
            }
            assert_ne!(a.from, Completed);
            assert_ne!(a.from, Cancelled);
        }
    }
}
