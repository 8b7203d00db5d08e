//! A tiny in-process SMTP server for tests: accepts every message and hands it to the test.
//!
//! Available in this crate's tests and, for other crates, behind the `test-smtp` feature.
//! It speaks just enough SMTP for lettre (EHLO/HELO, AUTH PLAIN/LOGIN accepting anything,
//! MAIL, RCPT, DATA, RSET, NOOP, QUIT) and offers no TLS.

use std::time::Duration;

use tokio::io::{AsyncBufReadExt as _, AsyncWriteExt as _, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Mutex, mpsc};
use tokio::task::JoinHandle;

/// One message accepted by the [`TestSmtpServer`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedMail {
    /// Envelope sender (`MAIL FROM`), without angle brackets.
    pub mail_from: String,
    /// Envelope recipients (`RCPT TO`), without angle brackets.
    pub rcpt_to: Vec<String>,
    /// The message (headers and body) with dot-stuffing undone, quoted-printable soft line
    /// breaks removed and `=3D` decoded to `=`.
    pub data: String,
}

/// A fake SMTP server listening on `127.0.0.1`; it stops when dropped.
#[derive(Debug)]
pub struct TestSmtpServer {
    /// The port it listens on.
    pub port: u16,
    received: Mutex<mpsc::UnboundedReceiver<ReceivedMail>>,
    accept_task: JoinHandle<()>,
}

impl TestSmtpServer {
    /// Starts the server on a free port of `127.0.0.1`.
    pub async fn start() -> std::io::Result<TestSmtpServer> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let port = listener.local_addr()?.port();
        let (tx, rx) = mpsc::unbounded_channel();
        let accept_task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let tx = tx.clone();
                tokio::spawn(async move {
                    if let Err(err) = serve_connection(stream, tx).await {
                        tracing::debug!(error = %err, "test SMTP connection ended with an error");
                    }
                });
            }
        });
        Ok(TestSmtpServer {
            port,
            received: Mutex::new(rx),
            accept_task,
        })
    }

    /// Waits up to `timeout` for the next accepted message.
    pub async fn next_message(&self, timeout: Duration) -> Option<ReceivedMail> {
        let mut received = self.received.lock().await;
        tokio::time::timeout(timeout, received.recv())
            .await
            .ok()
            .flatten()
    }
}

impl Drop for TestSmtpServer {
    fn drop(&mut self) {
        self.accept_task.abort();
    }
}

/// Per-connection state of the (very small) SMTP dialogue.
#[derive(Default)]
struct Transaction {
    mail_from: Option<String>,
    rcpt_to: Vec<String>,
}

async fn serve_connection(
    stream: TcpStream,
    tx: mpsc::UnboundedSender<ReceivedMail>,
) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut reader = BufReader::new(read);
    write
        .write_all(b"220 localhost test SMTP ready\r\n")
        .await?;
    let mut tx_state = Transaction::default();
    let mut line = Vec::new();
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line).await? == 0 {
            return Ok(());
        }
        let text = String::from_utf8_lossy(&line);
        let command = text.trim_end();
        let verb = command
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_uppercase();
        let reply: &[u8] = match verb.as_str() {
            "EHLO" => b"250-localhost\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 AUTH PLAIN LOGIN\r\n",
            "HELO" => b"250 localhost\r\n",
            "AUTH" => {
                authenticate(command, &mut reader, &mut write).await?;
                b"235 2.7.0 Authentication successful\r\n"
            }
            "MAIL" => {
                tx_state = Transaction {
                    mail_from: Some(address_of(command)),
                    rcpt_to: Vec::new(),
                };
                b"250 OK\r\n"
            }
            "RCPT" => {
                tx_state.rcpt_to.push(address_of(command));
                b"250 OK\r\n"
            }
            "DATA" => {
                write
                    .write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                    .await?;
                let data = read_data(&mut reader).await?;
                let done = std::mem::take(&mut tx_state);
                let _ = tx.send(ReceivedMail {
                    mail_from: done.mail_from.unwrap_or_default(),
                    rcpt_to: done.rcpt_to,
                    data,
                });
                b"250 OK queued\r\n"
            }
            "RSET" => {
                tx_state = Transaction::default();
                b"250 OK\r\n"
            }
            "NOOP" => b"250 OK\r\n",
            "QUIT" => {
                write.write_all(b"221 Bye\r\n").await?;
                return Ok(());
            }
            _ => b"502 Command not implemented\r\n",
        };
        write.write_all(reply).await?;
    }
}

/// Accepts any credentials; for `AUTH LOGIN` (and `AUTH PLAIN` without an initial response)
/// it asks for and discards the missing pieces.
async fn authenticate(
    command: &str,
    reader: &mut BufReader<tokio::net::tcp::OwnedReadHalf>,
    write: &mut tokio::net::tcp::OwnedWriteHalf,
) -> std::io::Result<()> {
    let mut parts = command.split_whitespace().skip(1);
    let mechanism = parts.next().unwrap_or("").to_ascii_uppercase();
    let has_initial = parts.next().is_some();
    let prompts: &[&[u8]] = match (mechanism.as_str(), has_initial) {
        ("LOGIN", false) => &[b"334 VXNlcm5hbWU6\r\n", b"334 UGFzc3dvcmQ6\r\n"],
        ("LOGIN", true) => &[b"334 UGFzc3dvcmQ6\r\n"],
        ("PLAIN", false) => &[b"334 \r\n"],
        _ => &[],
    };
    let mut discard = Vec::new();
    for prompt in prompts {
        write.write_all(prompt).await?;
        discard.clear();
        reader.read_until(b'\n', &mut discard).await?;
    }
    Ok(())
}

/// Extracts `addr` from `MAIL FROM:<addr> ...` / `RCPT TO:<addr>`.
fn address_of(command: &str) -> String {
    match (command.find('<'), command.find('>')) {
        (Some(start), Some(end)) if start < end => command[start + 1..end].to_owned(),
        _ => command
            .split_once(':')
            .map(|(_, rest)| rest.trim().to_owned())
            .unwrap_or_default(),
    }
}

/// Reads the DATA section up to the terminating `.` line and decodes it (see [`ReceivedMail::data`]).
async fn read_data(
    reader: &mut BufReader<tokio::net::tcp::OwnedReadHalf>,
) -> std::io::Result<String> {
    let mut raw = Vec::new();
    let mut line = Vec::new();
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line).await? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        if line == b".\r\n" || line == b".\n" {
            break;
        }
        // Undo dot-stuffing.
        let content = match line.strip_prefix(b".") {
            Some(rest) if rest.starts_with(b".") => rest,
            _ => line.as_slice(),
        };
        raw.extend_from_slice(content);
    }
    let text = String::from_utf8_lossy(&raw);
    Ok(text.replace("=\r\n", "").replace("=3D", "="))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn extracts_addresses() {
        assert_eq!(address_of("MAIL FROM:<a@b.test> BODY=8BITMIME"), "a@b.test");
        assert_eq!(address_of("RCPT TO:<c@d.test>"), "c@d.test");
        assert_eq!(address_of("RCPT TO: c@d.test"), "c@d.test");
    }

    #[tokio::test]
    async fn decodes_dot_stuffing_and_soft_breaks() {
        let server = TestSmtpServer::start().await.unwrap();
        let mut stream = TcpStream::connect(("127.0.0.1", server.port))
            .await
            .unwrap();
        stream
            .write_all(
                b"EHLO me\r\nMAIL FROM:<a@b.test>\r\nRCPT TO:<c@d.test>\r\nDATA\r\n\
                  Subject: hi\r\n\r\n..leading dot\r\nlong=\r\nline a=3Db\r\n.\r\nQUIT\r\n",
            )
            .await
            .unwrap();
        let mail = server.next_message(Duration::from_secs(5)).await.unwrap();
        assert_eq!(mail.mail_from, "a@b.test");
        assert_eq!(mail.rcpt_to, vec!["c@d.test".to_string()]);
        assert_eq!(
            mail.data,
            "Subject: hi\r\n\r\n.leading dot\r\nlongline a=b\r\n"
        );
        assert!(
            server
                .next_message(Duration::from_millis(50))
                .await
                .is_none()
        );
    }
}
