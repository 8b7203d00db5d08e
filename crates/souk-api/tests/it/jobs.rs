//! Jobs: posting (JSON and multipart), visibility, editing, cancelling,
//! search (Arabic normalization, stemming, synonyms, true distance), quotes,
//! invitations, orders views, staff force-delete.
#![allow(clippy::unwrap_used)]

use serde_json::{Value, json};
use souk_core::accounts::Role;

use crate::support::*;

fn ids(response: &TestResponse) -> Vec<String> {
    response.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn clients_post_jobs_with_validated_fields() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let job = JobBuilder::new(&app, &client)
        .payment_type("CashProtected")
        .field(
            "location",
            json!({"type": "Point", "coordinates": [31.2357, 30.0444]}),
        )
        .field("desiredDate", "2030-01-15")
        .post()
        .await;
    assert_eq!(job["status"], "posted");
    assert_eq!(job["paymentType"], "cash_protected");
    assert_eq!(job["clientId"], client.id.as_str());
    assert_eq!(job["location"]["lat"], 30.0444);
    assert_eq!(job["location"]["lng"], 31.2357);
    assert_eq!(job["budgetMax"], 50000);
    assert_eq!(job["currency"], "EGP");
    assert!(
        job["desiredDate"]
            .as_str()
            .unwrap()
            .starts_with("2030-01-15")
    );

    JobBuilder::new(&app, &craftsman)
        .send()
        .await
        .assert_error(403, "clients_only");
    app.post("/api/jobs", JobBuilder::new(&app, &client).body(), None)
        .await
        .assert_error(401, "unauthorized");
    let bad = app
        .post("/api/jobs", json!({"title": "x"}), Some(&client.access))
        .await;
    bad.assert_error(400, "validation_failed");
    let fields = &bad.body["details"]["fields"];
    for field in ["title", "description", "category"] {
        assert!(fields[field].is_string(), "{field}: {}", bad.body);
    }
    let bad = JobBuilder::new(&app, &client)
        .category("space-travel")
        .budget(900, 100)
        .payment_type("bitcoin")
        .fields(json!({"desiredDate": "2001-01-01", "location": {"lat": 95, "lng": 0}}))
        .send()
        .await;
    bad.assert_error(400, "validation_failed");
    for field in [
        "category",
        "budgetMax",
        "paymentType",
        "desiredDate",
        "location",
    ] {
        assert!(
            bad.body["details"]["fields"][field].is_string(),
            "{field}: {}",
            bad.body
        );
    }
}

#[tokio::test]
async fn jobs_take_photos_by_multipart() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let boundary = BOUNDARY;
    let mut body = Vec::new();
    for (name, value) in [
        ("title", "Paint the living room"),
        ("description", "Two walls, white paint, about 20 m2."),
        ("category", "painting"),
        ("lat", "30.05"),
        ("lng", "31.24"),
        ("budgetMax", "150000"),
    ] {
        body.extend(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .into_bytes(),
        );
    }
    for i in 0..2 {
        body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"photos\"; filename=\"p{i}.png\"\r\nContent-Type: image/png\r\n\r\n").into_bytes());
        body.extend(png(64, 48));
        body.extend(b"\r\n");
    }
    body.extend(format!("--{boundary}--\r\n").into_bytes());
    let request = axum::http::Request::builder()
        .method("POST")
        .uri("/api/jobs")
        .header("authorization", format!("Bearer {}", client.access))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(axum::body::Body::from(body))
        .unwrap();
    let response = app.send(request).await;
    response.assert_status(201);
    let photos = response.body["photos"].as_array().unwrap();
    assert_eq!(photos.len(), 2);
    let path = photos[0]
        .as_str()
        .unwrap()
        .strip_prefix("http://souk.test")
        .unwrap()
        .to_owned();
    let served = app.get(&path, None).await;
    served.assert_status(200);
    assert!(image::load_from_memory(&served.bytes).is_ok());
    assert_eq!(response.body["budgetMax"], 150000);
}

#[tokio::test]
async fn who_sees_a_job() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let other_client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let outsider = app.register("craftsman").await;
    let job = JobBuilder::new(&app, &client).post().await;
    let path = format!("/api/jobs/{}", job["id"].as_str().unwrap());
    app.get(&path, Some(&client.access))
        .await
        .assert_status(200);
    app.get(&path, Some(&outsider.access))
        .await
        .assert_status(200);
    app.get(&path, Some(&other_client.access))
        .await
        .assert_error(403, "forbidden");
    app.get(
        "/api/jobs/0192a3b4-0000-7000-8000-000000000000",
        Some(&client.access),
    )
    .await
    .assert_error(404, "job_not_found");
    app.get("/api/jobs/nope", Some(&client.access))
        .await
        .assert_error(404, "invalid_id");

    let hired = ContractBuilder::new(&app, &client, &craftsman)
        .create_id()
        .await;
    let hired_path = format!("/api/jobs/{hired}");
    let seen = app.get(&hired_path, Some(&craftsman.access)).await;
    seen.assert_status(200);
    assert_eq!(seen.body["contract"]["price"], 40000);
    assert_eq!(seen.body["contract"]["platformFee"], 2000);
    app.get(&hired_path, Some(&outsider.access))
        .await
        .assert_error(403, "forbidden");
    let staff = app.staff(Role::Moderator).await;
    app.get(&hired_path, Some(&staff.access))
        .await
        .assert_status(200);
}

#[tokio::test]
async fn owners_edit_and_cancel_open_jobs_only() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let other = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let job = JobBuilder::new(&app, &client).post().await;
    let path = format!("/api/jobs/{}", job["id"].as_str().unwrap());
    let edited = app
        .put(
            &path,
            json!({"title": "Fix two leaking pipes", "budgetMax": 60000}),
            Some(&client.access),
        )
        .await;
    edited.assert_status(200);
    assert_eq!(edited.body["title"], "Fix two leaking pipes");
    assert_eq!(edited.body["budgetMax"], 60000);
    assert_eq!(edited.body["description"], job["description"]);
    app.put(&path, json!({"title": "Mine now"}), Some(&other.access))
        .await
        .assert_error(403, "forbidden");
    app.put(&path, json!({"budgetMin": 90000}), Some(&client.access))
        .await
        .assert_error(400, "validation_failed");

    let q = QuoteBuilder::new(&app, &craftsman, job["id"].as_str().unwrap())
        .price(45000)
        .submit()
        .await;
    let cancelled = app.delete(&path, Some(&client.access)).await;
    cancelled.assert_status(200);
    assert_eq!(cancelled.body["status"], "cancelled");
    let mine = app.get("/api/quotes/mine", Some(&craftsman.access)).await;
    assert_eq!(mine.body["data"][0]["id"], q["id"]);
    assert_eq!(mine.body["data"][0]["status"], "declined");

    let hired = ContractBuilder::new(&app, &client, &craftsman)
        .create_id()
        .await;
    app.put(
        &format!("/api/jobs/{hired}"),
        json!({"title": "Too late"}),
        Some(&client.access),
    )
    .await
    .assert_error(409, "job_not_editable");
    app.delete(&format!("/api/jobs/{hired}"), Some(&client.access))
        .await
        .assert_error(409, "job_not_editable");
}

#[tokio::test]
async fn search_understands_arabic_stems_and_synonyms() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let arabic = JobBuilder::new(&app, &client)
        .title("مطلوب سبّاك لإصلاح تسريب")
        .description("تسريب مياه تحت حوض المطبخ منذ أمس")
        .post()
        .await;
    let english = JobBuilder::new(&app, &client)
        .title("Fixing leaking pipes")
        .description("Several pipes are leaking in the bathroom.")
        .post()
        .await;
    let paint = JobBuilder::new(&app, &client)
        .title("Paint a bedroom")
        .description("One bedroom, light blue paint please.")
        .category("painting")
        .post()
        .await;
    let search = |q: &str| {
        format!(
            "/api/jobs?q={}",
            url::form_urlencoded::byte_serialize(q.as_bytes()).collect::<String>()
        )
    };

    let found = app.get(&search("سباك"), Some(&craftsman.access)).await;
    found.assert_status(200);
    assert!(
        ids(&found).contains(&arabic["id"].as_str().unwrap().to_owned()),
        "{}",
        found.body
    );
    assert!(!ids(&found).contains(&paint["id"].as_str().unwrap().to_owned()));

    let found = app.get(&search("leak"), Some(&craftsman.access)).await;
    assert_eq!(
        ids(&found),
        vec![english["id"].as_str().unwrap().to_owned()]
    );

    // plumber ↔ سباك: both plumbing jobs (the category's names are indexed too).
    let found = app.get(&search("plumber"), Some(&craftsman.access)).await;
    let found_ids = ids(&found);
    assert!(
        found_ids.contains(&arabic["id"].as_str().unwrap().to_owned()),
        "{}",
        found.body
    );
    assert!(found_ids.contains(&english["id"].as_str().unwrap().to_owned()));
    assert!(!found_ids.contains(&paint["id"].as_str().unwrap().to_owned()));

    let found = app
        .get(&search("painting bedroom"), Some(&craftsman.access))
        .await;
    assert_eq!(ids(&found), vec![paint["id"].as_str().unwrap().to_owned()]);
    let found = app
        .get("/api/jobs?category=painting", Some(&craftsman.access))
        .await;
    assert_eq!(ids(&found), vec![paint["id"].as_str().unwrap().to_owned()]);
    app.get("/api/jobs?category=nope", Some(&craftsman.access))
        .await
        .assert_error(400, "validation_failed");
}

#[tokio::test]
async fn distance_filter_and_order_are_true_distances() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    // Tahrir Square; ~5.3 km east (Abbasiya side); Giza pyramids (~13 km); Alexandria (~180 km).
    let here = JobBuilder::new(&app, &client)
        .at(30.0444, 31.2357)
        .post()
        .await;
    let near = JobBuilder::new(&app, &client)
        .at(30.0444, 31.2909)
        .post()
        .await;
    let giza = JobBuilder::new(&app, &client)
        .at(29.9792, 31.1342)
        .post()
        .await;
    let _alex = JobBuilder::new(&app, &client)
        .at(31.2001, 29.9187)
        .post()
        .await;

    let found = app
        .get(
            "/api/jobs?lat=30.0444&lng=31.2357&radiusKm=10&sort=distance",
            Some(&craftsman.access),
        )
        .await;
    found.assert_status(200);
    assert_eq!(
        ids(&found),
        vec![
            here["id"].as_str().unwrap().to_owned(),
            near["id"].as_str().unwrap().to_owned()
        ]
    );
    let distances: Vec<f64> = found.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["distanceKm"].as_f64().unwrap())
        .collect();
    assert!(distances[0] < 0.01, "{distances:?}");
    assert!((distances[1] - 5.3).abs() < 0.2, "{distances:?}");
    assert_eq!(found.body["pagination"]["totalItems"], 2);

    let found = app
        .get(
            "/api/jobs?lat=30.0444&lng=31.2357&radiusKm=15&sort=distance",
            Some(&craftsman.access),
        )
        .await;
    let list = ids(&found);
    assert_eq!(list.len(), 3);
    assert_eq!(list[2], giza["id"].as_str().unwrap());
    let giza_km = found.body["data"][2]["distanceKm"].as_f64().unwrap();
    assert!((giza_km - 12.6).abs() < 0.6, "{giza_km}");

    app.get("/api/jobs?sort=distance", Some(&craftsman.access))
        .await
        .assert_error(400, "validation_failed");
    app.get("/api/jobs?lat=30&radiusKm=5", Some(&craftsman.access))
        .await
        .assert_error(400, "validation_failed");
    app.get(
        "/api/jobs?lat=30&lng=31&radiusKm=9000",
        Some(&craftsman.access),
    )
    .await
    .assert_error(400, "validation_failed");
}

#[tokio::test]
async fn browsing_respects_roles_budget_and_status() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let other = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let cheap = JobBuilder::new(&app, &client)
        .budget(1000, 5000)
        .post()
        .await;
    let pricey = JobBuilder::new(&app, &other)
        .budget(80000, 120000)
        .post()
        .await;
    let hired = ContractBuilder::new(&app, &client, &craftsman)
        .create_id()
        .await;

    let mine = app.get("/api/jobs", Some(&client.access)).await;
    assert_eq!(
        mine.body["pagination"]["totalItems"], 2,
        "clients see only their own"
    );
    assert!(!ids(&mine).contains(&pricey["id"].as_str().unwrap().to_owned()));

    let open = app.get("/api/jobs", Some(&craftsman.access)).await;
    let open_ids = ids(&open);
    assert!(open_ids.contains(&cheap["id"].as_str().unwrap().to_owned()));
    assert!(!open_ids.contains(&hired), "hired jobs are not browsable");
    let assigned = app
        .get("/api/jobs?mine=true", Some(&craftsman.access))
        .await;
    assert_eq!(ids(&assigned), vec![hired.clone()]);

    let budget = app
        .get("/api/jobs?minBudget=60000", Some(&craftsman.access))
        .await;
    assert_eq!(
        ids(&budget),
        vec![pricey["id"].as_str().unwrap().to_owned()]
    );
    let budget = app
        .get("/api/jobs?maxBudget=6000", Some(&craftsman.access))
        .await;
    assert_eq!(ids(&budget), vec![cheap["id"].as_str().unwrap().to_owned()]);
    let sorted = app
        .get("/api/jobs?sort=budget", Some(&craftsman.access))
        .await;
    assert_eq!(ids(&sorted)[0], pricey["id"].as_str().unwrap());
    let staff = app.staff(Role::Admin).await;
    let by_status = app.get("/api/jobs?status=Hired", Some(&staff.access)).await;
    assert_eq!(ids(&by_status), vec![hired]);
    app.get("/api/jobs?status=flying", Some(&staff.access))
        .await
        .assert_error(400, "validation_failed");
    app.get("/api/jobs?limit=1&page=2", Some(&craftsman.access))
        .await
        .assert_status(200);
}

// --- quotes ------------------------------------------------------------------

/// `POST /api/jobs/{job}/quotes/{quote}/{action}` (`accept`, `decline`) as `who`.
async fn answer_quote(
    app: &TestApp,
    job: &str,
    quote: &str,
    action: &str,
    who: &Account,
) -> TestResponse {
    app.post(
        &format!("/api/jobs/{job}/quotes/{quote}/{action}"),
        json!({}),
        Some(&who.access),
    )
    .await
}

#[tokio::test]
async fn only_craftsmen_quote_and_a_quote_needs_a_positive_price() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let id = JobBuilder::new(&app, &client).post_id().await;
    let quotes_path = format!("/api/jobs/{id}/quotes");

    app.post(&quotes_path, json!({"price": 100}), Some(&client.access))
        .await
        .assert_error(403, "craftsmen_only");
    app.post(&quotes_path, json!({"price": 0}), Some(&craftsman.access))
        .await
        .assert_error(400, "validation_failed");
    app.post(&quotes_path, json!({}), Some(&craftsman.access))
        .await
        .assert_error(400, "validation_failed");
}

#[tokio::test]
async fn a_first_quote_marks_the_job_quoted_and_a_craftsman_quotes_once() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let id = JobBuilder::new(&app, &client).post_id().await;

    let quote = QuoteBuilder::new(&app, &craftsman, &id)
        .price(45000)
        .submit()
        .await;
    assert_eq!(quote["status"], "submitted");
    assert_eq!(quote["jobId"], id.as_str());
    assert_eq!(
        app.get(&format!("/api/jobs/{id}"), Some(&client.access))
            .await
            .body["status"],
        "quoted"
    );
    QuoteBuilder::new(&app, &craftsman, &id)
        .price(30000)
        .send()
        .await
        .assert_error(409, "quote_exists");
}

#[tokio::test]
async fn the_client_sees_every_quote_and_a_craftsman_only_his_own() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let other_client = app.register("client").await;
    let first = app.register("craftsman").await;
    let second = app.register("craftsman").await;
    let id = JobBuilder::new(&app, &client).post_id().await;
    let quotes_path = format!("/api/jobs/{id}/quotes");
    QuoteBuilder::new(&app, &first, &id)
        .price(45000)
        .submit()
        .await;
    let own_quote = QuoteBuilder::new(&app, &second, &id)
        .price(38000)
        .submit()
        .await;

    let all = app.get(&quotes_path, Some(&client.access)).await;
    assert_eq!(all.body.as_array().unwrap().len(), 2);
    let own = app.get(&quotes_path, Some(&second.access)).await;
    assert_eq!(own.body.as_array().unwrap().len(), 1);
    assert_eq!(own.body[0]["id"], own_quote["id"]);
    app.get(&quotes_path, Some(&other_client.access))
        .await
        .assert_error(403, "forbidden");
}

#[tokio::test]
async fn only_its_craftsman_withdraws_a_quote_and_he_may_quote_again() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let first = app.register("craftsman").await;
    let second = app.register("craftsman").await;
    let id = JobBuilder::new(&app, &client).post_id().await;
    let quote = QuoteBuilder::new(&app, &second, &id)
        .price(38000)
        .submit()
        .await;
    let quote_path = format!("/api/jobs/{id}/quotes/{}", id_of(&quote));

    app.delete(&quote_path, Some(&first.access))
        .await
        .assert_error(403, "forbidden");
    let withdrawn = app.delete(&quote_path, Some(&second.access)).await;
    assert_eq!(withdrawn.body["status"], "withdrawn");
    QuoteBuilder::new(&app, &second, &id)
        .price(36000)
        .submit()
        .await;
}

#[tokio::test]
async fn the_client_declines_a_quote() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let id = JobBuilder::new(&app, &client).post_id().await;
    let quote = QuoteBuilder::new(&app, &craftsman, &id)
        .price(45000)
        .submit()
        .await;

    let declined = answer_quote(&app, &id, &id_of(&quote), "decline", &client).await;
    assert_eq!(declined.body["status"], "declined");
}

#[tokio::test]
async fn only_the_client_accepts_a_quote() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let id = JobBuilder::new(&app, &client).post_id().await;
    let quote = QuoteBuilder::new(&app, &craftsman, &id)
        .price(36000)
        .submit()
        .await;

    answer_quote(&app, &id, &id_of(&quote), "accept", &craftsman)
        .await
        .assert_error(403, "forbidden");
}

#[tokio::test]
async fn accepting_a_quote_hires_its_craftsman_under_a_contract_at_its_price() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let first = app.register("craftsman").await;
    let second = app.register("craftsman").await;
    let id = JobBuilder::new(&app, &client).post_id().await;
    QuoteBuilder::new(&app, &first, &id)
        .price(45000)
        .submit()
        .await;
    let quote = QuoteBuilder::new(&app, &second, &id)
        .price(36000)
        .submit()
        .await;

    let hire = answer_quote(&app, &id, &id_of(&quote), "accept", &client).await;
    hire.assert_status(200);
    assert_eq!(hire.body["job"]["status"], "hired");
    assert_eq!(hire.body["job"]["craftsmanId"], second.id.as_str());
    assert_eq!(hire.body["contract"]["price"], 36000);
    assert_eq!(hire.body["contract"]["feeBps"], 500);
    assert_eq!(hire.body["contract"]["platformFee"], 1800);
    assert_eq!(hire.body["contract"]["paymentType"], "escrow");
}

#[tokio::test]
async fn a_quote_is_accepted_once_and_a_hired_job_takes_no_quotes() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let late = app.register("craftsman").await;
    let craftsman = app.register("craftsman").await;
    let contract = ContractBuilder::new(&app, &client, &craftsman)
        .price(36000)
        .create()
        .await;

    answer_quote(
        &app,
        &contract.job_id,
        &contract.quote_id,
        "accept",
        &client,
    )
    .await
    .assert_error(409, "quote_not_pending");
    QuoteBuilder::new(&app, &late, &contract.job_id)
        .price(1000)
        .send()
        .await
        .assert_error(409, "job_not_open");
}

#[tokio::test]
async fn accepting_a_malformed_or_unknown_quote_is_not_found() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let id = JobBuilder::new(&app, &client).post_id().await;

    answer_quote(&app, &id, "nope", "accept", &client)
        .await
        .assert_error(404, "invalid_id");
    answer_quote(
        &app,
        &id,
        "0192a3b4-0000-7000-8000-000000000000",
        "accept",
        &client,
    )
    .await
    .assert_error(404, "quote_not_found");
}

#[tokio::test]
async fn my_quotes_list_newest_first_with_their_job_and_are_for_craftsmen() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let job = JobBuilder::new(&app, &client).post().await;
    let id = id_of(&job);
    let withdrawn = QuoteBuilder::new(&app, &craftsman, &id)
        .price(38000)
        .submit()
        .await;
    app.delete(
        &format!("/api/jobs/{id}/quotes/{}", id_of(&withdrawn)),
        Some(&craftsman.access),
    )
    .await
    .assert_status(200);
    let accepted = QuoteBuilder::new(&app, &craftsman, &id)
        .price(36000)
        .submit()
        .await;
    answer_quote(&app, &id, &id_of(&accepted), "accept", &client)
        .await
        .assert_status(200);

    let mine = app.get("/api/quotes/mine", Some(&craftsman.access)).await;
    let statuses: Vec<&str> = mine.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, vec!["accepted", "withdrawn"]);
    assert_eq!(mine.body["data"][0]["job"]["title"], job["title"]);
    app.get("/api/quotes/mine", Some(&client.access))
        .await
        .assert_error(403, "craftsmen_only");
}

// --- invitations (seed 001) ------------------------------------------------------

/// `POST /api/jobs/{job}/invite` with `body` as `who`.
async fn invite(app: &TestApp, job: &str, body: Value, who: &Account) -> TestResponse {
    app.post(&format!("/api/jobs/{job}/invite"), body, Some(&who.access))
        .await
}

/// `POST /api/jobs/{job}/invitations/respond` with `response` as `who`.
async fn respond(app: &TestApp, job: &str, response: &str, who: &Account) -> TestResponse {
    app.post(
        &format!("/api/jobs/{job}/invitations/respond"),
        json!({"response": response}),
        Some(&who.access),
    )
    .await
}

/// Invites `craftsman` to `job` as `client`, which must succeed.
async fn invited(app: &TestApp, job: &str, craftsman: &Account, client: &Account) -> Value {
    let invitation = invite(app, job, json!({"craftsmanId": craftsman.id}), client).await;
    invitation.assert_status(201);
    invitation.body
}

#[tokio::test]
async fn only_the_jobs_client_invites_and_only_craftsmen_are_invited() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let other_client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let id = JobBuilder::new(&app, &client).post_id().await;

    invite(
        &app,
        &id,
        json!({"craftsmanId": craftsman.id}),
        &other_client,
    )
    .await
    .assert_error(403, "forbidden");
    invite(&app, &id, json!({"craftsmanId": other_client.id}), &client)
        .await
        .assert_error(400, "validation_failed");
    invite(&app, &id, json!({}), &client)
        .await
        .assert_error(400, "validation_failed");
}

#[tokio::test]
async fn an_invitation_starts_pending_and_a_craftsman_is_invited_once() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let other = app.register("craftsman").await;
    let id = JobBuilder::new(&app, &client).post_id().await;

    let invitation = invited(&app, &id, &craftsman, &client).await;
    assert_eq!(invitation["status"], "pending");
    invite(&app, &id, json!({"craftsmanId": craftsman.id}), &client)
        .await
        .assert_error(409, "already_invited");
    invited(&app, &id, &other, &client).await;
}

#[tokio::test]
async fn an_invitation_is_accepted_or_rejected_in_any_case_and_nothing_else() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let declining = app.register("craftsman").await;
    let id = JobBuilder::new(&app, &client).post_id().await;
    invited(&app, &id, &craftsman, &client).await;
    invited(&app, &id, &declining, &client).await;

    respond(&app, &id, "maybe", &declining)
        .await
        .assert_error(400, "validation_failed");
    let rejected = respond(&app, &id, "Rejected", &declining).await;
    assert_eq!(rejected.body["status"], "rejected");
    let accepted = respond(&app, &id, "Accepted", &craftsman).await;
    assert_eq!(accepted.body["status"], "accepted");
}

#[tokio::test]
async fn an_invitation_is_answered_once() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let declining = app.register("craftsman").await;
    let id = JobBuilder::new(&app, &client).post_id().await;
    invited(&app, &id, &declining, &client).await;
    respond(&app, &id, "Rejected", &declining)
        .await
        .assert_status(200);

    respond(&app, &id, "accepted", &declining)
        .await
        .assert_error(409, "already_responded");
}

#[tokio::test]
async fn a_rejected_invitation_is_not_renewed_and_bars_quoting() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let declining = app.register("craftsman").await;
    let id = JobBuilder::new(&app, &client).post_id().await;
    invited(&app, &id, &declining, &client).await;
    respond(&app, &id, "Rejected", &declining)
        .await
        .assert_status(200);

    invite(&app, &id, json!({"craftsmanId": declining.id}), &client)
        .await
        .assert_error(409, "invitation_was_rejected");
    app.post(
        &format!("/api/jobs/{id}/quotes"),
        json!({"price": 100}),
        Some(&declining.access),
    )
    .await
    .assert_error(409, "invitation_was_rejected");
}

#[tokio::test]
async fn only_an_invited_craftsman_answers() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let outsider = app.register("craftsman").await;
    let id = JobBuilder::new(&app, &client).post_id().await;
    invited(&app, &id, &craftsman, &client).await;

    respond(&app, &id, "accepted", &outsider)
        .await
        .assert_error(404, "invitation_not_found");
}

#[tokio::test]
async fn the_client_lists_a_jobs_invitations_and_a_craftsman_his_own() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let declining = app.register("craftsman").await;
    let id = JobBuilder::new(&app, &client).post_id().await;
    invited(&app, &id, &craftsman, &client).await;
    invited(&app, &id, &declining, &client).await;
    respond(&app, &id, "Rejected", &declining)
        .await
        .assert_status(200);
    respond(&app, &id, "Accepted", &craftsman)
        .await
        .assert_status(200);

    let list = app
        .get(&format!("/api/jobs/{id}/invitations"), Some(&client.access))
        .await;
    assert_eq!(list.body.as_array().unwrap().len(), 2);
    app.get(
        &format!("/api/jobs/{id}/invitations"),
        Some(&craftsman.access),
    )
    .await
    .assert_error(403, "forbidden");
    let mine = app
        .get("/api/invitations/mine", Some(&craftsman.access))
        .await;
    assert_eq!(mine.body["data"][0]["job"]["id"], id.as_str());
}

#[tokio::test]
async fn a_quoted_job_takes_no_more_invitations() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let outsider = app.register("craftsman").await;
    let id = JobBuilder::new(&app, &client).post_id().await;
    invited(&app, &id, &craftsman, &client).await;
    respond(&app, &id, "Accepted", &craftsman)
        .await
        .assert_status(200);

    QuoteBuilder::new(&app, &craftsman, &id)
        .price(30000)
        .submit()
        .await;
    invite(&app, &id, json!({"craftsmanId": outsider.id}), &client)
        .await
        .assert_error(409, "job_not_open");
}

// --- orders and staff ---------------------------------------------------------

#[tokio::test]
async fn orders_views_group_jobs_by_stage() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let rival = app.register("craftsman").await;
    let open = JobBuilder::new(&app, &client).post().await;
    let hired = ContractBuilder::new(&app, &client, &craftsman)
        .create_id()
        .await;
    let lost = JobBuilder::new(&app, &client).post().await;
    let lost_id = lost["id"].as_str().unwrap();
    QuoteBuilder::new(&app, &craftsman, lost_id)
        .price(50000)
        .submit()
        .await;
    let winning = QuoteBuilder::new(&app, &rival, lost_id).submit().await;
    app.post(
        &format!(
            "/api/jobs/{lost_id}/quotes/{}/accept",
            winning["id"].as_str().unwrap()
        ),
        json!({}),
        Some(&client.access),
    )
    .await
    .assert_status(200);
    let quoted_open = JobBuilder::new(&app, &client).post().await;
    QuoteBuilder::new(&app, &craftsman, quoted_open["id"].as_str().unwrap())
        .price(10000)
        .submit()
        .await;

    let orders = app.get("/api/orders/client", Some(&client.access)).await;
    orders.assert_status(200);
    assert_eq!(orders.body["requested"].as_array().unwrap().len(), 2);
    assert_eq!(orders.body["inProgress"].as_array().unwrap().len(), 2);
    let orders = app
        .get("/api/orders/craftsman", Some(&craftsman.access))
        .await;
    let in_progress: Vec<&str> = orders.body["inProgress"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["id"].as_str().unwrap())
        .collect();
    assert_eq!(in_progress, vec![hired.as_str()]);
    let rejected: Vec<&str> = orders.body["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["id"].as_str().unwrap())
        .collect();
    assert_eq!(rejected, vec![lost_id]);
    let requested: Vec<&str> = orders.body["requested"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["id"].as_str().unwrap())
        .collect();
    assert_eq!(requested, vec![quoted_open["id"].as_str().unwrap()]);
    assert!(!requested.contains(&open["id"].as_str().unwrap()));
    app.get("/api/orders/craftsman", Some(&client.access))
        .await
        .assert_error(403, "craftsmen_only");
    app.get("/api/orders/client", Some(&craftsman.access))
        .await
        .assert_error(403, "clients_only");
}

#[tokio::test]
async fn staff_force_delete_jobs_and_it_is_logged() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let admin = app.staff(Role::Admin).await;
    let moderator = app.staff(Role::Moderator).await;
    let id = ContractBuilder::new(&app, &client, &craftsman)
        .create_id()
        .await;
    app.delete(&format!("/api/admin/jobs/{id}"), Some(&client.access))
        .await
        .assert_error(403, "staff_only");
    app.delete(&format!("/api/admin/jobs/{id}"), Some(&moderator.access))
        .await
        .assert_status(200);
    app.get(&format!("/api/jobs/{id}"), Some(&client.access))
        .await
        .assert_error(404, "job_not_found");
    app.delete(&format!("/api/admin/jobs/{id}"), Some(&admin.access))
        .await
        .assert_error(404, "job_not_found");
    let log = app
        .get(
            "/api/admin/activity-log?action=admin.delete_job",
            Some(&admin.access),
        )
        .await;
    assert_eq!(log.body["data"][0]["targetId"], id.as_str());
    assert_eq!(log.body["data"][0]["actorId"], moderator.id.as_str());
}

#[tokio::test]
async fn a_category_with_jobs_is_archived_not_deleted() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let admin = app.staff(Role::Admin).await;
    let job = JobBuilder::new(&app, &client)
        .category("gardening")
        .post()
        .await;
    let removed = app
        .delete("/api/services/gardening", Some(&admin.access))
        .await;
    removed.assert_status(200);
    assert_eq!(removed.body["archived"], true);
    assert_eq!(removed.body["deleted"], false);
    // The job keeps its category and stays findable by it; new jobs cannot use it.
    let found = app
        .get("/api/jobs?category=gardening", Some(&craftsman.access))
        .await;
    assert_eq!(ids(&found), vec![job["id"].as_str().unwrap().to_owned()]);
    JobBuilder::new(&app, &client)
        .category("gardening")
        .send()
        .await
        .assert_error(400, "validation_failed");
    let meta = app.get("/api/meta", None).await;
    let skills: Vec<&str> = meta.body["skills"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    assert!(
        skills.contains(&"plumbing") && !skills.contains(&"gardening"),
        "{skills:?}"
    );
}
