//! What an outside probe found (issue 13), each as the rule it broke: the
//! sandbox gateway in production, staff playing a client's checkout, an
//! idempotency key stuck after a crash, unbounded amounts, spoofed
//! `X-Forwarded-For`, JSON over the limit, connections dropped after an early
//! answer, hyper's bodiless parse errors, look-alike e-mails.
#![allow(clippy::unwrap_used)]

use std::net::SocketAddr;

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
use serde_json::{Value, json};
use souk_core::accounts::Role;
use souk_db::entities::idempotency_keys;
use tokio::{
    io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader},
    net::TcpStream,
};
use uuid::Uuid;

use crate::support::*;

// --- money and payments ---------------------------------------------------

#[tokio::test]
async fn a_switched_off_sandbox_has_no_routes_and_is_refused_as_a_gateway() {
    let app = TestApp::with(Options {
        payments_sandbox: Some(false),
        ..Options::default()
    })
    .await;
    let client = app.register("client").await;
    let meta = app.get("/api/meta", None).await;
    meta.assert_status(200);
    assert_eq!(meta.body["gateways"], json!([]), "{}", meta.body);
    for body in [
        json!({"amount": 5000, "gateway": "sandbox"}),
        json!({"amount": 5000}),
    ] {
        let refused = app
            .post("/api/wallet/top-up", body, Some(&client.access))
            .await;
        refused.assert_error(400, "gateway_unavailable");
    }
    let id = Uuid::new_v4();
    for path in [
        format!("/api/payments/sandbox/{id}/complete"),
        format!("/api/payments/sandbox/{id}/fail"),
        "/api/payments/webhook/sandbox".to_owned(),
    ] {
        app.post(&path, json!({}), Some(&client.access))
            .await
            .assert_status(404);
    }
    app.get(&format!("/api/payments/sandbox/{id}"), Some(&client.access))
        .await
        .assert_status(404);
    assert_eq!(app.balance(&client).await["available"], 0);
}

#[tokio::test]
async fn the_sandbox_is_on_by_default_only_without_a_real_gateway() {
    use souk_core::Settings;
    assert!(Settings::sandbox_default(None, false));
    assert!(!Settings::sandbox_default(None, true));
    assert!(Settings::sandbox_default(Some(true), true));
    assert!(!Settings::sandbox_default(Some(false), false));
    let app = TestApp::spawn().await;
    let meta = app.get("/api/meta", None).await;
    assert_eq!(meta.body["gateways"], json!(["sandbox"]));
}

#[tokio::test]
async fn only_the_payer_plays_their_sandbox_checkout() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let stranger = app.register("client").await;
    let moderator = app.staff(Role::Moderator).await;
    let admin = app.staff(Role::Admin).await;
    let started = app
        .post(
            "/api/wallet/top-up",
            json!({"amount": 7000}),
            Some(&client.access),
        )
        .await;
    started.assert_status(201);
    let id = started.str("/paymentId");
    for (who, status) in [(&moderator, 403), (&admin, 403), (&stranger, 404)] {
        for outcome in ["complete", "fail"] {
            app.post(
                &format!("/api/payments/sandbox/{id}/{outcome}"),
                json!({}),
                Some(&who.access),
            )
            .await
            .assert_status(status);
        }
    }
    assert_eq!(app.balance(&client).await["available"], 0);
    // Staff still see it; the payer plays it.
    app.get(&format!("/api/payments/{id}"), Some(&moderator.access))
        .await
        .assert_status(200);
    app.post(
        &format!("/api/payments/sandbox/{id}/complete"),
        json!({}),
        Some(&client.access),
    )
    .await
    .assert_status(200);
    assert_eq!(app.balance(&client).await["available"], 7000);
}

/// Leaves the claim of `key` as a crash between the claim and its answer
/// would, `age_secs` old.
async fn leave_claim_unanswered(app: &TestApp, key: &str, age_secs: i64) {
    idempotency_keys::Entity::update_many()
        .col_expr(
            idempotency_keys::Column::ResponseStatus,
            Expr::value(Option::<i32>::None),
        )
        .col_expr(
            idempotency_keys::Column::ResponseBody,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            idempotency_keys::Column::CreatedAt,
            Expr::value(souk_core::time::now() - chrono::Duration::seconds(age_secs)),
        )
        .filter(idempotency_keys::Column::Key.eq(key))
        .exec(app.core.db.conn())
        .await
        .unwrap();
}

#[tokio::test]
async fn an_abandoned_idempotency_claim_is_taken_over_and_moves_nothing_twice() {
    let app = TestApp::spawn().await;
    let craftsman = app.register("craftsman").await;
    app.top_up(&craftsman, 20000).await;
    let key = format!("withdraw-{}", Uuid::new_v4());
    let body = json!({"amount": 5000, "method": "sandbox", "destination": "test account"});
    let headers = [("Idempotency-Key", key.as_str())];
    let send = || {
        app.post_with(
            "/api/wallet/withdraw",
            body.clone(),
            Some(&craftsman.access),
            &headers,
        )
    };
    let first = send().await;
    first.assert_status(201);
    let withdrawal = first.str("/id");
    assert_eq!(app.balance(&craftsman).await["available"], 15000);

    // A claim younger than any request may run is still in flight.
    leave_claim_unanswered(&app, &key, 5).await;
    send().await.assert_error(409, "idempotency_in_progress");

    // Older than the request timeout and its margin: the retry runs again,
    // answers the same withdrawal, and holds the money once.
    leave_claim_unanswered(&app, &key, 3600).await;
    let retried = send().await;
    retried.assert_status(201);
    assert_eq!(retried.str("/id"), withdrawal);
    assert_eq!(app.balance(&craftsman).await["available"], 15000);
    let list = app
        .get("/api/wallet/withdrawals", Some(&craftsman.access))
        .await;
    assert_eq!(list.body["pagination"]["totalItems"], 1, "{}", list.body);
    // And the answer is kept again: the next retry is a replay.
    let replay = send().await;
    replay.assert_status(201);
    assert_eq!(replay.headers["idempotent-replayed"], "true");
    crate::money::assert_balanced(&app).await;
}

#[tokio::test]
async fn a_retried_top_up_answers_the_same_payment() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let key = format!("top-up-{}", Uuid::new_v4());
    let headers = [("Idempotency-Key", key.as_str())];
    let send = || {
        app.post_with(
            "/api/wallet/top-up",
            json!({"amount": 3000}),
            Some(&client.access),
            &headers,
        )
    };
    let first = send().await;
    first.assert_status(201);
    leave_claim_unanswered(&app, &key, 3600).await;
    let retried = send().await;
    retried.assert_status(201);
    assert_eq!(retried.str("/paymentId"), first.str("/paymentId"));
    let history = app.get("/api/payments/history", Some(&client.access)).await;
    assert_eq!(history.body["pagination"]["totalItems"], 1);
}

#[tokio::test]
async fn every_money_amount_has_one_documented_maximum() {
    let app = TestApp::spawn().await;
    let max = app.get("/api/meta", None).await.body["maxAmount"]
        .as_i64()
        .unwrap();
    assert_eq!(max, 100_000_000);
    let over = max + 1;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let admin = app.staff(Role::Admin).await;
    let field_refused = |response: &TestResponse, field: &str| {
        response.assert_error(400, "validation_failed");
        assert!(
            response.body["details"]["fields"][field].is_string(),
            "{field}: {}",
            response.body
        );
    };

    let job = JobBuilder::new(&app, &client).post().await;
    let job_id = job["id"].as_str().unwrap().to_owned();
    let price = app
        .post(
            &format!("/api/jobs/{job_id}/quotes"),
            json!({"price": 100_000_000_000_i64}),
            Some(&craftsman.access),
        )
        .await;
    field_refused(&price, "price");
    QuoteBuilder::new(&app, &craftsman, &job_id)
        .price(max)
        .submit()
        .await;

    let tip = format!("/api/jobs/{job_id}/tip");
    let cases = [
        (
            "POST",
            "/api/jobs",
            JobBuilder::new(&app, &client).budget_max(over).body(),
            &client,
            "budgetMax",
        ),
        (
            "POST",
            "/api/admin/packages",
            json!({"nameEn": "Huge", "nameAr": "ضخم", "price": over, "credit": over}),
            &admin,
            "price",
        ),
        (
            "POST",
            "/api/wallet/top-up",
            json!({"amount": over}),
            &client,
            "amount",
        ),
        (
            "POST",
            tip.as_str(),
            json!({"amount": over}),
            &client,
            "amount",
        ),
        (
            "POST",
            "/api/wallet/withdraw",
            json!({"amount": over, "method": "sandbox", "destination": "x"}),
            &craftsman,
            "amount",
        ),
        (
            "PUT",
            "/api/admin/settings",
            json!({"cashDebtLimit": over}),
            &admin,
            "cashDebtLimit",
        ),
    ];
    for (method, path, body, who, field) in cases {
        let method = axum::http::Method::from_bytes(method.as_bytes()).unwrap();
        let response = app
            .call(method, path, Some(body), Some(&who.access), &[])
            .await;
        field_refused(&response, field);
    }
}

// --- the edge -------------------------------------------------------------

#[tokio::test]
async fn spoofed_forwarded_for_entries_do_not_dodge_rate_limits() {
    let app = TestApp::with(Options {
        trust_proxy: true,
        ..Options::auth_limited(10)
    })
    .await;
    let body = json!({"loginIdentifier": "nobody@example.com", "password": "whatever-1"});
    let login = |forwarded: String| {
        let body = body.clone();
        let app = &app;
        async move {
            app.post_with(
                "/api/auth/login",
                body,
                None,
                &[("X-Forwarded-For", forwarded.as_str())],
            )
            .await
            .status
            .as_u16()
        }
    };
    // The proxy (loopback, trusted) appends the real client, 203.0.113.7;
    // the client writes whatever it likes to the left of it.
    let mut statuses = Vec::new();
    for i in 0..25 {
        statuses.push(login(format!("198.51.100.{i}, 10.0.0.{i}, 203.0.113.7")).await);
    }
    assert_eq!(statuses.iter().filter(|s| **s == 401).count(), 10);
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 15);
    // Another client behind the same proxy has its own budget.
    assert_eq!(login("203.0.113.8".into()).await, 401);
    // Rotating inside one IPv6 /64 buys nothing either.
    for i in 0..10 {
        assert_eq!(login(format!("2001:db8::{i:x}")).await, 401);
    }
    assert_eq!(login("2001:db8::ffff".into()).await, 429);
}

#[tokio::test]
async fn json_bodies_obey_the_json_limit_on_every_route() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    // 2 MiB of JSON where photos (multipart) may be larger.
    let big = JobBuilder::new(&app, &client)
        .description(&"x".repeat(2 * 1024 * 1024))
        .body();
    let refused = app.post("/api/jobs", big, Some(&client.access)).await;
    refused.assert_error(413, "payload_too_large");
    // Without a declared length, reading stops at the limit too.
    let chunks = futures::stream::iter(
        (0..40).map(|_| Ok::<_, std::io::Error>(bytes::Bytes::from(vec![b' '; 64 * 1024]))),
    );
    let request = axum::http::Request::post("/api/jobs")
        .header("authorization", format!("Bearer {}", client.access))
        .header("content-type", "application/json")
        .body(axum::body::Body::from_stream(chunks))
        .unwrap();
    app.send(request)
        .await
        .assert_error(413, "payload_too_large");
}

/// One keep-alive HTTP/1.1 connection, spoken by hand.
struct Connection {
    reader: BufReader<TcpStream>,
}

/// A response read off the wire.
struct Wire {
    status: u16,
    headers: Vec<(String, String)>,
    body: Value,
}

impl Wire {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

impl Connection {
    async fn open(address: SocketAddr) -> Self {
        Self {
            reader: BufReader::new(TcpStream::connect(address).await.unwrap()),
        }
    }

    /// Sends one request (a `content-length` header overrides the body's
    /// own, to announce a body that is not sent); `Err` when the connection
    /// was dropped.
    async fn send(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, String)],
        body: &[u8],
    ) -> std::io::Result<Wire> {
        let mut head = format!("{method} {path} HTTP/1.1\r\nhost: souk.test\r\n");
        if !headers.iter().any(|(n, _)| *n == "content-length") {
            head.push_str(&format!("content-length: {}\r\n", body.len()));
        }
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        let stream = self.reader.get_mut();
        stream.write_all(head.as_bytes()).await?;
        stream.write_all(body).await?;
        self.read_response().await
    }

    async fn read_response(&mut self) -> std::io::Result<Wire> {
        let mut line = String::new();
        if self.reader.read_line(&mut line).await? == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        let status = line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or(std::io::ErrorKind::InvalidData)?;
        let mut headers = Vec::new();
        loop {
            line.clear();
            self.reader.read_line(&mut line).await?;
            let trimmed = line.trim_end();
            if trimmed.is_empty() {
                break;
            }
            if let Some((name, value)) = trimmed.split_once(':') {
                headers.push((name.trim().to_owned(), value.trim().to_owned()));
            }
        }
        let length: usize = headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(0);
        let mut body = vec![0; length];
        self.reader.read_exact(&mut body).await?;
        Ok(Wire {
            status,
            headers,
            body: serde_json::from_slice(&body).unwrap_or(Value::Null),
        })
    }
}

#[tokio::test]
async fn early_answers_keep_the_connection_usable_or_say_they_close_it() {
    let app = TestApp::with(Options::auth_limited(3)).await;
    let address = app.serve_on_port().await;
    let mut conn = Connection::open(address).await;
    let json_type = ("content-type", "application/json".to_owned());
    let login = br#"{"loginIdentifier":"nobody@example.com","password":"whatever-1"}"#;
    let mut statuses = Vec::new();
    for _ in 0..4 {
        let answer = conn
            .send(
                "POST",
                "/api/auth/login",
                std::slice::from_ref(&json_type),
                login,
            )
            .await
            .unwrap();
        statuses.push(answer.status);
        if answer.status == 429 {
            assert!(answer.header("retry-after").is_some());
        }
    }
    // The fourth is refused before its body is read …
    assert_eq!(statuses, [401, 401, 401, 429]);
    // … and the same connection still serves the next request.
    let next = conn.send("GET", "/api/ping", &[], b"").await.unwrap();
    assert_eq!(next.status, 200, "{:?}", next.body);

    // A 401 before the body is read, likewise.
    let job = br#"{"title":"Fix the sink"}"#;
    let unauthorized = conn
        .send("POST", "/api/jobs", std::slice::from_ref(&json_type), job)
        .await
        .unwrap();
    assert_eq!(unauthorized.status, 401);
    assert_eq!(unauthorized.body["code"], "unauthorized");
    let next = conn.send("GET", "/api/ping", &[], b"").await.unwrap();
    assert_eq!(next.status, 200);

    // A large unread body is not worth reading: the answer (sent before
    // the client has sent the body) says the connection closes, and it does.
    let closing = conn
        .send(
            "POST",
            "/api/jobs",
            &[
                json_type.clone(),
                ("content-length", (300 * 1024).to_string()),
            ],
            b"",
        )
        .await
        .unwrap();
    assert_eq!(closing.status, 401);
    assert_eq!(closing.header("connection"), Some("close"));
    assert!(conn.send("GET", "/api/ping", &[], b"").await.is_err());
}

#[tokio::test]
async fn parse_errors_of_the_http_layer_carry_the_envelope() {
    let app = TestApp::spawn().await;
    let address = app.serve_on_port().await;
    let long = format!("/api/jobs?q={}", "a".repeat(70 * 1024));
    let too_long = Connection::open(address)
        .await
        .send("GET", &long, &[], b"")
        .await
        .unwrap();
    assert_eq!(too_long.status, 414);
    assert_eq!(too_long.header("content-type"), Some("application/json"));
    assert_eq!(too_long.body["code"], "uri_too_long");
    assert!(
        too_long.body["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty())
    );

    let huge_header = ("x-filler", "a".repeat(512 * 1024));
    let too_large = Connection::open(address)
        .await
        .send("GET", "/api/ping", &[huge_header], b"")
        .await
        .unwrap();
    assert_eq!(too_large.status, 431);
    assert_eq!(too_large.body["code"], "headers_too_large");

    let mut raw = TcpStream::connect(address).await.unwrap();
    raw.write_all(b"GET /api/ping HTTP/1.1\r\nbad header line\r\n\r\n")
        .await
        .unwrap();
    let mut reply = String::new();
    raw.read_to_string(&mut reply).await.unwrap();
    assert!(reply.starts_with("HTTP/1.1 400"), "{reply}");
    assert!(reply.contains("\"code\":\"malformed_request\""), "{reply}");

    // The application's own answers pass untouched.
    let ping = Connection::open(address)
        .await
        .send("GET", "/api/ping", &[], b"")
        .await
        .unwrap();
    assert_eq!(ping.status, 200);
    assert_eq!(ping.body["pong"], true);
}

#[tokio::test]
async fn look_alike_emails_of_existing_accounts_cannot_register() {
    let app = TestApp::spawn().await;
    let staff = app.staff(Role::Admin).await;
    let (local, domain) = staff.email.split_once('@').unwrap();
    // Cyrillic "а" (U+0430) for the Latin "a" of "admin-…".
    let look_alike = format!("{}@{domain}", local.replacen('a', "\u{430}", 1));
    assert_ne!(look_alike, staff.email);
    let refused = app
        .post(
            "/api/auth/register",
            json!({"email": look_alike, "password": PASSWORD, "role": "client",
                   "firstName": "Eve", "lastName": "Mallory"}),
            None,
        )
        .await;
    refused.assert_error(409, "email_taken");
    assert_eq!(refused.body["details"]["field"], "email");
    // A different address still registers.
    app.register("client").await;
}
