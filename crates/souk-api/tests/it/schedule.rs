//! The provider's schedule over HTTP: kept as local wall time in its IANA
//! zone, checked as a whole, nothing stored on refusal. (The daylight-saving
//! expansion is proved by `bookings::availability::tests::*`.)

use serde_json::json;

use crate::support::TestApp;

#[tokio::test]
async fn a_schedule_is_kept_as_local_wall_time_in_its_zone() {
    let app = TestApp::spawn().await;
    let craftsman = app.register("craftsman").await;
    let client = app.register("client").await;
    let first = app
        .get("/api/users/me/schedule", Some(&craftsman.access))
        .await;
    first.assert_status(200);
    assert_eq!(first.body["configured"], false);
    assert_eq!(first.body["timeZone"], "UTC");
    assert_eq!(first.body["weekly"], json!([]));

    let schedule = json!({
        "timeZone": "America/New_York",
        "weekly": [
            {"day": "mon", "start": "09:00", "end": "12:00"},
            {"day": "mon", "start": "13:00", "end": "17:00"},
            {"day": "sat", "start": "10:00", "end": "24:00"}
        ],
        "overrides": [
            {"date": "2027-03-14", "intervals": []},
            {"date": "2027-11-07", "intervals": [{"start": "00:00", "end": "03:00"}]}
        ],
        "timeOff": [{"from": "2027-04-01T00:00:00Z", "to": "2027-04-03T00:00:00Z"}]
    });
    let saved = app
        .put(
            "/api/users/me/schedule",
            schedule.clone(),
            Some(&craftsman.access),
        )
        .await;
    saved.assert_status(200);
    assert_eq!(saved.body["configured"], true);
    assert_eq!(saved.body["timeZone"], "America/New_York");
    assert_eq!(saved.body["weekly"], schedule["weekly"], "{}", saved.body);
    assert_eq!(saved.body["overrides"], schedule["overrides"]);
    let seen = app
        .get("/api/users/me/schedule", Some(&craftsman.access))
        .await;
    assert_eq!(seen.body, saved.body);

    app.get("/api/users/me/schedule", Some(&client.access))
        .await
        .assert_error(403, "craftsmen_only");
    app.put("/api/users/me/schedule", schedule, Some(&client.access))
        .await
        .assert_error(403, "craftsmen_only");
}

#[tokio::test]
async fn bad_schedules_are_refused_naming_the_field_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let craftsman = app.register("craftsman").await;
    let good = json!({"timeZone": "Africa/Cairo", "weekly": [{"day": "sun", "start": "09:00", "end": "17:00"}], "overrides": [], "timeOff": []});
    app.put(
        "/api/users/me/schedule",
        good.clone(),
        Some(&craftsman.access),
    )
    .await
    .assert_status(200);
    let cases = [
        (
            json!({"timeZone": "Mars/Olympus", "weekly": []}),
            "timeZone",
        ),
        (
            json!({"timeZone": "Africa/Cairo", "weekly": [
                {"day": "mon", "start": "09:00", "end": "13:00"},
                {"day": "mon", "start": "12:00", "end": "17:00"}
            ]}),
            "weekly[1]",
        ),
        (
            json!({"timeZone": "Africa/Cairo", "weekly": [{"day": "mon", "start": "25:00", "end": "26:00"}]}),
            "weekly[0].start",
        ),
        (
            json!({"timeZone": "Africa/Cairo", "weekly": [{"day": "funday", "start": "09:00", "end": "10:00"}]}),
            "weekly[0].day",
        ),
    ];
    for (body, field) in cases {
        let refused = app
            .put("/api/users/me/schedule", body, Some(&craftsman.access))
            .await;
        refused.assert_error(400, "validation_failed");
        let fields = &refused.body["details"]["fields"];
        assert!(
            fields
                .as_object()
                .is_some_and(|f| f.keys().any(|k| k.starts_with(field))),
            "{field}: {}",
            refused.body
        );
    }
    let kept = app
        .get("/api/users/me/schedule", Some(&craftsman.access))
        .await;
    assert_eq!(kept.body["timeZone"], "Africa/Cairo");
    assert_eq!(kept.body["weekly"], good["weekly"]);
}
