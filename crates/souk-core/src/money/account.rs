//! The ledger's accounts: who or what holds money, and which of them may go
//! below zero.

use std::fmt;

use uuid::Uuid;

/// Rows a sharded platform account is spread over.
pub const SHARDS: u64 = 64;

/// A payment gateway (and its clearing account).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Gateway {
    /// The default: a local stand-in that drives the same code path.
    Sandbox,
    Stripe,
    /// Reference codes paid in cash at an outlet (cash-protected jobs).
    Fawry,
}

impl Gateway {
    pub const ALL: &'static [Gateway] = &[Gateway::Sandbox, Gateway::Stripe, Gateway::Fawry];

    pub fn as_str(self) -> &'static str {
        match self {
            Gateway::Sandbox => "sandbox",
            Gateway::Stripe => "stripe",
            Gateway::Fawry => "fawry",
        }
    }

    pub fn parse(word: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .copied()
            .find(|g| g.as_str().eq_ignore_ascii_case(word.trim()))
    }

    /// Every gateway's name, for validation messages.
    pub fn names() -> Vec<&'static str> {
        Self::ALL.iter().map(|g| g.as_str()).collect()
    }
}

impl fmt::Display for Gateway {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One account of the ledger.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Account {
    /// A user's spendable money.
    Wallet(Uuid),
    /// Commission a craftsman owes from cash jobs (negative while owed).
    FeeDebt(Uuid),
    /// Money held for a contract until release or refund.
    Escrow(Uuid),
    /// A micro-task's money: its unspent cost, paid out submission by
    /// submission, the rest refunded when it ends.
    TaskEscrow(Uuid),
    /// Commissions and fees the platform earned.
    PlatformRevenue,
    /// What the platform gives away (signup bonuses, package extras).
    Promotions,
    /// Money on its way in from (negative) or out to (positive) a gateway.
    Clearing(Gateway),
    /// Withdrawals requested and not yet paid out or returned.
    PayoutsInFlight,
    /// Payouts staff made outside any gateway (bank transfer, mobile wallet).
    ManualPayouts,
}

impl Account {
    /// The account's stable, unique name.
    pub fn key(self) -> String {
        match self {
            Account::Wallet(user) => format!("wallet:{user}"),
            Account::FeeDebt(user) => format!("fee_debt:{user}"),
            Account::Escrow(contract) => format!("escrow:{contract}"),
            Account::TaskEscrow(task) => format!("task_escrow:{task}"),
            Account::PlatformRevenue => "platform_revenue".to_owned(),
            Account::Promotions => "promotions".to_owned(),
            Account::Clearing(gateway) => format!("clearing:{gateway}"),
            Account::PayoutsInFlight => "payouts_in_flight".to_owned(),
            Account::ManualPayouts => "clearing:manual".to_owned(),
        }
    }

    /// The account's kind, as stored.
    pub fn kind(self) -> &'static str {
        match self {
            Account::Wallet(_) => "wallet",
            Account::FeeDebt(_) => "fee_debt",
            Account::Escrow(_) => "escrow",
            Account::TaskEscrow(_) => "task_escrow",
            Account::PlatformRevenue => "platform_revenue",
            Account::Promotions => "promotions",
            Account::Clearing(_) | Account::ManualPayouts => "clearing",
            Account::PayoutsInFlight => "payouts_in_flight",
        }
    }

    /// The user or contract it belongs to.
    pub fn owner(self) -> Option<Uuid> {
        match self {
            Account::Wallet(id)
            | Account::FeeDebt(id)
            | Account::Escrow(id)
            | Account::TaskEscrow(id) => Some(id),
            _ => None,
        }
    }

    /// Whether the platform's side of so many movements lands here that one
    /// row would serialize them: such accounts are spread over
    /// [`SHARDS`] rows (`platform_revenue#07`), their balance the sum.
    pub fn is_sharded(self) -> bool {
        matches!(
            self,
            Account::PlatformRevenue
                | Account::Promotions
                | Account::Clearing(_)
                | Account::ManualPayouts
        )
    }

    /// The row key for a movement named `entry_key`: sharded accounts take
    /// the shard the movement hashes to (FNV-1a), others their own key.
    pub fn row_key(self, entry_key: &str) -> String {
        if !self.is_sharded() {
            return self.key();
        }
        let hash = entry_key.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
        });
        format!("{}#{:02}", self.key(), hash % SHARDS)
    }

    /// Whether its balance may be negative (the database checks it too).
    pub fn may_go_negative(self) -> bool {
        may_go_negative(self.kind())
    }
}

/// Whether accounts of a stored kind may be negative.
pub fn may_go_negative(kind: &str) -> bool {
    matches!(kind, "fee_debt" | "clearing" | "promotions")
}
