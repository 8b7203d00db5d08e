//! The ledger's invariants under random and concurrent use: random sequences
//! of fund / release / refund / split / tip / top-up / withdraw / approve /
//! reject keep the trial balance at zero and every wallet at or above zero;
//! 50 parallel approve / withdraw / tip requests never overdraw and never
//! pay twice.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;

use futures::future::join_all;
use serde_json::{Value, json};
use souk_core::accounts::Role;

use crate::{
    money::{assert_balanced, ledger_check, scalar},
    support::*,
};

/// A small deterministic generator (xorshift64*), so a failing seed replays.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn amount(&mut self, max: i64) -> i64 {
        1 + self.below(max as u64) as i64
    }
}

async fn status(app: &TestApp, id: &str, to: &str, who: &Account) -> TestResponse {
    app.patch(
        &format!("/api/jobs/{id}/status"),
        json!({"status": to, "reason": "property test"}),
        Some(&who.access),
    )
    .await
}

/// A job in the pool, with its parties (indexes) and what the test knows.
struct Job {
    id: String,
    client: usize,
    craftsman: usize,
}

async fn job_status(app: &TestApp, job: &Job, clients: &[Account]) -> String {
    app.get(
        &format!("/api/jobs/{}", job.id),
        Some(&clients[job.client].access),
    )
    .await
    .str("/status")
}

async fn contract(app: &TestApp, job: &Job, clients: &[Account]) -> Value {
    app.get(
        &format!("/api/jobs/{}/escrow", job.id),
        Some(&clients[job.client].access),
    )
    .await
    .body
}

/// Every answer of a money request is a success or a clean refusal.
fn expect_clean(response: &TestResponse, what: &str) {
    let code = response.status.as_u16();
    assert!(
        (200..300).contains(&code) || [400, 403, 409].contains(&code),
        "{what}: {code} {}",
        response.body
    );
}

async fn run_sequence(seed: u64, steps: usize) -> BTreeSet<String> {
    let app = TestApp::spawn().await;
    let admin = app.staff(Role::Admin).await;
    app.put(
        "/api/admin/settings",
        json!({"withdrawalMinimum": 100, "withdrawalFeeBps": 150}),
        Some(&admin.access),
    )
    .await
    .assert_status(200);
    let clients = vec![app.register("client").await, app.register("client").await];
    let craftsmen = [
        app.register("craftsman").await,
        app.register("craftsman").await,
    ];
    let everyone: Vec<&Account> = clients.iter().chain(craftsmen.iter()).collect();
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut jobs: Vec<Job> = Vec::new();
    let mut withdrawals: Vec<String> = Vec::new();
    for step in 0..steps {
        let what = format!("seed {seed} step {step}");
        match rng.below(12) {
            // top-up (some declined)
            0 | 1 => {
                let who = everyone[rng.below(4) as usize];
                let started = app
                    .post(
                        "/api/wallet/top-up",
                        json!({"amount": rng.amount(90_000)}),
                        Some(&who.access),
                    )
                    .await;
                started.assert_status(201);
                let verdict = if rng.below(5) == 0 {
                    "fail"
                } else {
                    "complete"
                };
                app.post(
                    &format!(
                        "/api/payments/sandbox/{}/{verdict}",
                        started.str("/paymentId")
                    ),
                    json!({}),
                    Some(&who.access),
                )
                .await
                .assert_status(200);
            }
            // hire, then fund from the wallet (may be refused)
            2 => {
                let (c, k) = (rng.below(2) as usize, rng.below(2) as usize);
                let id = ContractBuilder::new(&app, &clients[c], &craftsmen[k])
                    .create_id()
                    .await;
                let funded = app
                    .post(
                        &format!("/api/jobs/{id}/escrow/fund"),
                        json!({}),
                        Some(&clients[c].access),
                    )
                    .await;
                expect_clean(&funded, &what);
                jobs.push(Job {
                    id,
                    client: c,
                    craftsman: k,
                });
            }
            // release: start, submit, approve
            3 | 4 => {
                let Some(job) = pick(&mut rng, &jobs) else {
                    continue;
                };
                for (to, by_client) in [
                    ("in_progress", false),
                    ("work_submitted", false),
                    ("completed", true),
                ] {
                    let who = if by_client {
                        &clients[job.client]
                    } else {
                        &craftsmen[job.craftsman]
                    };
                    expect_clean(&status(&app, &job.id, to, who).await, &what);
                }
            }
            // staff refund (part or all)
            5 => {
                let Some(job) = pick(&mut rng, &jobs) else {
                    continue;
                };
                let escrow = contract(&app, job, &clients).await;
                let held = escrow["held"].as_i64().unwrap_or(0);
                let body = if held > 1 && rng.below(2) == 0 {
                    json!({"amount": rng.amount(held)})
                } else {
                    json!({})
                };
                let refund = app
                    .post(
                        &format!(
                            "/api/admin/contracts/{}/refund",
                            escrow["contractId"].as_str().unwrap()
                        ),
                        body,
                        Some(&admin.access),
                    )
                    .await;
                expect_clean(&refund, &what);
            }
            // split: dispute, refund part, staff complete
            6 => {
                let Some(job) = pick(&mut rng, &jobs) else {
                    continue;
                };
                expect_clean(
                    &status(&app, &job.id, "disputed", &clients[job.client]).await,
                    &what,
                );
                if job_status(&app, job, &clients).await == "disputed" {
                    let escrow = contract(&app, job, &clients).await;
                    let held = escrow["held"].as_i64().unwrap_or(0);
                    if held > 1 {
                        app.post(
                            &format!(
                                "/api/admin/contracts/{}/refund",
                                escrow["contractId"].as_str().unwrap()
                            ),
                            json!({"amount": rng.amount(held - 1)}),
                            Some(&admin.access),
                        )
                        .await
                        .assert_status(200);
                    }
                    let end = if rng.below(2) == 0 {
                        "completed"
                    } else {
                        "cancelled"
                    };
                    status(&app, &job.id, end, &admin).await.assert_status(200);
                }
            }
            // cancel by someone, somewhere in the lifecycle
            7 => {
                let Some(job) = pick(&mut rng, &jobs) else {
                    continue;
                };
                if rng.below(2) == 0 {
                    expect_clean(
                        &status(&app, &job.id, "on_the_way", &craftsmen[job.craftsman]).await,
                        &what,
                    );
                }
                let who = if rng.below(2) == 0 {
                    &clients[job.client]
                } else {
                    &craftsmen[job.craftsman]
                };
                expect_clean(&status(&app, &job.id, "cancelled", who).await, &what);
            }
            // tip
            8 => {
                let Some(job) = pick(&mut rng, &jobs) else {
                    continue;
                };
                let tip = app
                    .post(
                        &format!("/api/jobs/{}/tip", job.id),
                        json!({"amount": rng.amount(5_000)}),
                        Some(&clients[job.client].access),
                    )
                    .await;
                expect_clean(&tip, &what);
            }
            // withdraw
            9 => {
                let who = everyone[rng.below(4) as usize];
                let asked = app
                    .post("/api/wallet/withdraw", json!({"amount": rng.amount(40_000), "method": "sandbox", "destination": "acct"}), Some(&who.access))
                    .await;
                expect_clean(&asked, &what);
                if asked.status == 201 {
                    withdrawals.push(asked.str("/id"));
                }
            }
            // approve or reject a pending withdrawal
            _ => {
                if withdrawals.is_empty() {
                    continue;
                }
                let id = withdrawals.swap_remove(rng.below(withdrawals.len() as u64) as usize);
                let verdict = if rng.below(2) == 0 {
                    "approve"
                } else {
                    "reject"
                };
                app.post(
                    &format!("/api/admin/withdrawals/{id}/{verdict}"),
                    json!({}),
                    Some(&admin.access),
                )
                .await
                .assert_status(200);
            }
        }
        for who in &everyone {
            let balance = app.balance(who).await;
            assert!(
                balance["available"].as_i64().unwrap() >= 0,
                "{what}: {balance}"
            );
            assert!(balance["held"].as_i64().unwrap() >= 0, "{what}: {balance}");
        }
        if step % 10 == 9 {
            assert_balanced(&app).await;
        }
    }
    let check = assert_balanced(&app).await;
    assert!(
        check["entries"].as_u64().unwrap() > 0,
        "seed {seed} moved no money"
    );
    entry_kinds(&app).await
}

/// The kinds of entries written so far.
async fn entry_kinds(app: &TestApp) -> BTreeSet<String> {
    use sea_orm::{EntityTrait, QuerySelect};
    use souk_db::entities::ledger_entries;
    ledger_entries::Entity::find()
        .select_only()
        .column(ledger_entries::Column::Kind)
        .distinct()
        .into_tuple::<String>()
        .all(app.core.db.conn())
        .await
        .unwrap()
        .into_iter()
        .collect()
}

fn pick<'a>(rng: &mut Rng, jobs: &'a [Job]) -> Option<&'a Job> {
    (!jobs.is_empty()).then(|| &jobs[rng.below(jobs.len() as u64) as usize])
}

#[tokio::test]
async fn random_money_sequences_keep_the_books_balanced_and_wallets_non_negative() {
    // A fixed set of seeds (replayable), plus one from the environment when given.
    let mut seeds = vec![1, 2, 3];
    if let Some(seed) = std::env::var("SOUK_LEDGER_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
    {
        seeds.push(seed);
    }
    let mut seen = BTreeSet::new();
    for seed in seeds {
        seen.extend(run_sequence(seed, 80).await);
    }
    // The sequences really exercised every kind of movement.
    for kind in [
        "deposit",
        "escrow_fund",
        "escrow_release",
        "refund",
        "tip",
        "withdrawal",
        "payout",
    ] {
        assert!(
            seen.contains(kind),
            "no {kind} entry in any sequence: {seen:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_parallel_approvals_tips_and_withdrawals_never_overdraw_or_pay_twice() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    // The craftsman earned 38,000 on an earlier job; the client has 10,000 left.
    let earlier = ContractBuilder::new(&app, &client, &craftsman)
        .funded()
        .create_id()
        .await;
    let job = ContractBuilder::new(&app, &client, &craftsman)
        .funded()
        .create_id()
        .await;
    for id in [&earlier, &job] {
        status(&app, id, "in_progress", &craftsman)
            .await
            .assert_status(200);
        status(&app, id, "work_submitted", &craftsman)
            .await
            .assert_status(200);
    }
    status(&app, &earlier, "completed", &client)
        .await
        .assert_status(200);
    app.top_up(&client, 10_000).await;
    assert_eq!(app.balance(&client).await["available"], 10_000);
    assert_eq!(app.balance(&craftsman).await["available"], 38_000);

    let approve = format!("/api/jobs/{job}/approve");
    let tip = format!("/api/jobs/{job}/tip");
    let requests = (0..50).map(|i| {
        let (path, body, who) = match i % 5 {
            0 => (approve.clone(), json!({}), &client),
            1 | 2 => (tip.clone(), json!({"amount": 1_000}), &client),
            _ => (
                "/api/wallet/withdraw".to_owned(),
                json!({"amount": 5_000, "method": "sandbox", "destination": "acct"}),
                &craftsman,
            ),
        };
        let app = &app;
        async move { (i % 5, app.post(&path, body, Some(&who.access)).await) }
    });
    let answers = join_all(requests).await;
    let mut approved = 0;
    let mut tips = 0;
    let mut withdrawn = 0;
    for (kind, response) in &answers {
        match (kind, response.status.as_u16()) {
            (0, 200) => approved += 1,
            (0, _) => {
                response.assert_error(409, "invalid_transition");
            }
            (1 | 2, 200) => tips += 1,
            (1 | 2, _) => {
                response.assert_error(409, "insufficient_funds");
            }
            (_, 201) => withdrawn += 1,
            (_, _) => {
                response.assert_error(409, "insufficient_funds");
            }
        };
    }
    assert_eq!(approved, 1, "one approval pays");
    assert_eq!(tips, 10, "ten tips of 1,000 fit in 10,000");
    let client_balance = app.balance(&client).await;
    assert_eq!(client_balance["available"], 0);
    let craftsman_balance = app.balance(&craftsman).await;
    let received = 38_000 + 38_000 + tips * 1_000;
    assert_eq!(
        craftsman_balance["available"].as_i64().unwrap(),
        received - withdrawn * 5_000
    );
    assert!(craftsman_balance["available"].as_i64().unwrap() >= 0);
    assert_eq!(
        craftsman_balance["held"].as_i64().unwrap(),
        withdrawn * 5_000
    );
    // The contract's escrow was released by exactly one entry.
    let releases = scalar(
        &app,
        "SELECT COUNT(*) FROM ledger_entries WHERE kind = 'escrow_release'",
    )
    .await;
    assert_eq!(releases, 2, "one per completed job");
    assert_balanced(&app).await;
}

fn mismatches_of_kind(check: &Value, kind: &str) -> Vec<Value> {
    check["mismatches"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["kind"] == kind)
        .cloned()
        .collect()
}

#[tokio::test]
async fn the_ledger_check_reports_a_hand_edited_balance_an_empty_entry_and_orphan_postings() {
    use sea_orm::{ActiveModelTrait, ConnectionTrait, DbBackend, Set};
    use souk_db::entities::{ledger_entries, ledger_postings};
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    app.top_up(&client, 5000).await.assert_status(200);
    assert_balanced(&app).await;
    let conn = app.core.db.conn();
    let wallet = format!("wallet:{}", client.id);

    // A cached balance edited by hand.
    let edit = |delta: i64| {
        format!("UPDATE ledger_accounts SET balance = balance + {delta} WHERE key = '{wallet}'")
    };
    conn.execute_unprepared(&edit(1)).await.unwrap();
    let check = ledger_check(&app).await;
    assert_eq!(check["balanced"], false);
    let found = mismatches_of_kind(&check, "balance_mismatch");
    assert_eq!(found.len(), 1, "{check}");
    assert_eq!(found[0]["accountKey"], wallet.as_str());
    assert_eq!(found[0]["expected"], 5000);
    assert_eq!(found[0]["actual"], 5001);
    conn.execute_unprepared(&edit(-1)).await.unwrap();
    assert_balanced(&app).await;

    // An entry written without its postings.
    let empty = uuid::Uuid::now_v7();
    ledger_entries::ActiveModel {
        id: Set(empty),
        kind: Set("adjustment".into()),
        idempotency_key: Set("written by hand".into()),
        created_at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(conn)
    .await
    .unwrap();
    let check = ledger_check(&app).await;
    assert_eq!(check["balanced"], false);
    let found = mismatches_of_kind(&check, "empty_entry");
    assert_eq!(found.len(), 1, "{check}");
    assert_eq!(found[0]["entryId"], empty.to_string());

    // A posting whose entry and account do not exist: SQLite's foreign keys
    // refuse it; on PostgreSQL (no key triggers on postings) the check
    // reports both.
    let (entry, account) = (uuid::Uuid::now_v7(), uuid::Uuid::now_v7());
    let orphan = ledger_postings::ActiveModel {
        entry_id: Set(entry),
        account_id: Set(account),
        amount: Set(7),
        balance_after: Set(7),
        created_at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(conn)
    .await;
    if conn.get_database_backend() == DbBackend::Sqlite {
        assert!(orphan.is_err(), "SQLite stored an orphan posting");
        return;
    }
    orphan.unwrap();
    let check = ledger_check(&app).await;
    let found = mismatches_of_kind(&check, "unknown_entry");
    assert_eq!(found.len(), 1, "{check}");
    assert_eq!(found[0]["entryId"], entry.to_string());
    let found = mismatches_of_kind(&check, "unknown_account");
    assert_eq!(found.len(), 1, "{check}");
    assert_eq!(found[0]["accountKey"], account.to_string());
    assert_eq!(found[0]["actual"], 7);
}
