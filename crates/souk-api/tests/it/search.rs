//! Words near a point: the term index answers alone (it carries each job's
//! listing flag, position, budget and date), so it must stay true as jobs are
//! quoted, hired, edited and cancelled, and must respect who sees what.
#![allow(clippy::unwrap_used)]

use serde_json::{Value, json};
use souk_core::accounts::Role;

use crate::support::*;

const TAHRIR: (f64, f64) = (30.0444, 31.2357);

fn id(job: &Value) -> String {
    job["id"].as_str().unwrap().to_owned()
}

fn ids(response: &TestResponse) -> Vec<String> {
    response.assert_status(200);
    response.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["id"].as_str().unwrap().to_owned())
        .collect()
}

/// `GET /api/jobs` near Tahrir (10 km) for `words`, plus `extra` parameters.
fn near(words: &str, extra: &str) -> String {
    format!(
        "/api/jobs?lat={}&lng={}&radiusKm=10&q={}{extra}",
        TAHRIR.0,
        TAHRIR.1,
        url::form_urlencoded::byte_serialize(words.as_bytes()).collect::<String>()
    )
}

fn at(lat: f64, lng: f64) -> Value {
    json!({"lat": lat, "lng": lng})
}

/// Five leak-ish jobs around Tahrir: the client's kitchen pipe (at Tahrir),
/// bathroom tap (~5.3 km east, the big budget), roof pipe (in Alexandria)
/// and leaking wall (painting); another client's sink pipe (at Tahrir,
/// newest).
struct Listings {
    client: Account,
    other: Account,
    craftsman: Account,
    staff: Account,
    pipe: String,
    tap: String,
    far: String,
    theirs: String,
}

impl Listings {
    async fn post(app: &TestApp) -> Self {
        let client = app.register("client").await;
        let other = app.register("client").await;
        let craftsman = app.register("craftsman").await;
        let staff = app.staff(Role::Admin).await;
        let pipe = JobBuilder::new(app, &client)
            .title("Leaking pipe in the kitchen")
            .at(TAHRIR.0, TAHRIR.1)
            .post_id()
            .await;
        let tap = JobBuilder::new(app, &client)
            .title("Leaking tap")
            .description("The bathroom tap drips all night.")
            .at(30.0444, 31.2909)
            .budget(80000, 120000)
            .post_id()
            .await;
        let far = JobBuilder::new(app, &client)
            .title("Leaking pipe on the roof")
            .at(31.2001, 29.9187)
            .post_id()
            .await;
        JobBuilder::new(app, &client)
            .title("Paint the leaking wall")
            .category("painting")
            .at(TAHRIR.0, TAHRIR.1)
            .post()
            .await;
        let theirs = JobBuilder::new(app, &other)
            .title("Leaking pipe under the sink")
            .at(TAHRIR.0, TAHRIR.1)
            .post_id()
            .await;
        Self {
            client,
            other,
            craftsman,
            staff,
            pipe,
            tap,
            far,
            theirs,
        }
    }

    /// Searches near Tahrir for `words` as `who`.
    async fn near(app: &TestApp, words: &str, extra: &str, who: &Account) -> TestResponse {
        app.get(&near(words, extra), Some(&who.access)).await
    }
}

#[tokio::test]
async fn category_words_and_circle_combine_by_distance_then_newest() {
    let app = TestApp::spawn().await;
    let jobs = Listings::post(&app).await;

    let found = Listings::near(
        &app,
        "leak",
        "&category=plumbing&sort=distance",
        &jobs.craftsman,
    )
    .await;
    assert_eq!(
        ids(&found),
        vec![jobs.theirs.clone(), jobs.pipe.clone(), jobs.tap.clone()]
    );
    assert_eq!(found.body["pagination"]["totalItems"], 3);
    let tap_km = found.body["data"][2]["distanceKm"].as_f64().unwrap();
    assert!((tap_km - 5.3).abs() < 0.2, "{tap_km}");
}

#[tokio::test]
async fn every_word_of_a_search_must_match() {
    let app = TestApp::spawn().await;
    let jobs = Listings::post(&app).await;

    // "sink" leaves the tap out; Arabic finds none.
    let found = Listings::near(&app, "leaking sink", "&category=plumbing", &jobs.craftsman).await;
    assert_eq!(ids(&found), vec![jobs.theirs.clone(), jobs.pipe.clone()]);
    let found = Listings::near(&app, "سباك خشب", "", &jobs.craftsman).await;
    assert!(ids(&found).is_empty(), "{}", found.body);
}

#[tokio::test]
async fn budget_filters_and_order_use_the_indexed_budget() {
    let app = TestApp::spawn().await;
    let jobs = Listings::post(&app).await;

    let found = Listings::near(&app, "leak", "&minBudget=60000", &jobs.craftsman).await;
    assert_eq!(ids(&found), vec![jobs.tap.clone()]);
    let found = Listings::near(
        &app,
        "leak",
        "&category=plumbing&sort=budget",
        &jobs.craftsman,
    )
    .await;
    assert_eq!(ids(&found)[0], jobs.tap);
}

#[tokio::test]
async fn a_quoted_job_stays_listed() {
    let app = TestApp::spawn().await;
    let jobs = Listings::post(&app).await;

    app.post(
        &format!("/api/jobs/{}/quotes", jobs.pipe),
        json!({"price": 30000}),
        Some(&jobs.craftsman.access),
    )
    .await
    .assert_status(201);
    let found = Listings::near(&app, "leak", "&category=plumbing", &jobs.craftsman).await;
    assert!(ids(&found).contains(&jobs.pipe));
}

#[tokio::test]
async fn a_hired_job_leaves_the_craftsmens_list_but_stays_in_its_people_and_staffs() {
    let app = TestApp::spawn().await;
    let jobs = Listings::post(&app).await;
    let quote = app
        .post(
            &format!("/api/jobs/{}/quotes", jobs.pipe),
            json!({"price": 30000}),
            Some(&jobs.craftsman.access),
        )
        .await;
    quote.assert_status(201);
    app.post(
        &format!(
            "/api/jobs/{}/quotes/{}/accept",
            jobs.pipe,
            quote.body["id"].as_str().unwrap()
        ),
        json!({}),
        Some(&jobs.client.access),
    )
    .await
    .assert_status(200);

    let found = Listings::near(&app, "leak", "&category=plumbing", &jobs.craftsman).await;
    assert_eq!(ids(&found), vec![jobs.theirs.clone(), jobs.tap.clone()]);
    let found = Listings::near(&app, "leak", "&mine=true", &jobs.craftsman).await;
    assert_eq!(ids(&found), vec![jobs.pipe.clone()]);
    let found = Listings::near(&app, "leak", "&category=plumbing", &jobs.client).await;
    assert_eq!(
        ids(&found),
        vec![jobs.tap.clone(), jobs.pipe.clone()],
        "clients see their own only"
    );
    let found = Listings::near(&app, "leak", "&status=hired", &jobs.staff).await;
    assert_eq!(ids(&found), vec![jobs.pipe.clone()]);
    let found = Listings::near(&app, "leak", "&category=plumbing", &jobs.staff).await;
    assert_eq!(found.body["pagination"]["totalItems"], 3);
}

#[tokio::test]
async fn editing_moves_a_job_in_the_index_and_cancelling_unlists_it() {
    let app = TestApp::spawn().await;
    let jobs = Listings::post(&app).await;

    app.put(
        &format!("/api/jobs/{}", jobs.tap),
        json!({"location": at(31.2001, 29.9187)}),
        Some(&jobs.client.access),
    )
    .await
    .assert_status(200);
    app.put(
        &format!("/api/jobs/{}", jobs.far),
        json!({"location": at(30.0500, 31.2400), "title": "Leaking pipe, moved to Cairo"}),
        Some(&jobs.client.access),
    )
    .await
    .assert_status(200);
    app.delete(
        &format!("/api/jobs/{}", jobs.theirs),
        Some(&jobs.other.access),
    )
    .await
    .assert_status(200);
    // The tap left the circle, the roof pipe came into it, the sink is gone.
    let found = Listings::near(
        &app,
        "leak",
        "&category=plumbing&sort=distance",
        &jobs.craftsman,
    )
    .await;
    assert_eq!(ids(&found), vec![jobs.pipe.clone(), jobs.far.clone()]);
    let moved = found.body["data"][1]["distanceKm"].as_f64().unwrap();
    assert!(moved > 0.5 && moved < 1.0, "{moved}");
}

#[tokio::test]
async fn the_search_migrations_reverse_and_rebuild_from_the_jobs() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let open = JobBuilder::new(&app, &client)
        .title("Leaking pipe")
        .at(TAHRIR.0, TAHRIR.1)
        .post()
        .await;
    let hired = ContractBuilder::new(&app, &client, &craftsman)
        .create_id()
        .await;

    // Back past the covering term index and the listing flag, then forward:
    // positions and listing are rebuilt from the jobs' own rows.
    app.core.db.rollback(2).await.unwrap();
    app.core.db.migrate().await.unwrap();
    let found = app
        .get(&near("leak", "&sort=distance"), Some(&craftsman.access))
        .await;
    assert_eq!(ids(&found), vec![id(&open)], "the hired job stays unlisted");
    assert!(found.body["data"][0]["distanceKm"].as_f64().unwrap() < 0.01);
    let found = app
        .get(&near("", "&category=plumbing"), Some(&craftsman.access))
        .await;
    assert_eq!(ids(&found), vec![id(&open)]);
    let staff = app.staff(Role::Admin).await;
    let found = app.get(&near("leak", ""), Some(&staff.access)).await;
    assert_eq!(found.body["pagination"]["totalItems"], 2);
    assert!(ids(&found).contains(&hired));
}

/// A craftsman browsing a category near a point, newest first, with no
/// words (or only the category's own name): on PostgreSQL the page comes
/// from the category's newest open jobs filtered by the circle, and the
/// count from the area index; the answer must be the exact one — newer jobs
/// outside the circle, in another category or no longer open are skipped,
/// later pages and the count agree.
#[tokio::test]
async fn browsing_a_category_near_a_point_gives_the_newest_open_jobs_inside_the_circle() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let oldest = JobBuilder::new(&app, &client).at(30.05, 31.24).post().await;
    let middle = JobBuilder::new(&app, &client)
        .at(30.0444, 31.30)
        .post()
        .await;
    // 12 km east of Tahrir: outside a 10 km circle, inside its box's cells.
    let _east = JobBuilder::new(&app, &client)
        .at(30.0444, 31.36)
        .post()
        .await;
    let newest = JobBuilder::new(&app, &client).at(30.0, 31.2).post().await;
    let _alexandria = JobBuilder::new(&app, &client)
        .at(31.2001, 29.9187)
        .post()
        .await;
    let _painting = JobBuilder::new(&app, &client)
        .category("painting")
        .post()
        .await;
    let closed = JobBuilder::new(&app, &client)
        .at(30.045, 31.236)
        .post()
        .await;
    app.delete(&format!("/api/jobs/{}", id(&closed)), Some(&client.access))
        .await
        .assert_status(200);

    let browse = |extra: &str| {
        format!(
            "/api/jobs?category=plumbing&lat={}&lng={}&radiusKm=10{extra}",
            TAHRIR.0, TAHRIR.1
        )
    };
    let first = app.get(&browse("&limit=2"), Some(&craftsman.access)).await;
    assert_eq!(ids(&first), vec![id(&newest), id(&middle)]);
    assert_eq!(first.body["pagination"]["totalItems"], 3);
    assert_eq!(first.body["pagination"]["totalPages"], 2);
    let km = first.body["data"][1]["distanceKm"].as_f64().unwrap();
    assert!((km - 6.3).abs() < 0.2, "{km}");
    let second = app
        .get(&browse("&limit=2&page=2"), Some(&craftsman.access))
        .await;
    assert_eq!(ids(&second), vec![id(&oldest)]);
    assert_eq!(second.body["pagination"]["totalItems"], 3);
    let past = app
        .get(&browse("&limit=2&page=3"), Some(&craftsman.access))
        .await;
    assert_eq!(ids(&past), Vec::<String>::new());
    assert_eq!(past.body["pagination"]["totalItems"], 3);
    // The category's own name is no filter; the same answer.
    let named = app
        .get(
            &browse("&limit=2&q=%D8%B3%D8%A8%D8%A7%D9%83"),
            Some(&craftsman.access),
        )
        .await;
    assert_eq!(ids(&named), ids(&first));
    assert_eq!(named.body["pagination"]["totalItems"], 3);
    // Once hired, a job leaves the browse at once.
    let quoted = QuoteBuilder::new(&app, &craftsman, &id(&newest))
        .price(30000)
        .submit()
        .await;
    app.post(
        &format!(
            "/api/jobs/{}/quotes/{}/accept",
            id(&newest),
            quoted["id"].as_str().unwrap()
        ),
        json!({}),
        Some(&client.access),
    )
    .await
    .assert_status(200);
    let after = app.get(&browse("&limit=2"), Some(&craftsman.access)).await;
    assert_eq!(ids(&after), vec![id(&middle), id(&oldest)]);
    assert_eq!(after.body["pagination"]["totalItems"], 2);
}
