//! The booking lifecycle walked exhaustively through the API: from every
//! state a person can put a booking in, every target by every kind of
//! caller either does what the table says or is refused — 404 for an
//! outsider, 403 for a move that exists for others, 409 listing the
//! allowed next states for one that does not exist. The allowed moves are
//! written out here independently of the code's table.

use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::json;
use souk_core::accounts::Role;

use super::{Shop, fund, move_booking};
use crate::support::{Account, TestApp};

const STATES: [&str; 10] = [
    "pending",
    "accepted",
    "declined",
    "expired",
    "in_progress",
    "work_submitted",
    "completed",
    "cancelled",
    "no_show",
    "disputed",
];

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Who {
    Client,
    Provider,
    Staff,
    Outsider,
}

const EVERYONE: [Who; 4] = [Who::Client, Who::Provider, Who::Staff, Who::Outsider];

/// Every move a person may ask for (the system's own — instant booking,
/// expiry, a dispute's return — are refused to people).
const ALLOWED: &[(&str, &str, &[Who])] = &[
    ("pending", "accepted", &[Who::Provider]),
    ("pending", "declined", &[Who::Provider]),
    ("pending", "cancelled", &[Who::Client, Who::Staff]),
    ("accepted", "in_progress", &[Who::Provider]),
    (
        "accepted",
        "cancelled",
        &[Who::Client, Who::Provider, Who::Staff],
    ),
    ("accepted", "no_show", &[Who::Provider]),
    ("accepted", "disputed", &[Who::Client, Who::Provider]),
    ("in_progress", "work_submitted", &[Who::Provider]),
    (
        "in_progress",
        "cancelled",
        &[Who::Client, Who::Provider, Who::Staff],
    ),
    ("in_progress", "disputed", &[Who::Client, Who::Provider]),
    ("work_submitted", "completed", &[Who::Client, Who::Staff]),
    ("work_submitted", "in_progress", &[Who::Client]),
    ("work_submitted", "cancelled", &[Who::Staff]),
    ("work_submitted", "disputed", &[Who::Client, Who::Provider]),
    ("disputed", "completed", &[Who::Staff]),
    ("disputed", "cancelled", &[Who::Staff]),
];

/// Moves only the system makes (people asking get 403).
const SYSTEM_ONLY: &[(&str, &str)] = &[
    ("pending", "expired"),
    ("disputed", "accepted"),
    ("disputed", "in_progress"),
    ("disputed", "work_submitted"),
];

struct Cast {
    shop: Shop,
    client: Account,
    staff: Account,
    outsider: Account,
    next_slot: AtomicUsize,
}

impl Cast {
    fn token(&self, who: Who) -> &Account {
        match who {
            Who::Client => &self.client,
            Who::Provider => &self.shop.provider,
            Who::Staff => &self.staff,
            Who::Outsider => &self.outsider,
        }
    }
}

/// A fresh booking in `state`.
async fn booking_in(app: &TestApp, cast: &Cast, state: &str) -> String {
    let slot = cast.next_slot.fetch_add(1, Ordering::SeqCst);
    let id = cast.shop.booked(app, &cast.client, slot).await;
    let provider = &cast.shop.provider;
    let client = &cast.client;
    let path: &[(&str, &Account)] = match state {
        "pending" => &[],
        "declined" => &[("declined", provider)],
        "cancelled" => &[("cancelled", client)],
        "accepted" => &[("accepted", provider)],
        "in_progress" => &[("accepted", provider), ("in_progress", provider)],
        "work_submitted" => &[
            ("accepted", provider),
            ("in_progress", provider),
            ("work_submitted", provider),
        ],
        "completed" => &[
            ("accepted", provider),
            ("in_progress", provider),
            ("work_submitted", provider),
            ("completed", client),
        ],
        "disputed" => &[("accepted", provider), ("disputed", client)],
        other => panic!("no recipe for {other}"),
    };
    for (i, (to, who)) in path.iter().enumerate() {
        move_booking(app, &id, to, who, 200).await;
        if i == 0 && *to == "accepted" {
            fund(app, &id, client, 10000).await;
        }
    }
    id
}

fn allowed_from(from: &str, who: Who) -> Vec<&'static str> {
    let mut next: Vec<&str> = ALLOWED
        .iter()
        .filter(|(f, _, whom)| *f == from && whom.contains(&who))
        .map(|(_, t, _)| *t)
        .collect();
    next.sort_unstable();
    next
}

#[tokio::test]
async fn every_state_target_and_caller_does_what_the_table_says() {
    let app = TestApp::spawn().await;
    let shop = Shop::open(&app, json!({})).await;
    let cast = Cast {
        shop,
        client: app.register("client").await,
        staff: app.staff(Role::Admin).await,
        outsider: app.register("client").await,
        next_slot: AtomicUsize::new(0),
    };
    // People can reach every state but `expired` (the scheduler's) and
    // `no_show` (after the start); both are final, tested on their own.
    let reachable = STATES
        .iter()
        .filter(|s| !matches!(**s, "expired" | "no_show"));
    let mut checked = 0;
    for from in reachable {
        let standing = booking_in(&app, &cast, from).await;
        for to in STATES {
            for who in EVERYONE {
                let rule = ALLOWED.iter().find(|(f, t, _)| *f == *from && *t == to);
                let system = SYSTEM_ONLY.contains(&(*from, to));
                let allowed = rule.is_some_and(|(_, _, whom)| whom.contains(&who));
                let target = if allowed {
                    booking_in(&app, &cast, from).await
                } else {
                    standing.clone()
                };
                let answer = app
                    .patch(
                        &format!("/api/bookings/{target}/status"),
                        json!({"status": to, "reason": "walking the table"}),
                        Some(&cast.token(who).access),
                    )
                    .await;
                let case = format!("{from} → {to} by {who:?}: {}", answer.body);
                match (who, allowed) {
                    (Who::Outsider, _) => {
                        assert_eq!(answer.status, 404, "{case}");
                    }
                    (_, true) if to == "no_show" => {
                        // Allowed once the start has passed (see the policy test).
                        assert_eq!(answer.body["code"], "booking_not_started", "{case}");
                    }
                    (_, true) => {
                        assert_eq!(answer.status, 200, "{case}");
                        assert_eq!(answer.body["status"], to, "{case}");
                    }
                    (_, false) if rule.is_some() || system => {
                        assert_eq!(answer.status, 403, "{case}");
                    }
                    (_, false) => {
                        assert_eq!(answer.status, 409, "{case}");
                        assert_eq!(answer.body["code"], "invalid_transition", "{case}");
                        let mut listed: Vec<&str> = answer.body["details"]["allowed"]
                            .as_array()
                            .map(|a| a.iter().filter_map(|v| v.as_str()).collect())
                            .unwrap_or_default();
                        listed.sort_unstable();
                        assert_eq!(listed, allowed_from(from, who), "{case}");
                    }
                }
                checked += 1;
            }
        }
        // The standing booking was never moved by a refusal.
        let still = app
            .get(
                &format!("/api/bookings/{standing}"),
                Some(&cast.client.access),
            )
            .await;
        assert_eq!(still.body["status"], *from);
    }
    assert_eq!(checked, 8 * 10 * 4);
}
