//! SSRF refusals, pinning, redirects, timeouts and excerpts, against a local axum server.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use std::net::IpAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::IntoResponse;
use axum::routing::{any, post as post_route};

use super::*;

const STRICT: OutboundPolicy = OutboundPolicy {
    allow_loopback_http: false,
};
const LOCAL: OutboundPolicy = OutboundPolicy {
    allow_loopback_http: true,
};

/// What the local server saw: (path, headers, body).
type Seen = Arc<Mutex<Vec<(String, HeaderMap, String)>>>;

async fn record(State(seen): State<Seen>, uri: Uri, headers: HeaderMap, body: String) {
    seen.lock()
        .unwrap()
        .push((uri.path().to_owned(), headers, body));
}

async fn hook_handler(
    state: State<Seen>,
    uri: Uri,
    headers: HeaderMap,
    body: String,
) -> &'static str {
    record(state, uri, headers, body).await;
    "thanks"
}

async fn moved(
    state: State<Seen>,
    uri: Uri,
    headers: HeaderMap,
    body: String,
) -> impl IntoResponse {
    record(state, uri, headers, body).await;
    (
        StatusCode::FOUND,
        [(header::LOCATION, "/elsewhere")],
        "moved",
    )
}

async fn slow() -> &'static str {
    tokio::time::sleep(Duration::from_secs(5)).await;
    "late"
}

async fn chatty() -> impl IntoResponse {
    (StatusCode::INTERNAL_SERVER_ERROR, "é".repeat(3000))
}

async fn server() -> (String, Seen) {
    let seen: Seen = Arc::default();
    let app = Router::new()
        .route("/hook", post_route(hook_handler))
        .route("/moved", post_route(moved))
        .route("/elsewhere", any(record))
        .route("/slow", post_route(slow))
        .route("/chatty", post_route(chatty))
        .with_state(Arc::clone(&seen));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (base, seen)
}

fn hook(url: String) -> WebhookPost {
    WebhookPost {
        url,
        body: r#"{"event":"job.created"}"#.to_owned(),
        headers: vec![
            ("X-Souk-Signature".to_owned(), "t=1,v1=abc".to_owned()),
            ("Host".to_owned(), "evil.example".to_owned()),
        ],
    }
}

#[test]
fn https_is_required() {
    assert_eq!(
        check_url("http://example.com/hook", &STRICT),
        Err(UrlRefusal::NotHttps)
    );
    assert_eq!(
        check_url("ftp://example.com/hook", &STRICT),
        Err(UrlRefusal::NotHttps)
    );
    assert_eq!(
        check_url("file:///etc/passwd", &LOCAL),
        Err(UrlRefusal::NotHttps)
    );
    assert_eq!(
        check_url("http://example.com/hook", &LOCAL),
        Err(UrlRefusal::NotHttps)
    );
    let ok = check_url("https://example.com/hook?x=1", &STRICT).unwrap();
    assert_eq!(ok.host_str(), Some("example.com"));
}

#[test]
fn http_loopback_only_when_allowed() {
    for url in [
        "http://127.0.0.1:8080/h",
        "http://localhost/h",
        "http://[::1]:9/h",
        "http://127.3.2.1/",
    ] {
        assert!(check_url(url, &LOCAL).is_ok(), "{url}");
        assert_eq!(check_url(url, &STRICT), Err(UrlRefusal::NotHttps), "{url}");
    }
    assert_eq!(
        check_url("https://127.0.0.1/h", &STRICT),
        Err(UrlRefusal::PrivateAddress)
    );
    assert_eq!(
        check_url("https://api.localhost/h", &STRICT),
        Err(UrlRefusal::PrivateAddress)
    );
}

#[test]
fn private_literals_are_refused() {
    for url in [
        "https://10.0.0.1/",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::ffff:127.0.0.1]/",
        "https://[::ffff:a9fe:a9fe]/",
        "https://[fd00::1]/",
        "https://[fe80::1]/",
        "https://192.168.1.1/",
        "https://172.31.255.255/",
        "https://100.64.0.1/",
        "https://0.0.0.0/",
        "https://0x7f.1/",
        "https://2130706433/",
        "https://[64:ff9b::a00:1]/",
        "https://[2002:a00:1::]/",
    ] {
        assert_eq!(
            check_url(url, &STRICT),
            Err(UrlRefusal::PrivateAddress),
            "{url}"
        );
    }
}

#[test]
fn malformed_urls_are_refused() {
    for url in [
        "not a url",
        "https://user:pw@example.com/",
        "https://user@example.com/",
        "/relative",
        "https://",
    ] {
        assert_eq!(check_url(url, &STRICT), Err(UrlRefusal::Malformed), "{url}");
    }
    assert!(!UrlRefusal::PrivateAddress.to_string().is_empty());
}

#[test]
fn forbidden_ip_ranges() {
    let forbidden = [
        "0.1.2.3",
        "10.1.1.1",
        "100.127.255.255",
        "127.0.0.1",
        "169.254.0.1",
        "172.16.0.1",
        "192.0.0.8",
        "192.0.2.1",
        "192.168.0.1",
        "198.18.0.1",
        "198.51.100.7",
        "203.0.113.9",
        "224.0.0.1",
        "239.255.255.250",
        "255.255.255.255",
        "::",
        "::1",
        "::ffff:10.0.0.1",
        "::ffff:192.168.1.1",
        "fc00::1",
        "fdff::1",
        "fe80::1",
        "febf::1",
        "ff02::1",
        "2001:db8::1",
        "64:ff9b::7f00:1",
        "2001::1",
    ];
    for ip in forbidden {
        let ip: IpAddr = ip.parse().unwrap();
        assert!(is_forbidden_ip(ip, &STRICT), "{ip} should be forbidden");
    }
    let public = [
        "1.1.1.1",
        "8.8.8.8",
        "100.63.255.255",
        "100.128.0.1",
        "172.32.0.1",
        "192.169.0.1",
        "2606:4700:4700::1111",
        "2a00:1450:4001::200e",
        "::ffff:8.8.8.8",
        "64:ff9b::808:808",
    ];
    for ip in public {
        let ip: IpAddr = ip.parse().unwrap();
        assert!(!is_forbidden_ip(ip, &STRICT), "{ip} should be allowed");
    }
    for ip in ["127.0.0.1", "::1", "::ffff:127.0.0.1"] {
        assert!(!is_forbidden_ip(ip.parse().unwrap(), &LOCAL), "{ip}");
    }
    assert!(is_forbidden_ip("10.0.0.1".parse().unwrap(), &LOCAL));
}

#[tokio::test]
async fn a_name_resolving_to_loopback_is_refused_without_the_policy() {
    // `check_url` already refuses the name itself; `resolve_checked` refuses what it resolves to.
    let url = Url::parse("https://localhost:8443/hook").unwrap();
    assert_eq!(
        resolve_checked(&url, &STRICT).await,
        Err(UrlRefusal::PrivateAddress)
    );
    let addrs = resolve_checked(&url, &LOCAL).await.unwrap();
    assert!(
        addrs
            .iter()
            .all(|a| a.ip().is_loopback() && a.port() == 8443)
    );

    let result = post(&hook("https://localhost/hook".to_owned()), &STRICT).await;
    assert_eq!(result.status, None);
    assert_eq!(result.error, Some(UrlRefusal::PrivateAddress.to_string()));
}

#[tokio::test]
async fn unresolvable_names_are_refused() {
    let url = Url::parse("https://souk-webhook-test.invalid/hook").unwrap();
    assert_eq!(
        resolve_checked(&url, &STRICT).await,
        Err(UrlRefusal::Unresolvable)
    );
}

#[tokio::test]
async fn posts_json_with_our_headers() {
    let (base, seen) = server().await;
    let result = post(&hook(format!("{base}/hook")), &LOCAL).await;
    assert_eq!(result.status, Some(200));
    assert_eq!(result.excerpt, "thanks");
    assert_eq!(result.error, None);
    assert!(result.latency_ms >= 0);
    let seen = seen.lock().unwrap();
    let (path, headers, body) = &seen[0];
    assert_eq!(path, "/hook");
    assert_eq!(body, r#"{"event":"job.created"}"#);
    assert_eq!(headers[header::CONTENT_TYPE], "application/json");
    assert_eq!(headers[header::USER_AGENT], "Souk-Webhooks/1");
    assert_eq!(headers["x-souk-signature"], "t=1,v1=abc");
    assert_ne!(headers[header::HOST], "evil.example");
}

#[tokio::test]
async fn connection_is_pinned_to_the_checked_addresses() {
    let (base, seen) = server().await;
    let addr: SocketAddr = base.trim_start_matches("http://").parse().unwrap();
    // A name no resolver knows: the request can only arrive through the pinned address.
    let url = Url::parse(&format!("http://pinned.invalid:{}/hook", addr.port())).unwrap();
    let request = hook(url.to_string());
    let (status, _) = send_pinned(&url, &[addr], &request, Duration::from_secs(5))
        .await
        .unwrap();
    assert_eq!(status, 200);
    let seen = seen.lock().unwrap();
    assert_eq!(
        seen[0].1[header::HOST],
        format!("pinned.invalid:{}", addr.port())
    );
}

#[tokio::test]
async fn redirects_are_not_followed() {
    let (base, seen) = server().await;
    let result = post(&hook(format!("{base}/moved")), &LOCAL).await;
    assert_eq!(result.status, Some(302));
    assert_eq!(result.excerpt, "moved");
    assert_eq!(result.error.as_deref(), Some("HTTP 302 Found"));
    let paths: Vec<String> = seen.lock().unwrap().iter().map(|s| s.0.clone()).collect();
    assert_eq!(paths, ["/moved"]);
}

#[tokio::test]
async fn slow_endpoints_time_out() {
    let (base, _) = server().await;
    let started = Instant::now();
    let result = post_with_timeout(
        &hook(format!("{base}/slow")),
        &LOCAL,
        Duration::from_millis(300),
    )
    .await;
    assert!(started.elapsed() < Duration::from_secs(3));
    assert_eq!(result.status, None);
    assert!(
        result.error.as_deref().unwrap().contains("timed out"),
        "{result:?}"
    );
}

#[tokio::test]
async fn response_excerpt_is_capped() {
    let (base, _) = server().await;
    let result = post(&hook(format!("{base}/chatty")), &LOCAL).await;
    assert_eq!(result.status, Some(500));
    assert_eq!(result.excerpt.chars().count(), 500);
    assert!(result.excerpt.chars().all(|c| c == 'é'));
    assert_eq!(
        result.error.as_deref(),
        Some("HTTP 500 Internal Server Error")
    );
}

#[tokio::test]
async fn refused_connections_are_reported() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead = listener.local_addr().unwrap();
    drop(listener);
    let result = post(&hook(format!("http://{dead}/hook")), &LOCAL).await;
    assert_eq!(result.status, None);
    assert!(
        result
            .error
            .as_deref()
            .unwrap()
            .starts_with("could not connect"),
        "{result:?}"
    );
}
