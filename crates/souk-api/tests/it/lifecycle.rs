//! The job lifecycle, walked exhaustively through the API: every (state,
//! target, actor) either does what the table says or is refused, with 403 for
//! the wrong actor and 409 (listing the allowed next states) for a move that
//! does not exist.
#![allow(clippy::unwrap_used)]

use std::collections::BTreeSet;

use serde_json::json;
use souk_core::accounts::Role;

use crate::support::*;

const STATES: [&str; 9] = [
    "posted",
    "quoted",
    "hired",
    "on_the_way",
    "in_progress",
    "work_submitted",
    "completed",
    "cancelled",
    "disputed",
];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Who {
    Client,
    Craftsman,
    Staff,
    Outsider,
}

/// The moves people may make, written out independently of the code's table.
const ALLOWED: &[(&str, &str, &[Who])] = &[
    ("posted", "cancelled", &[Who::Client, Who::Staff]),
    ("quoted", "cancelled", &[Who::Client, Who::Staff]),
    ("hired", "on_the_way", &[Who::Craftsman]),
    ("hired", "in_progress", &[Who::Craftsman]),
    ("on_the_way", "in_progress", &[Who::Craftsman]),
    ("in_progress", "work_submitted", &[Who::Craftsman]),
    ("work_submitted", "in_progress", &[Who::Client]),
    ("work_submitted", "completed", &[Who::Client, Who::Staff]),
    (
        "hired",
        "cancelled",
        &[Who::Client, Who::Craftsman, Who::Staff],
    ),
    (
        "on_the_way",
        "cancelled",
        &[Who::Client, Who::Craftsman, Who::Staff],
    ),
    (
        "in_progress",
        "cancelled",
        &[Who::Client, Who::Craftsman, Who::Staff],
    ),
    ("work_submitted", "cancelled", &[Who::Staff]),
    ("hired", "disputed", &[Who::Client, Who::Craftsman]),
    ("on_the_way", "disputed", &[Who::Client, Who::Craftsman]),
    ("in_progress", "disputed", &[Who::Client, Who::Craftsman]),
    ("work_submitted", "disputed", &[Who::Client, Who::Craftsman]),
    ("disputed", "completed", &[Who::Staff]),
    ("disputed", "cancelled", &[Who::Staff]),
];

/// Moves only Souk itself makes (first quote, hire, reopening).
const SYSTEM_ONLY: &[(&str, &str)] = &[
    ("posted", "quoted"),
    ("quoted", "posted"),
    ("posted", "hired"),
    ("quoted", "hired"),
    ("disputed", "hired"),
    ("disputed", "on_the_way"),
    ("disputed", "in_progress"),
    ("disputed", "work_submitted"),
];

struct Cast {
    client: Account,
    craftsman: Account,
    staff: Account,
    outsider: Account,
}

impl Cast {
    fn token(&self, who: Who) -> &str {
        match who {
            Who::Client => &self.client.access,
            Who::Craftsman => &self.craftsman.access,
            Who::Staff => &self.staff.access,
            Who::Outsider => &self.outsider.access,
        }
    }
}

async fn step(app: &TestApp, cast: &Cast, job: &str, to: &str, who: Who) {
    app.patch(
        &format!("/api/jobs/{job}/status"),
        json!({"status": to, "reason": "setting up"}),
        Some(cast.token(who)),
    )
    .await
    .assert_status(200);
}

/// A fresh job in `state`, with `cast.craftsman` assigned once hired.
async fn job_in(app: &TestApp, cast: &Cast, state: &str) -> String {
    match state {
        "posted" => JobBuilder::new(app, &cast.client).post().await["id"]
            .as_str()
            .unwrap()
            .to_owned(),
        "quoted" => {
            let id = JobBuilder::new(app, &cast.client).post().await["id"]
                .as_str()
                .unwrap()
                .to_owned();
            QuoteBuilder::new(app, &cast.craftsman, &id)
                .price(10000)
                .submit()
                .await;
            id
        }
        "cancelled" => {
            let id = JobBuilder::new(app, &cast.client).post().await["id"]
                .as_str()
                .unwrap()
                .to_owned();
            step(app, cast, &id, "cancelled", Who::Client).await;
            id
        }
        _ => {
            let id = ContractBuilder::new(app, &cast.client, &cast.craftsman)
                .funded()
                .create_id()
                .await;
            let path: &[(&str, Who)] = match state {
                "hired" => &[],
                "on_the_way" => &[("on_the_way", Who::Craftsman)],
                "in_progress" => &[("in_progress", Who::Craftsman)],
                "work_submitted" => &[
                    ("in_progress", Who::Craftsman),
                    ("work_submitted", Who::Craftsman),
                ],
                "completed" => &[
                    ("in_progress", Who::Craftsman),
                    ("work_submitted", Who::Craftsman),
                    ("completed", Who::Client),
                ],
                "disputed" => &[("disputed", Who::Client)],
                other => panic!("unknown state {other}"),
            };
            for (to, who) in path {
                step(app, cast, &id, to, *who).await;
            }
            id
        }
    }
}

fn expected_next(from: &str, who: Who) -> BTreeSet<String> {
    ALLOWED
        .iter()
        .filter(|(f, _, actors)| *f == from && actors.contains(&who))
        .map(|(_, to, _)| (*to).to_owned())
        .collect()
}

#[tokio::test]
async fn every_state_target_and_actor_does_what_the_table_says() {
    let app = TestApp::spawn().await;
    let cast = Cast {
        client: app.register("client").await,
        craftsman: app.register("craftsman").await,
        staff: app.staff(Role::Moderator).await,
        outsider: app.register("client").await,
    };
    let mut checked = 0;
    for from in STATES {
        let mut job = job_in(&app, &cast, from).await;
        for to in STATES {
            for who in [Who::Client, Who::Craftsman, Who::Staff, Who::Outsider] {
                let response = app
                    .patch(
                        &format!("/api/jobs/{job}/status"),
                        json!({"status": to, "reason": "a reason"}),
                        Some(cast.token(who)),
                    )
                    .await;
                let allowed = ALLOWED
                    .iter()
                    .any(|(f, t, actors)| *f == from && *t == to && actors.contains(&who));
                let open_job_craftsman =
                    who == Who::Craftsman && matches!(from, "posted" | "quoted" | "cancelled");
                let is_party = who != Who::Outsider && !open_job_craftsman;
                let context = format!("{from} → {to} by {who:?}: {}", response.body);
                if allowed {
                    assert_eq!(response.status, 200, "{context}");
                    assert_eq!(response.body["status"], to, "{context}");
                    job = job_in(&app, &cast, from).await;
                } else if !is_party {
                    assert_eq!(response.status, 403, "{context}");
                    assert_eq!(response.body["code"], "not_a_party", "{context}");
                } else if ALLOWED.iter().any(|(f, t, _)| *f == from && *t == to)
                    || SYSTEM_ONLY.contains(&(from, to))
                {
                    assert_eq!(response.status, 403, "{context}");
                    assert_eq!(response.body["code"], "forbidden", "{context}");
                } else {
                    assert_eq!(response.status, 409, "{context}");
                    assert_eq!(response.body["code"], "invalid_transition", "{context}");
                    assert_eq!(response.body["details"]["from"], from, "{context}");
                    let listed: BTreeSet<String> = response.body["details"]["allowed"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|s| s.as_str().unwrap().to_owned())
                        .collect();
                    assert_eq!(listed, expected_next(from, who), "{context}");
                }
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 9 * 9 * 4);
}

#[tokio::test]
async fn reasons_are_required_where_the_table_says() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let id = ContractBuilder::new(&app, &client, &craftsman)
        .funded()
        .create_id()
        .await;
    let path = format!("/api/jobs/{id}/status");
    for target in ["cancelled", "disputed"] {
        let response = app
            .patch(&path, json!({"status": target}), Some(&client.access))
            .await;
        response.assert_error(400, "validation_failed");
        assert!(response.body["details"]["fields"]["reason"].is_string());
    }
    app.patch(&path, json!({"status": "dancing"}), Some(&client.access))
        .await
        .assert_error(400, "validation_failed");
    app.patch(&path, json!({}), Some(&client.access))
        .await
        .assert_error(400, "validation_failed");
    // Seed spellings are accepted.
    let moved = app
        .patch(
            &path,
            json!({"status": "On The Way"}),
            Some(&craftsman.access),
        )
        .await;
    moved.assert_status(200);
    assert_eq!(moved.body["status"], "on_the_way");
}

#[tokio::test]
async fn submit_and_approve_shortcuts_complete_the_contract() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let id = ContractBuilder::new(&app, &client, &craftsman)
        .funded()
        .create_id()
        .await;
    app.post(
        &format!("/api/jobs/{id}/submit"),
        json!({}),
        Some(&craftsman.access),
    )
    .await
    .assert_error(409, "invalid_transition");
    app.patch(
        &format!("/api/jobs/{id}/status"),
        json!({"status": "in_progress"}),
        Some(&craftsman.access),
    )
    .await
    .assert_status(200);
    app.post(
        &format!("/api/jobs/{id}/submit"),
        json!({}),
        Some(&client.access),
    )
    .await
    .assert_error(403, "forbidden");
    let submitted = app
        .post(
            &format!("/api/jobs/{id}/submit"),
            json!({}),
            Some(&craftsman.access),
        )
        .await;
    assert_eq!(submitted.body["status"], "work_submitted");
    app.post(
        &format!("/api/jobs/{id}/approve"),
        json!({}),
        Some(&craftsman.access),
    )
    .await
    .assert_error(403, "forbidden");
    let approved = app
        .post(
            &format!("/api/jobs/{id}/approve"),
            json!({}),
            Some(&client.access),
        )
        .await;
    approved.assert_status(200);
    assert_eq!(approved.body["status"], "completed");
    assert!(approved.body["completedAt"].is_string());
    // Approving twice does nothing more.
    app.post(
        &format!("/api/jobs/{id}/approve"),
        json!({}),
        Some(&client.access),
    )
    .await
    .assert_error(409, "invalid_transition");
    let job = app
        .get(&format!("/api/jobs/{id}"), Some(&client.access))
        .await;
    assert_eq!(job.body["contract"]["status"], "completed");
    let profile = app
        .get(
            &format!("/api/users/{}", craftsman.id),
            Some(&client.access),
        )
        .await;
    assert_eq!(profile.body["completedJobs"], 1);
}

#[tokio::test]
async fn only_the_client_approves_submitted_work() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let craftsman = app.register("craftsman").await;
    let outsider = app.register("client").await;
    let admin = app.staff(Role::Admin).await;
    let id = ContractBuilder::new(&app, &client, &craftsman)
        .funded()
        .create_id()
        .await;
    for to in ["in_progress", "work_submitted"] {
        app.patch(
            &format!("/api/jobs/{id}/status"),
            json!({ "status": to }),
            Some(&craftsman.access),
        )
        .await
        .assert_status(200);
    }
    let approve = format!("/api/jobs/{id}/approve");
    for who in [&craftsman, &outsider, &admin] {
        app.post(&approve, json!({}), Some(&who.access))
            .await
            .assert_error(403, "forbidden");
    }
    app.post(
        "/api/jobs/00000000-0000-0000-0000-000000000000/approve",
        json!({}),
        Some(&client.access),
    )
    .await
    .assert_error(404, "job_not_found");
    let approved = app.post(&approve, json!({}), Some(&client.access)).await;
    approved.assert_status(200);
    assert_eq!(approved.body["status"], "completed");
}

#[tokio::test]
async fn a_stored_status_the_enum_does_not_know_is_an_internal_error_not_a_default() {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
    use souk_db::entities::jobs;
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let id = JobBuilder::new(&app, &client).post_id().await;
    let path = format!("/api/jobs/{id}");
    app.get(&path, Some(&client.access))
        .await
        .assert_status(200);
    // Another program (or a bad migration) writes a word the code never
    // wrote: the read fails loudly instead of calling the job cancelled.
    let job = uuid::Uuid::parse_str(&id).unwrap();
    jobs::Entity::update_many()
        .col_expr(jobs::Column::Status, Expr::value("teleported"))
        .filter(jobs::Column::Id.eq(job))
        .exec(app.core.db.conn())
        .await
        .unwrap();
    app.get(&path, Some(&client.access))
        .await
        .assert_error(500, "internal");
    app.patch(
        &format!("{path}/status"),
        json!({"status": "cancelled", "reason": "gone"}),
        Some(&client.access),
    )
    .await
    .assert_error(500, "internal");
}
