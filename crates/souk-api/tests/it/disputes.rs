//! Disputes: opening freezes the escrow, evidence reaches only the parties
//! and staff, deadlines and proposal lapses follow the core's clock, and
//! every ending moves exactly the money decided (ledger balanced).

use serde_json::{Value, json};
use souk_core::accounts::Role;

use crate::{
    money::assert_balanced,
    support::{
        Account, Options, TestApp,
        builders::{Contract, ContractBuilder, id_of},
        multipart, png,
    },
};

/// A hired, funded contract (400 EGP, 5% commission) in progress.
async fn in_progress(app: &TestApp, client: &Account, craftsman: &Account) -> Contract {
    let contract = ContractBuilder::new(app, client, craftsman)
        .funded()
        .create()
        .await;
    app.patch(
        &format!("/api/jobs/{}/status", contract.job_id),
        json!({"status": "in_progress"}),
        Some(&craftsman.access),
    )
    .await
    .assert_status(200);
    contract
}

async fn open(app: &TestApp, who: &Account, contract: &Contract, reason: &str) -> Value {
    let opened = app
        .post(
            "/api/disputes",
            json!({"jobId": contract.job_id, "reason": reason, "description": "The tiles are cracked"}),
            Some(&who.access),
        )
        .await;
    opened.assert_status(201);
    opened.body
}

async fn available(app: &TestApp, who: &Account) -> i64 {
    app.balance(who).await["available"].as_i64().unwrap_or(-1)
}

async fn job_status(app: &TestApp, contract: &Contract, who: &Account) -> Value {
    app.get(&format!("/api/jobs/{}", contract.job_id), Some(&who.access))
        .await
        .body["status"]
        .clone()
}

async fn escrow(app: &TestApp, contract: &Contract, who: &Account) -> Value {
    let seen = app
        .get(
            &format!("/api/jobs/{}/escrow", contract.job_id),
            Some(&who.access),
        )
        .await;
    seen.assert_status(200);
    seen.body
}

async fn resolve(app: &TestApp, staff: &Account, id: &str, body: Value) -> Value {
    let resolved = app
        .post(
            &format!("/api/admin/disputes/{id}/resolve"),
            body,
            Some(&staff.access),
        )
        .await;
    resolved.assert_status(200);
    resolved.body
}

#[tokio::test]
async fn opening_a_dispute_freezes_the_escrow_and_tells_the_other_party() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let stranger = app.register("client").await;
    let contract = in_progress(&app, &client, &craftsman).await;

    for bad in [
        json!({"jobId": contract.job_id, "reason": "boredom", "description": "x"}),
        json!({"jobId": contract.job_id, "reason": "other"}),
        json!({"reason": "other", "description": "x"}),
    ] {
        app.post("/api/disputes", bad, Some(&client.access))
            .await
            .assert_error(400, "validation_failed");
    }
    app.post(
        "/api/disputes",
        json!({"jobId": contract.job_id, "reason": "other", "description": "x"}),
        Some(&stranger.access),
    )
    .await
    .assert_error(403, "not_a_party");

    let dispute = open(&app, &client, &contract, "poor_quality").await;
    assert_eq!(dispute["status"], "open");
    assert_eq!(dispute["reason"], "poor_quality");
    assert_eq!(dispute["respondentId"], craftsman.id.as_str());
    assert_eq!(dispute["escrowHeld"], 40000);
    assert_eq!(dispute["timeline"][0]["kind"], "opened");
    let due =
        chrono::DateTime::parse_from_rfc3339(dispute["responseDueAt"].as_str().unwrap_or_default())
            .expect("a deadline");
    let hours = (due.with_timezone(&chrono::Utc) - chrono::Utc::now()).num_minutes();
    assert!((71 * 60..=72 * 60).contains(&hours), "{due}");
    assert_eq!(job_status(&app, &contract, &client).await, "disputed");
    assert_eq!(escrow(&app, &contract, &client).await["status"], "frozen");

    // The other party sees it and was told; strangers do not.
    let id = id_of(&dispute);
    app.get(&format!("/api/disputes/{id}"), Some(&craftsman.access))
        .await
        .assert_status(200);
    app.get(&format!("/api/disputes/{id}"), Some(&stranger.access))
        .await
        .assert_error(404, "dispute_not_found");
    let notices = app.get("/api/notifications", Some(&craftsman.access)).await;
    assert!(
        notices.body.to_string().contains("dispute_opened"),
        "{}",
        notices.body
    );
    let mine = app.get("/api/disputes", Some(&craftsman.access)).await;
    assert_eq!(mine.body["pagination"]["totalItems"], 1);

    // One at a time; and only on a hired job before completion.
    app.post(
        "/api/disputes",
        json!({"jobId": contract.job_id, "reason": "other", "description": "again"}),
        Some(&craftsman.access),
    )
    .await
    .assert_error(409, "dispute_not_allowed");
    let posted = crate::support::builders::JobBuilder::new(&app, &client)
        .post_id()
        .await;
    app.post(
        "/api/disputes",
        json!({"jobId": posted, "reason": "other", "description": "too early"}),
        Some(&client.access),
    )
    .await
    .assert_error(409, "dispute_not_allowed");
    // The work stops (only Souk moves a disputed job back, on withdrawal).
    app.post(
        &format!("/api/jobs/{}/submit", contract.job_id),
        json!({}),
        Some(&craftsman.access),
    )
    .await
    .assert_error(403, "forbidden");
}

#[tokio::test]
async fn a_staff_release_pays_the_craftsman_minus_commission() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let moderator = app.staff(Role::Moderator).await;
    let contract = in_progress(&app, &client, &craftsman).await;
    let id = id_of(&open(&app, &craftsman, &contract, "payment").await);
    let body = json!({"decision": "release", "note": "The work was delivered"});
    app.post(
        &format!("/api/admin/disputes/{id}/resolve"),
        body.clone(),
        Some(&client.access),
    )
    .await
    .assert_error(403, "staff_only");
    let resolved = resolve(&app, &moderator, &id, body.clone()).await;
    assert_eq!(resolved["status"], "resolved");
    assert_eq!(resolved["resolution"]["decision"], "release");
    assert_eq!(resolved["resolution"]["craftsmanAmount"], 40000);
    assert_eq!(resolved["resolution"]["clientAmount"], 0);
    assert_eq!(resolved["resolution"]["resolvedBy"], moderator.id.as_str());
    assert_eq!(available(&app, &craftsman).await, 38000);
    assert_eq!(app.balance(&client).await["held"], 0);
    assert_eq!(job_status(&app, &contract, &client).await, "completed");
    assert_eq!(escrow(&app, &contract, &client).await["status"], "released");
    // Once.
    app.post(
        &format!("/api/admin/disputes/{id}/resolve"),
        body,
        Some(&moderator.access),
    )
    .await
    .assert_error(409, "dispute_closed");
    assert_eq!(available(&app, &craftsman).await, 38000);
    let notices = app.get("/api/notifications", Some(&client.access)).await;
    assert!(notices.body.to_string().contains("The work was delivered"));
    assert_balanced(&app).await;
}

#[tokio::test]
async fn a_staff_refund_returns_everything_and_the_contract_cannot_be_reviewed() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let admin = app.staff(Role::Admin).await;
    let contract = in_progress(&app, &client, &craftsman).await;
    let id = id_of(&open(&app, &client, &contract, "not_delivered").await);
    let before = available(&app, &client).await;
    resolve(
        &app,
        &admin,
        &id,
        json!({"decision": "refund", "note": "Nothing was delivered"}),
    )
    .await;
    assert_eq!(available(&app, &client).await, before + 40000);
    assert_eq!(available(&app, &craftsman).await, 0);
    assert_eq!(job_status(&app, &contract, &client).await, "cancelled");
    app.post(
        "/api/reviews",
        json!({"jobId": contract.job_id, "rating": 1}),
        Some(&client.access),
    )
    .await
    .assert_error(409, "contract_not_completed");
    assert_balanced(&app).await;
}

#[tokio::test]
async fn a_staff_split_moves_exactly_both_parts() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let admin = app.staff(Role::Admin).await;
    let contract = in_progress(&app, &client, &craftsman).await;
    let id = id_of(&open(&app, &client, &contract, "poor_quality").await);
    let path = format!("/api/admin/disputes/{id}/resolve");
    for amount in [40001, -1] {
        app.post(
            &path,
            json!({"decision": "split", "craftsmanAmount": amount, "note": "n"}),
            Some(&admin.access),
        )
        .await
        .assert_error(400, "split_out_of_range");
    }
    for bad in [
        json!({"decision": "split", "note": "n"}),
        json!({"decision": "halve", "note": "n"}),
        json!({"decision": "release"}),
    ] {
        app.post(&path, bad, Some(&admin.access))
            .await
            .assert_error(400, "validation_failed");
    }
    // Nothing moved by the refusals.
    assert_eq!(escrow(&app, &contract, &client).await["held"], 40000);
    let before = available(&app, &client).await;
    let resolved = resolve(
        &app,
        &admin,
        &id,
        json!({"decision": "split", "craftsmanAmount": 30000, "note": "Most of it was done"}),
    )
    .await;
    assert_eq!(resolved["resolution"]["clientAmount"], 10000);
    // 30,000 released with its share of the 2,000 commission (1,500).
    assert_eq!(available(&app, &craftsman).await, 28500);
    assert_eq!(available(&app, &client).await, before + 10000);
    assert_eq!(job_status(&app, &contract, &client).await, "completed");
    let after = escrow(&app, &contract, &client).await;
    assert_eq!(after["held"], 0);
    assert_eq!(after["refunded"], 10000);
    assert_eq!(after["released"], 28500);
    assert_balanced(&app).await;
}

#[tokio::test]
async fn a_settlement_the_other_party_accepts_resolves_as_a_split() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let contract = in_progress(&app, &client, &craftsman).await;
    let id = id_of(&open(&app, &client, &contract, "poor_quality").await);
    let proposals = format!("/api/disputes/{id}/proposals");
    app.post(
        &proposals,
        json!({"craftsmanAmount": 50000}),
        Some(&craftsman.access),
    )
    .await
    .assert_error(400, "split_out_of_range");
    let proposed = app
        .post(
            &proposals,
            json!({"craftsmanAmount": 20000}),
            Some(&craftsman.access),
        )
        .await;
    proposed.assert_status(200);
    assert_eq!(proposed.body["proposal"]["craftsmanAmount"], 20000);
    assert_eq!(proposed.body["proposal"]["lapsed"], false);
    let pid = proposed.body["proposal"]["id"]
        .as_str()
        .expect("a proposal id")
        .to_owned();
    app.post(
        &format!("{proposals}/{pid}/accept"),
        json!({}),
        Some(&craftsman.access),
    )
    .await
    .assert_error(409, "own_proposal");
    app.post(
        &format!("{proposals}/{}/accept", uuid::Uuid::new_v4()),
        json!({}),
        Some(&client.access),
    )
    .await
    .assert_error(409, "no_proposal");
    let before = available(&app, &client).await;
    let settled = app
        .post(
            &format!("{proposals}/{pid}/accept"),
            json!({}),
            Some(&client.access),
        )
        .await;
    settled.assert_status(200);
    assert_eq!(settled.body["status"], "resolved");
    assert_eq!(settled.body["resolution"]["decision"], "split");
    assert!(settled.body["resolution"]["resolvedBy"].is_null());
    // 20,000 released with its share of the commission (1,000).
    assert_eq!(available(&app, &craftsman).await, 19000);
    assert_eq!(available(&app, &client).await, before + 20000);
    assert_eq!(job_status(&app, &contract, &client).await, "completed");
    assert_balanced(&app).await;
}

#[tokio::test]
async fn a_proposal_lapses_after_48_hours() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let contract = in_progress(&app, &client, &craftsman).await;
    let id = id_of(&open(&app, &client, &contract, "poor_quality").await);
    let proposals = format!("/api/disputes/{id}/proposals");
    let first = app
        .post(
            &proposals,
            json!({"craftsmanAmount": 10000}),
            Some(&client.access),
        )
        .await;
    first.assert_status(200);
    let pid = first.body["proposal"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    app.core.clock.advance(chrono::Duration::hours(49));
    app.post(
        &format!("{proposals}/{pid}/accept"),
        json!({}),
        Some(&craftsman.access),
    )
    .await
    .assert_error(409, "proposal_expired");
    let seen = app
        .get(&format!("/api/disputes/{id}"), Some(&craftsman.access))
        .await;
    assert_eq!(seen.body["proposal"]["lapsed"], true);
    assert_eq!(escrow(&app, &contract, &client).await["held"], 40000);
    // A fresh proposal can still settle it; declining clears it.
    let fresh = app
        .post(
            &proposals,
            json!({"craftsmanAmount": 15000}),
            Some(&client.access),
        )
        .await;
    fresh.assert_status(200);
    let fresh_id = fresh.body["proposal"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    app.post(
        &format!("{proposals}/{pid}/decline"),
        json!({}),
        Some(&craftsman.access),
    )
    .await
    .assert_error(409, "no_proposal");
    let declined = app
        .post(
            &format!("{proposals}/{fresh_id}/decline"),
            json!({}),
            Some(&craftsman.access),
        )
        .await;
    declined.assert_status(200);
    assert!(declined.body["proposal"].is_null());
    app.post(
        &format!("{proposals}/{fresh_id}/accept"),
        json!({}),
        Some(&craftsman.access),
    )
    .await
    .assert_error(409, "no_proposal");
}

/// How many disputes wait on a party past their deadline.
async fn overdue(app: &TestApp, staff: &Account) -> Value {
    app.get("/api/admin/disputes?overdue=true", Some(&staff.access))
        .await
        .body["pagination"]["totalItems"]
        .clone()
}

#[tokio::test]
async fn an_unanswered_dispute_goes_to_staff_when_the_response_deadline_passes() {
    let app = TestApp::with(Options {
        quiet: true,
        ..Options::default()
    })
    .await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let moderator = app.staff(Role::Moderator).await;
    let contract = in_progress(&app, &client, &craftsman).await;
    let id = id_of(&open(&app, &client, &contract, "no_show").await);
    assert_eq!(overdue(&app, &moderator).await, 0);
    app.core.clock.advance(chrono::Duration::hours(73));
    assert_eq!(overdue(&app, &moderator).await, 1);
    let stats = app
        .get("/api/admin/disputes/stats", Some(&moderator.access))
        .await;
    assert_eq!(stats.body["overdue"], 1);
    // The scheduler's step, driven here.
    let uuid = id.parse().expect("a uuid");
    souk_core::disputes::deadline::on_due(&app.core, uuid)
        .await
        .expect("the deadline step");
    let seen = app
        .get(&format!("/api/disputes/{id}"), Some(&client.access))
        .await;
    assert_eq!(seen.body["status"], "under_review");
    assert!(
        seen.body["timeline"]
            .to_string()
            .contains("response_overdue")
    );
    assert_eq!(overdue(&app, &moderator).await, 0);
}

#[tokio::test]
async fn evidence_files_reach_the_parties_and_staff_only() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let stranger = app.register("craftsman").await;
    let admin = app.staff(Role::Admin).await;
    let contract = in_progress(&app, &client, &craftsman).await;
    let id = id_of(&open(&app, &client, &contract, "poor_quality").await);
    let path = format!("/api/disputes/{id}/evidence");

    let picture = png(40, 30);
    let body = multipart("files", "crack.png", "image/png", &picture);
    let sent = app.post_multipart(&path, body, Some(&client.access)).await;
    sent.assert_status(200);
    let files = sent.body["timeline"].to_string();
    // Re-encoded like job photos (metadata stripped).
    assert!(files.contains("\"name\":\"crack."), "{files}");
    let file_url = sent.body["timeline"]
        .as_array()
        .and_then(|t| t.iter().find_map(|e| e["files"][0]["url"].as_str()))
        .expect("the file's url")
        .to_owned();
    // Still waiting on the craftsman: the opener's evidence is not a response.
    assert_eq!(sent.body["status"], "open");

    let fake = multipart(
        "files",
        "contract.pdf",
        "application/pdf",
        b"not a pdf at all",
    );
    app.post_multipart(&path, fake, Some(&client.access))
        .await
        .assert_error(400, "unsupported_file");
    app.post(&path, json!({}), Some(&client.access))
        .await
        .assert_error(400, "validation_failed");
    app.post(&path, json!({"text": "not mine"}), Some(&stranger.access))
        .await
        .assert_error(404, "dispute_not_found");

    for who in [&client, &craftsman, &admin] {
        let got = app.get(&file_url, Some(&who.access)).await;
        got.assert_status(200);
    }
    app.get(&file_url, Some(&stranger.access))
        .await
        .assert_error(404, "dispute_not_found");
    app.get(&file_url, None).await.assert_status(401);
    let log = app
        .get(
            "/api/admin/activity-log?action=dispute.file_download",
            Some(&admin.access),
        )
        .await;
    assert!(
        log.body.to_string().contains("dispute.file_download"),
        "{}",
        log.body
    );

    // The craftsman's word is the response: staff take it up.
    let answered = app
        .post(
            &path,
            json!({"text": "The cracks were there before"}),
            Some(&craftsman.access),
        )
        .await;
    answered.assert_status(200);
    assert_eq!(answered.body["status"], "under_review");
    assert!(answered.body["respondedAt"].is_string());
}

#[tokio::test]
async fn the_opener_withdraws_and_the_job_goes_back_where_it_was() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let contract = in_progress(&app, &client, &craftsman).await;
    let id = id_of(&open(&app, &client, &contract, "other").await);
    let withdraw = format!("/api/disputes/{id}/withdraw");
    app.post(&withdraw, json!({}), Some(&craftsman.access))
        .await
        .assert_error(403, "not_the_opener");
    let withdrawn = app
        .post(
            &withdraw,
            json!({"note": "We sorted it out"}),
            Some(&client.access),
        )
        .await;
    withdrawn.assert_status(200);
    assert_eq!(withdrawn.body["status"], "withdrawn");
    assert_eq!(job_status(&app, &contract, &client).await, "in_progress");
    assert_eq!(escrow(&app, &contract, &client).await["status"], "held");
    app.post(&withdraw, json!({}), Some(&client.access))
        .await
        .assert_error(409, "dispute_closed");
    // The work goes on.
    app.post(
        &format!("/api/jobs/{}/submit", contract.job_id),
        json!({}),
        Some(&craftsman.access),
    )
    .await
    .assert_status(200);
}

#[tokio::test]
async fn staff_take_a_dispute_ask_a_party_and_the_figures_follow() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let moderator = app.staff(Role::Moderator).await;
    let contract = in_progress(&app, &client, &craftsman).await;
    let id = id_of(&open(&app, &client, &contract, "poor_quality").await);
    let assigned = app
        .post(
            &format!("/api/admin/disputes/{id}/assign"),
            json!({}),
            Some(&moderator.access),
        )
        .await;
    assigned.assert_status(200);
    assert_eq!(assigned.body["status"], "under_review");
    assert_eq!(assigned.body["assigneeId"], moderator.id.as_str());
    let mine = app
        .get(
            "/api/admin/disputes?assignee=me&status=under_review",
            Some(&moderator.access),
        )
        .await;
    assert_eq!(mine.body["pagination"]["totalItems"], 1, "{}", mine.body);
    app.get(
        "/api/admin/disputes?status=nonsense",
        Some(&moderator.access),
    )
    .await
    .assert_error(400, "validation_failed");
    app.get("/api/admin/disputes", Some(&client.access))
        .await
        .assert_error(403, "staff_only");

    let asked = app
        .post(
            &format!("/api/admin/disputes/{id}/request-info"),
            json!({"partyId": craftsman.id, "message": "Please send photos of the finished floor"}),
            Some(&moderator.access),
        )
        .await;
    asked.assert_status(200);
    assert_eq!(asked.body["status"], "awaiting_response");
    let notices = app.get("/api/notifications", Some(&craftsman.access)).await;
    assert!(notices.body.to_string().contains("dispute_updated"));
    let answered = app
        .post(
            &format!("/api/disputes/{id}/evidence"),
            json!({"text": "Photos attached later"}),
            Some(&craftsman.access),
        )
        .await;
    assert_eq!(answered.body["status"], "under_review");

    app.core.clock.advance(chrono::Duration::hours(10));
    resolve(
        &app,
        &moderator,
        &id,
        json!({"decision": "release", "note": "Fine"}),
    )
    .await;
    let stats = app
        .get("/api/admin/disputes/stats", Some(&moderator.access))
        .await;
    assert_eq!(stats.body["resolved"], 1);
    assert_eq!(stats.body["medianHoursToResolution"], 10.0);
    let log = app
        .get(
            "/api/admin/activity-log?action=dispute.resolve",
            Some(&app.staff(Role::Admin).await.access),
        )
        .await;
    assert!(log.body.to_string().contains("dispute.resolve"));
}

#[tokio::test]
async fn the_job_status_route_opens_and_resolves_dispute_records() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let moderator = app.staff(Role::Moderator).await;
    let contract = in_progress(&app, &client, &craftsman).await;
    let status = format!("/api/jobs/{}/status", contract.job_id);
    app.patch(
        &status,
        json!({"status": "disputed", "reason": "He stopped coming"}),
        Some(&client.access),
    )
    .await
    .assert_status(200);
    let mine = app.get("/api/disputes", Some(&client.access)).await;
    assert_eq!(mine.body["data"][0]["reason"], "other");
    assert_eq!(mine.body["data"][0]["description"], "He stopped coming");
    app.patch(
        &status,
        json!({"status": "cancelled", "reason": "Refunded"}),
        Some(&moderator.access),
    )
    .await
    .assert_status(200);
    let mine = app.get("/api/disputes", Some(&client.access)).await;
    assert_eq!(mine.body["data"][0]["status"], "resolved");
    assert_eq!(mine.body["data"][0]["resolution"]["decision"], "refund");
    assert_balanced(&app).await;
}
