//! No double booking, ever: the database refuses the second of two
//! bookings holding the same time of one provider, whatever the race.

use futures::future::join_all;
use serde_json::{Value, json};

use super::{Shop, offering_body};
use crate::support::{Account, TestApp, builders::id_of};

async fn clients(app: &TestApp, n: usize) -> Vec<Account> {
    let mut all = Vec::with_capacity(n);
    for _ in 0..n {
        all.push(app.register("client").await);
    }
    all
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn twenty_clients_racing_for_one_slot_make_one_booking_and_nineteen_slot_taken() {
    let app = TestApp::spawn().await;
    let shop = Shop::open(&app, json!({})).await;
    let racers = clients(&app, 20).await;
    let answers = join_all(racers.iter().map(|c| shop.book(&app, c, 7))).await;
    let won: Vec<_> = answers.iter().filter(|a| a.status == 201).collect();
    let lost: Vec<_> = answers
        .iter()
        .filter(|a| a.status == 409 && a.body["code"] == "slot_taken")
        .collect();
    assert_eq!(
        won.len(),
        1,
        "{:?}",
        answers.iter().map(|a| &a.body).collect::<Vec<_>>()
    );
    assert_eq!(lost.len(), 19);
    // Each loser is offered the nearest free times, none of them the taken one.
    let nearest = lost[0].body["details"]["nearest"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(!nearest.is_empty());
    assert!(
        nearest
            .iter()
            .all(|s| s["startAt"] != shop.slots[7]["startAt"])
    );
    let theirs = app
        .get("/api/bookings?role=provider", Some(&shop.provider.access))
        .await;
    assert_eq!(theirs.body["data"].as_array().map(Vec::len), Some(1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn overlapping_durations_of_one_provider_race_to_one_booking() {
    let app = TestApp::spawn().await;
    let shop = Shop::open(&app, json!({"bufferMinutes": 15})).await;
    // A 90-minute offering of the same provider: its 10:30 start overlaps
    // the hour offering's 10:00 (and the latter's buffer reaches 11:15).
    let long = app
        .post(
            "/api/offerings",
            offering_body(json!({"durationMinutes": 90, "titleEn": "Boiler service"})),
            Some(&shop.provider.access),
        )
        .await;
    long.assert_status(201);
    let long = id_of(&long.body);
    let ten = shop
        .slots
        .iter()
        .find(|s| {
            s["startAt"]
                .as_str()
                .is_some_and(|t| t.ends_with("T10:00:00Z"))
        })
        .cloned()
        .unwrap_or(Value::Null);
    let ten_thirty = ten["startAt"]
        .as_str()
        .unwrap_or_default()
        .replace("T10:00:00Z", "T10:30:00Z");
    let racers = clients(&app, 20).await;
    let answers = join_all(racers.iter().enumerate().map(|(i, c)| {
        let app = &app;
        let long = long.clone();
        let ten = ten["startAt"].clone();
        let ten_thirty = ten_thirty.clone();
        let offering = shop.offering.clone();
        async move {
            let body = if i % 2 == 0 {
                json!({"offeringId": offering, "startAt": ten})
            } else {
                json!({"offeringId": long, "startAt": ten_thirty})
            };
            app.post("/api/bookings", body, Some(&c.access)).await
        }
    }))
    .await;
    let won = answers.iter().filter(|a| a.status == 201).count();
    let taken = answers
        .iter()
        .filter(|a| a.body["code"] == "slot_taken")
        .count();
    assert_eq!(
        (won, taken),
        (1, 19),
        "{:?}",
        answers.iter().map(|a| &a.body).collect::<Vec<_>>()
    );
}
