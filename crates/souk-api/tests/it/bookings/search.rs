//! Finding offerings near a point, free on a date and by relevance, and the
//! service area a booking's address must fall in.

use serde_json::{Value, json};

use super::{Shop, offering_body};
use crate::support::{Account, TestApp, builders::id_of};

async fn located(app: &TestApp, who: &Account, lat: f64, lng: f64, radius: f64) {
    app.put(
        "/api/users/me",
        json!({"serviceRadiusKm": radius, "location": {"lat": lat, "lng": lng}}),
        Some(&who.access),
    )
    .await
    .assert_status(200);
}

fn ids(body: &Value) -> Vec<String> {
    body["data"]
        .as_array()
        .map(|a| a.iter().map(id_of).collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn near_a_point_lists_what_serves_it_nearest_first_with_its_distance() {
    let app = TestApp::spawn().await;
    // Downtown Cairo, Alexandria, and a remote offering.
    let cairo = Shop::open(&app, json!({})).await;
    located(&app, &cairo.provider, 30.0444, 31.2357, 15.0).await;
    let alexandria = Shop::open(&app, json!({})).await;
    located(&app, &alexandria.provider, 31.2001, 29.9187, 15.0).await;
    let remote = Shop::open(
        &app,
        json!({"remote": true, "titleEn": "Online plumbing advice"}),
    )
    .await;

    let near = app
        .get("/api/offerings?lat=30.05&lng=31.24&sort=distance", None)
        .await;
    near.assert_status(200);
    assert_eq!(
        ids(&near.body),
        [cairo.offering.clone(), remote.offering.clone()],
        "{}",
        near.body
    );
    let km = near.body["data"][0]["distanceKm"].as_f64().unwrap_or(-1.0);
    assert!((0.5..1.5).contains(&km), "{km}");
    assert_eq!(near.body["data"][1]["distanceKm"], json!(null));
    // A tighter radius leaves only what is remote.
    let tight = app
        .get("/api/offerings?lat=30.05&lng=31.24&radiusKm=0.2", None)
        .await;
    assert_eq!(ids(&tight.body), vec![remote.offering.clone()]);
    // Bad points and radii are named.
    for bad in [
        "lat=95&lng=31",
        "lat=30",
        "lat=30&lng=31&radiusKm=0",
        "sort=distance",
    ] {
        app.get(&format!("/api/offerings?{bad}"), None)
            .await
            .assert_error(400, "validation_failed");
    }

    // A booking's address must fall in the provider's area.
    let client = app.register("client").await;
    let far = app
        .post(
            "/api/bookings",
            json!({"offeringId": cairo.offering, "startAt": cairo.start(0), "location": {"lat": 31.2001, "lng": 29.9187}}),
            Some(&client.access),
        )
        .await;
    far.assert_error(409, "outside_service_area");
    app.post(
        "/api/bookings",
        json!({"offeringId": cairo.offering, "startAt": cairo.start(0), "location": {"lat": 30.05, "lng": 31.24}}),
        Some(&client.access),
    )
    .await
    .assert_status(201);
    drop(alexandria);
}

#[tokio::test]
async fn available_on_keeps_offerings_with_a_free_slot_that_day() {
    let app = TestApp::spawn().await;
    let open = Shop::open(&app, json!({"titleEn": "Sink unclogging"})).await;
    // A provider with no schedule, and one closed on that date.
    let unscheduled = app.register("craftsman").await;
    app.post(
        "/api/offerings",
        offering_body(json!({"titleEn": "Sink unclogging too"})),
        Some(&unscheduled.access),
    )
    .await
    .assert_status(201);
    let day = app.core.clock.now().date_naive() + chrono::Duration::days(3);
    let closed = Shop::open(&app, json!({"titleEn": "Sink unclogging three"})).await;
    app.put(
        "/api/users/me/schedule",
        json!({"timeZone": "UTC", "weekly": super::every_day("09:00", "17:00"),
               "overrides": [{"date": day.to_string(), "intervals": []}]}),
        Some(&closed.provider.access),
    )
    .await
    .assert_status(200);
    let found = app
        .get(&format!("/api/offerings?q=sink&availableOn={day}"), None)
        .await;
    found.assert_status(200);
    assert_eq!(
        ids(&found.body),
        vec![open.offering.clone()],
        "{}",
        found.body
    );
    // Fully booked that day: gone too.
    let client = app.register("client").await;
    for slot in open.slots.iter().filter(|s| {
        s["startAt"]
            .as_str()
            .is_some_and(|t| t.starts_with(&day.to_string()))
    }) {
        open.book_at(&app, &client, slot["startAt"].as_str().unwrap_or_default())
            .await
            .assert_status(201);
    }
    let none = app
        .get(&format!("/api/offerings?q=sink&availableOn={day}"), None)
        .await;
    assert_eq!(ids(&none.body), Vec::<String>::new());
    app.get("/api/offerings?availableOn=someday", None)
        .await
        .assert_error(400, "validation_failed");
}

#[tokio::test]
async fn relevance_puts_title_matches_first() {
    let app = TestApp::spawn().await;
    let provider = app.register("craftsman").await;
    let mut made = Vec::new();
    for (title, description) in [
        ("Bathroom checkup", "We also fix a leaking tap while there"),
        ("Tap repair", "Washer change and leak fix"),
    ] {
        let created = app
            .post(
                "/api/offerings",
                offering_body(json!({"titleEn": title, "descriptionEn": description})),
                Some(&provider.access),
            )
            .await;
        created.assert_status(201);
        made.push(id_of(&created.body));
    }
    let found = app.get("/api/offerings?q=tap", None).await;
    found.assert_status(200);
    assert_eq!(
        ids(&found.body),
        [made[1].clone(), made[0].clone()],
        "{}",
        found.body
    );
    // Newest first when asked.
    let newest = app.get("/api/offerings?q=tap&sort=newest", None).await;
    assert_eq!(ids(&newest.body), [made[1].clone(), made[0].clone()]);
}
