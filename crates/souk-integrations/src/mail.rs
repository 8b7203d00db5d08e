//! Outgoing e-mail: the [`Mailer`] trait and its SMTP and file-based implementations.

use async_trait::async_trait;

mod file;
mod message;
mod smtp;
#[cfg(any(test, feature = "test-smtp"))]
pub mod test_smtp;

pub use file::FileMailer;
pub use smtp::SmtpMailer;

/// One e-mail to send: a single recipient, a subject, a plain-text body, an optional HTML body
/// and optional extra headers.
#[derive(Debug, Clone)]
pub struct OutgoingMail {
    /// Recipient address, e.g. `alice@example.com` or `Alice <alice@example.com>`.
    pub to: String,
    /// Subject line.
    pub subject: String,
    /// Plain-text body; always sent.
    pub text_body: String,
    /// Optional HTML body; when set the message is sent as `multipart/alternative`.
    pub html_body: Option<String>,
    /// Extra headers as `(name, value)`, e.g. `List-Unsubscribe` and `List-Unsubscribe-Post`
    /// (RFC 8058). Names must be plain ASCII tokens and may not replace the headers the mailer
    /// sets itself (`From`, `To`, `Subject`, `Content-Type`, …); CR and LF are removed from
    /// values.
    pub headers: Vec<(String, String)>,
}

/// Something that can deliver an [`OutgoingMail`].
#[async_trait]
pub trait Mailer: Send + Sync {
    /// Delivers (or, for development mailers, records) one message.
    async fn send(&self, mail: &OutgoingMail) -> anyhow::Result<()>;
}
