//! The sandbox gateway (the default): checkout happens on this server; the
//! payer (or a test) completes or fails it, and the outcome arrives as a
//! webhook signed exactly like the real gateways', through the same code.

use async_trait::async_trait;
use hmac::{Hmac, Mac};
use serde::Deserialize;
use sha2::Sha256;
use souk_db::entities::{payments, withdrawals};
use uuid::Uuid;

use super::gateway::{
    Checkout, GatewayEvent, Headers, Outcome, Payer, PaymentGateway, PaymentRef,
    timestamped_signature, verify_timestamped,
};
use crate::{
    Settings,
    error::{ErrorCode, Result},
    money::Gateway,
};

/// The header the sandbox signs with.
pub const SIGNATURE_HEADER: &str = "souk-signature";

pub struct SandboxGateway {
    secret: Vec<u8>,
    public_url: String,
}

/// A sandbox webhook body.
#[derive(Debug, Deserialize, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SandboxEvent {
    pub id: String,
    /// payment.succeeded | payment.failed
    #[serde(rename = "type")]
    pub kind: String,
    pub payment_id: Uuid,
    pub amount: i64,
    #[serde(default)]
    pub reason: Option<String>,
}

impl SandboxGateway {
    pub fn new(settings: &Settings) -> Self {
        // Its own key, derived from the server secret.
        #[allow(clippy::expect_used)]
        let mut mac = Hmac::<Sha256>::new_from_slice(&settings.jwt_secret).expect("any key length");
        mac.update(b"souk sandbox gateway webhooks");
        Self {
            secret: mac.finalize().into_bytes().to_vec(),
            public_url: settings.public_url.clone(),
        }
    }

    /// Signs a body the way the webhook expects: `t=<unix>,v1=<hex>`.
    pub fn sign(&self, body: &[u8], now: i64) -> String {
        format!(
            "t={now},v1={}",
            timestamped_signature(&self.secret, now, body)
        )
    }
}

#[async_trait]
impl PaymentGateway for SandboxGateway {
    fn gateway(&self) -> Gateway {
        Gateway::Sandbox
    }

    async fn start(
        &self,
        payment: &payments::Model,
        _payer: &Payer,
        _description: &str,
    ) -> Result<Checkout> {
        Ok(Checkout {
            external_id: Some(format!("sbx_{}", payment.id.simple())),
            checkout_url: Some(format!(
                "{}/api/payments/sandbox/{}",
                self.public_url, payment.id
            )),
            reference_code: None,
        })
    }

    fn verify(&self, headers: &Headers, body: &[u8], now: i64) -> Result<GatewayEvent> {
        verify_timestamped(headers.get(SIGNATURE_HEADER), &self.secret, body, now)?;
        let event: SandboxEvent =
            serde_json::from_slice(body).map_err(|_| ErrorCode::InvalidJson)?;
        let outcome = match event.kind.as_str() {
            "payment.succeeded" => Outcome::Succeeded {
                amount: Some(event.amount),
            },
            "payment.failed" => Outcome::Failed {
                reason: event.reason.unwrap_or_else(|| "declined".into()),
            },
            _ => Outcome::Ignored,
        };
        Ok(GatewayEvent {
            event_id: event.id,
            payment: Some(PaymentRef::Id(event.payment_id)),
            outcome,
            charge_reference: None,
        })
    }

    async fn payout(&self, withdrawal: &withdrawals::Model) -> Result<String> {
        Ok(format!("sbx_payout_{}", withdrawal.id.simple()))
    }

    async fn refund(&self, payment: &payments::Model, _amount: i64, key: &str) -> Result<String> {
        Ok(format!("sbx_refund_{}_{key}", payment.id.simple()))
    }
}
