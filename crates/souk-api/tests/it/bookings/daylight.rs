//! Daylight saving through the API: hours are local wall time in the
//! provider's zone, so slots start at 09:00 local on the days before, of and
//! after each change (New York, and Cairo, which observes DST again since
//! 2023); a skipped local hour yields no slot, a repeated one each real
//! instant once; and a booking made before a change keeps its local time.

use serde_json::{Value, json};
use souk_core::accounts::Role;

use super::{every_day, offering_body};
use crate::support::{Account, TestApp, builders::id_of};

/// A provider in `zone` with `schedule` and an hour-long offering; its id.
async fn provider_in(app: &TestApp, zone: &str, extra: Value) -> (Account, String) {
    let provider = app.register("craftsman").await;
    let mut schedule = json!({"timeZone": zone, "weekly": every_day("09:00", "17:00")});
    if let (Some(base), Some(extra)) = (schedule.as_object_mut(), extra.as_object()) {
        for (k, v) in extra {
            base.insert(k.clone(), v.clone());
        }
    }
    app.put("/api/users/me/schedule", schedule, Some(&provider.access))
        .await
        .assert_status(200);
    let created = app
        .post(
            "/api/offerings",
            offering_body(json!({})),
            Some(&provider.access),
        )
        .await;
    created.assert_status(201);
    let id = id_of(&created.body);
    (provider, id)
}

async fn far_horizon(app: &TestApp) {
    let admin = app.staff(Role::Admin).await;
    app.put(
        "/api/admin/settings",
        json!({"bookingHorizonDays": 730}),
        Some(&admin.access),
    )
    .await
    .assert_status(200);
}

async fn slots(app: &TestApp, offering: &str, from: &str, to: &str) -> Vec<Value> {
    let found = app
        .get(
            &format!("/api/offerings/{offering}/slots?from={from}&to={to}"),
            None,
        )
        .await;
    found.assert_status(200);
    found.body["data"].as_array().cloned().unwrap_or_default()
}

fn first_on(slots: &[Value], date: &str) -> (String, String) {
    let slot = slots
        .iter()
        .find(|s| {
            s["localStart"]
                .as_str()
                .is_some_and(|l| l.starts_with(date))
        })
        .cloned()
        .unwrap_or(Value::Null);
    (
        slot["localStart"].as_str().unwrap_or_default().to_owned(),
        slot["startAt"].as_str().unwrap_or_default().to_owned(),
    )
}

#[tokio::test]
async fn cairo_slots_start_at_nine_local_around_both_of_its_changes() {
    let app = TestApp::spawn().await;
    far_horizon(&app).await;
    let (_, offering) = provider_in(&app, "Africa/Cairo", json!({})).await;
    // Summer time starts on the last Friday of April 2027 at midnight.
    let spring = slots(&app, &offering, "2027-04-29", "2027-05-01").await;
    assert_eq!(
        first_on(&spring, "2027-04-29"),
        (
            "2027-04-29T09:00:00+02:00".into(),
            "2027-04-29T07:00:00Z".into()
        )
    );
    assert_eq!(
        first_on(&spring, "2027-04-30"),
        (
            "2027-04-30T09:00:00+03:00".into(),
            "2027-04-30T06:00:00Z".into()
        )
    );
    assert_eq!(
        first_on(&spring, "2027-05-01"),
        (
            "2027-05-01T09:00:00+03:00".into(),
            "2027-05-01T06:00:00Z".into()
        )
    );
    // And ends on the last Thursday of October at midnight.
    let autumn = slots(&app, &offering, "2027-10-28", "2027-10-30").await;
    assert_eq!(
        first_on(&autumn, "2027-10-28"),
        (
            "2027-10-28T09:00:00+03:00".into(),
            "2027-10-28T06:00:00Z".into()
        )
    );
    assert_eq!(
        first_on(&autumn, "2027-10-29"),
        (
            "2027-10-29T09:00:00+02:00".into(),
            "2027-10-29T07:00:00Z".into()
        )
    );
    assert_eq!(autumn.len(), 24, "eight hour-long slots a day");
}

#[tokio::test]
async fn a_skipped_hour_has_no_slot_and_a_repeated_one_each_real_instant_once() {
    let app = TestApp::spawn().await;
    far_horizon(&app).await;
    let nights = json!({"overrides": [
        {"date": "2027-03-14", "intervals": [{"start": "00:00", "end": "05:00"}]},
        {"date": "2027-11-07", "intervals": [{"start": "00:00", "end": "03:00"}]}
    ]});
    let (_, offering) = provider_in(&app, "America/New_York", nights).await;
    let spring = slots(&app, &offering, "2027-03-14", "2027-03-14").await;
    let local: Vec<&str> = spring
        .iter()
        .filter_map(|s| s["localStart"].as_str())
        .collect();
    assert_eq!(
        local,
        [
            "2027-03-14T00:00:00-05:00",
            "2027-03-14T01:00:00-05:00",
            "2027-03-14T03:00:00-04:00",
            "2027-03-14T04:00:00-04:00"
        ]
    );
    let autumn = slots(&app, &offering, "2027-11-07", "2027-11-07").await;
    let instants: Vec<&str> = autumn
        .iter()
        .filter_map(|s| s["startAt"].as_str())
        .collect();
    assert_eq!(
        instants,
        [
            "2027-11-07T04:00:00Z",
            "2027-11-07T05:00:00Z",
            "2027-11-07T06:00:00Z",
            "2027-11-07T07:00:00Z"
        ],
        "01:00 twice (EDT, then EST), each real hour once"
    );
}

#[tokio::test]
async fn a_booking_made_before_a_change_keeps_its_local_time() {
    let app = TestApp::spawn().await;
    far_horizon(&app).await;
    let (_, offering) = provider_in(&app, "America/New_York", json!({})).await;
    let client = app.register("client").await;
    // Booked in December for the Monday after spring-forward.
    let made = app
        .post(
            "/api/bookings",
            json!({"offeringId": offering, "startAt": "2027-03-15T13:00:00Z"}),
            Some(&client.access),
        )
        .await;
    made.assert_status(201);
    assert_eq!(made.body["localStart"], "2027-03-15T09:00:00-04:00");
    let id = id_of(&made.body);
    // 09:00 EST would have been 14:00Z: not a slot that day.
    app.post(
        "/api/bookings",
        json!({"offeringId": offering, "startAt": "2027-03-15T14:30:00Z"}),
        Some(&client.access),
    )
    .await
    .assert_error(409, "slot_unavailable");
    // Past the change, it is still nine o'clock local.
    app.core.clock.advance(chrono::Duration::days(98));
    let seen = app
        .get(&format!("/api/bookings/{id}"), Some(&client.access))
        .await;
    assert_eq!(seen.body["localStart"], "2027-03-15T09:00:00-04:00");
    assert_eq!(seen.body["startAt"], "2027-03-15T13:00:00Z");
}
