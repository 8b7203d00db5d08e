//! [`FcmPusher`]: Firebase Cloud Messaging HTTP v1 (`projects.messages.send`) with a
//! service account's OAuth token, refreshed once when FCM answers 401.

use std::time::Duration;

use anyhow::{Context as _, anyhow, ensure};
use async_trait::async_trait;
use reqwest::StatusCode;
use reqwest::header::CONTENT_TYPE;

use super::credentials::ServiceAccount;
use super::oauth::TokenSource;
use super::outcome::{classify, transport_outcome};
use super::{PushMessage, PushOutcome, Pusher, payload};

/// Where FCM lives unless `FCM_API_BASE` says otherwise.
const DEFAULT_API_BASE: &str = "https://fcm.googleapis.com";
/// Per request (token exchange or send), connection included.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// Sends pushes through FCM HTTP v1 as one Firebase project's service account.
pub struct FcmPusher {
    http: reqwest::Client,
    account: ServiceAccount,
    send_url: String,
    tokens: TokenSource,
}

impl std::fmt::Debug for FcmPusher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FcmPusher")
            .field("project_id", &self.account.project_id)
            .field("client_email", &self.account.client_email)
            .field("send_url", &self.send_url)
            .finish_non_exhaustive()
    }
}

#[derive(serde::Deserialize)]
struct Sent {
    name: Option<String>,
}

impl FcmPusher {
    /// `credentials`: a path to a Firebase service-account JSON file, or the JSON itself
    /// (starts with `{`). `api_base`: `FCM_API_BASE`, default `https://fcm.googleapis.com`.
    pub fn from_credentials(credentials: &str, api_base: Option<&str>) -> anyhow::Result<Self> {
        let account = ServiceAccount::load(credentials)?;
        ensure!(
            account
                .project_id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | ':' | '_')),
            "FCM credentials: project_id has unexpected characters"
        );
        let base = api_base
            .map(str::trim)
            .filter(|b| !b.is_empty())
            .unwrap_or(DEFAULT_API_BASE)
            .trim_end_matches('/');
        url::Url::parse(base).map_err(|_| anyhow!("FCM_API_BASE is not a URL: {base}"))?;
        let send_url = format!("{base}/v1/projects/{}/messages:send", account.project_id);
        let http = reqwest::Client::builder()
            .timeout(REQUEST_TIMEOUT)
            .connect_timeout(REQUEST_TIMEOUT)
            .build()
            .context("cannot build the HTTP client for FCM")?;
        Ok(Self {
            http,
            account,
            send_url,
            tokens: TokenSource::new(),
        })
    }

    /// The Firebase project the service account belongs to.
    pub fn project_id(&self) -> &str {
        &self.account.project_id
    }
}

#[async_trait]
impl Pusher for FcmPusher {
    async fn send(&self, message: &PushMessage) -> PushOutcome {
        let Some(body) = payload::request_body(message) else {
            return PushOutcome::Failed {
                reason: "push cannot fit FCM's 4096 bytes even with the text shortened".to_owned(),
            };
        };
        let mut refreshed = false;
        loop {
            let token = match self.tokens.access_token(&self.http, &self.account).await {
                Ok(token) => token,
                Err(outcome) => return outcome,
            };
            let response = match self
                .http
                .post(&self.send_url)
                .bearer_auth(&token)
                .header(CONTENT_TYPE, "application/json")
                .body(body.clone())
                .send()
                .await
            {
                Ok(response) => response,
                Err(err) => return transport_outcome("FCM send", &err),
            };
            let status = response.status();
            if status == StatusCode::UNAUTHORIZED && !refreshed {
                // Revoked or expired early: forget it and try once with a fresh token.
                self.tokens.invalidate(&token).await;
                refreshed = true;
                continue;
            }
            let headers = response.headers().clone();
            let bytes = match response.bytes().await {
                Ok(bytes) => bytes,
                Err(err) => return transport_outcome("FCM response", &err),
            };
            if status.is_success() {
                let name = serde_json::from_slice::<Sent>(&bytes)
                    .ok()
                    .and_then(|sent| sent.name)
                    .unwrap_or_default();
                return PushOutcome::Sent { name };
            }
            return classify(status, &headers, &bytes);
        }
    }

    fn enabled(&self) -> bool {
        true
    }
}
