//! Escrow fund+release cycles per second (issue 4), driven through the money
//! use-cases the HTTP handlers call (`escrow::fund_with_wallet`, and the
//! client's approval, which releases the escrow), without HTTP in the way.
//!
//! Set-up (not timed): clients and craftsmen, N hired jobs, each client's
//! wallet topped up through the ledger. Then, timed, with C concurrent
//! workers: every escrow funded (wallet → escrow); untimed, every job started
//! and submitted; timed again, every job approved (escrow → craftsman +
//! commission). cycles/s = N / (funding time + release time). Ends with the
//! trial balance, which must be balanced.
//!
//! Usage: DATABASE_URL=… escrow_cycles [cycles=4000] [concurrency=32]

use std::{
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use futures::future::join_all;
use souk_core::{
    Core, Lang, Settings,
    accounts::{Authenticated, PasswordHasher, Role, register},
    marketplace::{jobs, quotes},
    money::{
        Account, Gateway, check, escrow,
        ledger::{self, Entry, EntryKind},
    },
};
use souk_db::Db;
use souk_integrations::{mail::FileMailer, storage::storage_from_url};
use uuid::Uuid;

const PEOPLE: usize = 64;
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

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let cycles = arg(1, 4000);
    let concurrency = arg(2, 32);
    let url = std::env::var("DATABASE_URL")?;
    let dir = std::env::temp_dir().join(format!("souk-escrow-bench-{}", std::process::id()));
    let db = Db::connect(&url, (concurrency as u32 + 4).max(8)).await?;
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
    let clients = Arc::new(clients);
    let craftsmen = Arc::new(craftsmen);
    let hired = Arc::new(Mutex::new(Vec::with_capacity(cycles)));
    {
        let (core, clients, craftsmen, hired) = (
            core.clone(),
            clients.clone(),
            craftsmen.clone(),
            hired.clone(),
        );
        run_all((0..cycles).collect(), concurrency, move |i: usize| {
            let (core, clients, craftsmen, hired) = (
                core.clone(),
                clients.clone(),
                craftsmen.clone(),
                hired.clone(),
            );
            async move {
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
                let job = jobs::create(&core, client, input).await.expect("job");
                let quote = quotes::submit(
                    &core,
                    craftsman,
                    job.id,
                    quotes::QuoteInput {
                        price: Some(PRICE),
                        ..Default::default()
                    },
                )
                .await
                .expect("quote");
                quotes::accept(&core, client, job.id, quote.id)
                    .await
                    .expect("hire");
                hired.lock().expect("lock").push((i, job.id));
            }
        })
        .await;
    }
    for (i, client) in clients.iter().enumerate() {
        let jobs_of_client = cycles.div_ceil(PEOPLE) as i64;
        let txn = db.begin_write().await?;
        let entry = Entry::new(EntryKind::Deposit, format!("bench_deposit:{i}")).transfer(
            Account::Clearing(Gateway::Sandbox),
            Account::Wallet(client.user.id),
            PRICE * jobs_of_client,
        );
        ledger::post(&*txn, "EGP", entry).await?;
        txn.commit().await?;
    }
    let hired: Vec<(usize, Uuid)> = std::mem::take(&mut *hired.lock().expect("lock"));
    eprintln!(
        "set-up: {} hired jobs in {:.1}s",
        hired.len(),
        t0.elapsed().as_secs_f64()
    );

    // Timed: fund every escrow from the client's wallet.
    let fund_time = {
        let (core, clients) = (core.clone(), clients.clone());
        run_all(hired.clone(), concurrency, move |(i, job)| {
            let (core, clients) = (core.clone(), clients.clone());
            async move {
                escrow::fund_with_wallet(&core, &clients[i % PEOPLE], job, None)
                    .await
                    .expect("fund");
            }
        })
        .await
    };
    // Untimed: the work happens.
    {
        let (core, craftsmen) = (core.clone(), craftsmen.clone());
        run_all(hired.clone(), concurrency, move |(i, job)| {
            let (core, craftsmen) = (core.clone(), craftsmen.clone());
            async move {
                let craftsman = &craftsmen[craftsman_of(i)];
                for to in ["in_progress", "work_submitted"] {
                    jobs::change_status(&core, craftsman, job, Some(to), None)
                        .await
                        .expect("progress");
                }
            }
        })
        .await;
    }
    // Timed: the client approves; the escrow is released.
    let release_time = {
        let (core, clients) = (core.clone(), clients.clone());
        run_all(hired.clone(), concurrency, move |(i, job)| {
            let (core, clients) = (core.clone(), clients.clone());
            async move {
                jobs::change_status(&core, &clients[i % PEOPLE], job, Some("completed"), None)
                    .await
                    .expect("approve");
            }
        })
        .await
    };

    let n = hired.len() as f64;
    let total = fund_time + release_time;
    let balance = check::trial_balance(&core).await?;
    println!(
        "escrow cycles: {} cycles, {concurrency} workers: funding {:.0}/s ({:.2}s), release {:.0}/s ({:.2}s)",
        hired.len(),
        n / fund_time.as_secs_f64(),
        fund_time.as_secs_f64(),
        n / release_time.as_secs_f64(),
        release_time.as_secs_f64()
    );
    println!(
        "escrow fund+release cycles/s: {:.1}",
        n / total.as_secs_f64()
    );
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
