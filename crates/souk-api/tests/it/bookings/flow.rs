//! A booking from request to review, the cancellation policy's exact
//! shares, expiry, rescheduling, refusals that store nothing, and the
//! calendar feed.

use serde_json::json;
use souk_core::accounts::Role;

use super::{Shop, booking, fund, move_booking};
use crate::{
    money::assert_balanced,
    support::{TestApp, builders::id_of},
};

async fn available(app: &TestApp, who: &crate::support::Account) -> i64 {
    app.balance(who).await["available"].as_i64().unwrap_or(-1)
}

#[tokio::test]
async fn an_accepted_booking_is_a_contract_that_escrow_funds_and_completion_releases() {
    let app = TestApp::spawn().await;
    let shop = Shop::open(&app, json!({})).await;
    let client = app.register("client").await;
    let made = shop.book(&app, &client, 3).await;
    made.assert_status(201);
    assert_eq!(made.body["status"], "pending");
    assert_eq!(made.body["price"], 10000);
    assert_eq!(made.body["startAt"], shop.slots[3]["startAt"]);
    assert_eq!(made.body["localStart"], shop.slots[3]["localStart"]);
    assert_eq!(made.body["contractId"], json!(null));
    let id = id_of(&made.body);
    // The slot is no longer offered; the provider is told.
    let today = app.core.clock.now().date_naive();
    let again = app
        .get(
            &format!(
                "/api/offerings/{}/slots?from={}&to={}",
                shop.offering,
                today + chrono::Duration::days(1),
                today + chrono::Duration::days(21)
            ),
            None,
        )
        .await;
    assert_eq!(
        again.body["data"].as_array().map(Vec::len),
        Some(shop.slots.len() - 1)
    );
    let told = app
        .get("/api/notifications", Some(&shop.provider.access))
        .await;
    assert_eq!(
        told.body["data"][0]["type"], "booking_requested",
        "{}",
        told.body
    );

    // Escrow needs a contract first; only the provider accepts.
    app.get(&format!("/api/bookings/{id}/escrow"), Some(&client.access))
        .await
        .assert_error(409, "no_contract");
    app.post(
        &format!("/api/bookings/{id}/accept"),
        json!({}),
        Some(&client.access),
    )
    .await
    .assert_error(403, "forbidden");
    let accepted = app
        .post(
            &format!("/api/bookings/{id}/accept"),
            json!({}),
            Some(&shop.provider.access),
        )
        .await;
    accepted.assert_status(200);
    assert_eq!(accepted.body["status"], "accepted");
    assert_eq!(accepted.body["jobStatus"], "hired");
    let contract = accepted.str("/contractId");
    let job = accepted.str("/jobId");
    assert!(!contract.is_empty() && !job.is_empty());

    // Not started before the escrow holds the price.
    move_booking(&app, &id, "in_progress", &shop.provider, 409)
        .await
        .assert_error(409, "escrow_not_funded");
    fund(&app, &id, &client, 10000).await;
    let escrow = app
        .get(
            &format!("/api/bookings/{id}/escrow"),
            Some(&shop.provider.access),
        )
        .await;
    escrow.assert_status(200);
    assert_eq!(escrow.body["status"], "held", "{}", escrow.body);
    move_booking(&app, &id, "in_progress", &shop.provider, 200).await;
    move_booking(&app, &id, "work_submitted", &shop.provider, 200).await;
    move_booking(&app, &id, "completed", &shop.provider, 403).await;
    let done = move_booking(&app, &id, "completed", &client, 200).await;
    assert_eq!(done.body["status"], "completed");
    assert_eq!(done.body["jobStatus"], "completed");
    // The provider is paid the price less the 5% commission.
    assert_eq!(available(&app, &shop.provider).await, 9500);
    app.post(
        &format!("/api/bookings/{id}/tip"),
        json!({"amount": 500}),
        Some(&client.access),
    )
    .await
    .assert_error(409, "insufficient_funds");
    app.top_up(&client, 500).await;
    app.post(
        &format!("/api/bookings/{id}/tip"),
        json!({"amount": 500}),
        Some(&client.access),
    )
    .await
    .assert_status(200);
    assert_eq!(available(&app, &shop.provider).await, 10000);

    // Reviews take the booking; the offering shows its provider's reviews.
    for (who, rating) in [(&client, 5), (&shop.provider, 4)] {
        app.post(
            "/api/reviews",
            json!({"bookingId": id, "rating": rating, "comment": "On time and tidy"}),
            Some(&who.access),
        )
        .await
        .assert_status(201);
    }
    let reviews = app
        .get(&format!("/api/reviews/offering/{}", shop.offering), None)
        .await;
    reviews.assert_status(200);
    assert_eq!(
        reviews.body["data"].as_array().map(Vec::len),
        Some(1),
        "{}",
        reviews.body
    );
    assert_eq!(reviews.body["data"][0]["rating"], 5);
    // The lists: the client's and the provider's.
    for who in [&client, &shop.provider] {
        let mine = app
            .get("/api/bookings?status=completed", Some(&who.access))
            .await;
        mine.assert_status(200);
        assert_eq!(mine.body["data"][0]["id"], id.as_str());
    }
    let stranger = app.register("client").await;
    app.get(&format!("/api/bookings/{id}"), Some(&stranger.access))
        .await
        .assert_error(404, "booking_not_found");
    assert_balanced(&app).await;
}

#[tokio::test]
async fn instant_booking_is_accepted_at_once_and_disputes_take_the_booking() {
    let app = TestApp::spawn().await;
    let shop = Shop::open(&app, json!({"instantBooking": true})).await;
    let client = app.register("client").await;
    let made = shop.book(&app, &client, 0).await;
    made.assert_status(201);
    assert_eq!(made.body["status"], "accepted", "{}", made.body);
    let id = id_of(&made.body);
    fund(&app, &id, &client, 10000).await;
    let opened = app
        .post(
            "/api/disputes",
            json!({"bookingId": id, "reason": "no_show", "description": "Nobody came"}),
            Some(&client.access),
        )
        .await;
    opened.assert_status(201);
    let seen = booking(&app, &id, &client).await;
    assert_eq!(seen["status"], "disputed", "{seen}");
    assert_eq!(seen["jobStatus"], "disputed");
    // Staff refund it all by cancelling: the booking follows.
    let admin = app.staff(Role::Admin).await;
    move_booking(&app, &id, "cancelled", &admin, 200).await;
    assert_eq!(booking(&app, &id, &client).await["status"], "cancelled");
    assert_eq!(available(&app, &client).await, 10000);
    assert_balanced(&app).await;
}

#[tokio::test]
async fn cancellation_moves_exactly_the_shares_the_policy_fixed_when_booked() {
    let app = TestApp::spawn().await;
    let shop = Shop::open(&app, json!({"instantBooking": true})).await;
    let client = app.register("client").await;
    // Free: more than a day before the start (slot 16 is two days out).
    let free = shop.booked(&app, &client, 16).await;
    fund(&app, &free, &client, 10000).await;
    move_booking(&app, &free, "cancelled", &client, 200).await;
    assert_eq!(available(&app, &client).await, 10000);
    assert_eq!(available(&app, &shop.provider).await, 0);

    // Late: inside the free window, half goes to the provider (less the
    // commission on it), half back.
    let late = shop.booked(&app, &client, 0).await;
    let view = booking(&app, &late, &client).await;
    assert_eq!(view["lateCancelShareBps"], 5000);
    app.post(
        &format!("/api/bookings/{late}/escrow/fund"),
        json!({}),
        Some(&client.access),
    )
    .await
    .assert_status(200);
    assert_eq!(available(&app, &client).await, 0);
    // Slot 0 starts tomorrow at 09:00 UTC: up to 33 hours away. Move to 12
    // hours before it, inside the 24-hour window whatever the time of day.
    let start =
        chrono::DateTime::parse_from_rfc3339(&shop.start(0)).expect("an RFC 3339 slot start");
    let lead = start.with_timezone(&chrono::Utc) - app.core.clock.now();
    if lead > chrono::Duration::hours(12) {
        app.core.clock.advance(lead - chrono::Duration::hours(12));
    }
    let cancelled = app
        .post(
            &format!("/api/bookings/{late}/cancel"),
            json!({"reason": "Plans changed"}),
            Some(&client.access),
        )
        .await;
    cancelled.assert_status(200);
    assert_eq!(cancelled.body["status"], "cancelled");
    assert_eq!(available(&app, &client).await, 5000);
    assert_eq!(available(&app, &shop.provider).await, 4750);

    // A no-show, marked after the start, pays the provider the whole price.
    let absent = shop.booked(&app, &client, 1).await;
    fund(&app, &absent, &client, 10000).await;
    move_booking(&app, &absent, "no_show", &shop.provider, 409)
        .await
        .assert_error(409, "booking_not_started");
    app.core.clock.advance(chrono::Duration::days(2));
    let marked = move_booking(&app, &absent, "no_show", &shop.provider, 200).await;
    assert_eq!(marked.body["status"], "no_show");
    assert_eq!(available(&app, &shop.provider).await, 4750 + 9500);
    assert_balanced(&app).await;
}

#[tokio::test]
async fn an_unanswered_request_expires_and_frees_its_time() {
    let app = TestApp::spawn().await;
    let shop = Shop::open(&app, json!({})).await;
    let client = app.register("client").await;
    let id = shop.booked(&app, &client, 20).await;
    let view = booking(&app, &id, &client).await;
    assert!(
        view["expiresAt"].as_str().unwrap_or_default()
            > view["createdAt"].as_str().unwrap_or_default()
    );
    app.core.clock.advance(chrono::Duration::hours(25));
    let mut status = String::new();
    for _ in 0..50 {
        app.core.outbox_wakeup.notify_one();
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        status = booking(&app, &id, &client).await["status"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        if status == "expired" {
            break;
        }
    }
    assert_eq!(status, "expired");
    // The time is free again.
    let other = app.register("client").await;
    shop.book(&app, &other, 20).await.assert_status(201);
    app.post(
        &format!("/api/bookings/{id}/accept"),
        json!({}),
        Some(&shop.provider.access),
    )
    .await
    .assert_error(409, "invalid_transition");
}

#[tokio::test]
async fn a_reschedule_moves_only_when_the_other_side_accepts_a_free_time() {
    let app = TestApp::spawn().await;
    let shop = Shop::open(&app, json!({})).await;
    let client = app.register("client").await;
    let other = app.register("client").await;
    let id = shop.booked(&app, &client, 10).await;
    app.post(
        &format!("/api/bookings/{id}/accept"),
        json!({}),
        Some(&shop.provider.access),
    )
    .await
    .assert_status(200);
    let proposed = app
        .post(
            &format!("/api/bookings/{id}/reschedule"),
            json!({"startAt": shop.start(12)}),
            Some(&client.access),
        )
        .await;
    proposed.assert_status(200);
    assert_eq!(proposed.body["proposedStartAt"], shop.slots[12]["startAt"]);
    assert_eq!(
        proposed.body["startAt"], shop.slots[10]["startAt"],
        "unchanged until accepted"
    );
    app.post(
        &format!("/api/bookings/{id}/reschedule/accept"),
        json!({}),
        Some(&client.access),
    )
    .await
    .assert_error(409, "own_reschedule");
    // Meanwhile someone books the proposed time: accepting it is refused
    // and the booking stays as it was.
    shop.book(&app, &other, 12).await.assert_status(201);
    let refused = app
        .post(
            &format!("/api/bookings/{id}/reschedule/accept"),
            json!({}),
            Some(&shop.provider.access),
        )
        .await;
    refused.assert_error(409, "slot_taken");
    assert!(
        refused.body["details"]["nearest"]
            .as_array()
            .is_some_and(|n| !n.is_empty()),
        "{}",
        refused.body
    );
    assert_eq!(
        booking(&app, &id, &client).await["startAt"],
        shop.slots[10]["startAt"]
    );
    // A free time moves it.
    app.post(
        &format!("/api/bookings/{id}/reschedule"),
        json!({"startAt": shop.start(14)}),
        Some(&client.access),
    )
    .await
    .assert_status(200);
    let moved = app
        .post(
            &format!("/api/bookings/{id}/reschedule/accept"),
            json!({}),
            Some(&shop.provider.access),
        )
        .await;
    moved.assert_status(200);
    assert_eq!(moved.body["startAt"], shop.slots[14]["startAt"]);
    assert_eq!(moved.body["proposedStartAt"], json!(null));
    // Its old time is free again.
    shop.book(&app, &other, 10).await.assert_status(201);
    app.post(
        &format!("/api/bookings/{id}/reschedule/decline"),
        json!({}),
        Some(&client.access),
    )
    .await
    .assert_error(409, "no_reschedule");
}

#[tokio::test]
async fn bad_starts_are_refused_with_a_reason_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let shop = Shop::open(&app, json!({"minNoticeMinutes": 1440})).await;
    let client = app.register("client").await;
    let soon = (app.core.clock.now() + chrono::Duration::hours(2))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let first = shop.start(0);
    let off_grid = first.replace(":00:00Z", ":30:00Z");
    let cases = [
        ("2020-01-01T09:00:00Z".to_owned(), "past"),
        // On the schedule or not, two hours from now is inside the day's notice.
        (soon, "min_notice"),
        (off_grid, "not_on_schedule"),
        ("2099-01-05T09:00:00Z".to_owned(), "beyond_horizon"),
    ];
    for (start, reason) in cases {
        let refused = shop.book_at(&app, &client, &start).await;
        refused.assert_error(409, "slot_unavailable");
        assert_eq!(
            refused.body["details"]["reason"], reason,
            "{start}: {}",
            refused.body
        );
    }
    shop.book_at(&app, &client, "tomorrow at nine")
        .await
        .assert_error(400, "validation_failed");
    app.post(
        "/api/bookings",
        json!({"startAt": first}),
        Some(&client.access),
    )
    .await
    .assert_error(400, "validation_failed");
    app.post(
        "/api/bookings",
        json!({"offeringId": shop.offering, "startAt": first, "paymentType": "barter"}),
        Some(&client.access),
    )
    .await
    .assert_error(400, "validation_failed");
    // Providers do not book, not even their own.
    shop.book_at(&app, &shop.provider, &first)
        .await
        .assert_error(403, "clients_only");
    let listed = app.get("/api/bookings", Some(&client.access)).await;
    listed.assert_status(200);
    assert_eq!(listed.body["data"], json!([]));
    app.get("/api/bookings?status=sideways", Some(&client.access))
        .await
        .assert_error(400, "validation_failed");
}

#[tokio::test]
async fn the_calendar_feed_lists_ones_bookings_until_its_link_is_revoked() {
    let app = TestApp::spawn().await;
    let shop = Shop::open(&app, json!({})).await;
    let client = app.register("client").await;
    let id = shop.booked(&app, &client, 5).await;
    let link = app
        .post(
            "/api/users/me/calendar-token",
            json!({}),
            Some(&shop.provider.access),
        )
        .await;
    link.assert_status(201);
    let token = link.str("/token");
    assert!(link.str("/url").ends_with(&token));
    let feed = app
        .get(&format!("/api/users/me/calendar.ics?token={token}"), None)
        .await;
    feed.assert_status(200);
    let text = String::from_utf8_lossy(&feed.bytes).into_owned();
    assert!(text.starts_with("BEGIN:VCALENDAR\r\n"), "{text}");
    assert!(text.contains(&format!("UID:{id}@")), "{text}");
    assert!(text.contains("SUMMARY:Tap repair"));
    assert!(text.contains("STATUS:TENTATIVE"));
    let start = shop.start(5).replace(['-', ':'], "");
    assert!(text.contains(&format!("DTSTART:{start}")), "{text}");
    app.delete("/api/users/me/calendar-token", Some(&shop.provider.access))
        .await
        .assert_status(200);
    app.get(&format!("/api/users/me/calendar.ics?token={token}"), None)
        .await
        .assert_error(401, "invalid_calendar_token");
}

/// The notifications of `who` of kind `kind`, waiting for the scheduler.
async fn reminders(
    app: &TestApp,
    who: &crate::support::Account,
    want: usize,
) -> Vec<serde_json::Value> {
    let mut found = Vec::new();
    for _ in 0..50 {
        app.core.outbox_wakeup.notify_one();
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        let list = app.get("/api/notifications", Some(&who.access)).await;
        found = list.body["data"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter(|n| n["type"] == "booking_reminder")
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        if found.len() >= want {
            break;
        }
    }
    found
}

#[tokio::test]
async fn both_sides_are_reminded_a_day_and_an_hour_before_the_start() {
    let app = TestApp::spawn().await;
    let shop = Shop::open(&app, json!({"instantBooking": true})).await;
    let client = app.register("client").await;
    // Slot 40 starts a few days out.
    let id = shop.booked(&app, &client, 40).await;
    let start = chrono::DateTime::parse_from_rfc3339(&shop.start(40))
        .map(|d| d.with_timezone(&chrono::Utc))
        .unwrap_or_default();
    let now = app.core.clock.now();
    app.core
        .clock
        .advance(start - now - chrono::Duration::hours(24) + chrono::Duration::minutes(1));
    for who in [&client, &shop.provider] {
        let day = reminders(&app, who, 1).await;
        assert_eq!(day.len(), 1, "{day:?}");
        assert_eq!(day[0]["data"]["bookingId"], id.as_str());
        assert_eq!(day[0]["data"]["startsInHours"], 24);
    }
    app.core.clock.advance(chrono::Duration::hours(23));
    for who in [&client, &shop.provider] {
        let both = reminders(&app, who, 2).await;
        assert_eq!(both.len(), 2, "{both:?}");
        assert_eq!(both[0]["data"]["startsInHours"], 1, "newest first");
    }
}
