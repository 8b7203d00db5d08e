//! Turns an [`OutgoingMail`] into a lettre [`Message`], shared by every mailer.

use anyhow::Context as _;
use lettre::Message;
use lettre::message::header::ContentType;
use lettre::message::{Mailbox, MultiPart};

use super::OutgoingMail;

/// Parses a sender address given in configuration.
pub(crate) fn parse_from(from: &str) -> anyhow::Result<Mailbox> {
    from.parse::<Mailbox>()
        .context("invalid mail sender (from) address")
}

/// Builds the RFC 5322 message: plain text, or `multipart/alternative` when HTML is present.
pub(crate) fn build_message(from: &Mailbox, mail: &OutgoingMail) -> anyhow::Result<Message> {
    let to = mail
        .to
        .parse::<Mailbox>()
        .context("invalid mail recipient address")?;
    // Header values must stay on one line.
    let subject = mail.subject.replace(['\r', '\n'], " ");
    let builder = Message::builder()
        .from(from.clone())
        .to(to)
        .subject(subject)
        .date_now();
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
