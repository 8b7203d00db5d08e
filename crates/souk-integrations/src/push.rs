//! Push notifications: the [`Pusher`] trait, [`FcmPusher`] (Firebase Cloud Messaging HTTP v1)
//! and [`LogPusher`] for when no push service is configured.

use std::collections::BTreeMap;
use std::time::Duration;

use async_trait::async_trait;

mod credentials;
mod fcm;
mod oauth;
mod outcome;
mod payload;
#[cfg(any(test, feature = "test-fcm"))]
pub mod test_fcm;
#[cfg(test)]
mod tests;

pub use fcm::FcmPusher;

/// One push to one device.
#[derive(Debug, Clone)]
pub struct PushMessage {
    /// The device's FCM registration token.
    pub token: String,
    /// Notification title.
    pub title: String,
    /// Notification text; shortened (with "…") when the message would exceed FCM's 4 KB.
    pub body: String,
    /// Data for the app. `kind` is kept even when other entries must go to fit 4 KB.
    pub data: BTreeMap<String, String>,
}

/// What happened to one push.
#[derive(Debug, Clone, PartialEq)]
pub enum PushOutcome {
    /// Accepted; `name` is FCM's message name (`projects/…/messages/…`).
    Sent { name: String },
    /// The token is dead (unregistered, invalid, or from another project): delete the device.
    TokenGone { reason: String },
    /// A passing failure (429, 5xx, network, timeout): try again, not before `after` if given.
    Retry {
        after: Option<Duration>,
        reason: String,
    },
    /// Anything else: dead-letter it.
    Failed { reason: String },
}

/// Something that can deliver a [`PushMessage`].
#[async_trait]
pub trait Pusher: Send + Sync {
    /// Delivers one message; never panics, every failure is an outcome.
    async fn send(&self, message: &PushMessage) -> PushOutcome;
    /// Whether pushes really leave the machine (false for [`LogPusher`]).
    fn enabled(&self) -> bool;
}

/// The development pusher: logs each message and reports it sent.
#[derive(Debug, Clone, Copy, Default)]
pub struct LogPusher;

#[async_trait]
impl Pusher for LogPusher {
    async fn send(&self, message: &PushMessage) -> PushOutcome {
        tracing::info!(
            token = %token_hint(&message.token),
            title = %message.title,
            body = %message.body,
            data = ?message.data,
            "push not sent (no FCM credentials configured)"
        );
        PushOutcome::Sent {
            name: "logged".to_owned(),
        }
    }

    fn enabled(&self) -> bool {
        false
    }
}

/// The first characters of a device token, enough to tell devices apart in logs.
fn token_hint(token: &str) -> String {
    let mut hint: String = token.chars().take(8).collect();
    if token.chars().nth(8).is_some() {
        hint.push('…');
    }
    hint
}
