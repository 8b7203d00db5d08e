//! Micro-task submission + approval cycles per second (issue 18), driven
//! through the use-cases the HTTP handlers call (`tasks::submit::submit`,
//! `tasks::decide::request`), without HTTP in the way, on the database
//! `DATABASE_URL` names.
//!
//! Set-up (not timed): 64 buyers each post one task with 64 slots (funded
//! through the ledger), 64 workers. Timed: C concurrent workers each submit
//! to the tasks in turn (worker w's i-th cycle goes to task (w + i) mod 64,
//! so concurrent cycles land on different tasks) and the task's buyer
//! approves at once. cycles/s = cycles / time. Ends with the trial balance,
//! which must be balanced. PostgreSQL's anchor is `pgbench` TPC-B, run by
//! `bench/tasks.sh` in the same run.
//!
//! Usage: DATABASE_URL=… task_cycles [concurrency=32]
#![allow(
    clippy::as_conversions,
    clippy::cast_precision_loss,
    clippy::indexing_slicing,
    reason = "a benchmark run by hand: small known counts, and a panic is a failed run"
)]

use std::{sync::Arc, time::Instant};

use chrono::{Duration, Utc};
use futures::future::join_all;
use souk_bench::people::member;
use souk_core::{
    Core, Settings,
    accounts::{PasswordHasher, Role},
    money::{
        Account, Gateway, check,
        ledger::{self, Entry, EntryKind},
    },
    tasks::{decide, post, submit},
};
use souk_db::{Db, enums::SubmissionStatus};
use souk_integrations::{mail::FileMailer, storage::storage_from_url};
use uuid::Uuid;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const PEOPLE: usize = 64;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let concurrency: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(32);
    let url = std::env::var("DATABASE_URL")?;
    let dir = std::env::temp_dir().join(format!("souk-task-bench-{}", std::process::id()));
    let connections = u32::try_from(concurrency)
        .unwrap_or(32)
        .saturating_add(4)
        .max(8);
    let db = Db::connect(&url, connections).await?;
    db.migrate().await?;
    souk_core::catalog::seed_default_services(&db).await?;
    let core = Core::new(
        db.clone(),
        Settings::new(
            b"task-benchmark-secret-task-benchmark-0".to_vec(),
            "http://127.0.0.1".into(),
            dir.clone(),
        ),
        Arc::new(FileMailer::new(dir.join("mail"), "bench@souk.test")),
        storage_from_url(None, &dir.join("uploads"))?,
        PasswordHasher::with_params(256, 1),
    );
    let run = Uuid::now_v7().simple();
    let mut buyers = Vec::new();
    let mut tasks = Vec::new();
    for i in 0..PEOPLE {
        let buyer = member(&core, Role::Client, i).await;
        let txn = db.begin_write().await?;
        let entry = Entry::new(EntryKind::Deposit, format!("bench_task_deposit:{run}:{i}"))
            .transfer(
                Account::Clearing(Gateway::Sandbox),
                Account::Wallet(buyer.user.id),
                64 * 1000,
            );
        ledger::post(&*txn, "EGP", entry).await?;
        txn.commit().await?;
        let task = post::create(
            &core,
            &buyer,
            post::TaskInput {
                title: Some(format!("Bench task {i}")),
                detail: Some("Tag the photos".into()),
                submission_info: Some("A screenshot".into()),
                required_workers: Some(64),
                payable_amount: Some(1000),
                completion_date: Some((Utc::now() + Duration::days(7)).to_rfc3339()),
                category: None,
            },
        )
        .await?;
        tasks.push(task.id);
        buyers.push(buyer);
    }
    let mut workers = Vec::new();
    for i in 0..PEOPLE {
        workers.push(member(&core, Role::Craftsman, i).await);
    }
    let people = Arc::new((core.clone(), buyers, workers, tasks));
    let t = Instant::now();
    let runs = (0..concurrency).map(|w| {
        let people = people.clone();
        tokio::spawn(async move {
            let (core, buyers, workers, tasks) = &*people;
            let mut done = 0usize;
            // Each worker submits once to every task, starting at its own.
            let worker = &workers[w % PEOPLE];
            for i in 0..PEOPLE {
                let t = (w + i) % PEOPLE;
                let made = submit::submit(
                    core,
                    worker,
                    tasks[t],
                    submit::SubmissionInput {
                        details: Some("Done".into()),
                        attachments: Vec::new(),
                    },
                )
                .await;
                let Ok(made) = made else { continue };
                let ask = decide::Decision {
                    submission: made.id,
                    to: SubmissionStatus::Approved,
                    reason: None,
                };
                if decide::request(core, &buyers[t], ask).await.is_ok() {
                    done += 1;
                }
            }
            done
        })
    });
    let cycles: usize = join_all(runs)
        .await
        .into_iter()
        .map(|r| r.unwrap_or(0))
        .sum();
    let secs = t.elapsed().as_secs_f64();
    println!(
        "submission + approval cycles/s, {concurrency} workers  {:8.1}  ({cycles} in {secs:.1}s)",
        cycles as f64 / secs
    );
    let balance = check::trial_balance(&core).await?;
    println!("trial balance: balanced = {}", balance.balanced);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
