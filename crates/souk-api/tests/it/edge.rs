//! The HTTP edge: error envelope for every failure, localization, security
//! headers, request ids, CORS, rate limits, health.
#![allow(clippy::unwrap_used)]

use axum::{
    body::Body,
    http::{Method, Request},
};
use serde_json::json;
use souk_api::RateLimitConfig;

use crate::support::*;

#[tokio::test]
async fn unknown_api_route_is_404_route_not_found() {
    let app = TestApp::spawn().await;
    let response = app.get("/api/no/such/route", None).await;
    response.assert_error(404, "route_not_found");
    assert_eq!(response.body["message"], "API route not found");
}

#[tokio::test]
async fn malformed_path_id_is_404_invalid_id() {
    let app = TestApp::spawn().await;
    let response = app.get("/api/users/not-a-uuid", None).await;
    response.assert_error(404, "invalid_id");
    assert_eq!(response.body["message"], "Resource not found (invalid ID)");
}

#[tokio::test]
async fn malformed_json_is_400_invalid_json() {
    let app = TestApp::spawn().await;
    let request = Request::builder()
        .method(Method::POST)
        .uri("/api/auth/login")
        .header("content-type", "application/json")
        .body(Body::from("{\"loginIdentifier\": "))
        .unwrap();
    app.send(request).await.assert_error(400, "invalid_json");
}

#[tokio::test]
async fn wrong_content_type_is_415() {
    let app = TestApp::spawn().await;
    let request = Request::builder()
        .method(Method::POST)
        .uri("/api/auth/login")
        .header("content-type", "text/plain")
        .body(Body::from("hello"))
        .unwrap();
    app.send(request)
        .await
        .assert_error(415, "unsupported_media_type");
}

#[tokio::test]
async fn wrong_field_type_names_the_field() {
    let app = TestApp::spawn().await;
    let response = app
        .post(
            "/api/auth/login",
            json!({"loginIdentifier": 42, "password": "x"}),
            None,
        )
        .await;
    response.assert_error(400, "validation_failed");
    assert!(
        response.body["details"]["fields"]["loginIdentifier"].is_string(),
        "{}",
        response.body
    );
}

#[tokio::test]
async fn missing_fields_are_listed() {
    let app = TestApp::spawn().await;
    let response = app.post("/api/auth/login", json!({}), None).await;
    response.assert_error(400, "validation_failed");
    let fields = &response.body["details"]["fields"];
    assert_eq!(fields["loginIdentifier"], "is required");
    assert_eq!(fields["password"], "is required");
}

#[tokio::test]
async fn body_over_the_limit_is_413() {
    let app = TestApp::spawn().await;
    let big = "x".repeat(2 * 1024 * 1024);
    let response = app
        .post(
            "/api/auth/login",
            json!({"loginIdentifier": big, "password": "x"}),
            None,
        )
        .await;
    response.assert_error(413, "payload_too_large");
}

#[tokio::test]
async fn nul_bytes_are_refused_not_stored() {
    let app = TestApp::spawn().await;
    let response = app
        .post(
            "/api/auth/register",
            json!({"email": "nul@example.com", "password": "Sturdy-pass-42", "role": "client",
                   "firstName": "A\u{0000}B", "lastName": "C"}),
            None,
        )
        .await;
    response.assert_error(400, "validation_failed");
    assert!(response.body["details"]["fields"]["firstName"].is_string());
    let query = app.get("/api/users?q=a%00b", None).await;
    query.assert_error(400, "validation_failed");
}

#[tokio::test]
async fn unknown_method_is_405_in_the_envelope() {
    let app = TestApp::spawn().await;
    let response = app
        .call(Method::PATCH, "/api/auth/login", Some(json!({})), None, &[])
        .await;
    response.assert_error(405, "method_not_allowed");
}

#[tokio::test]
async fn arabic_messages_follow_accept_language() {
    let app = TestApp::spawn().await;
    let response = app
        .call(
            Method::GET,
            "/api/nothing-here",
            None,
            None,
            &[("accept-language", "ar-EG,ar;q=0.9")],
        )
        .await;
    response.assert_error(404, "route_not_found");
    assert_eq!(response.body["message"], "مسار الواجهة غير موجود");

    let response = app
        .call(
            Method::POST,
            "/api/auth/login",
            Some(json!({})),
            None,
            &[("accept-language", "ar")],
        )
        .await;
    response.assert_error(400, "validation_failed");
    assert_eq!(
        response.body["details"]["fields"]["password"],
        "هذا الحقل مطلوب"
    );
}

#[tokio::test]
async fn signed_in_users_get_messages_in_their_language() {
    let app = TestApp::spawn().await;
    let user = app
        .register_with(
            json!({"email": "arabic@example.com", "password": PASSWORD, "role": "client",
                              "firstName": "Ali", "lastName": "Omar", "language": "ar"}),
        )
        .await;
    // No Accept-Language: the user's language decides.
    let response = app
        .put("/api/users/me", json!({"phone": "12"}), Some(&user.access))
        .await;
    response.assert_error(400, "validation_failed");
    assert_eq!(response.body["message"], "بعض الحقول غير صالحة");
    // The header wins over the profile.
    let response = app
        .call(
            Method::PUT,
            "/api/users/me",
            Some(json!({"phone": "12"})),
            Some(&user.access),
            &[("accept-language", "en")],
        )
        .await;
    assert_eq!(response.body["message"], "Some fields are invalid");
}

#[tokio::test]
async fn security_headers_and_request_id_are_set() {
    let app = TestApp::spawn().await;
    let response = app.get("/api/ping", None).await;
    response.assert_status(200);
    assert_eq!(response.body, json!({"pong": true}));
    let headers = &response.headers;
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["x-frame-options"], "DENY");
    assert!(headers.contains_key("referrer-policy"));
    assert!(
        headers["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("default-src 'none'")
    );
    assert!(!headers["x-request-id"].is_empty());
    let errored = app.get("/api/nope", None).await;
    assert!(errored.headers.contains_key("x-request-id"));
}

#[tokio::test]
async fn cors_preflight_is_answered() {
    let app = TestApp::spawn().await;
    let response = app
        .call(
            Method::OPTIONS,
            "/api/auth/login",
            None,
            None,
            &[
                ("origin", "https://app.example.com"),
                ("access-control-request-method", "POST"),
                (
                    "access-control-request-headers",
                    "content-type,authorization",
                ),
            ],
        )
        .await;
    assert!(response.status.is_success(), "{}", response.status);
    assert!(response.headers.contains_key("access-control-allow-origin"));
    assert!(
        response.headers["access-control-allow-methods"]
            .to_str()
            .unwrap()
            .contains("POST")
    );
}

#[tokio::test]
async fn health_checks_the_database_and_meta_answers() {
    let app = TestApp::spawn().await;
    let health = app.get("/api/health", None).await;
    health.assert_status(200);
    assert_eq!(health.body["status"], "ok");
    assert_eq!(health.body["database"], "ok");
    let meta = app.get("/api/meta", None).await;
    meta.assert_status(200);
    assert!(meta.body["paymentTypes"].as_array().unwrap().len() == 3);
    assert_eq!(meta.body["currency"], "EGP");
}

#[tokio::test]
async fn login_is_rate_limited_with_retry_after() {
    let app = TestApp::with(Options::auth_limited(3)).await;
    let body = json!({"loginIdentifier": "nobody@example.com", "password": "whatever-1"});
    for _ in 0..3 {
        app.post("/api/auth/login", body.clone(), None)
            .await
            .assert_error(401, "invalid_credentials");
    }
    let limited = app.post("/api/auth/login", body.clone(), None).await;
    limited.assert_error(429, "rate_limited");
    let retry: u64 = limited.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry), "retry-after {retry}");
    // Other routes still have budget.
    app.get("/api/ping", None).await.assert_status(200);
}

#[tokio::test]
async fn general_rate_limit_applies_to_every_api_route() {
    let app = TestApp::with(Options {
        rate_limits: Some(RateLimitConfig {
            enabled: true,
            per_minute: 5,
            auth_per_minute: 5,
        }),
        ..Options::default()
    })
    .await;
    for _ in 0..5 {
        app.get("/api/ping", None).await.assert_status(200);
    }
    app.get("/api/ping", None)
        .await
        .assert_error(429, "rate_limited");
}

#[tokio::test]
async fn contact_form_validates_and_queues_the_mail() {
    let app = TestApp::spawn().await;
    let response = app
        .post("/api/send-email", json!({"name": "Sara"}), None)
        .await;
    response.assert_error(400, "validation_failed");
    assert!(response.body["details"]["fields"]["email"].is_string());
    assert!(response.body["details"]["fields"]["message"].is_string());
    let response = app
        .post(
            "/api/send-email",
            json!({"name": "Sara", "email": "sara@example.com", "message": "Hello, a question."}),
            None,
        )
        .await;
    response.assert_status(200);
    assert_eq!(response.body["message"], "Email sent successfully.");
    let mail = app.wait_for_mail("support@souk.test").await;
    assert!(mail.contains("Hello, a question."));
}
