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

/// Where a job is in its life.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    EnumIter,
    DeriveActiveEnum,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[sea_orm(rs_type = "String", db_type = "String(StringLen::None)")]
#[serde(rename_all = "snake_case")]
pub enum JobStatus {
    /// Open for quotes, none yet.
    #[sea_orm(string_value = "posted")]
    Posted,
    /// Open for quotes, at least one live.
    #[sea_orm(string_value = "quoted")]
    Quoted,
    /// A quote was accepted: a contract exists.
    #[sea_orm(string_value = "hired")]
    Hired,
    #[sea_orm(string_value = "on_the_way")]
    OnTheWay,
    #[sea_orm(string_value = "in_progress")]
    InProgress,
    /// The craftsman says the work is done; the client approves or disputes.
    #[sea_orm(string_value = "work_submitted")]
    WorkSubmitted,
    #[sea_orm(string_value = "completed")]
    Completed,
    #[sea_orm(string_value = "cancelled")]
    Cancelled,
    /// Frozen by an open dispute.
    #[sea_orm(string_value = "disputed")]
    Disputed,
}

impl JobStatus {
    /// Every status, in lifecycle order.
    pub const ALL: [JobStatus; 9] = [
        JobStatus::Posted,
        JobStatus::Quoted,
        JobStatus::Hired,
        JobStatus::OnTheWay,
        JobStatus::InProgress,
        JobStatus::WorkSubmitted,
        JobStatus::Completed,
        JobStatus::Cancelled,
        JobStatus::Disputed,
    ];

    /// The snake_case word stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            JobStatus::Posted => "posted",
            JobStatus::Quoted => "quoted",
            JobStatus::Hired => "hired",
            JobStatus::OnTheWay => "on_the_way",
            JobStatus::InProgress => "in_progress",
            JobStatus::WorkSubmitted => "work_submitted",
            JobStatus::Completed => "completed",
            JobStatus::Cancelled => "cancelled",
            JobStatus::Disputed => "disputed",
        }
    }

    /// Parses snake_case or the seeds' spellings ("On The Way", "InProgress",
    /// "Canceled", "Accepted"), case- and space-insensitively.
    pub fn parse(word: &str) -> Option<JobStatus> {
        let key: String = word
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        Some(match key.as_str() {
            "posted" | "open" => JobStatus::Posted,
            "quoted" => JobStatus::Quoted,
            "hired" | "accepted" => JobStatus::Hired,
            "ontheway" => JobStatus::OnTheWay,
            "inprogress" | "started" => JobStatus::InProgress,
            "worksubmitted" | "submitted" => JobStatus::WorkSubmitted,
            "completed" | "complete" | "done" => JobStatus::Completed,
            "cancelled" | "canceled" => JobStatus::Cancelled,
            "disputed" => JobStatus::Disputed,
            _ => return None,
        })
    }

    /// Open for quotes.
    pub fn is_open(self) -> bool {
        matches!(self, JobStatus::Posted | JobStatus::Quoted)
    }

    /// Hired and not finished.
    pub fn is_active(self) -> bool {
        matches!(
            self,
            JobStatus::Hired
                | JobStatus::OnTheWay
                | JobStatus::InProgress
                | JobStatus::WorkSubmitted
        )
    }
}

/// Where a contract stands: active until its job completes or is cancelled.
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
pub enum ContractStatus {
    /// Hired and not finished.
    #[sea_orm(string_value = "active")]
    Active,
    #[sea_orm(string_value = "completed")]
    Completed,
    #[sea_orm(string_value = "cancelled")]
    Cancelled,
}

impl ContractStatus {
    /// Every status, in lifecycle order.
    pub const ALL: [ContractStatus; 3] = [
        ContractStatus::Active,
        ContractStatus::Completed,
        ContractStatus::Cancelled,
    ];

    /// The word stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            ContractStatus::Active => "active",
            ContractStatus::Completed => "completed",
            ContractStatus::Cancelled => "cancelled",
        }
    }
}

/// Where a contract's escrow stands.
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
pub enum EscrowStatus {
    /// Nothing in it yet.
    #[sea_orm(string_value = "unfunded")]
    Unfunded,
    /// The price is held.
    #[sea_orm(string_value = "held")]
    Held,
    /// Held, and locked by an open dispute.
    #[sea_orm(string_value = "frozen")]
    Frozen,
    /// Paid out to the craftsman.
    #[sea_orm(string_value = "released")]
    Released,
    /// Returned (wholly or partly) to the client; nothing left.
    #[sea_orm(string_value = "refunded")]
    Refunded,
    /// A cash contract: no escrow.
    #[sea_orm(string_value = "none")]
    None,
}

impl EscrowStatus {
    /// Every status, in lifecycle order.
    pub const ALL: [EscrowStatus; 6] = [
        EscrowStatus::Unfunded,
        EscrowStatus::Held,
        EscrowStatus::Frozen,
        EscrowStatus::Released,
        EscrowStatus::Refunded,
        EscrowStatus::None,
    ];

    /// The word stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            EscrowStatus::Unfunded => "unfunded",
            EscrowStatus::Held => "held",
            EscrowStatus::Frozen => "frozen",
            EscrowStatus::Released => "released",
            EscrowStatus::Refunded => "refunded",
            EscrowStatus::None => "none",
        }
    }

    /// The status of a new contract of this payment type.
    pub fn initial(payment_type: &str) -> Self {
        if payment_type == "cash" {
            EscrowStatus::None
        } else {
            EscrowStatus::Unfunded
        }
    }

    /// Whether money sits in the escrow.
    pub fn holds_money(self) -> bool {
        matches!(self, EscrowStatus::Held | EscrowStatus::Frozen)
    }
}

/// Where a gateway payment stands: pending until the gateway's signed word
/// settles it, once.
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
pub enum PaymentStatus {
    /// Started; the gateway's signed word decides it.
    #[sea_orm(string_value = "pending")]
    Pending,
    /// Paid: the ledger credited it.
    #[sea_orm(string_value = "succeeded")]
    Succeeded,
    /// Declined, cancelled or expired at the gateway; nothing moved.
    #[sea_orm(string_value = "failed")]
    Failed,
}

impl PaymentStatus {
    /// Every status, in lifecycle order.
    pub const ALL: [PaymentStatus; 3] = [
        PaymentStatus::Pending,
        PaymentStatus::Succeeded,
        PaymentStatus::Failed,
    ];

    /// The word stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            PaymentStatus::Pending => "pending",
            PaymentStatus::Succeeded => "succeeded",
            PaymentStatus::Failed => "failed",
        }
    }
}

/// Where a craftsman's identity verification stands.
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
pub enum VerificationStatus {
    /// Nothing submitted (every account starts here).
    #[sea_orm(string_value = "unverified")]
    Unverified,
    /// Documents submitted, waiting for staff.
    #[sea_orm(string_value = "pending")]
    Pending,
    #[sea_orm(string_value = "verified")]
    Verified,
    #[sea_orm(string_value = "rejected")]
    Rejected,
}

impl VerificationStatus {
    /// The word stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            VerificationStatus::Unverified => "unverified",
            VerificationStatus::Pending => "pending",
            VerificationStatus::Verified => "verified",
            VerificationStatus::Rejected => "rejected",
        }
    }
}

/// What a conversation is about: one contract (its two parties, opened at
/// hire) or two members talking directly.
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
pub enum ConversationKind {
    #[sea_orm(string_value = "contract")]
    Contract,
    #[sea_orm(string_value = "direct")]
    Direct,
}

/// Where one participant of a conversation stands: taking part, or
/// blocking the others (who can then no longer send there).
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
pub enum MembershipStatus {
    #[sea_orm(string_value = "active")]
    Active,
    /// This participant blocked the conversation's other side.
    #[sea_orm(string_value = "blocking")]
    Blocking,
}

impl MembershipStatus {
    /// Every status, in lifecycle order.
    pub const ALL: [MembershipStatus; 2] = [MembershipStatus::Active, MembershipStatus::Blocking];

    /// The word stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            MembershipStatus::Active => "active",
            MembershipStatus::Blocking => "blocking",
        }
    }
}

/// Where a review stands: blind until both sides have written or the
/// window closes, then public; staff may hide a revealed one (it leaves
/// the rating) and restore it.
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
pub enum ReviewStatus {
    /// Written, hidden from the reviewee and the public.
    #[sea_orm(string_value = "pending")]
    Pending,
    /// Public, counted in the reviewee's rating.
    #[sea_orm(string_value = "revealed")]
    Revealed,
    /// Taken down by staff; not counted.
    #[sea_orm(string_value = "hidden")]
    Hidden,
}

impl ReviewStatus {
    /// Every status, in lifecycle order.
    pub const ALL: [ReviewStatus; 3] = [
        ReviewStatus::Pending,
        ReviewStatus::Revealed,
        ReviewStatus::Hidden,
    ];

    /// The word stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewStatus::Pending => "pending",
            ReviewStatus::Revealed => "revealed",
            ReviewStatus::Hidden => "hidden",
        }
    }
}

/// Where a dispute stands: filed (the other party has until its response
/// deadline), waiting on a party staff asked, under staff review, and
/// ended by a decision (staff's or the parties' settlement) or withdrawn.
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
pub enum DisputeStatus {
    #[sea_orm(string_value = "open")]
    Open,
    #[sea_orm(string_value = "awaiting_response")]
    AwaitingResponse,
    #[sea_orm(string_value = "under_review")]
    UnderReview,
    #[sea_orm(string_value = "resolved")]
    Resolved,
    #[sea_orm(string_value = "withdrawn")]
    Withdrawn,
}

impl DisputeStatus {
    /// Every status, in lifecycle order.
    pub const ALL: [DisputeStatus; 5] = [
        DisputeStatus::Open,
        DisputeStatus::AwaitingResponse,
        DisputeStatus::UnderReview,
        DisputeStatus::Resolved,
        DisputeStatus::Withdrawn,
    ];

    /// The word stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            DisputeStatus::Open => "open",
            DisputeStatus::AwaitingResponse => "awaiting_response",
            DisputeStatus::UnderReview => "under_review",
            DisputeStatus::Resolved => "resolved",
            DisputeStatus::Withdrawn => "withdrawn",
        }
    }

    /// The word as a status, if it is one.
    pub fn parse(word: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == word)
    }

    /// Still running (not resolved or withdrawn).
    pub fn is_live(self) -> bool {
        !matches!(self, DisputeStatus::Resolved | DisputeStatus::Withdrawn)
    }
}

/// Whether an offering can be booked: `active`, or `archived` (taken down
/// by its provider after bookings, or by staff; kept for those bookings).
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
pub enum OfferingStatus {
    #[sea_orm(string_value = "active")]
    Active,
    #[sea_orm(string_value = "archived")]
    Archived,
}

/// Where a booking stands. Every status that is not final holds the
/// provider's time (the database refuses two such bookings overlapping):
/// holding only ever ends, so no move can make two bookings clash. Once
/// accepted, the booking follows its contract's job (`in_progress`,
/// `work_submitted`, `completed`, `cancelled`, `disputed`).
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
pub enum BookingStatus {
    /// Asked for; the provider has not answered yet.
    #[sea_orm(string_value = "pending")]
    Pending,
    /// Accepted (or booked instantly): a contract exists.
    #[sea_orm(string_value = "accepted")]
    Accepted,
    #[sea_orm(string_value = "declined")]
    Declined,
    /// Nobody answered it in time.
    #[sea_orm(string_value = "expired")]
    Expired,
    #[sea_orm(string_value = "in_progress")]
    InProgress,
    /// The provider says the work is done; the client confirms (or it is
    /// approved automatically).
    #[sea_orm(string_value = "work_submitted")]
    WorkSubmitted,
    #[sea_orm(string_value = "completed")]
    Completed,
    #[sea_orm(string_value = "cancelled")]
    Cancelled,
    /// The client did not show up (marked by the provider after the start).
    #[sea_orm(string_value = "no_show")]
    NoShow,
    /// Frozen by an open dispute on its contract.
    #[sea_orm(string_value = "disputed")]
    Disputed,
}

impl BookingStatus {
    /// Every status, in lifecycle order.
    pub const ALL: [BookingStatus; 10] = [
        BookingStatus::Pending,
        BookingStatus::Accepted,
        BookingStatus::Declined,
        BookingStatus::Expired,
        BookingStatus::InProgress,
        BookingStatus::WorkSubmitted,
        BookingStatus::Completed,
        BookingStatus::Cancelled,
        BookingStatus::NoShow,
        BookingStatus::Disputed,
    ];

    /// The statuses that hold the provider's time (SQL list, for the
    /// overlap constraint and the slot queries).
    pub const HOLDING_SQL: &'static str =
        "'pending', 'accepted', 'in_progress', 'work_submitted', 'disputed'";

    /// The snake_case word stored and sent.
    pub fn as_str(self) -> &'static str {
        match self {
            BookingStatus::Pending => "pending",
            BookingStatus::Accepted => "accepted",
            BookingStatus::Declined => "declined",
            BookingStatus::Expired => "expired",
            BookingStatus::InProgress => "in_progress",
            BookingStatus::WorkSubmitted => "work_submitted",
            BookingStatus::Completed => "completed",
            BookingStatus::Cancelled => "cancelled",
            BookingStatus::NoShow => "no_show",
            BookingStatus::Disputed => "disputed",
        }
    }

    /// Parses a stored or sent word.
    pub fn parse(word: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == word)
    }

    /// Whether a booking in this status holds the provider's time.
    pub fn holds_time(self) -> bool {
        matches!(
            self,
            BookingStatus::Pending
                | BookingStatus::Accepted
                | BookingStatus::InProgress
                | BookingStatus::WorkSubmitted
                | BookingStatus::Disputed
        )
    }

    /// The status a booked job's move carries its booking to (`None`: the
    /// job statuses a booked job never takes).
    pub fn following(job: JobStatus) -> Option<Self> {
        match job {
            JobStatus::Posted | JobStatus::Quoted => None,
            JobStatus::Hired => Some(BookingStatus::Accepted),
            JobStatus::OnTheWay | JobStatus::InProgress => Some(BookingStatus::InProgress),
            JobStatus::WorkSubmitted => Some(BookingStatus::WorkSubmitted),
            JobStatus::Completed => Some(BookingStatus::Completed),
            JobStatus::Cancelled => Some(BookingStatus::Cancelled),
            JobStatus::Disputed => Some(BookingStatus::Disputed),
        }
    }
}

/// Where a micro-task stands: `open` takes submissions; `closed` (deleted
/// by its buyer or staff) and `expired` (its completion date passed) take
/// none, their pending submissions still decided.
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
pub enum TaskStatus {
    #[sea_orm(string_value = "open")]
    Open,
    #[sea_orm(string_value = "closed")]
    Closed,
    #[sea_orm(string_value = "expired")]
    Expired,
}

impl TaskStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            TaskStatus::Open => "open",
            TaskStatus::Closed => "closed",
            TaskStatus::Expired => "expired",
        }
    }
}

/// Where a worker's submission to a micro-task stands.
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
pub enum SubmissionStatus {
    /// Waiting for the buyer (approved automatically after the delay).
    #[sea_orm(string_value = "pending")]
    Pending,
    /// Paid.
    #[sea_orm(string_value = "approved")]
    Approved,
    /// Rejected with a reason; may be appealed once within 7 days.
    #[sea_orm(string_value = "rejected")]
    Rejected,
    /// Appealed; the buyer (or staff) decides.
    #[sea_orm(string_value = "appealed")]
    Appealed,
    /// The appeal was turned down: final.
    #[sea_orm(string_value = "appeal_denied")]
    AppealDenied,
}

impl SubmissionStatus {
    pub const ALL: [SubmissionStatus; 5] = [
        SubmissionStatus::Pending,
        SubmissionStatus::Approved,
        SubmissionStatus::Rejected,
        SubmissionStatus::Appealed,
        SubmissionStatus::AppealDenied,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SubmissionStatus::Pending => "pending",
            SubmissionStatus::Approved => "approved",
            SubmissionStatus::Rejected => "rejected",
            SubmissionStatus::Appealed => "appealed",
            SubmissionStatus::AppealDenied => "appeal_denied",
        }
    }

    pub fn parse(word: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == word)
    }
}

/// Where one channel send of a notification stands.
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
pub enum DeliveryStatus {
    /// Waiting to be sent (or for a retry).
    #[sea_orm(string_value = "pending")]
    Pending,
    #[sea_orm(string_value = "sent")]
    Sent,
    /// Nothing to send any more (device gone, read before the digest, …).
    #[sea_orm(string_value = "skipped")]
    Skipped,
    /// Gave up: the dead-letter list.
    #[sea_orm(string_value = "dead")]
    Dead,
}

impl DeliveryStatus {
    pub const ALL: [DeliveryStatus; 4] = [
        DeliveryStatus::Pending,
        DeliveryStatus::Sent,
        DeliveryStatus::Skipped,
        DeliveryStatus::Dead,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Pending => "pending",
            DeliveryStatus::Sent => "sent",
            DeliveryStatus::Skipped => "skipped",
            DeliveryStatus::Dead => "dead",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// Where one event owed to a webhook endpoint stands.
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
pub enum WebhookDeliveryStatus {
    /// Waiting for its turn or a retry.
    #[sea_orm(string_value = "pending")]
    Pending,
    #[sea_orm(string_value = "succeeded")]
    Succeeded,
    /// Every retry failed (or the event left the feed).
    #[sea_orm(string_value = "dead")]
    Dead,
}

impl WebhookDeliveryStatus {
    pub const ALL: [WebhookDeliveryStatus; 3] = [
        WebhookDeliveryStatus::Pending,
        WebhookDeliveryStatus::Succeeded,
        WebhookDeliveryStatus::Dead,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            WebhookDeliveryStatus::Pending => "pending",
            WebhookDeliveryStatus::Succeeded => "succeeded",
            WebhookDeliveryStatus::Dead => "dead",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// Which engine answered an AI call.
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
pub enum AiEngine {
    /// The offline engine, by choice (no LLM configured, or a feature it owns).
    #[sea_orm(string_value = "builtin")]
    Builtin,
    /// The configured LLM answered.
    #[sea_orm(string_value = "llm")]
    Llm,
    /// The LLM failed (timeout, refusal, malformed reply) and the offline engine answered.
    #[sea_orm(string_value = "fallback")]
    Fallback,
}

impl AiEngine {
    pub const ALL: [AiEngine; 3] = [AiEngine::Builtin, AiEngine::Llm, AiEngine::Fallback];

    pub fn as_str(self) -> &'static str {
        match self {
            AiEngine::Builtin => "builtin",
            AiEngine::Llm => "llm",
            AiEngine::Fallback => "fallback",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// Which AI feature a logged call used.
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
pub enum AiFeature {
    #[sea_orm(string_value = "recommend")]
    Recommend,
    #[sea_orm(string_value = "chat")]
    Chat,
    #[sea_orm(string_value = "action")]
    Action,
    #[sea_orm(string_value = "generate")]
    Generate,
    #[sea_orm(string_value = "find_jobs")]
    FindJobs,
    #[sea_orm(string_value = "price_suggest")]
    PriceSuggest,
    #[sea_orm(string_value = "sentiment")]
    Sentiment,
    #[sea_orm(string_value = "skill_development")]
    SkillDevelopment,
}

impl AiFeature {
    pub const ALL: [AiFeature; 8] = [
        AiFeature::Recommend,
        AiFeature::Chat,
        AiFeature::Action,
        AiFeature::Generate,
        AiFeature::FindJobs,
        AiFeature::PriceSuggest,
        AiFeature::Sentiment,
        AiFeature::SkillDevelopment,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AiFeature::Recommend => "recommend",
            AiFeature::Chat => "chat",
            AiFeature::Action => "action",
            AiFeature::Generate => "generate",
            AiFeature::FindJobs => "find_jobs",
            AiFeature::PriceSuggest => "price_suggest",
            AiFeature::Sentiment => "sentiment",
            AiFeature::SkillDevelopment => "skill_development",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}
