//! [`SmtpMailer`]: delivers mail through an SMTP server configured by a URL.

use std::fmt;
use std::time::Duration;

use anyhow::{Context as _, bail};
use async_trait::async_trait;
use lettre::message::Mailbox;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport as _, Tokio1Executor};
use url::Url;

use super::message::{build_message, parse_from};
use super::{Mailer, OutgoingMail};

/// How long a single SMTP command may take before the send fails.
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

/// How the connection to the SMTP server is secured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Security {
    /// Plain TCP, no TLS at all (local relays and test servers only).
    Plain,
    /// Plain connection upgraded with `STARTTLS`; fails if the server cannot upgrade.
    StartTls,
    /// TLS from the first byte (`smtps://`).
    ImplicitTls,
}

/// Sends mail through an SMTP server.
///
/// Built from a URL with [`SmtpMailer::from_url`]. The `Debug` output never contains credentials.
#[derive(Clone)]
pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    host: String,
    port: u16,
    security: Security,
}

impl fmt::Debug for SmtpMailer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpMailer")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("from", &self.from.to_string())
            .finish_non_exhaustive()
    }
}

impl SmtpMailer {
    /// Creates a mailer from an SMTP URL and a sender address.
    ///
    /// Accepted forms:
    /// * `smtp://host:port` — plain connection, no TLS (port defaults to 25);
    /// * `smtp://user:pass@host:port` — as above, with authentication (percent-encode
    ///   special characters in user and password);
    /// * `smtps://host:port` — implicit TLS (port defaults to 465);
    /// * `smtp://host:port?tls=starttls` — STARTTLS required (port defaults to 587).
    ///
    /// Errors never include the password.
    pub fn from_url(url: &str, from: &str) -> anyhow::Result<Self> {
        let from = parse_from(from)?;
        // `url::ParseError` does not echo the input, so the password cannot leak here.
        let parsed = Url::parse(url).context("invalid SMTP URL")?;
        let security = security_of(&parsed)?;
        let host = match parsed.host_str() {
            Some(host) if !host.is_empty() => host.to_owned(),
            _ => bail!("SMTP URL has no host"),
        };
        let port = parsed.port().unwrap_or(match security {
            Security::Plain => 25,
            Security::StartTls => 587,
            Security::ImplicitTls => 465,
        });

        let tls = match security {
            Security::Plain => Tls::None,
            Security::StartTls => Tls::Required(tls_parameters(&host)?),
            Security::ImplicitTls => Tls::Wrapper(tls_parameters(&host)?),
        };
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host.clone())
            .port(port)
            .tls(tls)
            .timeout(Some(SMTP_TIMEOUT));
        if !parsed.username().is_empty() {
            let user = percent_decode(parsed.username()).context("invalid SMTP user name")?;
            let password = percent_decode(parsed.password().unwrap_or(""))
                .context("invalid SMTP password encoding")?;
            builder = builder.credentials(Credentials::new(user, password));
        }

        Ok(Self {
            transport: builder.build(),
            from,
            host,
            port,
            security,
        })
    }
}

#[async_trait]
impl Mailer for SmtpMailer {
    async fn send(&self, mail: &OutgoingMail) -> anyhow::Result<()> {
        let message = build_message(&self.from, mail)?;
        self.transport.send(message).await.with_context(|| {
            format!(
                "could not send mail via SMTP server {}:{}",
                self.host, self.port
            )
        })?;
        tracing::debug!(to = %mail.to, subject = %mail.subject, "mail sent via SMTP");
        Ok(())
    }
}

/// Works out the connection security from the scheme and the `tls` query parameter.
fn security_of(url: &Url) -> anyhow::Result<Security> {
    let tls_param = url
        .query_pairs()
        .find(|(key, _)| key == "tls")
        .map(|(_, value)| value.to_ascii_lowercase());
    match (url.scheme(), tls_param.as_deref()) {
        ("smtp", None | Some("none")) => Ok(Security::Plain),
        ("smtp", Some("starttls" | "required")) => Ok(Security::StartTls),
        ("smtp", Some(other)) => bail!("unsupported SMTP tls mode {other:?} (use tls=starttls)"),
        ("smtps", None | Some("wrapper" | "implicit")) => Ok(Security::ImplicitTls),
        ("smtps", Some(_)) => {
            bail!("smtps:// URLs always use implicit TLS; drop the tls parameter")
        }
        (scheme, _) => bail!("unsupported SMTP URL scheme {scheme:?} (use smtp or smtps)"),
    }
}

/// TLS settings validating the server certificate against the web PKI roots.
fn tls_parameters(host: &str) -> anyhow::Result<TlsParameters> {
    TlsParameters::new(host.to_owned()).context("could not set up TLS for the SMTP server")
}

/// Decodes `%XX` escapes in a URL user-info component. `+` is left as is.
fn percent_decode(input: &str) -> anyhow::Result<String> {
    let bytes = input.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&byte) = bytes.get(i) {
        if byte == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            match hex {
                Some(byte) => {
                    out.push(byte);
                    i += 3;
                    continue;
                }
                None => bail!("malformed percent escape"),
            }
        }
        out.push(byte);
        i += 1;
    }
    String::from_utf8(out).context("not valid UTF-8 after percent decoding")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::mail::test_smtp::TestSmtpServer;

    fn mail() -> OutgoingMail {
        OutgoingMail {
            to: "bob@example.com".into(),
            subject: "Your booking is confirmed".into(),
            text_body: "See you on Tuesday at 10:00.".into(),
            html_body: None,
            headers: Vec::new(),
        }
    }

    #[tokio::test]
    async fn sends_plain_text_to_smtp_server() {
        let server = TestSmtpServer::start().await.unwrap();
        let mailer = SmtpMailer::from_url(
            &format!("smtp://127.0.0.1:{}", server.port),
            "Souk <noreply@souk.test>",
        )
        .unwrap();
        mailer.send(&mail()).await.unwrap();

        let received = server.next_message(Duration::from_secs(5)).await.unwrap();
        assert_eq!(received.mail_from, "noreply@souk.test");
        assert_eq!(received.rcpt_to, vec!["bob@example.com".to_string()]);
        assert!(received.data.contains("Subject: Your booking is confirmed"));
        assert!(received.data.contains("See you on Tuesday at 10:00."));
        assert!(!received.data.contains("multipart/alternative"));
    }

    #[tokio::test]
    async fn sends_multipart_when_html_present_and_authenticates() {
        let server = TestSmtpServer::start().await.unwrap();
        let mailer = SmtpMailer::from_url(
            &format!("smtp://user%40x:p%40ss@127.0.0.1:{}", server.port),
            "noreply@souk.test",
        )
        .unwrap();
        let mut mail = mail();
        mail.html_body = Some("<p class=\"x\">See you on <b>Tuesday</b></p>".into());
        mailer.send(&mail).await.unwrap();

        let received = server.next_message(Duration::from_secs(5)).await.unwrap();
        assert!(received.data.contains("multipart/alternative"));
        assert!(received.data.contains("See you on Tuesday at 10:00."));
        assert!(
            received
                .data
                .contains("<p class=\"x\">See you on <b>Tuesday</b></p>")
        );
    }

    #[tokio::test]
    async fn sends_extra_headers_with_multipart_alternative() {
        let server = TestSmtpServer::start().await.unwrap();
        let mailer = SmtpMailer::from_url(
            &format!("smtp://127.0.0.1:{}", server.port),
            "Souk <noreply@souk.test>",
        )
        .unwrap();
        let mut mail = mail();
        mail.html_body = Some("<p>See you on <b>Tuesday</b> at 10:00.</p>".into());
        mail.headers = vec![
            (
                "List-Unsubscribe".into(),
                "<https://souk.test/unsubscribe/t0k3n>".into(),
            ),
            (
                "List-Unsubscribe-Post".into(),
                "List-Unsubscribe=One-Click\r\n".into(),
            ),
        ];
        mailer.send(&mail).await.unwrap();

        let received = server.next_message(Duration::from_secs(5)).await.unwrap();
        let data = &received.data;
        let (head, body) = data.split_once("\r\n\r\n").unwrap();
        assert!(head.contains("List-Unsubscribe: <https://souk.test/unsubscribe/t0k3n>\r\n"));
        assert!(head.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"));
        assert!(head.contains("Content-Type: multipart/alternative"));
        assert!(body.contains("Content-Type: text/plain"));
        assert!(body.contains("See you on Tuesday at 10:00."));
        assert!(body.contains("Content-Type: text/html"));
        assert!(body.contains("<p>See you on <b>Tuesday</b> at 10:00.</p>"));
    }

    #[test]
    fn parses_url_forms() {
        let plain = SmtpMailer::from_url("smtp://mail.local", "a@b.test").unwrap();
        assert_eq!((plain.port, plain.security), (25, Security::Plain));
        let starttls =
            SmtpMailer::from_url("smtp://mail.local:2525?tls=starttls", "a@b.test").unwrap();
        assert_eq!(
            (starttls.port, starttls.security),
            (2525, Security::StartTls)
        );
        let smtps = SmtpMailer::from_url("smtps://mail.local", "a@b.test").unwrap();
        assert_eq!((smtps.port, smtps.security), (465, Security::ImplicitTls));
    }

    #[test]
    fn errors_and_debug_never_reveal_password() {
        let secret = "hunter2secret";
        for url in [
            format!("smtp://u:{secret}@mail.local?tls=bogus"),
            format!("ftp://u:{secret}@mail.local"),
            format!("smtp://u:{secret}@"),
            format!("smtp://u:{secret}%zz@mail.local"),
        ] {
            let err = SmtpMailer::from_url(&url, "a@b.test").unwrap_err();
            assert!(!format!("{err:#}").contains(secret), "{err:#}");
            assert!(!format!("{err:?}").contains(secret), "{err:?}");
        }
        let ok =
            SmtpMailer::from_url(&format!("smtp://u:{secret}@mail.local"), "a@b.test").unwrap();
        assert!(!format!("{ok:?}").contains(secret));
    }

    #[tokio::test]
    async fn send_failure_does_not_reveal_password() {
        // Bind then drop a listener so the port is (almost certainly) closed.
        let port = {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            listener.local_addr().unwrap().port()
        };
        let mailer = SmtpMailer::from_url(
            &format!("smtp://u:hunter2secret@127.0.0.1:{port}"),
            "a@b.test",
        )
        .unwrap();
        let err = mailer.send(&mail()).await.unwrap_err();
        assert!(!format!("{err:#}").contains("hunter2secret"));
    }
}
