//! Offerings: craftsmen publish priced services in either language, change
//! and take them down; hidden and archived ones reach only their provider
//! and staff; the platform may require verification to publish.

use axum::http::Method;
use serde_json::{Value, json};
use souk_core::accounts::Role;

use crate::support::{Account, TestApp, builders::id_of};

fn offering(price: i64) -> Value {
    json!({
        "titleAr": "تصليح حنفية",
        "descriptionAr": "تغيير جلدة الحنفية وإصلاح التسريب",
        "category": "plumbing",
        "price": price,
        "priceUnit": "fixed",
        "durationMinutes": 60,
        "tags": ["Leak", "  "],
        "bufferMinutes": 15
    })
}

async fn publish(app: &TestApp, who: &Account, body: Value) -> Value {
    let created = app.post("/api/offerings", body, Some(&who.access)).await;
    created.assert_status(201);
    created.body
}

#[tokio::test]
async fn craftsmen_publish_offerings_in_either_language() {
    let app = TestApp::spawn().await;
    let craftsman = app.register("craftsman").await;
    let client = app.register("client").await;
    let created = publish(&app, &craftsman, offering(15000)).await;
    assert_eq!(created["status"], "active");
    assert_eq!(created["tags"], json!(["leak"]));
    // English asked, Arabic given: the Arabic answers.
    assert_eq!(created["title"], "تصليح حنفية");
    let id = id_of(&created);
    let changed = app
        .put(
            &format!("/api/offerings/{id}"),
            json!({"titleEn": "Fix a tap", "price": 18000}),
            Some(&craftsman.access),
        )
        .await;
    changed.assert_status(200);
    assert_eq!(changed.body["title"], "Fix a tap");
    assert_eq!(changed.body["price"], 18000);
    let arabic = app
        .call(
            Method::GET,
            &format!("/api/offerings/{id}"),
            None,
            None,
            &[("accept-language", "ar")],
        )
        .await;
    assert_eq!(arabic.body["title"], "تصليح حنفية");
    let public = app.get("/api/offerings?category=plumbing", None).await;
    public.assert_status(200);
    assert_eq!(public.body["data"][0]["id"], id.as_str());

    app.post("/api/offerings", offering(100), Some(&client.access))
        .await
        .assert_error(403, "craftsmen_only");
    for bad in [
        json!({"category": "plumbing", "price": 100, "durationMinutes": 60, "descriptionEn": "x"}),
        json!({"titleEn": "t", "descriptionEn": "d", "category": "plumbing", "price": 100, "durationMinutes": 10}),
        json!({"titleEn": "t", "descriptionEn": "d", "category": "plumbing", "price": 100, "durationMinutes": 60, "priceUnit": "daily"}),
        json!({"titleEn": "t", "descriptionEn": "d", "category": "no-such-trade", "price": 100, "durationMinutes": 60}),
        json!({"titleEn": "t", "descriptionEn": "d", "category": "plumbing", "price": 0, "durationMinutes": 60}),
        // Above MAX_AMOUNT, the one documented maximum.
        json!({"titleEn": "t", "descriptionEn": "d", "category": "plumbing", "price": 100_000_001, "durationMinutes": 60}),
    ] {
        app.post("/api/offerings", bad, Some(&craftsman.access))
            .await
            .assert_error(400, "validation_failed");
    }
    let mine = app
        .get("/api/offerings?mine=true", Some(&craftsman.access))
        .await;
    assert_eq!(
        mine.body["pagination"]["totalItems"], 1,
        "nothing stored by refusals"
    );
}

#[tokio::test]
async fn hidden_and_archived_offerings_reach_only_their_provider_and_staff() {
    let app = TestApp::spawn().await;
    let craftsman = app.register("craftsman").await;
    let other = app.register("craftsman").await;
    let moderator = app.staff(Role::Moderator).await;
    let mut hidden = offering(9000);
    hidden["isVisible"] = json!(false);
    let id = id_of(&publish(&app, &craftsman, hidden).await);
    let path = format!("/api/offerings/{id}");
    app.get(&path, None).await.assert_error(404, "not_found");
    app.get(&path, Some(&other.access))
        .await
        .assert_error(404, "not_found");
    app.get(&path, Some(&craftsman.access))
        .await
        .assert_status(200);
    app.get(&path, Some(&moderator.access))
        .await
        .assert_status(200);
    app.put(&path, json!({"price": 1}), Some(&other.access))
        .await
        .assert_error(404, "not_found");
    assert_eq!(
        app.get("/api/offerings", None).await.body["pagination"]["totalItems"],
        0
    );

    let shown = id_of(&publish(&app, &craftsman, offering(12000)).await);
    app.delete(&format!("/api/offerings/{shown}"), Some(&other.access))
        .await
        .assert_error(403, "forbidden");
    app.delete(&format!("/api/offerings/{shown}"), Some(&craftsman.access))
        .await
        .assert_status(200);
    app.get(&format!("/api/offerings/{shown}"), None)
        .await
        .assert_error(404, "not_found");
    app.put(
        &format!("/api/offerings/{shown}"),
        json!({"price": 1}),
        Some(&craftsman.access),
    )
    .await
    .assert_error(409, "conflict");
    let mine = app
        .get("/api/offerings?mine=true", Some(&craftsman.access))
        .await;
    assert_eq!(mine.body["pagination"]["totalItems"], 2);

    let third = id_of(&publish(&app, &craftsman, offering(13000)).await);
    app.delete(
        &format!("/api/admin/offerings/{third}"),
        Some(&other.access),
    )
    .await
    .assert_error(403, "staff_only");
    app.delete(
        &format!("/api/admin/offerings/{third}"),
        Some(&moderator.access),
    )
    .await
    .assert_status(200);
    let admin = app.staff(Role::Admin).await;
    let log = app
        .get(
            "/api/admin/activity-log?action=admin.remove_offering",
            Some(&admin.access),
        )
        .await;
    assert!(log.body.to_string().contains(&third), "{}", log.body);
}

#[tokio::test]
async fn lists_filter_by_price_and_sort() {
    let app = TestApp::spawn().await;
    let craftsman = app.register("craftsman").await;
    for price in [5000, 20000, 12000] {
        publish(&app, &craftsman, offering(price)).await;
    }
    let cheap_first = app
        .get("/api/offerings?sort=price&minPrice=6000", None)
        .await;
    cheap_first.assert_status(200);
    let prices: Vec<i64> = cheap_first.body["data"]
        .as_array()
        .map(|d| d.iter().filter_map(|o| o["price"].as_i64()).collect())
        .unwrap_or_default();
    assert_eq!(prices, vec![12000, 20000]);
    app.get("/api/offerings?sort=random", None)
        .await
        .assert_error(400, "validation_failed");
    app.get("/api/offerings?mine=true", None)
        .await
        .assert_error(401, "unauthorized");
}

#[tokio::test]
async fn verification_can_be_required_to_publish() {
    let app = TestApp::spawn().await;
    let craftsman = app.register("craftsman").await;
    let admin = app.staff(Role::Admin).await;
    app.put(
        "/api/admin/settings",
        json!({"offeringsRequireVerification": true}),
        Some(&admin.access),
    )
    .await
    .assert_status(200);
    let refused = app
        .post("/api/offerings", offering(100), Some(&craftsman.access))
        .await;
    refused.assert_error(403, "forbidden");
    assert_eq!(refused.body["details"]["reason"], "verification_required");
}

#[tokio::test]
async fn slots_start_at_nine_local_across_a_daylight_saving_change() {
    let app = TestApp::spawn().await;
    let craftsman = app.register("craftsman").await;
    let admin = app.staff(Role::Admin).await;
    // March 2027 is beyond the default 60-day horizon.
    app.put(
        "/api/admin/settings",
        json!({"bookingHorizonDays": 730}),
        Some(&admin.access),
    )
    .await
    .assert_status(200);
    let id = id_of(&publish(&app, &craftsman, offering(10000)).await);
    let slots = format!("/api/offerings/{id}/slots?from=2027-03-13&to=2027-03-15");
    let none = app.get(&slots, None).await;
    none.assert_status(200);
    assert_eq!(none.body["data"], json!([]), "no schedule yet");

    let weekly: Vec<Value> = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        .iter()
        .map(|day| json!({"day": day, "start": "09:00", "end": "17:00"}))
        .collect();
    app.put(
        "/api/users/me/schedule",
        json!({"timeZone": "America/New_York", "weekly": weekly}),
        Some(&craftsman.access),
    )
    .await
    .assert_status(200);
    let found = app.get(&slots, None).await;
    found.assert_status(200);
    let data = found.body["data"].as_array().cloned().unwrap_or_default();
    assert_eq!(data.len(), 24, "eight a day: {}", found.body);
    let first_of = |date: &str| {
        data.iter()
            .find(|s| {
                s["localStart"]
                    .as_str()
                    .is_some_and(|l| l.starts_with(date))
            })
            .cloned()
            .unwrap_or(Value::Null)
    };
    assert_eq!(
        first_of("2027-03-13")["localStart"],
        "2027-03-13T09:00:00-05:00"
    );
    assert_eq!(first_of("2027-03-13")["startAt"], "2027-03-13T14:00:00Z");
    assert_eq!(
        first_of("2027-03-14")["localStart"],
        "2027-03-14T09:00:00-04:00"
    );
    assert_eq!(first_of("2027-03-14")["startAt"], "2027-03-14T13:00:00Z");
    assert_eq!(first_of("2027-03-15")["startAt"], "2027-03-15T13:00:00Z");

    app.get(
        &format!("/api/offerings/{id}/slots?from=2027-03-01&to=2027-05-15"),
        None,
    )
    .await
    .assert_error(400, "validation_failed");
    app.get(
        &format!("/api/offerings/{id}/slots?from=tomorrow&to=2027-03-02"),
        None,
    )
    .await
    .assert_error(400, "validation_failed");
    // Beyond the horizon: nothing.
    app.put(
        "/api/admin/settings",
        json!({"bookingHorizonDays": 60}),
        Some(&admin.access),
    )
    .await
    .assert_status(200);
    assert_eq!(app.get(&slots, None).await.body["data"], json!([]));
}

/// Gives `who` `count` ratings summing to `sum` (as reveals would).
async fn rated(app: &TestApp, who: &Account, sum: i64, count: i32) {
    use sea_orm::{ActiveModelTrait, EntityTrait, Set};
    let id: uuid::Uuid = who.id.parse().expect("a uuid");
    let user = souk_db::entities::users::Entity::find_by_id(id)
        .one(app.core.db.conn())
        .await
        .expect("read")
        .expect("the user");
    let mut row: souk_db::entities::users::ActiveModel = user.into();
    row.rating_sum = Set(sum);
    row.rating_count = Set(count);
    let txn = app.core.db.begin_write().await.expect("a write");
    row.update(&*txn).await.expect("rated");
    txn.commit().await.expect("committed");
}

#[tokio::test]
async fn lists_filter_and_sort_by_the_providers_rating() {
    let app = TestApp::spawn().await;
    let good = app.register("craftsman").await;
    let fair = app.register("craftsman").await;
    let new = app.register("craftsman").await;
    rated(&app, &good, 47, 10).await; // 4.7
    rated(&app, &fair, 30, 10).await; // 3.0
    for who in [&fair, &new, &good] {
        publish(&app, who, offering(10000)).await;
    }
    let at_least_four = app.get("/api/offerings?minRating=4", None).await;
    at_least_four.assert_status(200);
    assert_eq!(at_least_four.body["pagination"]["totalItems"], 1);
    assert_eq!(
        at_least_four.body["data"][0]["providerId"],
        good.id.as_str()
    );
    let best_first = app.get("/api/offerings?sort=rating", None).await;
    let order: Vec<&str> = best_first.body["data"]
        .as_array()
        .map(|d| d.iter().filter_map(|o| o["providerId"].as_str()).collect())
        .unwrap_or_default();
    // 4.7 over ten reviews, then the prior (3.5) of no reviews, then 3.0.
    assert_eq!(
        order,
        vec![good.id.as_str(), new.id.as_str(), fair.id.as_str()]
    );
    app.get("/api/offerings?minRating=7", None)
        .await
        .assert_error(400, "validation_failed");
}

#[tokio::test]
async fn q_searches_both_languages_with_the_jobs_synonyms() {
    let app = TestApp::spawn().await;
    let craftsman = app.register("craftsman").await;
    // Arabic only: سباك (plumber).
    let arabic = id_of(
        &publish(
            &app,
            &craftsman,
            json!({"titleAr": "سباك محترف", "descriptionAr": "تصليح تسريب المياه", "category": "plumbing",
                   "price": 10000, "durationMinutes": 60}),
        )
        .await,
    );
    let english = id_of(
        &publish(
            &app,
            &craftsman,
            json!({"titleEn": "Wall painting", "descriptionEn": "Two coats, any colour", "category": "plumbing",
                   "price": 10000, "durationMinutes": 60, "tags": ["interior"]}),
        )
        .await,
    );
    let found = |q: &str| {
        let path = format!("/api/offerings?q={}", urlencoding(q));
        let app = &app;
        async move {
            let page = app.get(&path, None).await;
            page.assert_status(200);
            page.body["data"]
                .as_array()
                .map(|d| {
                    d.iter()
                        .filter_map(|o| o["id"].as_str().map(str::to_owned))
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        }
    };
    assert_eq!(found("plumber").await, vec![arabic.clone()]);
    assert_eq!(found("سباك").await, vec![arabic.clone()]);
    assert_eq!(found("painting").await, vec![english.clone()]);
    assert_eq!(found("interior paint").await, vec![english.clone()]);
    assert_eq!(found("electrician").await, Vec::<String>::new());
    // A change re-indexes.
    app.put(
        &format!("/api/offerings/{english}"),
        json!({"titleEn": "Plumbing and painting"}),
        Some(&craftsman.access),
    )
    .await
    .assert_status(200);
    assert_eq!(found("plumber").await.len(), 2);
}

/// `text` percent-encoded for a query string.
fn urlencoding(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[tokio::test]
async fn providers_add_up_to_eight_pictures_and_remove_them() {
    let app = TestApp::spawn().await;
    let craftsman = app.register("craftsman").await;
    let other = app.register("craftsman").await;
    let id = id_of(&publish(&app, &craftsman, offering(10000)).await);
    let path = format!("/api/offerings/{id}/images");
    let picture = crate::support::multipart(
        "image",
        "tap.png",
        "image/png",
        &crate::support::png(640, 320),
    );
    let added = app
        .post_multipart(&path, picture.clone(), Some(&craftsman.access))
        .await;
    added.assert_status(201);
    let url = added.body["images"][0]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(url.contains(&format!("offerings/{id}/")), "{}", added.body);
    app.post_multipart(&path, picture.clone(), Some(&other.access))
        .await
        .assert_error(403, "forbidden");
    let text =
        crate::support::multipart("image", "notes.png", "image/png", b"not a picture at all");
    app.post_multipart(&path, text, Some(&craftsman.access))
        .await
        .assert_error(400, "unsupported_image");
    for _ in 1..8 {
        app.post_multipart(&path, picture.clone(), Some(&craftsman.access))
            .await
            .assert_status(201);
    }
    app.post_multipart(&path, picture, Some(&craftsman.access))
        .await
        .assert_error(409, "portfolio_full");
    let removed = app
        .delete(&format!("{path}/0"), Some(&craftsman.access))
        .await;
    removed.assert_status(200);
    assert_eq!(removed.body["images"].as_array().map(Vec::len), Some(7));
    assert!(
        removed.body["images"]
            .as_array()
            .is_some_and(|i| !i.contains(&json!(url)))
    );
    app.delete(&format!("{path}/7"), Some(&craftsman.access))
        .await
        .assert_error(404, "not_found");
    let seen = app.get(&format!("/api/offerings/{id}"), None).await;
    assert_eq!(seen.body["images"], removed.body["images"]);
}
