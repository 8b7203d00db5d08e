//! AI over HTTP, on both databases: explained recommendations that never
//! list banned, unavailable or already-invited craftsmen; the concierge
//! from words to filters, matches and a proposal that books only on its
//! confirmation; the LLM path against a local chat-completions server
//! (tools, a malformed reply, a timeout); drafting, job finding, price
//! suggestion, sentiment, skill demand; the AI log and its retention.
#![allow(clippy::unwrap_used)]

mod assist;
mod concierge;
mod llm;
mod recommend;

use serde_json::json;

use crate::support::{Account, TestApp};

/// Tyre, Lebanon.
pub const TYRE: (f64, f64) = (33.2705, 35.2038);
/// Maadi, Cairo.
pub const MAADI: (f64, f64) = (29.9602, 31.2569);

/// A craftsman at `at` with `skills`, serving `radius` km.
pub async fn craftsman_at(app: &TestApp, at: (f64, f64), radius: f64, skills: &[&str]) -> Account {
    let who = app.register("craftsman").await;
    place(app, &who, at, radius).await;
    app.put(
        "/api/users/me/skills",
        json!({ "skills": skills }),
        Some(&who.access),
    )
    .await
    .assert_status(200);
    who
}

/// Puts `who` at `at`, serving `radius` km.
pub async fn place(app: &TestApp, who: &Account, at: (f64, f64), radius: f64) {
    app.put(
        "/api/users/me",
        json!({"serviceRadiusKm": radius, "location": {"lat": at.0, "lng": at.1}}),
        Some(&who.access),
    )
    .await
    .assert_status(200);
}
