//! A contract's two lifecycles, declared to the shared engine
//! (`crate::lifecycle`): the agreement's status — active until its job
//! completes or is cancelled — and its escrow's — funded by the payer,
//! frozen by a dispute, released or refunded when the job ends, refunded by
//! staff. Every write of either status asks [`ensure`] first: a move the
//! tables do not declare is a bug, answered as an internal error with
//! nothing written.

use souk_db::{
    entities::contracts,
    enums::{ContractStatus, EscrowStatus},
};

use crate::{
    error::Result,
    lifecycle::{self as engine, Lifecycle},
};

/// Who moves a contract's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContractActor {
    /// The job's lifecycle: a completion or a cancellation carries its
    /// contract with it.
    Job,
}

/// The contract's status lifecycle.
pub struct ContractLifecycle;

impl Lifecycle for ContractLifecycle {
    type Status = ContractStatus;
    type Actor = ContractActor;
    type Guard = ();
    type Effect = ();
    const STATUSES: &'static [ContractStatus] = &ContractStatus::ALL;
    const ACTORS: &'static [ContractActor] = &[ContractActor::Job];
    const INITIAL: &'static [ContractStatus] = &[ContractStatus::Active];
    const TERMINAL: &'static [ContractStatus] =
        &[ContractStatus::Completed, ContractStatus::Cancelled];
    const NO_GUARD: () = ();
    const TRANSITIONS: &'static [engine::Transition<Self>] = &[
        engine::Transition::plain(
            ContractStatus::Active,
            ContractStatus::Completed,
            &[ContractActor::Job],
        ),
        engine::Transition::plain(
            ContractStatus::Active,
            ContractStatus::Cancelled,
            &[ContractActor::Job],
        ),
    ];
}

/// Who moves a contract's escrow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EscrowActor {
    /// The client funding it (from the wallet, or a gateway payment made
    /// for it).
    Payer,
    /// Staff refunding all of what it holds.
    Staff,
    /// The job's lifecycle: a dispute freezes it; completion releases it;
    /// cancellation refunds or splits it.
    Job,
}

/// The escrow's lifecycle. A cash contract starts and stays at `none`.
pub struct EscrowLifecycle;

impl Lifecycle for EscrowLifecycle {
    type Status = EscrowStatus;
    type Actor = EscrowActor;
    type Guard = ();
    type Effect = ();
    const STATUSES: &'static [EscrowStatus] = &EscrowStatus::ALL;
    const ACTORS: &'static [EscrowActor] =
        &[EscrowActor::Payer, EscrowActor::Staff, EscrowActor::Job];
    const INITIAL: &'static [EscrowStatus] = &[EscrowStatus::Unfunded, EscrowStatus::None];
    const TERMINAL: &'static [EscrowStatus] = &[
        EscrowStatus::Released,
        EscrowStatus::Refunded,
        EscrowStatus::None,
    ];
    const NO_GUARD: () = ();
    const TRANSITIONS: &'static [engine::Transition<Self>] = {
        use EscrowActor::{Job, Payer, Staff};
        use EscrowStatus::{Frozen, Held, Refunded, Released, Unfunded};
        &[
            engine::Transition::plain(Unfunded, Held, &[Payer]),
            engine::Transition::plain(Held, Frozen, &[Job]),
            engine::Transition::plain(Frozen, Held, &[Job]),
            engine::Transition::plain(Held, Released, &[Job]),
            engine::Transition::plain(Held, Refunded, &[Job, Staff]),
            engine::Transition::plain(Frozen, Released, &[Job]),
            engine::Transition::plain(Frozen, Refunded, &[Job, Staff]),
        ]
    };
}

/// Checks a write of `contract`'s status and escrow status (each `None`:
/// unchanged) against the tables.
pub fn ensure(
    contract: &contracts::Model,
    status: Option<ContractStatus>,
    escrow: Option<EscrowStatus>,
    actor: EscrowActor,
) -> Result<()> {
    if let Some(to) = status
        && !engine::allows::<ContractLifecycle>(contract.status, to, ContractActor::Job)
    {
        return Err(anyhow::anyhow!(
            "contract {}: {:?} → {to:?} is not in the contract lifecycle",
            contract.id,
            contract.status
        )
        .into());
    }
    if let Some(to) = escrow
        && !engine::allows::<EscrowLifecycle>(contract.escrow_status, to, actor)
    {
        return Err(anyhow::anyhow!(
            "contract {}: escrow {:?} → {to:?} by {actor:?} is not in the escrow lifecycle",
            contract.id,
            contract.escrow_status
        )
        .into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lifecycle::{Expected, check_table, walk};

    #[test]
    fn the_contract_table_is_sound_and_only_the_job_ends_a_contract() {
        assert_eq!(check_table::<ContractLifecycle>(), Vec::<String>::new());
        let steps = walk::<ContractLifecycle>();
        assert_eq!(steps.len(), 3 * 3);
        for step in steps {
            let ends_active =
                step.from == ContractStatus::Active && step.to != ContractStatus::Active;
            assert_eq!(
                matches!(step.expected, Expected::Allowed(())),
                ends_active,
                "{step:?}"
            );
        }
    }

    #[test]
    fn the_escrow_table_is_sound_and_ensure_follows_it() {
        assert_eq!(check_table::<EscrowLifecycle>(), Vec::<String>::new());
        let steps = walk::<EscrowLifecycle>();
        assert_eq!(steps.len(), 6 * 6 * 3);
        let contract = |escrow_status| contracts::Model {
            id: uuid::Uuid::nil(),
            job_id: uuid::Uuid::nil(),
            quote_id: uuid::Uuid::nil(),
            client_id: uuid::Uuid::nil(),
            craftsman_id: uuid::Uuid::nil(),
            price: 100,
            fee_bps: 1000,
            platform_fee: 10,
            currency: "EGP".into(),
            payment_type: "escrow".into(),
            status: ContractStatus::Active,
            escrow_status,
            funded_at: None,
            created_at: chrono::Utc::now(),
            updated_at: chrono::Utc::now(),
        };
        for step in steps {
            let allowed = matches!(step.expected, Expected::Allowed(()));
            let answer = ensure(&contract(step.from), None, Some(step.to), step.actor);
            assert_eq!(answer.is_ok(), allowed, "{step:?}");
        }
        // Money leaves an escrow only while it holds some.
        for t in EscrowLifecycle::TRANSITIONS {
            if matches!(t.to, EscrowStatus::Released | EscrowStatus::Refunded) {
                assert!(t.from.holds_money(), "{t:?}");
            }
        }
    }
}
