//! Fawry: a reference code the client pays in cash at an outlet (how
//! cash-protected jobs fund their escrow), confirmed by Fawry's signed server
//! notification (V2).

use async_trait::async_trait;
use souk_db::entities::{payments, withdrawals};
use souk_integrations::payments::fawry::{ChargeRequest, FawryClient, Notification};
use uuid::Uuid;

use super::gateway::{
    Checkout, GatewayEvent, Headers, Outcome, Payer, PaymentGateway, PaymentRef, gateway_failed,
};
use crate::{
    Settings,
    error::{Error, ErrorCode, Result},
    money::Gateway,
    settings::FawrySettings,
    time,
};

/// How long a reference code stays payable.
const EXPIRY_HOURS: i64 = 48;

pub struct FawryGateway {
    client: FawryClient,
    public_url: String,
}

impl FawryGateway {
    pub fn new(fawry: &FawrySettings, settings: &Settings) -> Self {
        Self {
            client: FawryClient::new(&fawry.merchant_code, &fawry.secure_key, &fawry.api_base),
            public_url: settings.public_url.clone(),
        }
    }
}

#[async_trait]
impl PaymentGateway for FawryGateway {
    fn gateway(&self) -> Gateway {
        Gateway::Fawry
    }

    async fn start(
        &self,
        payment: &payments::Model,
        payer: &Payer,
        description: &str,
    ) -> Result<Checkout> {
        let expiry = time::later(time::now(), chrono::Duration::hours(EXPIRY_HOURS));
        let reference = self
            .client
            .charge(&ChargeRequest {
                merchant_ref: payment.id.simple().to_string(),
                customer_profile_id: payer.id.simple().to_string(),
                customer_mobile: payer.phone.clone().unwrap_or_default(),
                customer_email: payer.email.clone(),
                amount: payment.amount,
                currency: payment.currency.clone(),
                description: description.to_owned(),
                expiry_ms: expiry.timestamp_millis(),
                webhook_url: format!("{}/api/payments/webhook/fawry", self.public_url),
            })
            .await
            .map_err(gateway_failed)?;
        Ok(Checkout {
            external_id: Some(reference.clone()),
            checkout_url: None,
            reference_code: Some(reference),
        })
    }

    fn verify(&self, _headers: &Headers, body: &[u8], _now: i64) -> Result<GatewayEvent> {
        let notification: Notification =
            serde_json::from_slice(body).map_err(|_| ErrorCode::InvalidJson)?;
        if !self.client.notification_is_genuine(&notification) {
            return Err(Error::code(ErrorCode::InvalidSignature));
        }
        let outcome = match notification.order_status.to_ascii_uppercase().as_str() {
            "PAID" => Outcome::Succeeded {
                amount: notification.order_amount_minor(),
            },
            "EXPIRED" | "CANCELED" | "CANCELLED" | "FAILED" => Outcome::Failed {
                reason: notification
                    .failure_reason
                    .clone()
                    .unwrap_or_else(|| notification.order_status.to_lowercase()),
            },
            _ => Outcome::Ignored,
        };
        let payment = match Uuid::parse_str(&notification.merchant_ref_number) {
            Ok(id) => Some(PaymentRef::Id(id)),
            Err(_) if !notification.fawry_ref_number.is_empty() => {
                Some(PaymentRef::External(notification.fawry_ref_number.clone()))
            }
            Err(_) => None,
        };
        // One notification per status change of a reference.
        let event_id = format!(
            "{}:{}",
            notification.fawry_ref_number,
            notification.order_status.to_ascii_uppercase()
        );
        Ok(GatewayEvent {
            event_id,
            payment,
            outcome,
            charge_reference: None,
        })
    }

    async fn refund(&self, _payment: &payments::Model, _amount: i64, _key: &str) -> Result<String> {
        // Cash paid at an outlet comes back through the wallet (a withdrawal).
        Err(Error::with_details(
            ErrorCode::GatewayNotConfigured,
            serde_json::json!({ "gateway": "fawry", "operation": "refund" }),
        ))
    }

    async fn payout(&self, _withdrawal: &withdrawals::Model) -> Result<String> {
        Err(Error::with_details(
            ErrorCode::GatewayNotConfigured,
            serde_json::json!({ "gateway": "fawry", "operation": "payout" }),
        ))
    }
}
