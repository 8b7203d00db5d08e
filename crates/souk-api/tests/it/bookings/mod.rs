//! Bookings over HTTP, on both databases: a booking becomes the same
//! contract a hired quote makes (escrow, completion, reviews), the database
//! refuses double bookings under a race, the cancellation policy moves
//! exactly its shares, requests expire and reschedules move only when the
//! other side agrees, daylight saving keeps local times, and the lifecycle
//! table is walked exhaustively. The shared fixture is [`Shop`].

mod daylight;
mod flow;
mod race;
mod search;
mod walk;

use chrono::Duration;
use serde_json::{Value, json};

use crate::support::{Account, TestApp, TestResponse, builders::id_of};

/// A provider open every day 09:00–17:00 UTC with one offering, and its
/// free slots from tomorrow for three weeks.
pub struct Shop {
    pub provider: Account,
    pub offering: String,
    pub slots: Vec<Value>,
}

/// The offering every shop publishes, with `extra` fields on top.
pub fn offering_body(extra: Value) -> Value {
    let mut body = json!({
        "titleEn": "Tap repair",
        "descriptionEn": "Washer change and leak fix",
        "category": "plumbing",
        "price": 10000,
        "priceUnit": "fixed",
        "durationMinutes": 60,
        "bufferMinutes": 0
    });
    if let (Some(base), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
        for (k, v) in extra {
            base.insert(k.clone(), v.clone());
        }
    }
    body
}

/// Weekly hours every day of the week.
pub fn every_day(start: &str, end: &str) -> Vec<Value> {
    ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        .iter()
        .map(|day| json!({"day": day, "start": start, "end": end}))
        .collect()
}

impl Shop {
    /// Opens a shop whose offering has `extra` fields.
    pub async fn open(app: &TestApp, extra: Value) -> Shop {
        let provider = app.register("craftsman").await;
        Self::open_for(app, provider, extra).await
    }

    /// Opens a shop for an existing provider.
    pub async fn open_for(app: &TestApp, provider: Account, extra: Value) -> Shop {
        app.put(
            "/api/users/me/schedule",
            json!({"timeZone": "UTC", "weekly": every_day("09:00", "17:00")}),
            Some(&provider.access),
        )
        .await
        .assert_status(200);
        let created = app
            .post(
                "/api/offerings",
                offering_body(extra),
                Some(&provider.access),
            )
            .await;
        created.assert_status(201);
        let offering = id_of(&created.body);
        let today = app.core.clock.now().date_naive();
        let from = today + Duration::days(1);
        let to = today + Duration::days(21);
        let found = app
            .get(
                &format!("/api/offerings/{offering}/slots?from={from}&to={to}"),
                None,
            )
            .await;
        found.assert_status(200);
        let slots = found.body["data"].as_array().cloned().unwrap_or_default();
        assert!(slots.len() >= 100, "{}", found.body);
        Shop {
            provider,
            offering,
            slots,
        }
    }

    /// The start of slot `i`.
    pub fn start(&self, i: usize) -> String {
        self.slots[i]["startAt"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// `client` asks to book slot `i`.
    pub async fn book(&self, app: &TestApp, client: &Account, i: usize) -> TestResponse {
        self.book_at(app, client, &self.start(i)).await
    }

    /// `client` asks to book at `start`.
    pub async fn book_at(&self, app: &TestApp, client: &Account, start: &str) -> TestResponse {
        app.post(
            "/api/bookings",
            json!({"offeringId": self.offering, "startAt": start, "notes": "Second floor"}),
            Some(&client.access),
        )
        .await
    }

    /// A booking of slot `i` by `client`, asserted made; its id.
    pub async fn booked(&self, app: &TestApp, client: &Account, i: usize) -> String {
        let made = self.book(app, client, i).await;
        made.assert_status(201);
        id_of(&made.body)
    }
}

/// Moves a booking (asserting `status`); the answer.
pub async fn move_booking(
    app: &TestApp,
    id: &str,
    to: &str,
    who: &Account,
    status: u16,
) -> TestResponse {
    let moved = app
        .patch(
            &format!("/api/bookings/{id}/status"),
            json!({"status": to, "reason": "as agreed"}),
            Some(&who.access),
        )
        .await;
    moved.assert_status(status);
    moved
}

/// Funds an accepted booking's escrow from `client`'s wallet (topped up
/// first).
pub async fn fund(app: &TestApp, id: &str, client: &Account, price: i64) {
    app.top_up(client, price).await;
    app.post(
        &format!("/api/bookings/{id}/escrow/fund"),
        json!({}),
        Some(&client.access),
    )
    .await
    .assert_status(200);
}

/// A booking's current state.
pub async fn booking(app: &TestApp, id: &str, who: &Account) -> Value {
    let seen = app
        .get(&format!("/api/bookings/{id}"), Some(&who.access))
        .await;
    seen.assert_status(200);
    seen.body
}
