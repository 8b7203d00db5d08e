//! Money: a double-entry ledger (the single source of truth), wallets,
//! escrow per contract, gateway payments confirmed by signed webhooks, cash
//! commission debt, tips, withdrawals, credit packages and the settings that
//! govern them. Every movement is a balanced ledger entry written in the same
//! transaction as the change it belongs to, under a key that makes it once.
//!
//! Plain arithmetic is refused here (`clippy::arithmetic_side_effects`):
//! amounts go through the checked operations of [`amount`], so an overflow
//! is an error, never a wrapped balance.
#![warn(clippy::arithmetic_side_effects)]

pub mod account;
pub mod amount;
pub mod bonus;
pub mod check;
pub mod entry;
pub mod escrow;
pub mod fees;
pub mod idempotency;
pub mod ledger;
pub mod packages;
pub mod payments;
pub mod settings;
pub mod tips;
pub mod wallet;
pub mod withdrawal_lifecycle;
pub mod withdrawals;

pub use account::{Account, Gateway};
pub use escrow::EscrowStatus;
pub use settings::MoneySettings;
