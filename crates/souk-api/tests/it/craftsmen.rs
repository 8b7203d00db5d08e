//! The craftsman profile: catalog skills, availability, service radius,
//! portfolio pictures, the public profile's reputation fields and search by
//! skill.
#![allow(clippy::unwrap_used)]

use axum::{body::Body, http::Method, http::Request};
use serde_json::{Value, json};
use souk_core::accounts::Role;
use uuid::Uuid;

use crate::support::*;

async fn post_portfolio(app: &TestApp, token: Option<&str>, body: Vec<u8>) -> TestResponse {
    let mut builder = Request::builder()
        .method("POST")
        .uri("/api/users/me/portfolio")
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        );
    if let Some(token) = token {
        builder = builder.header("authorization", format!("Bearer {token}"));
    }
    app.send(builder.body(Body::from(body)).unwrap()).await
}

fn image(width: u32, height: u32) -> Vec<u8> {
    multipart("image", "work.png", "image/png", &png(width, height))
}

/// The path part of a public file URL.
fn upload_path(url: &str) -> String {
    let path = url
        .strip_prefix("http://souk.test")
        .unwrap_or_else(|| panic!("not a souk.test URL: {url}"));
    assert!(path.starts_with("/uploads/portfolio/"), "{url}");
    path.to_owned()
}

fn skill_slugs(user: &Value) -> Vec<String> {
    user["skills"]
        .as_array()
        .unwrap_or_else(|| panic!("no skills in {user}"))
        .iter()
        .map(|s| s["slug"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn skills_are_catalog_services_set_and_replaced_by_id_or_slug() {
    let app = TestApp::spawn().await;
    let craftsman = app.register("craftsman").await;
    let token = Some(craftsman.access.as_str());
    let tiling = app.get("/api/services/tiling", None).await;
    let tiling_id = tiling.str("/id");

    let set = app
        .put(
            "/api/users/me/skills",
            json!({"skills": ["plumbing", tiling_id, "plumbing", " electrical "]}),
            token,
        )
        .await;
    set.assert_status(200);
    assert_eq!(set.body["id"], craftsman.id.as_str());
    // Catalog order, duplicates merged.
    assert_eq!(
        skill_slugs(&set.body),
        vec!["plumbing", "electrical", "tiling"]
    );
    let first = &set.body["skills"][0];
    assert_eq!(first["name"], "Plumbing");
    assert!(Uuid::parse_str(first["id"].as_str().unwrap()).is_ok());
    assert_eq!(
        first
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect::<Vec<_>>(),
        vec!["id", "name", "slug"]
    );

    let me = app
        .call(
            Method::GET,
            "/api/users/me",
            None,
            token,
            &[("accept-language", "ar")],
        )
        .await;
    assert_eq!(skill_slugs(&me.body), skill_slugs(&set.body));
    assert_eq!(me.body["skills"][0]["name"], "سباكة");

    // Replaced, not merged.
    let replaced = app
        .put(
            "/api/users/me/skills",
            json!({"skills": ["painting"]}),
            token,
        )
        .await;
    replaced.assert_status(200);
    assert_eq!(skill_slugs(&replaced.body), vec!["painting"]);
    let cleared = app
        .put("/api/users/me/skills", json!({"skills": []}), token)
        .await;
    cleared.assert_status(200);
    assert_eq!(cleared.body["skills"], json!([]));
}

#[tokio::test]
async fn skills_are_validated_and_only_for_craftsmen() {
    let app = TestApp::spawn().await;
    let craftsman = app.register("craftsman").await;
    let token = Some(craftsman.access.as_str());
    app.put(
        "/api/users/me/skills",
        json!({"skills": ["plumbing"]}),
        token,
    )
    .await
    .assert_status(200);

    let unknown = app
        .put(
            "/api/users/me/skills",
            json!({"skills": ["plumbing", "astrology", Uuid::new_v4().to_string(), "Not A Slug"]}),
            token,
        )
        .await;
    unknown.assert_error(400, "validation_failed");
    let fields = &unknown.body["details"]["fields"];
    assert!(fields.get("skills[0]").is_none(), "{}", unknown.body);
    for field in ["skills[1]", "skills[2]", "skills[3]"] {
        assert!(fields[field].is_string(), "{field}: {}", unknown.body);
    }

    let all: Vec<String> = app
        .get("/api/services", None)
        .await
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["slug"].as_str().unwrap().to_owned())
        .collect();
    assert!(all.len() > 20);
    let too_many = app
        .put("/api/users/me/skills", json!({"skills": all}), token)
        .await;
    too_many.assert_error(400, "validation_failed");
    assert!(too_many.body["details"]["fields"]["skills"].is_string());
    let twenty = app
        .put(
            "/api/users/me/skills",
            json!({"skills": all[..20].to_vec()}),
            token,
        )
        .await;
    twenty.assert_status(200);
    assert_eq!(twenty.body["skills"].as_array().unwrap().len(), 20);

    let missing = app.put("/api/users/me/skills", json!({}), token).await;
    missing.assert_error(400, "validation_failed");
    assert!(missing.body["details"]["fields"]["skills"].is_string());
    let wrong = app
        .put("/api/users/me/skills", json!({"skills": "plumbing"}), token)
        .await;
    wrong.assert_error(400, "validation_failed");
    assert!(wrong.body["details"]["fields"]["skills"].is_string());

    // Refusals changed nothing.
    let me = app.get("/api/users/me", token).await;
    assert_eq!(me.body["skills"].as_array().unwrap().len(), 20);

    let client = app.register("client").await;
    app.put(
        "/api/users/me/skills",
        json!({"skills": ["plumbing"]}),
        Some(&client.access),
    )
    .await
    .assert_error(403, "forbidden");
    let moderator = app.staff(Role::Moderator).await;
    app.put(
        "/api/users/me/skills",
        json!({"skills": ["plumbing"]}),
        Some(&moderator.access),
    )
    .await
    .assert_error(403, "forbidden");
    app.put(
        "/api/users/me/skills",
        json!({"skills": ["plumbing"]}),
        None,
    )
    .await
    .assert_error(401, "unauthorized");
}

#[tokio::test]
async fn availability_and_service_radius() {
    let app = TestApp::spawn().await;
    let craftsman = app.register("craftsman").await;
    let token = Some(craftsman.access.as_str());

    let me = app.get("/api/users/me", token).await;
    assert_eq!(me.body["available"], true, "available by default");
    assert!(me.body["serviceRadiusKm"].is_null());

    let off = app
        .put(
            "/api/users/me/availability",
            json!({"available": false}),
            token,
        )
        .await;
    off.assert_status(200);
    assert_eq!(off.body["available"], false);
    let public = app.get(&format!("/api/users/{}", craftsman.id), None).await;
    assert_eq!(public.body["available"], false);
    app.put(
        "/api/users/me/availability",
        json!({"available": true}),
        token,
    )
    .await
    .assert_status(200);

    let bad = app
        .put(
            "/api/users/me/availability",
            json!({"available": "yes"}),
            token,
        )
        .await;
    bad.assert_error(400, "validation_failed");
    assert!(bad.body["details"]["fields"]["available"].is_string());
    let missing = app
        .put("/api/users/me/availability", json!({}), token)
        .await;
    missing.assert_error(400, "validation_failed");
    assert!(missing.body["details"]["fields"]["available"].is_string());

    let area = app
        .put(
            "/api/users/me",
            json!({"serviceRadiusKm": 12.5, "city": "Tyre", "location": {"lat": 33.27, "lng": 35.2}}),
            token,
        )
        .await;
    area.assert_status(200);
    assert_eq!(area.body["serviceRadiusKm"], 12.5);
    assert_eq!(area.body["city"], "Tyre");
    assert_eq!(area.body["location"], json!({"lat": 33.27, "lng": 35.2}));
    for edge in [0.5, 200.0] {
        let ok = app
            .put("/api/users/me", json!({"serviceRadiusKm": edge}), token)
            .await;
        ok.assert_status(200);
        assert_eq!(ok.body["serviceRadiusKm"], edge);
    }
    for wrong in [json!(0.4), json!(200.5), json!(-3), json!("far")] {
        let resp = app
            .put("/api/users/me", json!({"serviceRadiusKm": wrong}), token)
            .await;
        resp.assert_error(400, "validation_failed");
        assert!(
            resp.body["details"]["fields"]["serviceRadiusKm"].is_string(),
            "{wrong}: {}",
            resp.body
        );
    }
    let me = app.get("/api/users/me", token).await;
    assert_eq!(me.body["serviceRadiusKm"], 200.0);
    assert_eq!(me.body["available"], true);

    // Clients have no availability or service area.
    let client = app.register("client").await;
    app.put(
        "/api/users/me/availability",
        json!({"available": false}),
        Some(&client.access),
    )
    .await
    .assert_error(403, "forbidden");
    let radius = app
        .put(
            "/api/users/me",
            json!({"serviceRadiusKm": 10}),
            Some(&client.access),
        )
        .await;
    radius.assert_error(400, "validation_failed");
    assert!(radius.body["details"]["fields"]["serviceRadiusKm"].is_string());
    app.put(
        "/api/users/me/availability",
        json!({"available": true}),
        None,
    )
    .await
    .assert_error(401, "unauthorized");
}

#[tokio::test]
async fn portfolio_pictures_are_stored_resized_served_and_deleted() {
    let app = TestApp::spawn().await;
    let craftsman = app.register("craftsman").await;
    let token = Some(craftsman.access.as_str());

    let big = post_portfolio(&app, token, image(2000, 1000)).await;
    big.assert_status(201);
    let big_id = big.str("/id");
    let big_path = upload_path(&big.str("/url"));
    let file = app.get(&big_path, None).await;
    file.assert_status(200);
    let content_type = file.headers["content-type"].to_str().unwrap();
    assert!(content_type.starts_with("image/"), "{content_type}");
    let decoded = image::load_from_memory(&file.bytes).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (1600, 800));

    let small = post_portfolio(&app, token, image(40, 30)).await;
    small.assert_status(201);
    let decoded =
        image::load_from_memory(&app.get(&upload_path(&small.str("/url")), None).await.bytes)
            .unwrap();
    assert_eq!(
        (decoded.width(), decoded.height()),
        (40, 30),
        "small ones are not enlarged"
    );

    let me = app.get("/api/users/me", token).await;
    let portfolio = me.body["portfolio"].as_array().unwrap();
    assert_eq!(portfolio.len(), 2);
    assert_eq!(portfolio[0]["id"], big_id.as_str());
    assert_eq!(portfolio[0]["url"], big.body["url"]);
    let public = app.get(&format!("/api/users/{}", craftsman.id), None).await;
    assert_eq!(public.body["portfolio"], me.body["portfolio"]);

    // Only the owner deletes, and the file goes too.
    let other = app.register("craftsman").await;
    app.delete(
        &format!("/api/users/me/portfolio/{big_id}"),
        Some(&other.access),
    )
    .await
    .assert_error(404, "not_found");
    let gone = app
        .delete(&format!("/api/users/me/portfolio/{big_id}"), token)
        .await;
    gone.assert_status(200);
    assert_eq!(gone.body, json!({"deleted": true}));
    app.get(&big_path, None).await.assert_status(404);
    app.delete(&format!("/api/users/me/portfolio/{big_id}"), token)
        .await
        .assert_error(404, "not_found");
    app.delete("/api/users/me/portfolio/not-a-uuid", token)
        .await
        .assert_error(404, "invalid_id");
    let me = app.get("/api/users/me", token).await;
    assert_eq!(me.body["portfolio"].as_array().unwrap().len(), 1);

    // Other upload keys are still not served.
    app.get("/uploads/secret/x.png", None)
        .await
        .assert_error(404, "not_found");
}

#[tokio::test]
async fn portfolio_holds_ten_pictures() {
    let app = TestApp::spawn().await;
    let craftsman = app.register("craftsman").await;
    let token = Some(craftsman.access.as_str());

    let mut ids = Vec::new();
    for _ in 0..10 {
        let resp = post_portfolio(&app, token, image(8, 8)).await;
        resp.assert_status(201);
        ids.push(resp.str("/id"));
    }
    post_portfolio(&app, token, image(8, 8))
        .await
        .assert_error(409, "portfolio_full");
    let me = app.get("/api/users/me", token).await;
    assert_eq!(me.body["portfolio"].as_array().unwrap().len(), 10);
    let stored = std::fs::read_dir(app.data_dir.join("uploads/portfolio").join(&craftsman.id))
        .unwrap()
        .count();
    assert_eq!(stored, 10, "the refused picture left no file");

    // Deleting one makes room.
    app.delete(&format!("/api/users/me/portfolio/{}", ids[0]), token)
        .await
        .assert_status(200);
    post_portfolio(&app, token, image(8, 8))
        .await
        .assert_status(201);
}

#[tokio::test]
async fn portfolio_refuses_non_images_missing_files_oversize_clients_and_anonymous() {
    let app = TestApp::spawn().await;
    let craftsman = app.register("craftsman").await;
    let token = Some(craftsman.access.as_str());

    post_portfolio(
        &app,
        token,
        multipart("image", "evil.png", "image/png", b"<?php echo 1; ?>"),
    )
    .await
    .assert_error(400, "unsupported_image");
    post_portfolio(&app, token, multipart_text("caption", "my work"))
        .await
        .assert_error(400, "missing_file");
    post_portfolio(
        &app,
        token,
        multipart("avatar", "me.png", "image/png", &png(8, 8)),
    )
    .await
    .assert_error(400, "missing_file");

    let big = oversized_png();
    post_portfolio(
        &app,
        token,
        multipart("image", "big.png", "image/png", &big),
    )
    .await
    .assert_error(413, "payload_too_large");

    let client = app.register("client").await;
    post_portfolio(&app, Some(&client.access), image(8, 8))
        .await
        .assert_error(403, "forbidden");
    post_portfolio(&app, None, image(8, 8))
        .await
        .assert_error(401, "unauthorized");
    app.delete(&format!("/api/users/me/portfolio/{}", Uuid::new_v4()), None)
        .await
        .assert_error(401, "unauthorized");

    let me = app.get("/api/users/me", token).await;
    assert_eq!(me.body["portfolio"], json!([]));
    assert!(!app.data_dir.join("uploads/portfolio").exists());
}

#[tokio::test]
async fn public_profile_shows_reputation_skills_and_portfolio() {
    let app = TestApp::spawn().await;
    let craftsman = app.register("craftsman").await;
    app.put(
        "/api/users/me/skills",
        json!({"skills": ["ac-repair", "electrical"]}),
        Some(&craftsman.access),
    )
    .await
    .assert_status(200);
    post_portfolio(&app, Some(&craftsman.access), image(8, 8))
        .await
        .assert_status(201);

    let viewer = app.register("client").await;
    let seen = app
        .call(
            Method::GET,
            &format!("/api/users/{}", craftsman.id),
            None,
            Some(&viewer.access),
            &[("accept-language", "ar")],
        )
        .await;
    seen.assert_status(200);
    assert!(seen.body["rating"].is_null(), "{}", seen.body);
    assert_eq!(seen.body["ratingCount"], 0);
    assert_eq!(seen.body["completedJobs"], 0);
    assert_eq!(seen.body["verificationStatus"], "unverified");
    assert_eq!(seen.body["available"], true);
    assert!(seen.body["serviceRadiusKm"].is_null());
    assert_eq!(skill_slugs(&seen.body), vec!["electrical", "ac-repair"]);
    assert_eq!(seen.body["skills"][0]["name"], "كهرباء");
    assert_eq!(seen.body["portfolio"].as_array().unwrap().len(), 1);
    assert!(seen.body.get("email").is_none());

    // A client's profile has the same shape, with nothing listed.
    let client_view = app.get(&format!("/api/users/{}", viewer.id), None).await;
    assert_eq!(client_view.body["skills"], json!([]));
    assert_eq!(client_view.body["portfolio"], json!([]));
    assert_eq!(client_view.body["verificationStatus"], "unverified");

    // The rating is the mean with one decimal.
    use sea_orm::{ActiveModelTrait, Set};
    let row =
        souk_core::accounts::find_user(app.core.db.conn(), Uuid::parse_str(&craftsman.id).unwrap())
            .await
            .unwrap();
    let mut row: souk_db::entities::users::ActiveModel = row.into();
    row.rating_sum = Set(14);
    row.rating_count = Set(3);
    let txn = app.core.db.begin_write().await.unwrap();
    row.update(&*txn).await.unwrap();
    txn.commit().await.unwrap();
    let rated = app.get(&format!("/api/users/{}", craftsman.id), None).await;
    assert_eq!(rated.body["rating"], 4.7);
    assert_eq!(rated.body["ratingCount"], 3);

    // Search results carry the same fields.
    let found = app.get("/api/users?skill=ac-repair", None).await;
    found.assert_status(200);
    assert_eq!(found.body["pagination"]["totalItems"], 1);
    let hit = &found.body["data"][0];
    assert_eq!(hit["id"], craftsman.id.as_str());
    assert_eq!(skill_slugs(hit), vec!["electrical", "ac-repair"]);
    assert_eq!(hit["rating"], 4.7);
    assert_eq!(hit["portfolio"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn search_by_skill_uses_the_catalog() {
    let app = TestApp::spawn().await;
    let plumber = app.register("craftsman").await;
    let painter = app.register("craftsman").await;
    let both = app.register("craftsman").await;
    for (account, skills) in [
        (&plumber, json!(["plumbing"])),
        (&painter, json!(["painting"])),
        (&both, json!(["plumbing", "painting"])),
    ] {
        app.put(
            "/api/users/me/skills",
            json!({"skills": skills}),
            Some(&account.access),
        )
        .await
        .assert_status(200);
    }
    let ids = |resp: &TestResponse| -> Vec<String> {
        let mut ids: Vec<String> = resp.body["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["id"].as_str().unwrap().to_owned())
            .collect();
        ids.sort();
        ids
    };
    let sorted = |mut v: Vec<String>| {
        v.sort();
        v
    };

    let plumbers = app.get("/api/users?skill=plumbing", None).await;
    plumbers.assert_status(200);
    assert_eq!(
        ids(&plumbers),
        sorted(vec![plumber.id.clone(), both.id.clone()])
    );
    let painting_id = app.get("/api/services/painting", None).await.str("/id");
    let painters = app
        .get(&format!("/api/users?skill={painting_id}"), None)
        .await;
    assert_eq!(
        ids(&painters),
        sorted(vec![painter.id.clone(), both.id.clone()])
    );
    let paged = app.get("/api/users?skill=plumbing&limit=1", None).await;
    assert_eq!(paged.body["pagination"]["totalItems"], 2);
    assert_eq!(paged.body["data"].as_array().unwrap().len(), 1);

    for nothing in [
        "welding",
        "no-such-skill",
        "Bad%20Skill",
        &Uuid::new_v4().to_string(),
    ] {
        let resp = app.get(&format!("/api/users?skill={nothing}"), None).await;
        resp.assert_status(200);
        assert_eq!(resp.body["data"], json!([]), "{nothing}");
        assert_eq!(resp.body["pagination"]["totalItems"], 0);
    }

    // An erased craftsman's skills and portfolio go with the account.
    post_portfolio(&app, Some(&both.access), image(8, 8))
        .await
        .assert_status(201);
    let admin = app.staff(Role::Admin).await;
    app.delete(
        &format!("/api/admin/users/{}", both.id),
        Some(&admin.access),
    )
    .await
    .assert_status(200);
    let plumbers = app.get("/api/users?skill=plumbing", None).await;
    assert_eq!(ids(&plumbers), vec![plumber.id.clone()]);
    assert_eq!(
        std::fs::read_dir(app.data_dir.join("uploads/portfolio").join(&both.id))
            .map(|d| d.count())
            .unwrap_or(0),
        0
    );
    // With nobody listing painting any more but the painter, deleting archives.
    let removed = app
        .delete("/api/services/painting", Some(&admin.access))
        .await;
    assert_eq!(removed.body["archived"], true);
}
