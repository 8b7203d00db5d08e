//! Statement budgets of the hot reads (like Django's `assertNumQueries`):
//! each test counts the statements one request sends to the database — the
//! app's own `Db` handle counts every statement of every pool and
//! transaction — and fails when a route needs more than its budget. That
//! catches the next regression without timing anything.
//!
//! What a budget covers: everything the request sends, the session check
//! included. Warm (the same read answered just before, nothing written
//! since) every hot read is one statement at most, its session check coming
//! from the authentication cache; right after a write the session check is
//! one more. The apps run without the outbox dispatcher, so no background
//! statement lands in a count.
#![allow(clippy::unwrap_used)]

use serde_json::{Value, json};
use souk_core::accounts::Role;

use crate::support::*;

async fn quiet_app() -> TestApp {
    TestApp::with(Options {
        quiet: true,
        ..Options::default()
    })
    .await
}

/// A GET and the statements it cost.
async fn counted(app: &TestApp, path: &str, token: Option<&str>) -> (TestResponse, u64) {
    let before = app.statements();
    let response = app.get(path, token).await;
    let spent = app.statements() - before;
    (response, spent)
}

/// Asserts a GET answers 200 within `budget` statements; returns the body.
#[track_caller]
fn within(what: &str, (response, spent): (TestResponse, u64), budget: u64) -> Value {
    response.assert_status(200);
    assert!(
        spent <= budget,
        "{what} took {spent} statements; its budget is {budget}"
    );
    response.body
}

/// The same GET twice: the first may fill caches, the second is measured.
async fn warm(app: &TestApp, path: &str, token: Option<&str>) -> (TestResponse, u64) {
    app.get(path, token).await.assert_status(200);
    counted(app, path, token).await
}

#[tokio::test]
async fn users_me_is_answered_in_at_most_one_statement() {
    let app = quiet_app().await;
    let client = app.register("client").await;
    let token = Some(client.access.as_str());
    within(
        "GET /api/users/me",
        warm(&app, "/api/users/me", token).await,
        1,
    );
}

#[tokio::test]
async fn users_me_right_after_a_write_takes_the_session_check_and_one_statement() {
    let app = quiet_app().await;
    let craftsman = app.register("craftsman").await;
    let token = Some(craftsman.access.as_str());
    app.put(
        "/api/users/me/skills",
        json!({"skills": ["plumbing", "tiling"]}),
        token,
    )
    .await
    .assert_status(200);
    let body = within(
        "GET /api/users/me after a write",
        counted(&app, "/api/users/me", token).await,
        2,
    );
    // The one statement carries the skills (and the portfolio) too.
    assert_eq!(body["skills"].as_array().unwrap().len(), 2, "{body}");
    assert_eq!(body["portfolio"], json!([]), "{body}");
    within(
        "GET /api/users/me, warm",
        counted(&app, "/api/users/me", token).await,
        1,
    );
}

#[tokio::test]
async fn a_public_profile_is_answered_in_at_most_one_statement() {
    let app = quiet_app().await;
    let craftsman = app.register("craftsman").await;
    app.put(
        "/api/users/me/skills",
        json!({"skills": ["plumbing"]}),
        Some(&craftsman.access),
    )
    .await
    .assert_status(200);
    let path = format!("/api/users/{}", craftsman.id);
    // Anonymous: no session to check, even right after a write.
    let body = within(
        "GET /api/users/:id after a write",
        counted(&app, &path, None).await,
        1,
    );
    assert_eq!(body["skills"][0]["slug"], "plumbing", "{body}");
    within("GET /api/users/:id", warm(&app, &path, None).await, 1);
    // Signed in, warm.
    let client = app.register("client").await;
    within(
        "GET /api/users/:id signed in",
        warm(&app, &path, Some(&client.access)).await,
        1,
    );
}

#[tokio::test]
async fn a_job_is_answered_in_at_most_one_statement() {
    let app = quiet_app().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let id = ContractBuilder::new(&app, &client, &craftsman)
        .create_id()
        .await;
    let path = format!("/api/jobs/{id}");
    // Right after the hire: the session check, then job and contract together.
    let body = within(
        "GET /api/jobs/:id after a write",
        counted(&app, &path, Some(&client.access)).await,
        2,
    );
    assert_eq!(body["contract"]["escrowStatus"], "unfunded", "{body}");
    let body = within(
        "GET /api/jobs/:id",
        warm(&app, &path, Some(&client.access)).await,
        1,
    );
    assert_eq!(body["status"], "hired", "{body}");
    assert!(body["contract"].is_object(), "{body}");
    // The craftsman sees it the same way, staff too.
    within(
        "GET /api/jobs/:id as the craftsman",
        warm(&app, &path, Some(&craftsman.access)).await,
        1,
    );
    let staff = app.staff(Role::Moderator).await;
    within(
        "GET /api/jobs/:id as staff",
        warm(&app, &path, Some(&staff.access)).await,
        1,
    );
}

#[tokio::test]
async fn the_catalog_is_answered_from_its_cache_without_a_statement() {
    let app = quiet_app().await;
    let body = within(
        "GET /api/services",
        warm(&app, "/api/services", None).await,
        0,
    );
    assert!(body.as_array().is_some_and(|a| !a.is_empty()), "{body}");
    let admin = app.staff(Role::Admin).await;
    // Right after a write: one statement refills the cache (plus the
    // session check when signed in).
    within(
        "GET /api/services after a write",
        counted(
            &app,
            "/api/services?includeInactive=true",
            Some(&admin.access),
        )
        .await,
        2,
    );
    within(
        "GET /api/services signed in",
        warm(&app, "/api/services", Some(&admin.access)).await,
        0,
    );
}

#[tokio::test]
async fn the_unread_count_is_answered_in_at_most_one_statement() {
    let app = quiet_app().await;
    let client = app.register("client").await;
    let token = Some(client.access.as_str());
    within(
        "GET /api/notifications/unread-count",
        warm(&app, "/api/notifications/unread-count", token).await,
        1,
    );
}

#[tokio::test]
async fn the_wallet_balance_is_answered_in_at_most_one_statement() {
    let app = quiet_app().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    // Money in the wallet and in escrow, so every part of the answer is real.
    ContractBuilder::new(&app, &client, &craftsman)
        .funded()
        .create_id()
        .await;
    app.top_up(&client, 5000).await;
    let token = Some(client.access.as_str());
    let body = within(
        "GET /api/wallet/balance",
        warm(&app, "/api/wallet/balance", token).await,
        1,
    );
    assert_eq!(body["available"], 5000, "{body}");
    assert_eq!(body["held"], 40000, "{body}");
    assert_eq!(body["feeDebt"], 0, "{body}");
    assert!(
        body["currency"].as_str().is_some_and(|c| c.len() == 3),
        "{body}"
    );
}

/// Cached answers are only as old as the last write: a completion moves the
/// job, its contract and the craftsman's counter, none of which tells the
/// authentication cache.
#[tokio::test]
async fn hot_reads_are_never_stale_after_a_write() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let id = ContractBuilder::new(&app, &client, &craftsman)
        .funded()
        .create_id()
        .await;
    let job_path = format!("/api/jobs/{id}");
    let profile_path = format!("/api/users/{}", craftsman.id);
    for _ in 0..2 {
        let me = app.get("/api/users/me", Some(&craftsman.access)).await;
        assert_eq!(me.body["completedJobs"], 0, "{}", me.body);
        let public = app.get(&profile_path, None).await;
        assert_eq!(public.body["completedJobs"], 0, "{}", public.body);
        let job = app.get(&job_path, Some(&client.access)).await;
        assert_eq!(job.body["status"], "hired", "{}", job.body);
    }
    app.patch(
        &format!("/api/jobs/{id}/status"),
        json!({"status": "in_progress"}),
        Some(&craftsman.access),
    )
    .await
    .assert_status(200);
    let job = app.get(&job_path, Some(&client.access)).await;
    assert_eq!(job.body["status"], "in_progress", "{}", job.body);
    app.post(
        &format!("/api/jobs/{id}/submit"),
        json!({}),
        Some(&craftsman.access),
    )
    .await
    .assert_status(200);
    app.get(&job_path, Some(&client.access)).await;
    app.post(
        &format!("/api/jobs/{id}/approve"),
        json!({}),
        Some(&client.access),
    )
    .await
    .assert_status(200);
    let job = app.get(&job_path, Some(&client.access)).await;
    assert_eq!(job.body["status"], "completed", "{}", job.body);
    assert_eq!(
        job.body["contract"]["escrowStatus"], "released",
        "{}",
        job.body
    );
    let me = app.get("/api/users/me", Some(&craftsman.access)).await;
    assert_eq!(me.body["completedJobs"], 1, "{}", me.body);
    let public = app.get(&profile_path, None).await;
    assert_eq!(public.body["completedJobs"], 1, "{}", public.body);
    let balance = app.balance(&client).await;
    assert_eq!(balance["held"], 0, "{balance}");
}

#[tokio::test]
async fn the_conversation_list_takes_three_statements_whatever_its_length() {
    let app = quiet_app().await;
    let client = app.register("client").await;
    let token = Some(client.access.as_str());
    let path = "/api/conversations?limit=100";
    let mut spent = Vec::new();
    for size in [1, 12] {
        while app.get(path, token).await.body["data"]
            .as_array()
            .unwrap()
            .len()
            < size
        {
            let craftsman = app.register("craftsman").await;
            let conversation = id_of(&DirectBuilder::new(&app, &client, &craftsman).open().await);
            MessageBuilder::to_conversation(&app, &craftsman, &conversation)
                .post()
                .await;
        }
        // The page with unread counts and last messages, the participants
        // with their profiles, the last messages' files.
        let body = within("GET /api/conversations", warm(&app, path, token).await, 3);
        assert_eq!(body["data"].as_array().unwrap().len(), size);
        assert_eq!(body["data"][0]["unreadCount"], 1, "{body}");
        spent.push(counted(&app, path, token).await.1);
    }
    assert_eq!(
        spent[0], spent[1],
        "statements grew with the page: {spent:?}"
    );
    within(
        "GET /api/conversations/unread-count",
        warm(&app, "/api/conversations/unread-count", token).await,
        1,
    );
}

#[tokio::test]
async fn a_history_page_takes_two_statements_whatever_its_length() {
    let app = quiet_app().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let conversation = id_of(&DirectBuilder::new(&app, &client, &craftsman).open().await);
    let token = Some(craftsman.access.as_str());
    let path = format!("/api/conversations/{conversation}/messages?limit=100");
    let mut spent = Vec::new();
    for size in [1_usize, 25] {
        while app.get(&path, token).await.body["data"]
            .as_array()
            .unwrap()
            .len()
            < size
        {
            MessageBuilder::to_conversation(&app, &client, &conversation)
                .post()
                .await;
        }
        // The conversation with its participants, then the page with its
        // files.
        let body = within(
            "GET /api/conversations/:id/messages",
            warm(&app, &path, token).await,
            2,
        );
        assert_eq!(body["data"].as_array().unwrap().len(), size);
        spent.push(counted(&app, &path, token).await.1);
    }
    assert_eq!(
        spent[0], spent[1],
        "statements grew with the page: {spent:?}"
    );
}

#[tokio::test]
async fn a_users_public_reviews_are_answered_in_at_most_six_statements() {
    let app = quiet_app().await;
    let craftsman = app.register("craftsman").await;
    for _ in 0..3 {
        let client = app.register("client").await;
        let contract = ContractBuilder::new(&app, &client, &craftsman)
            .completed()
            .await;
        for who in [&client, &craftsman] {
            app.post(
                "/api/reviews",
                json!({"contractId": contract.id(), "rating": 5}),
                Some(&who.access),
            )
            .await
            .assert_status(201);
        }
    }
    // The user, the count, the page, its authors, its jobs, the window
    // setting — however many reviews the page holds.
    let path = format!("/api/reviews/user/{}", craftsman.id);
    let body = within(
        "GET /api/reviews/user/:id",
        warm(&app, &path, None).await,
        6,
    );
    assert_eq!(body["pagination"]["totalItems"], 3, "{body}");
}

#[tokio::test]
async fn an_offerings_slots_take_four_statements_however_many_bookings_hold_time() {
    let app = quiet_app().await;
    let shop = crate::bookings::Shop::open(&app, json!({})).await;
    let today = app.core.clock.now().date_naive();
    let path = format!(
        "/api/offerings/{}/slots?from={}&to={}",
        shop.offering,
        today + chrono::Duration::days(1),
        today + chrono::Duration::days(30)
    );
    // The offering, its provider's schedule, the settings, the held time.
    within(
        "GET /api/offerings/:id/slots",
        warm(&app, &path, None).await,
        4,
    );
    let client = app.register("client").await;
    for i in 0..6 {
        shop.booked(&app, &client, i * 3).await;
    }
    within(
        "GET /api/offerings/:id/slots",
        warm(&app, &path, None).await,
        4,
    );
}

#[tokio::test]
async fn the_booking_list_takes_three_statements_whatever_its_length() {
    let app = quiet_app().await;
    let shop = crate::bookings::Shop::open(&app, json!({"instantBooking": true})).await;
    let client = app.register("client").await;
    let token = Some(client.access.as_str());
    let mut spent = Vec::new();
    for i in 0..2 {
        shop.booked(&app, &client, i).await;
        shop.booked(&app, &client, 10 + i).await;
        // The count, the page, the booked jobs' statuses.
        let (response, cost) = warm(&app, "/api/bookings", token).await;
        spent.push(within("GET /api/bookings", (response, cost), 3));
    }
    assert_eq!(spent[1]["data"].as_array().map(Vec::len), Some(4));
}

#[tokio::test]
async fn the_task_list_takes_two_statements_whatever_its_length() {
    let app = quiet_app().await;
    let buyer = app.register("client").await;
    let worker = app.register("craftsman").await;
    app.top_up(&buyer, 100_000).await;
    let token = Some(worker.access.as_str());
    let body = |n: i64| {
        json!({
            "title": format!("Label photos, batch {n}"),
            "detail": "Label each photo with the shop's trade.",
            "submissionInfo": "A screenshot",
            "requiredWorkers": 3,
            "payableAmount": 500,
            "completionDate": (chrono::Utc::now() + chrono::Duration::days(3)).to_rfc3339(),
        })
    };
    let mut spent = Vec::new();
    for round in 0..2 {
        for n in 0..3 {
            app.post("/api/tasks", body(round * 10 + n), Some(&buyer.access))
                .await
                .assert_status(201);
        }
        // The count and the page.
        let (response, cost) = warm(&app, "/api/tasks", token).await;
        spent.push(within("GET /api/tasks", (response, cost), 2));
    }
    assert_eq!(spent[1]["data"].as_array().map(Vec::len), Some(6));
}

#[tokio::test]
async fn a_page_of_the_event_feed_takes_two_statements_whatever_its_length() {
    let app = quiet_app().await;
    let admin = app.staff(Role::Admin).await;
    let client = app.register("client").await;
    for _ in 0..3 {
        JobBuilder::new(&app, &client).post().await;
    }
    let token = Some(admin.access.as_str());
    // Warm: the events are numbered; then one check for unnumbered events
    // and the page.
    let small = within(
        "GET /api/events?limit=2",
        warm(&app, "/api/events?limit=2", token).await,
        2,
    );
    assert_eq!(small["data"].as_array().unwrap().len(), 2);
    for _ in 0..20 {
        JobBuilder::new(&app, &client).post().await;
    }
    let big = within(
        "GET /api/events?limit=1000",
        warm(&app, "/api/events?limit=1000", token).await,
        2,
    );
    assert!(big["data"].as_array().unwrap().len() >= 24, "{big}");
    // With an API key: one more, the key's check.
    let key = app
        .post(
            "/api/admin/api-keys",
            json!({"name": "feed", "scopes": ["events:read"]}),
            token,
        )
        .await;
    let secret = key.str("/secret");
    within(
        "GET /api/events with an API key",
        warm(&app, "/api/events?limit=1000", Some(&secret)).await,
        3,
    );
}

#[tokio::test]
async fn notification_preferences_are_answered_in_at_most_one_statement() {
    let app = quiet_app().await;
    let client = app.register("client").await;
    let token = Some(client.access.as_str());
    app.put(
        "/api/users/me/notification-preferences",
        json!({"categories": {"jobs": {"push": false}}}),
        token,
    )
    .await
    .assert_status(200);
    let body = within(
        "GET /api/users/me/notification-preferences",
        warm(&app, "/api/users/me/notification-preferences", token).await,
        1,
    );
    assert_eq!(body["categories"]["jobs"]["push"], false);
}

#[tokio::test]
async fn recommendations_take_the_same_statements_for_three_craftsmen_as_for_thirty() {
    let app = quiet_app().await;
    let client = app.register("client").await;
    let job = builders::JobBuilder::new(&app, &client)
        .category("plumbing")
        .post_id()
        .await;
    let path = format!("/api/users/recommendations?jobId={job}");
    let token = Some(client.access.as_str());
    let mut spent = Vec::new();
    for batch in [3, 27] {
        for _ in 0..batch {
            let craftsman = app.register("craftsman").await;
            app.put(
                "/api/users/me",
                json!({"serviceRadiusKm": 30.0, "location": {"lat": 30.05, "lng": 31.24}}),
                Some(&craftsman.access),
            )
            .await
            .assert_status(200);
            app.put(
                "/api/users/me/skills",
                json!({"skills": ["plumbing"]}),
                Some(&craftsman.access),
            )
            .await
            .assert_status(200);
        }
        let body = within(
            "GET /api/users/recommendations",
            warm(&app, &path, token).await,
            10,
        );
        assert!(!body["items"].as_array().unwrap().is_empty());
        spent.push(counted(&app, &path, token).await.1);
    }
    assert_eq!(
        spent[0], spent[1],
        "statements do not grow with the candidates"
    );
}

#[tokio::test]
async fn a_concierge_turn_stays_within_its_budget() {
    let app = quiet_app().await;
    let client = app.register("client").await;
    let before = app.statements();
    let answer = app
        .post(
            "/api/ai/chat",
            json!({"message": "I need a plumber in Maadi tomorrow"}),
            Some(&client.access),
        )
        .await;
    answer.assert_status(200);
    let spent = app.statements() - before;
    // session, settings, catalog, the offering search, the craftsmen
    // fallback (candidates, records, schedules), the conversation, the log.
    assert!(
        spent <= 14,
        "a concierge turn took {spent} statements; its budget is 14"
    );
}
