//! Bookings (issue 17), driven through the use-cases the HTTP handlers call
//! (`bookings::open_slots::slots`, `bookings::book::create`), without HTTP in the
//! way, on the database `DATABASE_URL` names.
//!
//! 1. Slots: one offering whose provider has 1,000 bookings over the next
//!    30 days; a single client asks its 30 days of free slots R times in a
//!    row: p50/p99, beside the same call for a provider with no bookings
//!    (the schedule's expansion alone) as the anchor.
//! 2. Contention: C concurrent clients book distinct slots of 100
//!    providers (each slot once, spread so consecutive bookings go to
//!    different providers): bookings/s. On SQLite the anchor is measured
//!    here too: the same C workers each committing one-row write
//!    transactions through the same pool and writer lock. PostgreSQL's
//!    anchor is `pgbench` TPC-B, run by `bench/bookings.sh`.
//!
//! Usage: DATABASE_URL=… booking_load [bookings=6400] [concurrency=64]
//! [slot reads=300]
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
    sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    },
    time::{Duration, Instant},
};

use chrono::{Duration as Span, Utc};
use futures::future::join_all;
use sea_orm::ConnectionTrait;
use serde_json::json;
use souk_bench::people::member;
use souk_core::{
    Core, Settings,
    accounts::{Authenticated, PasswordHasher, Role},
    bookings::{book, offerings, open_slots, schedule},
    money::settings,
};
use souk_db::{Db, DbBackendKind};
use souk_integrations::{mail::FileMailer, storage::storage_from_url};
use uuid::Uuid;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const PROVIDERS: usize = 100;
const CLIENTS: usize = 64;
const SLOT_MINUTES: i64 = 30;

fn arg(n: usize, default: usize) -> usize {
    std::env::args()
        .nth(n)
        .and_then(|a| a.parse().ok())
        .unwrap_or(default)
}

/// A provider open around the clock (UTC) with a 30-minute offering.
async fn provider(core: &Core, i: usize) -> (Authenticated, Uuid) {
    let who = member(core, Role::Craftsman, i).await;
    let weekly: Vec<_> = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        .iter()
        .map(|d| json!({"day": d, "start": "00:00", "end": "24:00"}))
        .collect();
    schedule::put(core, &who, &json!({"timeZone": "UTC", "weekly": weekly}))
        .await
        .expect("schedule");
    let offering = offerings::create(
        core,
        &who,
        offerings::OfferingInput {
            title_en: Some(format!("Bench service {i}")),
            description_en: Some("A benchmark offering".into()),
            category: Some("plumbing".into()),
            price: Some(10_000),
            duration_minutes: Some(SLOT_MINUTES),
            min_notice_minutes: Some(0),
            buffer_minutes: Some(0),
            ..Default::default()
        },
    )
    .await
    .expect("offering");
    (who, offering.id)
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[at.min(sorted.len() - 1)]
}

async fn time_slots(core: &Core, offering: Uuid, reads: usize) -> (f64, f64, usize) {
    let today = Utc::now().date_naive();
    let from = (today + Span::days(1)).to_string();
    let to = (today + Span::days(30)).to_string();
    let mut took = Vec::with_capacity(reads);
    let mut found = 0;
    for _ in 0..reads {
        let t = Instant::now();
        let free = open_slots::slots(core, None, offering, Some(&from), Some(&to))
            .await
            .expect("slots");
        took.push(t.elapsed().as_secs_f64() * 1000.0);
        found = free.len();
    }
    took.sort_by(f64::total_cmp);
    (percentile(&took, 0.5), percentile(&took, 0.99), found)
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let total = arg(1, 6400);
    let concurrency = arg(2, 64);
    let reads = arg(3, 300);
    let url = std::env::var("DATABASE_URL")?;
    let dir = std::env::temp_dir().join(format!("souk-booking-bench-{}", std::process::id()));
    let connections = (concurrency as u32 + 4).max(8);
    let db = Db::connect(&url, connections).await?;
    db.migrate().await?;
    souk_core::catalog::seed_default_services(&db).await?;
    let core = Core::new(
        db.clone(),
        Settings::new(
            b"booking-benchmark-secret-booking-bench".to_vec(),
            "http://127.0.0.1".into(),
            dir.clone(),
        ),
        Arc::new(FileMailer::new(dir.join("mail"), "bench@souk.test")),
        storage_from_url(None, &dir.join("uploads"))?,
        PasswordHasher::with_params(256, 1),
    );
    // A horizon wide enough for every slot booked below.
    let mut rules = settings::load(db.conn(), &core.settings).await?;
    rules.booking_horizon_days = 730;
    settings::save(db.conn(), &rules, Uuid::nil()).await?;

    let t0 = Instant::now();
    let mut providers = Vec::new();
    for i in 0..=PROVIDERS {
        providers.push(provider(&core, i).await);
    }
    let mut clients = Vec::new();
    for i in 0..CLIENTS {
        clients.push(member(&core, Role::Client, i).await);
    }
    let first = (Utc::now().date_naive() + Span::days(1))
        .and_hms_opt(0, 0, 0)
        .map(|d| d.and_utc())
        .expect("midnight");
    let start_of = |k: usize| (first + Span::minutes(SLOT_MINUTES * k as i64)).to_rfc3339();
    // Provider 0's 1,000 bookings over its next 30 days (of 1,440 slots).
    let busy = providers[0].1;
    for n in 0..1000 {
        let k = n * 1440 / 1000;
        book::create(
            &core,
            &clients[n % CLIENTS],
            book::NewBooking {
                offering: Some(busy),
                start_at: Some(start_of(k)),
                ..Default::default()
            },
        )
        .await
        .expect("seed booking");
    }
    if db.kind() == DbBackendKind::Postgres {
        db.conn().execute_unprepared("VACUUM ANALYZE").await?;
    }
    eprintln!("set-up: {:.1}s", t0.elapsed().as_secs_f64());

    // 1. Slots, single client (a warm-up round first).
    let quiet = providers[1].1;
    time_slots(&core, busy, 20).await;
    time_slots(&core, quiet, 20).await;
    let (a50, a99, a_found) = time_slots(&core, quiet, reads).await;
    let (b50, b99, b_found) = time_slots(&core, busy, reads).await;
    println!(
        "slots 30 days, no bookings (anchor)     p50 {a50:6.2} ms  p99 {a99:6.2} ms  ({a_found} free)"
    );
    println!(
        "slots 30 days, 1,000 bookings           p50 {b50:6.2} ms  p99 {b99:6.2} ms  ({b_found} free)"
    );

    // 2. Contention: distinct slots of providers 1..=100.
    let core = Arc::new(core);
    let clients = Arc::new(clients);
    let offerings: Arc<Vec<Uuid>> = Arc::new(providers[1..].iter().map(|p| p.1).collect());
    let next = Arc::new(AtomicUsize::new(0));
    let refused = Arc::new(AtomicUsize::new(0));
    let t = Instant::now();
    let workers = (0..concurrency).map(|w| {
        let (core, clients, offerings, next, refused) = (
            core.clone(),
            clients.clone(),
            offerings.clone(),
            next.clone(),
            refused.clone(),
        );
        async move {
            loop {
                let c = next.fetch_add(1, Ordering::Relaxed);
                if c >= total {
                    break;
                }
                let (p, k) = (c % PROVIDERS, c / PROVIDERS);
                let made = book::create(
                    &core,
                    &clients[w % CLIENTS],
                    book::NewBooking {
                        offering: Some(offerings[p]),
                        start_at: Some(
                            (first + Span::minutes(SLOT_MINUTES * k as i64)).to_rfc3339(),
                        ),
                        ..Default::default()
                    },
                )
                .await;
                if made.is_err() {
                    refused.fetch_add(1, Ordering::Relaxed);
                }
            }
        }
    });
    join_all(workers.map(tokio::spawn)).await;
    let secs = t.elapsed().as_secs_f64();
    println!(
        "bookings/s, {concurrency} clients, {PROVIDERS} providers  {:8.1}  ({total} in {secs:.1}s, {} refused)",
        total as f64 / secs,
        refused.load(Ordering::Relaxed)
    );

    if db.kind() == DbBackendKind::Sqlite {
        db.conn()
            .execute_unprepared(
                "CREATE TABLE IF NOT EXISTS bench_anchor (id INTEGER PRIMARY KEY, provider INTEGER, hold_from INTEGER, hold_to INTEGER)",
            )
            .await?;
        let next = Arc::new(AtomicUsize::new(0));
        let t = Instant::now();
        let workers = (0..concurrency).map(|_| {
            let (db, next) = (db.clone(), next.clone());
            async move {
                loop {
                    let c = next.fetch_add(1, Ordering::Relaxed);
                    if c >= total {
                        break;
                    }
                    let txn = db.begin_write().await.expect("begin");
                    txn.execute_unprepared(&format!(
                        "INSERT INTO bench_anchor (provider, hold_from, hold_to) VALUES ({}, {c}, {})",
                        c % PROVIDERS,
                        c + 1
                    ))
                    .await
                    .expect("insert");
                    txn.commit().await.expect("commit");
                }
            }
        });
        join_all(workers.map(tokio::spawn)).await;
        let secs = t.elapsed().as_secs_f64();
        println!(
            "anchor: one-row write transactions/s     {:8.1}  (SQLite, same pool and writer lock)",
            total as f64 / secs
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
    std::thread::sleep(Duration::from_millis(10));
    Ok(())
}
