//! Settings the use-cases need, typed once at start by the binary (or by a test).

use std::{path::PathBuf, time::Duration};

/// Domain settings.
#[derive(Clone)]
pub struct Settings {
    /// Key for access tokens and OTP hashes. Never logged.
    pub jwt_secret: Vec<u8>,
    /// Lifetime of an access token (15 minutes).
    pub access_token_ttl: Duration,
    /// Lifetime of a refresh token; each rotation starts a new one.
    pub refresh_token_ttl: Duration,
    /// Lifetime of password-reset links and codes (30 minutes).
    pub reset_token_ttl: Duration,
    /// Lifetime of email-verification links.
    pub verify_token_ttl: Duration,
    /// Wrong OTP guesses allowed before the code is burnt.
    pub otp_max_attempts: i32,
    /// Base URL for links in mails and for public file URLs.
    pub public_url: String,
    /// The data directory (uploads, mail drop, secrets).
    pub data_dir: PathBuf,
    /// Platform commission in basis points when the category sets none (500 = 5%).
    pub commission_bps: i32,
    /// ISO currency of all amounts (minor units).
    pub currency: String,
    /// Stripe, when configured (`STRIPE_SECRET_KEY`, `STRIPE_WEBHOOK_SECRET`).
    pub stripe: Option<StripeSettings>,
    /// Fawry, when configured (`FAWRY_MERCHANT_CODE`, `FAWRY_SECURE_KEY`).
    pub fawry: Option<FawrySettings>,
    /// Whether the sandbox gateway (checkout played on this server) is on
    /// (`PAYMENTS_SANDBOX`; see [`Settings::sandbox_default`]).
    pub payments_sandbox: bool,
    /// The largest money amount the API accepts anywhere, in minor units
    /// (`MAX_AMOUNT`): prices, budgets, packages, top-ups, tips, fees,
    /// withdrawals and staff money settings.
    pub max_amount: i64,
    /// How many chat messages one user may send per window
    /// (`CHAT_MESSAGES_PER_WINDOW`, `CHAT_RATE_WINDOW_SECS`; 30 per 10 s).
    pub chat_send_rate: SendRate,
    /// The keys identity documents are sealed with (`SOUK_DATA_KEY`, older
    /// ones in `SOUK_DATA_KEYS_OLD`; unset: generated once under the data
    /// directory).
    pub data_keys: crate::sealed::DataKeys,
    /// Notification delivery, the event feed and webhooks.
    pub delivery: DeliverySettings,
}

/// How notifications, the event feed and webhooks are delivered.
#[derive(Debug, Clone)]
pub struct DeliverySettings {
    /// How long the event feed keeps events (`EVENT_RETENTION_DAYS`, 90).
    pub event_retention: Duration,
    /// How long a chat message stays unread before its email digest goes
    /// (`MESSAGE_DIGEST_MINUTES`, 15).
    pub message_digest_delay: Duration,
    /// Push tokens not seen for this long are dropped (270 days, FCM's
    /// guidance for stale tokens).
    pub device_ttl: Duration,
    /// Webhooks may POST over plain http to loopback addresses
    /// (`WEBHOOKS_ALLOW_LOOPBACK`; tests and local development only).
    pub webhooks_allow_loopback: bool,
}

impl Default for DeliverySettings {
    fn default() -> Self {
        Self {
            event_retention: Duration::from_secs(90 * 24 * 3600),
            message_digest_delay: Duration::from_secs(15 * 60),
            device_ttl: Duration::from_secs(270 * 24 * 3600),
            webhooks_allow_loopback: false,
        }
    }
}

/// A budget of messages per window of time (a burst of `messages`, refilled
/// evenly over `window`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SendRate {
    pub messages: u32,
    pub window: Duration,
}

impl Default for SendRate {
    fn default() -> Self {
        Self {
            messages: 30,
            window: Duration::from_secs(10),
        }
    }
}

/// Default [`Settings::max_amount`]: 1,000,000.00 in a two-decimal currency.
pub const DEFAULT_MAX_AMOUNT: i64 = 100_000_000;

/// Stripe access.
#[derive(Clone)]
pub struct StripeSettings {
    pub secret_key: String,
    pub webhook_secret: String,
    /// `https://api.stripe.com`, or a local server speaking Stripe's protocol.
    pub api_base: String,
}

/// Fawry access.
#[derive(Clone)]
pub struct FawrySettings {
    pub merchant_code: String,
    pub secure_key: String,
    pub api_base: String,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("jwt_secret", &"<redacted>")
            .field("access_token_ttl", &self.access_token_ttl)
            .field("refresh_token_ttl", &self.refresh_token_ttl)
            .field("public_url", &self.public_url)
            .field("data_dir", &self.data_dir)
            .field("stripe", &self.stripe.as_ref().map(|s| &s.api_base))
            .field("fawry", &self.fawry.as_ref().map(|f| &f.api_base))
            .field("payments_sandbox", &self.payments_sandbox)
            .field("max_amount", &self.max_amount)
            .field("chat_send_rate", &self.chat_send_rate)
            .finish_non_exhaustive()
    }
}

impl Settings {
    /// Defaults around a secret, a public URL and a data directory.
    pub fn new(jwt_secret: Vec<u8>, public_url: String, data_dir: PathBuf) -> Self {
        Self {
            jwt_secret,
            access_token_ttl: Duration::from_secs(15 * 60),
            refresh_token_ttl: Duration::from_secs(30 * 24 * 3600),
            reset_token_ttl: Duration::from_secs(30 * 60),
            verify_token_ttl: Duration::from_secs(48 * 3600),
            otp_max_attempts: 5,
            public_url: public_url.trim_end_matches('/').to_owned(),
            data_dir,
            commission_bps: 500,
            currency: "EGP".to_owned(),
            stripe: None,
            fawry: None,
            payments_sandbox: true,
            max_amount: DEFAULT_MAX_AMOUNT,
            chat_send_rate: SendRate::default(),
            data_keys: crate::sealed::DataKeys::single(crate::sealed::DataKey::generate()),
            delivery: DeliverySettings::default(),
        }
    }

    /// Whether the sandbox gateway is on when `PAYMENTS_SANDBOX` is `explicit`
    /// (unset: `None`): on by default only while no real gateway is
    /// configured, so that a server with Stripe or Fawry never lets a client
    /// credit their own wallet unless told to.
    pub fn sandbox_default(explicit: Option<bool>, real_gateway_configured: bool) -> bool {
        explicit.unwrap_or(!real_gateway_configured)
    }

    /// The public URL of a stored file key.
    pub fn file_url(&self, key: &str) -> String {
        format!("{}/uploads/{key}", self.public_url)
    }
}
