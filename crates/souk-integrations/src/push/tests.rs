//! FcmPusher against the fake FCM: token caching, the wire format, error mapping,
//! shortening, and credentials handling.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use std::collections::BTreeMap;
use std::time::Duration;

use serde_json::json;

use super::outcome::parse_retry_after;
use super::test_fcm::{FakeFcm, TEST_PRIVATE_KEY, fcm_error, invalid_argument};
use super::*;

const WAIT: Duration = Duration::from_secs(5);

fn push(token: &str) -> PushMessage {
    PushMessage {
        token: token.to_owned(),
        title: "New quote".to_owned(),
        body: "Sara sent you a quote for \"Kitchen tiling\"".to_owned(),
        data: BTreeMap::from([
            ("kind".to_owned(), "quote.received".to_owned()),
            ("job_id".to_owned(), "42".to_owned()),
        ]),
    }
}

async fn setup() -> (FakeFcm, FcmPusher) {
    let fake = FakeFcm::start().await.unwrap();
    let pusher =
        FcmPusher::from_credentials(&fake.credentials_json(), Some(&fake.base_url)).unwrap();
    (fake, pusher)
}

/// Key material that must never show up in an error: the PEM armour and a slice of the body.
fn assert_no_key_material(text: &str) {
    assert!(!text.contains("PRIVATE KEY"), "{text}");
    let body_line = TEST_PRIVATE_KEY.lines().nth(5).unwrap();
    assert!(!text.contains(&body_line[..20]), "{text}");
}

#[tokio::test]
async fn token_is_exchanged_once_for_several_sends() {
    let (fake, pusher) = setup().await;
    for i in 0..3 {
        let outcome = pusher.send(&push(&format!("device-{i}"))).await;
        assert!(matches!(outcome, PushOutcome::Sent { .. }), "{outcome:?}");
    }
    assert_eq!(fake.token_requests(), 1);
    assert_eq!(fake.send_attempts(), 3);
    let received = fake.wait_for(3, WAIT).await;
    let tokens: Vec<_> = received.iter().map(|p| p.token.as_str()).collect();
    assert_eq!(tokens, ["device-0", "device-1", "device-2"]);
}

#[tokio::test]
async fn sent_reports_fcm_message_name() {
    let (fake, pusher) = setup().await;
    fake.script(vec![(
        200,
        json!({"name": "projects/souk-test/messages/0:abc"}),
        None,
    )]);
    assert_eq!(
        pusher.send(&push("device")).await,
        PushOutcome::Sent {
            name: "projects/souk-test/messages/0:abc".to_owned()
        }
    );
}

#[tokio::test]
async fn body_is_exactly_as_documented() {
    let (fake, pusher) = setup().await;
    pusher.send(&push("device-a")).await;
    let received = fake.wait_for(1, WAIT).await;
    let got = &received[0];
    assert_eq!(
        got.raw,
        json!({"message": {
            "token": "device-a",
            "notification": {"title": "New quote", "body": "Sara sent you a quote for \"Kitchen tiling\""},
            "data": {"kind": "quote.received", "job_id": "42"},
            "android": {"priority": "high"},
            "apns": {"headers": {"apns-priority": "10"}}
        }})
    );
    assert_eq!(got.title, "New quote");
    assert_eq!(got.data["kind"], "quote.received");
}

#[tokio::test]
async fn unregistered_is_token_gone() {
    let (fake, pusher) = setup().await;
    fake.script(vec![(
        404,
        fcm_error(
            404,
            "NOT_FOUND",
            "Requested entity was not found.",
            Some("UNREGISTERED"),
        ),
        None,
    )]);
    let outcome = pusher.send(&push("stale")).await;
    assert!(
        matches!(&outcome, PushOutcome::TokenGone { reason } if reason.contains("UNREGISTERED")),
        "{outcome:?}"
    );
    assert!(fake.received().is_empty());
}

#[tokio::test]
async fn invalid_argument_on_message_token_is_token_gone() {
    let (fake, pusher) = setup().await;
    fake.script(vec![
        (
            400,
            invalid_argument(
                "message.token",
                "The registration token is not a valid FCM registration token",
            ),
            None,
        ),
        (
            400,
            fcm_error(
                400,
                "INVALID_ARGUMENT",
                "The registration token is not a valid FCM registration token",
                Some("INVALID_ARGUMENT"),
            ),
            None,
        ),
    ]);
    for _ in 0..2 {
        let outcome = pusher.send(&push("garbage")).await;
        assert!(
            matches!(outcome, PushOutcome::TokenGone { .. }),
            "{outcome:?}"
        );
    }
}

#[tokio::test]
async fn sender_id_mismatch_is_token_gone() {
    let (fake, pusher) = setup().await;
    fake.script(vec![(
        403,
        fcm_error(
            403,
            "PERMISSION_DENIED",
            "SenderId mismatch",
            Some("SENDER_ID_MISMATCH"),
        ),
        None,
    )]);
    let outcome = pusher.send(&push("other-project")).await;
    assert!(
        matches!(outcome, PushOutcome::TokenGone { .. }),
        "{outcome:?}"
    );
}

#[tokio::test]
async fn unavailable_with_retry_after_is_retry_after_that_long() {
    let (fake, pusher) = setup().await;
    fake.script(vec![(
        503,
        fcm_error(
            503,
            "UNAVAILABLE",
            "The service is currently unavailable.",
            Some("UNAVAILABLE"),
        ),
        Some(7),
    )]);
    let outcome = pusher.send(&push("device")).await;
    assert!(
        matches!(outcome, PushOutcome::Retry { after: Some(after), .. } if after == Duration::from_secs(7)),
        "{outcome:?}"
    );
}

#[tokio::test]
async fn quota_exceeded_and_internal_errors_are_retry() {
    let (fake, pusher) = setup().await;
    fake.script(vec![
        (
            429,
            fcm_error(
                429,
                "RESOURCE_EXHAUSTED",
                "Quota exceeded.",
                Some("QUOTA_EXCEEDED"),
            ),
            None,
        ),
        (
            500,
            fcm_error(500, "INTERNAL", "Internal error.", Some("INTERNAL")),
            None,
        ),
    ]);
    for _ in 0..2 {
        let outcome = pusher.send(&push("device")).await;
        assert!(
            matches!(outcome, PushOutcome::Retry { after: None, .. }),
            "{outcome:?}"
        );
    }
    // Then the fake goes back to accepting.
    assert!(matches!(
        pusher.send(&push("device")).await,
        PushOutcome::Sent { .. }
    ));
}

#[tokio::test]
async fn other_bad_request_is_failed() {
    let (fake, pusher) = setup().await;
    fake.script(vec![(
        400,
        invalid_argument(
            "message.data[0].value",
            "Invalid value at 'message.data[0].value'",
        ),
        None,
    )]);
    let outcome = pusher.send(&push("device")).await;
    assert!(matches!(outcome, PushOutcome::Failed { .. }), "{outcome:?}");
}

#[tokio::test]
async fn unauthorized_drops_the_token_and_retries_once() {
    let (fake, pusher) = setup().await;
    let unauthenticated = fcm_error(
        401,
        "UNAUTHENTICATED",
        "Request had invalid authentication credentials.",
        None,
    );
    fake.script(vec![(401, unauthenticated.clone(), None)]);
    assert!(matches!(
        pusher.send(&push("device")).await,
        PushOutcome::Sent { .. }
    ));
    assert_eq!(fake.token_requests(), 2);
    assert_eq!(fake.send_attempts(), 2);

    // Twice in a row: give up rather than loop.
    fake.script(vec![
        (401, unauthenticated.clone(), None),
        (401, unauthenticated, None),
    ]);
    let outcome = pusher.send(&push("device")).await;
    assert!(matches!(outcome, PushOutcome::Failed { .. }), "{outcome:?}");
    assert_eq!(fake.token_requests(), 3);
}

#[tokio::test]
async fn oversized_body_is_shortened_below_4_kb() {
    let (fake, pusher) = setup().await;
    let mut message = push("device");
    message.body = "مرحبا بك في سوق ".repeat(400);
    message.data.insert("blob".to_owned(), "z".repeat(5000));
    let outcome = pusher.send(&message).await;
    assert!(matches!(outcome, PushOutcome::Sent { .. }), "{outcome:?}");
    let got = &fake.wait_for(1, WAIT).await[0];
    assert!(got.raw.to_string().len() <= 4096);
    assert!(got.body.ends_with('…'), "{}", got.body);
    assert!(got.body.chars().count() > 1000, "kept as much text as fits");
    assert_eq!(
        got.data.get("kind").map(String::as_str),
        Some("quote.received")
    );
    assert!(!got.data.contains_key("blob"));
}

#[tokio::test]
async fn network_errors_are_retry() {
    // A port nobody listens on: bind, note it, close it.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);

    let fake = FakeFcm::start().await.unwrap();
    let pusher = FcmPusher::from_credentials(&fake.credentials_json(), Some(&dead)).unwrap();
    let outcome = pusher.send(&push("device")).await;
    assert!(
        matches!(outcome, PushOutcome::Retry { after: None, .. }),
        "{outcome:?}"
    );

    // The token endpoint unreachable is a retry too.
    let credentials = fake.credentials_json().replace(
        &format!("{}/token", fake.base_url),
        &format!("{dead}/token"),
    );
    let pusher = FcmPusher::from_credentials(&credentials, Some(&fake.base_url)).unwrap();
    let outcome = pusher.send(&push("device")).await;
    assert!(matches!(outcome, PushOutcome::Retry { .. }), "{outcome:?}");
    assert_eq!(fake.send_attempts(), 0);
}

#[tokio::test]
async fn token_endpoint_refusal_is_failed() {
    let fake = FakeFcm::start().await.unwrap();
    let mut credentials: serde_json::Value =
        serde_json::from_str(&fake.credentials_json()).unwrap();
    credentials["client_email"] = json!("someone-else@souk-test.iam.gserviceaccount.com");
    let pusher =
        FcmPusher::from_credentials(&credentials.to_string(), Some(&fake.base_url)).unwrap();
    let outcome = pusher.send(&push("device")).await;
    assert!(
        matches!(&outcome, PushOutcome::Failed { reason } if reason.contains("401")),
        "{outcome:?}"
    );
    assert_eq!(fake.token_requests(), 0);
    assert_eq!(fake.send_attempts(), 0);
}

#[tokio::test]
async fn fake_refuses_unknown_tokens_and_bad_shapes() {
    let fake = FakeFcm::start().await.unwrap();
    let http = reqwest::Client::new();
    let url = format!("{}/v1/projects/souk-test/messages:send", fake.base_url);
    let response = http
        .post(&url)
        .bearer_auth("ya29.made-up")
        .json(&json!({"message": {"token": "t", "notification": {"title": "a", "body": "b"}}}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"]["status"], "UNAUTHENTICATED");

    let form = [
        ("grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"),
        ("assertion", "not.a.jwt"),
    ];
    let response = http
        .post(format!("{}/token", fake.base_url))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    assert_eq!(fake.token_requests(), 0);
    assert_eq!(fake.send_attempts(), 1);
}

#[tokio::test]
async fn credentials_load_from_a_file_and_inline() {
    let fake = FakeFcm::start().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("service-account.json");
    std::fs::write(&path, fake.credentials_json()).unwrap();
    let from_file =
        FcmPusher::from_credentials(path.to_str().unwrap(), Some(&fake.base_url)).unwrap();
    assert_eq!(from_file.project_id(), "souk-test");
    assert!(from_file.enabled());
    assert!(matches!(
        from_file.send(&push("device")).await,
        PushOutcome::Sent { .. }
    ));

    let inline = format!("  {}\n", fake.credentials_json());
    let inline = FcmPusher::from_credentials(&inline, None).unwrap();
    assert_eq!(inline.project_id(), "souk-test");
    let debug = format!("{inline:?}");
    assert!(
        debug.contains("fcm.googleapis.com/v1/projects/souk-test/messages:send"),
        "{debug}"
    );
    assert_no_key_material(&debug);
}

#[tokio::test]
async fn bad_credentials_are_errors_without_key_material() {
    let fake = FakeFcm::start().await.unwrap();
    let good: serde_json::Value = serde_json::from_str(&fake.credentials_json()).unwrap();
    let with = |field: &str, value: serde_json::Value| {
        let mut v = good.clone();
        v[field] = value;
        v.to_string()
    };
    let without = |field: &str| {
        let mut v = good.clone();
        v.as_object_mut().unwrap().remove(field);
        v.to_string()
    };
    let key_lines: Vec<&str> = TEST_PRIVATE_KEY.lines().collect();
    let cases = [
        ("wrong type", with("type", json!("authorized_user"))),
        ("no type", without("type")),
        ("no private_key", without("private_key")),
        ("no client_email", without("client_email")),
        ("no token_uri", without("token_uri")),
        (
            "key truncated",
            with("private_key", json!(key_lines[..10].join("\n"))),
        ),
        ("key as number", with("private_key_id", json!(7))),
        (
            "broken JSON",
            fake.credentials_json().replace("\"type\"", "type"),
        ),
        ("truncated JSON", fake.credentials_json()[..900].to_owned()),
        ("a key instead of JSON", TEST_PRIVATE_KEY.to_owned()),
        (
            "missing file",
            "/nonexistent/service-account.json".to_owned(),
        ),
    ];
    for (case, credentials) in cases {
        let err = FcmPusher::from_credentials(&credentials, None).unwrap_err();
        let text = format!("{err:#} / {err:?}");
        assert_no_key_material(&text);
        assert!(text.contains("credentials"), "{case}: {text}");
    }
}

#[tokio::test]
async fn log_pusher_is_disabled_and_reports_logged() {
    let pusher = LogPusher;
    assert!(!pusher.enabled());
    assert_eq!(
        pusher.send(&push("device")).await,
        PushOutcome::Sent {
            name: "logged".to_owned()
        }
    );
}

#[test]
fn retry_after_reads_seconds_and_http_dates() {
    let now = chrono::DateTime::parse_from_rfc3339("2015-10-21T07:28:00Z")
        .unwrap()
        .with_timezone(&chrono::Utc);
    assert_eq!(parse_retry_after("7", now), Some(Duration::from_secs(7)));
    assert_eq!(
        parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now),
        Some(Duration::from_secs(30))
    );
    assert_eq!(
        parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now),
        Some(Duration::ZERO)
    );
    assert_eq!(parse_retry_after("soon", now), None);
}
