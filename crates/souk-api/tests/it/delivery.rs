//! Delivery beyond the stored notification: push devices, FCM HTTP v1
//! against a local fake that checks the signed assertion, the bearer token
//! and the body; preferences and quiet hours (test clock); localized email
//! over SMTP with one-click unsubscribe; chat digests; the dead-letter list;
//! announcements.
#![allow(clippy::unwrap_used)]

use std::time::Duration;

use serde_json::{Value, json};
use souk_core::accounts::Role;
use souk_integrations::{
    mail::test_smtp::TestSmtpServer,
    push::test_fcm::{FakeFcm, fcm_error, invalid_argument},
};

use crate::support::*;

const TOKEN_A: &str = "fcm-token-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa:APA91b";
const TOKEN_B: &str = "fcm-token-bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb:APA91b";

async fn fcm_app() -> (TestApp, FakeFcm) {
    let fake = FakeFcm::start().await.unwrap();
    let app = TestApp::with(Options {
        fcm: Some((fake.credentials_json(), fake.base_url.clone())),
        ..Options::default()
    })
    .await;
    (app, fake)
}

async fn add_device(app: &TestApp, who: &Account, token: &str) -> TestResponse {
    app.post(
        "/api/users/me/devices",
        json!({"token": token, "platform": "android", "locale": "ar-EG"}),
        Some(&who.access),
    )
    .await
}

/// A quote on a new job of `client`: the client's `quote_received`
/// notification (category `quotes`).
async fn quote_for(app: &TestApp, client: &Account, craftsman: &Account) -> Value {
    let job = JobBuilder::new(app, client).post().await;
    QuoteBuilder::new(app, craftsman, job["id"].as_str().unwrap())
        .price(1500)
        .submit()
        .await
}

async fn deliveries(app: &TestApp, staff: &Account, status: &str) -> Value {
    let response = app
        .get(
            &format!("/api/admin/deliveries?status={status}"),
            Some(&staff.access),
        )
        .await;
    response.assert_status(200);
    response.body
}

/// Polls until `check` holds (15 s at most).
async fn eventually<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    for _ in 0..150 {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("timed out waiting for {what}");
}

#[tokio::test]
async fn devices_are_idempotent_per_token_move_to_the_latest_user_and_are_removed_by_their_owner() {
    let app = TestApp::spawn().await;
    let first = app.register("client").await;
    let second = app.register("craftsman").await;
    let one = add_device(&app, &first, TOKEN_A).await;
    one.assert_status(200);
    assert_eq!(one.body["platform"], "android");
    assert_eq!(one.body["locale"], "ar-EG");
    add_device(&app, &first, TOKEN_A).await.assert_status(200);
    let mine = app.get("/api/users/me/devices", Some(&first.access)).await;
    assert_eq!(mine.body.as_array().unwrap().len(), 1, "{}", mine.body);

    // The same phone signed in as someone else: the token moves.
    add_device(&app, &second, TOKEN_A).await.assert_status(200);
    let gone = app.get("/api/users/me/devices", Some(&first.access)).await;
    assert_eq!(gone.body, json!([]));
    let moved = app.get("/api/users/me/devices", Some(&second.access)).await;
    assert_eq!(moved.body[0]["token"], TOKEN_A);

    // Only its owner removes it.
    app.delete(
        &format!("/api/users/me/devices/{TOKEN_A}"),
        Some(&first.access),
    )
    .await
    .assert_error(404, "device_not_found");
    app.delete(
        &format!("/api/users/me/devices/{TOKEN_A}"),
        Some(&second.access),
    )
    .await
    .assert_status(204);
    let none = app.get("/api/users/me/devices", Some(&second.access)).await;
    assert_eq!(none.body, json!([]));
}

#[tokio::test]
async fn bad_devices_are_refused_naming_the_field_and_nothing_is_stored() {
    let app = TestApp::spawn().await;
    let who = app.register("client").await;
    for (body, field) in [
        (json!({"token": "short", "platform": "android"}), "token"),
        (
            json!({"token": "has spaces in it ok", "platform": "ios"}),
            "token",
        ),
        (json!({"platform": "ios"}), "token"),
        (
            json!({"token": TOKEN_A, "platform": "blackberry"}),
            "platform",
        ),
        (json!({"token": TOKEN_A}), "platform"),
        (
            json!({"token": TOKEN_A, "platform": "web", "locale": "ar EG!"}),
            "locale",
        ),
    ] {
        let response = app
            .post("/api/users/me/devices", body.clone(), Some(&who.access))
            .await;
        response.assert_error(400, "validation_failed");
        assert!(
            has_key_anywhere(&response.body["details"], field),
            "{body} → {}",
            response.body
        );
    }
    let none = app.get("/api/users/me/devices", Some(&who.access)).await;
    assert_eq!(none.body, json!([]));
    app.post(
        "/api/users/me/devices",
        json!({"token": TOKEN_A, "platform": "ios"}),
        None,
    )
    .await
    .assert_error(401, "unauthorized");
}

#[tokio::test]
async fn preferences_start_from_seed_001s_table_and_put_changes_only_what_is_sent() {
    let app = TestApp::spawn().await;
    let who = app.register("client").await;
    let path = "/api/users/me/notification-preferences";
    let defaults = app.get(path, Some(&who.access)).await;
    defaults.assert_status(200);
    let categories = defaults.body["categories"].as_object().unwrap();
    assert_eq!(categories.len(), 11);
    for name in ["jobs", "quotes", "invitations"] {
        assert_eq!(
            defaults.body["categories"][name],
            json!({"inApp": true, "push": true, "email": true})
        );
    }
    assert_eq!(defaults.body["quietHours"], Value::Null);
    assert_eq!(defaults.body["critical"], json!(["account", "payments"]));

    let changed = app
        .put(
            path,
            json!({"categories": {"quotes": {"push": false}},
                   "quietHours": {"start": "22:00", "end": "07:00", "timeZone": "Africa/Cairo"}}),
            Some(&who.access),
        )
        .await;
    changed.assert_status(200);
    assert_eq!(
        changed.body["categories"]["quotes"],
        json!({"inApp": true, "push": false, "email": true})
    );
    assert_eq!(changed.body["categories"]["jobs"]["push"], true);
    assert_eq!(changed.body["quietHours"]["timeZone"], "Africa/Cairo");
    // A second PUT with only one switch keeps the first change.
    let again = app
        .put(
            path,
            json!({"categories": {"jobs": {"email": false}}}),
            Some(&who.access),
        )
        .await;
    assert_eq!(again.body["categories"]["quotes"]["push"], false);
    assert_eq!(again.body["categories"]["jobs"]["email"], false);
    assert_eq!(again.body["quietHours"]["start"], "22:00");

    for (body, field) in [
        (
            json!({"categories": {"payments": {"email": false}}}),
            "categories.payments.email",
        ),
        (
            json!({"categories": {"account": {"push": false}}}),
            "categories.account.push",
        ),
        (
            json!({"categories": {"gossip": {"push": false}}}),
            "categories.gossip",
        ),
        (
            json!({"categories": {"jobs": {"pigeon": false}}}),
            "categories.jobs.pigeon",
        ),
        (
            json!({"categories": {"jobs": {"push": "no"}}}),
            "categories.jobs.push",
        ),
        (
            json!({"quietHours": {"start": "25:00", "end": "07:00", "timeZone": "UTC"}}),
            "quietHours.start",
        ),
        (
            json!({"quietHours": {"start": "22:00", "end": "07:00", "timeZone": "Mars/Olympus"}}),
            "quietHours.timeZone",
        ),
        (json!({"sound": true}), "sound"),
    ] {
        let refused = app.put(path, body.clone(), Some(&who.access)).await;
        refused.assert_error(400, "validation_failed");
        assert!(
            refused.body["details"]["fields"].get(field).is_some()
                || has_key_anywhere(&refused.body["details"], field),
            "{body} → {}",
            refused.body
        );
    }
    // Nothing of the refused requests was stored.
    let after = app.get(path, Some(&who.access)).await;
    assert_eq!(after.body, again.body);
    // Clearing quiet hours.
    let cleared = app
        .put(path, json!({"quietHours": null}), Some(&who.access))
        .await;
    assert_eq!(cleared.body["quietHours"], Value::Null);
}

#[tokio::test]
async fn a_notification_is_pushed_through_fcm_v1_with_one_token_exchange_for_many_sends() {
    let (app, fake) = fcm_app().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    add_device(&app, &client, TOKEN_A).await.assert_status(200);
    add_device(&app, &client, TOKEN_B).await.assert_status(200);
    let quote = quote_for(&app, &client, &craftsman).await;
    let pushes = fake.wait_for(2, Duration::from_secs(15)).await;
    assert_eq!(pushes.len(), 2);
    let mut tokens: Vec<_> = pushes.iter().map(|p| p.token.clone()).collect();
    tokens.sort();
    assert_eq!(tokens, vec![TOKEN_A.to_owned(), TOKEN_B.to_owned()]);
    let push = &pushes[0];
    assert_eq!(push.title, "New quote");
    assert_eq!(push.data["kind"], "quote_received");
    assert_eq!(push.data["quoteId"], quote["id"].as_str().unwrap());
    // The v1 body exactly: message.token, notification.{title, body}, data
    // of strings only.
    let message = &push.raw["message"];
    assert_eq!(message["token"], push.token.as_str());
    assert!(message["notification"]["body"].is_string());
    assert!(
        message["data"]
            .as_object()
            .unwrap()
            .values()
            .all(Value::is_string)
    );
    // A second notification reuses the cached access token.
    quote_for(&app, &client, &craftsman).await;
    fake.wait_for(4, Duration::from_secs(15)).await;
    assert_eq!(fake.token_requests(), 1);
    let staff = app.staff(Role::Admin).await;
    let sent = deliveries(&app, &staff, "sent").await;
    let push_rows = sent["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["channel"] == "push")
        .count();
    assert_eq!(push_rows, 4, "{sent}");
}

#[tokio::test]
async fn an_unregistered_token_is_pruned_and_a_503_is_retried_after_its_retry_after() {
    let (app, fake) = fcm_app().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    add_device(&app, &client, TOKEN_A).await.assert_status(200);
    fake.script(vec![(
        404,
        fcm_error(
            404,
            "NOT_FOUND",
            "Requested entity was not found.",
            Some("UNREGISTERED"),
        ),
        None,
    )]);
    quote_for(&app, &client, &craftsman).await;
    eventually("the dead token to be pruned", || async {
        app.get("/api/users/me/devices", Some(&client.access))
            .await
            .body
            == json!([])
    })
    .await;
    assert!(fake.received().is_empty());

    // An INVALID_ARGUMENT naming the token prunes it too.
    add_device(&app, &client, TOKEN_B).await.assert_status(200);
    fake.script(vec![(
        400,
        invalid_argument(
            "message.token",
            "The registration token is not a valid FCM registration token",
        ),
        None,
    )]);
    quote_for(&app, &client, &craftsman).await;
    eventually("the invalid token to be pruned", || async {
        app.get("/api/users/me/devices", Some(&client.access))
            .await
            .body
            == json!([])
    })
    .await;

    // 503 with Retry-After: 1 → sent on the retry.
    add_device(&app, &client, TOKEN_A).await.assert_status(200);
    let attempts_before = fake.send_attempts();
    fake.script(vec![(
        503,
        fcm_error(
            503,
            "UNAVAILABLE",
            "The service is currently unavailable.",
            None,
        ),
        Some(1),
    )]);
    quote_for(&app, &client, &craftsman).await;
    let pushes = fake.wait_for(1, Duration::from_secs(15)).await;
    assert_eq!(pushes.len(), 1);
    assert_eq!(pushes[0].token, TOKEN_A);
    assert_eq!(fake.send_attempts() - attempts_before, 2);
    // The device survived the outage.
    let kept = app.get("/api/users/me/devices", Some(&client.access)).await;
    assert_eq!(kept.body[0]["token"], TOKEN_A);
}

#[tokio::test]
async fn a_push_fcm_refuses_joins_the_dead_letter_list_and_a_staff_retry_sends_it() {
    let (app, fake) = fcm_app().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let staff = app.staff(Role::Moderator).await;
    add_device(&app, &client, TOKEN_A).await.assert_status(200);
    fake.script(vec![(
        400,
        invalid_argument(
            "message.android.ttl",
            "Invalid value at 'message.android.ttl'",
        ),
        None,
    )]);
    quote_for(&app, &client, &craftsman).await;
    eventually("a dead delivery", || async {
        deliveries(&app, &staff, "dead").await["pagination"]["totalItems"] == 1
    })
    .await;
    let dead = deliveries(&app, &staff, "dead").await;
    let row = &dead["data"][0];
    assert_eq!(row["channel"], "push");
    assert!(row["lastError"].as_str().unwrap().len() > 3, "{row}");
    let id = row["id"].as_str().unwrap();

    // Clients cannot see or retry it.
    app.get("/api/admin/deliveries?status=dead", Some(&client.access))
        .await
        .assert_error(403, "staff_only");
    app.post(
        &format!("/api/admin/deliveries/{id}/retry"),
        json!({}),
        Some(&client.access),
    )
    .await
    .assert_error(403, "staff_only");
    app.get("/api/admin/deliveries?status=buried", Some(&staff.access))
        .await
        .assert_error(400, "validation_failed");

    let retried = app
        .post(
            &format!("/api/admin/deliveries/{id}/retry"),
            json!({}),
            Some(&staff.access),
        )
        .await;
    retried.assert_status(202);
    let pushes = fake.wait_for(1, Duration::from_secs(15)).await;
    assert_eq!(pushes.len(), 1);
    eventually("the retried delivery to be sent", || async {
        deliveries(&app, &staff, "dead").await["pagination"]["totalItems"] == 0
    })
    .await;
    // Only dead deliveries can be retried.
    app.post(
        &format!("/api/admin/deliveries/{id}/retry"),
        json!({}),
        Some(&staff.access),
    )
    .await
    .assert_error(409, "delivery_not_dead");
}

#[tokio::test]
async fn switched_off_channels_send_nothing_and_quiet_hours_hold_push_until_they_end() {
    let (app, fake) = fcm_app().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    add_device(&app, &client, TOKEN_A).await.assert_status(200);
    let path = "/api/users/me/notification-preferences";
    app.put(
        path,
        json!({"categories": {"quotes": {"push": false, "inApp": false}}}),
        Some(&client.access),
    )
    .await
    .assert_status(200);
    quote_for(&app, &client, &craftsman).await;
    // Stored for the record but not counted as news, and no push.
    eventually("the notification to be routed", || async {
        app.get("/api/notifications/unread-count", Some(&client.access))
            .await
            .body["count"]
            == 0
    })
    .await;
    let list = app.get("/api/notifications", Some(&client.access)).await;
    assert_eq!(list.body["pagination"]["totalItems"], 1);

    // Quiet hours around now (UTC): push waits until they end.
    let now = chrono::Utc::now();
    let start = (now - chrono::Duration::hours(1))
        .format("%H:%M")
        .to_string();
    let end = (now + chrono::Duration::hours(2))
        .format("%H:%M")
        .to_string();
    app.put(
        path,
        json!({"categories": {"quotes": {"push": true, "inApp": true}},
               "quietHours": {"start": start, "end": end, "timeZone": "UTC"}}),
        Some(&client.access),
    )
    .await
    .assert_status(200);
    quote_for(&app, &client, &craftsman).await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert!(fake.received().is_empty(), "pushed during quiet hours");
    // Payments are critical: not held. (A top-up's payment_succeeded.)
    app.top_up(&client, 5000).await;
    let critical = fake.wait_for(1, Duration::from_secs(15)).await;
    assert_eq!(critical.len(), 1);
    assert_eq!(critical[0].data["kind"], "payment_succeeded");
    // The quiet hours end: the held push goes.
    app.core.clock.advance(chrono::Duration::hours(3));
    app.core.outbox_wakeup.notify_one();
    let all = fake.wait_for(2, Duration::from_secs(15)).await;
    assert_eq!(all.len(), 2);
    assert_eq!(all[1].data["kind"], "quote_received");
}

fn header_of<'a>(mail: &'a str, name: &str) -> Option<&'a str> {
    mail.lines()
        .find(|l| {
            l.to_ascii_lowercase()
                .starts_with(&format!("{}:", name.to_ascii_lowercase()))
        })
        .map(|l| l.split_once(':').map_or("", |(_, v)| v.trim()))
}

/// Quoted-printable decoded to UTF-8 (soft breaks and `=XX` bytes).
fn qp(text: &str) -> String {
    let text = text.replace("=\r\n", "").replace("=\n", "");
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'=', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

async fn next_mail_to(smtp: &TestSmtpServer, to: &str) -> String {
    for _ in 0..10 {
        let mail = smtp
            .next_message(Duration::from_secs(15))
            .await
            .expect("a mail");
        if mail.rcpt_to.iter().any(|r| r == to) {
            return mail.data;
        }
    }
    panic!("no mail to {to}");
}

#[tokio::test]
async fn emails_are_localized_html_with_a_text_part_and_one_click_unsubscribe() {
    let smtp = TestSmtpServer::start().await.unwrap();
    let app = TestApp::with(Options {
        smtp_url: Some(format!("smtp://127.0.0.1:{}", smtp.port)),
        ..Options::default()
    })
    .await;
    let arabic = app
        .register_with(json!({
            "email": "amal@example.com", "password": PASSWORD, "role": "client",
            "firstName": "أمل", "lastName": "Saad", "language": "ar",
        }))
        .await;
    next_mail_to(&smtp, &arabic.email).await; // the verification mail
    let craftsman = app.register("craftsman").await;
    next_mail_to(&smtp, &craftsman.email).await;
    quote_for(&app, &arabic, &craftsman).await;
    let raw = next_mail_to(&smtp, &arabic.email).await;
    // (Headers from the raw message; text from its quoted-printable HTML part.)
    let mail = qp(&raw);
    assert!(mail.contains("multipart/alternative"), "{mail}");
    assert!(
        raw.contains("text/plain") && raw.contains("text/html"),
        "{raw}"
    );
    assert!(mail.contains("dir=\"rtl\""), "{mail}");
    assert!(mail.contains("أمل"), "greeting by name");
    assert!(mail.contains("http://souk.test/jobs/"), "action link");
    let unsubscribe = header_of(&raw, "List-Unsubscribe").expect("List-Unsubscribe");
    assert_eq!(
        header_of(&raw, "List-Unsubscribe-Post"),
        Some("List-Unsubscribe=One-Click")
    );
    let url = unsubscribe.trim_matches(['<', '>']);
    let path = url.strip_prefix("http://souk.test").unwrap();

    // The link's page asks first; the one-click POST switches quote emails off.
    let page = app.get(path, None).await;
    page.assert_status(200);
    assert!(String::from_utf8_lossy(&page.bytes).contains("<form"));
    let prefs = app
        .get(
            "/api/users/me/notification-preferences",
            Some(&arabic.access),
        )
        .await;
    assert_eq!(prefs.body["categories"]["quotes"]["email"], true);
    app.call(
        axum::http::Method::POST,
        path,
        None,
        None,
        &[("content-type", "application/x-www-form-urlencoded")],
    )
    .await
    .assert_status(200);
    let prefs = app
        .get(
            "/api/users/me/notification-preferences",
            Some(&arabic.access),
        )
        .await;
    assert_eq!(prefs.body["categories"]["quotes"]["email"], false);
    assert_eq!(prefs.body["categories"]["jobs"]["email"], true);
    // A forged token changes nothing.
    let forged = path.replace("quotes", "jobs");
    app.call(axum::http::Method::POST, &forged, None, None, &[])
        .await
        .assert_error(400, "invalid_unsubscribe_link");

    // An English user's mail is left-to-right.
    let english = app.register("client").await;
    next_mail_to(&smtp, &english.email).await;
    quote_for(&app, &english, &craftsman).await;
    let mail = qp(&next_mail_to(&smtp, &english.email).await);
    assert!(mail.contains("dir=\"ltr\""), "{mail}");
    assert!(mail.contains("Hi Test"), "{mail}");
}

#[tokio::test]
async fn chat_emails_are_one_digest_after_the_delay_and_none_once_read() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let conversation = DirectBuilder::new(&app, &client, &craftsman).open().await;
    let id = conversation["id"].as_str().unwrap();
    for text in ["Hello", "Are you free tomorrow?", "At 10?"] {
        MessageBuilder::to_conversation(&app, &client, id)
            .text(text)
            .send()
            .await
            .assert_status(201);
    }
    // Nothing before the digest delay (15 minutes).
    tokio::time::sleep(Duration::from_secs(2)).await;
    let mails = || {
        std::fs::read_dir(app.data_dir.join("mail"))
            .map(|d| {
                d.flatten()
                    .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default())
                    .filter(|t| t.contains(&craftsman.email) && !t.contains("verify"))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    };
    assert!(mails().is_empty());
    app.core.clock.advance(chrono::Duration::minutes(16));
    app.core.outbox_wakeup.notify_one();
    eventually("the digest", || async { !mails().is_empty() }).await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let digests = mails();
    assert_eq!(digests.len(), 1, "one digest, not one per message");
    let digest = qp(&digests[0]);
    assert!(digest.contains("unread"), "{digest}");
    assert!(digest.contains(&format!("/messages/{id}")), "{digest}");

    // A conversation read before the delay gets no mail.
    let reader = app.register("craftsman").await;
    let second = DirectBuilder::new(&app, &client, &reader).open().await;
    let second_id = second["id"].as_str().unwrap();
    let sent = MessageBuilder::to_conversation(&app, &client, second_id)
        .text("Ping")
        .send()
        .await;
    sent.assert_status(201);
    let seq = sent.body["seq"].clone();
    app.post(
        &format!("/api/conversations/{second_id}/read"),
        json!({"seq": seq}),
        Some(&reader.access),
    )
    .await
    .assert_status(200);
    app.core.clock.advance(chrono::Duration::minutes(16));
    app.core.outbox_wakeup.notify_one();
    tokio::time::sleep(Duration::from_secs(3)).await;
    let to_reader = std::fs::read_dir(app.data_dir.join("mail"))
        .unwrap()
        .flatten()
        .map(|e| std::fs::read_to_string(e.path()).unwrap_or_default())
        .filter(|t| t.contains(&reader.email) && !t.contains("verify"))
        .count();
    assert_eq!(to_reader, 0);
}

#[tokio::test]
async fn announcements_reach_their_audience_in_their_language_through_the_outbox() {
    let app = TestApp::spawn().await;
    let admin = app.staff(Role::Admin).await;
    let moderator = app.staff(Role::Moderator).await;
    let craftsmen = [
        app.register("craftsman").await,
        app.register("craftsman").await,
    ];
    let arabic = app
        .register_with(json!({
            "email": "nour@example.com", "password": PASSWORD, "role": "craftsman",
            "firstName": "نور", "lastName": "Ali", "language": "ar",
        }))
        .await;
    let client = app.register("client").await;
    let body = json!({
        "audience": "role", "role": "craftsman",
        "title": {"en": "New fees from January", "ar": "رسوم جديدة من يناير"},
        "body": {"en": "Commission drops to 4%.", "ar": "تنخفض العمولة إلى 4٪."},
        "channels": ["inApp"],
    });
    app.post(
        "/api/admin/announcements",
        body.clone(),
        Some(&moderator.access),
    )
    .await
    .assert_error(403, "admin_only");
    let sent = app
        .post("/api/admin/announcements", body, Some(&admin.access))
        .await;
    sent.assert_status(202);
    let latest = |who: &Account| {
        let who = who.clone();
        let app = &app;
        async move {
            app.get("/api/notifications", Some(&who.access)).await.body["data"]
                .as_array()
                .unwrap()
                .iter()
                .find(|n| n["type"] == "announcement")
                .cloned()
        }
    };
    eventually("every craftsman to hear it", || async {
        latest(&craftsmen[0]).await.is_some()
            && latest(&craftsmen[1]).await.is_some()
            && latest(&arabic).await.is_some()
    })
    .await;
    assert_eq!(
        latest(&craftsmen[0]).await.unwrap()["title"],
        "New fees from January"
    );
    assert_eq!(
        latest(&arabic).await.unwrap()["title"],
        "رسوم جديدة من يناير"
    );
    assert!(latest(&client).await.is_none(), "clients are not craftsmen");
    let listed = app
        .get("/api/admin/announcements", Some(&admin.access))
        .await;
    assert_eq!(listed.body[0]["recipients"], 3);
    assert!(listed.body[0]["finishedAt"].is_string());

    for (bad, field) in [
        (
            json!({"audience": "everyone", "title": {"en": "a", "ar": "b"}, "body": {"en": "a", "ar": "b"}}),
            "audience",
        ),
        (
            json!({"audience": "role", "role": "pirate", "title": {"en": "a", "ar": "b"}, "body": {"en": "a", "ar": "b"}}),
            "role",
        ),
        (
            json!({"audience": "all", "title": {"en": "a"}, "body": {"en": "a", "ar": "b"}}),
            "title.ar",
        ),
        (
            json!({"audience": "all", "title": {"en": "a", "ar": "b"}, "body": {"en": "a", "ar": "b"}, "channels": ["fax"]}),
            "channels[0]",
        ),
        (
            json!({"audience": "userIds", "userIds": [], "title": {"en": "a", "ar": "b"}, "body": {"en": "a", "ar": "b"}}),
            "userIds",
        ),
    ] {
        let refused = app
            .post("/api/admin/announcements", bad.clone(), Some(&admin.access))
            .await;
        refused.assert_error(400, "validation_failed");
        assert!(
            refused.body["details"]["fields"].get(field).is_some(),
            "{bad} → {}",
            refused.body
        );
    }
    let listed = app
        .get("/api/admin/announcements", Some(&admin.access))
        .await;
    assert_eq!(listed.body.as_array().unwrap().len(), 1);
}
