//! Integrators end to end: API keys (secret shown once, scopes, revocation),
//! and signed webhooks delivered to a real receiver on a loopback port that
//! checks `Souk-Signature` itself — retries on the test clock, per-resource
//! order behind a failing delivery, replays, event filters, SSRF refusals,
//! and an endpoint switched off after failing for five days.
#![allow(clippy::unwrap_used)]

use std::{
    collections::{BTreeMap, HashMap},
    sync::{Arc, Mutex},
    time::Duration,
};

use axum::{
    Router,
    extract::State,
    http::{HeaderMap, StatusCode},
    routing::post,
};
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;
use souk_core::accounts::Role;

use crate::support::*;

/// What a receiver saw of one POST.
#[derive(Clone, Debug)]
struct Received {
    signature_ok: bool,
    event_id: Option<String>,
    sequence: Option<String>,
    body: Value,
    /// The status the receiver answered.
    answered: u16,
}

/// How the receiver answers requests whose signature is good.
struct Behaviour {
    secret: String,
    /// Answer 500 to this many more requests (then 200).
    failures_left: usize,
}

#[derive(Clone)]
struct ReceiverState {
    behaviour: Arc<Mutex<Behaviour>>,
    seen: Arc<Mutex<Vec<Received>>>,
}

/// An integrator's webhook receiver on `127.0.0.1:0`: it verifies the
/// signature with the endpoint's secret (400 when it does not match),
/// then answers 500 while it is told to fail, 200 otherwise.
struct Receiver {
    url: String,
    state: ReceiverState,
}

/// How far a signature's timestamp may be from now (Stripe's default).
const TOLERANCE_SECS: i64 = 300;

/// Whether `header` (`t=…,v1=…`) signs `body` with `secret`, recently.
fn signature_ok(secret: &str, header: &str, body: &str) -> bool {
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        match part.trim().split_once('=') {
            Some(("t", t)) => timestamp = t.parse::<i64>().ok(),
            Some(("v1", v1)) => signatures.extend(hex::decode(v1).ok()),
            _ => {}
        }
    }
    let Some(timestamp) = timestamp else {
        return false;
    };
    if (chrono::Utc::now().timestamp() - timestamp).abs() > TOLERANCE_SECS {
        return false;
    }
    signatures.iter().any(|signature| {
        let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
        mac.update(format!("{timestamp}.{body}").as_bytes());
        mac.verify_slice(signature).is_ok()
    })
}

async fn receive(
    State(state): State<ReceiverState>,
    headers: HeaderMap,
    body: String,
) -> (StatusCode, &'static str) {
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let (signature_ok, answer) = {
        let mut behaviour = state.behaviour.lock().unwrap();
        let ok = header("souk-signature")
            .is_some_and(|sig| signature_ok(&behaviour.secret, &sig, &body));
        let answer = if !ok {
            (StatusCode::BAD_REQUEST, "bad signature")
        } else if behaviour.failures_left > 0 {
            behaviour.failures_left -= 1;
            (StatusCode::INTERNAL_SERVER_ERROR, "receiver is down")
        } else {
            (StatusCode::OK, "thanks")
        };
        (ok, answer)
    };
    if answer.0 == StatusCode::INTERNAL_SERVER_ERROR {
        // A slow failure, so the attempt log has a latency to show.
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    state.seen.lock().unwrap().push(Received {
        signature_ok,
        event_id: header("souk-event-id"),
        sequence: header("souk-sequence"),
        body: serde_json::from_str(&body).unwrap_or(Value::Null),
        answered: answer.0.as_u16(),
    });
    answer
}

impl Receiver {
    async fn start() -> Self {
        let state = ReceiverState {
            behaviour: Arc::new(Mutex::new(Behaviour {
                secret: String::new(),
                failures_left: 0,
            })),
            seen: Arc::default(),
        };
        let router = Router::new()
            .route("/hook", post(receive))
            .with_state(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, router).await });
        Self {
            url: format!("http://{address}/hook"),
            state,
        }
    }

    /// The signing secret the endpoint was given.
    fn trust(&self, secret: &str) {
        self.state.behaviour.lock().unwrap().secret = secret.to_owned();
    }

    /// Answers 500 to the next `n` well-signed requests.
    fn fail_next(&self, n: usize) {
        self.state.behaviour.lock().unwrap().failures_left = n;
    }

    fn seen(&self) -> Vec<Received> {
        self.state.seen.lock().unwrap().clone()
    }

    /// The requests it answered 200, in arrival order.
    fn accepted(&self) -> Vec<Received> {
        self.seen()
            .into_iter()
            .filter(|r| r.answered == 200)
            .collect()
    }
}

/// Polls `probe` (poking the dispatcher each time) until it yields, 15 s
/// at most; `None` when it never did.
async fn poll<T>(app: &TestApp, mut probe: impl AsyncFnMut() -> Option<T>) -> Option<T> {
    for _ in 0..300 {
        if let Some(found) = probe().await {
            return Some(found);
        }
        app.core.outbox_wakeup.notify_one();
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    None
}

/// [`poll`], failing the test when it never yields.
async fn eventually<T>(app: &TestApp, what: &str, probe: impl AsyncFnMut() -> Option<T>) -> T {
    poll(app, probe)
        .await
        .unwrap_or_else(|| panic!("timed out waiting for {what}"))
}

/// Every feed event after `after`, as staff read it (reading also numbers
/// what has just been committed).
async fn feed_after(app: &TestApp, admin: &Account, after: i64) -> Vec<Value> {
    let page = app
        .get(
            &format!("/api/events?after={after}&limit=1000"),
            Some(&admin.access),
        )
        .await;
    page.assert_status(200);
    page.body["data"].as_array().unwrap().clone()
}

async fn last_sequence(app: &TestApp, admin: &Account) -> i64 {
    let page = app.get("/api/events?limit=1000", Some(&admin.access)).await;
    page.assert_status(200);
    page.body["lastSequence"].as_i64().unwrap()
}

/// Creates an endpoint (201) and hands its secret to `receiver`; returns it.
async fn create_hook(app: &TestApp, admin: &Account, receiver: &Receiver, extra: Value) -> Value {
    let mut body = json!({"url": receiver.url, "description": "ERP sync"});
    for (name, value) in extra.as_object().unwrap() {
        body[name] = value.clone();
    }
    let created = app
        .post("/api/admin/webhooks", body, Some(&admin.access))
        .await;
    created.assert_status(201);
    receiver.trust(&created.str("/secret"));
    created.body
}

async fn hook(app: &TestApp, admin: &Account, id: &str) -> Value {
    let found = app
        .get(&format!("/api/admin/webhooks/{id}"), Some(&admin.access))
        .await;
    found.assert_status(200);
    found.body
}

/// One page of an endpoint's log (`deliveries` or `attempts`).
async fn log(app: &TestApp, admin: &Account, id: &str, what: &str, query: &str) -> Value {
    let page = app
        .get(
            &format!("/api/admin/webhooks/{id}/{what}?limit=100&{query}"),
            Some(&admin.access),
        )
        .await;
    page.assert_status(200);
    page.body
}

/// Whether a pump holds the endpoint's lease. Only for synchronisation:
/// the clock must not jump past a lease while a pump is running, or a
/// second pump would start beside it.
async fn pump_running(app: &TestApp, id: &str) -> bool {
    use sea_orm::EntityTrait;
    souk_db::entities::webhook_endpoints::Entity::find_by_id(uuid::Uuid::parse_str(id).unwrap())
        .one(app.core.db.conn())
        .await
        .unwrap()
        .is_some_and(|e| e.lease_until.is_some())
}

/// Waits until the endpoint's pump has done everything due now: the feed
/// fanned out to it (when active), no pending delivery due, no pump
/// running. Returns the pending deliveries.
async fn settle(app: &TestApp, admin: &Account, id: &str) -> Vec<Value> {
    let mut state = String::new();
    let what = "the webhook pump to settle";
    let settled = poll(app, async || {
        let last = last_sequence(app, admin).await;
        let endpoint = hook(app, admin, id).await;
        let active = endpoint["active"] == true;
        let pending = log(app, admin, id, "deliveries", "status=pending").await["data"]
            .as_array()
            .unwrap()
            .clone();
        let now = app.core.clock.now();
        let due = heads(&pending).iter().any(|d| next_at(d) <= now);
        let running = pump_running(app, id).await;
        state = format!(
            "last {last}, now {now}, endpoint {endpoint}, pending {pending:?}, running {running}"
        );
        let behind = endpoint["cursor"].as_i64().unwrap() < last;
        (!(active && (due || behind)) && !running).then_some(pending)
    })
    .await;
    settled.unwrap_or_else(|| panic!("timed out waiting for {what}: {state}"))
}

/// The pending deliveries that go next: each resource's oldest (the
/// others wait behind it, whatever their `nextAt`).
fn heads(pending: &[Value]) -> Vec<&Value> {
    let mut first: BTreeMap<&str, &Value> = BTreeMap::new();
    for delivery in pending {
        let resource = delivery["resource"].as_str().unwrap();
        let earlier = first
            .get(resource)
            .is_some_and(|d| d["sequence"].as_i64() < delivery["sequence"].as_i64());
        if !earlier {
            first.insert(resource, delivery);
        }
    }
    first.into_values().collect()
}

fn next_at(delivery: &Value) -> chrono::DateTime<chrono::Utc> {
    delivery["nextAt"].as_str().unwrap().parse().unwrap()
}

/// Settles the endpoint, then moves the clock to its next retry, until
/// nothing is pending, the endpoint is off, or after `max_steps` retries.
/// Returns each wait, in
/// whole seconds, as the schedule asked for it.
async fn run_retries(app: &TestApp, admin: &Account, id: &str, max_steps: usize) -> Vec<i64> {
    let mut waits = Vec::new();
    for _ in 0..max_steps {
        let pending = settle(app, admin, id).await;
        if hook(app, admin, id).await["active"] != true {
            break;
        }
        let Some(next) = heads(&pending).into_iter().map(next_at).min() else {
            break;
        };
        let wait = next - app.core.clock.now();
        // Round up: the schedule's seconds less the real time spent since.
        waits.push((wait.num_milliseconds() + 999) / 1000);
        app.core.clock.advance(wait + chrono::Duration::seconds(1));
        app.core.outbox_wakeup.notify_one();
    }
    settle(app, admin, id).await;
    waits
}

/// Posts a job for `client`; returns its id.
async fn post_job(app: &TestApp, client: &Account, title: &str) -> String {
    JobBuilder::new(app, client).title(title).post_id().await
}

#[track_caller]
fn assert_field(response: &TestResponse, field: &str) {
    response.assert_error(400, "validation_failed");
    assert!(
        response.body["details"]["fields"][field].is_string(),
        "no fields.{field} in {}",
        response.body
    );
}

#[tokio::test]
async fn api_keys_show_their_secret_once_read_the_feed_within_their_scopes_and_stop_when_revoked() {
    let app = TestApp::spawn().await;
    let admin = app.staff(Role::Admin).await;
    let moderator = app.staff(Role::Moderator).await;
    let client = app.register("client").await;
    post_job(&app, &client, "Paint the hallway").await;

    // Only admins manage keys.
    let body = json!({"name": "ERP feed", "scopes": ["events:read"]});
    for who in [&moderator, &client] {
        app.post("/api/admin/api-keys", body.clone(), Some(&who.access))
            .await
            .assert_error(403, "admin_only");
        app.get("/api/admin/api-keys", Some(&who.access))
            .await
            .assert_error(403, "admin_only");
    }
    app.get("/api/admin/api-keys", None)
        .await
        .assert_status(401);

    let reader = app
        .post("/api/admin/api-keys", body.clone(), Some(&admin.access))
        .await;
    reader.assert_status(201);
    let reader_secret = reader.str("/secret");
    assert!(reader_secret.starts_with("souk_sk_"), "{}", reader.body);
    assert!(reader_secret.len() > 30, "{}", reader.body);
    assert!(
        reader_secret.starts_with(&reader.str("/prefix")),
        "{}",
        reader.body
    );
    assert_eq!(reader.body["scopes"], json!(["events:read"]));
    assert_eq!(reader.body["name"], "ERP feed");
    let manager = app
        .post(
            "/api/admin/api-keys",
            json!({"name": "Hooks bot", "scopes": ["webhooks:manage"]}),
            Some(&admin.access),
        )
        .await;
    manager.assert_status(201);
    let manager_secret = manager.str("/secret");

    // Bad input is refused naming the field, and stores nothing.
    for (bad, field) in [
        (
            json!({"name": "x", "scopes": ["events:write"]}),
            "scopes[0]",
        ),
        (
            json!({"name": "x", "scopes": ["events:read", "admin"]}),
            "scopes[1]",
        ),
        (json!({"name": "x", "scopes": []}), "scopes"),
        (json!({"name": "  ", "scopes": ["events:read"]}), "name"),
    ] {
        let refused = app
            .post("/api/admin/api-keys", bad.clone(), Some(&admin.access))
            .await;
        assert_field(&refused, field);
    }

    // The list never shows a secret again.
    let listed = app.get("/api/admin/api-keys", Some(&admin.access)).await;
    listed.assert_status(200);
    let keys = listed.body.as_array().unwrap();
    assert_eq!(keys.len(), 2, "{}", listed.body);
    assert!(!has_key_anywhere(&listed.body, "secret"), "{}", listed.body);
    let text = String::from_utf8_lossy(&listed.bytes);
    assert!(
        !text.contains(&reader_secret) && !text.contains(&manager_secret),
        "{text}"
    );
    assert!(
        keys.iter().all(|k| k["lastUsedAt"].is_null()),
        "{}",
        listed.body
    );

    // `events:read` reads the same feed staff read.
    let as_staff = app.get("/api/events?after=0", Some(&admin.access)).await;
    let as_key = app.get("/api/events?after=0", Some(&reader_secret)).await;
    as_key.assert_status(200);
    assert_eq!(as_key.body, as_staff.body);
    let kinds: Vec<&str> = as_key.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"job.posted"), "{kinds:?}");
    // … and nothing else.
    app.get("/api/admin/webhooks", Some(&reader_secret))
        .await
        .assert_error(403, "insufficient_scope");
    app.post(
        "/api/admin/webhooks",
        json!({"url": "https://example.com/hook"}),
        Some(&reader_secret),
    )
    .await
    .assert_error(403, "insufficient_scope");
    // A key is not a session: it cannot manage keys nor act as a user.
    app.get("/api/admin/api-keys", Some(&reader_secret))
        .await
        .assert_status(401);
    app.get("/api/users/me", Some(&reader_secret))
        .await
        .assert_status(401);

    // `webhooks:manage` manages webhooks but does not read the feed.
    app.get("/api/events", Some(&manager_secret))
        .await
        .assert_error(403, "insufficient_scope");
    let hooks = app.get("/api/admin/webhooks", Some(&manager_secret)).await;
    hooks.assert_status(200);
    assert_eq!(hooks.body, json!([]));

    // A made-up secret is no key.
    app.get("/api/events", Some("souk_sk_not-a-real-key"))
        .await
        .assert_error(401, "invalid_token");

    let listed = app.get("/api/admin/api-keys", Some(&admin.access)).await;
    let reader_id = reader.str("/id");
    let used = listed
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["id"] == reader_id.as_str())
        .unwrap()
        .clone();
    assert!(used["lastUsedAt"].is_string(), "{used}");
    assert!(used["revokedAt"].is_null(), "{used}");

    // Revoked: refused at once; the list marks it; revoking twice is fine.
    for _ in 0..2 {
        app.delete(
            &format!("/api/admin/api-keys/{reader_id}"),
            Some(&admin.access),
        )
        .await
        .assert_status(204);
    }
    app.get("/api/events", Some(&reader_secret))
        .await
        .assert_error(401, "invalid_token");
    app.get("/api/events", Some(&manager_secret))
        .await
        .assert_error(403, "insufficient_scope");
    let listed = app.get("/api/admin/api-keys", Some(&admin.access)).await;
    listed.assert_status(200);
    let revoked = listed
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["id"] == reader_id.as_str())
        .unwrap()
        .clone();
    assert!(revoked["revokedAt"].is_string(), "{revoked}");
    app.delete(
        &format!("/api/admin/api-keys/{}", uuid::Uuid::now_v7()),
        Some(&admin.access),
    )
    .await
    .assert_error(404, "api_key_not_found");
    app.delete(
        &format!("/api/admin/api-keys/{reader_id}"),
        Some(&moderator.access),
    )
    .await
    .assert_error(403, "admin_only");
}

#[tokio::test]
async fn a_webhook_receiver_verifies_signatures_and_sees_each_resources_events_in_order_across_a_failing_then_recovering_endpoint()
 {
    let app = TestApp::spawn().await;
    let admin = app.staff(Role::Admin).await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let before = last_sequence(&app, &admin).await;

    // Created switched off, so every event below is waiting when it comes on.
    let receiver = Receiver::start().await;
    let created = create_hook(&app, &admin, &receiver, json!({"active": false})).await;
    let id = created["id"].as_str().unwrap().to_owned();
    let secret = created["secret"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("whsec_"), "{created}");
    assert_eq!(created["events"], json!(["*"]));
    assert_eq!(created["cursor"], before);
    let shown = hook(&app, &admin, &id).await;
    assert!(shown.get("secret").is_none(), "{shown}");

    // Two jobs: one quoted, then hired; the other cancelled.
    let kitchen = post_job(&app, &client, "Fix the kitchen tap").await;
    let garden = post_job(&app, &client, "Trim the garden hedge").await;
    let quote = id_of(&QuoteBuilder::new(&app, &craftsman, &kitchen).submit().await);
    app.patch(
        &format!("/api/jobs/{garden}/status"),
        json!({"status": "cancelled", "reason": "Did it myself"}),
        Some(&client.access),
    )
    .await
    .assert_status(200);
    app.post(
        &format!("/api/jobs/{kitchen}/quotes/{quote}/accept"),
        json!({}),
        Some(&client.access),
    )
    .await
    .assert_status(200);
    let events = feed_after(&app, &admin, before).await;
    let mut by_resource: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for event in &events {
        let resource = format!(
            "{}:{}",
            event["resource"]["type"].as_str().unwrap(),
            event["resource"]["id"].as_str().unwrap()
        );
        by_resource
            .entry(resource)
            .or_default()
            .push(event["sequence"].as_i64().unwrap());
    }
    for job in [&kitchen, &garden] {
        let sequences = &by_resource[&format!("job:{job}")];
        assert!(sequences.len() >= 2, "{events:#?}");
    }

    // Nothing is sent while it is off. Then the receiver fails the first
    // try of every resource's first event, and the second try of the
    // oldest one.
    assert!(receiver.seen().is_empty());
    let failures = by_resource.len() + 1;
    receiver.fail_next(failures);
    let on = app
        .put(
            &format!("/api/admin/webhooks/{id}"),
            json!({"active": true}),
            Some(&admin.access),
        )
        .await;
    on.assert_status(200);
    assert_eq!(on.body["active"], true);
    let waits = run_retries(&app, &admin, &id, 10).await;
    // First tries, the 5 s retry, then one 5 min retry.
    assert_eq!(waits.len(), 2, "{waits:?}");
    assert!((2..=5).contains(&waits[0]), "{waits:?}");
    assert!((297..=300).contains(&waits[1]), "{waits:?}");

    let seen = receiver.seen();
    assert!(seen.iter().all(|r| r.signature_ok), "{seen:#?}");
    assert_eq!(seen.iter().filter(|r| r.answered == 500).count(), failures);
    // Every event arrived exactly once as a success, as the feed shows it.
    let accepted = receiver.accepted();
    assert_eq!(accepted.len(), events.len(), "{accepted:#?}");
    let feed_by_id: HashMap<&str, &Value> = events
        .iter()
        .map(|e| (e["id"].as_str().unwrap(), e))
        .collect();
    let mut once = HashMap::new();
    for got in &accepted {
        let event_id = got.body["id"].as_str().unwrap();
        *once.entry(event_id.to_owned()).or_insert(0) += 1;
        assert_eq!(got.event_id.as_deref(), Some(event_id), "{got:?}");
        assert_eq!(
            got.sequence.as_deref(),
            Some(got.body["sequence"].as_i64().unwrap().to_string().as_str()),
            "{got:?}"
        );
        assert_eq!(&&got.body, feed_by_id.get(event_id).unwrap(), "{got:?}");
    }
    assert!(once.values().all(|n| *n == 1), "{once:?}");
    assert_eq!(once.len(), events.len());
    // Per resource, successes came in sequence order — even where an earlier
    // event was still being retried while other resources went ahead.
    for (resource, sequences) in &by_resource {
        let arrived: Vec<i64> = accepted
            .iter()
            .filter(|r| {
                format!(
                    "{}:{}",
                    r.body["resource"]["type"].as_str().unwrap(),
                    r.body["resource"]["id"].as_str().unwrap()
                ) == *resource
            })
            .map(|r| r.body["sequence"].as_i64().unwrap())
            .collect();
        assert_eq!(&arrived, sequences, "{resource}");
    }
    let first = events[0]["id"].as_str().unwrap();
    let first_tries: Vec<u16> = seen
        .iter()
        .filter(|r| r.event_id.as_deref() == Some(first))
        .map(|r| r.answered)
        .collect();
    assert_eq!(first_tries, [500, 500, 200]);
    // A later event of the same resource went out only after it.
    let delivered_at = |sequence: i64| {
        seen.iter()
            .position(|r| r.answered == 200 && r.body["sequence"] == sequence)
            .unwrap()
    };
    let resource_of_first = by_resource
        .values()
        .find(|s| s[0] == events[0]["sequence"].as_i64().unwrap())
        .unwrap();
    assert!(delivered_at(resource_of_first[1]) > delivered_at(resource_of_first[0]));
    assert!(
        seen.iter().position(|r| r.answered == 200).unwrap() < delivered_at(resource_of_first[0]),
        "other resources went ahead: {seen:#?}"
    );

    // The log: every delivery succeeded; the attempts show the failures.
    let deliveries = log(&app, &admin, &id, "deliveries", "").await;
    let deliveries = deliveries["data"].as_array().unwrap();
    assert_eq!(deliveries.len(), events.len());
    assert!(
        deliveries.iter().all(|d| d["status"] == "succeeded"),
        "{deliveries:#?}"
    );
    let attempts = log(&app, &admin, &id, "attempts", "").await;
    assert_eq!(
        attempts["pagination"]["totalItems"],
        (events.len() + failures) as u64
    );
    let failed: Vec<&Value> = attempts["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["statusCode"] != 200)
        .collect();
    assert_eq!(failed.len(), failures, "{attempts:#}");
    for attempt in failed {
        assert_eq!(attempt["statusCode"], 500, "{attempt}");
        assert!(attempt["latencyMs"].as_i64().unwrap() >= 25, "{attempt}");
        assert_eq!(attempt["responseExcerpt"], "receiver is down", "{attempt}");
        assert!(
            attempt["error"].as_str().unwrap().contains("500"),
            "{attempt}"
        );
    }
    let healthy = hook(&app, &admin, &id).await;
    assert!(healthy["failingSince"].is_null(), "{healthy}");

    // The receiver's check is a real one: another body fails it.
    let sample = &accepted[0];
    let forged = json!({"id": sample.body["id"], "type": "job.posted", "data": {}}).to_string();
    let header = format!(
        "t={},v1={}",
        chrono::Utc::now().timestamp(),
        "00".repeat(32)
    );
    assert!(!signature_ok(&secret, &header, &forged));
    assert!(!signature_ok("whsec_other", &header, &forged));
}

#[tokio::test]
async fn webhook_urls_that_are_not_https_or_resolve_to_private_addresses_are_refused_and_nothing_is_stored()
 {
    let receiver = Receiver::start().await;
    let lenient = TestApp::spawn().await;
    let strict = TestApp::with(Options {
        strict_outbound: true,
        ..Options::default()
    })
    .await;

    let refuse = async |app: &TestApp, url: &str, events: Option<Value>, field: &str| {
        let admin = app.staff(Role::Admin).await;
        let mut body = json!({"url": url});
        if let Some(events) = events {
            body["events"] = events;
        }
        let refused = app
            .post("/api/admin/webhooks", body, Some(&admin.access))
            .await;
        assert_field(&refused, field);
        let listed = app.get("/api/admin/webhooks", Some(&admin.access)).await;
        assert_eq!(listed.body, json!([]), "after {url}");
    };

    // Refused even where tests may use loopback.
    for url in [
        "http://example.com/x",
        "ftp://example.com/x",
        "https://10.0.0.1/x",
        "https://192.168.1.20/x",
        "https://169.254.169.254/latest",
        "https://[::ffff:169.254.169.254]/latest",
        "https://[fd00::1]/x",
        "https://user:pass@example.com/x",
        "not a url",
    ] {
        refuse(&lenient, url, None, "url").await;
    }
    // Loopback, by name or address, in production.
    let local = receiver.url.clone();
    for url in [
        "https://[::1]/",
        "https://localhost/",
        "https://127.0.0.1/",
        local.as_str(),
    ] {
        refuse(&strict, url, None, "url").await;
    }
    // A name that resolves (here, through the hosts file) to loopback or a
    // private address is refused after resolution.
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .unwrap_or_default()
        .trim()
        .to_owned();
    let resolved: Vec<std::net::IpAddr> = tokio::net::lookup_host((host.as_str(), 443))
        .await
        .map(|addrs| addrs.map(|a| a.ip()).collect())
        .unwrap_or_default();
    let internal = |ip: &std::net::IpAddr| match ip {
        std::net::IpAddr::V4(v4) => v4.is_loopback() || v4.is_private() || v4.is_link_local(),
        std::net::IpAddr::V6(v6) => v6.is_loopback(),
    };
    if !host.is_empty() && !resolved.is_empty() && resolved.iter().all(internal) {
        refuse(&strict, &format!("https://{host}/hook"), None, "url").await;
    }
    // An unknown event type.
    refuse(
        &lenient,
        &receiver.url,
        Some(json!(["job.posted", "job.exploded"])),
        "events[1]",
    )
    .await;
    refuse(&lenient, &receiver.url, Some(json!([])), "events").await;

    // The same receiver is accepted where loopback is allowed.
    let admin = lenient.staff(Role::Admin).await;
    let accepted = lenient
        .post(
            "/api/admin/webhooks",
            json!({"url": receiver.url}),
            Some(&admin.access),
        )
        .await;
    accepted.assert_status(201);
    let listed = lenient
        .get("/api/admin/webhooks", Some(&admin.access))
        .await;
    assert_eq!(listed.body.as_array().unwrap().len(), 1);
    // … and changing it to a private address is refused, keeping the old one.
    let id = accepted.str("/id");
    let changed = lenient
        .put(
            &format!("/api/admin/webhooks/{id}"),
            json!({"url": "https://10.1.2.3/hook"}),
            Some(&admin.access),
        )
        .await;
    assert_field(&changed, "url");
    assert_eq!(
        hook(&lenient, &admin, &id).await["url"],
        receiver.url.as_str()
    );
}

#[tokio::test]
async fn replay_sends_the_events_after_a_sequence_again() {
    let app = TestApp::spawn().await;
    let admin = app.staff(Role::Admin).await;
    let client = app.register("client").await;
    let before = last_sequence(&app, &admin).await;
    let receiver = Receiver::start().await;
    let created = create_hook(&app, &admin, &receiver, json!({})).await;
    let id = created["id"].as_str().unwrap().to_owned();

    for title in ["Fix the roof", "Fix the fence", "Fix the gate"] {
        post_job(&app, &client, title).await;
    }
    let events = feed_after(&app, &admin, before).await;
    assert_eq!(events.len(), 3, "{events:#?}");
    settle(&app, &admin, &id).await;
    let first_round = receiver.accepted();
    assert_eq!(first_round.len(), 3);

    // Replaying after the first event sends the other two again, in order.
    let from = events[0]["sequence"].as_i64().unwrap();
    let replayed = app
        .post(
            &format!("/api/admin/webhooks/{id}/replay"),
            json!({"after": from}),
            Some(&admin.access),
        )
        .await;
    replayed.assert_status(202);
    assert_eq!(replayed.body["replayed"], 2);
    let again = eventually(&app, "the replayed events", async || {
        let got = receiver.accepted();
        (got.len() >= 5).then_some(got)
    })
    .await;
    settle(&app, &admin, &id).await;
    assert_eq!(receiver.seen().len(), 5);
    let resent: Vec<&Value> = again[3..].iter().map(|r| &r.body).collect();
    assert_eq!(resent, [&events[1], &events[2]]);
    assert!(again.iter().all(|r| r.signature_ok));
    let deliveries = log(&app, &admin, &id, "deliveries", "status=succeeded").await;
    assert_eq!(deliveries["pagination"]["totalItems"], 5);

    // Nothing after the newest; refused input; unknown endpoint.
    let newest = events[2]["sequence"].as_i64().unwrap();
    let none = app
        .post(
            &format!("/api/admin/webhooks/{id}/replay"),
            json!({"after": newest}),
            Some(&admin.access),
        )
        .await;
    none.assert_status(202);
    assert_eq!(none.body["replayed"], 0);
    for bad in [json!({}), json!({"after": -1})] {
        let refused = app
            .post(
                &format!("/api/admin/webhooks/{id}/replay"),
                bad,
                Some(&admin.access),
            )
            .await;
        assert_field(&refused, "after");
    }
    app.post(
        &format!("/api/admin/webhooks/{}/replay", uuid::Uuid::now_v7()),
        json!({"after": 0}),
        Some(&admin.access),
    )
    .await
    .assert_error(404, "webhook_not_found");
    settle(&app, &admin, &id).await;
    assert_eq!(receiver.seen().len(), 5);
}

#[tokio::test]
async fn an_endpoint_failing_for_five_days_is_switched_off_and_admins_are_emailed() {
    let app = TestApp::spawn().await;
    let admin = app.staff(Role::Admin).await;
    let other_admin = app.staff(Role::Admin).await;
    let client = app.register("client").await;
    let receiver = Receiver::start().await;
    receiver.fail_next(usize::MAX);
    let created = create_hook(&app, &admin, &receiver, json!({})).await;
    let id = created["id"].as_str().unwrap().to_owned();

    // One event, failing through the whole retry schedule: dead after 8.
    post_job(&app, &client, "Fix the boiler").await;
    let waits = run_retries(&app, &admin, &id, 20).await;
    let schedule = [5, 300, 1_800, 7_200, 18_000, 36_000, 36_000];
    assert_eq!(waits.len(), schedule.len(), "{waits:?}");
    for (wait, expected) in waits.iter().zip(schedule) {
        assert!((expected - 3..=expected).contains(wait), "{waits:?}");
    }
    assert_eq!(receiver.seen().len(), 8);
    let dead = log(&app, &admin, &id, "deliveries", "status=dead").await;
    assert_eq!(dead["pagination"]["totalItems"], 1, "{dead}");
    assert_eq!(dead["data"][0]["attempts"], 8);
    assert_eq!(dead["data"][0]["lastStatus"], 500);
    // A day and more of failures is not yet five days.
    let failing = hook(&app, &admin, &id).await;
    assert_eq!(failing["active"], true, "{failing}");
    let since: chrono::DateTime<chrono::Utc> =
        failing["failingSince"].as_str().unwrap().parse().unwrap();

    // An hour short of five days, another event fails: still on.
    let almost = since + chrono::Duration::days(5) - chrono::Duration::hours(1);
    app.core.clock.advance(almost - app.core.clock.now());
    post_job(&app, &client, "Fix the boiler again").await;
    let pending = settle(&app, &admin, &id).await;
    assert_eq!(pending.len(), 1);
    assert_eq!(receiver.seen().len(), 9);
    let still = hook(&app, &admin, &id).await;
    assert_eq!(still["active"], true, "{still}");
    assert_eq!(still["failingSince"], failing["failingSince"]);

    // Its retries carry it past five days: switched off, admins told.
    run_retries(&app, &admin, &id, 20).await;
    let off = hook(&app, &admin, &id).await;
    assert_eq!(off["active"], false, "{off}");
    assert!(
        off["disabledReason"]
            .as_str()
            .is_some_and(|r| !r.is_empty()),
        "{off}"
    );
    assert!(app.core.clock.now() - since >= chrono::Duration::days(5));
    let tries_when_off = receiver.seen().len();
    for who in [&admin, &other_admin] {
        let mail = app.wait_for_mail(&who.email).await;
        assert!(mail.contains("disabled"), "{mail}");
        assert!(mail.contains(&id), "{mail}");
        assert!(mail.contains(&receiver.url), "{mail}");
    }
    // Switched off, it is left alone.
    app.core.clock.advance(chrono::Duration::days(1));
    let pending = settle(&app, &admin, &id).await;
    assert_eq!(pending.len(), 1);
    assert_eq!(receiver.seen().len(), tries_when_off);

    // Fixed and turned back on: the failure record is cleared, and what it
    // still owed goes out.
    receiver.fail_next(0);
    let on = app
        .put(
            &format!("/api/admin/webhooks/{id}"),
            json!({"active": true}),
            Some(&admin.access),
        )
        .await;
    on.assert_status(200);
    assert_eq!(on.body["active"], true);
    assert!(on.body["failingSince"].is_null(), "{}", on.body);
    assert!(on.body["disabledReason"].is_null(), "{}", on.body);
    run_retries(&app, &admin, &id, 5).await;
    let accepted = receiver.accepted();
    assert_eq!(accepted.len(), 1);
    assert_eq!(accepted[0].body["data"]["title"], "Fix the boiler again");
}

#[tokio::test]
async fn webhooks_only_receive_the_event_types_they_asked_for() {
    let app = TestApp::spawn().await;
    let admin = app.staff(Role::Admin).await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let other = app.register("craftsman").await;
    let before = last_sequence(&app, &admin).await;

    let posted = Receiver::start().await;
    let quoting = Receiver::start().await;
    let everything = Receiver::start().await;
    let posted_hook = create_hook(&app, &admin, &posted, json!({"events": ["job.posted"]})).await;
    assert_eq!(posted_hook["events"], json!(["job.posted"]));
    let quoting_hook = create_hook(
        &app,
        &admin,
        &quoting,
        json!({"events": ["quote.submitted", "job.status_changed", "quote.submitted"]}),
    )
    .await;
    assert_eq!(
        quoting_hook["events"],
        json!(["quote.submitted", "job.status_changed"])
    );
    let everything_hook = create_hook(&app, &admin, &everything, json!({})).await;
    let ids: Vec<String> = [&posted_hook, &quoting_hook, &everything_hook]
        .iter()
        .map(|h| h["id"].as_str().unwrap().to_owned())
        .collect();

    let job = post_job(&app, &client, "Fix the shower").await;
    QuoteBuilder::new(&app, &craftsman, &job).submit().await;
    let events = feed_after(&app, &admin, before).await;
    for id in &ids {
        settle(&app, &admin, id).await;
    }
    let kinds = |receiver: &Receiver| -> Vec<String> {
        receiver
            .accepted()
            .iter()
            .map(|r| r.body["type"].as_str().unwrap().to_owned())
            .collect()
    };
    let all: Vec<String> = events
        .iter()
        .map(|e| e["type"].as_str().unwrap().to_owned())
        .collect();
    assert!(all.contains(&"job.status_changed".to_owned()), "{all:?}");
    assert_eq!(kinds(&everything), all);
    assert_eq!(kinds(&posted), ["job.posted"]);
    let wanted: Vec<String> = all
        .iter()
        .filter(|k| *k == "quote.submitted" || *k == "job.status_changed")
        .cloned()
        .collect();
    assert_eq!(kinds(&quoting), wanted);
    // A filtered replay sends only what the endpoint asked for.
    let replayed = app
        .post(
            &format!("/api/admin/webhooks/{}/replay", ids[0]),
            json!({"after": before}),
            Some(&admin.access),
        )
        .await;
    replayed.assert_status(202);
    assert_eq!(replayed.body["replayed"], 1);

    // Changing the filter changes what comes next.
    let changed = app
        .put(
            &format!("/api/admin/webhooks/{}", ids[0]),
            json!({"events": ["quote.submitted"]}),
            Some(&admin.access),
        )
        .await;
    changed.assert_status(200);
    assert_eq!(changed.body["events"], json!(["quote.submitted"]));
    let second_quote = QuoteBuilder::new(&app, &other, &job).submit().await;
    for id in &ids {
        settle(&app, &admin, id).await;
    }
    assert_eq!(
        kinds(&posted),
        ["job.posted", "job.posted", "quote.submitted"]
    );
    assert_eq!(
        posted.accepted()[2].body["resource"]["id"],
        second_quote["id"]
    );
    assert!(kinds(&quoting).ends_with(&["quote.submitted".to_owned()]));
}

#[tokio::test]
async fn a_new_endpoint_starts_after_every_event_already_recorded() {
    // No dispatcher: the events below are committed but not yet numbered
    // when the endpoint is created.
    let app = TestApp::with(Options {
        quiet: true,
        ..Options::default()
    })
    .await;
    let admin = app.staff(Role::Admin).await;
    let client = app.register("client").await;
    post_job(&app, &client, "Fix the doorbell").await;
    let receiver = Receiver::start().await;
    let created = create_hook(&app, &admin, &receiver, json!({})).await;
    let recorded = last_sequence(&app, &admin).await;
    assert!(recorded >= 2, "{recorded}");
    assert_eq!(created["cursor"], recorded, "{created}");
}
