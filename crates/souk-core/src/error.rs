//! The one error type of the domain: a stable code (with its HTTP status and
//! localized message), optional details, or an internal failure that is
//! logged and never shown.

use std::collections::BTreeMap;

use serde_json::Value;

/// Result with the domain error.
pub type Result<T, E = Error> = std::result::Result<T, E>;

macro_rules! error_codes {
    ($($variant:ident => ($code:literal, $status:literal)),* $(,)?) => {
        /// Stable, machine-readable error codes (the `code` of the error body).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ErrorCode { $($variant),* }

        impl ErrorCode {
            /// The snake_case code sent to clients.
            pub fn as_str(self) -> &'static str {
                match self { $(ErrorCode::$variant => $code),* }
            }
            /// The HTTP status this code answers with.
            pub fn status(self) -> u16 {
                match self { $(ErrorCode::$variant => $status),* }
            }
            /// Every code, for catalog completeness tests.
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant),*];
        }
    };
}

error_codes! {
    ValidationFailed => ("validation_failed", 400),
    InvalidJson => ("invalid_json", 400),
    UnsupportedMediaType => ("unsupported_media_type", 415),
    InvalidResetToken => ("invalid_reset_token", 400),
    InvalidOtp => ("invalid_otp", 400),
    InvalidVerificationToken => ("invalid_verification_token", 400),
    UnsupportedImage => ("unsupported_image", 400),
    MissingFile => ("missing_file", 400),
    Unauthorized => ("unauthorized", 401),
    InvalidToken => ("invalid_token", 401),
    TokenExpired => ("token_expired", 401),
    SessionRevoked => ("session_revoked", 401),
    InvalidCredentials => ("invalid_credentials", 401),
    InvalidRefreshToken => ("invalid_refresh_token", 401),
    RefreshTokenReused => ("refresh_token_reused", 401),
    WrongPassword => ("wrong_password", 400),
    Forbidden => ("forbidden", 403),
    WrongLoginType => ("wrong_login_type", 403),
    AccountBanned => ("account_banned", 403),
    StaffOnly => ("staff_only", 403),
    AdminOnly => ("admin_only", 403),
    CannotTargetSelf => ("cannot_target_self", 403),
    NotFound => ("not_found", 404),
    UserNotFound => ("user_not_found", 404),
    InvalidId => ("invalid_id", 404),
    RouteNotFound => ("route_not_found", 404),
    MethodNotAllowed => ("method_not_allowed", 405),
    // Socket.IO acknowledgements (the status is what REST would answer).
    UnknownEvent => ("unknown_event", 404),
    InvalidPayload => ("invalid_payload", 400),
    RequestTimeout => ("request_timeout", 408),
    MalformedRequest => ("malformed_request", 400),
    UriTooLong => ("uri_too_long", 414),
    HeadersTooLarge => ("headers_too_large", 431),
    EmailTaken => ("email_taken", 409),
    PhoneTaken => ("phone_taken", 409),
    AlreadyBanned => ("already_banned", 409),
    NotBanned => ("not_banned", 409),
    Conflict => ("conflict", 409),
    ClientsOnly => ("clients_only", 403),
    CraftsmenOnly => ("craftsmen_only", 403),
    NotAParty => ("not_a_party", 403),
    JobNotFound => ("job_not_found", 404),
    QuoteNotFound => ("quote_not_found", 404),
    InvitationNotFound => ("invitation_not_found", 404),
    NotificationNotFound => ("notification_not_found", 404),
    InvalidTransition => ("invalid_transition", 409),
    JobNotOpen => ("job_not_open", 409),
    JobNotEditable => ("job_not_editable", 409),
    QuoteExists => ("quote_exists", 409),
    QuoteNotPending => ("quote_not_pending", 409),
    AlreadyInvited => ("already_invited", 409),
    InvitationWasRejected => ("invitation_was_rejected", 409),
    AlreadyResponded => ("already_responded", 409),
    PayloadTooLarge => ("payload_too_large", 413),
    TooManyAttempts => ("too_many_attempts", 429),
    RateLimited => ("rate_limited", 429),
    Internal => ("internal", 500),
    ServiceUnavailable => ("service_unavailable", 503),
    ServiceNotFound => ("service_not_found", 404),
    SlugTaken => ("slug_taken", 409),
    PortfolioFull => ("portfolio_full", 409),
    InsufficientFunds => ("insufficient_funds", 409),
    ContractNotFound => ("contract_not_found", 404),
    NoContract => ("no_contract", 409),
    EscrowNotFunded => ("escrow_not_funded", 409),
    EscrowNotFundable => ("escrow_not_fundable", 409),
    EscrowEmpty => ("escrow_empty", 409),
    PaymentNotFound => ("payment_not_found", 404),
    PaymentNotPending => ("payment_not_pending", 409),
    PackageNotFound => ("package_not_found", 404),
    WithdrawalNotFound => ("withdrawal_not_found", 404),
    WithdrawalNotPending => ("withdrawal_not_pending", 409),
    InvalidSignature => ("invalid_signature", 400),
    UnknownGateway => ("unknown_gateway", 404),
    GatewayNotConfigured => ("gateway_not_configured", 409),
    GatewayUnavailable => ("gateway_unavailable", 400),
    GatewayFailed => ("gateway_failed", 502),
    IdempotencyKeyReused => ("idempotency_key_reused", 409),
    IdempotencyInProgress => ("idempotency_in_progress", 409),
    FeeDebtLimit => ("fee_debt_limit", 409),
    NoFeesDue => ("no_fees_due", 409),
    CurrencyLocked => ("currency_locked", 409),
    TipNotAllowed => ("tip_not_allowed", 409),
    ConversationNotFound => ("conversation_not_found", 404),
    MessageNotFound => ("message_not_found", 404),
    AttachmentNotFound => ("attachment_not_found", 404),
    UnsupportedFile => ("unsupported_file", 400),
    Blocked => ("blocked", 403),
    DmNotAllowed => ("dm_not_allowed", 403),
    NotTheSender => ("not_the_sender", 403),
    EditWindowClosed => ("edit_window_closed", 409),
    MessageDeleted => ("message_deleted", 409),
    ReviewNotFound => ("review_not_found", 404),
    ContractNotCompleted => ("contract_not_completed", 409),
    ReviewWindowClosed => ("review_window_closed", 409),
    AlreadyReviewed => ("already_reviewed", 409),
    ReviewNotEditable => ("review_not_editable", 409),
    NotTheReviewee => ("not_the_reviewee", 403),
    AlreadyReplied => ("already_replied", 409),
    ReviewNotRevealed => ("review_not_revealed", 409),
    DisputeNotFound => ("dispute_not_found", 404),
    DisputeNotAllowed => ("dispute_not_allowed", 409),
    DisputeClosed => ("dispute_closed", 409),
    SplitOutOfRange => ("split_out_of_range", 400),
    NoProposal => ("no_proposal", 409),
    ProposalExpired => ("proposal_expired", 409),
    OwnProposal => ("own_proposal", 409),
    NotTheOpener => ("not_the_opener", 403),
    DisputeFileNotFound => ("dispute_file_not_found", 404),
    VerificationPending => ("verification_pending", 409),
    AlreadyVerified => ("already_verified", 409),
    ReportNotFound => ("report_not_found", 404),
    OfferingNotFound => ("offering_not_found", 404),
    OfferingUnavailable => ("offering_unavailable", 409),
    BookingNotFound => ("booking_not_found", 404),
    SlotTaken => ("slot_taken", 409),
    SlotUnavailable => ("slot_unavailable", 409),
    BookingNotStarted => ("booking_not_started", 409),
    NoReschedule => ("no_reschedule", 409),
    OwnReschedule => ("own_reschedule", 409),
    CannotBookOwn => ("cannot_book_own", 403),
    InvalidCalendarToken => ("invalid_calendar_token", 401),
    OutsideServiceArea => ("outside_service_area", 409),
    TaskNotFound => ("task_not_found", 404),
    TaskClosed => ("task_closed", 409),
    TaskFull => ("task_full", 409),
    OwnTask => ("own_task", 403),
    AlreadySubmitted => ("already_submitted", 409),
    SubmissionNotFound => ("submission_not_found", 404),
    AppealWindowClosed => ("appeal_window_closed", 409),
    AppealWithBuyer => ("appeal_with_buyer", 409),
    NotRateable => ("not_rateable", 409),
    AlreadyRated => ("already_rated", 409),
    DeviceNotFound => ("device_not_found", 404),
    DeliveryNotFound => ("delivery_not_found", 404),
    DeliveryNotDead => ("delivery_not_dead", 409),
    ApiKeyNotFound => ("api_key_not_found", 404),
    InsufficientScope => ("insufficient_scope", 403),
    WebhookNotFound => ("webhook_not_found", 404),
    InvalidUnsubscribeLink => ("invalid_unsubscribe_link", 400),
    ConfirmationNotFound => ("confirmation_not_found", 404),
    ConfirmationUsed => ("confirmation_used", 409),
    ConfirmationExpired => ("confirmation_expired", 410),
    AiConversationNotFound => ("ai_conversation_not_found", 404),
}

/// What is wrong with one input field; rendered in the request's language.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldIssue {
    Required,
    InvalidType(String),
    InvalidEmail,
    InvalidPhone,
    TooShort(usize),
    TooLong(usize),
    OneOf(Vec<&'static str>),
    ForbiddenRole,
    PasswordTooShort(usize),
    PasswordTooLong(usize),
    PasswordTooCommon,
    PasswordNeedsVariety,
    PasswordContainsEmail,
    NulByte,
    OutOfRange {
        min: f64,
        max: f64,
    },
    NotAllowed,
    Invalid,
    /// A schedule's rule broken (`unknown_time_zone`, `overlapping_intervals`, …).
    Schedule(&'static str),
}

impl FieldIssue {
    /// [`FieldIssue::OutOfRange`] for an integer range (the message carries
    /// floats because some ranges are fractional).
    pub fn out_of_range(min: i64, max: i64) -> Self {
        FieldIssue::OutOfRange {
            min: crate::num::approx_f64(min),
            max: crate::num::approx_f64(max),
        }
    }
}

/// Field-level validation failures, keyed by the field's (camelCase) path.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FieldErrors(pub BTreeMap<String, FieldIssue>);

impl FieldErrors {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records an issue (the first issue per field wins).
    pub fn add(&mut self, field: impl Into<String>, issue: FieldIssue) {
        self.0.entry(field.into()).or_insert(issue);
    }

    /// A set with a single issue.
    pub fn single(field: impl Into<String>, issue: FieldIssue) -> Self {
        let mut errors = Self::new();
        errors.add(field, issue);
        errors
    }

    /// True when nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(())` when empty, otherwise the validation error.
    pub fn into_result(self) -> Result<()> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(Error::Validation(self))
        }
    }
}

/// A domain failure.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad input, field by field.
    #[error("validation failed: {0:?}")]
    Validation(FieldErrors),
    /// A refusal with a stable code and optional structured details.
    #[error("{}", code.as_str())]
    Coded {
        code: ErrorCode,
        details: Option<Value>,
    },
    /// Anything unexpected; logged, answered with a bare 500.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl Error {
    /// A coded error without details.
    pub fn code(code: ErrorCode) -> Self {
        Error::Coded {
            code,
            details: None,
        }
    }

    /// A coded error with details.
    pub fn with_details(code: ErrorCode, details: Value) -> Self {
        Error::Coded {
            code,
            details: Some(details),
        }
    }

    /// The code this error answers with.
    pub fn error_code(&self) -> ErrorCode {
        match self {
            Error::Validation(_) => ErrorCode::ValidationFailed,
            Error::Coded { code, .. } => *code,
            Error::Internal(_) => ErrorCode::Internal,
        }
    }
}

impl From<sea_orm::DbErr> for Error {
    fn from(err: sea_orm::DbErr) -> Self {
        Error::Internal(anyhow::Error::new(err))
    }
}

impl From<ErrorCode> for Error {
    fn from(code: ErrorCode) -> Self {
        Error::code(code)
    }
}

/// True when a database error is a unique-constraint violation.
pub fn is_unique_violation(err: &sea_orm::DbErr) -> bool {
    matches!(
        err.sql_err(),
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
    )
}
