//! The Socket.IO endpoint driven by the official `socket.io-client` (npm,
//! through `tests/socketio/driver.js`): who is let in, what reaches a
//! socket and how fast, what drops it, and what a socket may send. Two
//! nodes sharing PostgreSQL and Redis are at the end.
#![allow(clippy::unwrap_used)]

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use souk_api::RealtimeConfig;
use souk_core::{
    accounts::Role,
    marketplace::{Actor, JobStatus, lifecycle::next_states},
    realtime::conversation_room,
};
use uuid::Uuid;

use crate::support::{socketio::*, *};

/// Events must arrive this soon after the request that caused them.
const PROMPTLY: Duration = Duration::from_secs(1);

/// An app served on a loopback port, with a Node process of clients.
async fn served() -> (TestApp, std::net::SocketAddr, SocketClients) {
    let app = TestApp::spawn().await;
    let address = app.serve_on_port().await;
    (app, address, SocketClients::start().await)
}

#[track_caller]
fn assert_envelope(data: &Value, code: &str) {
    assert_eq!(data["code"], code, "{data}");
    assert!(
        data["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{data}"
    );
}

#[tokio::test]
async fn a_handshake_without_a_token_is_refused_with_the_envelope() {
    let (_app, address, mut clients) = served().await;
    let refused = clients.connect_with("a", address, json!({})).await;
    assert_eq!(refused["type"], "connect_error", "{refused}");
    assert_envelope(&refused["data"], "unauthorized");
    assert_eq!(refused["message"], refused["data"]["message"]);
}

#[tokio::test]
async fn a_refusal_speaks_the_handshakes_language() {
    let (_app, address, mut clients) = served().await;
    let english = clients.connect_with("en", address, json!({})).await;
    let arabic = clients
        .connect_with("ar", address, json!({"headers": {"accept-language": "ar"}}))
        .await;
    assert_envelope(&arabic["data"], "unauthorized");
    assert_ne!(arabic["data"]["message"], english["data"]["message"]);
    assert!(
        arabic["data"]["message"]
            .as_str()
            .unwrap()
            .chars()
            .any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)),
        "{arabic}"
    );
}

#[tokio::test]
async fn a_handshake_with_a_forged_token_is_refused() {
    let (_app, address, mut clients) = served().await;
    let refused = clients
        .connect_with("a", address, json!({"auth": {"token": "not.a.token"}}))
        .await;
    assert_eq!(refused["type"], "connect_error", "{refused}");
    assert_envelope(&refused["data"], "invalid_token");
}

#[tokio::test]
async fn a_handshake_with_a_revoked_token_is_refused() {
    let (app, address, mut clients) = served().await;
    let member = app.register("client").await;
    app.post("/api/auth/logout", json!({}), Some(&member.access))
        .await
        .assert_status(200);
    let refused = clients
        .connect_with("a", address, json!({"auth": {"token": member.access}}))
        .await;
    assert_eq!(refused["type"], "connect_error", "{refused}");
    assert_envelope(&refused["data"], "session_revoked");
}

#[tokio::test]
async fn a_banned_users_handshake_is_refused_with_the_ban() {
    let (app, address, mut clients) = served().await;
    let admin = app.staff(Role::Admin).await;
    let member = app.register("craftsman").await;
    let login = login(&app, &member.email, PASSWORD, "clients").await;
    let token = login.str("/accessToken");
    app.patch(
        &format!("/api/admin/users/{}/ban", member.id),
        json!({"reason": "Fake reviews"}),
        Some(&admin.access),
    )
    .await
    .assert_status(200);
    let refused = clients
        .connect_with("a", address, json!({"auth": {"token": token}}))
        .await;
    assert_eq!(refused["type"], "connect_error", "{refused}");
    // The ban ended the session; a token of it is refused like any other.
    assert_envelope(&refused["data"], "session_revoked");
}

#[tokio::test]
async fn the_token_may_come_as_a_query_parameter() {
    let (app, address, mut clients) = served().await;
    let member = app.register("client").await;
    let line = clients
        .connect_with("a", address, json!({"query": {"token": member.access}}))
        .await;
    assert_eq!(line["type"], "connect", "{line}");
}

#[tokio::test]
async fn a_client_may_connect_over_websocket_only() {
    let (app, address, mut clients) = served().await;
    let member = app.register("client").await;
    let line = clients
        .connect_with(
            "a",
            address,
            json!({"auth": {"token": member.access}, "transports": ["websocket"]}),
        )
        .await;
    assert_eq!(line["type"], "connect", "{line}");
    assert_eq!(line["transport"], "websocket");
    let answer = clients.ack("a", "sync", json!({})).await;
    assert_eq!(answer["conversations"], json!({}), "{answer}");
}

#[tokio::test]
async fn a_stored_notification_arrives_as_notification_in_the_rest_shape() {
    let (app, address, mut clients) = served().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let job = JobBuilder::new(&app, &client).post_id().await;
    clients.connect("client", address, &client.access).await;

    let asked = Instant::now();
    QuoteBuilder::new(&app, &craftsman, &job).submit().await;
    let pushed = clients
        .event(
            "client",
            "notification",
            PROMPTLY.saturating_sub(asked.elapsed()),
        )
        .await
        .expect("no notification within a second");
    assert_eq!(pushed["type"], "quote_received");
    let stored = app.get("/api/notifications", Some(&client.access)).await;
    assert_eq!(pushed, stored.body["data"][0]);
}

#[tokio::test]
async fn a_job_status_change_reaches_both_parties_with_their_next_moves() {
    let (app, address, mut clients) = served().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let job = ContractBuilder::new(&app, &client, &craftsman)
        .funded()
        .create_id()
        .await;
    clients.connect("client", address, &client.access).await;
    clients
        .connect("craftsman", address, &craftsman.access)
        .await;

    let asked = Instant::now();
    app.patch(
        &format!("/api/jobs/{job}/status"),
        json!({"status": "on_the_way"}),
        Some(&craftsman.access),
    )
    .await
    .assert_status(200);
    for (who, actor) in [("client", Actor::Client), ("craftsman", Actor::Craftsman)] {
        // The hire's own job:updated may still be on its way from the
        // outbox when the socket connects: skip anything but this move's.
        let update = loop {
            let update = clients
                .event(who, "job:updated", PROMPTLY.saturating_sub(asked.elapsed()))
                .await
                .unwrap_or_else(|| panic!("no job:updated for the {who} within a second"));
            if update["status"] == "on_the_way" {
                break update;
            }
        };
        let allowed: Vec<&str> = next_states(JobStatus::OnTheWay, actor)
            .iter()
            .map(|s| s.as_str())
            .collect();
        assert_eq!(
            update,
            json!({
                "jobId": job,
                "status": "on_the_way",
                "previousStatus": "hired",
                "reason": null,
                "allowedNext": allowed,
            }),
            "{who}"
        );
    }
}

#[tokio::test]
async fn a_hire_reaches_the_hired_craftsman_as_job_updated() {
    let (app, address, mut clients) = served().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let job = JobBuilder::new(&app, &client).post_id().await;
    let quote = QuoteBuilder::new(&app, &craftsman, &job).submit().await;
    clients
        .connect("craftsman", address, &craftsman.access)
        .await;
    app.post(
        &format!("/api/jobs/{job}/quotes/{}/accept", id_of(&quote)),
        json!({}),
        Some(&client.access),
    )
    .await
    .assert_status(200);
    let update = clients
        .event("craftsman", "job:updated", PATIENCE)
        .await
        .expect("the hired craftsman heard nothing");
    assert_eq!(update["status"], "hired");
    assert_eq!(
        update["allowedNext"],
        json!(["on_the_way", "in_progress", "cancelled", "disputed"])
    );
}

#[tokio::test]
async fn a_logout_drops_the_sessions_socket_and_no_other() {
    let (app, address, mut clients) = served().await;
    let member = app.register("client").await;
    let other = login(&app, &member.email, PASSWORD, "clients").await;
    clients.connect("phone", address, &member.access).await;
    clients
        .connect("laptop", address, &other.str("/accessToken"))
        .await;

    let asked = Instant::now();
    app.post("/api/auth/logout", json!({}), Some(&member.access))
        .await
        .assert_status(200);
    let reason = clients
        .disconnected("phone", PROMPTLY.saturating_sub(asked.elapsed()))
        .await
        .expect("the logged-out socket is still connected");
    assert_eq!(reason, "io server disconnect");
    assert_eq!(
        clients
            .disconnected("laptop", Duration::from_millis(300))
            .await,
        None
    );
    let answer = clients.ack("laptop", "sync", json!({})).await;
    assert_eq!(answer["notifications"], json!([]), "{answer}");
}

#[tokio::test]
async fn a_banned_users_sockets_are_dropped() {
    let (app, address, mut clients) = served().await;
    let moderator = app.staff(Role::Moderator).await;
    let member = app.register("craftsman").await;
    clients.connect("a", address, &member.access).await;
    let asked = Instant::now();
    app.patch(
        &format!("/api/admin/users/{}/ban", member.id),
        json!({"reason": "Fake reviews"}),
        Some(&moderator.access),
    )
    .await
    .assert_status(200);
    let reason = clients
        .disconnected("a", PROMPTLY.saturating_sub(asked.elapsed()))
        .await
        .expect("the banned user's socket is still connected");
    assert_eq!(reason, "io server disconnect");
}

#[tokio::test]
async fn a_password_change_drops_the_sockets_of_the_ended_sessions() {
    let (app, address, mut clients) = served().await;
    let member = app.register("client").await;
    clients.connect("old", address, &member.access).await;
    let changed = app
        .post(
            "/api/auth/change-password",
            json!({"currentPassword": PASSWORD, "newPassword": "Fresh-pass-77"}),
            Some(&member.access),
        )
        .await;
    changed.assert_status(200);
    assert!(clients.disconnected("old", PATIENCE).await.is_some());
    // The session the change opened lets a socket in and keeps it.
    clients
        .connect("new", address, &changed.str("/accessToken"))
        .await;
    assert_eq!(
        clients
            .disconnected("new", Duration::from_millis(300))
            .await,
        None
    );
}

#[tokio::test]
async fn a_role_change_drops_the_sockets_to_be_let_in_again() {
    let (app, address, mut clients) = served().await;
    let admin = app.staff(Role::Admin).await;
    let member = app.register("client").await;
    clients.connect("a", address, &member.access).await;
    app.patch(
        &format!("/api/admin/users/{}/role", member.id),
        json!({"role": "craftsman"}),
        Some(&admin.access),
    )
    .await
    .assert_status(200);
    assert!(clients.disconnected("a", PATIENCE).await.is_some());
    clients.connect("again", address, &member.access).await;
}

/// Two members whose sockets are in one conversation's room.
async fn in_a_conversation(
    app: &TestApp,
    address: std::net::SocketAddr,
    clients: &mut SocketClients,
) -> (Account, Account, Uuid) {
    let a = app.register("client").await;
    let b = app.register("craftsman").await;
    clients.connect("a", address, &a.access).await;
    clients.connect("b", address, &b.access).await;
    let conversation = Uuid::now_v7();
    for who in [&a, &b] {
        app.core
            .realtime
            .join_room(who.id.parse().unwrap(), &conversation_room(conversation))
            .await
            .unwrap();
    }
    (a, b, conversation)
}

#[tokio::test]
async fn typing_reaches_the_other_participant_but_not_the_sender() {
    let (app, address, mut clients) = served().await;
    let (a, _b, conversation) = in_a_conversation(&app, address, &mut clients).await;
    let answer = clients
        .ack("a", "typing", json!({"conversationId": conversation}))
        .await;
    assert_eq!(answer, json!({"ok": true}));
    let relayed = clients
        .event("b", "typing", PROMPTLY)
        .await
        .expect("the other participant saw no typing");
    assert_eq!(
        relayed,
        json!({"conversationId": conversation, "userId": a.id})
    );
    assert_eq!(
        clients
            .event("a", "typing", Duration::from_millis(300))
            .await,
        None
    );
}

#[tokio::test]
async fn typing_in_a_conversation_the_socket_is_not_in_is_refused() {
    let (app, address, mut clients) = served().await;
    let (_a, _b, conversation) = in_a_conversation(&app, address, &mut clients).await;
    let outsider = app.register("client").await;
    clients.connect("c", address, &outsider.access).await;
    let answer = clients
        .ack("c", "typing", json!({"conversationId": conversation}))
        .await;
    assert_envelope(&answer, "forbidden");
    assert_eq!(
        clients
            .event("a", "typing", Duration::from_millis(300))
            .await,
        None
    );
}

#[tokio::test]
async fn typing_is_limited_to_once_a_second_per_socket() {
    let (app, address, mut clients) = served().await;
    let (_a, _b, conversation) = in_a_conversation(&app, address, &mut clients).await;
    let first = clients
        .ack("a", "typing", json!({"conversationId": conversation}))
        .await;
    assert_eq!(first, json!({"ok": true}));
    let second = clients
        .ack("a", "typing", json!({"conversationId": conversation}))
        .await;
    assert_envelope(&second, "rate_limited");
    clients.event("b", "typing", PROMPTLY).await.unwrap();
    assert_eq!(
        clients
            .event("b", "typing", Duration::from_millis(300))
            .await,
        None
    );
}

#[tokio::test]
async fn an_unknown_event_is_answered_with_the_envelope_and_the_socket_goes_on() {
    let (app, address, mut clients) = served().await;
    let member = app.register("client").await;
    clients.connect("a", address, &member.access).await;
    let answer = clients.ack("a", "launch:rockets", json!({})).await;
    assert_envelope(&answer, "unknown_event");
    let answer = clients.ack("a", "message:send", json!({})).await;
    assert_envelope(&answer, "validation_failed");
}

#[tokio::test]
async fn malformed_payloads_are_answered_with_the_envelope_and_the_socket_goes_on() {
    let (app, address, mut clients) = served().await;
    let (_a, _b, conversation) = in_a_conversation(&app, address, &mut clients).await;
    for (data, extra) in [
        (json!("just text"), json!({})),
        (json!([1, 2, 3]), json!({})),
        (Value::Null, json!({"noArgs": true})),
    ] {
        let answer = clients.ack_with("a", "typing", data, extra).await;
        assert_envelope(&answer, "invalid_payload");
    }
    let answer = clients.ack("a", "typing", json!({})).await;
    assert_envelope(&answer, "validation_failed");
    assert!(
        answer["details"]["fields"]["conversationId"].is_string(),
        "{answer}"
    );
    let answer = clients
        .ack("a", "typing", json!({"conversationId": "not-a-uuid"}))
        .await;
    assert_envelope(&answer, "validation_failed");
    let answer = clients
        .ack("a", "typing", json!({"conversationId": conversation}))
        .await;
    assert_eq!(answer, json!({"ok": true}));
}

#[tokio::test]
async fn a_payload_over_100_kb_is_refused_and_the_socket_goes_on() {
    let (app, address, mut clients) = served().await;
    let (_a, _b, conversation) = in_a_conversation(&app, address, &mut clients).await;
    let answer = clients
        .ack_with(
            "a",
            "typing",
            json!({"conversationId": conversation}),
            json!({"pad": 150_000}),
        )
        .await;
    assert_envelope(&answer, "payload_too_large");
    assert_eq!(
        clients
            .event("b", "typing", Duration::from_millis(300))
            .await,
        None
    );
    let answer = clients
        .ack("a", "typing", json!({"conversationId": conversation}))
        .await;
    assert_eq!(answer, json!({"ok": true}));
}

/// A hired contract's conversation id (the client's only conversation).
async fn contract_conversation(app: &TestApp, client: &Account, craftsman: &Account) -> String {
    ContractBuilder::new(app, client, craftsman)
        .create_id()
        .await;
    let listed = app.get("/api/conversations", Some(&client.access)).await;
    listed.assert_status(200);
    listed.str("/data/0/id")
}

#[tokio::test]
async fn message_send_is_acknowledged_with_the_stored_message_and_reaches_the_peer_live() {
    let (app, address, mut clients) = served().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let conversation = contract_conversation(&app, &client, &craftsman).await;
    clients.connect("client", address, &client.access).await;
    clients
        .connect("craftsman", address, &craftsman.access)
        .await;
    let sent = clients
        .ack(
            "client",
            "message:send",
            json!({"conversationId": conversation, "text": "When can you come?", "clientMessageId": "c-1"}),
        )
        .await;
    assert_eq!(sent["seq"], 1, "{sent}");
    assert_eq!(sent["text"], "When can you come?");
    assert_eq!(sent["conversationId"], conversation);
    let live = clients
        .event("craftsman", "message:new", PROMPTLY)
        .await
        .expect("the peer did not get message:new within a second");
    assert_eq!(live["id"], sent["id"], "{live}");
    // A resend with the same clientMessageId answers the first message.
    let again = clients
        .ack(
            "client",
            "message:send",
            json!({"conversationId": conversation, "text": "When can you come?", "clientMessageId": "c-1"}),
        )
        .await;
    assert_eq!(again["id"], sent["id"]);
    // The REST history holds exactly what the socket sent.
    let history = app
        .get(
            &format!("/api/conversations/{conversation}/messages?after=0"),
            Some(&craftsman.access),
        )
        .await;
    assert_eq!(history.body["data"].as_array().map(Vec::len), Some(1));
}

#[tokio::test]
async fn message_read_moves_the_receipt_and_the_sender_hears_it() {
    let (app, address, mut clients) = served().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let conversation = contract_conversation(&app, &client, &craftsman).await;
    app.post(
        &format!("/api/conversations/{conversation}/messages"),
        json!({"text": "Hello"}),
        Some(&client.access),
    )
    .await
    .assert_status(201);
    clients.connect("client", address, &client.access).await;
    clients
        .connect("craftsman", address, &craftsman.access)
        .await;
    let read = clients
        .ack(
            "craftsman",
            "message:read",
            json!({"conversationId": conversation, "seq": 1}),
        )
        .await;
    assert_eq!(
        (read["lastReadSeq"].as_i64(), read["unreadCount"].as_i64()),
        (Some(1), Some(0)),
        "{read}"
    );
    let receipt = clients
        .event("client", "message:read", PROMPTLY)
        .await
        .expect("the sender did not hear of the read");
    assert_eq!(receipt["seq"], 1, "{receipt}");
}

/// How many `message_received` notifications `who` has stored.
async fn message_notices(app: &TestApp, who: &Account) -> usize {
    let list = app.get("/api/notifications", Some(&who.access)).await;
    list.assert_status(200);
    list.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["type"] == "message_received")
        .count()
}

/// Sends `text` over REST as `from` and waits for `to`'s `message:new`.
async fn send_and_see(
    app: &TestApp,
    clients: &mut SocketClients,
    (from, to): (&Account, &str),
    conversation: &str,
    text: &str,
) -> Value {
    MessageBuilder::to_conversation(app, from, conversation)
        .text(text)
        .post()
        .await;
    clients
        .event(to, "message:new", PROMPTLY)
        .await
        .expect("the recipient did not get message:new within a second")
}

#[tokio::test]
async fn a_reader_with_the_conversation_open_gets_no_stored_notification() {
    let (app, address, mut clients) = served().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let conversation = contract_conversation(&app, &client, &craftsman).await;
    clients
        .connect("craftsman", address, &craftsman.access)
        .await;
    let opened = clients
        .ack(
            "craftsman",
            "conversation:open",
            json!({"conversationId": conversation}),
        )
        .await;
    assert_eq!(opened["lastSeq"], 0, "{opened}");
    let live = send_and_see(
        &app,
        &mut clients,
        (&client, "craftsman"),
        &conversation,
        "Are you on your way?",
    )
    .await;
    assert_eq!(live["seq"], 1);
    assert_eq!(message_notices(&app, &craftsman).await, 0);
    // Read, then off the screen: the next message notifies again.
    clients
        .ack(
            "craftsman",
            "message:read",
            json!({"conversationId": conversation, "seq": 1}),
        )
        .await;
    let closed = clients
        .ack(
            "craftsman",
            "conversation:close",
            json!({"conversationId": conversation}),
        )
        .await;
    assert_eq!(closed["closed"], true, "{closed}");
    send_and_see(
        &app,
        &mut clients,
        (&client, "craftsman"),
        &conversation,
        "Hello?",
    )
    .await;
    assert_eq!(message_notices(&app, &craftsman).await, 1);
}

#[tokio::test]
async fn a_reader_whose_socket_drops_is_notified_again() {
    let (app, address, mut clients) = served().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let conversation = contract_conversation(&app, &client, &craftsman).await;
    clients.connect("phone", address, &craftsman.access).await;
    clients.connect("laptop", address, &craftsman.access).await;
    clients
        .ack(
            "phone",
            "conversation:open",
            json!({"conversationId": conversation}),
        )
        .await;
    clients.close("phone").await;
    // The disconnect is handled after the client hears it: give the server
    // a moment, then a message must notify (the laptop never opened it).
    let deadline = Instant::now() + PROMPTLY;
    let mut count = 0;
    while Instant::now() < deadline {
        send_and_see(
            &app,
            &mut clients,
            (&client, "laptop"),
            &conversation,
            "Still there?",
        )
        .await;
        count = message_notices(&app, &craftsman).await;
        if count > 0 {
            break;
        }
        app.post(
            &format!("/api/conversations/{conversation}/read"),
            json!({"seq": 1_000_000}),
            Some(&craftsman.access),
        )
        .await
        .assert_status(200);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(count, 1, "the dropped socket still counted as reading");
}

#[tokio::test]
async fn only_participants_may_open_a_conversation() {
    let (app, address, mut clients) = served().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let stranger = app.register("craftsman").await;
    let conversation = contract_conversation(&app, &client, &craftsman).await;
    clients.connect("s", address, &stranger.access).await;
    let refused = clients
        .ack(
            "s",
            "conversation:open",
            json!({"conversationId": conversation}),
        )
        .await;
    assert_envelope(&refused, "conversation_not_found");
    let malformed = clients
        .ack("s", "conversation:open", json!({"conversationId": 7}))
        .await;
    assert_envelope(&malformed, "validation_failed");
    // The stranger's refused open does not mute the craftsman's notices.
    MessageBuilder::to_conversation(&app, &client, &conversation)
        .text("Hi")
        .post()
        .await;
    assert_eq!(message_notices(&app, &craftsman).await, 1);
}

#[tokio::test]
async fn a_client_that_dropped_gets_every_missed_message_in_order_by_sync() {
    let (app, address, mut clients) = served().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let conversation = contract_conversation(&app, &client, &craftsman).await;
    clients
        .connect("craftsman", address, &craftsman.access)
        .await;
    app.post(
        &format!("/api/conversations/{conversation}/messages"),
        json!({"text": "one"}),
        Some(&client.access),
    )
    .await
    .assert_status(201);
    let live = clients
        .event("craftsman", "message:new", PROMPTLY)
        .await
        .expect("message one did not arrive live");
    assert_eq!(live["seq"], 1);
    // The craftsman's phone drops mid-conversation; three messages follow.
    clients.close("craftsman").await;
    for text in ["two", "three", "four"] {
        app.post(
            &format!("/api/conversations/{conversation}/messages"),
            json!({ "text": text }),
            Some(&client.access),
        )
        .await
        .assert_status(201);
    }
    clients
        .connect("craftsman-again", address, &craftsman.access)
        .await;
    let synced = clients
        .ack(
            "craftsman-again",
            "sync",
            json!({"conversations": { conversation.clone(): 1 }}),
        )
        .await;
    let missed = &synced["conversations"][conversation.as_str()]["messages"];
    let texts: Vec<&str> = missed
        .as_array()
        .expect("messages")
        .iter()
        .filter_map(|m| m["text"].as_str())
        .collect();
    assert_eq!(texts, ["two", "three", "four"], "{synced}");
    let seqs: Vec<i64> = missed
        .as_array()
        .expect("messages")
        .iter()
        .filter_map(|m| m["seq"].as_i64())
        .collect();
    assert_eq!(seqs, [2, 3, 4]);
    assert_eq!(
        synced["conversations"][conversation.as_str()]["more"],
        false
    );
}

#[tokio::test]
async fn strangers_cannot_send_read_or_sync_a_conversation_over_the_socket() {
    let (app, address, mut clients) = served().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let stranger = app.register("client").await;
    let conversation = contract_conversation(&app, &client, &craftsman).await;
    clients.connect("stranger", address, &stranger.access).await;
    let sent = clients
        .ack(
            "stranger",
            "message:send",
            json!({"conversationId": conversation, "text": "hi"}),
        )
        .await;
    assert_envelope(&sent, "conversation_not_found");
    let read = clients
        .ack(
            "stranger",
            "message:read",
            json!({"conversationId": conversation, "seq": 1}),
        )
        .await;
    assert_envelope(&read, "conversation_not_found");
    let synced = clients
        .ack(
            "stranger",
            "sync",
            json!({"conversations": { conversation.clone(): 0 }}),
        )
        .await;
    assert_eq!(synced["conversations"], json!({}), "{synced}");
    assert_eq!(
        synced["refused"][conversation.as_str()],
        "conversation_not_found"
    );
    // Nothing was stored.
    let history = app
        .get(
            &format!("/api/conversations/{conversation}/messages"),
            Some(&client.access),
        )
        .await;
    assert_eq!(history.body["data"], json!([]));
}

/// Redis at 127.0.0.1:6379, if it answers a PING.
async fn redis_answers() -> bool {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let Ok(Ok(mut stream)) = tokio::time::timeout(
        Duration::from_secs(1),
        tokio::net::TcpStream::connect("127.0.0.1:6379"),
    )
    .await
    else {
        return false;
    };
    if stream.write_all(b"PING\r\n").await.is_err() {
        return false;
    }
    let mut answer = [0u8; 7];
    matches!(
        tokio::time::timeout(Duration::from_secs(1), stream.read_exact(&mut answer)).await,
        Ok(Ok(_))
    ) && answer.starts_with(b"+PONG")
}

#[tokio::test]
async fn two_nodes_share_events_and_session_ends_through_redis() {
    let on_postgres =
        std::env::var("SOUK_TEST_DATABASE_URL").is_ok_and(|url| url.starts_with("postgres"));
    if !on_postgres {
        println!("skipped: two nodes need SOUK_TEST_DATABASE_URL to point at PostgreSQL");
        return;
    }
    if !redis_answers().await {
        println!("skipped: Redis does not answer at 127.0.0.1:6379");
        return;
    }
    // Channels of their own, so parallel tests do not hear each other.
    let shared = RealtimeConfig {
        redis_url: Some("redis://127.0.0.1:6379".into()),
        redis_prefix: format!("souk-test-{}", Uuid::new_v4().simple()),
        ..RealtimeConfig::default()
    };
    // Node A runs no outbox dispatcher: whatever reaches its sockets was
    // delivered by node B and crossed Redis.
    let node_a = TestApp::with(Options {
        realtime: Some(shared.clone()),
        quiet: true,
        ..Options::default()
    })
    .await;
    let node_b = node_a
        .another_node_with(Options {
            realtime: Some(shared),
            ..Options::default()
        })
        .await
        .unwrap();
    let address_a = node_a.serve_on_port().await;
    let mut clients = SocketClients::start().await;

    let client = node_b.register("client").await;
    let craftsman = node_b.register("craftsman").await;
    let job = JobBuilder::new(&node_b, &client).post_id().await;
    clients.connect("client", address_a, &client.access).await;

    // A request to node B reaches the socket on node A.
    let asked = Instant::now();
    QuoteBuilder::new(&node_b, &craftsman, &job).submit().await;
    let pushed = clients
        .event("client", "notification", PATIENCE)
        .await
        .expect("node A's socket heard nothing of node B's request");
    assert_eq!(pushed["type"], "quote_received");
    println!("node B → node A: {:?}", asked.elapsed());
    assert!(asked.elapsed() < PATIENCE);

    // A logout on node B drops the socket on node A.
    node_b
        .post("/api/auth/logout", json!({}), Some(&client.access))
        .await
        .assert_status(200);
    let reason = clients
        .disconnected("client", PATIENCE)
        .await
        .expect("the logged-out socket on node A is still connected");
    assert_eq!(reason, "io server disconnect");
}
