//! The whole marketplace loop, checking at every step that exactly the right
//! people got a new notification.
#![allow(clippy::unwrap_used)]

use std::collections::HashMap;

use serde_json::json;

use crate::support::*;

/// Unread notification types per person, to diff between steps.
async fn inbox(app: &TestApp, account: &Account) -> Vec<String> {
    let list = app
        .get("/api/notifications?limit=100", Some(&account.access))
        .await;
    list.body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["type"].as_str().unwrap().to_owned())
        .collect()
}

struct Inboxes<'a> {
    app: &'a TestApp,
    people: Vec<(&'static str, &'a Account)>,
    seen: HashMap<&'static str, usize>,
}

impl<'a> Inboxes<'a> {
    /// Asserts who received what since the last check.
    async fn expect(&mut self, step: &str, expected: &[(&str, &str)]) {
        for (name, account) in &self.people {
            let all = inbox(self.app, account).await;
            let before = self.seen.get(name).copied().unwrap_or(0);
            let new: Vec<String> = all[..all.len() - before].to_vec();
            let wanted: Vec<String> = expected
                .iter()
                .filter(|(who, _)| who == name)
                .map(|(_, kind)| (*kind).to_owned())
                .collect();
            assert_eq!(new, wanted, "step '{step}': new notifications of {name}");
            self.seen.insert(name, all.len());
        }
    }
}

#[tokio::test]
async fn post_invite_quote_hire_work_complete() {
    let app = TestApp::spawn().await;
    let client = app.register("client").await;
    let invited_a = app.register("craftsman").await;
    let invited_b = app.register("craftsman").await;
    let uninvited = app.register("craftsman").await;
    let mut inboxes = Inboxes {
        app: &app,
        people: vec![
            ("client", &client),
            ("a", &invited_a),
            ("b", &invited_b),
            ("c", &uninvited),
        ],
        seen: HashMap::new(),
    };

    let job = JobBuilder::new(&app, &client).post().await;
    let id = job["id"].as_str().unwrap().to_owned();
    inboxes.expect("post", &[]).await;

    for craftsman in [&invited_a, &invited_b] {
        app.post(
            &format!("/api/jobs/{id}/invite"),
            json!({"craftsmanId": craftsman.id}),
            Some(&client.access),
        )
        .await
        .assert_status(201);
    }
    inboxes
        .expect(
            "invite",
            &[("a", "job_invitation"), ("b", "job_invitation")],
        )
        .await;

    app.post(
        &format!("/api/jobs/{id}/invitations/respond"),
        json!({"response": "accepted"}),
        Some(&invited_a.access),
    )
    .await
    .assert_status(200);
    inboxes
        .expect("accept invitation", &[("client", "invitation_accepted")])
        .await;

    let quote_a = app
        .post(
            &format!("/api/jobs/{id}/quotes"),
            json!({"price": 42000}),
            Some(&invited_a.access),
        )
        .await;
    quote_a.assert_status(201);
    inboxes
        .expect("invitee quotes", &[("client", "quote_received")])
        .await;

    let quote_c = app
        .post(
            &format!("/api/jobs/{id}/quotes"),
            json!({"price": 39000}),
            Some(&uninvited.access),
        )
        .await;
    quote_c.assert_status(201);
    inboxes
        .expect("uninvited quotes", &[("client", "quote_received")])
        .await;

    let hire = app
        .post(
            &format!("/api/jobs/{id}/quotes/{}/accept", quote_c.str("/id")),
            json!({}),
            Some(&client.access),
        )
        .await;
    hire.assert_status(200);
    inboxes
        .expect("hire", &[("c", "quote_accepted"), ("a", "quote_declined")])
        .await;

    // The craftsman may not set off before the escrow holds the price.
    app.patch(
        &format!("/api/jobs/{id}/status"),
        json!({"status": "on_the_way"}),
        Some(&uninvited.access),
    )
    .await
    .assert_error(409, "escrow_not_funded");
    inboxes.expect("refused start", &[]).await;
    app.top_up(&client, 39000).await;
    inboxes
        .expect("top-up", &[("client", "payment_succeeded")])
        .await;
    app.post(
        &format!("/api/jobs/{id}/escrow/fund"),
        json!({"source": "wallet"}),
        Some(&client.access),
    )
    .await
    .assert_status(200);
    inboxes.expect("fund", &[("c", "escrow_funded")]).await;

    for (status, who) in [("on_the_way", &uninvited), ("in_progress", &uninvited)] {
        app.patch(
            &format!("/api/jobs/{id}/status"),
            json!({"status": status}),
            Some(&who.access),
        )
        .await
        .assert_status(200);
        inboxes.expect(status, &[("client", "job_status")]).await;
    }
    app.post(
        &format!("/api/jobs/{id}/submit"),
        json!({}),
        Some(&uninvited.access),
    )
    .await
    .assert_status(200);
    inboxes.expect("submit", &[("client", "job_status")]).await;
    let done = app
        .post(
            &format!("/api/jobs/{id}/approve"),
            json!({}),
            Some(&client.access),
        )
        .await;
    assert_eq!(done.body["status"], "completed");
    // The craftsman hears it once: completed and paid are one moment.
    inboxes.expect("approve", &[("c", "escrow_released")]).await;

    // The last notification says what happened, in the recipient's words:
    // the job completed, paid the price minus the 5% commission.
    let last = app
        .get("/api/notifications?limit=2", Some(&uninvited.access))
        .await;
    let paid = &last.body["data"][0];
    assert_eq!(paid["type"], "escrow_released");
    assert_eq!(paid["title"], "Job completed, payment released");
    assert_eq!(paid["data"]["amount"], 39000 - 1950);
    assert_eq!(paid["data"]["status"], "completed");
    assert_eq!(paid["data"]["jobId"], id.as_str());
    // The one before it is the funding, not a separate "completed".
    assert_eq!(last.body["data"][1]["type"], "escrow_funded");
    assert_eq!(app.balance(&uninvited).await["available"], 39000 - 1950);
    assert_eq!(app.balance(&client).await["available"], 0);
}
