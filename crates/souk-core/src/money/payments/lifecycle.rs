//! The gateway payment lifecycle, declared to the shared engine
//! (`crate::lifecycle`): a payment is stored pending, then the gateway's
//! signed word settles it once — succeeded (the ledger credits it) or
//! failed — or the checkout could not start at all.

use souk_db::enums::PaymentStatus::{self, *};

use crate::lifecycle::{self as engine, Lifecycle};

/// Who moves a payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaymentActor {
    /// The gateway's signed webhook (or the sandbox's stand-in for it).
    Gateway,
    /// Souk itself, when the gateway refused to start the checkout.
    Checkout,
}

use PaymentActor::{Checkout as C, Gateway as G};

/// The payment lifecycle.
pub struct PaymentLifecycle;

impl Lifecycle for PaymentLifecycle {
    type Status = PaymentStatus;
    type Actor = PaymentActor;
    type Guard = ();
    type Effect = ();
    const STATUSES: &'static [PaymentStatus] = &PaymentStatus::ALL;
    const ACTORS: &'static [PaymentActor] = &[G, C];
    const INITIAL: &'static [PaymentStatus] = &[Pending];
    const TERMINAL: &'static [PaymentStatus] = &[Succeeded, Failed];
    const NO_GUARD: () = ();
    const TRANSITIONS: &'static [engine::Transition<Self>] = &[
        engine::Transition::plain(Pending, Succeeded, &[G]),
        engine::Transition::plain(Pending, Failed, &[G, C]),
    ];
}

/// Whether `actor` may move a payment from `from` to `to`.
pub fn may(from: PaymentStatus, to: PaymentStatus, actor: PaymentActor) -> bool {
    engine::allows::<PaymentLifecycle>(from, to, actor)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lifecycle::{Expected, check_table, walk};

    #[test]
    fn the_payment_table_is_sound_and_a_payment_settles_once() {
        assert_eq!(check_table::<PaymentLifecycle>(), Vec::<String>::new());
        let steps = walk::<PaymentLifecycle>();
        assert_eq!(steps.len(), 3 * 3 * 2);
        for step in steps {
            let allowed = matches!(step.expected, Expected::Allowed(()));
            assert_eq!(may(step.from, step.to, step.actor), allowed, "{step:?}");
            if step.from != Pending {
                assert!(!allowed, "a settled payment moved again: {step:?}");
            }
        }
    }
}
