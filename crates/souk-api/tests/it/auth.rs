//! Registration, login, refresh rotation with reuse detection, logout.
#![allow(clippy::unwrap_used)]

use serde_json::json;
use souk_core::accounts::Role;

use crate::support::*;

fn registration(email: &str, role: &str) -> serde_json::Value {
    json!({"email": email, "password": PASSWORD, "role": role, "firstName": "Mona", "lastName": "Hassan"})
}

#[tokio::test]
async fn register_answers_201_with_tokens_and_no_secret() {
    let app = TestApp::spawn().await;
    let response = app
        .post("/api/auth/register",
              json!({"email": "  Mona@Example.COM ", "phone": "+20 100 123 4567", "password": PASSWORD,
                     "role": "customer", "firstName": "Mona", "lastName": "Hassan", "language": "ar"}),
              None)
        .await;
    response.assert_status(201);
    let user = &response.body["user"];
    assert_eq!(user["email"], "mona@example.com");
    assert_eq!(user["phone"], "+201001234567");
    assert_eq!(
        user["role"], "client",
        "aliases answer with the canonical word"
    );
    assert_eq!(user["language"], "ar");
    assert_eq!(response.body["expiresIn"], 900);
    assert!(response.str("/accessToken").split('.').count() == 3);
    assert!(!response.str("/refreshToken").is_empty());
    let text = response.body.to_string();
    assert!(
        !text.contains("password") && !text.contains("argon2"),
        "{text}"
    );
    let me = app
        .get("/api/auth/me", Some(&response.str("/accessToken")))
        .await;
    me.assert_status(200);
    assert_eq!(me.body["id"], user["id"]);
}

#[tokio::test]
async fn craftsman_aliases_are_canonical() {
    let app = TestApp::spawn().await;
    for (i, alias) in [
        "provider",
        "worker",
        "contractor",
        "seller",
        "freelancer",
        "craftsman",
    ]
    .iter()
    .enumerate()
    {
        let response = app
            .post(
                "/api/auth/register",
                registration(&format!("c{i}@example.com"), alias),
                None,
            )
            .await;
        response.assert_status(201);
        assert_eq!(response.body["user"]["role"], "craftsman");
    }
}

#[tokio::test]
async fn staff_roles_cannot_register() {
    let app = TestApp::spawn().await;
    for role in ["admin", "moderator", "Admin"] {
        let response = app
            .post(
                "/api/auth/register",
                registration("x@example.com", role),
                None,
            )
            .await;
        response.assert_error(400, "validation_failed");
        assert_eq!(
            response.body["details"]["fields"]["role"],
            "staff accounts cannot be created by registration"
        );
    }
    let response = app
        .post(
            "/api/auth/register",
            registration("x@example.com", "wizard"),
            None,
        )
        .await;
    assert_eq!(
        response.body["details"]["fields"]["role"],
        "must be one of: client, craftsman"
    );
}

#[tokio::test]
async fn email_is_unique_regardless_of_case_and_phone_is_unique() {
    let app = TestApp::spawn().await;
    app.register_with(
        json!({"email": "dup@example.com", "phone": "+201001112233", "password": PASSWORD,
                             "role": "client", "firstName": "A", "lastName": "B"}),
    )
    .await;
    let response = app
        .post(
            "/api/auth/register",
            registration("DUP@Example.com", "craftsman"),
            None,
        )
        .await;
    response.assert_error(409, "email_taken");
    assert_eq!(response.body["details"]["field"], "email");
    let response = app
        .post(
            "/api/auth/register",
            json!({"email": "other@example.com", "phone": "00201001112233", "password": PASSWORD,
                     "role": "client", "firstName": "A", "lastName": "B"}),
            None,
        )
        .await;
    response.assert_error(409, "phone_taken");
}

#[tokio::test]
async fn weak_passwords_say_what_is_wrong() {
    let app = TestApp::spawn().await;
    let cases = [
        ("short1", "must be at least 8 characters long"),
        ("password123", "is too common and easy to guess"),
        ("aaaaaaaaaaaa", "is too common and easy to guess"),
        (
            "onlyletters",
            "must mix letters with digits or symbols (or be a passphrase of 16+ characters)",
        ),
        ("weakling-77", "must not contain your email address"),
    ];
    for (password, message) in cases {
        let response = app
            .post(
                "/api/auth/register",
                json!({"email": "weakling@example.com", "password": password, "role": "client",
                         "firstName": "A", "lastName": "B"}),
                None,
            )
            .await;
        response.assert_error(400, "validation_failed");
        assert_eq!(
            response.body["details"]["fields"]["password"], message,
            "{password}"
        );
    }
}

#[tokio::test]
async fn bad_email_and_phone_are_field_errors() {
    let app = TestApp::spawn().await;
    let response = app
        .post(
            "/api/auth/register",
            json!({"email": "not-an-email", "phone": "0100", "password": PASSWORD, "role": "client",
                     "firstName": "A", "lastName": "B", "language": "fr"}),
            None,
        )
        .await;
    response.assert_error(400, "validation_failed");
    let fields = &response.body["details"]["fields"];
    assert_eq!(fields["email"], "must be a valid email address");
    assert!(
        fields["phone"]
            .as_str()
            .unwrap()
            .contains("international format")
    );
    assert_eq!(fields["language"], "must be one of: en, ar");
}

#[tokio::test]
async fn login_by_email_or_phone() {
    let app = TestApp::spawn().await;
    app.register_with(
        json!({"email": "login@example.com", "phone": "+201005556677", "password": PASSWORD,
                             "role": "craftsman", "firstName": "A", "lastName": "B"}),
    )
    .await;
    for identifier in ["LOGIN@example.com", "+201005556677", "+20 100 555 6677"] {
        let response = app
            .post(
                "/api/auth/login",
                json!({"loginIdentifier": identifier, "password": PASSWORD, "type": "clients"}),
                None,
            )
            .await;
        response.assert_status(200);
        assert_eq!(response.body["user"]["email"], "login@example.com");
        assert!(!response.str("/accessToken").is_empty());
    }
}

#[tokio::test]
async fn wrong_credentials_answer_the_same_whether_or_not_the_account_exists() {
    let app = TestApp::spawn().await;
    let account = app.register("client").await;
    let wrong_password = app
        .post(
            "/api/auth/login",
            json!({"loginIdentifier": account.email, "password": "Wrong-pass-1"}),
            None,
        )
        .await;
    wrong_password.assert_error(401, "invalid_credentials");
    let no_account = app
        .post(
            "/api/auth/login",
            json!({"loginIdentifier": "ghost@example.com", "password": "Wrong-pass-1"}),
            None,
        )
        .await;
    no_account.assert_error(401, "invalid_credentials");
    assert_eq!(wrong_password.body, no_account.body);
}

#[tokio::test]
async fn login_type_must_fit_the_role() {
    let app = TestApp::spawn().await;
    let member = app.register("client").await;
    let response = app
        .post(
            "/api/auth/login",
            json!({"loginIdentifier": member.email, "password": PASSWORD, "type": "admins"}),
            None,
        )
        .await;
    response.assert_error(403, "wrong_login_type");
    let admin = app.staff(Role::Admin).await;
    let response = app
        .post(
            "/api/auth/login",
            json!({"loginIdentifier": admin.email, "password": PASSWORD, "type": "clients"}),
            None,
        )
        .await;
    response.assert_error(403, "wrong_login_type");
    let response = app
        .post(
            "/api/auth/login",
            json!({"loginIdentifier": admin.email, "password": PASSWORD, "type": "robots"}),
            None,
        )
        .await;
    response.assert_error(400, "validation_failed");
}

#[tokio::test]
async fn banned_users_are_told_why() {
    let app = TestApp::spawn().await;
    let admin = app.staff(Role::Admin).await;
    let member = app.register("craftsman").await;
    app.patch(
        &format!("/api/admin/users/{}/ban", member.id),
        json!({"reason": "Fraudulent quotes"}),
        Some(&admin.access),
    )
    .await
    .assert_status(200);
    let response = app
        .post(
            "/api/auth/login",
            json!({"loginIdentifier": member.email, "password": PASSWORD}),
            None,
        )
        .await;
    response.assert_error(403, "account_banned");
    assert_eq!(response.body["details"]["reason"], "Fraudulent quotes");
    assert!(
        response.body["details"]["bannedAt"]
            .as_str()
            .unwrap()
            .ends_with('Z')
    );
    // The ban ended the sessions at once.
    app.get("/api/users/me", Some(&member.access))
        .await
        .assert_error(401, "session_revoked");
    app.post(
        "/api/auth/refresh",
        json!({"refreshToken": member.refresh}),
        None,
    )
    .await
    .assert_error(401, "invalid_refresh_token");
}

#[tokio::test]
async fn refresh_rotates_tokens() {
    let app = TestApp::spawn().await;
    let account = app.register("client").await;
    let first = app
        .post(
            "/api/auth/refresh",
            json!({"refreshToken": account.refresh}),
            None,
        )
        .await;
    first.assert_status(200);
    let new_refresh = first.str("/refreshToken");
    assert_ne!(new_refresh, account.refresh);
    app.get("/api/users/me", Some(&first.str("/accessToken")))
        .await
        .assert_status(200);
    let second = app
        .post(
            "/api/auth/refresh",
            json!({"refreshToken": new_refresh}),
            None,
        )
        .await;
    second.assert_status(200);
    app.post("/api/auth/refresh", json!({}), None)
        .await
        .assert_error(400, "validation_failed");
    app.post(
        "/api/auth/refresh",
        json!({"refreshToken": "made-up"}),
        None,
    )
    .await
    .assert_error(401, "invalid_refresh_token");
}

#[tokio::test]
async fn reusing_a_rotated_refresh_token_revokes_the_whole_family() {
    let app = TestApp::spawn().await;
    let account = app.register("client").await;
    let rotated = app
        .post(
            "/api/auth/refresh",
            json!({"refreshToken": account.refresh}),
            None,
        )
        .await;
    rotated.assert_status(200);
    let (new_access, new_refresh) = (rotated.str("/accessToken"), rotated.str("/refreshToken"));
    // An attacker replays the old token.
    app.post(
        "/api/auth/refresh",
        json!({"refreshToken": account.refresh}),
        None,
    )
    .await
    .assert_error(401, "refresh_token_reused");
    // Every token of that session is dead now, including the newest pair.
    app.post(
        "/api/auth/refresh",
        json!({"refreshToken": new_refresh}),
        None,
    )
    .await
    .assert_error(401, "invalid_refresh_token");
    app.get("/api/users/me", Some(&new_access))
        .await
        .assert_error(401, "session_revoked");
    app.get("/api/users/me", Some(&account.access))
        .await
        .assert_error(401, "session_revoked");
    // Other sessions of the same user are untouched.
    let other = app
        .post(
            "/api/auth/login",
            json!({"loginIdentifier": account.email, "password": PASSWORD}),
            None,
        )
        .await;
    app.get("/api/users/me", Some(&other.str("/accessToken")))
        .await
        .assert_status(200);
}

#[tokio::test]
async fn logout_kills_access_and_refresh_tokens_at_once() {
    let app = TestApp::spawn().await;
    let account = app.register("craftsman").await;
    let second = app
        .post(
            "/api/auth/login",
            json!({"loginIdentifier": account.email, "password": PASSWORD}),
            None,
        )
        .await;
    let response = app
        .post("/api/auth/logout", json!({}), Some(&account.access))
        .await;
    response.assert_status(200);
    app.get("/api/users/me", Some(&account.access))
        .await
        .assert_error(401, "session_revoked");
    app.post(
        "/api/auth/refresh",
        json!({"refreshToken": account.refresh}),
        None,
    )
    .await
    .assert_error(401, "invalid_refresh_token");
    // Another device stays signed in.
    app.get("/api/users/me", Some(&second.str("/accessToken")))
        .await
        .assert_status(200);
    // Logging out by refresh token alone also works.
    app.post(
        "/api/auth/logout",
        json!({"refreshToken": second.str("/refreshToken")}),
        None,
    )
    .await
    .assert_status(200);
    app.get("/api/users/me", Some(&second.str("/accessToken")))
        .await
        .assert_error(401, "session_revoked");
    app.post("/api/auth/logout", json!({}), None)
        .await
        .assert_error(401, "unauthorized");
}

#[tokio::test]
async fn tampered_and_missing_tokens_are_401() {
    let app = TestApp::spawn().await;
    let account = app.register("client").await;
    app.get("/api/users/me", None)
        .await
        .assert_error(401, "unauthorized");
    let mut tampered = account.access.clone();
    tampered.push('x');
    app.get("/api/users/me", Some(&tampered))
        .await
        .assert_error(401, "invalid_token");
    app.call(
        axum::http::Method::GET,
        "/api/users/me",
        None,
        None,
        &[("authorization", "Basic abc")],
    )
    .await
    .assert_error(401, "invalid_token");
}

#[tokio::test]
async fn logout_and_bans_reach_every_node_at_once() {
    let app = TestApp::spawn().await;
    // Two nodes share one PostgreSQL database; SQLite is single-node by nature.
    let Some(other_node) = app.another_node().await else {
        return;
    };
    let account = app.register("client").await;
    let admin = app.staff(Role::Admin).await;
    let member = app.register("craftsman").await;
    // Warm the second node's read path.
    other_node
        .get("/api/users/me", Some(&account.access))
        .await
        .assert_status(200);
    other_node
        .get("/api/users/me", Some(&member.access))
        .await
        .assert_status(200);

    app.post("/api/auth/logout", json!({}), Some(&account.access))
        .await
        .assert_status(200);
    app.patch(
        &format!("/api/admin/users/{}/ban", member.id),
        json!({"reason": "Spam"}),
        Some(&admin.access),
    )
    .await
    .assert_status(200);
    // The notification travels through PostgreSQL; allow it a moment.
    let mut seen = false;
    for _ in 0..50 {
        let a = other_node.get("/api/users/me", Some(&account.access)).await;
        let b = other_node.get("/api/users/me", Some(&member.access)).await;
        if a.status == 401 && b.status == 401 {
            seen = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(seen, "the second node kept serving revoked sessions");
}
