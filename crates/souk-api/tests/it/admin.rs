//! `/api/admin/*`: listing accounts, creating staff, ban and unban, role
//! changes, erasure, and the activity log; who may do what.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use souk_core::accounts::Role;
use uuid::Uuid;

use crate::support::*;

fn ids(resp: &TestResponse) -> BTreeSet<String> {
    resp.body["data"]
        .as_array()
        .unwrap_or_else(|| panic!("no data in {}", resp.body))
        .iter()
        .map(|u| u["id"].as_str().unwrap().to_owned())
        .collect()
}

fn set<const N: usize>(items: [&str; N]) -> BTreeSet<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

#[track_caller]
fn assert_field(resp: &TestResponse, field: &str) {
    resp.assert_error(400, "validation_failed");
    assert!(
        resp.body["details"]["fields"][field].is_string(),
        "no fields.{field} in {}",
        resp.body
    );
}

/// Uploads a small PNG avatar and returns the path it is served at.
async fn upload_avatar(app: &TestApp, token: &str) -> String {
    let resp = put_avatar(
        app,
        Some(token),
        multipart("avatar", "me.png", "image/png", &png(64, 48)),
    )
    .await;
    resp.assert_status(200);
    resp.str("/profilePicture")
        .strip_prefix("http://souk.test")
        .unwrap()
        .to_owned()
}

async fn ban(app: &TestApp, target: &str, reason: &str, token: &str) -> TestResponse {
    app.patch(
        &format!("/api/admin/users/{target}/ban"),
        json!({"reason": reason}),
        Some(token),
    )
    .await
}

#[tokio::test]
async fn list_users_is_for_staff_and_filters() {
    let app = TestApp::spawn().await;
    let admin = app.staff(Role::Admin).await;
    let moderator = app.staff(Role::Moderator).await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let banned = app.register("craftsman").await;
    ban(&app, &banned.id, "Spam", &admin.access)
        .await
        .assert_status(200);

    app.get("/api/admin/users", Some(&client.access))
        .await
        .assert_error(403, "staff_only");
    app.get("/api/admin/users", None)
        .await
        .assert_error(401, "unauthorized");

    for staff in [&admin, &moderator] {
        let all = app.get("/api/admin/users", Some(&staff.access)).await;
        all.assert_status(200);
        assert_eq!(
            all.body["pagination"],
            json!({"page": 1, "limit": 10, "totalPages": 1, "totalItems": 5}),
            "{}",
            all.body
        );
        assert_eq!(
            ids(&all),
            set([
                &admin.id,
                &moderator.id,
                &client.id,
                &craftsman.id,
                &banned.id
            ])
        );
        // Staff see the full record, contact details included.
        let row = all.body["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["id"] == client.id.as_str())
            .unwrap();
        assert_eq!(row["email"], client.email.as_str());
        assert!(row.get("passwordHash").is_none(), "{row}");
    }

    let token = Some(moderator.access.as_str());
    let craftsmen = app.get("/api/admin/users?role=craftsman", token).await;
    craftsmen.assert_status(200);
    assert_eq!(ids(&craftsmen), set([&craftsman.id, &banned.id]));
    let staff = app.get("/api/admin/users?role=moderator", token).await;
    assert_eq!(ids(&staff), set([&moderator.id]));

    let only_banned = app.get("/api/admin/users?banned=true", token).await;
    only_banned.assert_status(200);
    assert_eq!(ids(&only_banned), set([&banned.id]));
    assert_eq!(only_banned.body["data"][0]["banReason"], "Spam");
    assert!(only_banned.body["data"][0]["bannedAt"].is_string());
    let not_banned = app.get("/api/admin/users?banned=false", token).await;
    assert_eq!(
        not_banned.body["pagination"]["totalItems"], 4,
        "{}",
        not_banned.body
    );
    assert!(!ids(&not_banned).contains(&banned.id));

    // Part of the email (the unique middle of `client-<uuid>@example.com`).
    let part = &client.email["client-".len().."client-".len() + 12];
    let by_email = app
        .get(
            &format!("/api/admin/users?q={}", part.to_uppercase()),
            token,
        )
        .await;
    by_email.assert_status(200);
    assert_eq!(ids(&by_email), set([&client.id]));

    let combined = app
        .get("/api/admin/users?role=craftsman&banned=false", token)
        .await;
    assert_eq!(ids(&combined), set([&craftsman.id]));

    assert_field(
        &app.get("/api/admin/users?banned=maybe", token).await,
        "banned",
    );
    assert_field(
        &app.get("/api/admin/users?role=wizard", token).await,
        "role",
    );
    assert_field(&app.get("/api/admin/users?limit=101", token).await, "limit");

    let page = app.get("/api/admin/users?limit=2&page=3", token).await;
    page.assert_status(200);
    assert_eq!(
        page.body["pagination"],
        json!({"page": 3, "limit": 2, "totalPages": 3, "totalItems": 5})
    );
    assert_eq!(page.body["data"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn create_admin_makes_staff_that_signs_in_through_the_admin_door() {
    let app = TestApp::spawn().await;
    let admin = app.staff(Role::Admin).await;
    let moderator = app.staff(Role::Moderator).await;
    let member = app.register("client").await;
    let body = json!({
        "email": "New.Mod@Souk.test", "password": PASSWORD,
        "firstName": "Nour", "lastName": "Said", "role": "moderator",
    });

    let created = app
        .post(
            "/api/admin/users/create-admin",
            body.clone(),
            Some(&admin.access),
        )
        .await;
    created.assert_status(201);
    assert_eq!(created.body["role"], "moderator");
    assert_eq!(created.body["email"], "new.mod@souk.test");
    assert_eq!(created.body["firstName"], "Nour");
    assert!(
        created.body.get("passwordHash").is_none(),
        "{}",
        created.body
    );
    let new_id = created.str("/id");

    let signed_in = login(&app, "new.mod@souk.test", PASSWORD, "admins").await;
    signed_in.assert_status(200);
    assert_eq!(signed_in.body["user"]["id"], new_id.as_str());
    assert_eq!(signed_in.body["user"]["role"], "moderator");
    // The new moderator is staff: it can list accounts but not create staff.
    let token = signed_in.str("/accessToken");
    app.get("/api/admin/users", Some(&token))
        .await
        .assert_status(200);

    login(&app, "new.mod@souk.test", PASSWORD, "clients")
        .await
        .assert_error(403, "wrong_login_type");

    let other = json!({
        "email": "another@souk.test", "password": PASSWORD,
        "firstName": "A", "lastName": "B", "role": "moderator",
    });
    app.post(
        "/api/admin/users/create-admin",
        other.clone(),
        Some(&moderator.access),
    )
    .await
    .assert_error(403, "admin_only");
    app.post("/api/admin/users/create-admin", other.clone(), Some(&token))
        .await
        .assert_error(403, "admin_only");
    app.post(
        "/api/admin/users/create-admin",
        other.clone(),
        Some(&member.access),
    )
    .await
    .assert_status(403);
    app.post("/api/admin/users/create-admin", other.clone(), None)
        .await
        .assert_error(401, "unauthorized");

    let mut as_client = other.clone();
    as_client["role"] = json!("client");
    assert_field(
        &app.post(
            "/api/admin/users/create-admin",
            as_client,
            Some(&admin.access),
        )
        .await,
        "role",
    );

    app.post("/api/admin/users/create-admin", body, Some(&admin.access))
        .await
        .assert_error(409, "email_taken");
    let mut same_member_email = other.clone();
    same_member_email["email"] = json!(member.email.to_uppercase());
    app.post(
        "/api/admin/users/create-admin",
        same_member_email,
        Some(&admin.access),
    )
    .await
    .assert_error(409, "email_taken");

    // None of the refusals created an account.
    let listed = app.get("/api/admin/users", Some(&admin.access)).await;
    assert_eq!(
        listed.body["pagination"]["totalItems"], 4,
        "{}",
        listed.body
    );
}

#[tokio::test]
async fn ban_ends_sessions_and_blocks_login_with_the_reason() {
    let app = TestApp::spawn().await;
    let admin = app.staff(Role::Admin).await;
    let moderator = app.staff(Role::Moderator).await;
    let target = app.register("craftsman").await;
    let member = app.register("client").await;
    let path = format!("/api/admin/users/{}/ban", target.id);

    assert_field(
        &app.patch(&path, json!({}), Some(&moderator.access)).await,
        "reason",
    );
    assert_field(
        &app.patch(&path, json!({"reason": "   "}), Some(&moderator.access))
            .await,
        "reason",
    );
    app.get("/api/users/me", Some(&target.access))
        .await
        .assert_status(200);

    let banned = ban(&app, &target.id, "Fake reviews", &moderator.access).await;
    banned.assert_status(200);
    assert_eq!(banned.body["id"], target.id.as_str());
    assert_eq!(banned.body["banReason"], "Fake reviews");
    assert!(banned.body["bannedAt"].is_string(), "{}", banned.body);

    let me = app.get("/api/users/me", Some(&target.access)).await;
    assert!(
        (me.status == 401 && me.body["code"] == "session_revoked")
            || (me.status == 403 && me.body["code"] == "account_banned"),
        "a banned user's token still answers {}: {}",
        me.status,
        me.body
    );
    app.post(
        "/api/auth/refresh",
        json!({"refreshToken": target.refresh}),
        None,
    )
    .await
    .assert_status(401);

    let refused = login(&app, &target.email, &target.password, "clients").await;
    refused.assert_error(403, "account_banned");
    assert_eq!(refused.body["details"]["reason"], "Fake reviews");
    let banned_at = refused.str("/details/bannedAt");
    assert!(banned_at.parse::<DateTime<Utc>>().is_ok(), "{banned_at}");

    ban(&app, &target.id, "Again", &admin.access)
        .await
        .assert_error(409, "already_banned");
    ban(&app, &moderator.id, "Nope", &member.access)
        .await
        .assert_error(403, "staff_only");
    assert_field(
        &ban(&app, &member.id, &"x".repeat(501), &admin.access).await,
        "reason",
    );
    ban(&app, &admin.id, "Coup", &moderator.access)
        .await
        .assert_error(403, "admin_only");
    ban(&app, &admin.id, "Myself", &admin.access)
        .await
        .assert_error(403, "cannot_target_self");
    ban(&app, &Uuid::new_v4().to_string(), "Ghost", &admin.access)
        .await
        .assert_error(404, "user_not_found");
    ban(&app, "not-a-uuid", "Ghost", &admin.access)
        .await
        .assert_error(404, "invalid_id");

    // The refusals changed nobody.
    app.get("/api/users/me", Some(&admin.access))
        .await
        .assert_status(200);
    app.get("/api/users/me", Some(&moderator.access))
        .await
        .assert_status(200);
    let list = app
        .get("/api/admin/users?banned=true", Some(&admin.access))
        .await;
    assert_eq!(ids(&list), set([&target.id]));
    assert_eq!(list.body["data"][0]["banReason"], "Fake reviews");

    // An admin may ban a moderator; the moderator's session ends too.
    ban(&app, &moderator.id, "Abuse of power", &admin.access)
        .await
        .assert_status(200);
    let me = app.get("/api/users/me", Some(&moderator.access)).await;
    assert!(
        me.status == 401 || me.status == 403,
        "{}: {}",
        me.status,
        me.body
    );
}

#[tokio::test]
async fn unban_restores_login() {
    let app = TestApp::spawn().await;
    let moderator = app.staff(Role::Moderator).await;
    let target = app.register("client").await;
    let path = format!("/api/admin/users/{}/unban", target.id);

    app.patch(&path, json!({}), Some(&moderator.access))
        .await
        .assert_error(409, "not_banned");

    ban(&app, &target.id, "Spam", &moderator.access)
        .await
        .assert_status(200);
    login(&app, &target.email, &target.password, "clients")
        .await
        .assert_error(403, "account_banned");

    let member = app.register("client").await;
    app.patch(&path, json!({}), Some(&member.access))
        .await
        .assert_error(403, "staff_only");

    // Lifting a ban on staff needs an admin.
    let admin = app.staff(Role::Admin).await;
    let other_moderator = app.staff(Role::Moderator).await;
    ban(&app, &other_moderator.id, "Rogue", &admin.access)
        .await
        .assert_status(200);
    app.patch(
        &format!("/api/admin/users/{}/unban", other_moderator.id),
        json!({}),
        Some(&moderator.access),
    )
    .await
    .assert_error(403, "admin_only");
    app.patch(
        &format!("/api/admin/users/{}/unban", other_moderator.id),
        json!({}),
        Some(&admin.access),
    )
    .await
    .assert_status(200);

    let lifted = app.patch(&path, json!({}), Some(&moderator.access)).await;
    lifted.assert_status(200);
    assert!(
        lifted.body.get("bannedAt").is_none_or(Value::is_null),
        "{}",
        lifted.body
    );
    assert!(
        lifted.body.get("banReason").is_none_or(Value::is_null),
        "{}",
        lifted.body
    );

    let back = login(&app, &target.email, &target.password, "clients").await;
    back.assert_status(200);
    app.get("/api/users/me", Some(&back.str("/accessToken")))
        .await
        .assert_status(200);
    app.get(&format!("/api/users/{}", target.id), Some(&member.access))
        .await
        .assert_status(200);

    app.patch(&path, json!({}), Some(&moderator.access))
        .await
        .assert_error(409, "not_banned");
    app.patch(
        &format!("/api/admin/users/{}/unban", Uuid::new_v4()),
        json!({}),
        Some(&moderator.access),
    )
    .await
    .assert_error(404, "user_not_found");
}

#[tokio::test]
async fn role_changes_are_admin_only_and_apply_to_live_sessions() {
    let app = TestApp::spawn().await;
    let admin = app.staff(Role::Admin).await;
    let moderator = app.staff(Role::Moderator).await;
    let target = app.register("client").await;
    let path = format!("/api/admin/users/{}/role", target.id);

    let changed = app
        .patch(&path, json!({"role": "craftsman"}), Some(&admin.access))
        .await;
    changed.assert_status(200);
    assert_eq!(changed.body["role"], "craftsman");
    let me = app.get("/api/users/me", Some(&target.access)).await;
    me.assert_status(200);
    assert_eq!(me.body["role"], "craftsman");

    app.patch(&path, json!({"role": "client"}), Some(&moderator.access))
        .await
        .assert_error(403, "admin_only");
    app.patch(&path, json!({"role": "admin"}), Some(&target.access))
        .await
        .assert_error(403, "admin_only");
    assert_field(
        &app.patch(&path, json!({"role": "wizard"}), Some(&admin.access))
            .await,
        "role",
    );
    assert_field(
        &app.patch(&path, json!({}), Some(&admin.access)).await,
        "role",
    );
    app.patch(
        &format!("/api/admin/users/{}/role", admin.id),
        json!({"role": "client"}),
        Some(&admin.access),
    )
    .await
    .assert_error(403, "cannot_target_self");
    app.patch(
        &format!("/api/admin/users/{}/role", Uuid::new_v4()),
        json!({"role": "client"}),
        Some(&admin.access),
    )
    .await
    .assert_error(404, "user_not_found");

    // Still a craftsman after the refusals; the admin is still an admin.
    let me = app.get("/api/users/me", Some(&target.access)).await;
    assert_eq!(me.body["role"], "craftsman");
    let admin_me = app.get("/api/users/me", Some(&admin.access)).await;
    assert_eq!(admin_me.body["role"], "admin");

    // Promotion to moderator grants staff routes on the same token.
    app.get("/api/admin/users", Some(&target.access))
        .await
        .assert_error(403, "staff_only");
    app.patch(&path, json!({"role": "moderator"}), Some(&admin.access))
        .await
        .assert_status(200);
    app.get("/api/admin/users", Some(&target.access))
        .await
        .assert_status(200);
}

#[tokio::test]
async fn delete_user_erases_the_account() {
    let app = TestApp::spawn().await;
    let admin = app.staff(Role::Admin).await;
    let moderator = app.staff(Role::Moderator).await;
    let target = app.register("craftsman").await;
    let path = format!("/api/admin/users/{}", target.id);
    let avatar = upload_avatar(&app, &target.access).await;
    app.get(&avatar, None).await.assert_status(200);

    app.delete(&path, Some(&moderator.access))
        .await
        .assert_error(403, "admin_only");
    app.delete(&path, Some(&target.access))
        .await
        .assert_error(403, "admin_only");
    app.get("/api/users/me", Some(&target.access))
        .await
        .assert_status(200);

    let erased = app.delete(&path, Some(&admin.access)).await;
    erased.assert_status(200);
    assert!(
        erased.body["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{}",
        erased.body
    );

    app.get("/api/users/me", Some(&target.access))
        .await
        .assert_error(401, "session_revoked");
    app.post(
        "/api/auth/refresh",
        json!({"refreshToken": target.refresh}),
        None,
    )
    .await
    .assert_status(401);
    // Personal data is gone: the avatar file too.
    app.get(&avatar, None).await.assert_status(404);
    let search = app
        .get(
            &format!("/api/admin/users?q={}", target.email),
            Some(&admin.access),
        )
        .await;
    search.assert_status(200);
    assert_eq!(
        search.body["pagination"]["totalItems"], 0,
        "{}",
        search.body
    );
    assert_eq!(search.body["data"], json!([]));
    let all = app.get("/api/admin/users", Some(&admin.access)).await;
    assert!(!ids(&all).contains(&target.id), "{}", all.body);

    login(&app, &target.email, &target.password, "clients")
        .await
        .assert_error(401, "invalid_credentials");
    app.get(&path.replace("/admin", ""), Some(&admin.access))
        .await
        .assert_error(404, "user_not_found");
    app.delete(&path, Some(&admin.access))
        .await
        .assert_error(404, "user_not_found");
    app.delete(
        &format!("/api/admin/users/{}", admin.id),
        Some(&admin.access),
    )
    .await
    .assert_error(403, "cannot_target_self");

    // The email is free again.
    app.register_with(json!({
        "email": target.email, "password": PASSWORD, "role": "client",
        "firstName": "New", "lastName": "Owner",
    }))
    .await;
}

/// An admin's four logged actions on members: ban (for "Spam") and unban one,
/// make another a craftsman, create a moderator.
struct LoggedActions {
    admin: Account,
    moderator: Account,
    banned: Account,
    promoted: Account,
    created_id: String,
}

impl LoggedActions {
    async fn perform(app: &TestApp) -> Self {
        let admin = app.staff(Role::Admin).await;
        let moderator = app.staff(Role::Moderator).await;
        let banned = app.register("client").await;
        let promoted = app.register("client").await;

        ban(app, &banned.id, "Spam", &admin.access)
            .await
            .assert_status(200);
        app.patch(
            &format!("/api/admin/users/{}/unban", banned.id),
            json!({}),
            Some(&admin.access),
        )
        .await
        .assert_status(200);
        app.patch(
            &format!("/api/admin/users/{}/role", promoted.id),
            json!({"role": "craftsman"}),
            Some(&admin.access),
        )
        .await
        .assert_status(200);
        let created = app
            .post(
                "/api/admin/users/create-admin",
                json!({"email": "log-mod@souk.test", "password": PASSWORD,
                       "firstName": "Log", "lastName": "Mod", "role": "moderator"}),
                Some(&admin.access),
            )
            .await;
        created.assert_status(201);
        Self {
            admin,
            moderator,
            banned,
            promoted,
            created_id: created.str("/id"),
        }
    }

    /// The whole log, as the admin reads it.
    async fn log(&self, app: &TestApp) -> TestResponse {
        let log = app
            .get(
                "/api/admin/activity-log?limit=100",
                Some(&self.admin.access),
            )
            .await;
        log.assert_status(200);
        log
    }

    /// The admin's entries in `log`.
    fn by_admin<'l>(&self, log: &'l TestResponse) -> Vec<&'l Value> {
        log.body["data"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["actorId"] == self.admin.id.as_str())
            .collect()
    }
}

#[tokio::test]
async fn the_activity_log_counts_every_entry_and_lists_newest_first() {
    let app = TestApp::spawn().await;
    let done = LoggedActions::perform(&app).await;
    let log = done.log(&app).await;
    let entries = log.body["data"].as_array().unwrap();
    assert_eq!(
        log.body["pagination"]["totalItems"].as_u64().unwrap(),
        entries.len() as u64
    );

    let times: Vec<DateTime<Utc>> = entries
        .iter()
        .map(|e| e["createdAt"].as_str().unwrap().parse().unwrap())
        .collect();
    assert!(
        times.windows(2).all(|w| w[0] >= w[1]),
        "not newest first: {times:?}"
    );
    // The ban happened before the unban, which is listed first (newest first).
    let position = |action: &str| {
        entries
            .iter()
            .position(|e| e["action"] == action && e["actorId"] == done.admin.id.as_str())
            .unwrap()
    };
    let (ban_at, unban_at) = (position("admin.ban"), position("admin.unban"));
    assert!(times[unban_at] >= times[ban_at]);
}

#[tokio::test]
async fn each_staff_action_is_logged_once_against_its_target() {
    let app = TestApp::spawn().await;
    let done = LoggedActions::perform(&app).await;
    let log = done.log(&app).await;
    let by_admin = done.by_admin(&log);

    let actions: BTreeSet<String> = by_admin
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        actions,
        set([
            "admin.ban",
            "admin.unban",
            "admin.set_role",
            "admin.create_staff"
        ]),
        "{}",
        log.body
    );
    let expected = [
        ("admin.ban", done.banned.id.as_str()),
        ("admin.unban", done.banned.id.as_str()),
        ("admin.set_role", done.promoted.id.as_str()),
        ("admin.create_staff", done.created_id.as_str()),
    ];
    for (action, target) in expected {
        let matching: Vec<&&Value> = by_admin.iter().filter(|e| e["action"] == action).collect();
        assert_eq!(matching.len(), 1, "{action}: {}", log.body);
        let entry = matching[0];
        assert_eq!(entry["targetId"], target, "{entry}");
        assert_eq!(entry["targetType"], "user", "{entry}");
        assert!(
            entry["id"].is_string() && entry["details"].is_object(),
            "{entry}"
        );
    }
}

#[tokio::test]
async fn a_logged_action_keeps_its_details() {
    let app = TestApp::spawn().await;
    let done = LoggedActions::perform(&app).await;
    let log = done.log(&app).await;
    let by_admin = done.by_admin(&log);

    let ban_entry = by_admin
        .iter()
        .find(|e| e["action"] == "admin.ban")
        .unwrap();
    assert_eq!(ban_entry["details"]["reason"], "Spam");
    let role_entry = by_admin
        .iter()
        .find(|e| e["action"] == "admin.set_role")
        .unwrap();
    assert_eq!(role_entry["details"]["to"], "craftsman");
}

#[tokio::test]
async fn the_activity_log_filters_by_action_target_and_actor() {
    let app = TestApp::spawn().await;
    let done = LoggedActions::perform(&app).await;

    let filtered = app
        .get(
            "/api/admin/activity-log?action=admin.ban",
            Some(&done.admin.access),
        )
        .await;
    filtered.assert_status(200);
    assert_eq!(
        filtered.body["pagination"]["totalItems"], 1,
        "{}",
        filtered.body
    );
    assert_eq!(filtered.body["data"][0]["action"], "admin.ban");
    assert_eq!(
        filtered.body["data"][0]["targetId"],
        done.banned.id.as_str()
    );

    let by_target = app
        .get(
            &format!(
                "/api/admin/activity-log?targetId={}&actorId={}",
                done.banned.id, done.admin.id
            ),
            Some(&done.admin.access),
        )
        .await;
    by_target.assert_status(200);
    let actions: BTreeSet<String> = by_target.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(actions, set(["admin.ban", "admin.unban"]));
}

#[tokio::test]
async fn only_admins_read_the_activity_log() {
    let app = TestApp::spawn().await;
    let done = LoggedActions::perform(&app).await;

    app.get("/api/admin/activity-log", Some(&done.moderator.access))
        .await
        .assert_error(403, "admin_only");
    // The ban ended the member's sessions; the unban does not revive them.
    app.get("/api/admin/activity-log", Some(&done.banned.access))
        .await
        .assert_status(401);
    app.get("/api/admin/activity-log", Some(&done.promoted.access))
        .await
        .assert_error(403, "admin_only");
    app.get("/api/admin/activity-log", None)
        .await
        .assert_error(401, "unauthorized");
}
