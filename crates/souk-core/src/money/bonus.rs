//! The signup bonus: credit a new account receives (per role, from the
//! settings; none by default), paid by the promotions account.

use sea_orm::ConnectionTrait;
use uuid::Uuid;

use super::{
    account::Account,
    ledger::{self, Entry, EntryKind, Posted},
    settings,
};
use crate::{
    Core,
    accounts::Role,
    error::Result,
    notifications::{self, Event, MoneyEvent},
};

/// Grants the bonus for `role` to a user just registered, inside the
/// registration's transaction.
pub async fn grant_signup_bonus(
    core: &Core,
    conn: &impl ConnectionTrait,
    user: Uuid,
    role: Role,
) -> Result<()> {
    let money = settings::load(conn, &core.settings).await?;
    let amount = match role {
        Role::Client => money.signup_bonus.client,
        Role::Craftsman => money.signup_bonus.craftsman,
        _ => 0,
    };
    if amount <= 0 {
        return Ok(());
    }
    let entry = Entry::new(EntryKind::Bonus, format!("signup_bonus:{user}"))
        .transfer(Account::Promotions, Account::Wallet(user), amount)
        .actor(Some(user))
        .memo("signup bonus");
    if let Posted::Written(_) = ledger::post(conn, &money.currency, entry).await? {
        notifications::notify(
            conn,
            user,
            &Event::Money(MoneyEvent::BonusCredited {
                amount,
                currency: money.currency,
            }),
        )
        .await?;
    }
    Ok(())
}
