//! Password recovery (over a real SMTP connection), OTP limits, change
//! password, email verification.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use serde_json::json;
use souk_integrations::mail::test_smtp::TestSmtpServer;

use crate::support::*;

#[tokio::test]
async fn reset_mail_arrives_over_smtp_and_its_token_works_exactly_once() {
    let smtp = TestSmtpServer::start().await.unwrap();
    let app = TestApp::with(Options {
        smtp_url: Some(format!("smtp://127.0.0.1:{}", smtp.port)),
        ..Options::default()
    })
    .await;
    let account = app.register("client").await;
    // The welcome (verification) mail comes first.
    let welcome = smtp
        .next_message(Duration::from_secs(10))
        .await
        .expect("verification mail");
    assert!(welcome.data.contains("verify-email?token="));

    let response = app
        .post(
            "/api/auth/forgot-password",
            json!({"email": account.email}),
            None,
        )
        .await;
    response.assert_status(200);
    let mail = smtp
        .next_message(Duration::from_secs(10))
        .await
        .expect("reset mail over SMTP");
    assert_eq!(mail.rcpt_to, vec![account.email.clone()]);
    assert!(mail.data.contains("Reset your Souk password"));
    let token = token_after(&mail.data, "reset-password?token=");
    assert!(token.len() >= 40, "{token}");

    let reset = app
        .post(
            "/api/auth/reset-password",
            json!({"token": token, "newPassword": "Brand-new-pass-9"}),
            None,
        )
        .await;
    reset.assert_status(200);
    // Every session ended; the new password works, the old one does not.
    app.get("/api/users/me", Some(&account.access))
        .await
        .assert_error(401, "session_revoked");
    app.post(
        "/api/auth/login",
        json!({"loginIdentifier": account.email, "password": PASSWORD}),
        None,
    )
    .await
    .assert_error(401, "invalid_credentials");
    app.post(
        "/api/auth/login",
        json!({"loginIdentifier": account.email, "password": "Brand-new-pass-9"}),
        None,
    )
    .await
    .assert_status(200);
    // Exactly once.
    app.post(
        "/api/auth/reset-password",
        json!({"token": token, "newPassword": "Another-pass-10"}),
        None,
    )
    .await
    .assert_error(400, "invalid_reset_token");
}

#[tokio::test]
async fn forgot_password_does_not_reveal_accounts() {
    let app = TestApp::spawn().await;
    let account = app.register("client").await;
    let known = app
        .post(
            "/api/auth/forgot-password",
            json!({"email": account.email}),
            None,
        )
        .await;
    let unknown = app
        .post(
            "/api/auth/forgot-password",
            json!({"email": "ghost@example.com"}),
            None,
        )
        .await;
    known.assert_status(200);
    unknown.assert_status(200);
    assert_eq!(known.body, unknown.body);
    app.post("/api/auth/forgot-password", json!({"email": "nope"}), None)
        .await
        .assert_error(400, "validation_failed");
}

async fn reset_code(app: &TestApp, email: &str) -> String {
    app.post("/api/auth/forgot-password", json!({"email": email}), None)
        .await
        .assert_status(200);
    // Wait for the reset mail (the verification mail has no code).
    for _ in 0..100 {
        if let Ok(entries) = std::fs::read_dir(app.data_dir.join("mail")) {
            for entry in entries.flatten() {
                let text = decode_quoted_printable(&std::fs::read_to_string(entry.path()).unwrap());
                if text.contains(email) && text.contains("enter this code") {
                    return code_after(&text, "enter this code in the app:");
                }
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no reset mail");
}

#[tokio::test]
async fn reset_by_email_and_otp() {
    let app = TestApp::spawn().await;
    let account = app.register("craftsman").await;
    let otp = reset_code(&app, &account.email).await;
    assert_eq!(otp.len(), 6);
    let wrong = if otp == "000000" { "111111" } else { "000000" };
    app.post(
        "/api/auth/reset-password",
        json!({"email": account.email, "otp": wrong, "newPassword": "Brand-new-pass-9"}),
        None,
    )
    .await
    .assert_error(400, "invalid_otp");
    app.post(
        "/api/auth/reset-password",
        json!({"email": account.email, "otp": otp, "newPassword": "short"}),
        None,
    )
    .await
    .assert_error(400, "validation_failed");
    app.post("/api/auth/reset-password",
             json!({"email": account.email.to_uppercase(), "otp": otp, "newPassword": "Brand-new-pass-9"}), None)
        .await
        .assert_status(200);
    app.post(
        "/api/auth/reset-password",
        json!({"email": account.email, "otp": otp, "newPassword": "Brand-new-pass-9"}),
        None,
    )
    .await
    .assert_error(400, "invalid_otp");
    app.post(
        "/api/auth/login",
        json!({"loginIdentifier": account.email, "password": "Brand-new-pass-9"}),
        None,
    )
    .await
    .assert_status(200);
}

#[tokio::test]
async fn otp_guesses_are_limited() {
    let app = TestApp::spawn().await;
    let account = app.register("client").await;
    let otp = reset_code(&app, &account.email).await;
    let wrong = if otp == "999999" { "888888" } else { "999999" };
    for _ in 0..4 {
        app.post(
            "/api/auth/reset-password",
            json!({"email": account.email, "otp": wrong, "newPassword": "Brand-new-pass-9"}),
            None,
        )
        .await
        .assert_error(400, "invalid_otp");
    }
    app.post(
        "/api/auth/reset-password",
        json!({"email": account.email, "otp": wrong, "newPassword": "Brand-new-pass-9"}),
        None,
    )
    .await
    .assert_error(429, "too_many_attempts");
    // The code is burnt: even the right one no longer works.
    app.post(
        "/api/auth/reset-password",
        json!({"email": account.email, "otp": otp, "newPassword": "Brand-new-pass-9"}),
        None,
    )
    .await
    .assert_error(400, "invalid_otp");
}

#[tokio::test]
async fn reset_requires_token_or_email_and_code() {
    let app = TestApp::spawn().await;
    let response = app
        .post(
            "/api/auth/reset-password",
            json!({"newPassword": "Brand-new-pass-9"}),
            None,
        )
        .await;
    response.assert_error(400, "validation_failed");
    assert!(response.body["details"]["fields"]["email"].is_string());
    assert!(response.body["details"]["fields"]["otp"].is_string());
    app.post(
        "/api/auth/reset-password",
        json!({"token": "bogus", "newPassword": "Brand-new-pass-9"}),
        None,
    )
    .await
    .assert_error(400, "invalid_reset_token");
}

#[tokio::test]
async fn change_password_needs_the_current_one_and_ends_other_sessions() {
    let app = TestApp::spawn().await;
    let account = app.register("client").await;
    let other = app
        .post(
            "/api/auth/login",
            json!({"loginIdentifier": account.email, "password": PASSWORD}),
            None,
        )
        .await;
    app.post(
        "/api/auth/change-password",
        json!({"currentPassword": "Not-the-one-1", "newPassword": "Fresh-pass-77"}),
        Some(&account.access),
    )
    .await
    .assert_error(400, "wrong_password");
    app.post(
        "/api/auth/change-password",
        json!({"currentPassword": PASSWORD, "newPassword": "1234"}),
        Some(&account.access),
    )
    .await
    .assert_error(400, "validation_failed");
    let changed = app
        .post(
            "/api/auth/change-password",
            json!({"currentPassword": PASSWORD, "newPassword": "Fresh-pass-77"}),
            Some(&account.access),
        )
        .await;
    changed.assert_status(200);
    app.get("/api/users/me", Some(&account.access))
        .await
        .assert_error(401, "session_revoked");
    app.get("/api/users/me", Some(&other.str("/accessToken")))
        .await
        .assert_error(401, "session_revoked");
    app.get("/api/users/me", Some(&changed.str("/accessToken")))
        .await
        .assert_status(200);
    app.post(
        "/api/auth/login",
        json!({"loginIdentifier": account.email, "password": "Fresh-pass-77"}),
        None,
    )
    .await
    .assert_status(200);
}

#[tokio::test]
async fn email_verification_token_works_once() {
    let app = TestApp::spawn().await;
    let account = app.register("craftsman").await;
    let mail = app.wait_for_mail(&account.email).await;
    let token = token_after(&mail, "verify-email?token=");
    let verified = app
        .post("/api/auth/verify-email", json!({"token": token}), None)
        .await;
    verified.assert_status(200);
    assert_eq!(verified.body["emailVerified"], true);
    app.post("/api/auth/verify-email", json!({"token": token}), None)
        .await
        .assert_error(400, "invalid_verification_token");
    let me = app.get("/api/users/me", Some(&account.access)).await;
    assert_eq!(me.body["emailVerified"], true);
    app.post(
        "/api/auth/verify-email/resend",
        json!({}),
        Some(&account.access),
    )
    .await
    .assert_error(409, "conflict");
}
