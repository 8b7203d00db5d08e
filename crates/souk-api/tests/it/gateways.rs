//! Payment gateways end to end: Stripe Checkout against a local server that
//! speaks Stripe's protocol, with webhooks signed by Stripe's official
//! library (npm `stripe`); Fawry reference codes and callbacks signed per
//! Fawry's published scheme; the sandbox's signed webhook. Replays move
//! nothing; tampered or stale signatures are refused.
#![allow(clippy::unwrap_used)]

use std::{
    path::PathBuf,
    process::Command,
    sync::{Arc, Mutex},
};

use axum::{
    Json, Router,
    body::Body,
    extract::State,
    http::{HeaderMap, Request, StatusCode},
    routing::post,
};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use souk_core::{
    accounts::Role,
    settings::{FawrySettings, StripeSettings},
};

use crate::{money::assert_balanced, support::*};

const STRIPE_KEY: &str = "sk_test_souk";
const STRIPE_WHSEC: &str = "whsec_souk_test_secret";
const FAWRY_MERCHANT: &str = "souk_merchant";
const FAWRY_KEY: &str = "fawry_secure_key";

/// What the local gateway server received: (path, headers, body).
type Calls = Arc<Mutex<Vec<(String, HeaderMap, String)>>>;

/// A local server speaking the slice of Stripe's and Fawry's HTTP APIs Souk
/// uses; it checks credentials and signatures the way they do.
async fn fake_gateways() -> (String, Calls) {
    let calls: Calls = Arc::default();
    async fn stripe_session(
        State(calls): State<Calls>,
        headers: HeaderMap,
        body: String,
    ) -> (StatusCode, Json<Value>) {
        let n = {
            let mut calls = calls.lock().unwrap();
            calls.push(("/v1/checkout/sessions".into(), headers.clone(), body));
            calls.len()
        };
        if headers.get("authorization").and_then(|v| v.to_str().ok())
            != Some(&format!("Bearer {STRIPE_KEY}"))
        {
            return (
                StatusCode::UNAUTHORIZED,
                Json(
                    json!({"error": {"type": "invalid_request_error", "message": "Invalid API Key"}}),
                ),
            );
        }
        let id = format!("cs_test_{n}");
        (
            StatusCode::OK,
            Json(
                json!({"id": id, "object": "checkout.session", "url": format!("https://checkout.stripe.test/c/pay/{id}"),
            "status": "open", "payment_status": "unpaid", "payment_intent": null}),
            ),
        )
    }
    async fn stripe_transfer(
        State(calls): State<Calls>,
        headers: HeaderMap,
        body: String,
    ) -> Json<Value> {
        let n = {
            let mut calls = calls.lock().unwrap();
            calls.push(("/v1/transfers".into(), headers, body));
            calls.len()
        };
        Json(json!({"id": format!("tr_test_{n}"), "object": "transfer"}))
    }
    async fn fawry_charge(
        State(calls): State<Calls>,
        headers: HeaderMap,
        body: String,
    ) -> Json<Value> {
        calls
            .lock()
            .unwrap()
            .push(("/fawry/charge".into(), headers, body.clone()));
        let charge: Value = serde_json::from_str(&body).unwrap();
        // Fawry's charge signature: SHA-256 of merchantCode, merchantRefNum,
        // customerProfileId, paymentMethod, amount (two decimals), secure key.
        let expected = hex::encode(Sha256::digest(format!(
            "{}{}{}{}{:.2}{FAWRY_KEY}",
            charge["merchantCode"].as_str().unwrap(),
            charge["merchantRefNum"].as_str().unwrap(),
            charge["customerProfileId"].as_str().unwrap(),
            charge["paymentMethod"].as_str().unwrap(),
            charge["amount"].as_f64().unwrap(),
        )));
        if charge["signature"] != expected.as_str() {
            return Json(
                json!({"type": "ChargeResponse", "statusCode": 9946, "statusDescription": "INVALID_SIGNATURE"}),
            );
        }
        Json(
            json!({"type": "ChargeResponse", "referenceNumber": "931215518", "merchantRefNumber": charge["merchantRefNum"],
            "statusCode": 200, "statusDescription": "Operation done successfully"}),
        )
    }
    async fn stripe_refund(
        State(calls): State<Calls>,
        headers: HeaderMap,
        body: String,
    ) -> Json<Value> {
        let n = {
            let mut calls = calls.lock().unwrap();
            calls.push(("/v1/refunds".into(), headers, body));
            calls.len()
        };
        Json(json!({"id": format!("re_test_{n}"), "object": "refund", "status": "succeeded"}))
    }
    let router = Router::new()
        .route("/v1/checkout/sessions", post(stripe_session))
        .route("/v1/refunds", post(stripe_refund))
        .route("/v1/transfers", post(stripe_transfer))
        .route("/ECommerceWeb/Fawry/payments/charge", post(fawry_charge))
        .with_state(calls.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    (url, calls)
}

/// A `Stripe-Signature` header from Stripe's own library (installed from
/// npm on first use).
fn stripe_header(payload: &str, secret: &str, timestamp: i64) -> String {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/stripe");
    if !dir.join("node_modules/stripe").exists() {
        let installed = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--silent"])
            .current_dir(&dir)
            .status()
            .expect("npm is needed to install Stripe's library");
        assert!(installed.success(), "npm ci in {}", dir.display());
    }
    let mut child = Command::new("node")
        .arg("sign.js")
        .arg(secret)
        .arg(timestamp.to_string())
        .current_dir(&dir)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("node");
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(payload.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

async fn webhook(
    app: &TestApp,
    gateway: &str,
    body: &str,
    headers: &[(&str, &str)],
) -> TestResponse {
    let mut request = Request::builder()
        .method("POST")
        .uri(format!("/api/payments/webhook/{gateway}"))
        .header("content-type", "application/json");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    app.send(request.body(Body::from(body.to_owned())).unwrap())
        .await
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn session_event(
    event: &str,
    kind: &str,
    session: &str,
    payment: &str,
    amount: i64,
    paid: bool,
) -> String {
    json!({
        "id": event, "object": "event", "type": kind, "livemode": false, "created": now(),
        "data": {"object": {
            "id": session, "object": "checkout.session", "mode": "payment",
            "status": if paid { "complete" } else { "expired" },
            "payment_status": if paid { "paid" } else { "unpaid" },
            "amount_total": amount, "currency": "egp", "payment_intent": "pi_test_1",
            "client_reference_id": payment, "metadata": {"payment_id": payment},
        }},
    })
    .to_string()
}

/// An app whose Stripe credentials point at the local gateway server.
async fn stripe_app() -> (TestApp, Calls) {
    let (url, calls) = fake_gateways().await;
    let app = TestApp::with(Options {
        stripe: Some(StripeSettings {
            secret_key: STRIPE_KEY.into(),
            webhook_secret: STRIPE_WHSEC.into(),
            api_base: url,
        }),
        ..Options::default()
    })
    .await;
    (app, calls)
}

/// Starts a Stripe Checkout top-up of `amount` (answered 201).
async fn stripe_top_up(app: &TestApp, who: &Account, amount: i64) -> TestResponse {
    let started = app
        .post(
            "/api/wallet/top-up",
            json!({"amount": amount, "gateway": "stripe"}),
            Some(&who.access),
        )
        .await;
    started.assert_status(201);
    started
}

/// The Checkout Session id at the end of a top-up's checkout URL.
fn session_of(started: &TestResponse) -> String {
    started
        .str("/checkoutUrl")
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned()
}

/// Delivers a Stripe event with a fresh, valid signature.
async fn signed_stripe_webhook(app: &TestApp, body: &str) -> TestResponse {
    let signature = stripe_header(body, STRIPE_WHSEC, now());
    webhook(app, "stripe", body, &[("Stripe-Signature", &signature)]).await
}

/// A Stripe top-up of `amount`, paid and settled through a signed webhook;
/// returns its payment id.
async fn settled_stripe_top_up(app: &TestApp, who: &Account, amount: i64) -> String {
    let started = stripe_top_up(app, who, amount).await;
    let payment = started.str("/paymentId");
    let body = session_event(
        "evt_1",
        "checkout.session.completed",
        &session_of(&started),
        &payment,
        amount,
        true,
    );
    let settled = signed_stripe_webhook(app, &body).await;
    settled.assert_status(200);
    assert_eq!(settled.body["result"], "settled");
    payment
}

#[tokio::test]
async fn a_stripe_checkout_is_opened_for_the_amount_in_egp_with_an_idempotency_key() {
    let (app, calls) = stripe_app().await;
    let client = app.register("client").await;

    let started = stripe_top_up(&app, &client, 15000).await;
    let payment = started.str("/paymentId");
    assert_eq!(
        started.str("/checkoutUrl"),
        "https://checkout.stripe.test/c/pay/cs_test_1"
    );
    let calls = calls.lock().unwrap();
    let (_, headers, form) = &calls[0];
    let form: Vec<(String, String)> = serde_urlencoded::from_str(form).unwrap();
    let field = |k: &str| {
        form.iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
    };
    assert_eq!(
        field("line_items[0][price_data][unit_amount]").as_deref(),
        Some("15000")
    );
    assert_eq!(
        field("line_items[0][price_data][currency]").as_deref(),
        Some("egp")
    );
    assert_eq!(
        field("metadata[payment_id]").as_deref(),
        Some(payment.as_str())
    );
    assert!(headers.get("idempotency-key").is_some());
}

#[tokio::test]
async fn a_stripe_webhook_that_is_tampered_stale_or_unsigned_moves_nothing() {
    let (app, _calls) = stripe_app().await;
    let client = app.register("client").await;
    let started = stripe_top_up(&app, &client, 15000).await;
    let body = session_event(
        "evt_1",
        "checkout.session.completed",
        &session_of(&started),
        &started.str("/paymentId"),
        15000,
        true,
    );
    let signature = stripe_header(&body, STRIPE_WHSEC, now());

    let tampered = body.replace("15000", "95000");
    webhook(
        &app,
        "stripe",
        &tampered,
        &[("Stripe-Signature", &signature)],
    )
    .await
    .assert_error(400, "invalid_signature");
    let wrong = stripe_header(&body, "whsec_someone_else", now());
    webhook(&app, "stripe", &body, &[("Stripe-Signature", &wrong)])
        .await
        .assert_error(400, "invalid_signature");
    let stale = stripe_header(&body, STRIPE_WHSEC, now() - 301);
    webhook(&app, "stripe", &body, &[("Stripe-Signature", &stale)])
        .await
        .assert_error(400, "invalid_signature");
    webhook(&app, "stripe", &body, &[])
        .await
        .assert_error(400, "invalid_signature");
    assert_eq!(app.balance(&client).await["available"], 0);
}

#[tokio::test]
async fn a_signed_stripe_webhook_settles_a_top_up_once() {
    let (app, _calls) = stripe_app().await;
    let client = app.register("client").await;
    let started = stripe_top_up(&app, &client, 15000).await;
    let payment = started.str("/paymentId");
    let body = session_event(
        "evt_1",
        "checkout.session.completed",
        &session_of(&started),
        &payment,
        15000,
        true,
    );
    let signature = stripe_header(&body, STRIPE_WHSEC, now());

    let settled = webhook(&app, "stripe", &body, &[("Stripe-Signature", &signature)]).await;
    settled.assert_status(200);
    assert_eq!(settled.body["result"], "settled");
    assert_eq!(app.balance(&client).await["available"], 15000);
    // The same event again, and another event for the same payment: nothing moves.
    let replay = webhook(&app, "stripe", &body, &[("Stripe-Signature", &signature)]).await;
    assert_eq!(replay.body["result"], "duplicate");
    let again = session_event(
        "evt_2",
        "checkout.session.async_payment_succeeded",
        &session_of(&started),
        &payment,
        15000,
        true,
    );
    let resent = signed_stripe_webhook(&app, &again).await;
    assert_eq!(resent.body["result"], "already_settled");
    assert_eq!(app.balance(&client).await["available"], 15000);
    assert_balanced(&app).await;
}

#[tokio::test]
async fn part_of_a_stripe_top_up_goes_back_to_the_card_never_more() {
    let (app, calls) = stripe_app().await;
    let client = app.register("client").await;
    let payment = settled_stripe_top_up(&app, &client, 15000).await;

    let refund = format!("/api/payments/{payment}/refund");
    app.post(&refund, json!({"amount": 20000}), Some(&client.access))
        .await
        .assert_error(400, "validation_failed");
    let refunded = app
        .post(&refund, json!({"amount": 5000}), Some(&client.access))
        .await;
    refunded.assert_status(200);
    assert_eq!(refunded.body["refunded"], 5000);
    assert_eq!(app.balance(&client).await["available"], 10000);
    {
        // Against the PaymentIntent the settling event named.
        let calls = calls.lock().unwrap();
        let (path, _, form) = calls.last().unwrap();
        assert_eq!(path, "/v1/refunds");
        assert!(
            form.contains("payment_intent=pi_test_1") && form.contains("amount=5000"),
            "{form}"
        );
    }
    assert_balanced(&app).await;
}

#[tokio::test]
async fn an_expired_stripe_checkout_fails_its_payment_and_credits_nothing() {
    let (app, _calls) = stripe_app().await;
    let client = app.register("client").await;
    let started = stripe_top_up(&app, &client, 7000).await;
    let payment = started.str("/paymentId");

    let expired = session_event(
        "evt_3",
        "checkout.session.expired",
        &session_of(&started),
        &payment,
        7000,
        false,
    );
    signed_stripe_webhook(&app, &expired)
        .await
        .assert_status(200);
    let failed = app
        .get(&format!("/api/payments/{payment}"), Some(&client.access))
        .await;
    assert_eq!(failed.body["status"], "failed");
    assert_eq!(app.balance(&client).await["available"], 0);
}

#[tokio::test]
async fn withdrawals_to_a_connected_account_are_paid_out_as_stripe_transfers() {
    let (app, calls) = stripe_app().await;
    let client = app.register("client").await;
    settled_stripe_top_up(&app, &client, 10000).await;

    let withdrawal = app
        .post(
            "/api/wallet/withdraw",
            json!({"amount": 10000, "method": "stripe", "destination": "acct_1Souk"}),
            Some(&client.access),
        )
        .await;
    withdrawal.assert_status(201);
    let admin = app.staff(Role::Admin).await;
    let paid = app
        .post(
            &format!("/api/admin/withdrawals/{}/approve", withdrawal.str("/id")),
            json!({}),
            Some(&admin.access),
        )
        .await;
    paid.assert_status(200);
    assert!(paid.str("/payoutReference").starts_with("tr_test_"));
    {
        let calls = calls.lock().unwrap();
        let (path, _, form) = calls.last().unwrap();
        assert_eq!(path, "/v1/transfers");
        assert!(
            form.contains("destination=acct_1Souk") && form.contains("amount=10000"),
            "{form}"
        );
    }
    assert_balanced(&app).await;
}

/// Fawry's V2 notification signature, computed here from the published
/// field order, independently of the server's code.
fn fawry_signature(n: &Value) -> String {
    let text = |k: &str| {
        n[k].as_str()
            .map(str::to_owned)
            .unwrap_or_else(|| n[k].to_string())
    };
    hex::encode(Sha256::digest(format!(
        "{}{}{:.2}{:.2}{}{}{}{FAWRY_KEY}",
        text("fawryRefNumber"),
        text("merchantRefNumber"),
        n["paymentAmount"].as_f64().unwrap(),
        n["orderAmount"].as_f64().unwrap(),
        text("orderStatus"),
        text("paymentMethod"),
        n["paymentRefrenceNumber"].as_str().unwrap_or_default(),
    )))
}

#[tokio::test]
async fn fawry_reference_codes_fund_cash_protected_escrow_on_a_signed_callback() {
    let (url, _calls) = fake_gateways().await;
    let app = TestApp::with(Options {
        fawry: Some(FawrySettings {
            merchant_code: FAWRY_MERCHANT.into(),
            secure_key: FAWRY_KEY.into(),
            api_base: url,
        }),
        ..Options::default()
    })
    .await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let id = ContractBuilder::new(&app, &client, &craftsman)
        .payment_type("cash_protected")
        .create_id()
        .await;
    let started = app
        .post(
            &format!("/api/jobs/{id}/escrow/fund"),
            json!({"gateway": "fawry"}),
            Some(&client.access),
        )
        .await;
    started.assert_status(200);
    assert_eq!(started.body["payment"]["referenceCode"], "931215518");
    let payment = started.body["payment"]["paymentId"]
        .as_str()
        .unwrap()
        .replace('-', "");

    let mut notice = json!({
        "requestId": "c72827d084ea4b88949d91dd2db4996e", "fawryRefNumber": "931215518",
        "merchantRefNumber": payment, "customerMobile": "01000000200", "paymentAmount": 402.00,
        "orderAmount": 400.00, "fawryFees": 2.00, "orderStatus": "PAID", "paymentMethod": "PAYATFAWRY",
        "paymentRefrenceNumber": "24480",
    });
    notice["messageSignature"] = json!(fawry_signature(&notice));
    let mut forged = notice.clone();
    forged["orderStatus"] = json!("PAID");
    forged["paymentRefrenceNumber"] = json!("99999");
    webhook(&app, "fawry", &forged.to_string(), &[])
        .await
        .assert_error(400, "invalid_signature");
    assert_eq!(
        app.get(&format!("/api/jobs/{id}/escrow"), Some(&client.access))
            .await
            .body["status"],
        "unfunded"
    );

    let settled = webhook(&app, "fawry", &notice.to_string(), &[]).await;
    settled.assert_status(200);
    assert_eq!(settled.body["result"], "settled");
    let escrow = app
        .get(&format!("/api/jobs/{id}/escrow"), Some(&client.access))
        .await;
    assert_eq!(
        (escrow.body["status"].as_str(), escrow.body["held"].as_i64()),
        (Some("held"), Some(40000))
    );
    assert_eq!(
        webhook(&app, "fawry", &notice.to_string(), &[]).await.body["result"],
        "duplicate"
    );
    app.patch(
        &format!("/api/jobs/{id}/status"),
        json!({"status": "on_the_way"}),
        Some(&craftsman.access),
    )
    .await
    .assert_status(200);
    webhook(&app, "paypal", "{}", &[])
        .await
        .assert_error(404, "unknown_gateway");
    assert_balanced(&app).await;
}

#[tokio::test]
async fn the_sandbox_webhook_checks_its_signature_and_moves_money_once() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let job = ContractBuilder::new(&app, &client, &craftsman)
        .create_id()
        .await;
    let started = app
        .post(
            "/api/payments/initiate",
            json!({"purpose": "escrow", "jobId": job}),
            Some(&client.access),
        )
        .await;
    started.assert_status(201);
    let payment = started.str("/paymentId");
    let body = json!({"id": "evt_sbx_1", "type": "payment.succeeded", "paymentId": payment, "amount": 40000}).to_string();
    let sandbox = &app.core.gateways.sandbox;
    let signature = sandbox.sign(body.as_bytes(), now());
    webhook(
        &app,
        "sandbox",
        &body,
        &[(
            "Souk-Signature",
            &sandbox.sign(body.as_bytes(), now() - 400),
        )],
    )
    .await
    .assert_error(400, "invalid_signature");
    webhook(
        &app,
        "sandbox",
        &body.replace("40000", "4"),
        &[("Souk-Signature", &signature)],
    )
    .await
    .assert_error(400, "invalid_signature");
    webhook(&app, "sandbox", &body, &[("Souk-Signature", "t=1,v1=00")])
        .await
        .assert_error(400, "invalid_signature");
    assert_eq!(
        webhook(&app, "sandbox", &body, &[("Souk-Signature", &signature)])
            .await
            .body["result"],
        "settled"
    );
    assert_eq!(
        webhook(&app, "sandbox", &body, &[("Souk-Signature", &signature)])
            .await
            .body["result"],
        "duplicate"
    );
    let escrow = app
        .get(&format!("/api/jobs/{job}/escrow"), Some(&client.access))
        .await;
    assert_eq!(escrow.body["held"], 40000);
    app.post(
        "/api/payments/initiate",
        json!({"purpose": "escrow", "jobId": job}),
        Some(&client.access),
    )
    .await
    .assert_error(409, "escrow_not_fundable");
    app.post(
        "/api/payments/initiate",
        json!({"purpose": "gift"}),
        Some(&client.access),
    )
    .await
    .assert_error(400, "validation_failed");
    assert_balanced(&app).await;
}
