//! The concierge: words become filters and matches with their next free
//! slots; asked to book it proposes, and only the confirmation books —
//! once, by its owner, in time; Arabic is answered in Arabic; bad input is
//! refused; every call is in the AI log, whose prompts are blanked after
//! the retention window.

use chrono::Duration;
use serde_json::{Value, json};
use souk_core::accounts::Role;

use super::{TYRE, place};
use crate::{
    bookings::Shop,
    support::{Account, TestApp},
};

/// A plumbing shop in Tyre (open every day 09:00–17:00 UTC, 100 EGP).
pub async fn tyre_plumber(app: &TestApp) -> Shop {
    let provider = app.register("craftsman").await;
    place(app, &provider, TYRE, 20.0).await;
    Shop::open_for(app, provider, json!({"titleAr": "تصليح حنفيات"})).await
}

pub async fn chat(
    app: &TestApp,
    who: &Account,
    message: &str,
    conversation: Option<&str>,
) -> Value {
    let mut body = json!({ "message": message });
    if let Some(id) = conversation {
        body["conversationId"] = json!(id);
    }
    let answer = app.post("/api/ai/chat", body, Some(&who.access)).await;
    answer.assert_status(200);
    answer.body
}

async fn bookings_of(app: &TestApp, who: &Account) -> usize {
    let found = app.get("/api/bookings", Some(&who.access)).await;
    found.assert_status(200);
    found.body["data"].as_array().map_or(0, Vec::len)
}

#[tokio::test]
async fn the_concierge_turns_words_into_matches_and_books_only_after_confirmation() {
    let app = TestApp::spawn().await;
    let shop = tyre_plumber(&app).await;
    let client = app.register("client").await;

    let first = chat(
        &app,
        &client,
        "I need a cheap plumber in Tyre tomorrow",
        None,
    )
    .await;
    assert_eq!(first["intent"], "search", "{first}");
    assert_eq!(first["engine"], "builtin");
    assert_eq!(first["language"], "en");
    assert_eq!(first["filters"]["category"], "plumbing");
    assert_eq!(first["filters"]["cheap"], true);
    assert_eq!(first["filters"]["place"]["name"], "Tyre");
    assert!(first["filters"]["from"].is_string() && first["filters"]["to"].is_string());
    let matched = &first["matches"][0];
    assert_eq!(matched["type"], "offering", "{first}");
    assert_eq!(matched["id"], shop.offering.as_str());
    assert_eq!(matched["price"], 10000);
    let slots = matched["nextSlots"].as_array().unwrap();
    assert!(!slots.is_empty());
    let from = first["filters"]["from"].as_str().unwrap();
    let to = first["filters"]["to"].as_str().unwrap();
    for slot in slots {
        let at = slot.as_str().unwrap();
        let parse = |t: &str| chrono::DateTime::parse_from_rfc3339(t).unwrap();
        assert!(
            parse(at) >= parse(from) && parse(at) < parse(to),
            "{at} outside {from}..{to}"
        );
    }
    assert!(
        matched["why"].as_str().unwrap().contains("100"),
        "{matched}"
    );
    assert!(first["reply"].as_str().is_some_and(|r| !r.is_empty()));
    assert!(first["proposal"].is_null());
    let conversation = first["conversationId"].as_str().unwrap().to_owned();

    let asked = chat(&app, &client, "I want to book now", Some(&conversation)).await;
    assert_eq!(asked["intent"], "book", "{asked}");
    let proposal = &asked["proposal"];
    assert_eq!(proposal["offeringId"], shop.offering.as_str(), "{asked}");
    assert_eq!(proposal["price"], 10000);
    assert_eq!(proposal["startAt"], slots[0]);
    // Kept in the conversation: the filters from the first turn.
    assert_eq!(asked["filters"]["place"]["name"], "Tyre");
    assert_eq!(
        bookings_of(&app, &client).await,
        0,
        "nothing booked before the confirmation"
    );

    let token = proposal["confirmationToken"].as_str().unwrap().to_owned();
    let other = app.register("client").await;
    app.post(
        "/api/ai/action",
        json!({"confirmationToken": token}),
        Some(&other.access),
    )
    .await
    .assert_error(404, "confirmation_not_found");
    let booked = app
        .post(
            "/api/ai/action",
            json!({"confirmationToken": token}),
            Some(&client.access),
        )
        .await;
    booked.assert_status(201);
    assert_eq!(booked.body["booking"]["offeringId"], shop.offering.as_str());
    assert_eq!(booked.body["booking"]["startAt"], slots[0]);
    assert_eq!(bookings_of(&app, &client).await, 1);
    app.post(
        "/api/ai/action",
        json!({"confirmationToken": token}),
        Some(&client.access),
    )
    .await
    .assert_error(409, "confirmation_used");
    assert_eq!(
        bookings_of(&app, &client).await,
        1,
        "a reused token books nothing"
    );
}

#[tokio::test]
async fn arabic_is_understood_and_answered_in_arabic_and_tokens_expire() {
    let app = TestApp::spawn().await;
    let shop = tyre_plumber(&app).await;
    let client = app.register("client").await;
    let first = chat(&app, &client, "بدي سباك رخيص بصور بكرة", None).await;
    assert_eq!(first["language"], "ar", "{first}");
    assert_eq!(first["filters"]["category"], "plumbing");
    assert_eq!(first["filters"]["place"]["name"], "صور");
    assert_eq!(first["matches"][0]["id"], shop.offering.as_str(), "{first}");
    assert_eq!(first["matches"][0]["title"], "تصليح حنفيات");
    let reply = first["reply"].as_str().unwrap();
    assert!(
        reply
            .chars()
            .any(|c| ('\u{0600}'..='\u{06FF}').contains(&c)),
        "{reply}"
    );
    let conversation = first["conversationId"].as_str().unwrap();
    let asked = chat(&app, &client, "احجزلي الأول", Some(conversation)).await;
    assert_eq!(asked["intent"], "book", "{asked}");
    let token = asked["proposal"]["confirmationToken"]
        .as_str()
        .unwrap()
        .to_owned();
    app.core.clock.advance(Duration::minutes(16));
    app.post(
        "/api/ai/action",
        json!({"confirmationToken": token}),
        Some(&client.access),
    )
    .await
    .assert_error(410, "confirmation_expired");
    assert_eq!(bookings_of(&app, &client).await, 0);
}

#[tokio::test]
async fn a_craftsman_gets_matches_but_no_proposal_and_bad_input_is_refused() {
    let app = TestApp::spawn().await;
    tyre_plumber(&app).await;
    let craftsman = app.register("craftsman").await;
    let first = chat(&app, &craftsman, "plumber in Tyre", None).await;
    assert_eq!(first["matches"].as_array().unwrap().len(), 1);
    let asked = chat(
        &app,
        &craftsman,
        "book it",
        first["conversationId"].as_str(),
    )
    .await;
    assert!(asked["proposal"].is_null(), "{asked}");

    let client = app.register("client").await;
    for body in [
        json!({}),
        json!({"message": "   "}),
        json!({"message": "x".repeat(2_001)}),
        json!({"message": "hi\u{0000}"}),
    ] {
        let refused = app.post("/api/ai/chat", body, Some(&client.access)).await;
        refused.assert_error(400, "validation_failed");
        assert!(refused.body["details"]["fields"]["message"].is_string());
    }
    // Someone else's conversation, or one that does not exist.
    let theirs = first["conversationId"].as_str().unwrap();
    app.post(
        "/api/ai/chat",
        json!({"message": "hi", "conversationId": theirs}),
        Some(&client.access),
    )
    .await
    .assert_error(404, "ai_conversation_not_found");
    app.post(
        "/api/ai/action",
        json!({"confirmationToken": "aic_nope"}),
        Some(&client.access),
    )
    .await
    .assert_error(404, "confirmation_not_found");
    app.post("/api/ai/action", json!({}), Some(&client.access))
        .await
        .assert_error(400, "validation_failed");
    // A greeting without a need asks what is needed.
    let hello = chat(&app, &client, "hello", None).await;
    assert_eq!(hello["intent"], "greeting");
    assert!(hello["matches"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn every_ai_call_is_logged_for_admins_and_prompts_are_blanked_after_the_retention_window() {
    let app = TestApp::spawn().await;
    tyre_plumber(&app).await;
    let client = app.register("client").await;
    let admin = app.staff(Role::Admin).await;
    chat(&app, &client, "plumber in Tyre", None).await;
    app.post(
        "/api/ai/sentiment",
        json!({"text": "great work"}),
        Some(&client.access),
    )
    .await
    .assert_status(200);
    app.get("/api/admin/ai-logs", Some(&client.access))
        .await
        .assert_error(403, "admin_only");
    let chats = app
        .get("/api/admin/ai-logs?feature=chat", Some(&admin.access))
        .await;
    chats.assert_status(200);
    assert_eq!(chats.body["pagination"]["totalItems"], 1, "{}", chats.body);
    let row = &chats.body["data"][0];
    assert_eq!(row["userId"], client.id.as_str());
    assert_eq!(row["engine"], "builtin");
    assert_eq!(row["intent"], "search");
    assert_eq!(row["prompt"], "plumber in Tyre");
    assert_eq!(row["matched"].as_array().unwrap().len(), 1);
    assert!(row["latencyMs"].as_i64().unwrap() >= 0);
    let all = app
        .get(
            &format!("/api/admin/ai-logs?userId={}", client.id),
            Some(&admin.access),
        )
        .await;
    assert_eq!(all.body["pagination"]["totalItems"], 2);
    app.get("/api/admin/ai-logs?engine=quantum", Some(&admin.access))
        .await
        .assert_error(400, "validation_failed");

    app.core.clock.advance(Duration::days(31));
    let mut blanked = false;
    for _ in 0..100 {
        app.core.outbox_wakeup.notify_one();
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        let rows = app.get("/api/admin/ai-logs", Some(&admin.access)).await;
        if rows.body["data"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["prompt"].is_null())
        {
            blanked = true;
            break;
        }
    }
    assert!(blanked, "prompts older than 30 days are blanked");
}
