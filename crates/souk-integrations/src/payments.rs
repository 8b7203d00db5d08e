//! Payment gateways' HTTP APIs, spoken directly: Stripe (Checkout Sessions,
//! refunds, Connect transfers) and Fawry (Pay-at-Fawry reference codes).
//! Signatures are checked by the caller; these clients only talk.

pub mod fawry;
pub mod stripe;

/// Why a gateway call failed.
#[derive(Debug, thiserror::Error)]
pub enum GatewayError {
    /// The gateway could not be reached or answered garbage.
    #[error("gateway unreachable: {0}")]
    Transport(String),
    /// The gateway refused the request.
    #[error("gateway refused: {0}")]
    Refused(String),
}

impl From<reqwest::Error> for GatewayError {
    fn from(err: reqwest::Error) -> Self {
        GatewayError::Transport(err.to_string())
    }
}

/// One HTTP client for every gateway, with sane timeouts.
pub fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(20))
        .connect_timeout(std::time::Duration::from_secs(5))
        .build()
        .unwrap_or_default()
}
