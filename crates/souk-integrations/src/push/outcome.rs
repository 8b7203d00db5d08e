//! FCM HTTP v1 answers mapped to a [`PushOutcome`], following Google's error-code table
//! (<https://firebase.google.com/docs/reference/fcm/rest/v1/ErrorCode>), and `Retry-After`.

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, RETRY_AFTER};
use serde_json::Value;

use super::PushOutcome;

/// What Google's error envelope (`{"error":{code,message,status,details}}`) says.
#[derive(Debug, Default)]
pub(super) struct GoogleError {
    /// `error.status` followed by every `details[].errorCode`.
    pub codes: Vec<String>,
    pub message: String,
    /// Every `details[].fieldViolations[].field`.
    pub fields: Vec<String>,
}

impl GoogleError {
    pub fn parse(body: &[u8]) -> Self {
        let Ok(value) = serde_json::from_slice::<Value>(body) else {
            return Self::default();
        };
        let error = value.get("error").unwrap_or(&Value::Null);
        let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_owned);
        let details = error
            .get("details")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let codes = text(error.get("status"))
            .into_iter()
            .chain(details.iter().filter_map(|d| text(d.get("errorCode"))))
            .collect();
        let fields = details
            .iter()
            .filter_map(|d| d.get("fieldViolations").and_then(Value::as_array))
            .flatten()
            .filter_map(|violation| text(violation.get("field")))
            .collect();
        Self {
            codes,
            message: text(error.get("message")).unwrap_or_default(),
            fields,
        }
    }

    fn has(&self, code: &str) -> bool {
        self.codes.iter().any(|c| c == code)
    }

    /// Whether the error is about the registration token (`message.token`).
    fn names_token(&self) -> bool {
        self.message.to_ascii_lowercase().contains("token")
            || self
                .fields
                .iter()
                .any(|f| f.to_ascii_lowercase().contains("token"))
    }
}

/// The outcome of a non-2xx, non-401 answer from `messages:send`.
pub(super) fn classify(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> PushOutcome {
    let error = GoogleError::parse(body);
    let reason = describe(status, &error);
    if status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error() {
        return PushOutcome::Retry {
            after: retry_after(headers),
            reason,
        };
    }
    let gone = match status {
        StatusCode::NOT_FOUND => error.has("UNREGISTERED"),
        StatusCode::BAD_REQUEST => {
            error.has("UNREGISTERED") || (error.has("INVALID_ARGUMENT") && error.names_token())
        }
        StatusCode::FORBIDDEN => error.has("SENDER_ID_MISMATCH"),
        _ => false,
    };
    if gone {
        PushOutcome::TokenGone { reason }
    } else {
        PushOutcome::Failed { reason }
    }
}

/// `FCM 404 UNREGISTERED: Requested entity was not found.`
fn describe(status: StatusCode, error: &GoogleError) -> String {
    let code = error
        .codes
        .iter()
        .rev()
        .find(|c| !c.is_empty())
        .map(String::as_str)
        .unwrap_or_else(|| status.canonical_reason().unwrap_or("error"));
    let mut reason = format!("FCM {} {code}", status.as_u16());
    if !error.message.is_empty() {
        reason.push_str(": ");
        reason.extend(error.message.chars().take(300));
    }
    reason
}

/// A request that never got an answer: always worth retrying.
pub(super) fn transport_outcome(context: &str, err: &reqwest::Error) -> PushOutcome {
    let what = if err.is_timeout() {
        "timed out".to_owned()
    } else if err.is_connect() {
        "could not connect".to_owned()
    } else {
        err.to_string()
    };
    PushOutcome::Retry {
        after: None,
        reason: format!("{context} failed: {what}"),
    }
}

/// `Retry-After` as delay-seconds or an HTTP date (RFC 9110 §10.2.3); a past date is zero.
pub(super) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    parse_retry_after(value, chrono::Utc::now())
}

pub(super) fn parse_retry_after(
    value: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Option<Duration> {
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let wait = at.signed_duration_since(now);
    Some(wait.to_std().unwrap_or(Duration::ZERO))
}
