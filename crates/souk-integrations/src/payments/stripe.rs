//! Stripe over its HTTP API (form-encoded, `Authorization: Bearer sk_…`,
//! `Idempotency-Key` on every write). `api_base` points at Stripe or at a
//! local server that speaks its protocol (tests).

use serde::Deserialize;

use super::GatewayError;

/// A Stripe account's API access.
#[derive(Clone)]
pub struct StripeClient {
    http: reqwest::Client,
    secret_key: String,
    api_base: String,
}

impl std::fmt::Debug for StripeClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StripeClient")
            .field("api_base", &self.api_base)
            .finish_non_exhaustive()
    }
}

/// A Checkout Session to open for a one-off amount.
#[derive(Debug, Clone)]
pub struct CheckoutRequest {
    pub amount: i64,
    /// ISO code; sent lowercase.
    pub currency: String,
    pub description: String,
    /// Our payment id: `client_reference_id` and `metadata[payment_id]`.
    pub reference: String,
    pub success_url: String,
    pub cancel_url: String,
}

/// What Stripe created.
#[derive(Debug, Clone, Deserialize)]
pub struct CheckoutSession {
    pub id: String,
    pub url: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Created {
    id: String,
}

#[derive(Debug, Deserialize)]
struct ErrorBody {
    error: ErrorDetail,
}

#[derive(Debug, Deserialize)]
struct ErrorDetail {
    message: Option<String>,
    code: Option<String>,
}

impl StripeClient {
    pub fn new(secret_key: impl Into<String>, api_base: impl Into<String>) -> Self {
        Self {
            http: super::http_client(),
            secret_key: secret_key.into(),
            api_base: api_base.into().trim_end_matches('/').to_owned(),
        }
    }

    async fn post<T: for<'de> Deserialize<'de>>(
        &self,
        path: &str,
        form: &[(String, String)],
        idempotency_key: &str,
    ) -> Result<T, GatewayError> {
        let response = self
            .http
            .post(format!("{}{path}", self.api_base))
            .bearer_auth(&self.secret_key)
            .header("Idempotency-Key", idempotency_key)
            .form(form)
            .send()
            .await?;
        let status = response.status();
        let bytes = response.bytes().await?;
        if status.is_success() {
            serde_json::from_slice(&bytes).map_err(|e| GatewayError::Transport(e.to_string()))
        } else {
            let detail = serde_json::from_slice::<ErrorBody>(&bytes)
                .map(|b| {
                    format!(
                        "{} ({})",
                        b.error.message.unwrap_or_default(),
                        b.error.code.unwrap_or_default()
                    )
                })
                .unwrap_or_else(|_| format!("HTTP {status}"));
            Err(if status.is_server_error() {
                GatewayError::Transport(detail)
            } else {
                GatewayError::Refused(detail)
            })
        }
    }

    /// Opens a Checkout Session (mode=payment) for one line of `amount`.
    pub async fn create_checkout_session(
        &self,
        request: &CheckoutRequest,
    ) -> Result<CheckoutSession, GatewayError> {
        let form = vec![
            ("mode".to_owned(), "payment".to_owned()),
            (
                "line_items[0][price_data][currency]".to_owned(),
                request.currency.to_lowercase(),
            ),
            (
                "line_items[0][price_data][unit_amount]".to_owned(),
                request.amount.to_string(),
            ),
            (
                "line_items[0][price_data][product_data][name]".to_owned(),
                request.description.clone(),
            ),
            ("line_items[0][quantity]".to_owned(), "1".to_owned()),
            ("client_reference_id".to_owned(), request.reference.clone()),
            ("metadata[payment_id]".to_owned(), request.reference.clone()),
            (
                "payment_intent_data[metadata][payment_id]".to_owned(),
                request.reference.clone(),
            ),
            ("success_url".to_owned(), request.success_url.clone()),
            ("cancel_url".to_owned(), request.cancel_url.clone()),
        ];
        self.post(
            "/v1/checkout/sessions",
            &form,
            &format!("checkout-{}", request.reference),
        )
        .await
    }

    /// Refunds (part of) a PaymentIntent; returns the refund id.
    pub async fn refund(
        &self,
        payment_intent: &str,
        amount: i64,
        idempotency_key: &str,
    ) -> Result<String, GatewayError> {
        let form = vec![
            ("payment_intent".to_owned(), payment_intent.to_owned()),
            ("amount".to_owned(), amount.to_string()),
        ];
        let created: Created = self.post("/v1/refunds", &form, idempotency_key).await?;
        Ok(created.id)
    }

    /// Pays a connected account (Connect transfer); returns the transfer id.
    pub async fn transfer(
        &self,
        amount: i64,
        currency: &str,
        destination: &str,
        reference: &str,
    ) -> Result<String, GatewayError> {
        let form = vec![
            ("amount".to_owned(), amount.to_string()),
            ("currency".to_owned(), currency.to_lowercase()),
            ("destination".to_owned(), destination.to_owned()),
            ("metadata[withdrawal_id]".to_owned(), reference.to_owned()),
        ];
        let created: Created = self
            .post("/v1/transfers", &form, &format!("transfer-{reference}"))
            .await?;
        Ok(created.id)
    }
}
