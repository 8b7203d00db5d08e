//! The OpenAPI document against the router (both directions) and against its
//! committed snapshot, the Swagger UI, and the Prometheus metrics endpoint.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;

use axum::http::Method;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::support::*;

/// Every operation the API must document.
/// Foundation operations (issue 2).
const EXPECTED_FOUNDATION: &[(&str, &str)] = &[
    ("get", "/api/health"),
    ("get", "/api/ping"),
    ("get", "/api/meta"),
    ("get", "/metrics"),
    ("post", "/api/send-email"),
    ("post", "/api/auth/register"),
    ("post", "/api/auth/login"),
    ("post", "/api/auth/refresh"),
    ("post", "/api/auth/logout"),
    ("post", "/api/auth/forgot-password"),
    ("post", "/api/auth/reset-password"),
    ("post", "/api/auth/change-password"),
    ("post", "/api/auth/verify-email"),
    ("post", "/api/auth/verify-email/resend"),
    ("get", "/api/auth/me"),
    ("get", "/api/users/me"),
    ("put", "/api/users/me"),
    ("delete", "/api/users/me"),
    ("put", "/api/users/me/avatar"),
    ("get", "/api/users"),
    ("get", "/api/users/{userId}"),
    ("get", "/api/admin/users"),
    ("post", "/api/admin/users/create-admin"),
    ("patch", "/api/admin/users/{userId}/ban"),
    ("patch", "/api/admin/users/{userId}/unban"),
    ("patch", "/api/admin/users/{userId}/role"),
    ("delete", "/api/admin/users/{userId}"),
    ("get", "/api/admin/activity-log"),
    // The catch-all route, documented as a plain OpenAPI template.
    ("get", "/uploads/{key}"),
];

/// Catalog and craftsman-profile operations (issue 3).
const EXPECTED_CATALOG: &[(&str, &str)] = &[
    ("get", "/api/services"),
    ("post", "/api/services"),
    ("get", "/api/services/{id}"),
    ("put", "/api/services/{id}"),
    ("delete", "/api/services/{id}"),
    ("put", "/api/users/me/skills"),
    ("put", "/api/users/me/availability"),
    ("post", "/api/users/me/portfolio"),
    ("delete", "/api/users/me/portfolio/{imageId}"),
];

/// Jobs, quotes, invitations, orders and notifications (issue 3).
const EXPECTED_MARKETPLACE: &[(&str, &str)] = &[
    ("post", "/api/jobs"),
    ("get", "/api/jobs"),
    ("get", "/api/jobs/{jobId}"),
    ("put", "/api/jobs/{jobId}"),
    ("delete", "/api/jobs/{jobId}"),
    ("patch", "/api/jobs/{jobId}/status"),
    ("post", "/api/jobs/{jobId}/submit"),
    ("post", "/api/jobs/{jobId}/approve"),
    ("delete", "/api/admin/jobs/{jobId}"),
    ("post", "/api/jobs/{jobId}/quotes"),
    ("get", "/api/jobs/{jobId}/quotes"),
    ("post", "/api/jobs/{jobId}/quotes/{quoteId}/accept"),
    ("post", "/api/jobs/{jobId}/quotes/{quoteId}/decline"),
    ("delete", "/api/jobs/{jobId}/quotes/{quoteId}"),
    ("get", "/api/quotes/mine"),
    ("post", "/api/jobs/{jobId}/invite"),
    ("get", "/api/jobs/{jobId}/invitations"),
    ("post", "/api/jobs/{jobId}/invitations/respond"),
    ("get", "/api/invitations/mine"),
    ("get", "/api/orders/client"),
    ("get", "/api/orders/craftsman"),
    ("get", "/api/notifications"),
    ("get", "/api/notifications/unread-count"),
    ("post", "/api/notifications/mark-read"),
    ("delete", "/api/notifications/{id}"),
];

/// Wallet, payments, escrow, tips, withdrawals and money settings (issue 4).
const EXPECTED_MONEY: &[(&str, &str)] = &[
    ("get", "/api/wallet/balance"),
    ("get", "/api/wallet/transactions"),
    ("get", "/api/wallet/packages"),
    ("post", "/api/wallet/top-up"),
    ("post", "/api/wallet/withdraw"),
    ("get", "/api/wallet/withdrawals"),
    ("get", "/api/wallet/fees-due"),
    ("post", "/api/wallet/fees/pay"),
    ("post", "/api/payments/initiate"),
    ("get", "/api/payments/history"),
    ("get", "/api/payments/{paymentId}"),
    ("post", "/api/payments/{paymentId}/refund"),
    ("get", "/api/payments/sandbox/{paymentId}"),
    ("post", "/api/payments/sandbox/{paymentId}/complete"),
    ("post", "/api/payments/sandbox/{paymentId}/fail"),
    ("post", "/api/payments/webhook/{gateway}"),
    ("get", "/api/jobs/{jobId}/escrow"),
    ("post", "/api/jobs/{jobId}/escrow/fund"),
    ("post", "/api/jobs/{jobId}/tip"),
    ("post", "/api/admin/contracts/{contractId}/refund"),
    ("get", "/api/admin/ledger/check"),
    ("get", "/api/admin/settings"),
    ("put", "/api/admin/settings"),
    ("get", "/api/admin/packages"),
    ("post", "/api/admin/packages"),
    ("put", "/api/admin/packages/{packageId}"),
    ("delete", "/api/admin/packages/{packageId}"),
    ("get", "/api/admin/withdrawals"),
    ("post", "/api/admin/withdrawals/{withdrawalId}/approve"),
    ("post", "/api/admin/withdrawals/{withdrawalId}/reject"),
];

/// Chat (issue 15): conversations, messages, files, receipts, blocking.
const EXPECTED_CHAT: &[(&str, &str)] = &[
    ("get", "/api/conversations"),
    ("post", "/api/conversations"),
    ("get", "/api/conversations/unread-count"),
    ("get", "/api/conversations/{conversationId}"),
    ("get", "/api/conversations/{conversationId}/messages"),
    ("post", "/api/conversations/{conversationId}/messages"),
    (
        "patch",
        "/api/conversations/{conversationId}/messages/{messageId}",
    ),
    (
        "delete",
        "/api/conversations/{conversationId}/messages/{messageId}",
    ),
    (
        "post",
        "/api/conversations/{conversationId}/messages/{messageId}/report",
    ),
    ("post", "/api/conversations/{conversationId}/attachments"),
    (
        "get",
        "/api/conversations/{conversationId}/attachments/{attachmentId}",
    ),
    ("post", "/api/conversations/{conversationId}/read"),
    ("post", "/api/conversations/{conversationId}/block"),
    ("delete", "/api/conversations/{conversationId}/block"),
    ("get", "/api/jobs/{jobId}/messages"),
    ("post", "/api/jobs/{jobId}/messages"),
];

/// Every operation the API must document.
fn expected() -> Vec<(&'static str, &'static str)> {
    [
        EXPECTED_FOUNDATION,
        EXPECTED_CATALOG,
        EXPECTED_MARKETPLACE,
        EXPECTED_MONEY,
        EXPECTED_CHAT,
    ]
    .concat()
}

const HTTP_METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Operations without error responses of their own.
const NO_ERROR_BODY: &[&str] = &["/api/ping", "/api/meta", "/api/health", "/metrics"];

async fn document(app: &TestApp) -> Value {
    let resp = app.get("/api/openapi.json", None).await;
    resp.assert_status(200);
    let content_type = resp.headers["content-type"].to_str().unwrap();
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}"
    );
    resp.body
}

/// Every `(method, path, operation)` in the document.
fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut found = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().unwrap() {
            if HTTP_METHODS.contains(&method.to_ascii_lowercase().as_str()) {
                found.push((method.to_ascii_lowercase(), path.clone(), operation.clone()));
            }
        }
    }
    found
}

/// A concrete URL for a templated path.
fn concrete(path: &str) -> String {
    path.split('/')
        .map(|segment| {
            if segment == "{key}" {
                "avatars/x.png".to_owned()
            } else if segment.starts_with('{') && segment.ends_with('}') {
                Uuid::new_v4().to_string()
            } else {
                segment.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// True when a `$ref` to ErrorBody appears anywhere under `value`.
fn refers_to_error_body(value: &Value) -> bool {
    match value {
        Value::Object(map) => map.iter().any(|(k, v)| {
            (k == "$ref" && v.as_str() == Some("#/components/schemas/ErrorBody"))
                || refers_to_error_body(v)
        }),
        Value::Array(items) => items.iter().any(refers_to_error_body),
        _ => false,
    }
}

#[tokio::test]
async fn document_lists_every_route() {
    let app = TestApp::spawn().await;
    let doc = document(&app).await;

    assert!(
        doc["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3.1")),
        "openapi: {}",
        doc["openapi"]
    );
    assert_eq!(doc["info"]["title"], "Souk API");
    let bearer = &doc["components"]["securitySchemes"]["bearer"];
    assert_eq!(bearer["type"], "http", "{bearer}");
    assert_eq!(
        bearer["scheme"]
            .as_str()
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("bearer")
    );
    let error_body = &doc["components"]["schemas"]["ErrorBody"];
    assert!(error_body.is_object(), "no ErrorBody schema");
    for field in ["message", "code", "details"] {
        assert!(
            error_body["properties"][field].is_object(),
            "ErrorBody.{field}: {error_body}"
        );
    }

    // The served document is the one the router was built with.
    assert_eq!(doc, serde_json::to_value(&app.openapi).unwrap());

    let documented: BTreeSet<(String, String)> = operations(&doc)
        .into_iter()
        .map(|(method, path, _)| (method, path))
        .collect();
    let expected = expected();
    let missing: Vec<_> = expected
        .iter()
        .filter(|(m, p)| !documented.contains(&((*m).to_owned(), (*p).to_owned())))
        .collect();
    assert!(
        missing.is_empty(),
        "undocumented: {missing:?}\ndocumented: {documented:?}"
    );

    // Path parameters are declared for templated paths.
    let by_id = &doc["paths"]["/api/users/{userId}"]["get"]["parameters"];
    assert!(
        by_id
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["name"] == "userId" && p["in"] == "path"),
        "{by_id}"
    );
    // Authenticated operations name the bearer scheme.
    let me = &doc["paths"]["/api/users/me"]["get"];
    assert!(
        me["security"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s.get("bearer").is_some()),
        "{me}"
    );
}

/// The whole document, as served, against the snapshot committed in
/// `tests/it/snapshots/it__openapi__openapi_document.snap`: any change to a
/// route, a parameter, a schema or a description shows up as a diff here and
/// has to be accepted on purpose. The crate's version is redacted (it changes
/// with each release, not with the API).
///
/// After an intended change, update the snapshot and commit it with the change:
///
/// ```text
/// # run it: a mismatch leaves the new document beside the old as a .snap.new,
/// cargo test -p souk-api --test it -- openapi::the_document_matches_its_snapshot
/// # then look at the diff and accept it (cargo install cargo-insta):
/// cargo insta review
/// # or, without cargo-insta, overwrite the snapshot and read `git diff`:
/// INSTA_UPDATE=always cargo test -p souk-api --test it -- openapi::the_document_matches_its_snapshot
/// ```
///
/// CI runs with `CI=true`, where insta writes nothing and a mismatch fails.
#[tokio::test]
async fn the_document_matches_its_snapshot() {
    let app = TestApp::spawn().await;
    let doc = document(&app).await;
    insta::assert_json_snapshot!("openapi_document", doc, {
        ".info.version" => "[version]",
    });
}

#[tokio::test]
async fn every_documented_operation_is_routed_and_documents_its_answers() {
    let app = TestApp::spawn().await;
    let doc = document(&app).await;
    let ops = operations(&doc);
    assert!(
        ops.len() >= expected().len(),
        "only {} operations",
        ops.len()
    );

    let mut problems = Vec::new();
    for (method, path, operation) in &ops {
        let url = concrete(path);
        let http_method = Method::from_bytes(method.to_ascii_uppercase().as_bytes()).unwrap();
        let body = matches!(method.as_str(), "post" | "put" | "patch").then(|| json!({}));
        let resp = app.call(http_method, &url, body, None, &[]).await;
        if resp.status == 405 {
            problems.push(format!("{method} {path} ({url}): 405 {}", resp.body));
        }
        if resp.status == 404 && resp.body["code"] == "route_not_found" {
            problems.push(format!("{method} {path} ({url}): route_not_found"));
        }

        let responses = operation["responses"]
            .as_object()
            .unwrap_or_else(|| panic!("{method} {path} has no responses"));
        if !responses.keys().any(|code| code.starts_with('2')) {
            problems.push(format!("{method} {path}: no 2xx response documented"));
        }
        if !NO_ERROR_BODY.contains(&path.as_str()) {
            let has_error = responses
                .iter()
                .any(|(code, r)| code.starts_with('4') && refers_to_error_body(&r["content"]));
            if !has_error {
                problems.push(format!("{method} {path}: no 4xx response with ErrorBody"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));

    // The check can fail: an undocumented API path answers route_not_found.
    app.get("/api/definitely-not-routed", None)
        .await
        .assert_error(404, "route_not_found");
    app.call(Method::PATCH, "/api/users/me", Some(json!({})), None, &[])
        .await
        .assert_status(405);
}

#[tokio::test]
async fn swagger_ui_is_served() {
    let app = TestApp::spawn().await;

    let bare = app.get("/api/docs", None).await;
    let page = if bare.status.is_redirection() {
        let location = bare.headers["location"].to_str().unwrap().to_owned();
        assert!(location.ends_with("/api/docs/"), "{location}");
        app.get(&location, None).await
    } else {
        bare
    };
    for resp in [page, app.get("/api/docs/", None).await] {
        resp.assert_status(200);
        let content_type = resp.headers["content-type"].to_str().unwrap();
        assert!(content_type.starts_with("text/html"), "{content_type}");
        let html = String::from_utf8_lossy(&resp.bytes).to_lowercase();
        assert!(html.contains("swagger"), "{html}");
    }

    let css = app.get("/api/docs/swagger-ui.css", None).await;
    css.assert_status(200);
    let content_type = css.headers["content-type"].to_str().unwrap();
    assert!(content_type.starts_with("text/css"), "{content_type}");
    assert!(String::from_utf8_lossy(&css.bytes).contains(".swagger-ui"));

    let init = app.get("/api/docs/swagger-initializer.js", None).await;
    init.assert_status(200);
    assert!(
        String::from_utf8_lossy(&init.bytes).contains("/api/openapi.json"),
        "the UI does not point at the document"
    );

    app.get("/api/docs/no-such-asset.js", None)
        .await
        .assert_status(404);
}

#[tokio::test]
async fn metrics_count_requests_and_report_the_pool() {
    let app = TestApp::spawn().await;
    app.get("/api/ping", None).await.assert_status(200);
    app.get("/api/ping", None).await.assert_status(200);
    app.get("/api/users/me", None).await.assert_status(401);

    let resp = app.get("/metrics", None).await;
    resp.assert_status(200);
    let content_type = resp.headers["content-type"].to_str().unwrap();
    assert!(content_type.starts_with("text/plain"), "{content_type}");
    let text = String::from_utf8(resp.bytes.clone()).unwrap();
    for name in [
        "http_requests_total",
        "http_request_duration_seconds",
        "db_pool_connections",
    ] {
        assert!(text.contains(name), "{name} missing:\n{text}");
    }
    let ping_line = text
        .lines()
        .find(|l| {
            l.starts_with("http_requests_total")
                && l.contains("route=\"/api/ping\"")
                && l.contains("status=\"200\"")
        })
        .unwrap_or_else(|| panic!("no ping counter:\n{text}"));
    let count: f64 = ping_line.rsplit(' ').next().unwrap().parse().unwrap();
    assert!(count >= 2.0, "{ping_line}");
    assert!(
        text.lines().any(|l| l.starts_with("http_requests_total")
            && l.contains("route=\"/api/users/me\"")
            && l.contains("status=\"401\"")),
        "{text}"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("http_request_duration_seconds_bucket")),
        "{text}"
    );
    let pool = text
        .lines()
        .find(|l| l.starts_with("db_pool_connections "))
        .unwrap_or_else(|| panic!("no pool gauge:\n{text}"));
    let size: f64 = pool.rsplit(' ').next().unwrap().parse().unwrap();
    assert!(size >= 1.0, "{pool}");
}

// ---------------------------------------------------------------------------
// The contract tells the truth (issue 13 §3): every answer an operation can
// give is documented, parameters are where they are, and required request
// fields are required.

/// True when `operation` documents `status` with the ErrorBody envelope.
fn documents_error(operation: &Value, status: &str) -> bool {
    refers_to_error_body(&operation["responses"][status]["content"])
}

fn parameters(operation: &Value) -> Vec<Value> {
    operation["parameters"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn has_param(operation: &Value, location: &str, name: &str) -> bool {
    parameters(operation).iter().any(|p| {
        p["in"] == location
            && p["name"]
                .as_str()
                .is_some_and(|n| n.eq_ignore_ascii_case(name))
    })
}

/// A required JSON body (optional ones are parsed whatever their type).
fn takes_json(operation: &Value) -> bool {
    operation["requestBody"]["required"] == true
        && operation["requestBody"]["content"]
            .as_object()
            .is_some_and(|c| c.keys().any(|k| k.ends_with("json")))
}

/// A request with a raw body, as a signed-in caller.
async fn raw_call(
    app: &TestApp,
    method: &str,
    url: &str,
    token: Option<&str>,
    headers: &[(&str, &str)],
    body: Option<(&str, &str)>,
) -> TestResponse {
    let mut builder = axum::http::Request::builder()
        .method(Method::from_bytes(method.to_ascii_uppercase().as_bytes()).unwrap())
        .uri(url);
    if let Some(token) = token {
        builder = builder.header("authorization", format!("Bearer {token}"));
    }
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    let request = match body {
        Some((content_type, text)) => builder
            .header("content-type", content_type)
            .body(axum::body::Body::from(text.to_owned()))
            .unwrap(),
        None => builder.body(axum::body::Body::empty()).unwrap(),
    };
    app.send(request).await
}

/// Operations a probe must not call: they end the caller's session.
const NOT_PROBED: &[(&str, &str)] = &[("post", "/api/auth/logout"), ("delete", "/api/users/me")];

#[tokio::test]
async fn json_body_operations_document_415_and_answer_it() {
    let app = TestApp::spawn().await;
    let doc = document(&app).await;
    let client = app.register("client").await;

    let mut problems = Vec::new();
    let mut answered_415 = 0;
    for (method, path, operation) in operations(&doc) {
        if takes_json(&operation) && !documents_error(&operation, "415") {
            problems.push(format!("{method} {path}: takes JSON, 415 not documented"));
        }
        if operation["requestBody"].is_null()
            || NOT_PROBED.contains(&(method.as_str(), path.as_str()))
        {
            continue;
        }
        let url = concrete(&path);
        let resp = raw_call(
            &app,
            &method,
            &url,
            Some(&client.access),
            &[],
            Some(("text/plain", "{}")),
        )
        .await;
        if resp.status == 415 {
            answered_415 += 1;
            resp.assert_error(415, "unsupported_media_type");
            if !documents_error(&operation, "415") {
                problems.push(format!("{method} {path}: answers 415, not documented"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    // Bodies that may be left out say so (and are read whatever their type).
    for (method, path) in [
        ("post", "/api/auth/logout"),
        ("delete", "/api/jobs/{jobId}"),
    ] {
        let body = &doc["paths"][path][method]["requestBody"];
        assert_ne!(body["required"], true, "{method} {path}: {body}");
        let schema = &body["content"]["application/json"]["schema"];
        assert!(schema["$ref"].is_string(), "{method} {path}: {body}");
    }
    // The probe reaches the body check (it would pass vacuously otherwise).
    assert!(
        answered_415 >= 20,
        "only {answered_415} operations answered 415"
    );
}

#[tokio::test]
async fn operations_with_input_document_400_and_answer_it() {
    let app = TestApp::spawn().await;
    let doc = document(&app).await;
    let client = app.register("client").await;

    let mut problems = Vec::new();
    for (method, path, operation) in operations(&doc) {
        let has_input = !operation["requestBody"].is_null()
            || parameters(&operation)
                .iter()
                .any(|p| p["in"] == "query" || p["in"] == "header");
        if has_input && !documents_error(&operation, "400") {
            problems.push(format!("{method} {path}: takes input, 400 not documented"));
        }
        if NOT_PROBED.contains(&(method.as_str(), path.as_str())) {
            continue;
        }
        // Bad pagination, a bad Idempotency-Key and a mistyped body.
        let url = format!("{}?page=0&limit=1000", concrete(&path));
        let body = (!operation["requestBody"].is_null()).then_some(("application/json", "[1]"));
        let resp = raw_call(
            &app,
            &method,
            &url,
            Some(&client.access),
            &[("idempotency-key", "not a key")],
            body,
        )
        .await;
        if resp.status == 400 && !documents_error(&operation, "400") {
            problems.push(format!(
                "{method} {path}: answers 400 ({}), not documented",
                resp.body
            ));
        }
        if resp.status == 400
            && has_key_anywhere(&resp.body["details"], "Idempotency-Key")
            && !has_param(&operation, "header", "Idempotency-Key")
        {
            problems.push(format!(
                "{method} {path}: checks Idempotency-Key, header not declared"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));

    // The probes do answer 400 where the document says so.
    for url in [
        "/api/wallet/transactions?page=0",
        "/api/jobs?limit=1000",
        "/api/notifications?page=abc",
    ] {
        app.get(url, Some(&client.access))
            .await
            .assert_error(400, "validation_failed");
    }
    app.call(
        Method::POST,
        "/api/wallet/top-up",
        Some(json!({"amount": 1000})),
        Some(&client.access),
        &[("idempotency-key", "not a key")],
    )
    .await
    .assert_error(400, "validation_failed");
}

#[tokio::test]
async fn secured_operations_document_401_and_403_and_answer_401() {
    let app = TestApp::spawn().await;
    let doc = document(&app).await;

    let mut problems = Vec::new();
    let mut answered_401 = 0;
    for (method, path, operation) in operations(&doc) {
        let secured = operation["security"]
            .as_array()
            .is_some_and(|s| !s.is_empty());
        if secured {
            for status in ["401", "403"] {
                if !documents_error(&operation, status) {
                    problems.push(format!("{method} {path}: secured, {status} not documented"));
                }
            }
        }
        let body = (!operation["requestBody"].is_null()).then_some(("application/json", "{}"));
        let resp = raw_call(&app, &method, &concrete(&path), None, &[], body).await;
        if resp.status == 401 {
            answered_401 += 1;
            if !documents_error(&operation, "401") {
                problems.push(format!(
                    "{method} {path}: answers 401 without a token, not documented"
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(
        answered_401 >= 40,
        "only {answered_401} operations answered 401"
    );
}

#[tokio::test]
async fn every_operation_documents_413_for_bodies_404_for_ids_429_and_500() {
    let app = TestApp::spawn().await;
    let doc = document(&app).await;
    let mut problems = Vec::new();
    for (method, path, operation) in operations(&doc) {
        let mut needed = vec!["429", "500"];
        if !operation["requestBody"].is_null() {
            needed.push("413");
        }
        if path.contains('{') {
            needed.push("404");
        }
        if has_param(&operation, "header", "Idempotency-Key") {
            needed.push("409");
        }
        for status in needed {
            if !documents_error(&operation, status) {
                problems.push(format!("{method} {path}: {status} not documented"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[tokio::test]
async fn path_parameters_are_exactly_the_path_template() {
    let app = TestApp::spawn().await;
    let doc = document(&app).await;
    let mut problems = Vec::new();
    for (method, path, operation) in operations(&doc) {
        let template: BTreeSet<String> = path
            .split('/')
            .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(str::to_owned)
            .collect();
        let declared: BTreeSet<String> = parameters(&operation)
            .iter()
            .filter(|p| p["in"] == "path")
            .filter_map(|p| p["name"].as_str().map(str::to_owned))
            .collect();
        if template != declared {
            problems.push(format!(
                "{method} {path}: path parameters {declared:?}, template {template:?}"
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));

    // The filters the issue found declared in the path are query parameters.
    for (path, name) in [
        ("/api/admin/withdrawals", "status"),
        ("/api/wallet/withdrawals", "status"),
        ("/api/wallet/transactions", "type"),
    ] {
        let operation = &doc["paths"][path]["get"];
        assert!(has_param(operation, "query", name), "{path}: {operation}");
    }
}

/// Request fields the server always requires, by schema.
const REQUIRED_FIELDS: &[(&str, &[&str])] = &[
    (
        "RegisterRequest",
        &["email", "password", "role", "firstName", "lastName"],
    ),
    ("LoginRequest", &["loginIdentifier", "password"]),
    ("RefreshRequest", &["refreshToken"]),
    ("ForgotPasswordRequest", &["email"]),
    ("ResetPasswordRequest", &["newPassword"]),
    ("ChangePasswordRequest", &["currentPassword", "newPassword"]),
    ("VerifyEmailRequest", &["token"]),
    ("ContactRequest", &["name", "email", "message"]),
    (
        "CreateStaffRequest",
        &["email", "password", "firstName", "lastName"],
    ),
    ("BanRequest", &["reason"]),
    ("SetRoleRequest", &["role"]),
    ("QuoteRequest", &["price"]),
    ("InviteRequest", &["craftsmanId"]),
    ("RespondRequest", &["response"]),
    ("StatusRequest", &["status"]),
    ("TipRequest", &["amount"]),
    ("WithdrawRequest", &["amount", "method", "destination"]),
    ("SetSkillsRequest", &["skills"]),
    ("AvailabilityRequest", &["available"]),
    ("OpenConversationRequest", &["peerId"]),
    ("ReadRequest", &["seq"]),
    ("EditMessageRequest", &["text"]),
    ("ReportMessageRequest", &["reason"]),
];

/// Request fields that stay optional.
const OPTIONAL_FIELDS: &[(&str, &[&str])] = &[
    ("RegisterRequest", &["phone", "language"]),
    ("LoginRequest", &["type"]),
    ("ResetPasswordRequest", &["token", "email", "otp"]),
    ("QuoteRequest", &["notes", "estimatedDuration"]),
    ("TopUpRequest", &["amount", "packageId", "gateway"]),
    (
        "SendMessageRequest",
        &["text", "attachments", "clientMessageId"],
    ),
];

/// An object schema with its `allOf` parts (serde `flatten`) merged in.
fn flattened(schema: &Value) -> Value {
    let mut merged = schema.clone();
    if let Some(parts) = schema["allOf"].as_array() {
        let mut properties = serde_json::Map::new();
        let mut required = Vec::new();
        for part in parts {
            if let Some(p) = part["properties"].as_object() {
                properties.extend(p.clone());
            }
            if let Some(r) = part["required"].as_array() {
                required.extend(r.iter().cloned());
            }
        }
        merged["properties"] = Value::Object(properties);
        merged["required"] = Value::Array(required);
    }
    merged
}

fn is_nullable(schema: &Value) -> bool {
    schema["type"]
        .as_array()
        .is_some_and(|types| types.iter().any(|t| t == "null"))
        || schema["type"] == "null"
        || schema["oneOf"]
            .as_array()
            .is_some_and(|items| items.iter().any(|i| i["type"] == "null"))
}

#[tokio::test]
async fn known_required_fields_are_required_and_not_nullable() {
    let app = TestApp::spawn().await;
    let doc = document(&app).await;
    let schemas = &doc["components"]["schemas"];
    let mut problems = Vec::new();
    for (name, fields) in REQUIRED_FIELDS {
        let schema = &flattened(&schemas[*name]);
        assert!(schema.is_object(), "no schema {name}");
        let required: Vec<&str> = schema["required"]
            .as_array()
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        for field in *fields {
            if !required.contains(field) {
                problems.push(format!("{name}.{field} is not required"));
            }
            let property = &schema["properties"][*field];
            if !property.is_object() {
                problems.push(format!("{name}.{field} is not a property"));
            } else if is_nullable(property) {
                problems.push(format!("{name}.{field} is nullable: {property}"));
            }
        }
    }
    for (name, fields) in OPTIONAL_FIELDS {
        let schema = &flattened(&schemas[*name]);
        for field in *fields {
            let required = schema["required"]
                .as_array()
                .is_some_and(|r| r.iter().any(|f| f == *field));
            if required || !schema["properties"][*field].is_object() {
                problems.push(format!("{name}.{field} should be an optional property"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));

    // What the document says is what the server does: each required field,
    // left out of an otherwise good body, is named in the 400.
    let resp = app
        .post(
            "/api/auth/register",
            json!({"email": "a@example.com", "password": PASSWORD, "role": "client", "firstName": "A"}),
            None,
        )
        .await;
    resp.assert_error(400, "validation_failed");
    assert!(
        resp.body["details"]["fields"]["lastName"].is_string(),
        "{}",
        resp.body
    );
}

#[tokio::test]
async fn pagination_parameters_declare_the_bounds_the_server_enforces() {
    let app = TestApp::spawn().await;
    let doc = document(&app).await;
    let client = app.register("client").await;

    let mut paged = Vec::new();
    let mut problems = Vec::new();
    for (method, path, operation) in operations(&doc) {
        for parameter in parameters(&operation) {
            let max = match parameter["name"].as_str() {
                Some("page") => 1_000_000,
                Some("limit") => 100,
                _ => continue,
            };
            if parameter["in"] != "query"
                || parameter["schema"]["minimum"] != 1
                || parameter["schema"]["maximum"] != max
            {
                problems.push(format!("{method} {path}: {parameter}"));
            }
            if parameter["name"] == "limit" && method == "get" {
                paged.push(path.clone());
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(paged.len() >= 10, "{paged:?}");

    // The server takes the bounds and refuses one past them.
    for path in [
        "/api/notifications",
        "/api/wallet/transactions",
        "/api/payments/history",
    ] {
        for (query, status) in [
            ("page=1&limit=1", 200),
            ("page=1000000&limit=100", 200),
            ("page=0", 400),
            ("limit=0", 400),
            ("page=1000001", 400),
            ("limit=101", 400),
        ] {
            app.get(&format!("{path}?{query}"), Some(&client.access))
                .await
                .assert_status(status);
        }
    }
}

#[tokio::test]
async fn typed_statuses_are_enums_in_the_document() {
    let app = TestApp::spawn().await;
    let doc = document(&app).await;
    let schemas = &doc["components"]["schemas"];
    for (name, values) in [
        (
            "QuoteStatus",
            json!(["submitted", "accepted", "declined", "withdrawn"]),
        ),
        (
            "InvitationStatus",
            json!(["pending", "accepted", "rejected"]),
        ),
        (
            "JobStatus",
            json!([
                "posted",
                "quoted",
                "hired",
                "on_the_way",
                "in_progress",
                "work_submitted",
                "completed",
                "cancelled",
                "disputed"
            ]),
        ),
        (
            "ContractStatus",
            json!(["active", "completed", "cancelled"]),
        ),
        (
            "EscrowStatus",
            json!(["unfunded", "held", "frozen", "released", "refunded", "none"]),
        ),
        ("PaymentStatus", json!(["pending", "succeeded", "failed"])),
        (
            "WithdrawalStatus",
            json!(["pending", "processing", "completed", "rejected"]),
        ),
        (
            "VerificationStatus",
            json!(["unverified", "pending", "verified", "rejected"]),
        ),
        ("MembershipStatus", json!(["active", "blocking"])),
        ("ConversationKind", json!(["contract", "direct"])),
    ] {
        assert_eq!(schemas[name]["enum"], values, "{name}: {}", schemas[name]);
    }
    for (response, field, status) in [
        ("QuoteResponse", "status", "QuoteStatus"),
        ("InvitationResponse", "status", "InvitationStatus"),
        ("WithdrawalResponse", "status", "WithdrawalStatus"),
        ("JobResponse", "status", "JobStatus"),
        ("JobSummary", "status", "JobStatus"),
        ("ContractResponse", "status", "ContractStatus"),
        ("ContractResponse", "escrowStatus", "EscrowStatus"),
        ("EscrowResponse", "status", "EscrowStatus"),
        ("PaymentResponse", "status", "PaymentStatus"),
        (
            "CraftsmanFields",
            "verificationStatus",
            "VerificationStatus",
        ),
    ] {
        let found = schemas[response]["properties"][field].to_string();
        assert!(
            found.contains(&format!("#/components/schemas/{status}")),
            "{response}.{field}: {found}"
        );
    }
}
