//! Google OAuth 2.0 for service accounts: a self-signed RS256 JWT exchanged at `token_uri`
//! for an access token, cached until a minute before it expires.

use std::time::{Duration, Instant};

use jsonwebtoken::{Algorithm, Header};
use serde::{Deserialize, Serialize};
use tokio::sync::Mutex;

use super::PushOutcome;
use super::credentials::ServiceAccount;
use super::outcome::{retry_after, transport_outcome};

/// The only scope FCM HTTP v1 needs.
pub(super) const FCM_SCOPE: &str = "https://www.googleapis.com/auth/firebase.messaging";
/// The grant type of the JWT-bearer flow (RFC 7523).
pub(super) const JWT_BEARER: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";
/// How long the signed assertion is valid; Google's maximum.
const ASSERTION_LIFETIME_SECS: i64 = 3600;
/// Refresh this long before the access token expires.
const REFRESH_MARGIN: Duration = Duration::from_secs(60);

#[derive(Serialize)]
struct Claims<'a> {
    iss: &'a str,
    scope: &'a str,
    aud: &'a str,
    iat: i64,
    exp: i64,
}

#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    expires_in: Option<u64>,
}

#[derive(Deserialize, Default)]
struct OAuthError {
    error: Option<String>,
    error_description: Option<String>,
}

struct CachedToken {
    value: String,
    refresh_at: Instant,
}

/// Hands out access tokens; one exchange at a time, shared by every send.
pub(super) struct TokenSource {
    cache: Mutex<Option<CachedToken>>,
}

impl TokenSource {
    pub fn new() -> Self {
        Self {
            cache: Mutex::new(None),
        }
    }

    /// A valid access token, from the cache or a fresh exchange. `Err` is the outcome to
    /// report for the push (retry on 5xx/network, failed when Google refuses).
    pub async fn access_token(
        &self,
        http: &reqwest::Client,
        account: &ServiceAccount,
    ) -> Result<String, PushOutcome> {
        let mut cache = self.cache.lock().await;
        if let Some(token) = cache.as_ref().filter(|t| Instant::now() < t.refresh_at) {
            return Ok(token.value.clone());
        }
        let (value, lifetime) = exchange(http, account).await?;
        let refresh_at = Instant::now() + lifetime.saturating_sub(REFRESH_MARGIN);
        *cache = Some(CachedToken {
            value: value.clone(),
            refresh_at,
        });
        Ok(value)
    }

    /// Forgets `token` (the send endpoint answered 401 to it), unless another send has
    /// already replaced it.
    pub async fn invalidate(&self, token: &str) {
        let mut cache = self.cache.lock().await;
        if cache.as_ref().is_some_and(|cached| cached.value == token) {
            *cache = None;
        }
    }
}

/// Signs the assertion for `account` at time `now` (seconds since the epoch).
pub(super) fn assertion(account: &ServiceAccount, now: i64) -> Result<String, PushOutcome> {
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some(account.private_key_id.clone());
    let claims = Claims {
        iss: &account.client_email,
        scope: FCM_SCOPE,
        aud: &account.token_uri,
        iat: now,
        exp: now + ASSERTION_LIFETIME_SECS,
    };
    jsonwebtoken::encode(&header, &claims, &account.key).map_err(|err| PushOutcome::Failed {
        reason: format!("cannot sign the OAuth assertion: {:?}", err.kind()),
    })
}

async fn exchange(
    http: &reqwest::Client,
    account: &ServiceAccount,
) -> Result<(String, Duration), PushOutcome> {
    let jwt = assertion(account, chrono::Utc::now().timestamp())?;
    let response = http
        .post(&account.token_uri)
        .form(&[("grant_type", JWT_BEARER), ("assertion", jwt.as_str())])
        .send()
        .await
        .map_err(|err| transport_outcome("OAuth token request", &err))?;
    let status = response.status();
    let after = retry_after(response.headers());
    let bytes = response
        .bytes()
        .await
        .map_err(|err| transport_outcome("OAuth token response", &err))?;
    if status.is_success() {
        let token: TokenResponse =
            serde_json::from_slice(&bytes).map_err(|_| PushOutcome::Retry {
                after: None,
                reason: "OAuth token endpoint answered 200 without an access token".to_owned(),
            })?;
        let lifetime = Duration::from_secs(token.expires_in.unwrap_or(3600));
        return Ok((token.access_token, lifetime));
    }
    let error: OAuthError = serde_json::from_slice(&bytes).unwrap_or_default();
    let reason = format!(
        "OAuth token endpoint answered {}: {} {}",
        status.as_u16(),
        error.error.unwrap_or_default(),
        error.error_description.unwrap_or_default()
    )
    .trim_end()
    .to_owned();
    if status.is_server_error() || status == reqwest::StatusCode::TOO_MANY_REQUESTS {
        Err(PushOutcome::Retry { after, reason })
    } else {
        Err(PushOutcome::Failed { reason })
    }
}
