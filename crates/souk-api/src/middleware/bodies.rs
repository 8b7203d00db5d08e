//! Request bodies at the edge: the JSON limit every extractor obeys, and what
//! happens to a body the handler never read. An early answer (429, 413, a
//! 401/403 before the body was read, a 408) must not leave unread bytes on a
//! keep-alive connection: hyper would silently drop the connection and a
//! mobile client that reuses it sees a network error on its next request.
//! So a small rest is drained before answering (the connection stays
//! usable); a large or slow one gets `Connection: close`, which tells the
//! client plainly.

use std::{
    pin::Pin,
    sync::{Arc, Mutex, PoisonError},
    task::{Context, Poll},
    time::Duration,
};

use axum::{
    body::{Body, Bytes, HttpBody},
    extract::{Request, State},
    http::{HeaderValue, header},
    middleware::Next,
    response::Response,
};
use http_body::{Frame, SizeHint};
use http_body_util::BodyExt;

use crate::{extract::JsonLimit, state::AppState};

/// The most an unread body may hold and still be drained.
const DRAIN_LIMIT: u64 = 64 * 1024;
/// How long draining may wait for the client to send the rest.
const DRAIN_WAIT: Duration = Duration::from_millis(500);

/// The middleware function.
pub async fn bodies(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    request
        .extensions_mut()
        .insert(JsonLimit(state.config.body_limit));
    if request.body().is_end_stream() {
        return next.run(request).await;
    }
    let expects_continue = request.headers().contains_key(header::EXPECT);
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let (parts, body) = request.into_parts();
    let slot = Arc::new(Mutex::new(Some(body)));
    let shared = Body::new(SharedBody { slot: slot.clone() });
    let mut response = next.run(Request::from_parts(parts, shared)).await;
    let rest = slot.lock().unwrap_or_else(PoisonError::into_inner).take();
    let Some(rest) = rest else {
        return response;
    };
    if rest.is_end_stream() {
        return response;
    }
    // A client waiting for `100 Continue` never sends the body; a large one
    // is not worth reading.
    let drained = !expects_continue
        && declared.is_none_or(|n| n <= DRAIN_LIMIT)
        && tokio::time::timeout(
            DRAIN_WAIT,
            // 64 KiB fits every usize Rust targets.
            http_body_util::Limited::new(rest, usize::try_from(DRAIN_LIMIT).unwrap_or(usize::MAX))
                .collect(),
        )
        .await
        .is_ok_and(|read| read.is_ok());
    if !drained {
        response
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    response
}

/// The request body, lent to the handler: whatever it leaves unread stays in
/// the slot for [`bodies`] to deal with; reading it to the end empties the slot.
struct SharedBody {
    slot: Arc<Mutex<Option<Body>>>,
}

impl HttpBody for SharedBody {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Self::Data>, Self::Error>>> {
        let mut slot = self.slot.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(body) = slot.as_mut() else {
            return Poll::Ready(None);
        };
        let polled = Pin::new(body).poll_frame(cx);
        if matches!(polled, Poll::Ready(None)) {
            *slot = None;
        }
        polled
    }

    fn is_end_stream(&self) -> bool {
        self.slot
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
            .is_none_or(HttpBody::is_end_stream)
    }

    fn size_hint(&self) -> SizeHint {
        self.slot
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
            .map_or_else(|| SizeHint::with_exact(0), HttpBody::size_hint)
    }
}
