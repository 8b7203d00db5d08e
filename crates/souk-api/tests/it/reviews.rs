//! Reviews: double-blind after a completed contract, the window closed by
//! the scheduler on the core's clock, ratings from revealed reviews only,
//! replies, reports, staff moderation; and who may see what.

use serde_json::{Value, json};
use souk_core::accounts::Role;

use crate::support::{
    Account, TestApp,
    builders::{Contract, ContractBuilder, id_of},
};

async fn review(
    app: &TestApp,
    who: &Account,
    contract: &Contract,
    rating: i64,
    comment: &str,
) -> Value {
    let answer = app
        .post(
            "/api/reviews",
            json!({"contractId": contract.id(), "rating": rating, "comment": comment}),
            Some(&who.access),
        )
        .await;
    answer.assert_status(201);
    answer.body
}

async fn profile(app: &TestApp, user: &Account) -> Value {
    let seen = app.get(&format!("/api/users/{}", user.id), None).await;
    seen.assert_status(200);
    seen.body
}

async fn public_reviews(app: &TestApp, user: &Account) -> Value {
    let seen = app
        .get(&format!("/api/reviews/user/{}", user.id), None)
        .await;
    seen.assert_status(200);
    seen.body
}

/// Waits (up to 10 s) for `user`'s public reviews to reach `count`.
async fn until_public(app: &TestApp, user: &Account, count: usize) -> Value {
    for _ in 0..100 {
        let page = public_reviews(app, user).await;
        if page["data"].as_array().map(Vec::len) == Some(count) {
            return page;
        }
        app.core.outbox_wakeup.notify_one();
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("{user:?} never had {count} public reviews");
}

#[tokio::test]
async fn reviews_stay_blind_until_both_sides_have_written() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let contract = ContractBuilder::new(&app, &client, &craftsman)
        .completed()
        .await;

    let first = review(
        &app,
        &client,
        &contract,
        5,
        "Excellent work, very professional",
    )
    .await;
    assert_eq!(first["visible"], false);
    assert_eq!(first["status"], "pending");
    assert_eq!(first["revieweeId"], craftsman.id.as_str());
    assert_eq!(first["reviewerRole"], "client");
    assert_eq!(first["sentiment"]["label"], "positive");
    let deadline = chrono::DateTime::parse_from_rfc3339(
        first["reviewDeadlineAt"].as_str().unwrap_or_default(),
    )
    .expect("an RFC 3339 deadline");
    let days = (deadline.with_timezone(&chrono::Utc) - chrono::Utc::now()).num_hours();
    assert!((13 * 24..=14 * 24).contains(&days), "{deadline}");
    let id = &id_of(&first);

    // Blind: not to the reviewee, not to the public, not on the profile.
    app.get(&format!("/api/reviews/{id}"), Some(&craftsman.access))
        .await
        .assert_error(404, "review_not_found");
    assert_eq!(public_reviews(&app, &craftsman).await["data"], json!([]));
    assert_eq!(profile(&app, &craftsman).await["ratingCount"], 0);
    // The author sees it; the other side knows one is waiting.
    app.get(&format!("/api/reviews/{id}"), Some(&client.access))
        .await
        .assert_status(200);
    let mine = app.get("/api/reviews/mine", Some(&craftsman.access)).await;
    assert_eq!(mine.body["received"], json!([]), "{}", mine.body);
    assert_eq!(
        mine.body["pending"][0]["theyReviewed"], true,
        "{}",
        mine.body
    );
    assert_eq!(
        mine.body["pending"][0]["contractId"],
        contract.id().as_str()
    );

    let second = review(&app, &craftsman, &contract, 4, "سهل التعامل ومحترم").await;
    assert_eq!(second["visible"], true);
    assert_eq!(second["sentiment"]["label"], "positive");
    let first_now = app
        .get(&format!("/api/reviews/{id}"), Some(&craftsman.access))
        .await;
    first_now.assert_status(200);
    assert_eq!(first_now.body["visible"], true);
    assert!(first_now.body["reviewer"]["firstName"].is_string());
    assert!(first_now.body["job"]["title"].is_string());

    let rated = profile(&app, &craftsman).await;
    assert_eq!(rated["rating"], 5.0);
    assert_eq!(rated["ratingCount"], 1);
    // (5 × 3.5 + 5) / 6
    assert_eq!(rated["ratingScore"], 3.75);
    assert_eq!(profile(&app, &client).await["rating"], 4.0);
    let page = public_reviews(&app, &craftsman).await;
    assert_eq!(page["data"][0]["id"], id.as_str());
    assert_eq!(page["pagination"]["totalItems"], 1, "{page}");
    let mine = app.get("/api/reviews/mine", Some(&client.access)).await;
    assert_eq!(mine.body["pending"], json!([]));
    assert_eq!(mine.body["written"][0]["id"], id.as_str());
    assert_eq!(mine.body["received"][0]["rating"], 4);
}

#[tokio::test]
async fn the_window_closing_reveals_a_lone_review_and_ends_reviewing() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let contract = ContractBuilder::new(&app, &client, &craftsman)
        .completed()
        .await;
    review(&app, &client, &contract, 2, "Late and the work was sloppy").await;

    // Thirteen days on, nothing yet.
    app.core.clock.advance(chrono::Duration::days(13));
    app.core.outbox_wakeup.notify_one();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(public_reviews(&app, &craftsman).await["data"], json!([]));

    // The fourteenth day closes the window: the scheduler reveals it.
    app.core
        .clock
        .advance(chrono::Duration::days(1) + chrono::Duration::minutes(1));
    let page = until_public(&app, &craftsman, 1).await;
    assert_eq!(page["data"][0]["sentiment"]["label"], "negative");
    assert_eq!(profile(&app, &craftsman).await["rating"], 2.0);
    app.post(
        "/api/reviews",
        json!({"jobId": contract.job_id, "rating": 5}),
        Some(&craftsman.access),
    )
    .await
    .assert_error(409, "review_window_closed");
}

#[tokio::test]
async fn only_the_parties_of_a_completed_contract_review_once() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let stranger = app.register("client").await;
    let hired = ContractBuilder::new(&app, &client, &craftsman)
        .funded()
        .create()
        .await;
    app.post(
        "/api/reviews",
        json!({"contractId": hired.id(), "rating": 5}),
        Some(&client.access),
    )
    .await
    .assert_error(409, "contract_not_completed");
    // A cancelled contract cannot be reviewed.
    app.patch(
        &format!("/api/jobs/{}/status", hired.job_id),
        json!({"status": "cancelled", "reason": "changed my mind"}),
        Some(&client.access),
    )
    .await
    .assert_status(200);
    app.post(
        "/api/reviews",
        json!({"jobId": hired.job_id, "rating": 5}),
        Some(&client.access),
    )
    .await
    .assert_error(409, "contract_not_completed");

    let done = ContractBuilder::new(&app, &client, &craftsman)
        .completed()
        .await;
    app.post(
        "/api/reviews",
        json!({"contractId": done.id(), "rating": 5}),
        Some(&stranger.access),
    )
    .await
    .assert_error(403, "not_a_party");
    for bad in [
        json!({"contractId": done.id(), "rating": 0}),
        json!({"contractId": done.id(), "rating": 6}),
        json!({"contractId": done.id()}),
        json!({"rating": 4}),
        json!({"contractId": done.id(), "rating": 4, "comment": "x".repeat(2001)}),
    ] {
        app.post("/api/reviews", bad, Some(&client.access))
            .await
            .assert_error(400, "validation_failed");
    }
    app.post(
        "/api/reviews",
        json!({"contractId": uuid::Uuid::new_v4(), "rating": 4}),
        Some(&client.access),
    )
    .await
    .assert_error(404, "contract_not_found");
    let mine = app.get("/api/reviews/mine", Some(&client.access)).await;
    assert_eq!(
        mine.body["written"],
        json!([]),
        "nothing stored by refusals"
    );

    review(&app, &client, &done, 4, "").await;
    app.post(
        "/api/reviews",
        json!({"jobId": done.job_id, "rating": 3}),
        Some(&client.access),
    )
    .await
    .assert_error(409, "already_reviewed");
}

#[tokio::test]
async fn a_blind_review_can_be_changed_until_the_other_side_writes() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let contract = ContractBuilder::new(&app, &client, &craftsman)
        .completed()
        .await;
    let first = review(&app, &client, &contract, 3, "ok").await;
    let path = format!("/api/reviews/{}", id_of(&first));

    let changed = app
        .put(
            &path,
            json!({"rating": 5, "comment": "Really great, on time"}),
            Some(&client.access),
        )
        .await;
    changed.assert_status(200);
    assert_eq!(changed.body["rating"], 5);
    assert_eq!(changed.body["sentiment"]["label"], "positive");
    app.put(&path, json!({"rating": 9}), Some(&client.access))
        .await
        .assert_error(400, "validation_failed");
    // The reviewee cannot even see it.
    app.put(&path, json!({"rating": 1}), Some(&craftsman.access))
        .await
        .assert_error(404, "review_not_found");

    review(&app, &craftsman, &contract, 5, "").await;
    app.put(&path, json!({"rating": 1}), Some(&client.access))
        .await
        .assert_error(409, "review_not_editable");
    assert_eq!(profile(&app, &craftsman).await["rating"], 5.0);
}

#[tokio::test]
async fn ratings_average_the_revealed_reviews_and_not_hidden_ones() {
    let app = TestApp::spawn().await;
    let craftsman = app.register("craftsman").await;
    let admin = app.staff(Role::Moderator).await;
    let mut ids = Vec::new();
    for (rating, text) in [
        (5, "Excellent"),
        (2, "Terrible, rude and late"),
        (4, "Good"),
    ] {
        let client = app.register("client").await;
        let contract = ContractBuilder::new(&app, &client, &craftsman)
            .completed()
            .await;
        ids.push(id_of(&review(&app, &client, &contract, rating, text).await));
        review(&app, &craftsman, &contract, 5, "").await;
    }
    let rated = profile(&app, &craftsman).await;
    assert_eq!(rated["ratingCount"], 3);
    assert_eq!(rated["rating"], 3.7);

    let harsh = ids.get(1).expect("three reviews");
    let hide = format!("/api/admin/reviews/{harsh}/hide");
    let hidden = app
        .post(&hide, json!({"note": "abusive"}), Some(&admin.access))
        .await;
    hidden.assert_status(200);
    assert_eq!(hidden.body["status"], "hidden");
    assert_eq!(hidden.body["visible"], false);
    let rated = profile(&app, &craftsman).await;
    assert_eq!(rated["ratingCount"], 2);
    assert_eq!(rated["rating"], 4.5);
    assert_eq!(
        public_reviews(&app, &craftsman).await["pagination"]["totalItems"],
        2
    );
    app.post(&hide, json!({}), Some(&admin.access))
        .await
        .assert_error(409, "invalid_transition");
    app.post(&hide, json!({}), Some(&craftsman.access))
        .await
        .assert_error(403, "staff_only");

    let restore = format!("/api/admin/reviews/{harsh}/restore");
    app.post(&restore, json!({}), Some(&admin.access))
        .await
        .assert_status(200);
    let rated = profile(&app, &craftsman).await;
    assert_eq!(rated["ratingCount"], 3);
    assert_eq!(rated["rating"], 3.7);
    let log = app
        .get(
            "/api/admin/activity-log?action=review.hide",
            Some(&app.staff(Role::Admin).await.access),
        )
        .await;
    assert!(log.body.to_string().contains("review.hide"), "{}", log.body);
}

#[tokio::test]
async fn the_reviewee_replies_once_and_members_report() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let reader = app.register("client").await;
    let contract = ContractBuilder::new(&app, &client, &craftsman)
        .completed()
        .await;
    let written = review(&app, &client, &contract, 3, "Fine").await;
    let id = &id_of(&written);
    // Blind: no reply, no report yet.
    app.post(
        &format!("/api/reviews/{id}/reply"),
        json!({"text": "Thanks"}),
        Some(&craftsman.access),
    )
    .await
    .assert_error(404, "review_not_found");
    app.post(
        &format!("/api/reviews/{id}/report"),
        json!({"reason": "spam"}),
        Some(&reader.access),
    )
    .await
    .assert_error(404, "review_not_found");
    review(&app, &craftsman, &contract, 5, "").await;

    let replied = app
        .post(
            &format!("/api/reviews/{id}/reply"),
            json!({"text": "Thank you!"}),
            Some(&craftsman.access),
        )
        .await;
    replied.assert_status(200);
    assert_eq!(replied.body["reply"]["text"], "Thank you!");
    app.post(
        &format!("/api/reviews/{id}/reply"),
        json!({"text": "Again"}),
        Some(&craftsman.access),
    )
    .await
    .assert_error(409, "already_replied");
    app.post(
        &format!("/api/reviews/{id}/reply"),
        json!({"text": "Me"}),
        Some(&client.access),
    )
    .await
    .assert_error(403, "not_the_reviewee");
    app.post(
        &format!("/api/reviews/{id}/reply"),
        json!({"text": "  "}),
        Some(&craftsman.access),
    )
    .await
    .assert_error(400, "validation_failed");

    let reported = app
        .post(
            &format!("/api/reviews/{id}/report"),
            json!({"reason": "not true"}),
            Some(&reader.access),
        )
        .await;
    reported.assert_status(201);
    assert_eq!(reported.body["reported"], true);
    app.post(
        &format!("/api/reviews/{id}/report"),
        json!({"reason": "again"}),
        Some(&reader.access),
    )
    .await
    .assert_status(200);
    app.post(
        &format!("/api/reviews/{id}/report"),
        json!({"reason": "mine"}),
        Some(&client.access),
    )
    .await
    .assert_error(403, "cannot_target_self");
    app.post(
        &format!("/api/reviews/{id}/report"),
        json!({}),
        Some(&reader.access),
    )
    .await
    .assert_error(400, "validation_failed");
}

#[tokio::test]
async fn blind_reviews_reach_nobody_but_their_author_and_staff() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let stranger = app.register("craftsman").await;
    let moderator = app.staff(Role::Moderator).await;
    let contract = ContractBuilder::new(&app, &client, &craftsman)
        .completed()
        .await;
    let written = review(&app, &client, &contract, 1, "Secret opinion").await;
    let path = format!("/api/reviews/{}", id_of(&written));
    for who in [&craftsman, &stranger] {
        app.get(&path, Some(&who.access))
            .await
            .assert_error(404, "review_not_found");
        let mine = app.get("/api/reviews/mine", Some(&who.access)).await;
        assert!(!mine.body.to_string().contains("Secret opinion"));
    }
    app.get(&path, None).await.assert_status(401);
    assert!(
        !public_reviews(&app, &craftsman)
            .await
            .to_string()
            .contains("Secret")
    );
    app.get(&path, Some(&moderator.access))
        .await
        .assert_status(200);
    app.get(&format!("/api/reviews/user/{}", uuid::Uuid::new_v4()), None)
        .await
        .assert_error(404, "user_not_found");
}
