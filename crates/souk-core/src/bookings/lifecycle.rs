//! The booking lifecycle as data, declared to the shared engine
//! (`crate::lifecycle`). Before acceptance a booking moves on its own
//! (accept, decline, expire, withdraw); acceptance hires (a job, a quote and
//! the contract, as an accepted quote does); after it, every move is carried
//! out as the booked job's move ([`Effect::Job`]), so escrow, disputes and
//! automatic approval act on bookings exactly as on jobs, and the job's
//! moves carry the booking's status back (`marketplace::booked`).

use souk_db::enums::BookingStatus::{self, *};

use serde_json::json;

use crate::{
    error::{Error, ErrorCode},
    lifecycle::{self as engine, Lifecycle},
    marketplace::JobStatus,
};

/// Who is acting on a booking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Actor {
    /// Who booked it.
    Client,
    /// The offering's craftsman.
    Provider,
    /// An admin or moderator.
    Staff,
    /// Souk itself (instant booking, expiry, a dispute's outcome, automatic
    /// approval).
    System,
}

/// What a move needs beyond the right actor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Guard {
    None,
    /// A reason must be given.
    Reason,
    /// The escrow holds the price (cash bookings need nothing).
    Funded,
    /// The booked start has passed (a no-show).
    Started,
}

/// What firing a move does besides changing the status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// Only the booking changes (before acceptance).
    None,
    /// Hire: the booked job, its quote and the contract.
    Hire,
    /// Carried out as the booked job's move to this status.
    Job(JobStatus),
    /// The job is cancelled paying the provider the no-show share.
    NoShow,
}

/// The booking lifecycle, as the engine sees it.
pub struct BookingLifecycle;

impl Lifecycle for BookingLifecycle {
    type Status = BookingStatus;
    type Actor = Actor;
    type Guard = Guard;
    type Effect = Effect;
    const STATUSES: &'static [BookingStatus] = &BookingStatus::ALL;
    const ACTORS: &'static [Actor] = &[Actor::Client, Actor::Provider, Actor::Staff, Actor::System];
    const INITIAL: &'static [BookingStatus] = &[Pending];
    const TERMINAL: &'static [BookingStatus] = &[Declined, Expired, Completed, Cancelled, NoShow];
    const NO_GUARD: Guard = Guard::None;
    const TRANSITIONS: &'static [Transition] = TRANSITIONS;
}

/// One allowed move.
pub type Transition = engine::Transition<BookingLifecycle>;

const fn t(
    from: BookingStatus,
    to: BookingStatus,
    actors: &'static [Actor],
    guard: Guard,
    effect: Effect,
) -> Transition {
    Transition {
        from,
        to,
        actors,
        guard,
        effect,
    }
}

use Actor::{Client as C, Provider as P, Staff as S, System as Y};
use Effect::Job as J;

/// The whole lifecycle.
pub const TRANSITIONS: &[Transition] = &[
    t(Pending, Accepted, &[P, Y], Guard::None, Effect::Hire),
    t(Pending, Declined, &[P], Guard::None, Effect::None),
    t(Pending, Expired, &[Y], Guard::None, Effect::None),
    t(Pending, Cancelled, &[C, S], Guard::None, Effect::None),
    t(
        Accepted,
        InProgress,
        &[P],
        Guard::Funded,
        J(JobStatus::InProgress),
    ),
    t(
        Accepted,
        Cancelled,
        &[C, P, S],
        Guard::Reason,
        J(JobStatus::Cancelled),
    ),
    t(Accepted, NoShow, &[P], Guard::Started, Effect::NoShow),
    t(
        Accepted,
        Disputed,
        &[C, P],
        Guard::Reason,
        J(JobStatus::Disputed),
    ),
    t(
        InProgress,
        WorkSubmitted,
        &[P],
        Guard::None,
        J(JobStatus::WorkSubmitted),
    ),
    t(
        InProgress,
        Cancelled,
        &[C, P, S],
        Guard::Reason,
        J(JobStatus::Cancelled),
    ),
    t(
        InProgress,
        Disputed,
        &[C, P],
        Guard::Reason,
        J(JobStatus::Disputed),
    ),
    t(
        WorkSubmitted,
        Completed,
        &[C, S, Y],
        Guard::None,
        J(JobStatus::Completed),
    ),
    t(
        WorkSubmitted,
        InProgress,
        &[C],
        Guard::Reason,
        J(JobStatus::InProgress),
    ),
    t(
        WorkSubmitted,
        Cancelled,
        &[S],
        Guard::Reason,
        J(JobStatus::Cancelled),
    ),
    t(
        WorkSubmitted,
        Disputed,
        &[C, P],
        Guard::Reason,
        J(JobStatus::Disputed),
    ),
    // A dispute's outcome, decided by staff or agreed by the parties, and a
    // withdrawn dispute's return to where the booking was.
    t(
        Disputed,
        Completed,
        &[S, Y],
        Guard::Reason,
        J(JobStatus::Completed),
    ),
    t(
        Disputed,
        Cancelled,
        &[S, Y],
        Guard::Reason,
        J(JobStatus::Cancelled),
    ),
    t(Disputed, Accepted, &[Y], Guard::None, J(JobStatus::Hired)),
    t(
        Disputed,
        InProgress,
        &[Y],
        Guard::None,
        J(JobStatus::InProgress),
    ),
    t(
        Disputed,
        WorkSubmitted,
        &[Y],
        Guard::None,
        J(JobStatus::WorkSubmitted),
    ),
];

/// 409 `invalid_transition`, listing where `actor` may go from `from`.
pub fn not_from_here(from: BookingStatus, to: BookingStatus, actor: Actor) -> Error {
    let allowed: Vec<&str> = next_states(from, actor)
        .iter()
        .map(|s| s.as_str())
        .collect();
    Error::with_details(
        ErrorCode::InvalidTransition,
        json!({ "from": from.as_str(), "to": to.as_str(), "allowed": allowed }),
    )
}

/// What the guards look at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Facts {
    pub has_reason: bool,
    pub escrow_ready: bool,
    pub started: bool,
}

/// Decides a move.
pub fn decide(
    from: BookingStatus,
    to: BookingStatus,
    actor: Actor,
    facts: Facts,
) -> Result<&'static Transition, engine::Refusal<BookingStatus, Guard>> {
    engine::decide::<BookingLifecycle>(from, to, actor, |guard| match guard {
        Guard::None => true,
        Guard::Reason => facts.has_reason,
        Guard::Funded => facts.escrow_ready,
        Guard::Started => facts.started,
    })
}

/// Where `actor` may move a booking from `from`.
pub fn next_states(from: BookingStatus, actor: Actor) -> Vec<BookingStatus> {
    engine::next_states::<BookingLifecycle>(from, actor)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        lifecycle::check_table,
        marketplace::lifecycle::{JobLifecycle, TRANSITIONS as JOB_TRANSITIONS},
    };

    #[test]
    fn the_booking_table_is_sound() {
        assert_eq!(check_table::<BookingLifecycle>(), Vec::<String>::new());
        assert_eq!(check_table::<JobLifecycle>(), Vec::<String>::new());
    }

    /// Every move a booked job can make carries its booking along a move
    /// this table declares (or leaves its status as it is), so a job's move
    /// never puts a booking somewhere its own lifecycle cannot go.
    #[test]
    fn every_booked_job_move_is_a_booking_move() {
        for job_move in JOB_TRANSITIONS {
            let (Some(from), Some(to)) = (
                BookingStatus::following(job_move.from),
                BookingStatus::following(job_move.to),
            ) else {
                continue;
            };
            if from == to {
                continue;
            }
            assert!(
                TRANSITIONS.iter().any(|t| t.from == from && t.to == to),
                "job {:?} → {:?} moves a booking {from:?} → {to:?}, which its table lacks",
                job_move.from,
                job_move.to,
            );
        }
    }

    #[test]
    fn only_final_statuses_release_the_providers_time() {
        for status in BookingStatus::ALL {
            assert_eq!(
                status.holds_time(),
                !BookingLifecycle::TERMINAL.contains(&status),
                "{status:?}"
            );
            assert!(
                BookingStatus::HOLDING_SQL.contains(&format!("'{}'", status.as_str()))
                    == status.holds_time()
            );
        }
    }

    #[test]
    fn guards_hold_only_with_their_facts() {
        let everything = Facts {
            has_reason: true,
            escrow_ready: true,
            started: true,
        };
        for step in crate::lifecycle::walk::<BookingLifecycle>() {
            let answer = decide(step.from, step.to, step.actor, everything);
            match step.expected {
                crate::lifecycle::Expected::Allowed(guard) => {
                    assert!(answer.is_ok(), "{step:?}");
                    let bare = decide(step.from, step.to, step.actor, Facts::default());
                    assert_eq!(bare.is_ok(), guard == Guard::None, "{step:?}");
                }
                _ => assert!(answer.is_err(), "{step:?}"),
            }
        }
    }
}
