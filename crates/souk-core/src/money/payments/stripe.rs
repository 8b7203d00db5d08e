//! Stripe: Checkout Sessions to collect, `Stripe-Signature` webhooks (Stripe's
//! documented scheme, five-minute tolerance) to confirm, Connect transfers to
//! pay withdrawals out.

use async_trait::async_trait;
use serde::Deserialize;
use souk_db::entities::{payments, withdrawals};
use souk_integrations::payments::stripe::{CheckoutRequest, StripeClient};
use uuid::Uuid;

use super::gateway::{
    Checkout, GatewayEvent, Headers, Outcome, Payer, PaymentGateway, PaymentRef, gateway_failed,
    verify_timestamped,
};
use crate::{
    Settings,
    error::{ErrorCode, Result},
    money::{Gateway, amount},
    settings::StripeSettings,
};

pub const SIGNATURE_HEADER: &str = "stripe-signature";

pub struct StripeGateway {
    client: StripeClient,
    webhook_secret: String,
    public_url: String,
}

#[derive(Debug, Deserialize)]
struct Event {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    data: EventData,
}

#[derive(Debug, Deserialize)]
struct EventData {
    object: Session,
}

#[derive(Debug, Deserialize, Default)]
#[serde(default)]
struct Session {
    id: String,
    client_reference_id: Option<String>,
    metadata: std::collections::BTreeMap<String, String>,
    payment_status: Option<String>,
    amount_total: Option<i64>,
    payment_intent: Option<String>,
}

impl StripeGateway {
    pub fn new(stripe: &StripeSettings, settings: &Settings) -> Self {
        Self {
            client: StripeClient::new(&stripe.secret_key, &stripe.api_base),
            webhook_secret: stripe.webhook_secret.clone(),
            public_url: settings.public_url.clone(),
        }
    }
}

#[async_trait]
impl PaymentGateway for StripeGateway {
    fn gateway(&self) -> Gateway {
        Gateway::Stripe
    }

    async fn start(
        &self,
        payment: &payments::Model,
        _payer: &Payer,
        description: &str,
    ) -> Result<Checkout> {
        let session = self
            .client
            .create_checkout_session(&CheckoutRequest {
                amount: payment.amount,
                currency: payment.currency.clone(),
                description: description.to_owned(),
                reference: payment.id.to_string(),
                success_url: format!("{}/payments/{}?result=success", self.public_url, payment.id),
                cancel_url: format!("{}/payments/{}?result=cancel", self.public_url, payment.id),
            })
            .await
            .map_err(gateway_failed)?;
        Ok(Checkout {
            external_id: Some(session.id),
            checkout_url: session.url,
            reference_code: None,
        })
    }

    fn verify(&self, headers: &Headers, body: &[u8], now: i64) -> Result<GatewayEvent> {
        verify_timestamped(
            headers.get(SIGNATURE_HEADER),
            self.webhook_secret.as_bytes(),
            body,
            now,
        )?;
        let event: Event = serde_json::from_slice(body).map_err(|_| ErrorCode::InvalidJson)?;
        let session = event.data.object;
        let outcome = match event.kind.as_str() {
            "checkout.session.completed" if session.payment_status.as_deref() == Some("paid") => {
                Outcome::Succeeded {
                    amount: session.amount_total,
                }
            }
            "checkout.session.async_payment_succeeded" => Outcome::Succeeded {
                amount: session.amount_total,
            },
            "checkout.session.async_payment_failed" => Outcome::Failed {
                reason: "payment failed".into(),
            },
            "checkout.session.expired" => Outcome::Failed {
                reason: "checkout expired".into(),
            },
            _ => Outcome::Ignored,
        };
        let ours = session
            .metadata
            .get("payment_id")
            .or(session.client_reference_id.as_ref())
            .and_then(|id| Uuid::parse_str(id).ok());
        let payment = match ours {
            Some(id) => Some(PaymentRef::Id(id)),
            None if !session.id.is_empty() => Some(PaymentRef::External(session.id)),
            None => None,
        };
        Ok(GatewayEvent {
            event_id: event.id,
            payment,
            outcome,
            charge_reference: session.payment_intent,
        })
    }

    async fn refund(&self, payment: &payments::Model, amount: i64, key: &str) -> Result<String> {
        let Some(intent) = payment.charge_reference.as_deref() else {
            return Err(gateway_failed("no PaymentIntent recorded for this payment"));
        };
        self.client
            .refund(intent, amount, &format!("refund-{}-{key}", payment.id))
            .await
            .map_err(gateway_failed)
    }

    async fn payout(&self, withdrawal: &withdrawals::Model) -> Result<String> {
        self.client
            .transfer(
                amount::sub(withdrawal.amount, withdrawal.fee)?,
                &withdrawal.currency,
                &withdrawal.destination,
                &withdrawal.id.to_string(),
            )
            .await
            .map_err(gateway_failed)
    }
}
