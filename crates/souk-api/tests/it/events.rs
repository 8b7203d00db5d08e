//! The integrators' event feed (`GET /api/events`): every domain event is
//! recorded in the transaction of the change that caused it — in causal
//! order, never for a refused request — and a reader paging with `after`
//! sees each exactly once, even while many writers commit at once.
#![allow(clippy::unwrap_used)]

use std::sync::{
    Arc,
    atomic::{AtomicBool, Ordering},
};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use souk_core::accounts::Role;

use crate::support::*;

/// One page of the feed as staff read it.
async fn feed(app: &TestApp, admin: &Account, query: &str) -> Value {
    let page = app
        .get(&format!("/api/events?{query}"), Some(&admin.access))
        .await;
    page.assert_status(200);
    page.body
}

/// Every event after `after`, read in pages of `limit`.
async fn everything_after(app: &TestApp, admin: &Account, after: i64, limit: u64) -> Vec<Value> {
    let mut seen = Vec::new();
    let mut last = after;
    loop {
        let page = feed(app, admin, &format!("after={last}&limit={limit}")).await;
        let batch = page["data"].as_array().unwrap().clone();
        if batch.is_empty() {
            assert_eq!(page["lastSequence"], last, "{page}");
            return seen;
        }
        last = page["lastSequence"].as_i64().unwrap();
        seen.extend(batch);
    }
}

/// The newest sequence the feed has now.
async fn last_sequence(app: &TestApp, admin: &Account) -> i64 {
    let seen = everything_after(app, admin, 0, 1000).await;
    seen.last().map_or(0, |e| e["sequence"].as_i64().unwrap())
}

/// Asserts `batch` numbers `after + 1`, `after + 2`, … without a gap or a
/// repeat; returns its last sequence (`after` when empty).
#[track_caller]
fn consecutive_from(after: i64, batch: &[Value]) -> i64 {
    let mut expected = after;
    for event in batch {
        expected += 1;
        assert_eq!(event["sequence"], expected, "after {after}: {batch:?}");
    }
    expected
}

fn actor(user: &Account) -> Value {
    json!({"type": "user", "id": user.id})
}

/// What an event must show: its type, resource, actor and previous values.
#[track_caller]
fn expect(event: &Value, kind: &str, resource: (&str, &str), who: Value, previous: Value) {
    assert_eq!(event["type"], kind, "{event}");
    assert_eq!(
        event["resource"],
        json!({"type": resource.0, "id": resource.1}),
        "{event}"
    );
    assert_eq!(event["actor"], who, "{event}");
    assert_eq!(event["previousValues"], previous, "{event}");
    assert!(
        event["id"].is_string() && event["createdAt"].is_string(),
        "{event}"
    );
}

#[tokio::test]
async fn a_whole_job_journey_is_in_the_feed_in_causal_order_and_types_filter_it() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let admin = app.staff(Role::Admin).await;

    let job = JobBuilder::new(&app, &client).post_id().await;
    let quote = id_of(&QuoteBuilder::new(&app, &craftsman, &job).submit().await);
    let hired = app
        .post(
            &format!("/api/jobs/{job}/quotes/{quote}/accept"),
            json!({}),
            Some(&client.access),
        )
        .await;
    hired.assert_status(200);
    let contract = hired.str("/contract/id");
    let started = app
        .post(
            "/api/wallet/top-up",
            json!({"amount": 40000}),
            Some(&client.access),
        )
        .await;
    started.assert_status(201);
    let payment = started.str("/paymentId");
    app.post(
        &format!("/api/payments/sandbox/{payment}/complete"),
        json!({}),
        Some(&client.access),
    )
    .await
    .assert_status(200);
    app.post(
        &format!("/api/jobs/{job}/escrow/fund"),
        json!({}),
        Some(&client.access),
    )
    .await
    .assert_status(200);
    app.patch(
        &format!("/api/jobs/{job}/status"),
        json!({"status": "in_progress"}),
        Some(&craftsman.access),
    )
    .await
    .assert_status(200);
    app.post(
        &format!("/api/jobs/{job}/submit"),
        json!({}),
        Some(&craftsman.access),
    )
    .await
    .assert_status(200);
    app.post(
        &format!("/api/jobs/{job}/approve"),
        json!({}),
        Some(&client.access),
    )
    .await
    .assert_status(200);
    let mut reviews = Vec::new();
    for (who, rating) in [(&client, 5), (&craftsman, 4)] {
        let written = app
            .post(
                "/api/reviews",
                json!({"contractId": contract, "rating": rating, "comment": "Good work"}),
                Some(&who.access),
            )
            .await;
        written.assert_status(201);
        reviews.push(id_of(&written.body));
    }

    let events = everything_after(&app, &admin, 0, 1000).await;
    consecutive_from(0, &events);
    let kinds: Vec<&str> = events.iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        [
            "user.registered",
            "user.registered",
            "job.posted",
            "quote.submitted",
            "job.status_changed",
            "contract.created",
            "job.status_changed",
            "payment.succeeded",
            "escrow.funded",
            "job.status_changed",
            "job.status_changed",
            "job.status_changed",
            "escrow.released",
            "review.published",
            "review.published",
        ],
        "{events:#?}"
    );
    let none = Value::Null;
    let status = |s: &str| json!({"status": s});
    let e = &events;
    expect(
        &e[0],
        "user.registered",
        ("user", &client.id),
        actor(&client),
        none.clone(),
    );
    assert_eq!(e[0]["data"]["role"], "client");
    assert!(
        !has_key_anywhere(&e[0]["data"], "email") && !has_key_anywhere(&e[0]["data"], "phone"),
        "{}",
        e[0]
    );
    expect(
        &e[1],
        "user.registered",
        ("user", &craftsman.id),
        actor(&craftsman),
        none.clone(),
    );
    expect(
        &e[2],
        "job.posted",
        ("job", &job),
        actor(&client),
        none.clone(),
    );
    expect(
        &e[3],
        "quote.submitted",
        ("quote", &quote),
        actor(&craftsman),
        none.clone(),
    );
    assert_eq!(e[3]["data"]["jobId"], job.as_str());
    assert_eq!(e[3]["data"]["price"], 40000);
    expect(
        &e[4],
        "job.status_changed",
        ("job", &job),
        actor(&craftsman),
        status("posted"),
    );
    assert_eq!(e[4]["data"]["status"], "quoted");
    expect(
        &e[5],
        "contract.created",
        ("contract", &contract),
        actor(&client),
        none.clone(),
    );
    assert_eq!(e[5]["data"]["jobId"], job.as_str());
    assert_eq!(e[5]["data"]["price"], 40000);
    expect(
        &e[6],
        "job.status_changed",
        ("job", &job),
        actor(&client),
        status("quoted"),
    );
    assert_eq!(e[6]["data"]["status"], "hired");
    expect(
        &e[7],
        "payment.succeeded",
        ("payment", &payment),
        Value::Null,
        status("pending"),
    );
    assert_eq!(e[7]["data"]["amount"], 40000);
    assert!(!has_key_anywhere(&e[7]["data"], "checkoutUrl"), "{}", e[7]);
    expect(
        &e[8],
        "escrow.funded",
        ("contract", &contract),
        actor(&client),
        json!({"escrowStatus": "unfunded"}),
    );
    assert_eq!(e[8]["data"]["amount"], 40000);
    assert_eq!(e[8]["data"]["jobId"], job.as_str());
    expect(
        &e[9],
        "job.status_changed",
        ("job", &job),
        actor(&craftsman),
        status("hired"),
    );
    assert_eq!(e[9]["data"]["status"], "in_progress");
    expect(
        &e[10],
        "job.status_changed",
        ("job", &job),
        actor(&craftsman),
        status("in_progress"),
    );
    assert_eq!(e[10]["data"]["status"], "work_submitted");
    expect(
        &e[11],
        "job.status_changed",
        ("job", &job),
        actor(&client),
        status("work_submitted"),
    );
    assert_eq!(e[11]["data"]["status"], "completed");
    expect(
        &e[12],
        "escrow.released",
        ("contract", &contract),
        actor(&client),
        none.clone(),
    );
    assert_eq!(e[12]["data"]["amount"], 40000);
    // The second review reveals both: its author made them public.
    for (event, review) in e[13..].iter().zip(&reviews) {
        expect(
            event,
            "review.published",
            ("review", review),
            actor(&craftsman),
            status("pending"),
        );
        assert_eq!(event["data"]["contractId"], contract.as_str());
    }

    // `types=` keeps only what was asked for, in the same order.
    let filtered = feed(
        &app,
        &admin,
        "types=job.status_changed,escrow.released&limit=1000",
    )
    .await;
    let kept: Vec<(i64, &str)> = filtered["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["sequence"].as_i64().unwrap(), e["type"].as_str().unwrap()))
        .collect();
    let expected: Vec<(i64, &str)> = events
        .iter()
        .filter(|e| {
            matches!(
                e["type"].as_str(),
                Some("job.status_changed" | "escrow.released")
            )
        })
        .map(|e| (e["sequence"].as_i64().unwrap(), e["type"].as_str().unwrap()))
        .collect();
    assert_eq!(kept, expected);
    assert_eq!(filtered["lastSequence"], 13);
    // An unknown type is refused, not ignored.
    app.get("/api/events?types=job.exploded", Some(&admin.access))
        .await
        .assert_error(400, "validation_failed");
}

#[tokio::test]
async fn a_refused_request_records_no_event() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let admin = app.staff(Role::Admin).await;
    let hired = ContractBuilder::new(&app, &client, &craftsman)
        .create()
        .await;
    let job = hired.job_id.clone();
    let before = last_sequence(&app, &admin).await;
    assert!(before > 0);

    // A validation failure.
    JobBuilder::new(&app, &client)
        .title("")
        .send()
        .await
        .assert_error(400, "validation_failed");
    // A move the lifecycle refuses.
    let refused = app
        .patch(
            &format!("/api/jobs/{job}/status"),
            json!({"status": "completed"}),
            Some(&client.access),
        )
        .await;
    assert!(refused.status.is_client_error(), "{}", refused.body);
    // A move the escrow refuses (not funded yet).
    app.patch(
        &format!("/api/jobs/{job}/status"),
        json!({"status": "in_progress"}),
        Some(&craftsman.access),
    )
    .await
    .assert_error(409, "escrow_not_funded");
    // Funding that gets as far as the ledger, which refuses the debit: the
    // event written with it is undone with it.
    app.post(
        &format!("/api/jobs/{job}/escrow/fund"),
        json!({}),
        Some(&client.access),
    )
    .await
    .assert_error(409, "insufficient_funds");
    // A second live quote.
    let other = JobBuilder::new(&app, &client).post_id().await;
    let after_post = last_sequence(&app, &admin).await;
    assert_eq!(after_post, before + 1, "only the job's posting");
    QuoteBuilder::new(&app, &craftsman, &other).submit().await;
    let after_quote = last_sequence(&app, &admin).await;
    QuoteBuilder::new(&app, &craftsman, &other)
        .send()
        .await
        .assert_status(409);

    let late = everything_after(&app, &admin, after_quote, 1000).await;
    assert!(late.is_empty(), "{late:#?}");
    let between = everything_after(&app, &admin, before, 1000).await;
    let kinds: Vec<&str> = between
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["job.posted", "quote.submitted", "job.status_changed"],
        "{between:#?}"
    );
}

#[tokio::test]
async fn paging_with_after_sees_every_event_once_in_consecutive_order() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let admin = app.staff(Role::Admin).await;
    for _ in 0..5 {
        let job = JobBuilder::new(&app, &client).post_id().await;
        QuoteBuilder::new(&app, &craftsman, &job).submit().await;
    }
    // Two registrations, then per job: posted, quoted, status changed.
    let all = everything_after(&app, &admin, 0, 1000).await;
    assert_eq!(all.len(), 2 + 5 * 3);
    assert_eq!(consecutive_from(0, &all), 17);

    for limit in [1, 2, 3, 7] {
        let mut last = 0;
        let mut paged = Vec::new();
        loop {
            let page = feed(&app, &admin, &format!("after={last}&limit={limit}")).await;
            let batch = page["data"].as_array().unwrap().clone();
            assert!(batch.len() <= limit, "limit {limit}: {page}");
            let end = consecutive_from(last, &batch);
            assert_eq!(page["lastSequence"], end, "{page}");
            if batch.is_empty() {
                break;
            }
            last = end;
            paged.extend(batch);
        }
        let ids =
            |events: &[Value]| -> Vec<Value> { events.iter().map(|e| e["id"].clone()).collect() };
        assert_eq!(ids(&paged), ids(&all), "limit {limit}");
    }
    // Reading from the end finds nothing new, and says where it stands.
    let tail = feed(&app, &admin, "after=17").await;
    assert_eq!(tail["data"], json!([]));
    assert_eq!(tail["lastSequence"], 17);
}

/// PostgreSQL only (SQLite has one writer at a time): twenty writers commit
/// jobs and quotes at once while a reader follows the feed with `after`.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_reader_following_concurrent_writers_never_sees_an_event_appear_behind_it() {
    let app = TestApp::spawn().await;
    if !app.db_url.starts_with("postgres") {
        return;
    }
    let admin = app.staff(Role::Admin).await;
    let mut pairs = Vec::new();
    for _ in 0..20 {
        pairs.push((
            app.register("client").await,
            app.register("craftsman").await,
        ));
    }
    let start = last_sequence(&app, &admin).await;
    let app = Arc::new(app);
    let done = Arc::new(AtomicBool::new(false));

    let reader = {
        let (app, admin, done) = (app.clone(), admin.clone(), done.clone());
        tokio::spawn(async move {
            let mut last = start;
            let mut seen = Vec::new();
            loop {
                let finished = done.load(Ordering::SeqCst);
                let page = feed(&app, &admin, &format!("after={last}&limit=1000")).await;
                let batch = page["data"].as_array().unwrap().clone();
                // Every batch starts right after what was read, without a gap.
                let end = consecutive_from(last, &batch);
                assert_eq!(page["lastSequence"], end, "{page}");
                last = end;
                let empty = batch.is_empty();
                seen.extend(batch);
                if finished && empty {
                    return seen;
                }
            }
        })
    };
    let writers: Vec<_> = pairs
        .into_iter()
        .map(|(client, craftsman)| {
            let app = app.clone();
            tokio::spawn(async move {
                let until = Instant::now() + Duration::from_secs(2);
                let mut written = 0;
                while Instant::now() < until {
                    let job = JobBuilder::new(&app, &client).post_id().await;
                    QuoteBuilder::new(&app, &craftsman, &job).submit().await;
                    // Posted; the quote; the job's move to `quoted`.
                    written += 3;
                }
                written
            })
        })
        .collect();
    let mut written = 0;
    for writer in writers {
        written += writer.await.unwrap();
    }
    done.store(true, Ordering::SeqCst);
    let seen = reader.await.unwrap();

    assert!(written >= 60, "every writer wrote: {written}");
    assert_eq!(seen.len(), written, "the reader saw every event once");
    let mut ids: Vec<&str> = seen.iter().map(|e| e["id"].as_str().unwrap()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), written);
    // And a fresh reader from the same point reads exactly the same.
    let again = everything_after(&app, &admin, start, 1000).await;
    let ids = |events: &[Value]| -> Vec<Value> { events.iter().map(|e| e["id"].clone()).collect() };
    assert_eq!(ids(&again), ids(&seen));
}
