//! Fawry's Pay-at-Fawry API: a charge request returns a reference number the
//! customer pays in cash at an outlet; Fawry then calls back (server
//! notification V2). Every signature is plain SHA-256 (lowercase hex) over
//! fields concatenated with the secure key last; amounts with two decimals.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::GatewayError;

/// The payment method of reference-code payments.
pub const PAY_AT_FAWRY: &str = "PAYATFAWRY";

/// A merchant's Fawry access.
#[derive(Clone)]
pub struct FawryClient {
    http: reqwest::Client,
    pub merchant_code: String,
    secure_key: String,
    api_base: String,
}

impl std::fmt::Debug for FawryClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FawryClient")
            .field("merchant_code", &self.merchant_code)
            .field("api_base", &self.api_base)
            .finish_non_exhaustive()
    }
}

/// Minor units as Fawry's two-decimal amount ("20.50").
pub fn two_decimals(minor: i64) -> String {
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

fn sha256_hex(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

/// `signature` of a charge request.
pub fn charge_signature(
    merchant_code: &str,
    merchant_ref: &str,
    customer_profile_id: &str,
    payment_method: &str,
    amount: &str,
    secure_key: &str,
) -> String {
    sha256_hex(&format!(
        "{merchant_code}{merchant_ref}{customer_profile_id}{payment_method}{amount}{secure_key}"
    ))
}

/// A server notification V2 (the fields the signature covers, and status).
#[derive(Debug, Clone, Serialize, Deserialize, Default)]
#[serde(rename_all = "camelCase")]
pub struct Notification {
    #[serde(default)]
    pub request_id: Option<String>,
    #[serde(default, deserialize_with = "text_or_number")]
    pub fawry_ref_number: String,
    #[serde(default)]
    pub merchant_ref_number: String,
    #[serde(default, deserialize_with = "amount_text")]
    pub payment_amount: String,
    #[serde(default, deserialize_with = "amount_text")]
    pub order_amount: String,
    #[serde(default)]
    pub order_status: String,
    #[serde(default)]
    pub payment_method: String,
    /// Spelled so by Fawry.
    #[serde(
        default,
        rename = "paymentRefrenceNumber",
        deserialize_with = "text_or_number"
    )]
    pub payment_reference_number: String,
    #[serde(default)]
    pub failure_reason: Option<String>,
    #[serde(default)]
    pub message_signature: String,
}

fn text_or_number<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let value = Option::<serde_json::Value>::deserialize(d)?;
    Ok(match value {
        Some(serde_json::Value::String(s)) => s,
        Some(serde_json::Value::Number(n)) => n.to_string(),
        _ => String::new(),
    })
}

/// An amount (number or text) as two decimals; kept raw when not a number.
fn amount_text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let value = Option::<serde_json::Value>::deserialize(d)?;
    let number = match &value {
        Some(serde_json::Value::Number(n)) => n.as_f64(),
        Some(serde_json::Value::String(s)) => s.trim().parse::<f64>().ok(),
        _ => None,
    };
    Ok(match number {
        Some(n) => format!("{n:.2}"),
        None => match value {
            Some(serde_json::Value::String(s)) => s,
            _ => String::new(),
        },
    })
}

impl Notification {
    /// The signature Fawry computes over this notification.
    pub fn expected_signature(&self, secure_key: &str) -> String {
        sha256_hex(&format!(
            "{}{}{}{}{}{}{}{secure_key}",
            self.fawry_ref_number,
            self.merchant_ref_number,
            self.payment_amount,
            self.order_amount,
            self.order_status,
            self.payment_method,
            self.payment_reference_number,
        ))
    }

    /// The order amount in minor units, when it is a well-formed number.
    pub fn order_amount_minor(&self) -> Option<i64> {
        let (units, cents) = self.order_amount.split_once('.')?;
        Some(units.parse::<i64>().ok()? * 100 + cents.parse::<i64>().ok()?)
    }
}

/// A reference-code charge.
#[derive(Debug, Clone)]
pub struct ChargeRequest {
    /// Our payment id.
    pub merchant_ref: String,
    pub customer_profile_id: String,
    pub customer_mobile: String,
    pub customer_email: String,
    pub amount: i64,
    pub currency: String,
    pub description: String,
    /// Milliseconds since the epoch.
    pub expiry_ms: i64,
    pub webhook_url: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ChargeResponse {
    #[serde(default, deserialize_with = "text_or_number")]
    reference_number: String,
    #[serde(default)]
    status_code: i64,
    #[serde(default)]
    status_description: Option<String>,
}

impl FawryClient {
    pub fn new(
        merchant_code: impl Into<String>,
        secure_key: impl Into<String>,
        api_base: impl Into<String>,
    ) -> Self {
        Self {
            http: super::http_client(),
            merchant_code: merchant_code.into(),
            secure_key: secure_key.into(),
            api_base: api_base.into().trim_end_matches('/').to_owned(),
        }
    }

    /// Whether a notification carries Fawry's signature (constant time).
    pub fn notification_is_genuine(&self, notification: &Notification) -> bool {
        let expected = notification.expected_signature(&self.secure_key);
        let given = notification.message_signature.to_ascii_lowercase();
        expected.len() == given.len()
            && expected
                .bytes()
                .zip(given.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0
    }

    /// Creates a reference number for the customer to pay at an outlet.
    pub async fn charge(&self, request: &ChargeRequest) -> Result<String, GatewayError> {
        let amount = two_decimals(request.amount);
        let signature = charge_signature(
            &self.merchant_code,
            &request.merchant_ref,
            &request.customer_profile_id,
            PAY_AT_FAWRY,
            &amount,
            &self.secure_key,
        );
        let body = serde_json::json!({
            "merchantCode": self.merchant_code,
            "merchantRefNum": request.merchant_ref,
            "customerProfileId": request.customer_profile_id,
            "customerMobile": request.customer_mobile,
            "customerEmail": request.customer_email,
            "paymentMethod": PAY_AT_FAWRY,
            "amount": amount.parse::<f64>().unwrap_or_default(),
            "currencyCode": request.currency,
            "description": request.description,
            "paymentExpiry": request.expiry_ms,
            "chargeItems": [{
                "itemId": request.merchant_ref,
                "description": request.description,
                "price": amount.parse::<f64>().unwrap_or_default(),
                "quantity": 1,
            }],
            "orderWebHookUrl": request.webhook_url,
            "signature": signature,
        });
        let response = self
            .http
            .post(format!(
                "{}/ECommerceWeb/Fawry/payments/charge",
                self.api_base
            ))
            .json(&body)
            .send()
            .await?;
        if !response.status().is_success() {
            return Err(GatewayError::Transport(format!(
                "HTTP {}",
                response.status()
            )));
        }
        // Fawry answers refusals with HTTP 200 too: the body's code decides.
        let answer: ChargeResponse = response.json().await?;
        if answer.status_code != 200 || answer.reference_number.is_empty() {
            return Err(GatewayError::Refused(format!(
                "{} {}",
                answer.status_code,
                answer.status_description.unwrap_or_default()
            )));
        }
        Ok(answer.reference_number)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn charge_signature_matches_the_published_vector() {
        let signature = charge_signature(
            "merchant_code",
            "io5jxf3jp27kfh8m719arcqgw7izo7db",
            "ocvsydvbu2gcp528wvl64i9z5srdalg5",
            PAY_AT_FAWRY,
            &two_decimals(2050),
            "fawry_secure_key",
        );
        assert_eq!(
            signature,
            "68a1ff1e7189137f1b3c98784399b3adc49bd644d159593a8ed2fc70a810bd7b"
        );
    }

    #[test]
    fn notification_signature_covers_the_documented_fields() {
        let paid: Notification = serde_json::from_value(serde_json::json!({
            "requestId": "c72827d084ea4b88949d91dd2db4996e",
            "fawryRefNumber": "970177",
            "merchantRefNumber": "9708f1cea8b5426cb57922df51b7f790",
            "paymentAmount": 152.00,
            "orderAmount": 150.00,
            "fawryFees": 2.00,
            "orderStatus": "PAID",
            "paymentMethod": "PAYATFAWRY",
            "paymentRefrenceNumber": "24480",
        }))
        .unwrap();
        assert_eq!(
            paid.expected_signature("fawry_secure_key"),
            "5e53ff2f27e54635a469102ed06d63bd87dc86102b60b412991a830fcafb142f"
        );
        assert_eq!(paid.order_amount_minor(), Some(15_000));
        let new: Notification = serde_json::from_value(serde_json::json!({
            "fawryRefNumber": "970177",
            "merchantRefNumber": "9708f1cea8b5426cb57922df51b7f790",
            "paymentAmount": "152",
            "orderAmount": 150,
            "orderStatus": "NEW",
            "paymentMethod": "PAYATFAWRY",
        }))
        .unwrap();
        assert_eq!(
            new.expected_signature("fawry_secure_key"),
            "b8a6a2c80a4af71d531df07177a83cad18e0f7570bfd7351f5f56388d0bfe4e8"
        );
    }

    #[test]
    fn amounts_have_two_decimals() {
        assert_eq!(two_decimals(2050), "20.50");
        assert_eq!(two_decimals(5), "0.05");
        assert_eq!(two_decimals(100_000), "1000.00");
    }
}
