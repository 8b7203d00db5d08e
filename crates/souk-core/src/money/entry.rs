//! What a ledger entry is — its kind, its postings, what writing it did —
//! shared by the ledger's rules (`money::ledger`) and the engine-specific
//! code that writes it (`store::ledger`), so neither imports the other's
//! caller.

use souk_db::gated::GatedWrite;
use uuid::Uuid;

use super::account::Account;

/// What an entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryKind {
    Deposit,
    EscrowFund,
    EscrowRelease,
    Fee,
    Refund,
    Tip,
    Withdrawal,
    Payout,
    Bonus,
    Adjustment,
}

impl EntryKind {
    pub const ALL: &'static [EntryKind] = &[
        EntryKind::Deposit,
        EntryKind::EscrowFund,
        EntryKind::EscrowRelease,
        EntryKind::Fee,
        EntryKind::Refund,
        EntryKind::Tip,
        EntryKind::Withdrawal,
        EntryKind::Payout,
        EntryKind::Bonus,
        EntryKind::Adjustment,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Deposit => "deposit",
            EntryKind::EscrowFund => "escrow_fund",
            EntryKind::EscrowRelease => "escrow_release",
            EntryKind::Fee => "fee",
            EntryKind::Refund => "refund",
            EntryKind::Tip => "tip",
            EntryKind::Withdrawal => "withdrawal",
            EntryKind::Payout => "payout",
            EntryKind::Bonus => "bonus",
            EntryKind::Adjustment => "adjustment",
        }
    }

    pub fn parse(word: &str) -> Option<Self> {
        Self::ALL
            .iter()
            .copied()
            .find(|k| k.as_str().eq_ignore_ascii_case(word.trim()))
    }

    pub fn names() -> Vec<&'static str> {
        Self::ALL.iter().map(|k| k.as_str()).collect()
    }
}

/// An entry to write.
#[derive(Debug, Clone)]
pub struct Entry {
    pub kind: EntryKind,
    /// Unique per movement: the same key is written once, whoever retries.
    pub key: String,
    pub contract: Option<Uuid>,
    pub payment: Option<Uuid>,
    pub withdrawal: Option<Uuid>,
    pub actor: Option<Uuid>,
    pub memo: Option<String>,
    pub postings: Vec<(Account, i64)>,
}

impl Entry {
    /// An entry of `kind` under `key`, with no postings yet.
    pub fn new(kind: EntryKind, key: impl Into<String>) -> Self {
        Self {
            kind,
            key: key.into(),
            contract: None,
            payment: None,
            withdrawal: None,
            actor: None,
            memo: None,
            postings: Vec::new(),
        }
    }

    /// Moves `amount` from one account to another.
    pub fn transfer(mut self, from: Account, to: Account, amount: i64) -> Self {
        // Saturating: `i64::MIN` (never an amount) would leave the entry
        // unbalanced by one, which `ledger::post` refuses.
        self.postings.push((from, amount.saturating_neg()));
        self.postings.push((to, amount));
        self
    }

    pub fn contract(mut self, id: Uuid) -> Self {
        self.contract = Some(id);
        self
    }

    pub fn payment(mut self, id: Uuid) -> Self {
        self.payment = Some(id);
        self
    }

    pub fn withdrawal(mut self, id: Uuid) -> Self {
        self.withdrawal = Some(id);
        self
    }

    pub fn actor(mut self, id: Option<Uuid>) -> Self {
        self.actor = id;
        self
    }

    pub fn memo(mut self, memo: impl Into<String>) -> Self {
        self.memo = Some(memo.into());
        self
    }
}

/// What writing an entry did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Posted {
    /// Written now.
    Written(Uuid),
    /// An entry with this key exists already: nothing moved.
    AlreadyWritten,
    /// Every amount was zero: nothing to write.
    Nothing,
}

/// A write the entry waits for: the entry is posted only if `write` touches
/// a row (a guarded status change), and `then` runs with `write` whether or
/// not the entry was new.
pub struct Lead {
    pub write: GatedWrite,
    pub then: Vec<GatedWrite>,
}

/// One merged posting: the account row's key, the account, the amount.
#[derive(Debug, Clone)]
pub struct Line {
    pub key: String,
    pub account: Account,
    pub amount: i64,
}

impl Line {
    /// A debit on an account that must stay at or above zero.
    pub fn guarded(&self) -> bool {
        self.amount < 0 && !self.account.may_go_negative()
    }
}
