//! Delivery (issue 19), on the database `DATABASE_URL` names, each figure
//! beside an anchor measured in the same run:
//!
//! 1. Commit → push: N users each with one Android device; at R
//!    notifications/s for S seconds a write transaction stores a
//!    notification (`notifications::notify`, a quote received: push and
//!    email by default) and commits, then pokes the outbox as use-cases do.
//!    The outbox dispatcher runs in this process and pushes through
//!    `FcmPusher` to the fake FCM server (`push::test_fcm`, also in this
//!    process). Latency: the fake's arrival instant − the instant right
//!    after commit, matched by the notification's `quoteId` (a fresh id per
//!    notification). Anchor: the fake's round trip itself, direct
//!    `FcmPusher::send` calls one after another.
//! 2. Event feed: ≥ 10,000 `job.posted` events recorded in write
//!    transactions and numbered; then reads of 1,000 events after a random
//!    sequence (`feed::read` and each row through `feed::view` to JSON, as
//!    the route does), and the same through the router (`GET /api/events`
//!    with an API key, response body collected). Anchor: a plain `SELECT *
//!    FROM events ORDER BY id LIMIT 1000` through the same pool, the three
//!    interleaved.
//!
//! Usage: DATABASE_URL=… delivery_load [rate=100] [seconds=60] [users=200]
//! [events=12000] [reads=300]
#![allow(
    clippy::as_conversions,
    clippy::cast_possible_truncation,
    clippy::cast_precision_loss,
    clippy::cast_sign_loss,
    clippy::cast_possible_wrap,
    clippy::indexing_slicing,
    reason = "a benchmark run by hand: small known counts, and a panic is a failed run"
)]

use std::{
    collections::{BTreeMap, HashMap},
    sync::Arc,
    time::{Duration, Instant},
};

use axum::{
    body::Body,
    http::{Request, StatusCode, header},
};
use rand::Rng;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::json;
use souk_api::{ApiConfig, AppState, RateLimitConfig, build_router};
use souk_bench::people::member;
use souk_core::{
    Core, Settings,
    accounts::{PasswordHasher, Role},
    delivery::devices::{self, DeviceInput},
    integrators::{
        api_keys,
        events::{self, DomainEvent, EventType},
        feed::{self, FeedQuery},
    },
    notifications::{self, Event},
    outbox::dispatcher,
};
use souk_db::{Db, DbBackendKind};
use souk_integrations::{
    mail::FileMailer,
    push::{FcmPusher, PushMessage, PushOutcome, test_fcm::FakeFcm},
    storage::storage_from_url,
};
use tokio::sync::watch;
use tower::ServiceExt;
use uuid::Uuid;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Direct sends for the round-trip anchor.
const ANCHOR_SENDS: usize = 500;
/// Notifications sent (and awaited) before the timed run.
const WARM_UP: usize = 20;
/// Events recorded per write transaction.
const EVENTS_PER_TXN: usize = 100;
/// Events per feed read.
const PAGE: u64 = 1000;

fn arg(n: usize, default: usize) -> usize {
    std::env::args()
        .nth(n)
        .and_then(|a| a.parse().ok())
        .unwrap_or(default)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[at.min(sorted.len() - 1)]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// p50 and p99 of `took` (ms), sorting it.
fn p50_p99(took: &mut [f64]) -> (f64, f64) {
    took.sort_by(f64::total_cmp);
    (percentile(took, 0.5), percentile(took, 0.99))
}

/// Waits until the outbox has nothing left to do (or 60 s passed).
async fn drain(core: &Core) -> Result<(), Box<dyn std::error::Error>> {
    let deadline = Instant::now() + Duration::from_secs(60);
    while dispatcher::pending_count(core.db.conn()).await? > 0 && Instant::now() < deadline {
        core.outbox_wakeup.notify_one();
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Ok(())
}

/// Waits until the fake has seen `n` sends (a counter: `received()` copies
/// the whole log) or `timeout` passed.
async fn await_sends(fake: &FakeFcm, n: usize, timeout: Duration) {
    let deadline = Instant::now() + timeout;
    while fake.send_attempts() < n && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Stores one notification for `user` in its own write transaction and
/// pokes the outbox; returns the marker (`quoteId`) and the instant right
/// after commit.
async fn notify_one(core: &Core, user: Uuid, n: usize) -> (Uuid, Instant) {
    let marker = Uuid::now_v7();
    let event = Event::QuoteReceived {
        job: Uuid::now_v7(),
        title: format!("Fix the kitchen sink #{n}"),
        quote: marker,
        price: 25_000,
    };
    let txn = core.db.begin_write().await.expect("begin");
    let txn = txn.without_account_changes();
    notifications::notify(&*txn, user, &event)
        .await
        .expect("notify");
    txn.commit().await.expect("commit");
    let committed = Instant::now();
    core.outbox_wakeup.notify_one();
    (marker, committed)
}

async fn push_benchmark(
    core: &mut Core,
    rate: usize,
    seconds: usize,
    users: usize,
) -> Result<Vec<Uuid>, Box<dyn std::error::Error>> {
    let fake = FakeFcm::start().await?;
    core.pusher = Arc::new(FcmPusher::from_credentials(
        &fake.credentials_json(),
        Some(&fake.base_url),
    )?);
    let (stop, stop_rx) = watch::channel(false);
    let dispatching = tokio::spawn(dispatcher::run(core.clone(), stop_rx));

    let t0 = Instant::now();
    let mut members = Vec::with_capacity(users);
    for i in 0..users {
        let who = member(core, Role::Client, i).await;
        devices::register(
            core,
            who.user.id,
            DeviceInput {
                token: Some(format!("bench-device-{i}-{}", Uuid::now_v7().simple())),
                platform: Some("android".into()),
                locale: None,
            },
        )
        .await
        .expect("device");
        members.push(who.user.id);
    }
    drain(core).await?;
    eprintln!("set-up (push): {:.1}s", t0.elapsed().as_secs_f64());

    // Anchor: the fake's round trip, direct sends one after another (the
    // first fetches the access token; 20 warm up).
    let message = |i: usize| PushMessage {
        token: format!("anchor-device-{i}"),
        title: "New quote".into(),
        body: "You received a new quote on \"Anchor\".".into(),
        data: BTreeMap::from([
            ("kind".to_owned(), "quote_received".to_owned()),
            ("notificationId".to_owned(), Uuid::now_v7().to_string()),
        ]),
    };
    let mut round_trips = Vec::with_capacity(ANCHOR_SENDS);
    for i in 0..ANCHOR_SENDS + 20 {
        let m = message(i);
        let t = Instant::now();
        let outcome = core.pusher.send(&m).await;
        let took = ms(t.elapsed());
        assert!(
            matches!(outcome, PushOutcome::Sent { .. }),
            "anchor send: {outcome:?}"
        );
        if i >= 20 {
            round_trips.push(took);
        }
    }
    let (a50, a99) = p50_p99(&mut round_trips);
    println!(
        "{:<52} p50 {a50:7.2} ms  p99 {a99:7.2} ms  ({ANCHOR_SENDS} sends)",
        "anchor: fake FCM round trip, direct FcmPusher::send"
    );

    // Warm-up through the whole path.
    let mut seen = fake.send_attempts();
    for n in 0..WARM_UP {
        notify_one(core, members[n % users], n).await;
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    await_sends(&fake, seen + WARM_UP, Duration::from_secs(30)).await;
    drain(core).await?;
    seen = fake.send_attempts();

    // The run: open loop, one task per notification at its scheduled time.
    let total = rate * seconds;
    let interval = Duration::from_secs_f64(1.0 / rate as f64);
    let shared = Arc::new(core.clone());
    let start = tokio::time::Instant::now();
    let mut tasks = Vec::with_capacity(total);
    for n in 0..total {
        let due = start + interval.mul_f64(n as f64);
        tokio::time::sleep_until(due).await;
        let core = shared.clone();
        let user = members[n % users];
        tasks.push(tokio::spawn(async move {
            let (marker, committed) = notify_one(&core, user, WARM_UP + n).await;
            (
                marker,
                committed,
                ms(committed.saturating_duration_since(due.into_std())),
            )
        }));
    }
    let mut sent = Vec::with_capacity(total);
    for task in tasks {
        sent.push(task.await?);
    }
    let generated = start.elapsed().as_secs_f64();
    await_sends(&fake, seen + total, Duration::from_secs(300)).await;
    let drained = start.elapsed().as_secs_f64();

    let arrived: HashMap<Uuid, Instant> = fake
        .received()
        .into_iter()
        .filter_map(|p| {
            let marker = p.data.get("quoteId")?.parse::<Uuid>().ok()?;
            Some((marker, p.received_at))
        })
        .fold(HashMap::new(), |mut first, (marker, at)| {
            first.entry(marker).or_insert(at);
            first
        });
    let mut latency: Vec<f64> = sent
        .iter()
        .filter_map(|(marker, committed, _)| {
            arrived
                .get(marker)
                .map(|at| ms(at.saturating_duration_since(*committed)))
        })
        .collect();
    let mut commit_lag: Vec<f64> = sent.iter().map(|s| s.2).collect();
    let delivered = latency.len();
    latency.sort_by(f64::total_cmp);
    let (c50, c99) = p50_p99(&mut commit_lag);
    if latency.is_empty() {
        println!("commit → push: nothing delivered of {total}");
    } else {
        println!(
            "{:<52} p50 {:7.2} ms  p90 {:7.2} ms  p99 {:7.2} ms  max {:7.2} ms  ({delivered}/{total} delivered)",
            format!("commit → push, {rate}/s for {seconds} s"),
            percentile(&latency, 0.5),
            percentile(&latency, 0.9),
            percentile(&latency, 0.99),
            latency[latency.len() - 1],
        );
    }
    println!(
        "  (schedule → commit p50 {c50:.2} ms, p99 {c99:.2} ms; {:.1} commits/s; last push {:.1}s after the first commit was due)",
        total as f64 / generated,
        drained
    );
    drain(core).await?;
    // The feed is read with the dispatcher stopped (it numbers events too).
    stop.send(true)?;
    dispatching.await?;
    Ok(members)
}

async fn feed_benchmark(
    core: &Core,
    actor: Uuid,
    total: usize,
    reads: usize,
) -> Result<(), Box<dyn std::error::Error>> {
    let t0 = Instant::now();
    let categories = [
        "plumbing",
        "electrical",
        "carpentry",
        "painting",
        "cleaning",
    ];
    for batch in 0..total.div_ceil(EVENTS_PER_TXN) {
        let recorded: Vec<DomainEvent> = (0..EVENTS_PER_TXN)
            .map(|i| {
                let n = batch * EVENTS_PER_TXN + i;
                let job = Uuid::now_v7();
                DomainEvent::new(
                    EventType::JobPosted,
                    Some(actor),
                    "job",
                    job,
                    json!({
                        "clientId": actor,
                        "title": format!("Benchmark job number {n}"),
                        "category": categories[n % categories.len()],
                        "status": "posted",
                        "budgetMin": 10_000 + n as i64,
                        "budgetMax": 50_000 + n as i64,
                        "currency": "EGP",
                        "paymentType": "fixed",
                        "desiredDate": null,
                        "createdAt": chrono::Utc::now(),
                    }),
                )
            })
            .collect();
        let txn = core.db.begin_write().await?.without_account_changes();
        events::record(&*txn, &recorded).await?;
        txn.commit().await?;
    }
    let numbered = feed::sequence(core).await?;
    if core.db.kind() == DbBackendKind::Postgres {
        core.db.conn().execute_unprepared("VACUUM ANALYZE").await?;
    }
    let last: i64 = core
        .db
        .conn()
        .query_one_raw(Statement::from_string(
            core.db.backend(),
            "SELECT MAX(sequence) AS last FROM events",
        ))
        .await?
        .map(|row| row.try_get::<i64>("", "last"))
        .transpose()?
        .unwrap_or(0);
    eprintln!(
        "set-up (feed): {:.1}s ({numbered} events numbered, last sequence {last})",
        t0.elapsed().as_secs_f64()
    );

    // Over HTTP: an API key with events:read, the router as served.
    let key = api_keys::create(core, actor, "delivery bench", &["events:read".into()]).await?;
    let config = ApiConfig {
        rate_limits: RateLimitConfig {
            enabled: false,
            ..RateLimitConfig::default()
        },
        support_email: "bench@souk.test".into(),
        ..ApiConfig::default()
    };
    let (router, _) = build_router(AppState::new(core.clone(), config)).await?;
    let bearer = format!("Bearer {}", key.secret);

    let anchor_sql = Statement::from_string(
        core.db.backend(),
        format!("SELECT * FROM events ORDER BY id LIMIT {PAGE}"),
    );
    let highest_after = (last - PAGE as i64).max(0);
    let mut rng = rand::rng();
    let (mut anchor, mut direct, mut http) = (Vec::new(), Vec::new(), Vec::new());
    let mut bytes = (0, 0);
    for i in 0..reads + 20 {
        let after = rng.random_range(0..=highest_after);

        let t = Instant::now();
        let rows = core.db.conn().query_all_raw(anchor_sql.clone()).await?;
        let took_anchor = ms(t.elapsed());
        assert_eq!(rows.len() as u64, PAGE, "anchor rows");

        let t = Instant::now();
        let rows = feed::read(
            core,
            &FeedQuery {
                after,
                types: vec![],
                limit: PAGE,
            },
        )
        .await?;
        let body = serde_json::to_vec(&rows.iter().map(feed::view).collect::<Vec<_>>())?;
        let took_direct = ms(t.elapsed());
        assert_eq!(rows.len() as u64, PAGE, "feed rows");

        let t = Instant::now();
        let request = Request::builder()
            .uri(format!("/api/events?after={after}&limit={PAGE}"))
            .header(header::AUTHORIZATION, &bearer)
            .body(Body::empty())?;
        let response = router.clone().oneshot(request).await?;
        let status = response.status();
        let answer = axum::body::to_bytes(response.into_body(), usize::MAX).await?;
        let took_http = ms(t.elapsed());
        assert_eq!(
            status,
            StatusCode::OK,
            "{}",
            String::from_utf8_lossy(&answer)
        );

        if i >= 20 {
            anchor.push(took_anchor);
            direct.push(took_direct);
            http.push(took_http);
            bytes = (body.len(), answer.len());
        }
    }
    let (a50, a99) = p50_p99(&mut anchor);
    let (d50, d99) = p50_p99(&mut direct);
    let (h50, h99) = p50_p99(&mut http);
    println!(
        "{:<52} p50 {a50:7.2} ms  p99 {a99:7.2} ms  ({reads} reads)",
        "anchor: SELECT * FROM events ORDER BY id LIMIT 1000"
    );
    println!(
        "{:<52} p50 {d50:7.2} ms  p99 {d99:7.2} ms  ({} KB)",
        format!("feed read 1,000 of {last} events + JSON, in-process"),
        bytes.0 / 1024
    );
    println!(
        "{:<52} p50 {h50:7.2} ms  p99 {h99:7.2} ms  ({} KB)",
        "feed read 1,000 events, GET /api/events (router)",
        bytes.1 / 1024
    );
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let rate = arg(1, 100);
    let seconds = arg(2, 60);
    let users = arg(3, 200);
    let total_events = arg(4, 12_000);
    let reads = arg(5, 300);
    let url = std::env::var("DATABASE_URL")?;
    let dir = std::env::temp_dir().join(format!("souk-delivery-bench-{}", std::process::id()));
    let db = Db::connect(&url, 16).await?;
    db.migrate().await?;
    souk_core::catalog::seed_default_services(&db).await?;
    let mut core = Core::new(
        db.clone(),
        Settings::new(
            b"delivery-benchmark-secret-delivery-bench".to_vec(),
            "http://127.0.0.1".into(),
            dir.clone(),
        ),
        Arc::new(FileMailer::new(dir.join("mail"), "bench@souk.test")),
        storage_from_url(None, &dir.join("uploads"))?,
        PasswordHasher::with_params(256, 1),
    );

    let members = push_benchmark(&mut core, rate, seconds, users).await?;
    feed_benchmark(&core, members[0], total_events, reads).await?;

    let _ = std::fs::remove_dir_all(&dir);
    std::thread::sleep(Duration::from_millis(10));
    Ok(())
}
