//! `/api/users/*`: the caller's profile (read, update, deactivate), avatars
//! and the files they are served from, public profiles and member search.
#![allow(clippy::unwrap_used)]

use serde_json::{Value, json};
use souk_core::accounts::Role;
use uuid::Uuid;

use crate::support::*;

/// The path part of a public file URL (`http://souk.test/uploads/...`).
fn upload_path(url: &str) -> String {
    let path = url
        .strip_prefix("http://souk.test")
        .unwrap_or_else(|| panic!("not a souk.test URL: {url}"));
    assert!(path.starts_with("/uploads/avatars/"), "{url}");
    path.to_owned()
}

async fn member(app: &TestApp, role: &str, first: &str, last: &str) -> Account {
    app.register_with(json!({
        "email": format!("{}-{}@example.com", first.to_lowercase(), Uuid::new_v4().simple()),
        "password": PASSWORD, "role": role, "firstName": first, "lastName": last,
    }))
    .await
}

fn ids(resp: &TestResponse) -> Vec<String> {
    resp.body["data"]
        .as_array()
        .unwrap_or_else(|| panic!("no data in {}", resp.body))
        .iter()
        .map(|u| u["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn me_returns_the_user_without_secrets_and_needs_a_valid_token() {
    let app = TestApp::spawn().await;
    let user = app
        .register_with(json!({
            "email": "Mona.Me@Example.com", "password": PASSWORD, "role": "craftsman",
            "firstName": "Mona", "lastName": "Adel",
        }))
        .await;

    let me = app.get("/api/users/me", Some(&user.access)).await;
    me.assert_status(200);
    assert_eq!(me.body["id"], user.id.as_str());
    assert_eq!(me.body["email"], "mona.me@example.com");
    assert_eq!(me.body["role"], "craftsman");
    assert_eq!(me.body["firstName"], "Mona");
    assert_eq!(me.body["lastName"], "Adel");
    assert_eq!(me.body["language"], "en");
    assert!(me.body["profilePicture"].is_null(), "{}", me.body);
    assert_eq!(me.body["emailVerified"], false);
    assert_eq!(me.body["skills"], json!([]));
    for secret in ["passwordHash", "password_hash", "password"] {
        assert!(
            !has_key_anywhere(&me.body, secret),
            "{secret} leaked: {}",
            me.body
        );
    }
    let text = String::from_utf8_lossy(&me.bytes);
    assert!(!text.contains("argon2"), "a hash leaked: {text}");

    app.get("/api/users/me", None)
        .await
        .assert_error(401, "unauthorized");
    app.get("/api/users/me", Some("garbage.not-a.jwt"))
        .await
        .assert_error(401, "invalid_token");
    app.get("/api/users/me", Some("garbage"))
        .await
        .assert_error(401, "invalid_token");
}

#[tokio::test]
async fn update_me_changes_the_profile_and_validates_each_field() {
    let app = TestApp::spawn().await;
    let user = app.register("client").await;
    let token = Some(user.access.as_str());

    let updated = app
        .put(
            "/api/users/me",
            json!({
                "firstName": "  Mona ", "bio": "I fix leaking taps.", "city": "Cairo",
                "language": "ar", "location": {"lat": 30.0444, "lng": 31.2357},
                "phone": "+20 100 123 4567",
            }),
            token,
        )
        .await;
    updated.assert_status(200);
    assert_eq!(updated.body["firstName"], "Mona");
    assert_eq!(updated.body["lastName"], "client", "untouched fields stay");
    assert_eq!(updated.body["bio"], "I fix leaking taps.");
    assert_eq!(updated.body["city"], "Cairo");
    assert_eq!(updated.body["language"], "ar");
    assert_eq!(
        updated.body["location"],
        json!({"lat": 30.0444, "lng": 31.2357})
    );
    assert_eq!(updated.body["skills"], json!([]));
    assert_eq!(updated.body["phone"], "+201001234567");

    // It is stored, not just echoed.
    let me = app.get("/api/users/me", token).await;
    me.assert_status(200);
    for field in [
        "firstName",
        "bio",
        "city",
        "language",
        "location",
        "skills",
        "phone",
    ] {
        assert_eq!(me.body[field], updated.body[field], "{field}");
    }

    let bad_phone = app
        .put("/api/users/me", json!({"phone": "12345"}), token)
        .await;
    bad_phone.assert_error(400, "validation_failed");
    assert!(
        bad_phone.body["details"]["fields"]["phone"].is_string(),
        "{}",
        bad_phone.body
    );

    let bad_lat = app
        .put(
            "/api/users/me",
            json!({"location": {"lat": 200.0, "lng": 31.0}}),
            token,
        )
        .await;
    bad_lat.assert_error(400, "validation_failed");
    assert!(
        bad_lat.body["details"]["fields"]["location.lat"].is_string(),
        "{}",
        bad_lat.body
    );

    let email = app
        .put(
            "/api/users/me",
            json!({"email": "other@example.com"}),
            token,
        )
        .await;
    email.assert_error(400, "validation_failed");
    assert!(
        email.body["details"]["fields"]["email"].is_string(),
        "{}",
        email.body
    );

    // Skills are catalog services, set with PUT /api/users/me/skills.
    let skills = app
        .put("/api/users/me", json!({"skills": ["plumbing"]}), token)
        .await;
    skills.assert_error(400, "validation_failed");
    assert!(
        skills.body["details"]["fields"]["skills"].is_string(),
        "{}",
        skills.body
    );

    let role = app
        .put("/api/users/me", json!({"role": "admin"}), token)
        .await;
    role.assert_error(400, "validation_failed");
    assert!(
        role.body["details"]["fields"]["role"].is_string(),
        "{}",
        role.body
    );

    // Refused updates changed nothing.
    let me = app.get("/api/users/me", token).await;
    assert_eq!(me.body["phone"], "+201001234567");
    assert_eq!(me.body["location"], json!({"lat": 30.0444, "lng": 31.2357}));
    assert_eq!(me.body["email"], user.email.as_str());
    assert_eq!(me.body["role"], "client");

    // Another account cannot take the same number, however it is written.
    let other = app.register("craftsman").await;
    let taken = app
        .put(
            "/api/users/me",
            json!({"phone": "0020 100 123 4567"}),
            Some(&other.access),
        )
        .await;
    taken.assert_error(409, "phone_taken");
    let other_me = app.get("/api/users/me", Some(&other.access)).await;
    assert!(other_me.body["phone"].is_null(), "{}", other_me.body);

    // Re-saving one's own number is fine.
    app.put("/api/users/me", json!({"phone": "+201001234567"}), token)
        .await
        .assert_status(200);
}

#[tokio::test]
async fn delete_me_deactivates_until_the_next_login() {
    let app = TestApp::spawn().await;
    let user = app.register("craftsman").await;
    let viewer = app.register("client").await;
    let profile = format!("/api/users/{}", user.id);

    app.get(&profile, Some(&viewer.access))
        .await
        .assert_status(200);

    let gone = app.delete("/api/users/me", Some(&user.access)).await;
    gone.assert_status(200);
    assert!(
        gone.body["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{}",
        gone.body
    );

    app.get("/api/users/me", Some(&user.access))
        .await
        .assert_error(401, "session_revoked");
    app.post(
        "/api/auth/refresh",
        json!({"refreshToken": user.refresh}),
        None,
    )
    .await
    .assert_status(401);
    app.get(&profile, Some(&viewer.access))
        .await
        .assert_error(404, "user_not_found");
    app.get(&profile, None)
        .await
        .assert_error(404, "user_not_found");
    let search = app.get("/api/users", Some(&viewer.access)).await;
    search.assert_status(200);
    assert!(!ids(&search).contains(&user.id), "{}", search.body);

    let back = login(&app, &user.email, &user.password, "clients").await;
    back.assert_status(200);
    assert_eq!(back.body["user"]["id"], user.id.as_str());
    assert!(
        back.body["user"]
            .get("deactivatedAt")
            .is_none_or(Value::is_null),
        "{}",
        back.body
    );
    let token = back.str("/accessToken");
    app.get("/api/users/me", Some(&token))
        .await
        .assert_status(200);
    let visible = app.get(&profile, Some(&viewer.access)).await;
    visible.assert_status(200);
    assert_eq!(visible.body["id"], user.id.as_str());
}

#[tokio::test]
async fn avatar_is_cropped_to_400_served_and_replaced() {
    let app = TestApp::spawn().await;
    let user = app.register("client").await;

    let first = put_avatar(
        &app,
        Some(&user.access),
        multipart("avatar", "me.png", "image/png", &png(800, 600)),
    )
    .await;
    first.assert_status(200);
    assert_eq!(first.body["id"], user.id.as_str());
    let first_url = first.str("/profilePicture");
    assert!(
        first_url.starts_with("http://souk.test/uploads/avatars/"),
        "{first_url}"
    );
    let first_path = upload_path(&first_url);

    let file = app.get(&first_path, None).await;
    file.assert_status(200);
    let content_type = file.headers["content-type"].to_str().unwrap();
    assert!(content_type.starts_with("image/"), "{content_type}");
    let decoded = image::load_from_memory(&file.bytes).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (400, 400));

    let me = app.get("/api/users/me", Some(&user.access)).await;
    assert_eq!(me.body["profilePicture"], first_url.as_str());

    let second = put_avatar(
        &app,
        Some(&user.access),
        multipart("avatar", "me.png", "image/png", &png(300, 500)),
    )
    .await;
    second.assert_status(200);
    let second_url = second.str("/profilePicture");
    assert_ne!(first_url, second_url);
    let second_path = upload_path(&second_url);

    app.get(&first_path, None).await.assert_status(404);
    let file = app.get(&second_path, None).await;
    file.assert_status(200);
    let decoded = image::load_from_memory(&file.bytes).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (400, 400));
}

#[tokio::test]
async fn avatar_refuses_non_images_missing_files_oversize_and_anonymous() {
    let app = TestApp::spawn().await;
    let user = app.register("client").await;
    let token = Some(user.access.as_str());

    put_avatar(
        &app,
        token,
        multipart("avatar", "evil.png", "image/png", b"#!/bin/sh\nrm -rf /\n"),
    )
    .await
    .assert_error(400, "unsupported_image");

    put_avatar(&app, token, multipart_text("nickname", "mona"))
        .await
        .assert_error(400, "missing_file");
    put_avatar(
        &app,
        token,
        multipart("photo", "me.png", "image/png", &png(50, 50)),
    )
    .await
    .assert_error(400, "missing_file");

    let big = oversized_png();
    put_avatar(
        &app,
        token,
        multipart("avatar", "big.png", "image/png", &big),
    )
    .await
    .assert_error(413, "payload_too_large");

    put_avatar(
        &app,
        None,
        multipart("avatar", "me.png", "image/png", &png(50, 50)),
    )
    .await
    .assert_error(401, "unauthorized");

    // Nothing was stored by any refusal.
    let me = app.get("/api/users/me", token).await;
    assert!(me.body["profilePicture"].is_null(), "{}", me.body);
}

#[tokio::test]
async fn public_profile_hides_contact_details_from_non_staff() {
    let app = TestApp::spawn().await;
    let target = member(&app, "craftsman", "Karim", "Nabil").await;
    app.put(
        "/api/users/me",
        json!({"phone": "+201009876543", "city": "Giza"}),
        Some(&target.access),
    )
    .await
    .assert_status(200);
    app.put(
        "/api/users/me/skills",
        json!({"skills": ["carpentry"]}),
        Some(&target.access),
    )
    .await
    .assert_status(200);
    let path = format!("/api/users/{}", target.id);

    let viewer = app.register("client").await;
    let seen = app.get(&path, Some(&viewer.access)).await;
    seen.assert_status(200);
    assert_eq!(seen.body["id"], target.id.as_str());
    assert_eq!(seen.body["firstName"], "Karim");
    assert_eq!(seen.body["role"], "craftsman");
    assert_eq!(seen.body["skills"][0]["slug"], "carpentry", "{}", seen.body);
    assert_eq!(seen.body["skills"][0]["name"], "Carpentry");
    assert_eq!(seen.body["skills"].as_array().unwrap().len(), 1);
    assert_eq!(seen.body["city"], "Giza");
    for hidden in ["email", "phone", "passwordHash", "password_hash"] {
        assert!(
            seen.body.get(hidden).is_none(),
            "{hidden} shown: {}",
            seen.body
        );
    }

    let anonymous = app.get(&path, None).await;
    anonymous.assert_status(200);
    assert_eq!(anonymous.body["firstName"], "Karim");
    assert!(anonymous.body.get("email").is_none(), "{}", anonymous.body);
    assert!(anonymous.body.get("phone").is_none(), "{}", anonymous.body);

    let staff = app.staff(Role::Moderator).await;
    let staff_view = app.get(&path, Some(&staff.access)).await;
    staff_view.assert_status(200);
    assert_eq!(staff_view.body["email"], target.email.as_str());
    assert_eq!(staff_view.body["phone"], "+201009876543");

    app.get(
        &format!("/api/users/{}", Uuid::new_v4()),
        Some(&viewer.access),
    )
    .await
    .assert_error(404, "user_not_found");
    app.get("/api/users/not-a-uuid", Some(&viewer.access))
        .await
        .assert_error(404, "invalid_id");
}

/// The member directory a search runs over: a client (Zubaida Fawzy), a
/// plumber-tiler (Quentinor Salah), a painter (Yaravel Hosny), a banned
/// plumber named Quentinor too, and two staff accounts.
struct Directory {
    admin: Account,
    moderator: Account,
    zubaida: Account,
    quentin: Account,
    yara: Account,
    banned: Account,
}

impl Directory {
    async fn seed(app: &TestApp) -> Self {
        let admin = app.staff(Role::Admin).await;
        let moderator = app.staff(Role::Moderator).await;
        let zubaida = member(app, "client", "Zubaida", "Fawzy").await;
        let quentin = member(app, "craftsman", "Quentinor", "Salah").await;
        let yara = member(app, "craftsman", "Yaravel", "Hosny").await;
        let banned = member(app, "craftsman", "Bannedine", "Quentinor").await;
        for (account, skills) in [
            (&quentin, json!(["plumbing", "tiling"])),
            (&yara, json!(["painting"])),
            (&banned, json!(["plumbing"])),
        ] {
            app.put(
                "/api/users/me/skills",
                json!({"skills": skills}),
                Some(&account.access),
            )
            .await
            .assert_status(200);
        }
        app.patch(
            &format!("/api/admin/users/{}/ban", banned.id),
            json!({"reason": "Fake reviews"}),
            Some(&admin.access),
        )
        .await
        .assert_status(200);
        Self {
            admin,
            moderator,
            zubaida,
            quentin,
            yara,
            banned,
        }
    }

    /// Searches as Zubaida.
    async fn search(&self, app: &TestApp, query: &str) -> TestResponse {
        app.get(&format!("/api/users{query}"), Some(&self.zubaida.access))
            .await
    }

    /// The three active members' ids, sorted.
    fn active(&self) -> Vec<String> {
        let mut ids = vec![
            self.zubaida.id.clone(),
            self.quentin.id.clone(),
            self.yara.id.clone(),
        ];
        ids.sort();
        ids
    }
}

#[tokio::test]
async fn the_directory_lists_active_members_without_emails_and_hides_banned_and_staff() {
    let app = TestApp::spawn().await;
    let dir = Directory::seed(&app).await;

    let all = dir.search(&app, "").await;
    all.assert_status(200);
    assert_eq!(all.body["pagination"]["totalItems"], 3, "{}", all.body);
    let mut found = ids(&all);
    found.sort();
    assert_eq!(found, dir.active());
    for hidden in [&dir.admin.id, &dir.moderator.id, &dir.banned.id] {
        assert!(!found.contains(hidden));
    }
    assert!(all.body["data"][0].get("email").is_none(), "{}", all.body);
}

#[tokio::test]
async fn search_matches_names_in_part_and_in_any_case_and_never_hidden_accounts() {
    let app = TestApp::spawn().await;
    let dir = Directory::seed(&app).await;

    // The banned namesake stays hidden.
    let by_name = dir.search(&app, "?q=QUENTIN").await;
    by_name.assert_status(200);
    assert_eq!(ids(&by_name), vec![dir.quentin.id.clone()]);
    assert_eq!(by_name.body["pagination"]["totalItems"], 1);
    let by_last = app.get("/api/users?q=hosn", None).await;
    by_last.assert_status(200);
    assert_eq!(ids(&by_last), vec![dir.yara.id.clone()]);
    let by_admin_name = dir.search(&app, "?q=admin").await;
    assert_eq!(
        by_admin_name.body["pagination"]["totalItems"], 0,
        "{}",
        by_admin_name.body
    );
}

#[tokio::test]
async fn like_wildcards_in_a_search_are_literal() {
    let app = TestApp::spawn().await;
    let dir = Directory::seed(&app).await;
    for wildcard in ["%25", "_", "%5C"] {
        let none = dir.search(&app, &format!("?q={wildcard}")).await;
        none.assert_status(200);
        assert_eq!(
            none.body["pagination"]["totalItems"], 0,
            "q={wildcard}: {}",
            none.body
        );
    }
}

#[tokio::test]
async fn search_filters_by_role() {
    let app = TestApp::spawn().await;
    let dir = Directory::seed(&app).await;

    let craftsmen = dir.search(&app, "?role=craftsman").await;
    craftsmen.assert_status(200);
    let mut found = ids(&craftsmen);
    found.sort();
    let mut expected = vec![dir.quentin.id.clone(), dir.yara.id.clone()];
    expected.sort();
    assert_eq!(found, expected);
    assert!(
        craftsmen.body["data"]
            .as_array()
            .unwrap()
            .iter()
            .all(|u| u["role"] == "craftsman")
    );
}

#[tokio::test]
async fn search_filters_by_a_catalog_skill_slug_or_id() {
    let app = TestApp::spawn().await;
    let dir = Directory::seed(&app).await;

    // The banned plumber stays hidden.
    let plumbers = dir.search(&app, "?skill=plumbing").await;
    plumbers.assert_status(200);
    assert_eq!(ids(&plumbers), vec![dir.quentin.id.clone()]);
    let painting = app.get("/api/services/painting", None).await;
    let by_id = dir
        .search(&app, &format!("?skill={}", painting.str("/id")))
        .await;
    assert_eq!(ids(&by_id), vec![dir.yara.id.clone()]);
    let plumbing_clients = dir.search(&app, "?skill=plumbing&role=client").await;
    assert_eq!(plumbing_clients.body["pagination"]["totalItems"], 0);
    let unknown = dir.search(&app, "?skill=astrology").await;
    unknown.assert_status(200);
    assert_eq!(unknown.body["data"], json!([]));
}

#[tokio::test]
async fn search_matches_skill_names_in_either_language() {
    let app = TestApp::spawn().await;
    let dir = Directory::seed(&app).await;

    let tilers = dir.search(&app, "?q=Tiling").await;
    assert_eq!(ids(&tilers), vec![dir.quentin.id.clone()]);
    let arabic = dir.search(&app, "?q=%D8%AF%D9%87%D8%A7%D9%86").await;
    assert_eq!(ids(&arabic), vec![dir.yara.id.clone()], "{}", arabic.body);
}

#[tokio::test]
async fn the_directory_pages_cover_everyone_without_overlap() {
    let app = TestApp::spawn().await;
    let dir = Directory::seed(&app).await;

    // Three items, one per page.
    let page1 = dir.search(&app, "?limit=1&page=1").await;
    let page2 = dir.search(&app, "?limit=1&page=2").await;
    let page3 = dir.search(&app, "?limit=1&page=3").await;
    page2.assert_status(200);
    assert_eq!(
        page2.body["pagination"],
        json!({"page": 2, "limit": 1, "totalPages": 3, "totalItems": 3})
    );
    let mut paged: Vec<String> = [&page1, &page2, &page3]
        .iter()
        .flat_map(|p| {
            assert_eq!(p.body["data"].as_array().unwrap().len(), 1, "{}", p.body);
            ids(p)
        })
        .collect();
    paged.sort();
    assert_eq!(
        paged,
        dir.active(),
        "pages do not overlap and cover everyone"
    );
    let past = dir.search(&app, "?limit=1&page=4").await;
    past.assert_status(200);
    assert_eq!(past.body["data"], json!([]));
}

#[tokio::test]
async fn search_refuses_staff_roles_and_limits_out_of_bounds() {
    let app = TestApp::spawn().await;
    let viewer = member(&app, "client", "Zubaida", "Fawzy").await;
    let viewer = Some(viewer.access.as_str());

    let staff_role = app.get("/api/users?role=admin", viewer).await;
    staff_role.assert_error(400, "validation_failed");
    assert!(
        staff_role.body["details"]["fields"]["role"].is_string(),
        "{}",
        staff_role.body
    );
    let too_many = app.get("/api/users?limit=500", viewer).await;
    too_many.assert_error(400, "validation_failed");
    assert!(
        too_many.body["details"]["fields"]["limit"].is_string(),
        "{}",
        too_many.body
    );
    app.get("/api/users?limit=0", viewer)
        .await
        .assert_error(400, "validation_failed");
}
