//! The moderation queue: reports of reviews, messages and job posts grouped
//! by what they are about; hide, dismiss and ban; and moderators reaching
//! the queues but not the admin-only areas.

use serde_json::{Value, json};
use souk_core::accounts::Role;

use crate::support::{
    Account, TestApp,
    builders::{ContractBuilder, DirectBuilder, JobBuilder, MessageBuilder, id_of},
};

async fn queue(app: &TestApp, staff: &Account, query: &str) -> Value {
    let seen = app
        .get(&format!("/api/admin/reports{query}"), Some(&staff.access))
        .await;
    seen.assert_status(200);
    seen.body
}

/// A revealed review of `craftsman` by a new client, rated `rating`.
async fn revealed_review(app: &TestApp, craftsman: &Account, rating: i64) -> String {
    let client = app.register("client").await;
    let contract = ContractBuilder::new(app, &client, craftsman)
        .completed()
        .await;
    let mine = app
        .post(
            "/api/reviews",
            json!({"contractId": contract.id(), "rating": rating, "comment": "Awful, a cheat"}),
            Some(&client.access),
        )
        .await;
    mine.assert_status(201);
    app.post(
        "/api/reviews",
        json!({"contractId": contract.id(), "rating": 5}),
        Some(&craftsman.access),
    )
    .await
    .assert_status(201);
    id_of(&mine.body)
}

#[tokio::test]
async fn reports_are_grouped_and_hiding_takes_a_review_out_of_the_rating() {
    let app = TestApp::spawn().await;
    let craftsman = app.register("craftsman").await;
    let moderator = app.staff(Role::Moderator).await;
    let review = revealed_review(&app, &craftsman, 1).await;
    revealed_review(&app, &craftsman, 5).await;
    for reason in ["insulting", "not a real client"] {
        let reader = app.register("client").await;
        app.post(
            &format!("/api/reviews/{review}/report"),
            json!({"reason": reason}),
            Some(&reader.access),
        )
        .await
        .assert_status(201);
    }
    let open = queue(&app, &moderator, "?kind=review").await;
    assert_eq!(open["pagination"]["totalItems"], 1, "{open}");
    let item = &open["data"][0];
    assert_eq!(item["kind"], "review");
    assert_eq!(item["targetId"], review.as_str());
    assert_eq!(item["reports"], 2);
    assert_eq!(item["reasons"], json!(["insulting", "not a real client"]));
    assert_eq!(item["preview"], "Awful, a cheat");
    assert_eq!(
        app.get(&format!("/api/users/{}", craftsman.id), None)
            .await
            .body["rating"],
        3.0
    );

    let resolved = app
        .post(
            &format!("/api/admin/reports/{review}/resolve"),
            json!({"action": "hide", "note": "Abusive"}),
            Some(&moderator.access),
        )
        .await;
    resolved.assert_status(200);
    assert_eq!(resolved.body["resolved"], 2);
    assert_eq!(
        app.get(&format!("/api/users/{}", craftsman.id), None)
            .await
            .body["rating"],
        5.0
    );
    assert_eq!(
        queue(&app, &moderator, "").await["pagination"]["totalItems"],
        0
    );
    let done = queue(&app, &moderator, "?status=resolved").await;
    assert_eq!(done["data"][0]["resolved"], true);
    app.post(
        &format!("/api/admin/reports/{review}/resolve"),
        json!({"action": "hide"}),
        Some(&moderator.access),
    )
    .await
    .assert_error(404, "report_not_found");
    let admin = app.staff(Role::Admin).await;
    let log = app
        .get(
            "/api/admin/activity-log?action=report.resolve",
            Some(&admin.access),
        )
        .await;
    assert!(log.body.to_string().contains("report.resolve"));
}

#[tokio::test]
async fn a_reported_message_is_taken_down_and_job_posts_are_dismissed_or_removed() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let moderator = app.staff(Role::Moderator).await;
    let conversation = id_of(&DirectBuilder::new(&app, &client, &craftsman).open().await);
    let message = id_of(
        &MessageBuilder::to_conversation(&app, &client, &conversation)
            .text("Pay me outside the platform")
            .post()
            .await,
    );
    app.post(
        &format!("/api/conversations/{conversation}/messages/{message}/report"),
        json!({"reason": "off-platform payment"}),
        Some(&craftsman.access),
    )
    .await
    .assert_status(201);
    let open = queue(&app, &moderator, "?kind=message").await;
    assert_eq!(open["data"][0]["conversationId"], conversation.as_str());
    assert_eq!(open["data"][0]["authorId"], client.id.as_str());
    app.post(
        &format!("/api/admin/reports/{message}/resolve"),
        json!({"action": "hide"}),
        Some(&moderator.access),
    )
    .await
    .assert_status(200);
    let history = app
        .get(
            &format!("/api/conversations/{conversation}/messages"),
            Some(&craftsman.access),
        )
        .await;
    assert!(
        history.body.to_string().contains("deletedAt\":\"20"),
        "{}",
        history.body
    );
    assert!(!history.body.to_string().contains("Pay me outside"));

    let job = JobBuilder::new(&app, &client).post_id().await;
    let report = format!("/api/jobs/{job}/report");
    app.post(&report, json!({"reason": "mine"}), Some(&client.access))
        .await
        .assert_error(403, "cannot_target_self");
    app.post(&report, json!({}), Some(&craftsman.access))
        .await
        .assert_error(400, "validation_failed");
    app.post(&report, json!({"reason": "spam"}), Some(&craftsman.access))
        .await
        .assert_status(201);
    app.post(&report, json!({"reason": "spam"}), Some(&craftsman.access))
        .await
        .assert_status(200);
    app.post(
        &format!("/api/admin/reports/{job}/resolve"),
        json!({"action": "dismiss"}),
        Some(&moderator.access),
    )
    .await
    .assert_status(200);
    app.get(&format!("/api/jobs/{job}"), Some(&client.access))
        .await
        .assert_status(200);
    let other = app.register("craftsman").await;
    app.post(&report, json!({"reason": "scam"}), Some(&other.access))
        .await
        .assert_status(201);
    app.post(
        &format!("/api/admin/reports/{job}/resolve"),
        json!({"action": "hide"}),
        Some(&moderator.access),
    )
    .await
    .assert_status(200);
    app.get(&format!("/api/jobs/{job}"), Some(&client.access))
        .await
        .assert_status(404);
}

#[tokio::test]
async fn ban_user_bans_the_author_and_ends_their_sessions() {
    let app = TestApp::spawn().await;
    let craftsman = app.register("craftsman").await;
    let client = app.register("client").await;
    let moderator = app.staff(Role::Moderator).await;
    let job = JobBuilder::new(&app, &client).post_id().await;
    app.post(
        &format!("/api/jobs/{job}/report"),
        json!({"reason": "fraud"}),
        Some(&craftsman.access),
    )
    .await
    .assert_status(201);
    app.post(
        &format!("/api/admin/reports/{job}/resolve"),
        json!({"action": "ban_user", "note": "Fraudulent posts"}),
        Some(&moderator.access),
    )
    .await
    .assert_status(200);
    app.get("/api/users/me", Some(&client.access))
        .await
        .assert_status(401);
    crate::support::login(&app, &client.email, &client.password, "clients")
        .await
        .assert_error(403, "account_banned");
}

#[tokio::test]
async fn moderators_work_the_queues_but_not_the_admin_only_areas() {
    let app = TestApp::spawn().await;
    let moderator = app.staff(Role::Moderator).await;
    let client = app.register("client").await;
    for path in [
        "/api/admin/reports",
        "/api/admin/verifications",
        "/api/admin/disputes",
        "/api/admin/disputes/stats",
    ] {
        app.get(path, Some(&moderator.access))
            .await
            .assert_status(200);
        app.get(path, Some(&client.access))
            .await
            .assert_error(403, "staff_only");
    }
    app.get("/api/admin/activity-log", Some(&moderator.access))
        .await
        .assert_error(403, "admin_only");
    app.put(
        "/api/admin/settings",
        json!({"reviewWindowDays": 7}),
        Some(&moderator.access),
    )
    .await
    .assert_error(403, "admin_only");
    app.get("/api/admin/reports?kind=posts", Some(&moderator.access))
        .await
        .assert_error(400, "validation_failed");
    app.post(
        &format!("/api/admin/reports/{}/resolve", uuid::Uuid::new_v4()),
        json!({"action": "purge"}),
        Some(&moderator.access),
    )
    .await
    .assert_error(400, "validation_failed");
}
