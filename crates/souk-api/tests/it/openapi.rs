//! The OpenAPI document against the router (both directions), the Swagger
//! UI, and the Prometheus metrics endpoint.
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

/// Every operation the API must document.
fn expected() -> Vec<(&'static str, &'static str)> {
    [
        EXPECTED_FOUNDATION,
        EXPECTED_CATALOG,
        EXPECTED_MARKETPLACE,
        EXPECTED_MONEY,
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
