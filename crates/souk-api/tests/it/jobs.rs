//! Jobs: posting (JSON and multipart), visibility, editing, cancelling,
//! search (Arabic normalization, stemming, synonyms, true distance), quotes,
//! invitations, orders views, staff force-delete.
#![allow(clippy::unwrap_used)]

use serde_json::{Value, json};
use souk_core::accounts::Role;

use crate::support::*;

/// A valid job body; `extra` overrides fields.
pub fn job_body(extra: Value) -> Value {
    let mut body = json!({
        "title": "Fix a leaking kitchen pipe",
        "description": "Water is leaking under the kitchen sink since yesterday.",
        "category": "plumbing",
        "address": "12 Tahrir St, Cairo",
        "location": {"lat": 30.0444, "lng": 31.2357},
        "budgetMin": 20000, "budgetMax": 50000,
        "paymentType": "escrow",
    });
    if let (Some(base), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
        for (k, v) in extra {
            base.insert(k.clone(), v.clone());
        }
    }
    body
}

/// Posts a job as `client` and returns it.
pub async fn post_job(app: &TestApp, client: &Account, extra: Value) -> Value {
    let response = app
        .post("/api/jobs", job_body(extra), Some(&client.access))
        .await;
    response.assert_status(201);
    response.body
}

/// Submits a quote and returns it.
pub async fn quote(app: &TestApp, craftsman: &Account, job: &str, price: i64) -> Value {
    let response = app
        .post(
            &format!("/api/jobs/{job}/quotes"),
            json!({"price": price, "notes": "Can come today", "estimatedDuration": "2 hours"}),
            Some(&craftsman.access),
        )
        .await;
    response.assert_status(201);
    response.body
}

/// Posts a job and hires `craftsman` on it; returns the job id.
pub async fn hired_job(app: &TestApp, client: &Account, craftsman: &Account) -> String {
    hired_job_with(app, client, craftsman, json!({}), 40000).await
}

/// [`hire`], returning the job's id.
pub async fn hired_job_with(
    app: &TestApp,
    client: &Account,
    craftsman: &Account,
    extra: Value,
    price: i64,
) -> String {
    hire(app, client, craftsman, extra, price).await["job"]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Posts a job (default fields plus `extra`), has `craftsman` quote `price`
/// on it, and hires him; returns the hire answer (`{job, contract}`).
pub async fn hire(
    app: &TestApp,
    client: &Account,
    craftsman: &Account,
    extra: Value,
    price: i64,
) -> Value {
    let job = post_job(app, client, extra).await;
    let id = job["id"].as_str().unwrap().to_owned();
    let q = quote(app, craftsman, &id, price).await;
    let hired = app
        .post(
            &format!("/api/jobs/{id}/quotes/{}/accept", q["id"].as_str().unwrap()),
            json!({}),
            Some(&client.access),
        )
        .await;
    hired.assert_status(200);
    hired.body
}

/// A hired job whose escrow the client funded (topped up through the
/// sandbox first), so the craftsman may start.
pub async fn funded_job(app: &TestApp, client: &Account, craftsman: &Account) -> String {
    let id = hired_job(app, client, craftsman).await;
    app.top_up(client, 40000).await;
    app.post(
        &format!("/api/jobs/{id}/escrow/fund"),
        json!({}),
        Some(&client.access),
    )
    .await
    .assert_status(200);
    id
}

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
    let job = post_job(&app, &client, json!({"paymentType": "CashProtected",
        "location": {"type": "Point", "coordinates": [31.2357, 30.0444]}, "desiredDate": "2030-01-15"})).await;
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

    app.post("/api/jobs", job_body(json!({})), Some(&craftsman.access))
        .await
        .assert_error(403, "clients_only");
    app.post("/api/jobs", job_body(json!({})), None)
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
    let bad = app
        .post("/api/jobs", job_body(json!({"category": "space-travel", "budgetMin": 900, "budgetMax": 100,
            "paymentType": "bitcoin", "desiredDate": "2001-01-01", "location": {"lat": 95, "lng": 0}})), Some(&client.access))
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
    let job = post_job(&app, &client, json!({})).await;
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

    let hired = hired_job(&app, &client, &craftsman).await;
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
    let job = post_job(&app, &client, json!({})).await;
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

    let q = quote(&app, &craftsman, job["id"].as_str().unwrap(), 45000).await;
    let cancelled = app.delete(&path, Some(&client.access)).await;
    cancelled.assert_status(200);
    assert_eq!(cancelled.body["status"], "cancelled");
    let mine = app.get("/api/quotes/mine", Some(&craftsman.access)).await;
    assert_eq!(mine.body["data"][0]["id"], q["id"]);
    assert_eq!(mine.body["data"][0]["status"], "declined");

    let hired = hired_job(&app, &client, &craftsman).await;
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
    let arabic = post_job(&app, &client, json!({"title": "مطلوب سبّاك لإصلاح تسريب", "description": "تسريب مياه تحت حوض المطبخ منذ أمس"})).await;
    let english = post_job(&app, &client, json!({"title": "Fixing leaking pipes", "description": "Several pipes are leaking in the bathroom."})).await;
    let paint = post_job(&app, &client, json!({"title": "Paint a bedroom", "description": "One bedroom, light blue paint please.", "category": "painting"})).await;
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
    let here = post_job(
        &app,
        &client,
        json!({"location": {"lat": 30.0444, "lng": 31.2357}}),
    )
    .await;
    let near = post_job(
        &app,
        &client,
        json!({"location": {"lat": 30.0444, "lng": 31.2909}}),
    )
    .await;
    let giza = post_job(
        &app,
        &client,
        json!({"location": {"lat": 29.9792, "lng": 31.1342}}),
    )
    .await;
    let _alex = post_job(
        &app,
        &client,
        json!({"location": {"lat": 31.2001, "lng": 29.9187}}),
    )
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
    let cheap = post_job(&app, &client, json!({"budgetMin": 1000, "budgetMax": 5000})).await;
    let pricey = post_job(
        &app,
        &other,
        json!({"budgetMin": 80000, "budgetMax": 120000}),
    )
    .await;
    let hired = hired_job(&app, &client, &craftsman).await;

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

#[tokio::test]
async fn quotes_follow_the_rules() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let other_client = app.register("client").await;
    let first = app.register("craftsman").await;
    let second = app.register("craftsman").await;
    let job = post_job(&app, &client, json!({})).await;
    let id = job["id"].as_str().unwrap();
    let quotes_path = format!("/api/jobs/{id}/quotes");

    app.post(&quotes_path, json!({"price": 100}), Some(&client.access))
        .await
        .assert_error(403, "craftsmen_only");
    app.post(&quotes_path, json!({"price": 0}), Some(&first.access))
        .await
        .assert_error(400, "validation_failed");
    app.post(&quotes_path, json!({}), Some(&first.access))
        .await
        .assert_error(400, "validation_failed");
    let q1 = quote(&app, &first, id, 45000).await;
    assert_eq!(q1["status"], "submitted");
    assert_eq!(q1["jobId"], id);
    assert_eq!(
        app.get(&format!("/api/jobs/{id}"), Some(&client.access))
            .await
            .body["status"],
        "quoted"
    );
    app.post(&quotes_path, json!({"price": 30000}), Some(&first.access))
        .await
        .assert_error(409, "quote_exists");
    let q2 = quote(&app, &second, id, 38000).await;

    let all = app.get(&quotes_path, Some(&client.access)).await;
    assert_eq!(all.body.as_array().unwrap().len(), 2);
    let own = app.get(&quotes_path, Some(&second.access)).await;
    assert_eq!(own.body.as_array().unwrap().len(), 1);
    assert_eq!(own.body[0]["id"], q2["id"]);
    app.get(&quotes_path, Some(&other_client.access))
        .await
        .assert_error(403, "forbidden");

    // Withdraw and quote again.
    let q2_path = format!("{quotes_path}/{}", q2["id"].as_str().unwrap());
    app.delete(&q2_path, Some(&first.access))
        .await
        .assert_error(403, "forbidden");
    let withdrawn = app.delete(&q2_path, Some(&second.access)).await;
    assert_eq!(withdrawn.body["status"], "withdrawn");
    let q3 = quote(&app, &second, id, 36000).await;

    // Decline one, accept the other: contract, hire, the rest declined.
    let decline = app
        .post(
            &format!("{quotes_path}/{}/decline", q1["id"].as_str().unwrap()),
            json!({}),
            Some(&client.access),
        )
        .await;
    assert_eq!(decline.body["status"], "declined");
    app.post(
        &format!("{quotes_path}/{}/accept", q3["id"].as_str().unwrap()),
        json!({}),
        Some(&second.access),
    )
    .await
    .assert_error(403, "forbidden");
    let hire = app
        .post(
            &format!("{quotes_path}/{}/accept", q3["id"].as_str().unwrap()),
            json!({}),
            Some(&client.access),
        )
        .await;
    hire.assert_status(200);
    assert_eq!(hire.body["job"]["status"], "hired");
    assert_eq!(hire.body["job"]["craftsmanId"], second.id.as_str());
    assert_eq!(hire.body["contract"]["price"], 36000);
    assert_eq!(hire.body["contract"]["feeBps"], 500);
    assert_eq!(hire.body["contract"]["platformFee"], 1800);
    assert_eq!(hire.body["contract"]["paymentType"], "escrow");
    app.post(
        &format!("{quotes_path}/{}/accept", q3["id"].as_str().unwrap()),
        json!({}),
        Some(&client.access),
    )
    .await
    .assert_error(409, "quote_not_pending");
    app.post(&quotes_path, json!({"price": 1000}), Some(&first.access))
        .await
        .assert_error(409, "job_not_open");
    app.post(
        &format!("{quotes_path}/nope/accept"),
        json!({}),
        Some(&client.access),
    )
    .await
    .assert_error(404, "invalid_id");
    app.post(
        &format!("{quotes_path}/0192a3b4-0000-7000-8000-000000000000/accept"),
        json!({}),
        Some(&client.access),
    )
    .await
    .assert_error(404, "quote_not_found");

    let mine = app.get("/api/quotes/mine", Some(&second.access)).await;
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

#[tokio::test]
async fn invitations_follow_seed_001() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let other_client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let declining = app.register("craftsman").await;
    let job = post_job(&app, &client, json!({})).await;
    let id = job["id"].as_str().unwrap();
    let invite = format!("/api/jobs/{id}/invite");

    app.post(
        &invite,
        json!({"craftsmanId": craftsman.id}),
        Some(&other_client.access),
    )
    .await
    .assert_error(403, "forbidden");
    app.post(
        &invite,
        json!({"craftsmanId": other_client.id}),
        Some(&client.access),
    )
    .await
    .assert_error(400, "validation_failed");
    app.post(&invite, json!({}), Some(&client.access))
        .await
        .assert_error(400, "validation_failed");
    let invitation = app
        .post(
            &invite,
            json!({"craftsmanId": craftsman.id}),
            Some(&client.access),
        )
        .await;
    invitation.assert_status(201);
    assert_eq!(invitation.body["status"], "pending");
    app.post(
        &invite,
        json!({"craftsmanId": craftsman.id}),
        Some(&client.access),
    )
    .await
    .assert_error(409, "already_invited");
    app.post(
        &invite,
        json!({"craftsmanId": declining.id}),
        Some(&client.access),
    )
    .await
    .assert_status(201);

    let respond = format!("/api/jobs/{id}/invitations/respond");
    app.post(
        &respond,
        json!({"response": "maybe"}),
        Some(&declining.access),
    )
    .await
    .assert_error(400, "validation_failed");
    let rejected = app
        .post(
            &respond,
            json!({"response": "Rejected"}),
            Some(&declining.access),
        )
        .await;
    assert_eq!(rejected.body["status"], "rejected");
    app.post(
        &respond,
        json!({"response": "accepted"}),
        Some(&declining.access),
    )
    .await
    .assert_error(409, "already_responded");
    app.post(
        &invite,
        json!({"craftsmanId": declining.id}),
        Some(&client.access),
    )
    .await
    .assert_error(409, "invitation_was_rejected");
    app.post(
        &format!("/api/jobs/{id}/quotes"),
        json!({"price": 100}),
        Some(&declining.access),
    )
    .await
    .assert_error(409, "invitation_was_rejected");
    let outsider = app.register("craftsman").await;
    app.post(
        &respond,
        json!({"response": "accepted"}),
        Some(&outsider.access),
    )
    .await
    .assert_error(404, "invitation_not_found");

    let accepted = app
        .post(
            &respond,
            json!({"response": "Accepted"}),
            Some(&craftsman.access),
        )
        .await;
    assert_eq!(accepted.body["status"], "accepted");
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
    assert_eq!(mine.body["data"][0]["job"]["id"], id);

    // Once quoted, the job no longer takes invitations.
    quote(&app, &craftsman, id, 30000).await;
    app.post(
        &invite,
        json!({"craftsmanId": outsider.id}),
        Some(&client.access),
    )
    .await
    .assert_error(409, "job_not_open");
}

#[tokio::test]
async fn orders_views_group_jobs_by_stage() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let rival = app.register("craftsman").await;
    let open = post_job(&app, &client, json!({})).await;
    let hired = hired_job(&app, &client, &craftsman).await;
    let lost = post_job(&app, &client, json!({})).await;
    let lost_id = lost["id"].as_str().unwrap();
    quote(&app, &craftsman, lost_id, 50000).await;
    let winning = quote(&app, &rival, lost_id, 40000).await;
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
    let quoted_open = post_job(&app, &client, json!({})).await;
    quote(&app, &craftsman, quoted_open["id"].as_str().unwrap(), 10000).await;

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
    let id = hired_job(&app, &client, &craftsman).await;
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
    let job = post_job(&app, &client, json!({"category": "gardening"})).await;
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
    app.post(
        "/api/jobs",
        job_body(json!({"category": "gardening"})),
        Some(&client.access),
    )
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
