//! Stored notifications: who gets what, in their language; list, unread
//! count, mark read, delete — one's own only.
#![allow(clippy::unwrap_used)]

use serde_json::json;

use crate::support::*;

#[tokio::test]
async fn notifications_are_listed_counted_marked_and_deleted() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let stranger = app.register("client").await;
    for _ in 0..3 {
        let job = JobBuilder::new(&app, &client).post().await;
        QuoteBuilder::new(&app, &craftsman, job["id"].as_str().unwrap())
            .price(1000)
            .submit()
            .await;
    }
    let count = app
        .get("/api/notifications/unread-count", Some(&client.access))
        .await;
    assert_eq!(count.body, json!({"count": 3}));
    let list = app
        .get("/api/notifications?limit=2", Some(&client.access))
        .await;
    list.assert_status(200);
    assert_eq!(list.body["pagination"]["totalItems"], 3);
    assert_eq!(list.body["pagination"]["totalPages"], 2);
    let first = &list.body["data"][0];
    assert_eq!(first["type"], "quote_received");
    assert_eq!(first["read"], false);
    assert_eq!(first["title"], "New quote");
    assert!(first["data"]["jobId"].is_string());
    let newest_id = first["id"].as_str().unwrap().to_owned();

    // Marking someone else's ids changes nothing.
    let none = app
        .post(
            "/api/notifications/mark-read",
            json!({"ids": [newest_id]}),
            Some(&stranger.access),
        )
        .await;
    assert_eq!(none.body["updated"], 0);
    let one = app
        .post(
            "/api/notifications/mark-read",
            json!({"ids": [newest_id]}),
            Some(&client.access),
        )
        .await;
    assert_eq!(one.body["updated"], 1);
    assert_eq!(
        app.get("/api/notifications/unread-count", Some(&client.access))
            .await
            .body["count"],
        2
    );
    let unread = app
        .get("/api/notifications?unread=true", Some(&client.access))
        .await;
    assert_eq!(unread.body["pagination"]["totalItems"], 2);
    let all = app
        .post(
            "/api/notifications/mark-read",
            json!({"all": true}),
            Some(&client.access),
        )
        .await;
    assert_eq!(all.body["updated"], 2);
    assert_eq!(
        app.get("/api/notifications/unread-count", Some(&client.access))
            .await
            .body["count"],
        0
    );
    app.post(
        "/api/notifications/mark-read",
        json!({}),
        Some(&client.access),
    )
    .await
    .assert_error(400, "validation_failed");

    app.delete(
        &format!("/api/notifications/{newest_id}"),
        Some(&stranger.access),
    )
    .await
    .assert_error(404, "notification_not_found");
    app.delete(
        &format!("/api/notifications/{newest_id}"),
        Some(&client.access),
    )
    .await
    .assert_status(200);
    assert_eq!(
        app.get("/api/notifications", Some(&client.access))
            .await
            .body["pagination"]["totalItems"],
        2
    );
    app.get("/api/notifications", None)
        .await
        .assert_error(401, "unauthorized");
}

#[tokio::test]
async fn notifications_speak_the_recipients_language_and_are_mailed() {
    let app = TestApp::spawn().await;
    let client = app
        .register_with(
            json!({"email": "ahmed@example.com", "password": PASSWORD, "role": "client",
                              "firstName": "Ahmed", "lastName": "Ali", "language": "ar"}),
        )
        .await;
    let craftsman = app.register("craftsman").await;
    let job = JobBuilder::new(&app, &client)
        .title("تركيب سخان مياه")
        .post()
        .await;
    QuoteBuilder::new(&app, &craftsman, job["id"].as_str().unwrap())
        .price(20000)
        .submit()
        .await;
    let list = app.get("/api/notifications", Some(&client.access)).await;
    assert_eq!(list.body["data"][0]["title"], "عرض سعر جديد");
    assert!(
        list.body["data"][0]["message"]
            .as_str()
            .unwrap()
            .contains("تركيب سخان مياه")
    );
    // Delivered by email through the outbox as well.
    let mail = app.wait_for_mail("ahmed@example.com").await;
    assert!(mail.contains("Subject:"));
}
