//! Micro-tasks over HTTP, on both databases: funded up front, paid
//! submission by submission, the ledger balanced after every scenario; the
//! slot guard and single payment under races; automatic approval, expiry
//! and appeals on the test clock; records both ways.

use futures::future::join_all;
use serde_json::{Value, json};
use souk_core::accounts::Role;

use crate::{
    money::assert_balanced,
    support::{Account, TestApp, builders::id_of},
};

async fn available(app: &TestApp, who: &Account) -> i64 {
    app.balance(who).await["available"].as_i64().unwrap_or(-1)
}

fn task_body(workers: i64, payable: i64) -> Value {
    json!({
        "title": "Tag 20 photos of shop fronts",
        "detail": "Open each photo and tag the shop's name and trade.",
        "submissionInfo": "A screenshot of your finished tags",
        "requiredWorkers": workers,
        "payableAmount": payable,
        "completionDate": (chrono::Utc::now() + chrono::Duration::days(5)).to_rfc3339(),
    })
}

async fn post_task(app: &TestApp, buyer: &Account, workers: i64, payable: i64) -> String {
    let made = app
        .post(
            "/api/tasks",
            task_body(workers, payable),
            Some(&buyer.access),
        )
        .await;
    made.assert_status(201);
    id_of(&made.body)
}

async fn submit(app: &TestApp, task: &str, worker: &Account) -> crate::support::TestResponse {
    app.post(
        &format!("/api/tasks/{task}/submissions"),
        json!({"details": "Done: all twenty tagged", "attachments": ["https://example.com/shot.png"]}),
        Some(&worker.access),
    )
    .await
}

async fn submitted(app: &TestApp, task: &str, worker: &Account) -> String {
    let made = submit(app, task, worker).await;
    made.assert_status(201);
    id_of(&made.body)
}

async fn task(app: &TestApp, id: &str, who: &Account) -> Value {
    let seen = app
        .get(&format!("/api/tasks/{id}"), Some(&who.access))
        .await;
    seen.assert_status(200);
    seen.body
}

#[tokio::test]
async fn money_reconciles_through_posting_deciding_resizing_and_deleting() {
    let app = TestApp::spawn().await;
    let buyer = app.register("client").await;
    app.top_up(&buyer, 100_000).await;
    let id = post_task(&app, &buyer, 5, 1000).await;
    assert_eq!(available(&app, &buyer).await, 95_000);
    let workers = [
        app.register("craftsman").await,
        app.register("craftsman").await,
        app.register("craftsman").await,
    ];
    let first = submitted(&app, &id, &workers[0]).await;
    let second = submitted(&app, &id, &workers[1]).await;
    let third = submitted(&app, &id, &workers[2]).await;
    let seen = task(&app, &id, &buyer).await;
    assert_eq!(
        (seen["pendingCount"].as_i64(), seen["freeSlots"].as_i64()),
        (Some(3), Some(2))
    );
    assert_eq!(seen["heldAmount"], 5000);
    assert_eq!(
        task(&app, &id, &workers[0]).await["heldAmount"],
        json!(null)
    );

    // Approve one: the worker is paid less the 5% commission.
    let approved = app
        .post(
            &format!("/api/submissions/{first}/approve"),
            json!({}),
            Some(&buyer.access),
        )
        .await;
    approved.assert_status(200);
    assert_eq!(approved.body["paid"], 950);
    assert_eq!(available(&app, &workers[0]).await, 950);
    // Reject one (a reason is required): its slot reopens.
    app.post(
        &format!("/api/submissions/{second}/reject"),
        json!({}),
        Some(&buyer.access),
    )
    .await
    .assert_error(400, "validation_failed");
    app.post(
        &format!("/api/submissions/{second}/reject"),
        json!({"reason": "The screenshot shows nothing tagged"}),
        Some(&buyer.access),
    )
    .await
    .assert_status(200);
    assert_eq!(task(&app, &id, &buyer).await["freeSlots"], 3);
    assert_balanced(&app).await;

    // More workers take their cost; fewer refund theirs, never below
    // approved + pending (1 + 1).
    app.put(
        &format!("/api/tasks/{id}"),
        json!({"requiredWorkers": 8}),
        Some(&buyer.access),
    )
    .await
    .assert_status(200);
    assert_eq!(available(&app, &buyer).await, 92_000);
    app.put(
        &format!("/api/tasks/{id}"),
        json!({"requiredWorkers": 1}),
        Some(&buyer.access),
    )
    .await
    .assert_error(400, "validation_failed");
    app.put(
        &format!("/api/tasks/{id}"),
        json!({"requiredWorkers": 2}),
        Some(&buyer.access),
    )
    .await
    .assert_status(200);
    assert_eq!(available(&app, &buyer).await, 98_000);
    assert_balanced(&app).await;

    // Deleting refunds the free slots (none now); the pending one is still
    // decided and paid.
    let deleted = app
        .delete(&format!("/api/tasks/{id}"), Some(&buyer.access))
        .await;
    deleted.assert_status(200);
    assert_eq!(deleted.body["status"], "closed");
    submit(&app, &id, &app.register("craftsman").await)
        .await
        .assert_error(409, "task_closed");
    app.post(
        &format!("/api/submissions/{third}/approve"),
        json!({}),
        Some(&buyer.access),
    )
    .await
    .assert_status(200);
    assert_eq!(available(&app, &workers[2]).await, 950);
    assert_eq!(available(&app, &buyer).await, 98_000);
    assert_eq!(
        task(&app, &id, &buyer).await["heldAmount"],
        0,
        "the ended task's escrow is empty"
    );
    assert_balanced(&app).await;
    let mine = app
        .get("/api/submissions/mine", Some(&workers[0].access))
        .await;
    mine.assert_status(200);
    assert_eq!(mine.body["earnings"], 950);
}

#[tokio::test]
async fn bad_input_is_refused_and_moves_nothing() {
    let app = TestApp::spawn().await;
    let buyer = app.register("client").await;
    let worker = app.register("craftsman").await;
    app.top_up(&buyer, 10_000).await;
    let short = app
        .post("/api/tasks", task_body(20, 1000), Some(&buyer.access))
        .await;
    short.assert_error(409, "insufficient_funds");
    assert_eq!(short.body["details"]["shortfall"], 10_000, "{}", short.body);
    for (field, value) in [
        ("requiredWorkers", json!(0)),
        ("requiredWorkers", json!(10_001)),
        ("payableAmount", json!(-5)),
        ("completionDate", json!("2020-01-01")),
        ("title", json!("")),
    ] {
        let mut body = task_body(2, 1000);
        body[field] = value;
        let refused = app.post("/api/tasks", body, Some(&buyer.access)).await;
        refused.assert_error(400, "validation_failed");
    }
    let mut huge = task_body(10_000, i64::MAX / 2);
    huge["payableAmount"] = json!(i64::MAX / 2);
    app.post("/api/tasks", huge, Some(&buyer.access))
        .await
        .assert_error(400, "validation_failed");
    app.post("/api/tasks", task_body(2, 1000), Some(&worker.access))
        .await
        .assert_error(403, "clients_only");
    assert_eq!(available(&app, &buyer).await, 10_000);

    let id = post_task(&app, &buyer, 2, 1000).await;
    submitted(&app, &id, &worker).await;
    submit(&app, &id, &worker)
        .await
        .assert_error(409, "already_submitted");
    let other_buyer = app.register("client").await;
    submit(&app, &id, &other_buyer)
        .await
        .assert_error(403, "craftsmen_only");
    let sub = app
        .get(
            &format!("/api/tasks/{id}/submissions?status=pending"),
            Some(&buyer.access),
        )
        .await;
    sub.assert_status(200);
    let sub = id_of(&sub.body["data"][0]);
    app.post(
        &format!("/api/submissions/{sub}/approve"),
        json!({}),
        Some(&other_buyer.access),
    )
    .await
    .assert_error(404, "submission_not_found");
    app.post(
        &format!("/api/submissions/{sub}/approve"),
        json!({}),
        Some(&worker.access),
    )
    .await
    .assert_error(403, "forbidden");
    app.get(
        &format!("/api/tasks/{id}/submissions"),
        Some(&worker.access),
    )
    .await
    .assert_error(403, "forbidden");
    assert_balanced(&app).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_workers_racing_for_ten_slots_leave_exactly_ten_pending() {
    let app = TestApp::spawn().await;
    let buyer = app.register("client").await;
    app.top_up(&buyer, 10_000).await;
    let id = post_task(&app, &buyer, 10, 1000).await;
    let mut workers = Vec::new();
    for _ in 0..50 {
        workers.push(app.register("craftsman").await);
    }
    let answers = join_all(workers.iter().map(|w| submit(&app, &id, w))).await;
    let made = answers.iter().filter(|a| a.status == 201).count();
    let full = answers
        .iter()
        .filter(|a| a.body["code"] == "task_full")
        .count();
    assert_eq!((made, full), (10, 40));
    let seen = task(&app, &id, &buyer).await;
    assert_eq!(
        (seen["pendingCount"].as_i64(), seen["freeSlots"].as_i64()),
        (Some(10), Some(0))
    );
    // Ten approvals of one submission at once pay once.
    let first = answers
        .iter()
        .find(|a| a.status == 201)
        .map(|a| id_of(&a.body))
        .unwrap_or_default();
    let approve_first = format!("/api/submissions/{first}/approve");
    let approvals =
        join_all((0..10).map(|_| app.post(&approve_first, json!({}), Some(&buyer.access)))).await;
    assert_eq!(approvals.iter().filter(|a| a.status == 200).count(), 1);
    assert!(approvals.iter().all(|a| a.status == 200 || a.status == 409));
    // Deleting while approvals race never pays more than was funded.
    let pending: Vec<String> = answers
        .iter()
        .filter(|a| a.status == 201)
        .map(|a| id_of(&a.body))
        .filter(|s| *s != first)
        .collect();
    type Pending<'a> =
        std::pin::Pin<Box<dyn std::future::Future<Output = crate::support::TestResponse> + 'a>>;
    let approve_paths: Vec<String> = pending
        .iter()
        .map(|s| format!("/api/submissions/{s}/approve"))
        .collect();
    let delete_path = format!("/api/tasks/{id}");
    let mut racing: Vec<Pending<'_>> = approve_paths
        .iter()
        .map(|p| Box::pin(app.post(p, json!({}), Some(&buyer.access))) as Pending<'_>)
        .collect();
    racing.insert(4, Box::pin(app.delete(&delete_path, Some(&buyer.access))));
    let raced = join_all(racing).await;
    assert!(
        raced.iter().all(|a| a.status == 200),
        "{:?}",
        raced.iter().map(|a| &a.body).collect::<Vec<_>>()
    );
    let paid: i64 = {
        let mut sum = 0;
        for w in &workers {
            sum += available(&app, w).await.max(0);
        }
        sum
    };
    assert_eq!(paid, 10 * 950);
    assert_eq!(available(&app, &buyer).await, 0);
    assert_balanced(&app).await;
}

#[tokio::test]
async fn undecided_submissions_are_approved_and_tasks_expire_on_the_clock() {
    let app = TestApp::spawn().await;
    let buyer = app.register("client").await;
    app.top_up(&buyer, 10_000).await;
    let id = post_task(&app, &buyer, 4, 1000).await;
    let early = app.register("craftsman").await;
    let first = submitted(&app, &id, &early).await;
    // Three days on, nobody decided: approved automatically.
    app.core
        .clock
        .advance(chrono::Duration::days(3) + chrono::Duration::minutes(1));
    let mut status = Value::Null;
    for _ in 0..50 {
        app.core.outbox_wakeup.notify_one();
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        let mine = app.get("/api/submissions/mine", Some(&early.access)).await;
        status = mine.body["data"][0]["status"].clone();
        if status == "approved" {
            break;
        }
    }
    assert_eq!(status, "approved", "{first}");
    assert_eq!(available(&app, &early).await, 950);
    // A late submission, then the completion date: the task expires and its
    // two free slots go back; the pending one is still paid later.
    let late = app.register("craftsman").await;
    submitted(&app, &id, &late).await;
    app.core.clock.advance(chrono::Duration::days(2));
    let mut seen = Value::Null;
    for _ in 0..50 {
        app.core.outbox_wakeup.notify_one();
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        seen = task(&app, &id, &buyer).await;
        if seen["status"] == "expired" {
            break;
        }
    }
    assert_eq!(seen["status"], "expired", "{seen}");
    // 10,000 − 4 × 1,000 posted, + the 2 free slots back.
    assert_eq!(available(&app, &buyer).await, 8000);
    app.core.clock.advance(chrono::Duration::days(3));
    for _ in 0..50 {
        app.core.outbox_wakeup.notify_one();
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        if available(&app, &late).await == 950 {
            break;
        }
    }
    assert_eq!(available(&app, &late).await, 950);
    assert_eq!(task(&app, &id, &buyer).await["heldAmount"], 0);
    assert_balanced(&app).await;
}

#[tokio::test]
async fn a_rejected_worker_appeals_once_and_records_show_both_ways() {
    let app = TestApp::spawn().await;
    let buyer = app.register("client").await;
    let admin = app.staff(Role::Admin).await;
    app.top_up(&buyer, 10_000).await;
    let id = post_task(&app, &buyer, 1, 1000).await;
    let worker = app.register("craftsman").await;
    let sub = submitted(&app, &id, &worker).await;
    app.post(
        &format!("/api/submissions/{sub}/reject"),
        json!({"reason": "Wrong shop"}),
        Some(&buyer.access),
    )
    .await
    .assert_status(200);
    // The slot reopened and was taken by someone else.
    let other = app.register("craftsman").await;
    let taken = submitted(&app, &id, &other).await;
    app.post(
        &format!("/api/submissions/{sub}/appeal"),
        json!({}),
        Some(&worker.access),
    )
    .await
    .assert_error(400, "validation_failed");
    app.post(
        &format!("/api/submissions/{sub}/appeal"),
        json!({"note": "The tags are on the second screenshot"}),
        Some(&worker.access),
    )
    .await
    .assert_status(200);
    // Staff wait for the buyer's three days.
    app.post(
        &format!("/api/submissions/{sub}/appeal/decide"),
        json!({"uphold": true}),
        Some(&admin.access),
    )
    .await
    .assert_error(409, "appeal_with_buyer");
    // Upheld with no free slot: the buyer's wallet funds it.
    app.top_up(&buyer, 1000).await;
    let upheld = app
        .post(
            &format!("/api/submissions/{sub}/appeal/decide"),
            json!({"uphold": true}),
            Some(&buyer.access),
        )
        .await;
    upheld.assert_status(200);
    assert_eq!(upheld.body["status"], "approved");
    assert_eq!(available(&app, &worker).await, 950);
    assert_eq!(task(&app, &id, &buyer).await["requiredWorkers"], 2);
    app.post(
        &format!("/api/submissions/{sub}/appeal"),
        json!({"note": "again"}),
        Some(&worker.access),
    )
    .await
    .assert_error(409, "invalid_transition");
    app.post(
        &format!("/api/submissions/{taken}/approve"),
        json!({}),
        Some(&buyer.access),
    )
    .await
    .assert_status(200);
    // Records: the worker rates the buyer once.
    app.post(
        &format!("/api/tasks/{id}/rating"),
        json!({"rating": 4}),
        Some(&worker.access),
    )
    .await
    .assert_status(201);
    app.post(
        &format!("/api/tasks/{id}/rating"),
        json!({"rating": 5}),
        Some(&worker.access),
    )
    .await
    .assert_error(409, "already_rated");
    let record = app
        .get(&format!("/api/users/{}/task-record", buyer.id), None)
        .await;
    record.assert_status(200);
    assert_eq!(record.body["asBuyer"]["rating"], 4.0, "{}", record.body);
    assert_eq!(record.body["asBuyer"]["decided"], 2);
    assert_eq!(record.body["asBuyer"]["approvalRate"], 1.0);
    let top = app.get("/api/tasks/top-workers", None).await;
    top.assert_status(200);
    assert_eq!(top.body["data"].as_array().map(Vec::len), Some(2));
    let listed = app
        .get("/api/admin/tasks?status=open", Some(&admin.access))
        .await;
    listed.assert_status(200);
    assert_eq!(listed.body["data"][0]["id"], id.as_str());
    assert_balanced(&app).await;
}

#[tokio::test]
async fn a_buyer_sets_the_tasks_picture() {
    let app = TestApp::spawn().await;
    let buyer = app.register("client").await;
    app.top_up(&buyer, 2000).await;
    let id = post_task(&app, &buyer, 2, 1000).await;
    let path = format!("/api/tasks/{id}/image");
    let picture = crate::support::multipart(
        "image",
        "shop.png",
        "image/png",
        &crate::support::png(320, 200),
    );
    let put = |body: Vec<u8>, token: &str| {
        let request = axum::http::Request::builder()
            .method("PUT")
            .uri(&path)
            .header(
                "content-type",
                format!("multipart/form-data; boundary={}", crate::support::BOUNDARY),
            )
            .header("authorization", format!("Bearer {token}"))
            .body(axum::body::Body::from(body))
            .expect("a request");
        app.send(request)
    };
    let set = put(picture.clone(), &buyer.access).await;
    set.assert_status(200);
    assert!(
        set.body["image"]
            .as_str()
            .is_some_and(|u| u.contains(&format!("tasks/{id}/"))),
        "{}",
        set.body
    );
    let stranger = app.register("client").await;
    put(picture, &stranger.access)
        .await
        .assert_error(403, "forbidden");
    put(
        crate::support::multipart("image", "x.png", "image/png", b"nope"),
        &buyer.access,
    )
    .await
    .assert_error(400, "unsupported_image");
}
