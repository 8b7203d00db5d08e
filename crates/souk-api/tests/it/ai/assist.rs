//! Drafting, job finding, price suggestion from prices really paid,
//! sentiment, and skill demand — each for the roles that may use it.

use sea_orm::EntityTrait;
use serde_json::json;

use super::{MAADI, craftsman_at};
use crate::support::{
    TestApp,
    builders::{ContractBuilder, JobBuilder},
};

#[tokio::test]
async fn a_client_gets_a_job_draft_to_edit_and_nothing_is_posted() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let drafted = app
        .post(
            "/api/ai/generate",
            json!({"prompt": "I need someone to fix my leaking kitchen sink in Maadi tomorrow, under 500 pounds"}),
            Some(&client.access),
        )
        .await;
    drafted.assert_status(200);
    let draft = &drafted.body;
    assert_eq!(draft["engine"], "builtin");
    assert_eq!(draft["category"], "plumbing", "{draft}");
    assert_eq!(draft["language"], "en");
    assert!(draft["desiredDate"].is_string(), "{draft}");
    assert_eq!(draft["budgetMax"], 50000, "{draft}");
    assert!((draft["lat"].as_f64().unwrap() - MAADI.0).abs() < 0.05);
    let title = draft["title"].as_str().unwrap();
    assert!(!title.is_empty() && title.chars().count() <= 80, "{title}");
    assert!(
        draft["description"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("sink")
    );
    let arabic = app
        .post(
            "/api/ai/generate",
            json!({"prompt": "محتاج كهربائي يركب نجفة في مدينة نصر"}),
            Some(&client.access),
        )
        .await;
    assert_eq!(arabic.body["language"], "ar");
    assert_eq!(arabic.body["category"], "electrical", "{}", arabic.body);
    let posted =
        sea_orm::PaginatorTrait::count(souk_db::entities::jobs::Entity::find(), app.core.db.conn())
            .await
            .unwrap();
    assert_eq!(posted, 0, "a draft is never posted");

    let craftsman = app.register("craftsman").await;
    app.post(
        "/api/ai/generate",
        json!({"prompt": "fix a sink"}),
        Some(&craftsman.access),
    )
    .await
    .assert_error(403, "clients_only");
    app.post(
        "/api/ai/generate",
        json!({"prompt": ""}),
        Some(&client.access),
    )
    .await
    .assert_error(400, "validation_failed");
}

#[tokio::test]
async fn find_jobs_ranks_open_jobs_for_a_prompt_and_says_why() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let plumbing = JobBuilder::new(&app, &client)
        .category("plumbing")
        .title("Bathroom pipe burst")
        .at(MAADI.0, MAADI.1)
        .post_id()
        .await;
    let painting = JobBuilder::new(&app, &client)
        .category("painting")
        .title("Paint the living room")
        .at(MAADI.0, MAADI.1)
        .post_id()
        .await;
    let craftsman = craftsman_at(&app, MAADI, 30.0, &["plumbing"]).await;
    let found = app
        .post(
            "/api/ai/find-jobs",
            json!({"prompt": "plumbing work near Maadi"}),
            Some(&craftsman.access),
        )
        .await;
    found.assert_status(200);
    assert_eq!(found.body["category"], "plumbing");
    let ids: Vec<&str> = found.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [plumbing.as_str()], "{}", found.body);
    assert!(
        found.body["items"][0]["why"]
            .as_str()
            .unwrap()
            .contains("km away")
    );
    let words = app
        .post(
            "/api/ai/find-jobs",
            json!({"prompt": "living room", "lat": MAADI.0, "lng": MAADI.1}),
            Some(&craftsman.access),
        )
        .await;
    assert_eq!(
        words.body["items"][0]["id"],
        painting.as_str(),
        "{}",
        words.body
    );
    let rich = app
        .post(
            "/api/ai/find-jobs",
            json!({"prompt": "plumbing", "minBudget": 999_999_999}),
            Some(&craftsman.access),
        )
        .await;
    assert!(rich.body["items"].as_array().unwrap().is_empty());
    app.post(
        "/api/ai/find-jobs",
        json!({"prompt": "x", "lat": 91.0, "lng": 0.0}),
        Some(&craftsman.access),
    )
    .await
    .assert_error(400, "validation_failed");
}

#[tokio::test]
async fn price_suggestions_come_from_prices_paid_nearby_widening_when_too_few() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    for price in [
        20_000, 30_000, 40_000, 50_000, 60_000, 70_000, 80_000, 90_000,
    ] {
        ContractBuilder::new(&app, &client, &craftsman)
            .category("plumbing")
            .price(price)
            .job(|job| job.at(MAADI.0, MAADI.1))
            .create()
            .await;
    }
    let near = app
        .post(
            "/api/ai/price-suggest",
            json!({"category": "plumbing", "city": "Maadi"}),
            Some(&client.access),
        )
        .await;
    near.assert_status(200);
    assert_eq!(near.body["sampleSize"], 8, "{}", near.body);
    assert_eq!(near.body["median"], 50_000);
    assert_eq!(near.body["p25"], 30_000);
    assert_eq!(near.body["p75"], 70_000);
    assert_eq!(near.body["radiusKm"], 10.0);
    assert_eq!(near.body["widened"], false);
    assert_eq!(near.body["currency"], "EGP");
    // Alexandria is 180 km away: the circle grows to 250 km and says so.
    let far = app
        .post(
            "/api/ai/price-suggest",
            json!({"category": "plumbing", "city": "الإسكندرية"}),
            Some(&client.access),
        )
        .await;
    assert_eq!(far.body["widened"], true, "{}", far.body);
    assert_eq!(far.body["radiusKm"], 250.0);
    assert_eq!(far.body["sampleSize"], 8);
    let none = app
        .post(
            "/api/ai/price-suggest",
            json!({"category": "roofing", "lat": MAADI.0, "lng": MAADI.1}),
            Some(&client.access),
        )
        .await;
    assert_eq!(none.body["sampleSize"], 0);
    assert!(none.body["median"].is_null());
    app.post(
        "/api/ai/price-suggest",
        json!({"category": "plumbing", "city": "Atlantis"}),
        Some(&client.access),
    )
    .await
    .assert_error(400, "validation_failed");
    app.post(
        "/api/ai/price-suggest",
        json!({"city": "Maadi"}),
        Some(&client.access),
    )
    .await
    .assert_error(400, "validation_failed");
    app.post(
        "/api/ai/price-suggest",
        json!({"category": "no-such-thing", "city": "Maadi"}),
        Some(&client.access),
    )
    .await
    .assert_error(400, "validation_failed");
}

#[tokio::test]
async fn sentiment_is_scored_in_both_languages_with_negation() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let score = |body: &serde_json::Value| body["score"].as_f64().unwrap();
    for (text, label) in [
        ("Excellent work, very professional", "positive"),
        ("not good at all, he was late", "negative"),
        ("شغل ممتاز جدا", "positive"),
        ("مش كويس خالص", "negative"),
    ] {
        let found = app
            .post(
                "/api/ai/sentiment",
                json!({ "text": text }),
                Some(&client.access),
            )
            .await;
        found.assert_status(200);
        assert_eq!(found.body["label"], label, "{text}: {}", found.body);
        assert!((-1.0..=1.0).contains(&score(&found.body)));
    }
    app.post(
        "/api/ai/sentiment",
        json!({"text": ""}),
        Some(&client.access),
    )
    .await
    .assert_error(400, "validation_failed");
}

#[tokio::test]
async fn skill_development_shows_the_skills_in_demand_near_a_craftsman_with_the_figures() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    for _ in 0..3 {
        JobBuilder::new(&app, &client)
            .category("electrical")
            .at(MAADI.0, MAADI.1)
            .post_id()
            .await;
    }
    JobBuilder::new(&app, &client)
        .category("plumbing")
        .at(MAADI.0, MAADI.1)
        .post_id()
        .await;
    // Far away: not counted.
    JobBuilder::new(&app, &client)
        .category("tiling")
        .at(31.2, 29.92)
        .post_id()
        .await;
    let craftsman = craftsman_at(&app, MAADI, 20.0, &["plumbing"]).await;
    let found = app
        .post(
            "/api/ai/skill-development",
            json!({}),
            Some(&craftsman.access),
        )
        .await;
    found.assert_status(200);
    let items = found.body["items"].as_array().unwrap();
    assert_eq!(items[0]["skill"], "electrical", "{}", found.body);
    assert_eq!(items[0]["openJobs"], 3);
    assert_eq!(items[0]["craftsmen"], 0);
    assert_eq!(items[0]["hasSkill"], false);
    let plumbing = items.iter().find(|i| i["skill"] == "plumbing").unwrap();
    assert_eq!(plumbing["hasSkill"], true);
    assert_eq!(plumbing["craftsmen"], 1);
    assert!(!items.iter().any(|i| i["skill"] == "tiling"));
    app.post("/api/ai/skill-development", json!({}), Some(&client.access))
        .await
        .assert_error(403, "craftsmen_only");
}
