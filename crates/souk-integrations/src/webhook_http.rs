//! Outbound webhook POSTs that cannot be turned against our own network (SSRF): https only,
//! no private/loopback/link-local/reserved addresses, the connection pinned to the
//! addresses that were checked (no DNS rebinding), no proxies, no redirects.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use url::{Host, Url};

mod ip;
#[cfg(test)]
mod tests;

pub use ip::is_forbidden_ip;

/// Total time for one delivery: resolving, connecting, sending and reading the answer.
const TIMEOUT: Duration = Duration::from_secs(15);
/// Sent with every delivery.
const USER_AGENT: &str = "Souk-Webhooks/1";
/// How much of the response body is kept, in characters.
const EXCERPT_CHARS: usize = 500;
/// Bytes read from the response: enough for [`EXCERPT_CHARS`] of any UTF-8.
const EXCERPT_READ_BYTES: usize = EXCERPT_CHARS * 4;
/// Headers the caller may not set: ours are fixed, the rest belong to the HTTP layer.
const RESERVED_HEADERS: &[&str] = &[
    "host",
    "content-type",
    "content-length",
    "user-agent",
    "connection",
    "transfer-encoding",
    "te",
    "upgrade",
    "proxy-authorization",
];

/// What outbound requests may reach besides the public internet.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutboundPolicy {
    /// Allow `http://` to `localhost`, `127.0.0.0/8` and `::1`, and loopback addresses in
    /// general (development and tests only).
    pub allow_loopback_http: bool,
}

/// Why a webhook URL is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum UrlRefusal {
    #[error("the webhook URL must start with https://")]
    NotHttps,
    #[error(
        "the webhook URL is not a valid web address with a host name (and must not contain a user name or password)"
    )]
    Malformed,
    #[error("the webhook URL points to a private, local or reserved network address")]
    PrivateAddress,
    #[error("the webhook URL's host name could not be resolved")]
    Unresolvable,
}

/// One delivery to make.
#[derive(Debug, Clone)]
pub struct WebhookPost {
    pub url: String,
    /// JSON text.
    pub body: String,
    /// Extra headers (e.g. a signature); `Host`, `Content-Type`, `User-Agent` and
    /// hop-by-hop headers are ignored.
    pub headers: Vec<(String, String)>,
}

/// What came of one delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookResult {
    /// The HTTP status, when the endpoint answered at all (3xx included: never followed).
    pub status: Option<u16>,
    /// From the start of the delivery (resolution included) to the end of the excerpt.
    pub latency_ms: i64,
    /// The first 500 characters of the response body.
    pub excerpt: String,
    /// `None` exactly when the endpoint answered 2xx; otherwise what went wrong
    /// (refused URL, connection failure, timeout, or `HTTP <status>`).
    pub error: Option<String>,
}

/// Checks a URL's syntax: https (http only for loopback hosts when the policy allows), a
/// host, no user info, and no forbidden IP literal. Host names are checked by
/// [`resolve_checked`].
pub fn check_url(url: &str, policy: &OutboundPolicy) -> Result<Url, UrlRefusal> {
    let url = Url::parse(url.trim()).map_err(|_| UrlRefusal::Malformed)?;
    if !matches!(url.scheme(), "https" | "http") {
        return Err(UrlRefusal::NotHttps);
    }
    let host = url.host().ok_or(UrlRefusal::Malformed)?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(UrlRefusal::Malformed);
    }
    let loopback = match &host {
        Host::Domain(domain) => is_localhost_name(domain),
        Host::Ipv4(ip) => ip.is_loopback(),
        Host::Ipv6(ip) => ip.is_loopback(),
    };
    if url.scheme() == "http" && !(policy.allow_loopback_http && loopback) {
        return Err(UrlRefusal::NotHttps);
    }
    let forbidden = match host {
        Host::Domain(domain) => is_localhost_name(domain) && !policy.allow_loopback_http,
        Host::Ipv4(ip) => is_forbidden_ip(ip.into(), policy),
        Host::Ipv6(ip) => is_forbidden_ip(ip.into(), policy),
    };
    if forbidden {
        return Err(UrlRefusal::PrivateAddress);
    }
    Ok(url)
}

/// `localhost` and its subdomains always resolve to loopback (RFC 6761).
fn is_localhost_name(domain: &str) -> bool {
    let domain = domain.trim_end_matches('.').to_ascii_lowercase();
    domain == "localhost" || domain.ends_with(".localhost")
}

/// The addresses to connect to for `url`, refusing the lot if any is forbidden.
pub async fn resolve_checked(
    url: &Url,
    policy: &OutboundPolicy,
) -> Result<Vec<SocketAddr>, UrlRefusal> {
    let port = url.port_or_known_default().ok_or(UrlRefusal::Malformed)?;
    let addrs: Vec<SocketAddr> = match url.host().ok_or(UrlRefusal::Malformed)? {
        Host::Ipv4(ip) => vec![SocketAddr::new(ip.into(), port)],
        Host::Ipv6(ip) => vec![SocketAddr::new(ip.into(), port)],
        Host::Domain(domain) => tokio::net::lookup_host((domain, port))
            .await
            .map_err(|_| UrlRefusal::Unresolvable)?
            .collect(),
    };
    if addrs.is_empty() {
        return Err(UrlRefusal::Unresolvable);
    }
    if addrs.iter().any(|addr| is_forbidden_ip(addr.ip(), policy)) {
        return Err(UrlRefusal::PrivateAddress);
    }
    Ok(addrs)
}

/// Delivers one webhook within 15 s.
pub async fn post(request: &WebhookPost, policy: &OutboundPolicy) -> WebhookResult {
    post_with_timeout(request, policy, TIMEOUT).await
}

/// [`post`] with another total time limit.
pub async fn post_with_timeout(
    request: &WebhookPost,
    policy: &OutboundPolicy,
    timeout: Duration,
) -> WebhookResult {
    let started = Instant::now();
    let outcome = tokio::time::timeout(timeout, async {
        let url = check_url(&request.url, policy).map_err(|refusal| refusal.to_string())?;
        let addrs = resolve_checked(&url, policy)
            .await
            .map_err(|refusal| refusal.to_string())?;
        send_pinned(&url, &addrs, request, timeout).await
    })
    .await
    .unwrap_or_else(|_| Err(timed_out(timeout)));
    let latency_ms = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
    match outcome {
        Ok((status, excerpt)) => WebhookResult {
            status: Some(status.as_u16()),
            latency_ms,
            excerpt,
            error: (!status.is_success()).then(|| format!("HTTP {status}")),
        },
        Err(error) => WebhookResult {
            status: None,
            latency_ms,
            excerpt: String::new(),
            error: Some(error),
        },
    }
}

/// POSTs to `url`, connecting only to `addrs` (already checked), never following redirects.
async fn send_pinned(
    url: &Url,
    addrs: &[SocketAddr],
    request: &WebhookPost,
    timeout: Duration,
) -> Result<(reqwest::StatusCode, String), String> {
    let mut builder = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .timeout(timeout)
        .user_agent(USER_AGENT);
    if let Some(Host::Domain(domain)) = url.host() {
        builder = builder.resolve_to_addrs(domain, addrs);
    }
    let client = builder
        .build()
        .map_err(|err| format!("cannot build the HTTP client: {}", describe(&err, timeout)))?;
    let response = client
        .post(url.clone())
        .headers(caller_headers(&request.headers)?)
        .header(CONTENT_TYPE, "application/json")
        .body(request.body.clone())
        .send()
        .await
        .map_err(|err| describe(&err, timeout))?;
    let status = response.status();
    Ok((status, excerpt(response).await))
}

fn caller_headers(headers: &[(String, String)]) -> Result<HeaderMap, String> {
    let mut map = HeaderMap::new();
    for (name, value) in headers {
        let name = HeaderName::from_bytes(name.trim().as_bytes())
            .map_err(|_| format!("invalid header name {name:?}"))?;
        if RESERVED_HEADERS.contains(&name.as_str()) {
            continue;
        }
        let value =
            HeaderValue::from_str(value).map_err(|_| format!("invalid value for header {name}"))?;
        map.append(name, value);
    }
    Ok(map)
}

/// The first [`EXCERPT_CHARS`] characters of the body; whatever arrived if reading fails.
async fn excerpt(mut response: reqwest::Response) -> String {
    let mut bytes = Vec::new();
    while bytes.len() < EXCERPT_READ_BYTES {
        match response.chunk().await {
            Ok(Some(chunk)) => bytes.extend_from_slice(&chunk),
            Ok(None) | Err(_) => break,
        }
    }
    bytes.truncate(EXCERPT_READ_BYTES);
    String::from_utf8_lossy(&bytes)
        .chars()
        .take(EXCERPT_CHARS)
        .collect()
}

fn timed_out(timeout: Duration) -> String {
    format!("timed out after {} ms", timeout.as_millis())
}

/// A transport error in plain words, without the URL (it may carry a secret).
fn describe(err: &reqwest::Error, timeout: Duration) -> String {
    if err.is_timeout() {
        return timed_out(timeout);
    }
    let mut text = if err.is_connect() {
        "could not connect".to_owned()
    } else {
        "request failed".to_owned()
    };
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
