//! Statuses as types, from the column up to the response: each is a
//! string-backed `DeriveActiveEnum` (snake_case in the database, as the
//! values always were, so no data migration), serialized the same way and
//! described as an `enum` in the OpenAPI document. A value the enum does not
//! know fails the read — an internal error, never a silent default.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

/// Where a quote stands.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    EnumIter,
    DeriveActiveEnum,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "snake_case")]
pub enum QuoteStatus {
    /// Live: the client may accept or decline it, the craftsman withdraw it.
    #[sea_orm(string_value = "submitted")]
    Submitted,
    #[sea_orm(string_value = "accepted")]
    Accepted,
    #[sea_orm(string_value = "declined")]
    Declined,
    #[sea_orm(string_value = "withdrawn")]
    Withdrawn,
}

/// Where an invitation to quote stands.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    EnumIter,
    DeriveActiveEnum,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "snake_case")]
pub enum InvitationStatus {
    #[sea_orm(string_value = "pending")]
    Pending,
    #[sea_orm(string_value = "accepted")]
    Accepted,
    #[sea_orm(string_value = "rejected")]
    Rejected,
}

impl QuoteStatus {
    /// Every status, in lifecycle order.
    pub const ALL: [QuoteStatus; 4] = [
        QuoteStatus::Submitted,
        QuoteStatus::Accepted,
        QuoteStatus::Declined,
        QuoteStatus::Withdrawn,
    ];

    /// The word stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            QuoteStatus::Submitted => "submitted",
            QuoteStatus::Accepted => "accepted",
            QuoteStatus::Declined => "declined",
            QuoteStatus::Withdrawn => "withdrawn",
        }
    }

    /// Reads a status word, case- and space-insensitively.
    pub fn parse(word: &str) -> Option<Self> {
        let word = word.trim();
        Self::ALL
            .into_iter()
            .find(|s| s.as_str().eq_ignore_ascii_case(word))
    }
}

impl InvitationStatus {
    /// Every status, in lifecycle order.
    pub const ALL: [InvitationStatus; 3] = [
        InvitationStatus::Pending,
        InvitationStatus::Accepted,
        InvitationStatus::Rejected,
    ];
}

/// Where a withdrawal stands.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    EnumIter,
    DeriveActiveEnum,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "snake_case")]
pub enum WithdrawalStatus {
    /// Requested; the money waits in payouts-in-flight.
    #[sea_orm(string_value = "pending")]
    Pending,
    /// Claimed by an admin; the payout is under way.
    #[sea_orm(string_value = "processing")]
    Processing,
    #[sea_orm(string_value = "completed")]
    Completed,
    #[sea_orm(string_value = "rejected")]
    Rejected,
}

impl WithdrawalStatus {
    /// Every status, in lifecycle order.
    pub const ALL: [WithdrawalStatus; 4] = [
        WithdrawalStatus::Pending,
        WithdrawalStatus::Processing,
        WithdrawalStatus::Completed,
        WithdrawalStatus::Rejected,
    ];

    /// The word stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            WithdrawalStatus::Pending => "pending",
            WithdrawalStatus::Processing => "processing",
            WithdrawalStatus::Completed => "completed",
            WithdrawalStatus::Rejected => "rejected",
        }
    }

    /// Reads a status word, case- and space-insensitively.
    pub fn parse(word: &str) -> Option<Self> {
        let word = word.trim();
        Self::ALL
            .into_iter()
            .find(|s| s.as_str().eq_ignore_ascii_case(word))
    }
}
