//! The lifecycle engine. Every status lifecycle is declared as one table of
//! transitions — from, to, who may fire it, its guard, its effect — by
//! implementing [`Lifecycle`]; use-cases ask [`decide`], and [`walk`] lists
//! every (state, target, actor) triple with the answer the table implies, so
//! a test can drive each of them through the API and compare. The job
//! lifecycle (`marketplace::lifecycle`) is the first table; quotes,
//! invitations, contracts, payments and withdrawals follow it.

use std::fmt::Debug;

/// A lifecycle: its statuses, actors, guards and effects, and the table.
pub trait Lifecycle: 'static {
    type Status: Copy + Eq + Debug + 'static;
    type Actor: Copy + Eq + Debug + 'static;
    /// What a move needs beyond the right actor (checked by the caller's
    /// facts in [`decide`]).
    type Guard: Copy + Eq + Debug + 'static;
    /// What firing a move does besides changing the status.
    type Effect: Copy + Eq + Debug + 'static;

    /// Every status, in a stable order.
    const STATUSES: &'static [Self::Status];
    /// Every actor.
    const ACTORS: &'static [Self::Actor];
    /// Where a new record starts.
    const INITIAL: &'static [Self::Status];
    /// Statuses nothing leaves.
    const TERMINAL: &'static [Self::Status];
    /// The guard of a move that needs nothing.
    const NO_GUARD: Self::Guard;
    /// The table.
    const TRANSITIONS: &'static [Transition<Self>];
}

/// One allowed move of lifecycle `L`.
pub struct Transition<L: Lifecycle + ?Sized> {
    pub from: L::Status,
    pub to: L::Status,
    pub actors: &'static [L::Actor],
    pub guard: L::Guard,
    pub effect: L::Effect,
}

impl<L: Lifecycle + ?Sized> Clone for Transition<L> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<L: Lifecycle + ?Sized> Copy for Transition<L> {}

impl<L: Lifecycle + ?Sized> Debug for Transition<L> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transition")
            .field("from", &self.from)
            .field("to", &self.to)
            .field("actors", &self.actors)
            .field("guard", &self.guard)
            .field("effect", &self.effect)
            .finish()
    }
}

impl<L: Lifecycle<Guard = (), Effect = ()> + ?Sized> Transition<L> {
    /// A move with no guard and no effect, for the simple lifecycles.
    pub const fn plain(from: L::Status, to: L::Status, actors: &'static [L::Actor]) -> Self {
        Self {
            from,
            to,
            actors,
            guard: (),
            effect: (),
        }
    }
}

/// Whether `actor` may move a record of a guard-free lifecycle from `from`
/// to `to`.
pub fn allows<L: Lifecycle<Guard = ()>>(from: L::Status, to: L::Status, actor: L::Actor) -> bool {
    decide::<L>(from, to, actor, |()| true).is_ok()
}

/// Why a move is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal<S, G> {
    /// No such move from this state (409); lists where this actor may go.
    NotFromHere { allowed: Vec<S> },
    /// The move exists but not for this actor (403).
    NotYours,
    /// The move's guard does not hold.
    Guard(G),
}

/// Where `actor` may move a record of lifecycle `L` from `from`.
pub fn next_states<L: Lifecycle>(from: L::Status, actor: L::Actor) -> Vec<L::Status> {
    L::TRANSITIONS
        .iter()
        .filter(|t| t.from == from && t.actors.contains(&actor))
        .map(|t| t.to)
        .collect()
}

/// Decides a move: allowed (the transition), or why not. `holds` answers
/// whether a guard holds for the record at hand.
pub fn decide<L: Lifecycle>(
    from: L::Status,
    to: L::Status,
    actor: L::Actor,
    holds: impl Fn(L::Guard) -> bool,
) -> Result<&'static Transition<L>, Refusal<L::Status, L::Guard>> {
    let Some(transition) = L::TRANSITIONS.iter().find(|t| t.from == from && t.to == to) else {
        return Err(Refusal::NotFromHere {
            allowed: next_states::<L>(from, actor),
        });
    };
    if !transition.actors.contains(&actor) {
        return Err(Refusal::NotYours);
    }
    if transition.guard != L::NO_GUARD && !holds(transition.guard) {
        return Err(Refusal::Guard(transition.guard));
    }
    Ok(transition)
}

/// What the table says of one (state, target, actor) triple when every
/// guard holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expected<G> {
    /// Allowed once the guard holds (`NO_GUARD` when it needs nothing).
    Allowed(G),
    /// No such move from this state.
    NotFromHere,
    /// The move exists, for other actors.
    NotYours,
}

/// One triple of [`walk`].
pub struct Step<L: Lifecycle> {
    pub from: L::Status,
    pub to: L::Status,
    pub actor: L::Actor,
    pub expected: Expected<L::Guard>,
}

impl<L: Lifecycle> Debug for Step<L> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:?} → {:?} by {:?}: {:?}",
            self.from, self.to, self.actor, self.expected
        )
    }
}

/// Every (state, target, actor) triple of `L` with the answer its table
/// implies: the exhaustive list a test walks.
pub fn walk<L: Lifecycle>() -> Vec<Step<L>> {
    let mut steps = Vec::new();
    for &from in L::STATUSES {
        for &to in L::STATUSES {
            for &actor in L::ACTORS {
                let expected = match L::TRANSITIONS.iter().find(|t| t.from == from && t.to == to) {
                    None => Expected::NotFromHere,
                    Some(t) if !t.actors.contains(&actor) => Expected::NotYours,
                    Some(t) => Expected::Allowed(t.guard),
                };
                steps.push(Step {
                    from,
                    to,
                    actor,
                    expected,
                });
            }
        }
    }
    steps
}

/// Problems of a table: a move declared twice, a move out of a terminal
/// status, a move nobody may fire, a status no move reaches from the
/// initial ones. Empty for a sound table; each lifecycle's tests assert it.
pub fn check_table<L: Lifecycle>() -> Vec<String> {
    let mut problems = Vec::new();
    for (i, a) in L::TRANSITIONS.iter().enumerate() {
        if L::TRANSITIONS
            .iter()
            .skip(i + 1)
            .any(|b| a.from == b.from && a.to == b.to)
        {
            problems.push(format!("{:?} → {:?} is declared twice", a.from, a.to));
        }
        if L::TERMINAL.contains(&a.from) {
            problems.push(format!("{:?} is terminal but moves to {:?}", a.from, a.to));
        }
        if a.actors.is_empty() {
            problems.push(format!("nobody may move {:?} → {:?}", a.from, a.to));
        }
    }
    let mut reached: Vec<L::Status> = L::INITIAL.to_vec();
    let mut grew = true;
    while grew {
        grew = false;
        for t in L::TRANSITIONS {
            if reached.contains(&t.from) && !reached.contains(&t.to) {
                reached.push(t.to);
                grew = true;
            }
        }
    }
    for status in L::STATUSES {
        if !reached.contains(status) {
            problems.push(format!("{status:?} is never reached"));
        }
    }
    problems
}
