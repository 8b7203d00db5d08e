//! Serving the router on a TCP listener. hyper answers requests it cannot
//! parse (a URI over 64 KiB → 414, headers too large → 431, malformed → 400)
//! itself, before any middleware runs, with an empty body; the connection
//! wrapper here rewrites those few bodiless answers into the API's
//! `{message, code}` envelope, so every status the server produces carries it.

use std::{
    io,
    net::SocketAddr,
    pin::Pin,
    task::{Context, Poll, ready},
};

use axum::{Router, extract::connect_info::Connected, serve::IncomingStream};
use souk_core::{
    ErrorCode,
    i18n::{Lang, error_message},
};
use tokio::{
    io::{AsyncRead, AsyncWrite, ReadBuf},
    net::{TcpListener, TcpStream},
};

/// The caller's socket address (the `ConnectInfo` the app reads).
#[derive(Debug, Clone, Copy)]
pub struct Peer(pub SocketAddr);

/// A TCP listener whose connections speak the envelope even for hyper's own
/// parse errors.
pub struct EnvelopeListener(TcpListener);

impl EnvelopeListener {
    pub fn new(listener: TcpListener) -> Self {
        Self(listener)
    }
}

impl axum::serve::Listener for EnvelopeListener {
    type Io = EnvelopeIo<TcpStream>;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        let (stream, addr) = axum::serve::Listener::accept(&mut self.0).await;
        let _ = stream.set_nodelay(true);
        (EnvelopeIo::new(stream), addr)
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        self.0.local_addr()
    }
}

impl Connected<IncomingStream<'_, EnvelopeListener>> for Peer {
    fn connect_info(stream: IncomingStream<'_, EnvelopeListener>) -> Self {
        Peer(*stream.remote_addr())
    }
}

/// Serves `router` on `listener` until `shutdown` resolves, then lets
/// in-flight requests finish.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    axum::serve(
        EnvelopeListener::new(listener),
        router.into_make_service_with_connect_info::<Peer>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

/// A connection that replaces hyper's bodiless parse-error answers.
pub struct EnvelopeIo<T> {
    inner: T,
    pending: Vec<u8>,
    sent: usize,
}

impl<T> EnvelopeIo<T> {
    pub fn new(inner: T) -> Self {
        Self {
            inner,
            pending: Vec::new(),
            sent: 0,
        }
    }
}

impl<T: AsyncWrite + Unpin> EnvelopeIo<T> {
    /// Writes what a replaced answer still owes.
    fn poll_pending(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while let Some(rest) = self
            .pending
            .get(self.sent..)
            .filter(|rest| !rest.is_empty())
        {
            let n = ready!(Pin::new(&mut self.inner).poll_write(cx, rest))?;
            if n == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            self.sent += n;
        }
        self.pending.clear();
        self.sent = 0;
        Poll::Ready(Ok(()))
    }

    /// Takes `buf` when it is one of hyper's parse-error answers.
    fn intercept(&mut self, cx: &mut Context<'_>, buf: &[u8]) -> Option<io::Result<usize>> {
        let replacement = envelope_for(buf)?;
        self.pending = replacement;
        self.sent = 0;
        // The bytes are accepted; what the socket does not take now goes
        // out with the next write, flush or shutdown.
        match self.poll_pending(cx) {
            Poll::Ready(Err(err)) => Some(Err(err)),
            _ => Some(Ok(buf.len())),
        }
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for EnvelopeIo<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for EnvelopeIo<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        ready!(this.poll_pending(cx))?;
        if let Some(result) = this.intercept(cx, buf) {
            return Poll::Ready(result);
        }
        Pin::new(&mut this.inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        ready!(this.poll_pending(cx))?;
        let mut non_empty = bufs.iter().filter(|b| !b.is_empty());
        if let (Some(only), None) = (non_empty.next(), non_empty.next())
            && let Some(result) = this.intercept(cx, only)
        {
            return Poll::Ready(result);
        }
        Pin::new(&mut this.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.poll_pending(cx))?;
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.poll_pending(cx))?;
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// The envelope version of `head` when it is a bodiless 400, 414 or 431
/// without a content type — the shape of hyper's automatic answers; every
/// answer of the application itself has a content type.
fn envelope_for(head: &[u8]) -> Option<Vec<u8>> {
    let code = match head.get(..13)? {
        b"HTTP/1.1 400 " | b"HTTP/1.0 400 " => ErrorCode::MalformedRequest,
        b"HTTP/1.1 414 " | b"HTTP/1.0 414 " => ErrorCode::UriTooLong,
        b"HTTP/1.1 431 " | b"HTTP/1.0 431 " => ErrorCode::HeadersTooLarge,
        _ => return None,
    };
    let end = head.windows(4).position(|w| w == b"\r\n\r\n")?;
    if end + 4 != head.len() {
        return None;
    }
    let text = std::str::from_utf8(head.get(..end)?).ok()?;
    let mut lines = text.split("\r\n");
    let status_line = lines.next()?;
    let mut kept = Vec::new();
    for line in lines {
        let name = line.split(':').next().unwrap_or_default().trim();
        if name.eq_ignore_ascii_case("content-type") {
            return None;
        }
        if !name.eq_ignore_ascii_case("content-length") && !name.eq_ignore_ascii_case("connection")
        {
            kept.push(line);
        }
    }
    let body = serde_json::json!({
        "message": error_message(code, Lang::En),
        "code": code.as_str(),
    })
    .to_string();
    let mut out = String::with_capacity(256 + body.len());
    out.push_str(status_line);
    out.push_str("\r\n");
    for line in kept {
        out.push_str(line);
        out.push_str("\r\n");
    }
    out.push_str("content-type: application/json\r\n");
    out.push_str(&format!("content-length: {}\r\n", body.len()));
    out.push_str("connection: close\r\n\r\n");
    out.push_str(&body);
    Some(out.into_bytes())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::envelope_for;

    #[test]
    fn hypers_bodiless_parse_errors_get_the_envelope() {
        let out =
            envelope_for(b"HTTP/1.1 414 URI Too Long\r\ncontent-length: 0\r\ndate: x\r\n\r\n");
        let text = String::from_utf8(out.unwrap()).unwrap();
        assert!(text.starts_with("HTTP/1.1 414 URI Too Long\r\ndate: x\r\n"));
        let (head, body) = text.split_once("\r\n\r\n").unwrap();
        assert!(head.contains("content-type: application/json"));
        assert!(head.contains("connection: close"));
        assert!(head.contains(&format!("content-length: {}", body.len())));
        let body: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(body["code"], "uri_too_long");
        assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
    }

    #[test]
    fn answers_of_the_application_are_left_alone() {
        assert!(envelope_for(b"HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}").is_none());
        assert!(envelope_for(b"HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: 0\r\n\r\n").is_none());
        assert!(envelope_for(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n").is_none());
    }
}
