//! Escrow fund+release cycles per second (issue 4), driven through the money
//! use-cases the HTTP handlers call (`escrow::fund_with_wallet`, and the
//! client's approval, which releases the escrow), without HTTP in the way.
//!
//! Set-up (not timed): clients and craftsmen, N hired jobs (plus a few per
//! pooled connection for the warm-up), each client's wallet topped up
//! through the ledger. Like `pgbench -i`, the set-up ends with `VACUUM
//! ANALYZE`. A warm-up (not timed) runs the warm-up jobs through the cycle
//! below. Then, timed, with C concurrent workers: every escrow funded
//! (wallet → escrow); untimed, every job started and submitted; timed
//! again, every job approved (escrow → craftsman + commission).
//! cycles/s = N / (funding time + release time). Ends with the
//! trial balance, which must be balanced. Each timed phase also prints the
//! WAL it wrote per cycle (PostgreSQL) and the machine's busy CPU per cycle.
//!
//! Usage: DATABASE_URL=… escrow_cycles [cycles=4000] [concurrency=32]
//! [warm-up cycles per pooled connection=8]
#![allow(
    clippy::as_conversions,
    clippy::cast_possible_truncation,
    clippy::cast_possible_wrap,
    clippy::indexing_slicing,
    reason = "a benchmark run by hand: small known counts, and a panic is a failed run"
)]

use std::{
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use futures::future::join_all;
use souk_core::{
    Core, Lang, Settings,
    accounts::{Authenticated, PasswordHasher, Role, register},
    marketplace::{jobs, quotes, transitions},
    money::{
        Account, Gateway, check, escrow,
        ledger::{self, Entry, EntryKind},
    },
};
use souk_db::{Db, DbBackendKind};
use souk_integrations::{mail::FileMailer, storage::storage_from_url};
use uuid::Uuid;

/// The server's allocator (crates/souk/src/main.rs), so the use-cases run
/// as they do there.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const PEOPLE: usize = 64;
/// Untimed warm-up cycles per pooled connection, unless the third argument
/// says otherwise (see the warm-up in `main`).
const WARM_UP_PER_CONNECTION: usize = 8;
const PRICE: i64 = 40_000;

/// Job i's craftsman: consecutive jobs (which concurrent workers take
/// together) go to different craftsmen, as do their clients (`i % PEOPLE`),
/// so the benchmark measures the ledger, not 32 workers queueing on one
/// person's wallet.
fn craftsman_of(i: usize) -> usize {
    (i * 7 + i / PEOPLE) % PEOPLE
}

fn arg(n: usize, default: usize) -> usize {
    std::env::args()
        .nth(n)
        .and_then(|a| a.parse().ok())
        .unwrap_or(default)
}

async fn member(
    core: &Core,
    role: &str,
    i: usize,
) -> Result<Authenticated, Box<dyn std::error::Error>> {
    let session = register::register(
        core,
        register::RegisterInput {
            email: Some(format!("{role}-{i}-{}@bench.souk", Uuid::now_v7().simple())),
            password: Some("Bench-only-pass-1".into()),
            role: Some(role.into()),
            first_name: Some("Bench".into()),
            last_name: Some(role.into()),
            ..Default::default()
        },
        Lang::En,
        &Default::default(),
    )
    .await?;
    let role = if role == "client" {
        Role::Client
    } else {
        Role::Craftsman
    };
    Ok(Authenticated {
        user: session.user,
        role,
        session_id: Uuid::nil(),
    })
}

/// PostgreSQL's current WAL position in bytes (`None` on SQLite), so each
/// timed phase can print the WAL it wrote per cycle: commits wait for WAL
/// flushes, so WAL volume is what a cycle costs the disk.
async fn wal_position(db: &Db) -> Option<i64> {
    use sea_orm::ConnectionTrait;
    let row = db
        .conn()
        .query_one_raw(sea_orm::Statement::from_string(
            sea_orm::DbBackend::Postgres,
            "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint AS at",
        ))
        .await
        .ok()??;
    row.try_get("", "at").ok()
}

/// The machine's busy CPU time so far in milliseconds (Linux `/proc/stat`:
/// user, nice, system, irq and softirq; not idle, I/O wait or steal), so each
/// phase can print the CPU a cycle costs the whole machine — steadier than
/// a rate on a shared two-core box.
fn machine_busy_ms() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let fields: Vec<f64> = stat
        .lines()
        .next()?
        .split_whitespace()
        .skip(1)
        .filter_map(|f| f.parse().ok())
        .collect();
    let busy = [0, 1, 2, 5, 6]
        .iter()
        .map(|&i| fields.get(i).copied().unwrap_or(0.0))
        .sum::<f64>();
    Some(busy * 10.0) // USER_HZ is 100 on Linux
}

/// Runs `work` over every item with `concurrency` workers; returns the time taken.
async fn run_all<T, F, Fut>(items: Vec<T>, concurrency: usize, work: F) -> Duration
where
    T: Send + 'static,
    F: Fn(T) -> Fut + Send + Sync + Clone + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let queue = Arc::new(Mutex::new(items));
    let started = Instant::now();
    let workers = (0..concurrency).map(|_| {
        let queue = queue.clone();
        let work = work.clone();
        tokio::spawn(async move {
            loop {
                let next = queue.lock().map(|mut q| q.pop()).unwrap_or(None);
                match next {
                    Some(item) => work(item).await,
                    None => break,
                }
            }
        })
    });
    for worker in join_all(workers).await {
        worker.expect("worker panicked");
    }
    started.elapsed()
}

/// The use-cases' context and the people the cycles are run by.
type People = (Core, Arc<Vec<Authenticated>>, Arc<Vec<Authenticated>>);

/// Posts `count` jobs, each quoted by its craftsman and hired by its
/// client; returns (index, job id) in index order.
async fn hire_all(people: &Arc<People>, count: usize, concurrency: usize) -> Vec<(usize, Uuid)> {
    let hired = Arc::new(Mutex::new(Vec::with_capacity(count)));
    let (people, into) = (people.clone(), hired.clone());
    run_all((0..count).collect(), concurrency, move |i: usize| {
        let (people, into) = (people.clone(), into.clone());
        async move {
            let (core, clients, craftsmen) = &*people;
            let (client, craftsman) = (&clients[i % PEOPLE], &craftsmen[craftsman_of(i)]);
            let input = jobs::JobInput {
                title: Some(format!("Benchmark job {i}")),
                description: Some("Fix a leaking pipe under the kitchen sink.".into()),
                category: Some("plumbing".into()),
                location: Some((30.0444, 31.2357)),
                budget_min: Some(20_000),
                budget_max: Some(50_000),
                payment_type: Some("escrow".into()),
                ..Default::default()
            };
            let job = jobs::create(core, client, input).await.expect("job");
            let price = Some(PRICE);
            let quote = quotes::QuoteInput {
                price,
                ..Default::default()
            };
            let quote = quotes::submit(core, craftsman, job.id, quote)
                .await
                .expect("quote");
            quotes::accept(core, client, job.id, quote.id)
                .await
                .expect("hire");
            into.lock().expect("lock").push((i, job.id));
        }
    })
    .await;
    let mut hired = std::mem::take(&mut *hired.lock().expect("lock"));
    hired.sort_unstable();
    hired
}

/// Funds every job's escrow from its client's wallet; returns the time taken.
async fn fund_all(people: &Arc<People>, jobs: Vec<(usize, Uuid)>, concurrency: usize) -> Duration {
    let people = people.clone();
    run_all(jobs, concurrency, move |(i, job)| {
        let people = people.clone();
        async move {
            let (core, clients, _) = &*people;
            escrow::fund_with_wallet(core, &clients[i % PEOPLE], job, None)
                .await
                .expect("fund");
        }
    })
    .await
}

/// The craftsman starts and submits every job.
async fn progress_all(people: &Arc<People>, jobs: Vec<(usize, Uuid)>, concurrency: usize) {
    let people = people.clone();
    run_all(jobs, concurrency, move |(i, job)| {
        let people = people.clone();
        async move {
            let (core, _, craftsmen) = &*people;
            let craftsman = &craftsmen[craftsman_of(i)];
            for to in ["in_progress", "work_submitted"] {
                souk_core::disputes::by_job::change_status(core, craftsman, job, Some(to), None)
                    .await
                    .expect("progress");
            }
        }
    })
    .await;
}

/// The client approves every job, which releases its escrow; returns the time taken.
async fn release_all(
    people: &Arc<People>,
    jobs: Vec<(usize, Uuid)>,
    concurrency: usize,
) -> Duration {
    let people = people.clone();
    run_all(jobs, concurrency, move |(i, job)| {
        let people = people.clone();
        async move {
            let (core, clients, _) = &*people;
            transitions::approve(core, &clients[i % PEOPLE], job)
                .await
                .expect("approve");
        }
    })
    .await
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let cycles = arg(1, 4000);
    let concurrency = arg(2, 32);
    let connections = (concurrency as u32 + 4).max(8);
    let warm_up = connections as usize * arg(3, WARM_UP_PER_CONNECTION);
    let url = std::env::var("DATABASE_URL")?;
    let dir = std::env::temp_dir().join(format!("souk-escrow-bench-{}", std::process::id()));
    let db = Db::connect(&url, connections).await?;
    db.migrate().await?;
    souk_core::catalog::seed_default_services(&db).await?;
    let settings = Settings::new(
        b"escrow-benchmark-secret-escrow-benchmark".to_vec(),
        "http://127.0.0.1".into(),
        dir.clone(),
    );
    let core = Core::new(
        db.clone(),
        settings,
        Arc::new(FileMailer::new(dir.join("mail"), "bench@souk.test")),
        storage_from_url(None, &dir.join("uploads"))?,
        PasswordHasher::with_params(256, 1),
    );

    // Set-up: people, hired jobs, money in the clients' wallets.
    let t0 = Instant::now();
    let mut clients = Vec::new();
    let mut craftsmen = Vec::new();
    for i in 0..PEOPLE {
        clients.push(member(&core, "client", i).await?);
        craftsmen.push(member(&core, "craftsman", i).await?);
    }
    let people = Arc::new((core.clone(), Arc::new(clients), Arc::new(craftsmen)));
    let hired = hire_all(&people, warm_up + cycles, concurrency).await;
    // Keys unique to this run, so a database can be reused between runs.
    let run = Uuid::now_v7().simple();
    for (i, client) in people.1.iter().enumerate() {
        let jobs_of_client = (warm_up + cycles).div_ceil(PEOPLE) as i64;
        let txn = db.begin_write().await?;
        let entry = Entry::new(EntryKind::Deposit, format!("bench_deposit:{run}:{i}")).transfer(
            Account::Clearing(Gateway::Sandbox),
            Account::Wallet(client.user.id),
            PRICE * jobs_of_client,
        );
        ledger::post(&*txn, "EGP", entry).await?;
        txn.commit().await?;
    }
    // As `pgbench -i` ends its set-up: the data just written is vacuumed and
    // its statistics gathered, so the timed phases run on plans made for the
    // tables as they are, not for the empty tables the set-up started from.
    if db.kind() == DbBackendKind::Postgres {
        use sea_orm::ConnectionTrait;
        db.conn().execute_unprepared("VACUUM ANALYZE").await?;
    }
    eprintln!(
        "set-up: {} hired jobs in {:.1}s",
        hired.len(),
        t0.elapsed().as_secs_f64()
    );

    // Untimed: a warm-up, as any benchmark has. Each pooled connection
    // prepares the money statements on first use, and PostgreSQL plans a
    // prepared statement for its parameters on its first five runs before
    // settling on one plan; that start-up is not the steady state measured.
    let (warm, measured) = hired.split_at(warm_up);
    fund_all(&people, warm.to_vec(), concurrency).await;
    progress_all(&people, warm.to_vec(), concurrency).await;
    release_all(&people, warm.to_vec(), concurrency).await;

    // Timed: fund every escrow from the client's wallet.
    let wal_before_funding = wal_position(&db).await;
    let cpu_before_funding = machine_busy_ms();
    let fund_time = fund_all(&people, measured.to_vec(), concurrency).await;
    let wal_after_funding = wal_position(&db).await;
    let cpu_after_funding = machine_busy_ms();
    // Untimed: the work happens.
    progress_all(&people, measured.to_vec(), concurrency).await;
    // Timed: the client approves; the escrow is released.
    let wal_before_release = wal_position(&db).await;
    let cpu_before_release = machine_busy_ms();
    let release_time = release_all(&people, measured.to_vec(), concurrency).await;
    let wal_after_release = wal_position(&db).await;
    let cpu_after_release = machine_busy_ms();
    let n = measured.len() as f64;
    let total = fund_time + release_time;
    let balance = check::trial_balance(&core).await?;
    println!(
        "escrow cycles: {} cycles (after {warm_up} to warm up), {concurrency} workers: funding {:.0}/s ({:.2}s), release {:.0}/s ({:.2}s)",
        measured.len(),
        n / fund_time.as_secs_f64(),
        fund_time.as_secs_f64(),
        n / release_time.as_secs_f64(),
        release_time.as_secs_f64()
    );
    println!(
        "escrow fund+release cycles/s: {:.1}",
        n / total.as_secs_f64()
    );
    if let (Some(a), Some(b), Some(c), Some(d)) = (
        wal_before_funding,
        wal_after_funding,
        wal_before_release,
        wal_after_release,
    ) {
        println!(
            "WAL per cycle: funding {:.0} bytes, release {:.0} bytes",
            (b - a) as f64 / n,
            (d - c) as f64 / n
        );
    }
    if let (Some(a), Some(b), Some(c), Some(d)) = (
        cpu_before_funding,
        cpu_after_funding,
        cpu_before_release,
        cpu_after_release,
    ) {
        println!(
            "machine CPU per cycle: funding {:.3} ms, release {:.3} ms",
            (b - a) / n,
            (d - c) / n
        );
    }
    println!(
        "trial balance: balanced={} accounts={} entries={} mismatches={}",
        balance.balanced,
        balance.accounts,
        balance.entries,
        balance.mismatches.len()
    );
    let _ = std::fs::remove_dir_all(&dir);
    if !balance.balanced {
        return Err("the ledger is not balanced".into());
    }
    Ok(())
}
