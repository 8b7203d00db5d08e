//! The service catalog `/api/services*`: the seeded bilingual catalog,
//! staff management (create, update, delete or archive), validation and
//! the activity log.
#![allow(clippy::unwrap_used)]

use axum::http::Method;
use serde_json::{Value, json};
use souk_core::{accounts::Role, catalog::DEFAULT_SERVICES};
use uuid::Uuid;

use crate::support::*;

fn slugs(resp: &TestResponse) -> Vec<String> {
    resp.body
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {}", resp.body))
        .iter()
        .map(|s| s["slug"].as_str().unwrap().to_owned())
        .collect()
}

fn new_service(slug: &str) -> Value {
    json!({
        "slug": slug, "nameEn": "Solar panels", "nameAr": "ألواح شمسية",
        "descriptionEn": "Installation and cleaning of solar panels.",
        "descriptionAr": "تركيب وتنظيف الألواح الشمسية.",
        "icon": "solar_power",
    })
}

/// The activity-log entries with an action, newest first.
async fn log_entries(app: &TestApp, admin: &Account, action: &str) -> Vec<Value> {
    let resp = app
        .get(
            &format!("/api/admin/activity-log?action={action}&limit=100"),
            Some(&admin.access),
        )
        .await;
    resp.assert_status(200);
    resp.body["data"].as_array().unwrap().clone()
}

#[tokio::test]
async fn seeded_catalog_is_bilingual_ordered_and_follows_accept_language() {
    let app = TestApp::spawn().await;

    let en = app.get("/api/services", None).await;
    en.assert_status(200);
    let list = en.body.as_array().unwrap();
    assert_eq!(list.len(), DEFAULT_SERVICES.len(), "{}", en.body);
    assert!(list.len() >= 19);
    for slug in [
        "plumbing",
        "electrical",
        "carpentry",
        "painting",
        "cleaning",
        "ac-repair",
        "appliance-repair",
        "moving",
        "gardening",
        "pest-control",
        "masonry",
        "tiling",
        "locksmith",
        "welding",
        "handyman",
    ] {
        assert!(slugs(&en).contains(&slug.to_owned()), "{slug} missing");
    }
    let orders: Vec<i64> = list
        .iter()
        .map(|s| s["sortOrder"].as_i64().unwrap())
        .collect();
    assert!(orders.windows(2).all(|w| w[0] <= w[1]), "{orders:?}");
    for service in list {
        for field in [
            "id",
            "slug",
            "nameEn",
            "nameAr",
            "descriptionEn",
            "descriptionAr",
            "icon",
            "name",
            "description",
        ] {
            assert!(
                service[field].as_str().is_some_and(|v| !v.is_empty()),
                "{field}: {service}"
            );
        }
        assert_eq!(service["active"], true);
        assert!(service["commissionBps"].is_null());
        assert_eq!(service["name"], service["nameEn"]);
        assert!(
            service["nameAr"]
                .as_str()
                .unwrap()
                .chars()
                .any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)),
            "{service}"
        );
    }
    let plumbing = list.iter().find(|s| s["slug"] == "plumbing").unwrap();
    assert_eq!(plumbing["nameEn"], "Plumbing");
    assert_eq!(plumbing["nameAr"], "سباكة");

    let ar = app
        .call(
            Method::GET,
            "/api/services",
            None,
            None,
            &[("accept-language", "ar")],
        )
        .await;
    ar.assert_status(200);
    assert_eq!(slugs(&ar), slugs(&en));
    let plumbing = ar
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["slug"] == "plumbing")
        .unwrap();
    assert_eq!(plumbing["name"], "سباكة");
    assert_eq!(plumbing["description"], plumbing["descriptionAr"]);

    // One service, by id or by slug, in the asked language.
    let id = plumbing["id"].as_str().unwrap();
    let by_id = app.get(&format!("/api/services/{id}"), None).await;
    by_id.assert_status(200);
    assert_eq!(by_id.body["slug"], "plumbing");
    assert_eq!(by_id.body["name"], "Plumbing");
    let by_slug = app
        .call(
            Method::GET,
            "/api/services/plumbing",
            None,
            None,
            &[("accept-language", "ar")],
        )
        .await;
    by_slug.assert_status(200);
    assert_eq!(by_slug.body["id"], id);
    assert_eq!(by_slug.body["name"], "سباكة");

    app.get(&format!("/api/services/{}", Uuid::new_v4()), None)
        .await
        .assert_error(404, "service_not_found");
    app.get("/api/services/no-such-service", None)
        .await
        .assert_error(404, "service_not_found");
    app.get("/api/services/Not%20A%20Slug!", None)
        .await
        .assert_error(404, "invalid_id");

    // Seeding again (a restart) changes nothing.
    let written = souk_core::catalog::seed_default_services(&app.core.db)
        .await
        .unwrap();
    assert_eq!(written, 0);
    let again = app.get("/api/services", None).await;
    assert_eq!(slugs(&again), slugs(&en));
}

#[tokio::test]
async fn staff_create_update_and_delete_services_and_it_is_logged() {
    let app = TestApp::spawn().await;
    let admin = app.staff(Role::Admin).await;
    let moderator = app.staff(Role::Moderator).await;

    let created = app
        .post("/api/services", new_service("solar"), Some(&admin.access))
        .await;
    created.assert_status(201);
    let id = created.str("/id");
    assert_eq!(created.body["slug"], "solar");
    assert_eq!(created.body["nameAr"], "ألواح شمسية");
    assert_eq!(created.body["icon"], "solar_power");
    assert_eq!(created.body["active"], true);
    assert!(created.body["commissionBps"].is_null());
    // Without sortOrder it goes to the end.
    let list = app.get("/api/services", None).await;
    assert_eq!(slugs(&list).last().unwrap(), "solar");

    // A moderator may manage the catalog too; partial update by slug.
    let updated = app
        .put(
            "/api/services/solar",
            json!({"nameEn": "Solar energy", "commissionBps": 750, "sortOrder": 1}),
            Some(&moderator.access),
        )
        .await;
    updated.assert_status(200);
    assert_eq!(updated.body["id"], id.as_str());
    assert_eq!(updated.body["nameEn"], "Solar energy");
    assert_eq!(
        updated.body["nameAr"], "ألواح شمسية",
        "untouched fields stay"
    );
    assert_eq!(updated.body["commissionBps"], 750);
    let list = app.get("/api/services", None).await;
    assert_eq!(slugs(&list)[0], "solar", "sortOrder 1 comes first");

    // null clears the commission override; an absent field leaves it.
    let kept = app
        .put(
            &format!("/api/services/{id}"),
            json!({"icon": "sunny"}),
            Some(&admin.access),
        )
        .await;
    assert_eq!(kept.body["commissionBps"], 750);
    let cleared = app
        .put(
            &format!("/api/services/{id}"),
            json!({"commissionBps": null, "slug": "solar-energy"}),
            Some(&admin.access),
        )
        .await;
    cleared.assert_status(200);
    assert!(cleared.body["commissionBps"].is_null(), "{}", cleared.body);
    assert_eq!(cleared.body["slug"], "solar-energy");
    app.get("/api/services/solar-energy", None)
        .await
        .assert_status(200);
    app.get("/api/services/solar", None)
        .await
        .assert_error(404, "service_not_found");

    // Deactivated services leave the public list but staff can still ask for them.
    app.put(
        "/api/services/solar-energy",
        json!({"active": false}),
        Some(&admin.access),
    )
    .await
    .assert_status(200);
    let public = app.get("/api/services", None).await;
    assert!(!slugs(&public).contains(&"solar-energy".to_owned()));
    let member = app.register("client").await;
    let sneaky = app
        .get("/api/services?includeInactive=true", Some(&member.access))
        .await;
    sneaky.assert_status(200);
    assert!(!slugs(&sneaky).contains(&"solar-energy".to_owned()));
    let staff_view = app
        .get(
            "/api/services?includeInactive=true",
            Some(&moderator.access),
        )
        .await;
    staff_view.assert_status(200);
    assert!(
        staff_view
            .body
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["slug"] == "solar-energy" && s["active"] == false)
    );
    app.get("/api/services?includeInactive=maybe", None)
        .await
        .assert_error(400, "validation_failed");
    // Still readable directly (old jobs show their category).
    app.get("/api/services/solar-energy", None)
        .await
        .assert_status(200);

    // Unused: really deleted.
    let gone = app
        .delete(&format!("/api/services/{id}"), Some(&moderator.access))
        .await;
    gone.assert_status(200);
    assert_eq!(gone.body, json!({"deleted": true, "archived": false}));
    app.get(&format!("/api/services/{id}"), None)
        .await
        .assert_error(404, "service_not_found");
    app.delete(&format!("/api/services/{id}"), Some(&admin.access))
        .await
        .assert_error(404, "service_not_found");

    let creates = log_entries(&app, &admin, "catalog.create").await;
    assert_eq!(creates.len(), 1);
    assert_eq!(creates[0]["actorId"], admin.id.as_str());
    assert_eq!(creates[0]["targetType"], "service");
    assert_eq!(creates[0]["targetId"], id.as_str());
    assert_eq!(creates[0]["details"]["slug"], "solar");
    let updates = log_entries(&app, &admin, "catalog.update").await;
    assert_eq!(updates.len(), 4);
    let first_update = updates.last().unwrap();
    assert_eq!(first_update["actorId"], moderator.id.as_str());
    assert_eq!(
        first_update["details"]["changed"],
        json!(["nameEn", "commissionBps", "sortOrder"])
    );
    let deletes = log_entries(&app, &admin, "catalog.delete").await;
    assert_eq!(deletes.len(), 1);
    assert_eq!(deletes[0]["actorId"], moderator.id.as_str());
    assert_eq!(deletes[0]["targetId"], id.as_str());
}

#[tokio::test]
async fn members_and_anonymous_cannot_manage_the_catalog() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;

    for account in [&client, &craftsman] {
        let token = Some(account.access.as_str());
        app.post("/api/services", new_service("solar"), token)
            .await
            .assert_error(403, "staff_only");
        app.put("/api/services/plumbing", json!({"nameEn": "Pipes"}), token)
            .await
            .assert_error(403, "staff_only");
        app.delete("/api/services/plumbing", token)
            .await
            .assert_error(403, "staff_only");
    }
    app.post("/api/services", new_service("solar"), None)
        .await
        .assert_error(401, "unauthorized");
    app.put("/api/services/plumbing", json!({"nameEn": "Pipes"}), None)
        .await
        .assert_error(401, "unauthorized");
    app.delete("/api/services/plumbing", None)
        .await
        .assert_error(401, "unauthorized");

    // Nothing changed.
    let plumbing = app.get("/api/services/plumbing", None).await;
    assert_eq!(plumbing.body["nameEn"], "Plumbing");
    assert!(!slugs(&app.get("/api/services", None).await).contains(&"solar".to_owned()));
}

#[tokio::test]
async fn invalid_input_is_refused_field_by_field() {
    let app = TestApp::spawn().await;
    let admin = app.staff(Role::Admin).await;
    let token = Some(admin.access.as_str());

    let empty = app.post("/api/services", json!({}), token).await;
    empty.assert_error(400, "validation_failed");
    for field in ["slug", "nameEn", "nameAr"] {
        assert!(
            empty.body["details"]["fields"][field].is_string(),
            "{field}: {}",
            empty.body
        );
    }

    let bad = app
        .post(
            "/api/services",
            json!({
                "slug": "Solar Panels!", "nameEn": "x".repeat(101), "nameAr": "ألواح",
                "descriptionEn": "y".repeat(2001), "commissionBps": 5001, "sortOrder": 9_999_999_999i64,
            }),
            token,
        )
        .await;
    bad.assert_error(400, "validation_failed");
    for field in [
        "slug",
        "nameEn",
        "descriptionEn",
        "commissionBps",
        "sortOrder",
    ] {
        assert!(
            bad.body["details"]["fields"][field].is_string(),
            "{field}: {}",
            bad.body
        );
    }
    assert!(bad.body["details"]["fields"].get("nameAr").is_none());

    for slug in [
        "-solar",
        "solar-",
        "so--lar",
        "s",
        "سباكة",
        "0190a3b2-0000-7000-8000-000000000000",
    ] {
        let resp = app.post("/api/services", new_service(slug), token).await;
        resp.assert_error(400, "validation_failed");
        assert!(
            resp.body["details"]["fields"]["slug"].is_string(),
            "{slug}: {}",
            resp.body
        );
    }
    let negative = app
        .post(
            "/api/services",
            json!({"slug": "solar", "nameEn": "Solar", "nameAr": "شمسي", "commissionBps": -1}),
            token,
        )
        .await;
    negative.assert_error(400, "validation_failed");
    assert!(negative.body["details"]["fields"]["commissionBps"].is_string());
    let wrong_type = app
        .post(
            "/api/services",
            json!({"slug": "solar", "nameEn": "Solar", "nameAr": "شمسي", "active": "yes"}),
            token,
        )
        .await;
    wrong_type.assert_error(400, "validation_failed");
    assert!(wrong_type.body["details"]["fields"]["active"].is_string());

    // Update: required names cannot be emptied; bounds apply.
    let emptied = app
        .put(
            "/api/services/plumbing",
            json!({"nameEn": "  ", "commissionBps": 6000}),
            token,
        )
        .await;
    emptied.assert_error(400, "validation_failed");
    assert!(emptied.body["details"]["fields"]["nameEn"].is_string());
    assert!(emptied.body["details"]["fields"]["commissionBps"].is_string());

    // Arabic field messages under Accept-Language: ar.
    let ar = app
        .call(
            Method::POST,
            "/api/services",
            Some(json!({"slug": "Bad Slug"})),
            token,
            &[("accept-language", "ar")],
        )
        .await;
    ar.assert_error(400, "validation_failed");
    assert_eq!(ar.body["details"]["fields"]["slug"], "القيمة غير صالحة");

    // The limits themselves are accepted.
    let edge = app
        .post(
            "/api/services",
            json!({"slug": "ab", "nameEn": "x".repeat(100), "nameAr": "ب", "commissionBps": 5000}),
            token,
        )
        .await;
    edge.assert_status(201);
    assert_eq!(edge.body["commissionBps"], 5000);
    assert_eq!(edge.body["descriptionEn"], "");

    // Nothing else was written.
    let log = log_entries(&app, &admin, "catalog.create").await;
    assert_eq!(log.len(), 1);
    let unchanged = app.get("/api/services/plumbing", None).await;
    assert_eq!(unchanged.body["nameEn"], "Plumbing");
    assert!(unchanged.body["commissionBps"].is_null());
}

#[tokio::test]
async fn slugs_are_unique_and_unknown_or_malformed_ids_are_404() {
    let app = TestApp::spawn().await;
    let admin = app.staff(Role::Admin).await;
    let token = Some(admin.access.as_str());

    let taken = app
        .post("/api/services", new_service("plumbing"), token)
        .await;
    taken.assert_error(409, "slug_taken");
    assert_eq!(taken.body["details"]["field"], "slug");

    let rename = app
        .put(
            "/api/services/electrical",
            json!({"slug": "plumbing"}),
            token,
        )
        .await;
    rename.assert_error(409, "slug_taken");
    // Re-saving its own slug is fine.
    app.put("/api/services/plumbing", json!({"slug": "plumbing"}), token)
        .await
        .assert_status(200);

    let unknown = Uuid::new_v4();
    app.put(
        &format!("/api/services/{unknown}"),
        json!({"nameEn": "X"}),
        token,
    )
    .await
    .assert_error(404, "service_not_found");
    app.delete(&format!("/api/services/{unknown}"), token)
        .await
        .assert_error(404, "service_not_found");
    app.put("/api/services/no-such-slug", json!({"nameEn": "X"}), token)
        .await
        .assert_error(404, "service_not_found");
    for malformed in ["NOT_AN_ID", "%20", "under_score"] {
        app.put(
            &format!("/api/services/{malformed}"),
            json!({"nameEn": "X"}),
            token,
        )
        .await
        .assert_error(404, "invalid_id");
        app.delete(&format!("/api/services/{malformed}"), token)
            .await
            .assert_error(404, "invalid_id");
        app.get(&format!("/api/services/{malformed}"), None)
            .await
            .assert_error(404, "invalid_id");
    }
    let ar = app
        .call(
            Method::GET,
            &format!("/api/services/{unknown}"),
            None,
            None,
            &[("accept-language", "ar")],
        )
        .await;
    ar.assert_error(404, "service_not_found");
    assert_eq!(ar.body["message"], "الخدمة غير موجودة");
}

#[tokio::test]
async fn a_service_in_use_is_archived_instead_of_deleted() {
    let app = TestApp::spawn().await;
    let admin = app.staff(Role::Admin).await;
    let craftsman = app.register("craftsman").await;
    app.put(
        "/api/users/me/skills",
        json!({"skills": ["locksmith"]}),
        Some(&craftsman.access),
    )
    .await
    .assert_status(200);
    // jobs: covered in jobs.rs (a job's category archives instead of deleting too).

    let archived = app
        .delete("/api/services/locksmith", Some(&admin.access))
        .await;
    archived.assert_status(200);
    assert_eq!(archived.body, json!({"deleted": false, "archived": true}));

    let service = app.get("/api/services/locksmith", None).await;
    service.assert_status(200);
    assert_eq!(service.body["active"], false);
    let public = app.get("/api/services", None).await;
    assert!(!slugs(&public).contains(&"locksmith".to_owned()));

    // The craftsman keeps it on the profile; nobody can pick it anew.
    let me = app.get("/api/users/me", Some(&craftsman.access)).await;
    assert_eq!(me.body["skills"][0]["slug"], "locksmith", "{}", me.body);
    let other = app.register("craftsman").await;
    let refused = app
        .put(
            "/api/users/me/skills",
            json!({"skills": ["locksmith"]}),
            Some(&other.access),
        )
        .await;
    refused.assert_error(400, "validation_failed");
    assert!(refused.body["details"]["fields"]["skills[0]"].is_string());

    // Deleting again archives again; restoring makes it selectable.
    app.delete("/api/services/locksmith", Some(&admin.access))
        .await
        .assert_status(200);
    let restored = app
        .put(
            "/api/services/locksmith",
            json!({"active": true}),
            Some(&admin.access),
        )
        .await;
    restored.assert_status(200);
    assert_eq!(restored.body["active"], true);
    app.put(
        "/api/users/me/skills",
        json!({"skills": ["locksmith"]}),
        Some(&other.access),
    )
    .await
    .assert_status(200);

    let archives = log_entries(&app, &admin, "catalog.archive").await;
    assert_eq!(archives.len(), 2);
    assert_eq!(archives[0]["actorId"], admin.id.as_str());
    assert_eq!(archives[0]["details"]["slug"], "locksmith");
    assert_eq!(archives[0]["details"]["craftsmen"], 1);
    assert!(log_entries(&app, &admin, "catalog.delete").await.is_empty());

    // Once nobody lists it, it can really go.
    for account in [&craftsman, &other] {
        app.put(
            "/api/users/me/skills",
            json!({"skills": []}),
            Some(&account.access),
        )
        .await
        .assert_status(200);
    }
    let gone = app
        .delete("/api/services/locksmith", Some(&admin.access))
        .await;
    assert_eq!(gone.body, json!({"deleted": true, "archived": false}));
}
