//! Chat over REST (issue 15): conversations per contract and direct ones,
//! who may read and write them, messages numbered by `seq` without gaps,
//! idempotent resends, edits, tombstones, read receipts and unread counts,
//! blocking, files, cursor paging, the per-user rate limit, notifications,
//! the realtime events as outbox rows, and the craftsman's response time.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use axum::{
    body::Body,
    http::{Request, header},
};
use chrono::Utc;
use http_body_util::BodyExt;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};
use souk_core::{accounts::Role, settings::SendRate};
use tower::ServiceExt;

use crate::support::*;

/// A client and a craftsman with a hired contract; the job's id.
async fn hired(app: &TestApp) -> (Account, Account, String) {
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let job = ContractBuilder::new(app, &client, &craftsman)
        .create_id()
        .await;
    (client, craftsman, job)
}

/// The caller's conversations (first page).
async fn conversations(app: &TestApp, who: &Account) -> Vec<Value> {
    let response = app.get("/api/conversations", Some(&who.access)).await;
    response.assert_status(200);
    response.body["data"].as_array().unwrap().clone()
}

/// The id of the contract conversation of `job`, as a party sees it.
async fn job_conversation(app: &TestApp, who: &Account, job: &str) -> String {
    conversations(app, who)
        .await
        .into_iter()
        .find(|c| c["jobId"] == job)
        .map(|c| id_of(&c))
        .unwrap_or_else(|| panic!("no conversation for job {job}"))
}

fn seqs(page: &Value) -> Vec<i64> {
    page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["seq"].as_i64().unwrap())
        .collect()
}

/// One part of a multipart form.
enum Part<'a> {
    Text(&'a str, &'a str),
    File {
        name: &'a str,
        filename: &'a str,
        content_type: &'a str,
        bytes: &'a [u8],
    },
}

async fn post_form(app: &TestApp, path: &str, who: &Account, parts: &[Part<'_>]) -> TestResponse {
    let mut body = Vec::new();
    for part in parts {
        match part {
            Part::Text(name, value) => body.extend(
                format!(
                    "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
                )
                .into_bytes(),
            ),
            Part::File {
                name,
                filename,
                content_type,
                bytes,
            } => {
                body.extend(
                    format!(
                        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\nContent-Type: {content_type}\r\n\r\n"
                    )
                    .into_bytes(),
                );
                body.extend_from_slice(bytes);
                body.extend(b"\r\n");
            }
        }
    }
    body.extend(format!("--{BOUNDARY}--\r\n").into_bytes());
    let request = Request::builder()
        .method("POST")
        .uri(path)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={BOUNDARY}"),
        )
        .header(header::AUTHORIZATION, format!("Bearer {}", who.access))
        .body(Body::from(body))
        .unwrap();
    app.send(request).await
}

const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

/// Runs a statement on the app's database (test setup only: backdating).
async fn sql(app: &TestApp, text: &str, values: Vec<sea_orm::Value>) {
    app.core
        .db
        .conn()
        .execute_raw(Statement::from_sql_and_values(
            app.core.db.backend(),
            text,
            values,
        ))
        .await
        .unwrap();
}

/// Files stored under `chat/` (the private attachment area).
fn stored_chat_files(app: &TestApp) -> usize {
    fn count(dir: &std::path::Path) -> usize {
        std::fs::read_dir(dir)
            .map(|entries| {
                entries
                    .flatten()
                    .map(|e| {
                        if e.path().is_dir() {
                            count(&e.path())
                        } else {
                            1
                        }
                    })
                    .sum()
            })
            .unwrap_or(0)
    }
    count(&app.data_dir.join("uploads").join("chat"))
}

#[tokio::test]
async fn the_hire_opens_the_contract_conversation_with_both_parties() {
    let app = TestApp::spawn().await;
    let (client, craftsman, job) = hired(&app).await;
    for who in [&client, &craftsman] {
        let list = conversations(&app, who).await;
        assert_eq!(list.len(), 1, "{list:?}");
        let conversation = &list[0];
        assert_eq!(conversation["kind"], "contract");
        assert_eq!(conversation["jobId"], job.as_str());
        assert_eq!(conversation["lastSeq"], 0);
        assert_eq!(conversation["unreadCount"], 0);
        assert!(conversation["lastMessage"].is_null());
        let mut members: Vec<&str> = conversation["participants"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["userId"].as_str().unwrap())
            .collect();
        members.sort_unstable();
        let mut expected = vec![client.id.as_str(), craftsman.id.as_str()];
        expected.sort_unstable();
        assert_eq!(members, expected);
        let peer = if who.id == client.id {
            &craftsman
        } else {
            &client
        };
        assert_eq!(conversation["peer"]["id"], peer.id.as_str());
        assert!(conversation["peer"].get("email").is_none(), "public view");
    }
    // Seed 000's job chat is that conversation.
    let sent = MessageBuilder::to_job(&app, &client, &job)
        .text("When can you come?")
        .post()
        .await;
    assert_eq!(
        sent["conversationId"],
        job_conversation(&app, &craftsman, &job).await.as_str()
    );
    let page = app
        .get(
            &format!("/api/jobs/{job}/messages"),
            Some(&craftsman.access),
        )
        .await;
    page.assert_status(200);
    assert_eq!(seqs(&page.body), vec![1]);
    // Nobody is hired on an open job yet: no conversation.
    let open = JobBuilder::new(&app, &client).post_id().await;
    app.get(&format!("/api/jobs/{open}/messages"), Some(&client.access))
        .await
        .assert_error(409, "no_contract");
}

#[tokio::test]
async fn strangers_get_403_on_a_job_chat_and_404_on_its_conversation() {
    let app = TestApp::spawn().await;
    let (client, _craftsman, job) = hired(&app).await;
    let conversation = job_conversation(&app, &client, &job).await;
    let stranger = app.register("craftsman").await;
    let admin = app.staff(Role::Admin).await;
    for who in [&stranger, &admin] {
        app.get(&format!("/api/jobs/{job}/messages"), Some(&who.access))
            .await
            .assert_error(403, "not_a_party");
        MessageBuilder::to_job(&app, who, &job)
            .send()
            .await
            .assert_error(403, "not_a_party");
        for path in [
            format!("/api/conversations/{conversation}"),
            format!("/api/conversations/{conversation}/messages"),
        ] {
            app.get(&path, Some(&who.access))
                .await
                .assert_error(404, "conversation_not_found");
        }
        MessageBuilder::to_conversation(&app, who, &conversation)
            .send()
            .await
            .assert_error(404, "conversation_not_found");
        app.post(
            &format!("/api/conversations/{conversation}/read"),
            json!({"seq": 1}),
            Some(&who.access),
        )
        .await
        .assert_error(404, "conversation_not_found");
    }
    app.get("/api/jobs/not-an-id/messages", Some(&client.access))
        .await
        .assert_error(404, "invalid_id");
    app.get(
        &format!("/api/jobs/{}/messages", uuid::Uuid::now_v7()),
        Some(&client.access),
    )
    .await
    .assert_error(404, "job_not_found");
}

#[tokio::test]
async fn staff_read_a_disputed_jobs_chat_and_it_is_logged() {
    let app = TestApp::spawn().await;
    let (client, craftsman, job) = hired(&app).await;
    MessageBuilder::to_job(&app, &craftsman, &job)
        .text("I will not come.")
        .post()
        .await;
    let moderator = app.staff(Role::Moderator).await;
    app.get(
        &format!("/api/jobs/{job}/messages"),
        Some(&moderator.access),
    )
    .await
    .assert_error(403, "not_a_party");
    app.patch(
        &format!("/api/jobs/{job}/status"),
        json!({"status": "disputed", "reason": "No show"}),
        Some(&client.access),
    )
    .await
    .assert_status(200);
    let page = app
        .get(
            &format!("/api/jobs/{job}/messages"),
            Some(&moderator.access),
        )
        .await;
    page.assert_status(200);
    assert_eq!(page.body["data"][0]["text"], "I will not come.");
    let conversation = job_conversation(&app, &client, &job).await;
    app.get(
        &format!("/api/conversations/{conversation}/messages"),
        Some(&moderator.access),
    )
    .await
    .assert_status(200);
    let admin = app.staff(Role::Admin).await;
    let log = app
        .get(
            "/api/admin/activity-log?action=chat.staff_read",
            Some(&admin.access),
        )
        .await;
    log.assert_status(200);
    let entries = log.body["data"].as_array().unwrap();
    assert_eq!(entries.len(), 2, "{entries:?}");
    assert!(
        entries.iter().all(
            |e| e["actorId"] == moderator.id.as_str() && e["targetId"] == conversation.as_str()
        )
    );
    // Staff are not participants: they cannot mark it read or block it.
    app.post(
        &format!("/api/conversations/{conversation}/block"),
        json!({}),
        Some(&moderator.access),
    )
    .await
    .assert_error(404, "conversation_not_found");
}

#[tokio::test]
async fn attachments_are_served_to_participants_only() {
    let app = TestApp::spawn().await;
    let (client, craftsman, job) = hired(&app).await;
    let conversation = job_conversation(&app, &client, &job).await;
    let sent = post_form(
        &app,
        &format!("/api/conversations/{conversation}/messages"),
        &client,
        &[
            Part::Text("text", "The quote"),
            Part::File {
                name: "files",
                filename: "quote.pdf",
                content_type: "application/pdf",
                bytes: PDF,
            },
        ],
    )
    .await;
    sent.assert_status(201);
    let url = sent.str("/attachments/0/url");
    let path = url.strip_prefix("http://souk.test").unwrap().to_owned();
    assert!(path.starts_with(&format!("/api/conversations/{conversation}/attachments/")));
    let got = app.get(&path, Some(&craftsman.access)).await;
    got.assert_status(200);
    assert_eq!(got.bytes, PDF);
    assert_eq!(got.headers["content-type"], "application/pdf");
    assert!(
        got.headers["cache-control"]
            .to_str()
            .unwrap()
            .contains("private")
    );
    let stranger = app.register("client").await;
    app.get(&path, Some(&stranger.access))
        .await
        .assert_error(404, "conversation_not_found");
    app.get(&path, None).await.assert_error(401, "unauthorized");
    // Nor is the file under the public uploads.
    let key = path.rsplit('/').next().unwrap();
    app.get(&format!("/uploads/chat/{conversation}/{key}.pdf"), None)
        .await
        .assert_status(404);
    // An upload not sent yet is its uploader's alone.
    let pending = post_form(
        &app,
        &format!("/api/conversations/{conversation}/attachments"),
        &client,
        &[Part::File {
            name: "file",
            filename: "draft.pdf",
            content_type: "application/pdf",
            bytes: PDF,
        }],
    )
    .await;
    pending.assert_status(201);
    let pending_path = pending
        .str("/url")
        .strip_prefix("http://souk.test")
        .unwrap()
        .to_owned();
    app.get(&pending_path, Some(&client.access))
        .await
        .assert_status(200);
    app.get(&pending_path, Some(&craftsman.access))
        .await
        .assert_error(404, "attachment_not_found");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn seq_has_no_gaps_under_twenty_concurrent_sends() {
    let app = TestApp::spawn().await;
    let (client, craftsman, job) = hired(&app).await;
    let conversation = job_conversation(&app, &client, &job).await;
    let mut tasks = Vec::new();
    for i in 0..20 {
        let who = if i % 2 == 0 { &client } else { &craftsman };
        let request = Request::builder()
            .method("POST")
            .uri(format!("/api/conversations/{conversation}/messages"))
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::AUTHORIZATION, format!("Bearer {}", who.access))
            .body(Body::from(
                json!({"text": format!("message {i}")}).to_string(),
            ))
            .unwrap();
        let router = app.router.clone();
        tasks.push(tokio::spawn(async move {
            let response = router.oneshot(request).await.unwrap();
            let status = response.status().as_u16();
            let bytes = response.into_body().collect().await.unwrap().to_bytes();
            (status, serde_json::from_slice::<Value>(&bytes).unwrap())
        }));
    }
    let mut numbers = Vec::new();
    for task in tasks {
        let (status, body) = task.await.unwrap();
        assert_eq!(status, 201, "{body}");
        numbers.push(body["seq"].as_i64().unwrap());
    }
    numbers.sort_unstable();
    assert_eq!(numbers, (1..=20).collect::<Vec<i64>>());
    let page = app
        .get(
            &format!("/api/conversations/{conversation}/messages?after=0&limit=100"),
            Some(&craftsman.access),
        )
        .await;
    page.assert_status(200);
    assert_eq!(seqs(&page.body), (1..=20).collect::<Vec<i64>>());
    let detail = app
        .get(
            &format!("/api/conversations/{conversation}"),
            Some(&client.access),
        )
        .await;
    assert_eq!(detail.body["lastSeq"], 20);
}

#[tokio::test]
async fn a_resend_with_the_same_client_message_id_answers_the_first_message() {
    let app = TestApp::spawn().await;
    let (client, craftsman, job) = hired(&app).await;
    let conversation = job_conversation(&app, &client, &job).await;
    let first = MessageBuilder::to_conversation(&app, &client, &conversation)
        .text("On my way?")
        .client_id("c-1")
        .send()
        .await;
    first.assert_status(201);
    let again = MessageBuilder::to_conversation(&app, &client, &conversation)
        .text("On my way?")
        .client_id("c-1")
        .send()
        .await;
    again.assert_status(200);
    assert_eq!(again.body, first.body);
    // Another sender's id space is their own.
    let theirs = MessageBuilder::to_conversation(&app, &craftsman, &conversation)
        .client_id("c-1")
        .send()
        .await;
    theirs.assert_status(201);
    assert_eq!(theirs.body["seq"], 2);
    let page = app
        .get(
            &format!("/api/conversations/{conversation}/messages"),
            Some(&client.access),
        )
        .await;
    assert_eq!(seqs(&page.body), vec![2, 1]);
    MessageBuilder::to_conversation(&app, &client, &conversation)
        .client_id(&"x".repeat(65))
        .send()
        .await
        .assert_error(400, "validation_failed");
}

#[tokio::test]
async fn messages_are_checked_before_anything_is_stored() {
    let app = TestApp::spawn().await;
    let (client, _craftsman, job) = hired(&app).await;
    let conversation = job_conversation(&app, &client, &job).await;
    for body in [
        json!({"text": "x".repeat(4001)}),
        json!({"text": "   "}),
        json!({}),
        json!({"text": "hi", "attachments": [uuid::Uuid::now_v7()]}),
        json!({"text": "hi", "attachments": ["not-an-id"]}),
    ] {
        app.post(
            &format!("/api/conversations/{conversation}/messages"),
            body.clone(),
            Some(&client.access),
        )
        .await
        .assert_error(400, "validation_failed");
    }
    MessageBuilder::to_conversation(&app, &client, &conversation)
        .text(&"ص".repeat(4000))
        .post()
        .await;
}

#[tokio::test]
async fn messages_can_be_edited_by_their_sender_for_fifteen_minutes() {
    let app = TestApp::spawn().await;
    let (client, craftsman, job) = hired(&app).await;
    let conversation = job_conversation(&app, &client, &job).await;
    let sent = MessageBuilder::to_conversation(&app, &client, &conversation)
        .text("Tomorow at 9")
        .post()
        .await;
    let path = format!(
        "/api/conversations/{conversation}/messages/{}",
        id_of(&sent)
    );
    assert!(sent["editedAt"].is_null());
    let edited = app
        .patch(
            &path,
            json!({"text": "Tomorrow at 9"}),
            Some(&client.access),
        )
        .await;
    edited.assert_status(200);
    assert_eq!(edited.body["text"], "Tomorrow at 9");
    assert_eq!(edited.body["seq"], 1);
    assert!(edited.body["editedAt"].is_string());
    app.patch(&path, json!({"text": "Never"}), Some(&craftsman.access))
        .await
        .assert_error(403, "not_the_sender");
    let page = app
        .get(
            &format!("/api/conversations/{conversation}/messages"),
            Some(&craftsman.access),
        )
        .await;
    assert_eq!(page.body["data"][0]["text"], "Tomorrow at 9");
    // Sixteen minutes later the text is final.
    let earlier = Utc::now() - chrono::Duration::minutes(16);
    sql(
        &app,
        "UPDATE messages SET created_at = $1 WHERE id = $2",
        vec![
            earlier.into(),
            uuid::Uuid::parse_str(&id_of(&sent)).unwrap().into(),
        ],
    )
    .await;
    app.patch(&path, json!({"text": "Too late"}), Some(&client.access))
        .await
        .assert_error(409, "edit_window_closed");
}

#[tokio::test]
async fn a_deleted_message_leaves_a_tombstone() {
    let app = TestApp::spawn().await;
    let (client, craftsman, job) = hired(&app).await;
    let conversation = job_conversation(&app, &client, &job).await;
    MessageBuilder::to_conversation(&app, &client, &conversation)
        .text("Before")
        .post()
        .await;
    let sent = post_form(
        &app,
        &format!("/api/conversations/{conversation}/messages"),
        &client,
        &[
            Part::Text("text", "My phone number is …"),
            Part::File {
                name: "files",
                filename: "id.pdf",
                content_type: "application/pdf",
                bytes: PDF,
            },
        ],
    )
    .await;
    sent.assert_status(201);
    let file = sent
        .str("/attachments/0/url")
        .strip_prefix("http://souk.test")
        .unwrap()
        .to_owned();
    let path = format!(
        "/api/conversations/{conversation}/messages/{}",
        sent.str("/id")
    );
    app.delete(&path, Some(&craftsman.access))
        .await
        .assert_error(403, "not_the_sender");
    let deleted = app.delete(&path, Some(&client.access)).await;
    deleted.assert_status(200);
    assert_eq!(deleted.body["text"], "");
    assert_eq!(deleted.body["attachments"], json!([]));
    assert_eq!(deleted.body["seq"], 2);
    assert!(deleted.body["deletedAt"].is_string());
    let page = app
        .get(
            &format!("/api/conversations/{conversation}/messages"),
            Some(&craftsman.access),
        )
        .await;
    assert_eq!(seqs(&page.body), vec![2, 1]);
    assert_eq!(page.body["data"][0], deleted.body);
    app.get(&file, Some(&craftsman.access))
        .await
        .assert_error(404, "attachment_not_found");
    assert_eq!(stored_chat_files(&app), 0);
    // A tombstone is not unread and cannot be edited.
    let unread = app
        .get("/api/conversations/unread-count", Some(&craftsman.access))
        .await;
    assert_eq!(unread.body["count"], 1);
    app.patch(&path, json!({"text": "Back"}), Some(&client.access))
        .await
        .assert_error(409, "message_deleted");
    app.delete(&path, Some(&client.access))
        .await
        .assert_status(200);
}

#[tokio::test]
async fn read_receipts_move_forward_only_and_unread_counts_follow_them() {
    let app = TestApp::spawn().await;
    let (client, craftsman, job) = hired(&app).await;
    let conversation = job_conversation(&app, &client, &job).await;
    for text in ["One", "Two", "Three"] {
        MessageBuilder::to_conversation(&app, &client, &conversation)
            .text(text)
            .post()
            .await;
    }
    let count = |who: &Account| {
        let app = &app;
        let token = who.access.clone();
        async move {
            app.get("/api/conversations/unread-count", Some(&token))
                .await
                .body["count"]
                .as_i64()
                .unwrap()
        }
    };
    assert_eq!(count(&craftsman).await, 3);
    assert_eq!(count(&client).await, 0, "one's own messages are read");
    let read = |seq: i64| {
        let app = &app;
        let token = craftsman.access.clone();
        let path = format!("/api/conversations/{conversation}/read");
        async move { app.post(&path, json!({"seq": seq}), Some(&token)).await }
    };
    let moved = read(2).await;
    moved.assert_status(200);
    assert_eq!(moved.body["lastReadSeq"], 2);
    assert_eq!(moved.body["unreadCount"], 1);
    let back = read(1).await;
    assert_eq!(back.body["lastReadSeq"], 2, "never back");
    assert_eq!(back.body["unreadCount"], 1);
    let past = read(99).await;
    assert_eq!(past.body["lastReadSeq"], 3, "never past the last message");
    assert_eq!(past.body["unreadCount"], 0);
    assert_eq!(count(&craftsman).await, 0);
    // The client sees how far the craftsman has read.
    let seen = conversations(&app, &client).await;
    let theirs = seen[0]["participants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["userId"] == craftsman.id.as_str())
        .unwrap()
        .clone();
    assert_eq!(theirs["lastReadSeq"], 3);
    app.post(
        &format!("/api/conversations/{conversation}/read"),
        json!({"seq": -1}),
        Some(&craftsman.access),
    )
    .await
    .assert_error(400, "validation_failed");
    app.post(
        &format!("/api/conversations/{conversation}/read"),
        json!({}),
        Some(&craftsman.access),
    )
    .await
    .assert_error(400, "validation_failed");
}

#[tokio::test]
async fn any_member_may_message_a_craftsman_and_a_pair_has_one_conversation() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let colleague = app.register("craftsman").await;
    let opened = DirectBuilder::new(&app, &client, &craftsman).send().await;
    opened.assert_status(201);
    assert_eq!(opened.body["kind"], "direct");
    assert!(opened.body["jobId"].is_null());
    assert_eq!(opened.body["peer"]["id"], craftsman.id.as_str());
    let again = DirectBuilder::new(&app, &client, &craftsman).send().await;
    again.assert_status(200);
    assert_eq!(again.body["id"], opened.body["id"]);
    // The craftsman finds the same one, and may now answer.
    let theirs = DirectBuilder::new(&app, &craftsman, &client).send().await;
    theirs.assert_status(200);
    assert_eq!(theirs.body["id"], opened.body["id"]);
    MessageBuilder::to_conversation(&app, &craftsman, &id_of(&opened.body))
        .post()
        .await;
    DirectBuilder::new(&app, &colleague, &craftsman)
        .send()
        .await
        .assert_status(201);
}

#[tokio::test]
async fn craftsmen_cannot_cold_message_clients() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let other_client = app.register("client").await;
    let admin = app.staff(Role::Admin).await;
    DirectBuilder::new(&app, &craftsman, &client)
        .send()
        .await
        .assert_error(403, "dm_not_allowed");
    DirectBuilder::new(&app, &other_client, &client)
        .send()
        .await
        .assert_error(403, "dm_not_allowed");
    DirectBuilder::new(&app, &client, &admin)
        .send()
        .await
        .assert_error(403, "dm_not_allowed");
    DirectBuilder::new(&app, &client, &client)
        .send()
        .await
        .assert_error(403, "cannot_target_self");
    app.post(
        "/api/conversations",
        json!({"peerId": uuid::Uuid::now_v7()}),
        Some(&client.access),
    )
    .await
    .assert_error(404, "user_not_found");
    app.post("/api/conversations", json!({}), Some(&client.access))
        .await
        .assert_error(400, "validation_failed");
    assert!(conversations(&app, &client).await.is_empty());
}

#[tokio::test]
async fn a_craftsman_may_message_a_client_they_share_a_job_with() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let job = JobBuilder::new(&app, &client).post_id().await;
    QuoteBuilder::new(&app, &craftsman, &job).submit().await;
    let opened = DirectBuilder::new(&app, &craftsman, &client).send().await;
    opened.assert_status(201);
    MessageBuilder::to_conversation(&app, &craftsman, &id_of(&opened.body))
        .text("Any questions about my quote?")
        .post()
        .await;
}

#[tokio::test]
async fn a_blocked_side_can_no_longer_send() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let conversation = id_of(&DirectBuilder::new(&app, &client, &craftsman).open().await);
    MessageBuilder::to_conversation(&app, &client, &conversation)
        .post()
        .await;
    let blocked = app
        .post(
            &format!("/api/conversations/{conversation}/block"),
            json!({}),
            Some(&craftsman.access),
        )
        .await;
    blocked.assert_status(200);
    let mine = blocked.body["participants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["userId"] == craftsman.id.as_str())
        .unwrap()
        .clone();
    assert_eq!(mine["status"], "blocking");
    MessageBuilder::to_conversation(&app, &client, &conversation)
        .send()
        .await
        .assert_error(403, "blocked");
    post_form(
        &app,
        &format!("/api/conversations/{conversation}/attachments"),
        &client,
        &[Part::File {
            name: "file",
            filename: "a.pdf",
            content_type: "application/pdf",
            bytes: PDF,
        }],
    )
    .await
    .assert_error(403, "blocked");
    // Opening the pair's conversation again does not get round it.
    DirectBuilder::new(&app, &client, &craftsman)
        .send()
        .await
        .assert_status(200);
    MessageBuilder::to_conversation(&app, &client, &conversation)
        .send()
        .await
        .assert_error(403, "blocked");
    // Blocking twice changes nothing; lifting it lets them write again.
    app.post(
        &format!("/api/conversations/{conversation}/block"),
        json!({}),
        Some(&craftsman.access),
    )
    .await
    .assert_status(200);
    app.delete(
        &format!("/api/conversations/{conversation}/block"),
        Some(&craftsman.access),
    )
    .await
    .assert_status(200);
    let sent = MessageBuilder::to_conversation(&app, &client, &conversation)
        .post()
        .await;
    assert_eq!(sent["seq"], 2);
}

#[tokio::test]
async fn images_are_resized_like_job_photos() {
    let app = TestApp::spawn().await;
    let (client, craftsman, job) = hired(&app).await;
    let conversation = job_conversation(&app, &client, &job).await;
    let big = png(2400, 1200);
    let uploaded = post_form(
        &app,
        &format!("/api/conversations/{conversation}/attachments"),
        &craftsman,
        &[Part::File {
            name: "file",
            filename: "leak.png",
            content_type: "image/png",
            bytes: &big,
        }],
    )
    .await;
    uploaded.assert_status(201);
    assert_eq!(uploaded.body["contentType"], "image/jpeg");
    assert_eq!(uploaded.body["name"], "leak.jpg");
    let sent = MessageBuilder::to_conversation(&app, &craftsman, &conversation)
        .text("See the pipe")
        .attachments(&[&uploaded.str("/id")])
        .post()
        .await;
    assert_eq!(sent["attachments"][0]["id"], uploaded.body["id"]);
    let path = uploaded
        .str("/url")
        .strip_prefix("http://souk.test")
        .unwrap()
        .to_owned();
    let got = app.get(&path, Some(&client.access)).await;
    got.assert_status(200);
    assert_eq!(got.headers["content-type"], "image/jpeg");
    let image = image::load_from_memory(&got.bytes).unwrap();
    assert_eq!((image.width(), image.height()), (1600, 800));
    assert_eq!(
        uploaded.body["size"].as_u64().unwrap(),
        u64::try_from(got.bytes.len()).unwrap()
    );
    // A file goes out with one message only.
    MessageBuilder::to_conversation(&app, &craftsman, &conversation)
        .attachments(&[&uploaded.str("/id")])
        .send()
        .await
        .assert_error(400, "validation_failed");
}

#[tokio::test]
async fn a_pdf_is_accepted_with_the_message() {
    let app = TestApp::spawn().await;
    let (client, craftsman, job) = hired(&app).await;
    let sent = post_form(
        &app,
        &format!("/api/jobs/{job}/messages"),
        &craftsman,
        &[
            Part::Text("clientMessageId", "pdf-1"),
            Part::File {
                name: "files",
                filename: "invoice.pdf",
                content_type: "application/pdf",
                bytes: PDF,
            },
        ],
    )
    .await;
    sent.assert_status(201);
    assert_eq!(sent.body["text"], "");
    let attachment = &sent.body["attachments"][0];
    assert_eq!(attachment["contentType"], "application/pdf");
    assert_eq!(attachment["name"], "invoice.pdf");
    assert_eq!(attachment["size"], PDF.len());
    let path = attachment["url"]
        .as_str()
        .unwrap()
        .strip_prefix("http://souk.test")
        .unwrap()
        .to_owned();
    let got = app.get(&path, Some(&client.access)).await;
    assert_eq!(got.bytes, PDF);
    assert!(
        got.headers["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment; filename=\"invoice.pdf\"")
    );
}

#[tokio::test]
async fn a_fake_pdf_is_refused_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let (client, _craftsman, job) = hired(&app).await;
    let conversation = job_conversation(&app, &client, &job).await;
    let messages = format!("/api/conversations/{conversation}/messages");
    let uploads = format!("/api/conversations/{conversation}/attachments");
    let shell = b"#!/bin/sh\nrm -rf /\n".to_vec();
    let photo = png(40, 40);
    for (filename, content_type, bytes) in [
        ("invoice.pdf", "application/pdf", shell.clone()),
        ("invoice.pdf", "application/pdf", photo.clone()),
        ("photo.png", "application/pdf", photo.clone()),
        ("invoice.exe", "application/octet-stream", PDF.to_vec()),
        (
            "broken.png",
            "image/png",
            b"\x89PNG\r\n\x1a\nnot really".to_vec(),
        ),
    ] {
        let file = Part::File {
            name: "files",
            filename,
            content_type,
            bytes: &bytes,
        };
        // A good file beside it is not stored either.
        let good = Part::File {
            name: "files",
            filename: "ok.pdf",
            content_type: "application/pdf",
            bytes: PDF,
        };
        post_form(
            &app,
            &messages,
            &client,
            &[Part::Text("text", "Here"), good, file],
        )
        .await
        .assert_error(400, "unsupported_file");
        let file = Part::File {
            name: "file",
            filename,
            content_type,
            bytes: &bytes,
        };
        post_form(&app, &uploads, &client, &[file])
            .await
            .assert_error(400, "unsupported_file");
    }
    assert_eq!(stored_chat_files(&app), 0);
    let detail = app
        .get(
            &format!("/api/conversations/{conversation}"),
            Some(&client.access),
        )
        .await;
    assert_eq!(detail.body["lastSeq"], 0, "no message was stored");
}

#[tokio::test]
async fn history_pages_by_seq_in_both_directions() {
    let app = TestApp::spawn().await;
    let (client, craftsman, job) = hired(&app).await;
    let conversation = job_conversation(&app, &client, &job).await;
    for i in 1..=7 {
        MessageBuilder::to_conversation(&app, &client, &conversation)
            .text(&format!("m{i}"))
            .post()
            .await;
    }
    let base = format!("/api/conversations/{conversation}/messages");
    let get = |query: String| {
        let app = &app;
        let token = craftsman.access.clone();
        let path = format!("{base}{query}");
        async move {
            let response = app.get(&path, Some(&token)).await;
            response.assert_status(200);
            response.body
        }
    };
    let latest = get("?limit=3".into()).await;
    assert_eq!(seqs(&latest), vec![7, 6, 5]);
    assert_eq!(latest["nextCursor"], 5);
    let older = get("?before=5&limit=3".into()).await;
    assert_eq!(seqs(&older), vec![4, 3, 2]);
    assert_eq!(older["nextCursor"], 2);
    let oldest = get("?before=2&limit=3".into()).await;
    assert_eq!(seqs(&oldest), vec![1]);
    assert!(oldest["nextCursor"].is_null());
    let first = get("?after=0&limit=3".into()).await;
    assert_eq!(seqs(&first), vec![1, 2, 3]);
    assert_eq!(first["nextCursor"], 3);
    let rest = get("?after=3&limit=10".into()).await;
    assert_eq!(seqs(&rest), vec![4, 5, 6, 7]);
    assert!(rest["nextCursor"].is_null());
    assert_eq!(rest["data"][3]["text"], "m7");
    for bad in [
        "?before=1&after=1",
        "?before=-1",
        "?limit=0",
        "?limit=101",
        "?after=x",
    ] {
        app.get(&format!("{base}{bad}"), Some(&craftsman.access))
            .await
            .assert_error(400, "validation_failed");
    }
}

#[tokio::test]
async fn conversations_are_listed_newest_activity_first_with_a_cursor() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let mut craftsmen = Vec::new();
    let mut ids = Vec::new();
    for _ in 0..3 {
        let craftsman = app.register("craftsman").await;
        let conversation = id_of(&DirectBuilder::new(&app, &client, &craftsman).open().await);
        MessageBuilder::to_conversation(&app, &client, &conversation)
            .text("Are you free?")
            .post()
            .await;
        craftsmen.push(craftsman);
        ids.push(conversation);
    }
    let page = |query: &str| {
        let app = &app;
        let token = client.access.clone();
        let path = format!("/api/conversations{query}");
        async move {
            let response = app.get(&path, Some(&token)).await;
            response.assert_status(200);
            response.body
        }
    };
    let listed = |body: &Value| -> Vec<String> {
        body["data"].as_array().unwrap().iter().map(id_of).collect()
    };
    let first = page("?limit=2").await;
    assert_eq!(listed(&first), vec![ids[2].clone(), ids[1].clone()]);
    let cursor = first["nextCursor"].as_str().unwrap().to_owned();
    let second = page(&format!("?limit=2&before={cursor}")).await;
    assert_eq!(listed(&second), vec![ids[0].clone()]);
    assert!(second["nextCursor"].is_null());
    // A reply brings the oldest to the top, with its last message and the
    // client's unread count.
    MessageBuilder::to_conversation(&app, &craftsmen[0], &ids[0])
        .text("Yes, tomorrow")
        .post()
        .await;
    let now = page("").await;
    assert_eq!(listed(&now)[0], ids[0]);
    assert_eq!(now["data"][0]["lastMessage"]["text"], "Yes, tomorrow");
    assert_eq!(now["data"][0]["unreadCount"], 1);
    assert_eq!(now["data"][0]["lastReadSeq"], 1);
    assert_eq!(now["data"][1]["unreadCount"], 0);
    app.get("/api/conversations?before=garbage", Some(&client.access))
        .await
        .assert_error(400, "validation_failed");
}

#[tokio::test]
async fn messages_are_rate_limited_per_user() {
    let app = TestApp::with(Options {
        chat_send_rate: Some(SendRate {
            messages: 3,
            window: Duration::from_secs(60),
        }),
        ..Options::default()
    })
    .await;
    let (client, craftsman, job) = hired(&app).await;
    let conversation = job_conversation(&app, &client, &job).await;
    for _ in 0..3 {
        MessageBuilder::to_conversation(&app, &client, &conversation)
            .post()
            .await;
    }
    let limited = MessageBuilder::to_conversation(&app, &client, &conversation)
        .send()
        .await;
    limited.assert_error(429, "rate_limited");
    let wait: u64 = limited.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=20).contains(&wait), "{wait}");
    // The budget is the sender's own.
    MessageBuilder::to_conversation(&app, &craftsman, &conversation)
        .post()
        .await;
    let detail = app
        .get(
            &format!("/api/conversations/{conversation}"),
            Some(&client.access),
        )
        .await;
    assert_eq!(detail.body["lastSeq"], 4);
}

#[tokio::test]
async fn banned_users_cannot_send() {
    let app = TestApp::spawn().await;
    let (client, craftsman, job) = hired(&app).await;
    let conversation = job_conversation(&app, &client, &job).await;
    // What a socket holds: the caller as authenticated when it connected.
    let connected = souk_core::accounts::sessions::authenticate(&app.core, &craftsman.access)
        .await
        .unwrap();
    let admin = app.staff(Role::Admin).await;
    app.patch(
        &format!("/api/admin/users/{}/ban", craftsman.id),
        json!({"reason": "Spam"}),
        Some(&admin.access),
    )
    .await
    .assert_status(200);
    // Over REST the ban ends the session at once.
    let refused = MessageBuilder::to_job(&app, &craftsman, &job).send().await;
    assert!(
        (refused.status == 401 && refused.body["code"] == "session_revoked")
            || (refused.status == 403 && refused.body["code"] == "account_banned"),
        "{} {}",
        refused.status,
        refused.body
    );
    // The one send use-case (the socket's too) refuses a caller banned
    // since they connected.
    let err = souk_core::chat::send(
        &app.core,
        &connected,
        souk_core::chat::SendMessage {
            conversation: uuid::Uuid::parse_str(&conversation).unwrap(),
            text: Some("Still here".into()),
            attachments: Vec::new(),
            client_message_id: None,
        },
    )
    .await
    .unwrap_err();
    assert_eq!(err.error_code().as_str(), "account_banned");
    MessageBuilder::to_job(&app, &client, &job).post().await;
}

#[tokio::test]
async fn a_new_message_notifies_the_recipient_once_per_unread_stretch() {
    let app = TestApp::spawn().await;
    let (client, craftsman, job) = hired(&app).await;
    let conversation = job_conversation(&app, &client, &job).await;
    let notices = |who: &Account| {
        let app = &app;
        let token = who.access.clone();
        async move {
            let list = app.get("/api/notifications", Some(&token)).await;
            list.body["data"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|n| n["type"] == "message_received")
                .cloned()
                .collect::<Vec<Value>>()
        }
    };
    let sent = MessageBuilder::to_conversation(&app, &client, &conversation)
        .text("Please bring a ladder")
        .post()
        .await;
    MessageBuilder::to_conversation(&app, &client, &conversation)
        .text("And gloves")
        .post()
        .await;
    let received = notices(&craftsman).await;
    assert_eq!(received.len(), 1, "{received:?}");
    assert_eq!(received[0]["data"]["conversationId"], conversation.as_str());
    assert_eq!(received[0]["data"]["messageId"], sent["id"]);
    assert_eq!(received[0]["data"]["jobId"], job.as_str());
    assert_eq!(received[0]["message"], "Please bring a ladder");
    assert!(notices(&client).await.is_empty());
    app.post(
        &format!("/api/conversations/{conversation}/read"),
        json!({"seq": 2}),
        Some(&craftsman.access),
    )
    .await
    .assert_status(200);
    MessageBuilder::to_conversation(&app, &client, &conversation)
        .text("Thanks")
        .post()
        .await;
    assert_eq!(notices(&craftsman).await.len(), 2);
}

/// The realtime rows the outbox holds, in order: `(event, rooms, data)`.
async fn realtime_rows(app: &TestApp) -> Vec<(String, Vec<String>, Value)> {
    let rows = app
        .core
        .db
        .conn()
        .query_all_raw(Statement::from_string(
            app.core.db.backend(),
            "SELECT payload FROM outbox WHERE kind = 'realtime' ORDER BY id",
        ))
        .await
        .unwrap();
    rows.iter()
        .map(|row| {
            let payload: String = row.try_get("", "payload").unwrap();
            let value: Value = serde_json::from_str(&payload).unwrap();
            let rooms = value["rooms"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r.as_str().unwrap().to_owned())
                .collect();
            (
                value["event"].as_str().unwrap().to_owned(),
                rooms,
                value["data"].clone(),
            )
        })
        .collect()
}

#[tokio::test]
async fn realtime_events_are_outbox_rows_with_the_rest_shapes() {
    let app = TestApp::with(Options {
        quiet: true,
        ..Options::default()
    })
    .await;
    let (client, craftsman, job) = hired(&app).await;
    let conversation = job_conversation(&app, &client, &job).await;
    let both = |rooms: &[String]| {
        let mut rooms = rooms.to_vec();
        rooms.sort();
        let mut expected = vec![
            format!("user:{}", client.id),
            format!("user:{}", craftsman.id),
        ];
        expected.sort();
        rooms == expected
    };
    let sent = MessageBuilder::to_conversation(&app, &client, &conversation)
        .text("Hello there")
        .post()
        .await;
    let rows = realtime_rows(&app).await;
    let (_, rooms, data) = rows.iter().find(|(e, ..)| e == "message:new").unwrap();
    assert!(both(rooms), "{rooms:?}");
    assert_eq!(data, &sent);
    let (_, rooms, data) = rows
        .iter()
        .find(|(e, ..)| e == "conversation:updated")
        .unwrap();
    assert_eq!(rooms, &vec![format!("user:{}", craftsman.id)]);
    assert_eq!(
        data,
        &json!({"conversationId": conversation, "unreadCount": 1})
    );

    app.post(
        &format!("/api/conversations/{conversation}/read"),
        json!({"seq": 1}),
        Some(&craftsman.access),
    )
    .await
    .assert_status(200);
    let rows = realtime_rows(&app).await;
    let (_, rooms, data) = rows.iter().find(|(e, ..)| e == "message:read").unwrap();
    assert_eq!(rooms, &vec![format!("user:{}", client.id)]);
    assert_eq!(
        data,
        &json!({"conversationId": conversation, "userId": craftsman.id, "seq": 1})
    );
    let (_, rooms, data) = rows
        .iter()
        .rfind(|(e, ..)| e == "conversation:updated")
        .unwrap();
    assert_eq!(rooms, &vec![format!("user:{}", craftsman.id)]);
    assert_eq!(data["unreadCount"], 0);

    // Replying reads what came before: the client sees the receipt.
    MessageBuilder::to_conversation(&app, &client, &conversation)
        .text("Are you there?")
        .post()
        .await;
    MessageBuilder::to_conversation(&app, &craftsman, &conversation)
        .text("Yes")
        .post()
        .await;
    let rows = realtime_rows(&app).await;
    let (_, rooms, data) = rows.iter().rfind(|(e, ..)| e == "message:read").unwrap();
    assert_eq!(rooms, &vec![format!("user:{}", client.id)]);
    assert_eq!(
        data,
        &json!({"conversationId": conversation, "userId": craftsman.id, "seq": 3})
    );

    let path = format!(
        "/api/conversations/{conversation}/messages/{}",
        id_of(&sent)
    );
    let edited = app
        .patch(&path, json!({"text": "Hello!"}), Some(&client.access))
        .await;
    let deleted = app.delete(&path, Some(&client.access)).await;
    let rows = realtime_rows(&app).await;
    let (_, rooms, data) = rows.iter().find(|(e, ..)| e == "message:updated").unwrap();
    assert!(both(rooms));
    assert_eq!(data, &edited.body);
    let (_, rooms, data) = rows.iter().find(|(e, ..)| e == "message:deleted").unwrap();
    assert!(both(rooms));
    assert_eq!(data, &deleted.body);
}

#[tokio::test]
async fn response_time_shows_on_the_craftsmans_public_profile() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let profile = format!("/api/users/{}", craftsman.id);
    let before = app.get(&profile, Some(&client.access)).await;
    assert!(
        before.body["responseTimeMinutes"].is_null(),
        "{}",
        before.body
    );
    // Two contracts: the client asks, the craftsman answers 10 and 30
    // minutes later (the asking is moved back in time).
    for minutes in [10, 30] {
        let job = ContractBuilder::new(&app, &client, &craftsman)
            .create_id()
            .await;
        MessageBuilder::to_job(&app, &client, &job).post().await;
        let asked = Utc::now() - chrono::Duration::minutes(minutes);
        sql(
            &app,
            "UPDATE conversations SET client_first_message_at = $1 WHERE job_id = $2",
            vec![asked.into(), uuid::Uuid::parse_str(&job).unwrap().into()],
        )
        .await;
        MessageBuilder::to_job(&app, &craftsman, &job)
            .text("On it")
            .post()
            .await;
        // Later replies do not move the clock.
        MessageBuilder::to_job(&app, &craftsman, &job)
            .text("Done")
            .post()
            .await;
    }
    let after = app.get(&profile, Some(&client.access)).await;
    assert_eq!(after.body["responseTimeMinutes"], 20, "{}", after.body);
    // A craftsman writing first starts no clock; replies older than 90 days
    // leave the median at the next refresh.
    sql(
        &app,
        "UPDATE conversations SET craftsman_first_reply_at = $1 \
         WHERE craftsman_first_reply_at IS NOT NULL",
        vec![(Utc::now() - chrono::Duration::days(100)).into()],
    )
    .await;
    let job = ContractBuilder::new(&app, &client, &craftsman)
        .create_id()
        .await;
    MessageBuilder::to_job(&app, &craftsman, &job).post().await;
    MessageBuilder::to_job(&app, &client, &job).post().await;
    MessageBuilder::to_job(&app, &craftsman, &job).post().await;
    let now = app.get(&profile, Some(&client.access)).await;
    assert_eq!(now.body["responseTimeMinutes"], 0, "{}", now.body);
}

#[tokio::test]
async fn reported_messages_reach_moderation() {
    let app = TestApp::spawn().await;
    let (client, craftsman, job) = hired(&app).await;
    let conversation = job_conversation(&app, &client, &job).await;
    let sent = MessageBuilder::to_conversation(&app, &client, &conversation)
        .text("Pay me outside the platform")
        .post()
        .await;
    let path = format!(
        "/api/conversations/{conversation}/messages/{}/report",
        id_of(&sent)
    );
    let reported = app
        .post(
            &path,
            json!({"reason": "Asks to pay outside"}),
            Some(&craftsman.access),
        )
        .await;
    reported.assert_status(201);
    assert_eq!(reported.body["messageId"], sent["id"]);
    let again = app
        .post(&path, json!({"reason": "Again"}), Some(&craftsman.access))
        .await;
    again.assert_status(200);
    assert_eq!(again.body["id"], reported.body["id"]);
    app.post(&path, json!({"reason": "Mine"}), Some(&client.access))
        .await
        .assert_error(403, "forbidden");
    app.post(&path, json!({"reason": ""}), Some(&craftsman.access))
        .await
        .assert_error(400, "validation_failed");
    let admin = app.staff(Role::Admin).await;
    let log = app
        .get(
            "/api/admin/activity-log?action=chat.report",
            Some(&admin.access),
        )
        .await;
    let entries = log.body["data"].as_array().unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["targetId"], sent["id"]);
    assert_eq!(entries[0]["details"]["reason"], "Asks to pay outside");
    // A reported conversation is open to staff.
    app.get(
        &format!("/api/conversations/{conversation}/messages"),
        Some(&admin.access),
    )
    .await
    .assert_status(200);
}

#[tokio::test]
async fn contracts_hired_before_chat_get_their_conversation_on_first_access() {
    let app = TestApp::spawn().await;
    let (client, craftsman, job) = hired(&app).await;
    let job_id = uuid::Uuid::parse_str(&job).unwrap();
    sql(
        &app,
        "DELETE FROM conversations WHERE job_id = $1",
        vec![job_id.into()],
    )
    .await;
    assert!(conversations(&app, &client).await.is_empty());
    MessageBuilder::to_job(&app, &craftsman, &job)
        .text("Hello from before")
        .post()
        .await;
    let list = conversations(&app, &client).await;
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["jobId"], job.as_str());
    assert_eq!(list[0]["unreadCount"], 1);
}

#[tokio::test]
async fn the_chat_migration_opens_conversations_for_existing_contracts() {
    let app = TestApp::spawn().await;
    let (client, _craftsman, job) = hired(&app).await;
    app.core.db.rollback(1).await.unwrap();
    app.core.db.migrate().await.unwrap();
    let list = conversations(&app, &client).await;
    assert_eq!(list.len(), 1, "{list:?}");
    assert_eq!(list[0]["jobId"], job.as_str());
    assert_eq!(list[0]["kind"], "contract");
}

#[tokio::test]
async fn a_staff_deletion_of_the_job_takes_its_conversation_and_files() {
    let app = TestApp::spawn().await;
    let (client, _craftsman, job) = hired(&app).await;
    let conversation = job_conversation(&app, &client, &job).await;
    post_form(
        &app,
        &format!("/api/conversations/{conversation}/messages"),
        &client,
        &[Part::File {
            name: "files",
            filename: "plan.pdf",
            content_type: "application/pdf",
            bytes: PDF,
        }],
    )
    .await
    .assert_status(201);
    assert_eq!(stored_chat_files(&app), 1);
    let admin = app.staff(Role::Admin).await;
    app.delete(&format!("/api/admin/jobs/{job}"), Some(&admin.access))
        .await
        .assert_status(200);
    assert!(conversations(&app, &client).await.is_empty());
    assert_eq!(stored_chat_files(&app), 0);
}
