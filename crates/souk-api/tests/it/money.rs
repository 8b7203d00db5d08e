//! Money through the API: top-ups through the sandbox gateway, escrow funded
//! and released, cancellation shares, disputes and staff refunds, tips, cash
//! commission debt, withdrawals, settings, packages and Idempotency-Key —
//! with the trial balance checked after every flow.
#![allow(clippy::unwrap_used)]

use serde_json::{Value, json};
use souk_core::accounts::Role;

use crate::support::*;

/// The ledger check as staff see it.
pub async fn ledger_check(app: &TestApp) -> Value {
    let admin = app.staff(Role::Admin).await;
    let check = app
        .get("/api/admin/ledger/check", Some(&admin.access))
        .await;
    check.assert_status(200);
    check.body
}

/// The ledger check, asserted balanced.
pub async fn assert_balanced(app: &TestApp) -> Value {
    let check = ledger_check(app).await;
    assert_eq!(check["balanced"], true, "{check}");
    assert_eq!(check["total"], 0, "{check}");
    assert_eq!(check["mismatches"], json!([]), "{check}");
    check
}

async fn status(
    app: &TestApp,
    id: &str,
    to: &str,
    who: &Account,
    reason: Option<&str>,
) -> TestResponse {
    app.patch(
        &format!("/api/jobs/{id}/status"),
        json!({"status": to, "reason": reason}),
        Some(&who.access),
    )
    .await
}

/// The craftsman starts the job and submits the work (each answered 200).
async fn start_and_submit(app: &TestApp, id: &str, craftsman: &Account) {
    status(app, id, "in_progress", craftsman, None)
        .await
        .assert_status(200);
    app.post(
        &format!("/api/jobs/{id}/submit"),
        json!({}),
        Some(&craftsman.access),
    )
    .await
    .assert_status(200);
}

async fn escrow(app: &TestApp, id: &str, who: &Account) -> Value {
    let response = app
        .get(&format!("/api/jobs/{id}/escrow"), Some(&who.access))
        .await;
    response.assert_status(200);
    response.body
}

async fn available(app: &TestApp, who: &Account) -> i64 {
    app.balance(who).await["available"].as_i64().unwrap()
}

/// Starts a sandbox top-up of `amount` (answered 201); returns the answer.
async fn start_top_up(app: &TestApp, who: &Account, amount: i64) -> TestResponse {
    let started = app
        .post(
            "/api/wallet/top-up",
            json!({"amount": amount}),
            Some(&who.access),
        )
        .await;
    started.assert_status(201);
    started
}

/// Plays the customer paying (`complete`) or declining (`fail`) a sandbox
/// payment.
async fn play(app: &TestApp, payment: &str, outcome: &str, who: &Account) -> TestResponse {
    app.post(
        &format!("/api/payments/sandbox/{payment}/{outcome}"),
        json!({}),
        Some(&who.access),
    )
    .await
}

#[tokio::test]
async fn a_new_wallet_is_empty_and_in_egp() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let balance = app.balance(&client).await;
    assert_eq!(
        balance,
        json!({"available": 0, "held": 0, "feeDebt": 0, "currency": "EGP"})
    );
}

#[tokio::test]
async fn a_top_up_needs_a_positive_amount_a_configured_gateway_and_a_member() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    // Bad input loses nothing.
    for body in [
        json!({}),
        json!({"amount": 0}),
        json!({"amount": -5}),
        json!({"amount": 1, "gateway": "paypal"}),
    ] {
        app.post("/api/wallet/top-up", body, Some(&client.access))
            .await
            .assert_error(400, "validation_failed");
    }
    app.post(
        "/api/wallet/top-up",
        json!({"amount": 100, "gateway": "stripe"}),
        Some(&client.access),
    )
    .await
    .assert_error(409, "gateway_not_configured");
    app.post("/api/wallet/top-up", json!({"amount": 100}), None)
        .await
        .assert_error(401, "unauthorized");
}

#[tokio::test]
async fn a_sandbox_top_up_is_pending_with_a_checkout_page_and_credits_nothing_yet() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;

    let started = start_top_up(&app, &client, 25000).await;
    assert_eq!(started.body["status"], "pending");
    let id = started.str("/paymentId");
    assert!(
        started
            .str("/checkoutUrl")
            .ends_with(&format!("/api/payments/sandbox/{id}"))
    );
    assert_eq!(
        available(&app, &client).await,
        0,
        "nothing before the webhook"
    );
    let page = app
        .get(&format!("/api/payments/sandbox/{id}"), Some(&client.access))
        .await;
    page.assert_status(200);
    assert!(page.str("/completeUrl").ends_with("/complete"));
}

#[tokio::test]
async fn nobody_else_plays_or_refunds_a_members_payment() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let other = app.register("client").await;
    let id = start_top_up(&app, &client, 25000).await.str("/paymentId");

    play(&app, &id, "complete", &other)
        .await
        .assert_error(404, "payment_not_found");
    play(&app, &id, "complete", &client)
        .await
        .assert_status(200);
    app.post(
        &format!("/api/payments/{id}/refund"),
        json!({"amount": 100}),
        Some(&other.access),
    )
    .await
    .assert_error(404, "payment_not_found");
}

#[tokio::test]
async fn paying_a_top_up_credits_the_wallet_once() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let id = start_top_up(&app, &client, 25000).await.str("/paymentId");

    let paid = play(&app, &id, "complete", &client).await;
    paid.assert_status(200);
    assert_eq!(paid.body["status"], "succeeded");
    assert_eq!(available(&app, &client).await, 25000);
    // Paying again is refused and moves nothing.
    play(&app, &id, "complete", &client)
        .await
        .assert_error(409, "payment_not_pending");
    assert_eq!(available(&app, &client).await, 25000);
    assert_balanced(&app).await;
}

#[tokio::test]
async fn part_of_a_top_up_goes_back_to_the_card_never_more_than_was_paid() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let id = start_top_up(&app, &client, 25000).await.str("/paymentId");
    play(&app, &id, "complete", &client)
        .await
        .assert_status(200);

    let refund = format!("/api/payments/{id}/refund");
    app.post(&refund, json!({"amount": 30000}), Some(&client.access))
        .await
        .assert_error(400, "validation_failed");
    let back = app
        .post(&refund, json!({"amount": 5000}), Some(&client.access))
        .await;
    back.assert_status(200);
    assert_eq!(back.body["refunded"], 5000);
    assert_eq!(available(&app, &client).await, 20000);
    let statement = app
        .get("/api/wallet/transactions?type=refund", Some(&client.access))
        .await;
    assert_eq!(statement.body["data"][0]["direction"], "debit");
    assert_balanced(&app).await;
}

#[tokio::test]
async fn a_declined_payment_moves_nothing_and_both_outcomes_are_notified() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    app.top_up(&client, 25000).await;

    let declined = start_top_up(&app, &client, 9000).await;
    let failed = play(&app, &declined.str("/paymentId"), "fail", &client).await;
    assert_eq!(failed.body["status"], "failed");
    assert_eq!(available(&app, &client).await, 25000);
    let notes = app.get("/api/notifications", Some(&client.access)).await;
    let kinds: Vec<&str> = notes.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            n["type"]
                .as_str()
                .or(n["kind"].as_str())
                .unwrap_or_default()
        })
        .collect();
    assert!(
        kinds.contains(&"payment_succeeded") && kinds.contains(&"payment_failed"),
        "{kinds:?}"
    );
    assert_balanced(&app).await;
}

#[tokio::test]
async fn the_statement_lists_money_moved_newest_first_with_the_balance_after() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    // A top-up, part of it refunded, another top-up, a declined payment.
    let id = start_top_up(&app, &client, 25000).await.str("/paymentId");
    play(&app, &id, "complete", &client)
        .await
        .assert_status(200);
    app.post(
        &format!("/api/payments/{id}/refund"),
        json!({"amount": 5000}),
        Some(&client.access),
    )
    .await
    .assert_status(200);
    app.top_up(&client, 5000).await;
    let declined = start_top_up(&app, &client, 9000).await;
    play(&app, &declined.str("/paymentId"), "fail", &client)
        .await
        .assert_status(200);

    let statement = app
        .get("/api/wallet/transactions", Some(&client.access))
        .await;
    statement.assert_status(200);
    // Newest first: the second top-up, the refund to the card, the first top-up.
    assert_eq!(statement.body["pagination"]["totalItems"], 3);
    let kinds: Vec<(&str, &str, i64, i64)> = statement.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["type"].as_str().unwrap(),
                l["direction"].as_str().unwrap(),
                l["amount"].as_i64().unwrap(),
                l["balanceAfter"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        vec![
            ("deposit", "credit", 5000, 25000),
            ("refund", "debit", 5000, 20000),
            ("deposit", "credit", 25000, 25000)
        ]
    );
    let line = &statement.body["data"][2];
    assert_eq!(line["type"], "deposit");
    assert_eq!(line["direction"], "credit");
    assert_eq!(line["amount"], 25000);
    assert_eq!(line["balanceAfter"], 25000);
    assert_eq!(line["reference"]["paymentId"], id.as_str());
    app.get("/api/wallet/transactions?type=tip", Some(&client.access))
        .await
        .body["pagination"]["totalItems"]
        .as_u64()
        .map(|n| assert_eq!(n, 0))
        .unwrap();
    app.get("/api/wallet/transactions?type=bogus", Some(&client.access))
        .await
        .assert_error(400, "validation_failed");
    // Payments include the declined one.
    let history = app.get("/api/payments/history", Some(&client.access)).await;
    assert_eq!(history.body["pagination"]["totalItems"], 3);
    assert_balanced(&app).await;
}

#[tokio::test]
async fn escrow_is_funded_once_then_released_minus_the_commission_on_approval() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let outsider = app.register("client").await;
    let id = ContractBuilder::new(&app, &client, &craftsman)
        .create_id()
        .await;
    let fund = format!("/api/jobs/{id}/escrow/fund");

    let before = escrow(&app, &id, &craftsman).await;
    assert_eq!(before["status"], "unfunded");
    assert_eq!(before["amount"], 40000);
    assert_eq!(before["fee"], 2000);
    app.get(&format!("/api/jobs/{id}/escrow"), Some(&outsider.access))
        .await
        .assert_error(403, "not_a_party");
    // The craftsman cannot start yet.
    status(&app, &id, "in_progress", &craftsman, None)
        .await
        .assert_error(409, "escrow_not_funded");
    // Only the client funds, with enough money, the exact price.
    app.post(&fund, json!({}), Some(&craftsman.access))
        .await
        .assert_error(403, "clients_only");
    app.post(&fund, json!({}), Some(&outsider.access))
        .await
        .assert_error(403, "not_a_party");
    app.post(&fund, json!({}), Some(&client.access))
        .await
        .assert_error(409, "insufficient_funds");
    app.top_up(&client, 50000).await;
    app.post(&fund, json!({"amount": 100}), Some(&client.access))
        .await
        .assert_error(400, "validation_failed");
    app.post(&fund, json!({"source": "cash"}), Some(&client.access))
        .await
        .assert_error(400, "validation_failed");
    let funded = app
        .post(&fund, json!({"amount": 40000}), Some(&client.access))
        .await;
    funded.assert_status(200);
    assert_eq!(funded.body["escrow"]["status"], "held");
    assert_eq!(funded.body["escrow"]["held"], 40000);
    app.post(&fund, json!({}), Some(&client.access))
        .await
        .assert_error(409, "escrow_not_fundable");
    let balance = app.balance(&client).await;
    assert_eq!(balance["available"], 10000);
    assert_eq!(balance["held"], 40000);

    start_and_submit(&app, &id, &craftsman).await;
    app.post(
        &format!("/api/jobs/{id}/approve"),
        json!({}),
        Some(&client.access),
    )
    .await
    .assert_status(200);
    // Approving twice pays once.
    app.post(
        &format!("/api/jobs/{id}/approve"),
        json!({}),
        Some(&client.access),
    )
    .await
    .assert_error(409, "invalid_transition");
    assert_eq!(available(&app, &craftsman).await, 38000);
    assert_eq!(app.balance(&client).await["held"], 0);
    let after = escrow(&app, &id, &client).await;
    assert_eq!(after["status"], "released");
    assert_eq!(after["held"], 0);
    assert_eq!(after["released"], 38000);
    let statement = app
        .get("/api/wallet/transactions", Some(&craftsman.access))
        .await;
    assert_eq!(statement.body["data"][0]["type"], "escrow_release");
    assert_eq!(
        statement.body["data"][0]["reference"]["contractId"],
        after["contractId"]
    );
    assert_balanced(&app).await;
}

#[tokio::test]
async fn escrow_funded_through_the_gateway_fills_when_the_payment_confirms() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let id = ContractBuilder::new(&app, &client, &craftsman)
        .create_id()
        .await;
    let started = app
        .post(
            &format!("/api/jobs/{id}/escrow/fund"),
            json!({"source": "gateway", "gateway": "sandbox"}),
            Some(&client.access),
        )
        .await;
    started.assert_status(200);
    assert_eq!(started.body["escrow"]["status"], "unfunded");
    let payment = started.body["payment"]["paymentId"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(started.body["payment"]["purpose"], "escrow");
    assert_eq!(started.body["payment"]["amount"], 40000);
    app.post(
        &format!("/api/payments/sandbox/{payment}/complete"),
        json!({}),
        Some(&client.access),
    )
    .await
    .assert_status(200);
    assert_eq!(escrow(&app, &id, &client).await["status"], "held");
    assert_eq!(available(&app, &client).await, 0);
    // Cash-protected jobs fund only through Fawry; cash jobs have no escrow.
    let cash = ContractBuilder::new(&app, &client, &craftsman)
        .payment_type("cash")
        .price(30000)
        .create_id()
        .await;
    assert_eq!(escrow(&app, &cash, &client).await["status"], "none");
    app.post(
        &format!("/api/jobs/{cash}/escrow/fund"),
        json!({}),
        Some(&client.access),
    )
    .await
    .assert_error(409, "escrow_not_fundable");
    status(&app, &cash, "in_progress", &craftsman, None)
        .await
        .assert_status(200);
    let protected = ContractBuilder::new(&app, &client, &craftsman)
        .payment_type("cash_protected")
        .price(30000)
        .create_id()
        .await;
    app.top_up(&client, 30000).await;
    app.post(
        &format!("/api/jobs/{protected}/escrow/fund"),
        json!({"source": "wallet"}),
        Some(&client.access),
    )
    .await
    .assert_error(400, "validation_failed");
    app.post(
        &format!("/api/jobs/{protected}/escrow/fund"),
        json!({"gateway": "fawry"}),
        Some(&client.access),
    )
    .await
    .assert_error(409, "gateway_not_configured");
    assert_balanced(&app).await;
}

#[tokio::test]
async fn cancellation_follows_the_policy_and_disputes_freeze_until_staff_split() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let admin = app.staff(Role::Admin).await;

    // Client cancels after the craftsman set off: 10% to the craftsman (minus 5% of it), 90% back.
    let id = ContractBuilder::new(&app, &client, &craftsman)
        .funded()
        .create_id()
        .await;
    status(&app, &id, "on_the_way", &craftsman, None)
        .await
        .assert_status(200);
    status(&app, &id, "cancelled", &client, Some("changed my mind"))
        .await
        .assert_status(200);
    assert_eq!(available(&app, &client).await, 36000);
    assert_eq!(available(&app, &craftsman).await, 4000 - 200);
    let view = escrow(&app, &id, &client).await;
    assert_eq!(
        (
            view["status"].as_str(),
            view["refunded"].as_i64(),
            view["held"].as_i64()
        ),
        (Some("refunded"), Some(36000), Some(0))
    );

    // The craftsman cancels: everything goes back.
    let id = ContractBuilder::new(&app, &client, &craftsman)
        .funded()
        .create_id()
        .await;
    status(&app, &id, "in_progress", &craftsman, None)
        .await
        .assert_status(200);
    status(&app, &id, "cancelled", &craftsman, Some("sick"))
        .await
        .assert_status(200);
    assert_eq!(available(&app, &client).await, 36000 + 40000);

    // A dispute freezes the escrow; staff refund part and complete: the rest is released.
    let id = ContractBuilder::new(&app, &client, &craftsman)
        .funded()
        .create_id()
        .await;
    status(&app, &id, "in_progress", &craftsman, None)
        .await
        .assert_status(200);
    status(&app, &id, "disputed", &client, Some("bad tiles"))
        .await
        .assert_status(200);
    assert_eq!(escrow(&app, &id, &client).await["status"], "frozen");
    let contract = escrow(&app, &id, &client).await["contractId"]
        .as_str()
        .unwrap()
        .to_owned();
    let refund = format!("/api/admin/contracts/{contract}/refund");
    app.post(&refund, json!({"amount": 10000}), Some(&client.access))
        .await
        .assert_error(403, "staff_only");
    app.post(&refund, json!({"amount": 50000}), Some(&admin.access))
        .await
        .assert_error(400, "validation_failed");
    let split = app
        .post(
            &refund,
            json!({"amount": 10000, "reason": "half the tiles"}),
            Some(&admin.access),
        )
        .await;
    split.assert_status(200);
    assert_eq!(split.body["held"], 30000);
    assert_eq!(split.body["refunded"], 10000);
    let craftsman_before = available(&app, &craftsman).await;
    status(&app, &id, "completed", &admin, Some("split 25/75"))
        .await
        .assert_status(200);
    // 30,000 released with its share of the commission (1,500).
    assert_eq!(available(&app, &craftsman).await - craftsman_before, 28500);
    let view = escrow(&app, &id, &client).await;
    assert_eq!(
        (view["status"].as_str(), view["held"].as_i64()),
        (Some("released"), Some(0))
    );
    app.post(&refund, json!({}), Some(&admin.access))
        .await
        .assert_error(409, "escrow_empty");
    let log = app
        .get("/api/admin/activity-log", Some(&admin.access))
        .await;
    assert!(log.body.to_string().contains("admin.refund_escrow"));
    assert_balanced(&app).await;
}

/// The race an approval can lose: the client's approval reads what the
/// escrow holds, staff refund part of it, then the approval's release runs
/// with the figure it read. It is refused as a conflict (409 `conflict`,
/// not a lack of funds), nothing moves, and approving again releases what
/// is left.
#[tokio::test]
async fn an_approval_that_raced_a_staff_refund_is_a_conflict_and_moves_nothing() {
    use souk_core::{
        accounts::Role as R,
        error::ErrorCode,
        marketplace::{
            Actor, JobStatus,
            transitions::{Move, apply_transition},
        },
        store::contracts::job_for_transition,
    };
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let admin = app.staff(R::Admin).await;
    let id = ContractBuilder::new(&app, &client, &craftsman)
        .funded()
        .create_id()
        .await;
    start_and_submit(&app, &id, &craftsman).await;
    let job_id = uuid::Uuid::parse_str(&id).unwrap();
    let client_id = uuid::Uuid::parse_str(&client.id).unwrap();

    // The approval reads the job and what its escrow holds…
    let core = &app.core;
    let (job, seen) = job_for_transition(core.db.conn(), job_id, false)
        .await
        .unwrap();
    assert_eq!(seen.as_ref().map(|c| c.held), Some(40000));
    // …staff refund a quarter meanwhile…
    let contract = seen.as_ref().unwrap().contract.id;
    app.post(
        &format!("/api/admin/contracts/{contract}/refund"),
        json!({"amount": 10000, "reason": "one tap missing"}),
        Some(&admin.access),
    )
    .await
    .assert_status(200);
    // …and the approval goes on with the figure it read.
    let txn = core.db.begin_write().await.unwrap();
    let approval = Move {
        job: &job,
        contract: seen,
        to: JobStatus::Completed,
        actor: Actor::Client,
        by: Some(client_id),
        reason: None,
        share_bps: None,
    };
    let raced = apply_transition(core, &*txn, approval).await.unwrap_err();
    drop(txn);
    assert_eq!(raced.error_code(), ErrorCode::Conflict);
    assert_eq!(available(&app, &craftsman).await, 0);
    let view = escrow(&app, &id, &client).await;
    assert_eq!(
        (view["status"].as_str(), view["held"].as_i64()),
        (Some("held"), Some(30000))
    );

    // Approving again pays out what is left, commission in proportion.
    let approved = app
        .post(
            &format!("/api/jobs/{id}/approve"),
            json!({}),
            Some(&client.access),
        )
        .await;
    approved.assert_status(200);
    assert_eq!(approved.body["status"], "completed");
    assert_eq!(available(&app, &craftsman).await, 30000 - 1500);
    assert_eq!(available(&app, &client).await, 10000);
    assert_balanced(&app).await;
}

#[tokio::test]
async fn tips_go_from_the_client_to_the_craftsman_after_the_work() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let id = ContractBuilder::new(&app, &client, &craftsman)
        .funded()
        .create_id()
        .await;
    let tip = format!("/api/jobs/{id}/tip");
    app.post(&tip, json!({"amount": 500}), Some(&client.access))
        .await
        .assert_error(409, "tip_not_allowed");
    start_and_submit(&app, &id, &craftsman).await;
    app.post(&tip, json!({"amount": 500}), Some(&craftsman.access))
        .await
        .assert_error(403, "clients_only");
    app.post(&tip, json!({}), Some(&client.access))
        .await
        .assert_error(400, "validation_failed");
    app.post(&tip, json!({"amount": 500}), Some(&client.access))
        .await
        .assert_error(409, "insufficient_funds");
    app.top_up(&client, 1000).await;
    let given = app
        .post(&tip, json!({"amount": 600}), Some(&client.access))
        .await;
    given.assert_status(200);
    assert_eq!(given.body["craftsmanReceives"], 600);
    assert_eq!(available(&app, &craftsman).await, 600);
    assert_eq!(available(&app, &client).await, 400);
    // Through the gateway: the tip lands when the payment confirms.
    let started = app
        .post(
            &tip,
            json!({"amount": 300, "source": "gateway"}),
            Some(&client.access),
        )
        .await;
    started.assert_status(200);
    assert_eq!(started.body["craftsmanReceives"], 0);
    let payment = started.body["payment"]["paymentId"]
        .as_str()
        .unwrap()
        .to_owned();
    app.post(
        &format!("/api/payments/sandbox/{payment}/complete"),
        json!({}),
        Some(&client.access),
    )
    .await
    .assert_status(200);
    assert_eq!(available(&app, &craftsman).await, 900);
    assert_eq!(available(&app, &client).await, 400);
    let notes = app
        .get("/api/notifications?limit=1", Some(&craftsman.access))
        .await;
    assert_eq!(notes.body["data"][0]["data"]["amount"], 300);
    assert_balanced(&app).await;
}

#[tokio::test]
async fn cash_jobs_put_the_commission_in_debt_and_too_much_debt_stops_quoting() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let admin = app.staff(Role::Admin).await;
    app.put(
        "/api/admin/settings",
        json!({"cashDebtLimit": 1500}),
        Some(&admin.access),
    )
    .await
    .assert_status(200);
    let cash_job = |budget: i64| {
        let app = &app;
        let client = &client;
        let craftsman = &craftsman;
        async move {
            ContractBuilder::new(app, client, craftsman)
                .payment_type("cash")
                .price(budget)
                .create_id()
                .await
        }
    };
    let id = cash_job(40000).await;
    app.get("/api/wallet/fees-due", Some(&client.access))
        .await
        .assert_error(403, "craftsmen_only");
    start_and_submit(&app, &id, &craftsman).await;
    app.post(
        &format!("/api/jobs/{id}/approve"),
        json!({}),
        Some(&client.access),
    )
    .await
    .assert_status(200);
    let due = app
        .get("/api/wallet/fees-due", Some(&craftsman.access))
        .await;
    due.assert_status(200);
    assert_eq!(due.body["amount"], 2000);
    assert_eq!(due.body["quotingBlocked"], true);
    assert_eq!(due.body["recent"][0]["amount"], 2000);
    assert_eq!(app.balance(&craftsman).await["feeDebt"], 2000);
    // A reminder is scheduled, and a notification says what is owed.
    let notes = app
        .get("/api/notifications?limit=1", Some(&craftsman.access))
        .await;
    assert_eq!(notes.body["data"][0]["data"]["amount"], 2000);
    let reminders: i64 = scalar(
        &app,
        "SELECT COUNT(*) FROM outbox WHERE kind = 'fee_reminder' AND processed_at IS NULL",
    )
    .await;
    assert_eq!(reminders, 1);
    // Above the limit, no quoting.
    let other = JobBuilder::new(&app, &client).post().await;
    app.post(
        &format!("/api/jobs/{}/quotes", other["id"].as_str().unwrap()),
        json!({"price": 1000}),
        Some(&craftsman.access),
    )
    .await
    .assert_error(409, "fee_debt_limit");
    // Pay part from the wallet (more than owed is refused), then quoting is open again.
    let pay = "/api/wallet/fees/pay";
    app.post(pay, json!({"amount": 600}), Some(&craftsman.access))
        .await
        .assert_error(409, "insufficient_funds");
    app.top_up(&craftsman, 1000).await;
    app.post(pay, json!({"amount": 5000}), Some(&craftsman.access))
        .await
        .assert_error(400, "validation_failed");
    let paid = app
        .post(pay, json!({"amount": 600}), Some(&craftsman.access))
        .await;
    paid.assert_status(200);
    assert_eq!(paid.body["paid"], 600);
    assert_eq!(paid.body["feeDebt"], 1400);
    app.post(
        &format!("/api/jobs/{}/quotes", other["id"].as_str().unwrap()),
        json!({"price": 1000}),
        Some(&craftsman.access),
    )
    .await
    .assert_status(201);
    // The rest through the gateway.
    let started = app
        .post(pay, json!({"source": "gateway"}), Some(&craftsman.access))
        .await;
    started.assert_status(200);
    let payment = started.body["payment"]["paymentId"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(started.body["payment"]["amount"], 1400);
    app.post(
        &format!("/api/payments/sandbox/{payment}/complete"),
        json!({}),
        Some(&craftsman.access),
    )
    .await
    .assert_status(200);
    assert_eq!(app.balance(&craftsman).await["feeDebt"], 0);
    app.post(pay, json!({}), Some(&craftsman.access))
        .await
        .assert_error(409, "no_fees_due");
    // The reminder, when due, finds nothing owed and stops.
    souk_core::money::fees::remind(&app.core, craftsman.id.parse().unwrap())
        .await
        .unwrap();
    let reminders: i64 = scalar(
        &app,
        "SELECT COUNT(*) FROM outbox WHERE kind = 'fee_reminder' AND processed_at IS NULL",
    )
    .await;
    assert_eq!(reminders, 1, "no new reminder once paid");
    assert_balanced(&app).await;
}

/// One integer from raw SQL.
pub async fn scalar(app: &TestApp, sql: &str) -> i64 {
    use sea_orm::{ConnectionTrait, Statement};
    let conn = app.core.db.conn();
    let row = conn
        .query_one_raw(Statement::from_string(
            conn.get_database_backend(),
            sql.to_owned(),
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

#[tokio::test]
async fn withdrawals_hold_the_money_until_an_admin_pays_or_returns_it() {
    let app = TestApp::spawn().await;
    let craftsman = app.register("craftsman").await;
    let admin = app.staff(Role::Admin).await;
    let moderator = app.staff(Role::Moderator).await;
    app.put(
        "/api/admin/settings",
        json!({"withdrawalMinimum": 1000, "withdrawalFeeBps": 100, "withdrawalFeeFixed": 50}),
        Some(&admin.access),
    )
    .await
    .assert_status(200);
    app.top_up(&craftsman, 20000).await;
    let withdraw = "/api/wallet/withdraw";
    let ask =
        |amount: i64| json!({"amount": amount, "method": "sandbox", "destination": "test account"});
    app.post(withdraw, ask(999), Some(&craftsman.access))
        .await
        .assert_error(400, "validation_failed");
    app.post(
        withdraw,
        json!({"amount": 5000, "method": "pigeon", "destination": "x"}),
        Some(&craftsman.access),
    )
    .await
    .assert_error(400, "validation_failed");
    app.post(
        withdraw,
        json!({"amount": 5000, "method": "stripe", "destination": "iban"}),
        Some(&craftsman.access),
    )
    .await
    .assert_error(400, "validation_failed");
    app.post(withdraw, ask(30000), Some(&craftsman.access))
        .await
        .assert_error(409, "insufficient_funds");
    app.post(withdraw, ask(5000), Some(&admin.access))
        .await
        .assert_error(403, "forbidden");

    let first = app
        .post(withdraw, ask(10000), Some(&craftsman.access))
        .await;
    first.assert_status(201);
    assert_eq!(
        (first.body["fee"].as_i64(), first.body["net"].as_i64()),
        (Some(150), Some(9850))
    );
    let balance = app.balance(&craftsman).await;
    assert_eq!(
        (balance["available"].as_i64(), balance["held"].as_i64()),
        (Some(10000), Some(10000))
    );
    let second = app
        .post(
            withdraw,
            json!({"amount": 4000, "method": "bank_transfer", "destination": "EG38 0019 0005"}),
            Some(&craftsman.access),
        )
        .await;
    second.assert_status(201);

    let list = app
        .get(
            "/api/admin/withdrawals?status=pending",
            Some(&moderator.access),
        )
        .await;
    assert_eq!(list.body["pagination"]["totalItems"], 2);
    let approve = format!("/api/admin/withdrawals/{}/approve", first.str("/id"));
    app.post(&approve, json!({}), Some(&moderator.access))
        .await
        .assert_error(403, "admin_only");
    let done = app.post(&approve, json!({}), Some(&admin.access)).await;
    done.assert_status(200);
    assert_eq!(done.body["status"], "completed");
    assert!(done.str("/payoutReference").starts_with("sbx_payout_"));
    // Approving twice pays once.
    app.post(&approve, json!({}), Some(&admin.access))
        .await
        .assert_error(409, "withdrawal_not_pending");
    app.post(
        &format!("/api/admin/withdrawals/{}/reject", first.str("/id")),
        json!({}),
        Some(&admin.access),
    )
    .await
    .assert_error(409, "withdrawal_not_pending");

    let reject = format!("/api/admin/withdrawals/{}/reject", second.str("/id"));
    let rejected = app
        .post(
            &reject,
            json!({"reason": "name mismatch"}),
            Some(&admin.access),
        )
        .await;
    rejected.assert_status(200);
    assert_eq!(rejected.body["reason"], "name mismatch");
    let balance = app.balance(&craftsman).await;
    assert_eq!(
        (balance["available"].as_i64(), balance["held"].as_i64()),
        (Some(10000), Some(0))
    );
    let mine = app
        .get("/api/wallet/withdrawals", Some(&craftsman.access))
        .await;
    assert_eq!(mine.body["pagination"]["totalItems"], 2);
    let kinds: Vec<String> = app
        .get("/api/notifications", Some(&craftsman.access))
        .await
        .body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["data"].to_string())
        .collect();
    assert!(
        kinds.iter().any(|d| d.contains("name mismatch")),
        "{kinds:?}"
    );
    app.post(
        "/api/admin/withdrawals/00000000-0000-0000-0000-000000000000/approve",
        json!({}),
        Some(&admin.access),
    )
    .await
    .assert_error(404, "withdrawal_not_found");
    assert_balanced(&app).await;
}

#[tokio::test]
async fn an_idempotency_key_answers_the_first_response_again_and_moves_money_once() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let id = ContractBuilder::new(&app, &client, &craftsman)
        .funded()
        .create_id()
        .await;
    start_and_submit(&app, &id, &craftsman).await;
    app.top_up(&client, 5000).await;
    let tip = format!("/api/jobs/{id}/tip");
    let key = [("Idempotency-Key", "tip-7c1f")];
    let first = app
        .post_with(&tip, json!({"amount": 1000}), Some(&client.access), &key)
        .await;
    first.assert_status(200);
    let again = app
        .post_with(&tip, json!({"amount": 1000}), Some(&client.access), &key)
        .await;
    again.assert_status(200);
    assert_eq!(again.body, first.body);
    assert_eq!(again.headers["idempotent-replayed"], "true");
    assert_eq!(available(&app, &client).await, 4000, "one tip, not two");
    app.post_with(&tip, json!({"amount": 2000}), Some(&client.access), &key)
        .await
        .assert_error(409, "idempotency_key_reused");
    // Without a key, a second request is a second tip.
    app.post(&tip, json!({"amount": 1000}), Some(&client.access))
        .await
        .assert_status(200);
    assert_eq!(available(&app, &client).await, 3000);
    // Keys are per user, and a failed first attempt keeps nothing.
    let other = app.register("client").await;
    app.post_with(
        "/api/wallet/withdraw",
        json!({"amount": 999999, "method": "sandbox", "destination": "x"}),
        Some(&other.access),
        &key,
    )
    .await
    .assert_error(409, "insufficient_funds");
    app.top_up(&other, 999999).await;
    app.post_with(
        "/api/wallet/withdraw",
        json!({"amount": 999999, "method": "sandbox", "destination": "x"}),
        Some(&other.access),
        &key,
    )
    .await
    .assert_status(201);
    app.post_with(
        &tip,
        json!({"amount": 1}),
        Some(&client.access),
        &[("Idempotency-Key", "")],
    )
    .await
    .assert_error(400, "validation_failed");
    assert_balanced(&app).await;
}

/// `PUT /api/admin/settings` as `who`.
async fn put_settings(app: &TestApp, body: Value, who: &Account) -> TestResponse {
    app.put("/api/admin/settings", body, Some(&who.access))
        .await
}

/// Creates the "Starter" package (pay 100, get 110 EGP); returns its id.
async fn starter_package(app: &TestApp, admin: &Account) -> String {
    let create = app
        .post(
            "/api/admin/packages",
            json!({"nameEn": "Starter", "nameAr": "بداية", "price": 10000, "credit": 11000}),
            Some(&admin.access),
        )
        .await;
    create.assert_status(201);
    create.str("/id")
}

/// Buys a package through the sandbox gateway.
async fn buy_package(app: &TestApp, package: &str, who: &Account) -> TestResponse {
    let started = app
        .post(
            "/api/wallet/top-up",
            json!({"packageId": package}),
            Some(&who.access),
        )
        .await;
    started.assert_status(201);
    app.post(
        &format!(
            "/api/payments/sandbox/{}/complete",
            started.str("/paymentId")
        ),
        json!({}),
        Some(&who.access),
    )
    .await
    .assert_status(200);
    started
}

#[tokio::test]
async fn settings_start_at_5_percent_7_days_and_egp_and_are_for_admins() {
    let app = TestApp::spawn().await;
    let admin = app.staff(Role::Admin).await;
    let moderator = app.staff(Role::Moderator).await;
    let settings = app.get("/api/admin/settings", Some(&admin.access)).await;
    settings.assert_status(200);
    assert_eq!(settings.body["commissionBps"], 500);
    assert_eq!(settings.body["autoApproveDays"], 7);
    assert_eq!(settings.body["currency"], "EGP");
    app.get("/api/admin/settings", Some(&moderator.access))
        .await
        .assert_error(403, "admin_only");
}

#[tokio::test]
async fn settings_refuse_out_of_range_unknown_and_mistyped_values() {
    let app = TestApp::spawn().await;
    let admin = app.staff(Role::Admin).await;
    for bad in [
        json!({"commissionBps": 10001}),
        json!({"autoApproveDays": 0}),
        json!({"currency": "egp"}),
        json!({"nonsense": 1}),
        json!({"cancellationShareBps": {"completed": 100}}),
        json!({"commissionBps": "five"}),
        json!({"categoryCommissionBps": {"no-such": 100}}),
    ] {
        put_settings(&app, bad.clone(), &admin)
            .await
            .assert_error(400, "validation_failed");
    }
}

#[tokio::test]
async fn a_settings_change_leaves_untouched_fields_as_they_were() {
    let app = TestApp::spawn().await;
    let admin = app.staff(Role::Admin).await;
    let changed = put_settings(
        &app,
        json!({"commissionBps": 1000, "signupBonus": {"client": 5000, "craftsman": 1000},
        "categoryCommissionBps": {"plumbing": 250}}),
        &admin,
    )
    .await;
    changed.assert_status(200);
    assert_eq!(changed.body["commissionBps"], 1000);
    assert_eq!(changed.body["categoryCommissionBps"]["plumbing"], 250);
    assert_eq!(changed.body["autoApproveDays"], 7, "untouched fields stay");
}

#[tokio::test]
async fn new_members_get_the_signup_bonus_of_their_role() {
    let app = TestApp::spawn().await;
    let admin = app.staff(Role::Admin).await;
    put_settings(
        &app,
        json!({"signupBonus": {"client": 5000, "craftsman": 1000}}),
        &admin,
    )
    .await
    .assert_status(200);

    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    assert_eq!(available(&app, &client).await, 5000);
    assert_eq!(available(&app, &craftsman).await, 1000);
    assert_balanced(&app).await;
}

#[tokio::test]
async fn at_hire_a_categorys_own_commission_wins_over_the_default() {
    let app = TestApp::spawn().await;
    let admin = app.staff(Role::Admin).await;
    put_settings(
        &app,
        json!({"commissionBps": 1000, "categoryCommissionBps": {"plumbing": 250}}),
        &admin,
    )
    .await
    .assert_status(200);
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;

    // Plumbing (the default job's category): 2.5%.
    let hired = ContractBuilder::new(&app, &client, &craftsman)
        .price(20000)
        .create()
        .await
        .hired;
    assert_eq!(hired["contract"]["platformFee"], 500);
    assert_eq!(hired["contract"]["feeBps"], 250);
    // Anything else: the default, now 10%.
    let hired = ContractBuilder::new(&app, &client, &craftsman)
        .category("electrical")
        .price(20000)
        .create()
        .await
        .hired;
    assert_eq!(hired["contract"]["platformFee"], 2000);
}

#[tokio::test]
async fn admins_sell_packages_that_credit_more_than_they_cost() {
    let app = TestApp::spawn().await;
    let admin = app.staff(Role::Admin).await;
    let moderator = app.staff(Role::Moderator).await;
    let client = app.register("client").await;
    let package = starter_package(&app, &admin).await;
    app.post(
        "/api/admin/packages",
        json!({"nameEn": "Bad", "nameAr": "سيئ", "price": 10000, "credit": 9000}),
        Some(&admin.access),
    )
    .await
    .assert_error(400, "validation_failed");
    app.post(
        "/api/admin/packages",
        json!({"nameEn": "X"}),
        Some(&moderator.access),
    )
    .await
    .assert_error(403, "admin_only");

    // Members see the active ones, in their language; buying one adds the extra.
    let listed = app
        .call(
            axum::http::Method::GET,
            "/api/wallet/packages",
            None,
            Some(&client.access),
            &[("Accept-Language", "ar")],
        )
        .await;
    assert_eq!(listed.body[0]["name"], "بداية");
    let started = buy_package(&app, &package, &client).await;
    assert_eq!(
        (
            started.body["amount"].as_i64(),
            started.body["credit"].as_i64()
        ),
        (Some(10000), Some(11000))
    );
    assert_eq!(available(&app, &client).await, 11000);
    assert_balanced(&app).await;
}

#[tokio::test]
async fn a_bought_package_is_archived_not_deleted_and_no_longer_sold() {
    let app = TestApp::spawn().await;
    let admin = app.staff(Role::Admin).await;
    let client = app.register("client").await;
    let package = starter_package(&app, &admin).await;
    buy_package(&app, &package, &client).await;

    let deleted = app
        .delete(
            &format!("/api/admin/packages/{package}"),
            Some(&admin.access),
        )
        .await;
    assert_eq!(deleted.body["archived"], true);
    assert_eq!(
        app.get("/api/wallet/packages", Some(&client.access))
            .await
            .body,
        json!([])
    );
    app.post(
        "/api/wallet/top-up",
        json!({"packageId": package}),
        Some(&client.access),
    )
    .await
    .assert_error(404, "package_not_found");
}

#[tokio::test]
async fn the_currency_is_locked_once_money_moved() {
    let app = TestApp::spawn().await;
    let admin = app.staff(Role::Admin).await;
    let client = app.register("client").await;
    app.top_up(&client, 10000).await;

    put_settings(&app, json!({"currency": "USD"}), &admin)
        .await
        .assert_error(409, "currency_locked");
    assert_balanced(&app).await;
}

/// Moves a job's submission `days` into the past (time passing).
async fn backdate_submission(app: &TestApp, id: &str, days: i64) {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
    use souk_db::entities::jobs;
    let past = chrono::Utc::now() - chrono::Duration::days(days);
    let moved = jobs::Entity::update_many()
        .col_expr(jobs::Column::SubmittedAt, Expr::value(past))
        .filter(jobs::Column::Id.eq(id.parse::<uuid::Uuid>().unwrap()))
        .exec(app.core.db.conn())
        .await
        .unwrap();
    assert_eq!(moved.rows_affected, 1);
}

async fn approve_due(app: &TestApp) -> usize {
    souk_core::marketplace::auto_approve::approve_due(&app.core)
        .await
        .unwrap()
}

#[tokio::test]
async fn submitted_work_nobody_answers_is_approved_and_paid_after_the_configured_days() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let answered = ContractBuilder::new(&app, &client, &craftsman)
        .funded()
        .create_id()
        .await;
    let revised = ContractBuilder::new(&app, &client, &craftsman)
        .funded()
        .create_id()
        .await;
    for id in [&answered, &revised] {
        start_and_submit(&app, id, &craftsman).await;
    }
    assert_eq!(approve_due(&app).await, 0);
    // The client sends one back for changes; then eight days pass.
    status(
        &app,
        &revised,
        "in_progress",
        &client,
        Some("the tap still drips"),
    )
    .await
    .assert_status(200);
    backdate_submission(&app, &answered, 8).await;
    backdate_submission(&app, &revised, 8).await;
    // Only the work still awaiting approval is approved; the other job's old
    // submission counts for nothing.
    assert_eq!(approve_due(&app).await, 1);
    let job = app
        .get(&format!("/api/jobs/{answered}"), Some(&client.access))
        .await;
    assert_eq!(job.body["status"], "completed");
    let job = app
        .get(&format!("/api/jobs/{revised}"), Some(&client.access))
        .await;
    assert_eq!(job.body["status"], "in_progress");
    assert_eq!(available(&app, &craftsman).await, 38000);
    assert_eq!(approve_due(&app).await, 0);
    // Submitted again: the days count from the new submission.
    app.post(
        &format!("/api/jobs/{revised}/submit"),
        json!({}),
        Some(&craftsman.access),
    )
    .await
    .assert_status(200);
    assert_eq!(approve_due(&app).await, 0);
    backdate_submission(&app, &revised, 8).await;
    assert_eq!(approve_due(&app).await, 1);
    assert_eq!(available(&app, &craftsman).await, 76000);
    assert_eq!(approve_due(&app).await, 0);
    assert_balanced(&app).await;
}

#[tokio::test]
async fn a_job_deleted_by_staff_gives_its_escrow_back_to_the_client() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let admin = app.staff(Role::Admin).await;
    let id = ContractBuilder::new(&app, &client, &craftsman)
        .funded()
        .create_id()
        .await;
    assert_eq!(available(&app, &client).await, 0);
    app.delete(&format!("/api/admin/jobs/{id}"), Some(&admin.access))
        .await
        .assert_status(200);
    let balance = app.balance(&client).await;
    assert_eq!(
        (balance["available"].as_i64(), balance["held"].as_i64()),
        (Some(40000), Some(0))
    );
    assert_balanced(&app).await;
}
