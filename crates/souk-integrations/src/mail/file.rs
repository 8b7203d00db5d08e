//! [`FileMailer`]: writes each message as an `.eml` file instead of sending it (development).

use std::path::PathBuf;

use anyhow::Context as _;
use async_trait::async_trait;
use lettre::message::Mailbox;

use super::message::{build_message, parse_from};
use super::{Mailer, OutgoingMail};

/// Development mailer that stores every message as an RFC 5322 `.eml` file in a folder.
///
/// Files are named `<timestamp>-<uuid>.eml`; the folder is created when the first message is
/// written.
#[derive(Debug, Clone)]
pub struct FileMailer {
    dir: PathBuf,
    from: String,
}

impl FileMailer {
    /// Creates a mailer writing into `dir` with sender `from`.
    ///
    /// The sender address is checked when a message is sent, so an invalid one makes
    /// [`Mailer::send`] fail.
    pub fn new(dir: PathBuf, from: &str) -> Self {
        Self {
            dir,
            from: from.to_owned(),
        }
    }

    /// The folder messages are written to.
    pub fn dir(&self) -> &std::path::Path {
        &self.dir
    }
}

#[async_trait]
impl Mailer for FileMailer {
    async fn send(&self, mail: &OutgoingMail) -> anyhow::Result<()> {
        let from: Mailbox = parse_from(&self.from)?;
        let message = build_message(&from, mail)?;
        tokio::fs::create_dir_all(&self.dir)
            .await
            .with_context(|| format!("could not create mail folder {}", self.dir.display()))?;
        let name = format!(
            "{}-{}.eml",
            chrono::Utc::now().format("%Y%m%dT%H%M%S%.3fZ"),
            uuid::Uuid::new_v4()
        );
        let path = self.dir.join(name);
        tokio::fs::write(&path, message.formatted())
            .await
            .with_context(|| format!("could not write mail file {}", path.display()))?;
        tracing::info!(
            to = %mail.to,
            subject = %mail.subject,
            path = %path.display(),
            "mail written to file"
        );
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn writes_eml_file_with_subject_and_recipient() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("outbox");
        let mailer = FileMailer::new(dir.clone(), "Souk <noreply@souk.test>");
        mailer
            .send(&OutgoingMail {
                to: "carol@example.com".into(),
                subject: "Welcome to Souk".into(),
                text_body: "Hello Carol".into(),
                html_body: Some("<p>Hello Carol</p>".into()),
                headers: vec![(
                    "List-Unsubscribe".into(),
                    "<https://souk.test/unsubscribe/abc>".into(),
                )],
            })
            .await
            .unwrap();

        let entries: Vec<_> = std::fs::read_dir(&dir).unwrap().collect();
        assert_eq!(entries.len(), 1);
        let path = entries[0].as_ref().unwrap().path();
        assert_eq!(path.extension().unwrap(), "eml");
        let content = std::fs::read_to_string(&path).unwrap();
        assert!(content.contains("Subject: Welcome to Souk"));
        assert!(content.contains("To: carol@example.com"));
        assert!(content.contains("Hello Carol"));
        assert!(content.contains("List-Unsubscribe: <https://souk.test/unsubscribe/abc>"));
    }

    #[tokio::test]
    async fn rejects_invalid_sender_and_recipient() {
        let tmp = tempfile::tempdir().unwrap();
        let mail = OutgoingMail {
            to: "carol@example.com".into(),
            subject: "s".into(),
            text_body: "b".into(),
            html_body: None,
            headers: Vec::new(),
        };
        let bad_from = FileMailer::new(tmp.path().to_path_buf(), "not an address");
        assert!(bad_from.send(&mail).await.is_err());
        let mailer = FileMailer::new(tmp.path().to_path_buf(), "noreply@souk.test");
        let bad_to = OutgoingMail {
            to: "nobody".into(),
            ..mail
        };
        assert!(mailer.send(&bad_to).await.is_err());
        assert_eq!(std::fs::read_dir(tmp.path()).unwrap().count(), 0);
    }
}
