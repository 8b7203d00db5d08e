//! Turns an [`OutgoingMail`] into a lettre [`Message`], shared by every mailer.

use anyhow::{Context as _, bail};
use lettre::Message;
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};

use super::OutgoingMail;

/// Headers the message builder sets itself; extra headers may not replace them.
const RESERVED_HEADERS: &[&str] = &[
    "bcc",
    "cc",
    "content-disposition",
    "content-id",
    "content-transfer-encoding",
    "content-type",
    "date",
    "from",
    "in-reply-to",
    "message-id",
    "mime-version",
    "references",
    "reply-to",
    "sender",
    "subject",
    "to",
];

/// Parses a sender address given in configuration.
pub(crate) fn parse_from(from: &str) -> anyhow::Result<Mailbox> {
    from.parse::<Mailbox>()
        .context("invalid mail sender (from) address")
}

/// Builds the RFC 5322 message: plain text, or `multipart/alternative` when HTML is present,
/// with the mail's extra headers.
pub(crate) fn build_message(from: &Mailbox, mail: &OutgoingMail) -> anyhow::Result<Message> {
    let to = mail
        .to
        .parse::<Mailbox>()
        .context("invalid mail recipient address")?;
    // Header values must stay on one line.
    let subject = mail.subject.replace(['\r', '\n'], " ");
    let mut builder = Message::builder()
        .from(from.clone())
        .to(to)
        .subject(subject)
        .date_now();
    for (name, value) in &mail.headers {
        builder = builder.raw_header(extra_header(name, value)?);
    }
    let message = match &mail.html_body {
        Some(html) => builder.multipart(MultiPart::alternative_plain_html(
            mail.text_body.clone(),
            html.clone(),
        )),
        None => builder
            .header(ContentType::TEXT_PLAIN)
            .body(mail.text_body.clone()),
    };
    message.context("could not build mail message")
}

/// One extra header: the name must be an RFC 7230 token and not one the builder owns; CR and
/// LF are removed from the value so it cannot start another header.
fn extra_header(name: &str, value: &str) -> anyhow::Result<HeaderValue> {
    let is_token = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
    if !is_token {
        bail!("invalid mail header name {name:?}");
    }
    if RESERVED_HEADERS.contains(&name.to_ascii_lowercase().as_str()) {
        bail!("mail header {name:?} is set by the mailer and cannot be overridden");
    }
    let header_name = HeaderName::new_from_ascii(name.to_owned())
        .map_err(|_| anyhow::anyhow!("invalid mail header name {name:?}"))?;
    let value: String = value
        .chars()
        .filter(|c| !matches!(c, '\r' | '\n'))
        .collect();
    Ok(HeaderValue::new(header_name, value.trim().to_owned()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn mail(headers: &[(&str, &str)]) -> OutgoingMail {
        OutgoingMail {
            to: "dana@example.com".into(),
            subject: "Hello".into(),
            text_body: "Hi".into(),
            html_body: None,
            headers: headers
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                .collect(),
        }
    }

    fn formatted(mail: &OutgoingMail) -> anyhow::Result<String> {
        let from = parse_from("noreply@souk.test")?;
        let message = build_message(&from, mail)?;
        Ok(String::from_utf8_lossy(&message.formatted()).into_owned())
    }

    #[test]
    fn adds_extra_headers() {
        let text = formatted(&mail(&[
            ("List-Unsubscribe", "<https://souk.test/u/abc>"),
            ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"),
        ]))
        .unwrap();
        assert!(text.contains("List-Unsubscribe: <https://souk.test/u/abc>\r\n"));
        assert!(text.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"));
    }

    #[test]
    fn strips_line_breaks_from_values() {
        let text = formatted(&mail(&[("X-Note", "a\r\nBcc: evil@example.com")])).unwrap();
        assert!(text.contains("X-Note: aBcc: evil@example.com\r\n"));
        assert!(!text.contains("\r\nBcc:"));
    }

    #[test]
    fn rejects_bad_or_reserved_names() {
        for name in [
            "",
            "X Note",
            "X:Note",
            "X-Nöte",
            "X\r\nBcc",
            "Subject",
            "content-type",
        ] {
            assert!(formatted(&mail(&[(name, "v")])).is_err(), "{name:?}");
        }
    }
}
