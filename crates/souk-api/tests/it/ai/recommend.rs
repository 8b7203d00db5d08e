//! Recommendations: ranked by the weighted factors, explained factor by
//! factor, only the job's client may ask, and never banned, unavailable or
//! already-invited craftsmen.

use sea_orm::{EntityTrait, QueryFilter};
use serde_json::{Value, json};
use souk_core::accounts::Role;

use super::{MAADI, craftsman_at};
use crate::support::{TestApp, builders::JobBuilder};

fn ids(body: &Value) -> Vec<String> {
    body["items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|i| i["craftsman"]["id"].as_str().unwrap_or_default().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn recommendations_rank_skilled_craftsmen_near_the_job_and_say_why() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let admin = app.staff(Role::Admin).await;
    // 1 km and 15 km from the job, both plumbers; an electrician next door.
    let near = craftsman_at(&app, (MAADI.0 + 0.009, MAADI.1), 30.0, &["plumbing"]).await;
    let far = craftsman_at(&app, (MAADI.0 + 0.135, MAADI.1), 30.0, &["plumbing"]).await;
    let electrician = craftsman_at(&app, (MAADI.0, MAADI.1 + 0.005), 30.0, &["electrical"]).await;
    // Out of reach: 15 km away serving only 5 km.
    let short_reach = craftsman_at(&app, (MAADI.0 - 0.135, MAADI.1), 5.0, &["plumbing"]).await;
    let banned = craftsman_at(&app, MAADI, 30.0, &["plumbing"]).await;
    let unavailable = craftsman_at(&app, MAADI, 30.0, &["plumbing"]).await;
    let invited = craftsman_at(&app, MAADI, 30.0, &["plumbing"]).await;
    app.patch(
        &format!("/api/admin/users/{}/ban", banned.id),
        json!({"reason": "fraud"}),
        Some(&admin.access),
    )
    .await
    .assert_status(200);
    app.put(
        "/api/users/me/availability",
        json!({"available": false}),
        Some(&unavailable.access),
    )
    .await
    .assert_status(200);
    let job = JobBuilder::new(&app, &client)
        .category("plumbing")
        .title("Leaking kitchen tap")
        .at(MAADI.0, MAADI.1)
        .post_id()
        .await;
    app.post(
        &format!("/api/jobs/{job}/invite"),
        json!({"craftsmanId": invited.id}),
        Some(&client.access),
    )
    .await
    .assert_status(201);

    let found = app
        .get(
            &format!("/api/users/recommendations?jobId={job}"),
            Some(&client.access),
        )
        .await;
    found.assert_status(200);
    let listed = ids(&found.body);
    assert_eq!(listed.first(), Some(&near.id), "{}", found.body);
    assert!(listed.contains(&far.id), "{}", found.body);
    for absent in [&electrician, &short_reach, &banned, &unavailable, &invited] {
        assert!(
            !listed.contains(&absent.id),
            "{} listed: {}",
            absent.id,
            found.body
        );
    }
    assert_eq!(found.body["category"], "plumbing");
    let first = &found.body["items"][0];
    let factors = first["factors"].as_array().unwrap();
    assert_eq!(factors.len(), 8);
    let names: Vec<&str> = factors
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "skill",
            "distance",
            "rating",
            "completion",
            "response",
            "availability",
            "activity",
            "verification"
        ]
    );
    let shares: f64 = factors.iter().map(|f| f["share"].as_f64().unwrap()).sum();
    assert!((shares - 1.0).abs() < 0.01, "shares add up to {shares}");
    let parts: f64 = factors
        .iter()
        .map(|f| f["contribution"].as_f64().unwrap())
        .sum();
    assert!((parts - first["score"].as_f64().unwrap()).abs() < 0.01);
    assert!(first["score"].as_f64().unwrap() > found.body["items"][1]["score"].as_f64().unwrap());
    assert!(first["distanceKm"].as_f64().unwrap() < 2.0);
    let why = first["why"].as_str().unwrap();
    assert!(why.contains("km away"), "{why}");
    assert_eq!(found.body["weights"]["skill"], 0.25);

    // In Arabic when asked.
    let arabic = app
        .call(
            axum::http::Method::GET,
            &format!("/api/users/recommendations?jobId={job}"),
            None,
            Some(&client.access),
            &[("accept-language", "ar")],
        )
        .await;
    let why = arabic.body["items"][0]["why"].as_str().unwrap();
    assert!(why.contains("كم"), "{why}");
}

#[tokio::test]
async fn only_the_jobs_client_gets_its_recommendations_and_bad_requests_are_refused() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let other = app.register("client").await;
    let job = JobBuilder::new(&app, &client).post_id().await;
    let path = format!("/api/users/recommendations?jobId={job}");
    app.get(&path, Some(&other.access))
        .await
        .assert_error(403, "forbidden");
    app.get(&path, None).await.assert_error(401, "unauthorized");
    app.get(
        "/api/users/recommendations?jobId=0194a7e0-0000-7000-8000-000000000000",
        Some(&client.access),
    )
    .await
    .assert_error(404, "job_not_found");
    let missing = app
        .get("/api/users/recommendations", Some(&client.access))
        .await;
    missing.assert_error(400, "validation_failed");
    assert!(missing.body["details"]["fields"]["jobId"].is_string());
    app.get(&format!("{path}&limit=500"), Some(&client.access))
        .await
        .assert_error(400, "validation_failed");
    let both = app
        .post(
            "/api/ai/recommend",
            json!({"jobId": job, "offeringQuery": "plumber"}),
            Some(&client.access),
        )
        .await;
    both.assert_error(400, "validation_failed");
    let long = "x".repeat(2_001);
    app.post(
        "/api/ai/recommend",
        json!({ "offeringQuery": long }),
        Some(&client.access),
    )
    .await
    .assert_error(400, "validation_failed");
}

#[tokio::test]
async fn a_need_in_words_is_recommended_for_and_admins_weights_change_the_order() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let admin = app.staff(Role::Admin).await;
    let near = craftsman_at(&app, (MAADI.0 + 0.009, MAADI.1), 30.0, &["plumbing"]).await;
    let verified_far = craftsman_at(&app, (MAADI.0 + 0.18, MAADI.1), 40.0, &["plumbing"]).await;
    souk_db::entities::users::Entity::update_many()
        .col_expr(
            souk_db::entities::users::Column::VerificationStatus,
            sea_orm::sea_query::Expr::value("verified"),
        )
        .filter(sea_orm::ColumnTrait::eq(
            &souk_db::entities::users::Column::Id,
            uuid::Uuid::parse_str(&verified_far.id).unwrap(),
        ))
        .exec(app.core.db.conn())
        .await
        .unwrap();

    let words = app
        .post(
            "/api/ai/recommend",
            json!({"offeringQuery": "I need a plumber in Maadi"}),
            Some(&client.access),
        )
        .await;
    words.assert_status(200);
    assert_eq!(words.body["category"], "plumbing");
    assert_eq!(
        ids(&words.body),
        vec![near.id.clone(), verified_far.id.clone()]
    );
    let arabic = app
        .post(
            "/api/ai/recommend",
            json!({"offeringQuery": "محتاج سباك في المعادي"}),
            Some(&client.access),
        )
        .await;
    assert_eq!(ids(&arabic.body).first(), Some(&near.id), "{}", arabic.body);
    assert!(
        arabic.body["items"][0]["why"]
            .as_str()
            .unwrap()
            .contains("كم")
    );

    // Verification alone decides now.
    let weights = json!({"skill": 0, "distance": 0, "rating": 0, "completion": 0,
        "response": 0, "availability": 0, "activity": 0, "verification": 1});
    app.put(
        "/api/admin/settings",
        json!({ "aiWeights": weights }),
        Some(&admin.access),
    )
    .await
    .assert_status(200);
    let reweighted = app
        .post(
            "/api/ai/recommend",
            json!({"offeringQuery": "plumber in Maadi"}),
            Some(&client.access),
        )
        .await;
    assert_eq!(ids(&reweighted.body).first(), Some(&verified_far.id));
    assert_eq!(reweighted.body["weights"]["verification"], 1.0);
    let bad = app
        .put(
            "/api/admin/settings",
            json!({"aiWeights": {"skill": -1}}),
            Some(&admin.access),
        )
        .await;
    bad.assert_error(400, "validation_failed");
    assert!(
        bad.body["details"]["fields"]["aiWeights.skill"].is_string(),
        "{}",
        bad.body
    );
    let zero = json!({"skill": 0, "distance": 0, "rating": 0, "completion": 0,
        "response": 0, "availability": 0, "activity": 0, "verification": 0});
    app.put(
        "/api/admin/settings",
        json!({ "aiWeights": zero }),
        Some(&admin.access),
    )
    .await
    .assert_error(400, "validation_failed");
}
