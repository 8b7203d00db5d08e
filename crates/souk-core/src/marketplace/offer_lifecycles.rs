//! The quote and invitation lifecycles, declared to the shared engine
//! (`crate::lifecycle`): who may move a quote or an invitation where.

use souk_db::enums::{InvitationStatus, QuoteStatus};

use crate::lifecycle::{self as engine, Lifecycle};

/// Who acts on a quote or an invitation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfferActor {
    /// The job's owner.
    Client,
    /// The quote's author, or the invited craftsman.
    Craftsman,
    /// Souk itself (other quotes declined when one is accepted, live quotes
    /// declined when the job closes).
    System,
}

use OfferActor::{Client as C, Craftsman as K, System as Y};

/// The quote lifecycle.
pub struct QuoteLifecycle;

impl Lifecycle for QuoteLifecycle {
    type Status = QuoteStatus;
    type Actor = OfferActor;
    type Guard = ();
    type Effect = ();
    const STATUSES: &'static [QuoteStatus] = &QuoteStatus::ALL;
    const ACTORS: &'static [OfferActor] = &[C, K, Y];
    const INITIAL: &'static [QuoteStatus] = &[QuoteStatus::Submitted];
    const TERMINAL: &'static [QuoteStatus] = &[
        QuoteStatus::Accepted,
        QuoteStatus::Declined,
        QuoteStatus::Withdrawn,
    ];
    const NO_GUARD: () = ();
    const TRANSITIONS: &'static [engine::Transition<Self>] = &[
        engine::Transition::plain(QuoteStatus::Submitted, QuoteStatus::Accepted, &[C]),
        engine::Transition::plain(QuoteStatus::Submitted, QuoteStatus::Declined, &[C, Y]),
        engine::Transition::plain(QuoteStatus::Submitted, QuoteStatus::Withdrawn, &[K]),
    ];
}

/// The invitation lifecycle: the invited craftsman answers once.
pub struct InvitationLifecycle;

impl Lifecycle for InvitationLifecycle {
    type Status = InvitationStatus;
    type Actor = OfferActor;
    type Guard = ();
    type Effect = ();
    const STATUSES: &'static [InvitationStatus] = &InvitationStatus::ALL;
    const ACTORS: &'static [OfferActor] = &[C, K, Y];
    const INITIAL: &'static [InvitationStatus] = &[InvitationStatus::Pending];
    const TERMINAL: &'static [InvitationStatus] =
        &[InvitationStatus::Accepted, InvitationStatus::Rejected];
    const NO_GUARD: () = ();
    const TRANSITIONS: &'static [engine::Transition<Self>] = &[
        engine::Transition::plain(InvitationStatus::Pending, InvitationStatus::Accepted, &[K]),
        engine::Transition::plain(InvitationStatus::Pending, InvitationStatus::Rejected, &[K]),
    ];
}

/// Whether `actor` may move a quote from `from` to `to`.
pub fn quote_may(from: QuoteStatus, to: QuoteStatus, actor: OfferActor) -> bool {
    engine::allows::<QuoteLifecycle>(from, to, actor)
}

/// Whether `actor` may move an invitation from `from` to `to`.
pub fn invitation_may(from: InvitationStatus, to: InvitationStatus, actor: OfferActor) -> bool {
    engine::allows::<InvitationLifecycle>(from, to, actor)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lifecycle::{Expected, check_table, walk};

    #[test]
    fn the_quote_and_invitation_tables_are_sound() {
        assert_eq!(check_table::<QuoteLifecycle>(), Vec::<String>::new());
        assert_eq!(check_table::<InvitationLifecycle>(), Vec::<String>::new());
    }

    #[test]
    fn quote_may_answers_what_the_table_says_for_every_triple() {
        let steps = walk::<QuoteLifecycle>();
        assert_eq!(steps.len(), 4 * 4 * 3);
        for step in steps {
            let allowed = matches!(step.expected, Expected::Allowed(()));
            assert_eq!(
                quote_may(step.from, step.to, step.actor),
                allowed,
                "{step:?}"
            );
        }
        for step in walk::<InvitationLifecycle>() {
            let allowed = matches!(step.expected, Expected::Allowed(()));
            assert_eq!(
                invitation_may(step.from, step.to, step.actor),
                allowed,
                "{step:?}"
            );
        }
    }
}
