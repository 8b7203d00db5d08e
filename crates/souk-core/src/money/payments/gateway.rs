//! One trait for every payment gateway: start collecting a payment, read a
//! signed webhook (nothing reaches the ledger any other way), pay a
//! withdrawal out. The registry holds the configured ones.

use std::collections::BTreeMap;

use async_trait::async_trait;
use hmac::{Hmac, Mac};
use sha2::Sha256;
use souk_db::entities::{payments, withdrawals};
use souk_db::enums::PaymentStatus;
use subtle::ConstantTimeEq;
use uuid::Uuid;

use crate::{
    error::{Error, ErrorCode, Result},
    money::Gateway,
};

/// Request headers, names lowercased.
pub type Headers = BTreeMap<String, String>;

/// How the payer pays.
#[derive(Debug, Clone, Default)]
pub struct Checkout {
    pub external_id: Option<String>,
    pub checkout_url: Option<String>,
    pub reference_code: Option<String>,
}

/// Who pays, for gateways that want it (Fawry).
#[derive(Debug, Clone)]
pub struct Payer {
    pub id: Uuid,
    pub email: String,
    pub phone: Option<String>,
}

/// Which payment an event is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaymentRef {
    Id(Uuid),
    External(String),
}

/// What a gateway says happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Paid; the amount when the event states it.
    Succeeded {
        amount: Option<i64>,
    },
    Failed {
        reason: String,
    },
    /// An event we do not act on (still acknowledged).
    Ignored,
}

impl Outcome {
    /// Where the event moves a pending payment (an ignored event moves it
    /// nowhere: it stays pending).
    pub fn status(&self) -> PaymentStatus {
        match self {
            Outcome::Succeeded { .. } => PaymentStatus::Succeeded,
            Outcome::Failed { .. } => PaymentStatus::Failed,
            Outcome::Ignored => PaymentStatus::Pending,
        }
    }
}

/// A verified webhook.
#[derive(Debug, Clone)]
pub struct GatewayEvent {
    /// The gateway's event id: the same id is handled once.
    pub event_id: String,
    pub payment: Option<PaymentRef>,
    pub outcome: Outcome,
    /// What the gateway charged (Stripe's PaymentIntent), kept for refunds.
    pub charge_reference: Option<String>,
}

#[async_trait]
pub trait PaymentGateway: Send + Sync {
    fn gateway(&self) -> Gateway;

    /// Starts collecting `payment` (already stored, pending).
    async fn start(
        &self,
        payment: &payments::Model,
        payer: &Payer,
        description: &str,
    ) -> Result<Checkout>;

    /// Checks the signature and reads the event; `now` in Unix seconds.
    fn verify(&self, headers: &Headers, body: &[u8], now: i64) -> Result<GatewayEvent>;

    /// Pays a withdrawal out; returns the gateway's reference.
    async fn payout(&self, withdrawal: &withdrawals::Model) -> Result<String>;

    /// Sends `amount` of a settled payment back to where it came from;
    /// `key` makes a retried request refund once. Returns the gateway's reference.
    async fn refund(&self, payment: &payments::Model, amount: i64, key: &str) -> Result<String>;
}

/// Signature age limit (the gateways' libraries use five minutes).
pub const TOLERANCE_SECS: i64 = 300;

/// `hex(HMAC-SHA256(secret, "<t>.<body>"))`.
pub fn timestamped_signature(secret: &[u8], timestamp: i64, body: &[u8]) -> String {
    #[allow(clippy::expect_used)]
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("HMAC takes any key length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

/// Checks a `t=<unix>,v1=<hex>[,v1=…]` header (Stripe's scheme, which the
/// sandbox and Souk's own webhooks share): some `v1` must match, compared in
/// constant time, and the timestamp must be at most five minutes old.
pub fn verify_timestamped(
    header: Option<&String>,
    secret: &[u8],
    body: &[u8],
    now: i64,
) -> Result<()> {
    let refuse = || Error::code(ErrorCode::InvalidSignature);
    let header = header.ok_or_else(refuse)?;
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", value)) => timestamp = value.parse::<i64>().ok(),
            Some(("v1", value)) => signatures.push(value.to_owned()),
            _ => {}
        }
    }
    let timestamp = timestamp.ok_or_else(refuse)?;
    // The timestamp is the sender's: `abs_diff` cannot overflow on any i64.
    if signatures.is_empty() || now.abs_diff(timestamp) > TOLERANCE_SECS.unsigned_abs() {
        return Err(refuse());
    }
    let expected = timestamped_signature(secret, timestamp, body);
    let matches = signatures
        .iter()
        .any(|given| bool::from(given.as_bytes().ct_eq(expected.as_bytes())));
    if matches { Ok(()) } else { Err(refuse()) }
}

/// A gateway's refusal or outage as the API's 502.
pub fn gateway_failed(err: impl std::fmt::Display) -> Error {
    tracing::warn!(error = %err, "payment gateway call failed");
    Error::code(ErrorCode::GatewayFailed)
}
