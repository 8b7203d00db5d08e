//! Builders for the marketplace fixtures a test starts from (a posted job, a
//! quote on it, a hired contract, a funded escrow), each made through the
//! HTTP API the way a client or craftsman would: defaults for every field,
//! chained setters for the ones a test cares about.
//!
//! ```ignore
//! let job = JobBuilder::new(&app, &client).budget(1000, 5000).post().await;
//! let quote = QuoteBuilder::new(&app, &craftsman, &job_id).price(45000).submit().await;
//! let hired = ContractBuilder::new(&app, &client, &craftsman).price(30000).create().await;
//! let funded = ContractBuilder::new(&app, &client, &craftsman).funded().create().await;
//! let dm = DirectBuilder::new(&app, &client, &craftsman).open().await;
//! let sent = MessageBuilder::to_conversation(&app, &client, &id_of(&dm)).text("Hi").post().await;
//! ```
#![allow(dead_code, clippy::unwrap_used)]

use serde_json::{Value, json};

use super::{Account, TestApp, TestResponse};

/// A job a client posts through `POST /api/jobs`: a leaking kitchen pipe in
/// central Cairo, plumbing, budget 200–500 EGP, paid through escrow, unless a
/// setter says otherwise.
#[must_use]
pub struct JobBuilder<'a> {
    app: &'a TestApp,
    client: &'a Account,
    body: Value,
}

impl<'a> JobBuilder<'a> {
    /// A job with the default fields, to be posted by `client`.
    pub fn new(app: &'a TestApp, client: &'a Account) -> Self {
        Self {
            app,
            client,
            body: json!({
                "title": "Fix a leaking kitchen pipe",
                "description": "Water is leaking under the kitchen sink since yesterday.",
                "category": "plumbing",
                "address": "12 Tahrir St, Cairo",
                "location": {"lat": 30.0444, "lng": 31.2357},
                "budgetMin": 20000, "budgetMax": 50000,
                "paymentType": "escrow",
            }),
        }
    }

    /// Sets (or replaces) one field of the body, as sent on the wire.
    pub fn field(mut self, name: &str, value: impl Into<Value>) -> Self {
        if let Some(body) = self.body.as_object_mut() {
            body.insert(name.to_owned(), value.into());
        }
        self
    }

    /// Sets every field of `extra` (an object), as sent on the wire.
    pub fn fields(mut self, extra: Value) -> Self {
        if let (Some(body), Some(extra)) = (self.body.as_object_mut(), extra.as_object()) {
            for (name, value) in extra {
                body.insert(name.clone(), value.clone());
            }
        }
        self
    }

    /// Sets the title.
    pub fn title(self, title: &str) -> Self {
        self.field("title", title)
    }

    /// Sets the description.
    pub fn description(self, description: &str) -> Self {
        self.field("description", description)
    }

    /// Sets the category (a service slug).
    pub fn category(self, category: &str) -> Self {
        self.field("category", category)
    }

    /// Sets the budget range, in piastres.
    pub fn budget(self, min: i64, max: i64) -> Self {
        self.field("budgetMin", min).field("budgetMax", max)
    }

    /// Sets the top of the budget only, in piastres.
    pub fn budget_max(self, max: i64) -> Self {
        self.field("budgetMax", max)
    }

    /// Places the job at a point.
    pub fn at(self, lat: f64, lng: f64) -> Self {
        self.field("location", json!({"lat": lat, "lng": lng}))
    }

    /// Sets how the job is paid (`escrow`, `cash`, `cash_protected`).
    pub fn payment_type(self, payment_type: &str) -> Self {
        self.field("paymentType", payment_type)
    }

    /// The JSON body this builder sends, for tests that send it themselves
    /// (someone else's token, no token, a body that must be refused).
    pub fn body(&self) -> Value {
        self.body.clone()
    }

    /// Sends the job as the client and returns the answer, whatever it is.
    pub async fn send(self) -> TestResponse {
        self.app
            .post("/api/jobs", self.body, Some(&self.client.access))
            .await
    }

    /// Posts the job and returns it.
    ///
    /// # Panics
    ///
    /// When the API does not answer 201.
    pub async fn post(self) -> Value {
        let response = self.send().await;
        response.assert_status(201);
        response.body
    }

    /// Posts the job and returns its id.
    pub async fn post_id(self) -> String {
        id_of(&self.post().await)
    }
}

/// A craftsman's quote on a job, through `POST /api/jobs/{id}/quotes`:
/// 400 EGP, "Can come today", "2 hours", unless a setter says otherwise.
#[must_use]
pub struct QuoteBuilder<'a> {
    app: &'a TestApp,
    craftsman: &'a Account,
    job_id: String,
    price: i64,
}

impl<'a> QuoteBuilder<'a> {
    /// A quote by `craftsman` on the job `job_id`.
    pub fn new(app: &'a TestApp, craftsman: &'a Account, job_id: &str) -> Self {
        Self {
            app,
            craftsman,
            job_id: job_id.to_owned(),
            price: 40000,
        }
    }

    /// Sets the price, in piastres.
    pub fn price(mut self, price: i64) -> Self {
        self.price = price;
        self
    }

    /// Sends the quote and returns the answer, whatever it is.
    pub async fn send(self) -> TestResponse {
        self.app
            .post(
                &format!("/api/jobs/{}/quotes", self.job_id),
                json!({"price": self.price, "notes": "Can come today", "estimatedDuration": "2 hours"}),
                Some(&self.craftsman.access),
            )
            .await
    }

    /// Submits the quote and returns it.
    ///
    /// # Panics
    ///
    /// When the API does not answer 201.
    pub async fn submit(self) -> Value {
        let response = self.send().await;
        response.assert_status(201);
        response.body
    }
}

/// A hired job: the client posts a job, the craftsman quotes on it, the
/// client accepts the quote (`{job, contract}` comes back). 400 EGP on the
/// default job unless a setter says otherwise; `funded()` also has the
/// client top the wallet up with the price through the sandbox and fund the
/// escrow, so the craftsman may start.
#[must_use]
pub struct ContractBuilder<'a> {
    app: &'a TestApp,
    client: &'a Account,
    craftsman: &'a Account,
    job: JobBuilder<'a>,
    price: i64,
    funded: bool,
}

/// What [`ContractBuilder::create`] made.
#[derive(Clone, Debug)]
pub struct Contract {
    /// The hired job's id.
    pub job_id: String,
    /// The accepted quote's id.
    pub quote_id: String,
    /// The answer to accepting the quote: `{job, contract}`.
    pub hired: Value,
}

impl Contract {
    /// The contract's id.
    pub fn id(&self) -> String {
        self.hired["contract"]["id"]
            .as_str()
            .expect("the hire answers the contract")
            .to_owned()
    }
}

impl<'a> ContractBuilder<'a> {
    /// `client` hires `craftsman` on a default job at 400 EGP.
    pub fn new(app: &'a TestApp, client: &'a Account, craftsman: &'a Account) -> Self {
        Self {
            app,
            client,
            craftsman,
            job: JobBuilder::new(app, client),
            price: 40000,
            funded: false,
        }
    }

    /// Shapes the job before it is posted.
    pub fn job(mut self, shape: impl FnOnce(JobBuilder<'a>) -> JobBuilder<'a>) -> Self {
        self.job = shape(self.job);
        self
    }

    /// Sets how the job is paid (`escrow`, `cash`, `cash_protected`).
    pub fn payment_type(self, payment_type: &str) -> Self {
        self.job(|job| job.payment_type(payment_type))
    }

    /// Sets the job's category (a service slug).
    pub fn category(self, category: &str) -> Self {
        self.job(|job| job.category(category))
    }

    /// Sets the quoted (and so contracted) price, in piastres.
    pub fn price(mut self, price: i64) -> Self {
        self.price = price;
        self
    }

    /// Funds the escrow once hired: the client tops the wallet up with the
    /// price through the sandbox gateway, then funds the job's escrow.
    pub fn funded(mut self) -> Self {
        self.funded = true;
        self
    }

    /// Posts, quotes, hires (and funds, when asked).
    ///
    /// # Panics
    ///
    /// When any step is refused.
    pub async fn create(self) -> Contract {
        let job_id = self.job.post_id().await;
        let quote = QuoteBuilder::new(self.app, self.craftsman, &job_id)
            .price(self.price)
            .submit()
            .await;
        let quote_id = id_of(&quote);
        let hired = self
            .app
            .post(
                &format!("/api/jobs/{job_id}/quotes/{quote_id}/accept"),
                json!({}),
                Some(&self.client.access),
            )
            .await;
        hired.assert_status(200);
        if self.funded {
            self.app.top_up(self.client, self.price).await;
            self.app
                .post(
                    &format!("/api/jobs/{job_id}/escrow/fund"),
                    json!({}),
                    Some(&self.client.access),
                )
                .await
                .assert_status(200);
        }
        Contract {
            job_id,
            quote_id,
            hired: hired.body,
        }
    }

    /// [`create`](Self::create), returning only the job's id.
    pub async fn create_id(self) -> String {
        self.create().await.job_id
    }

    /// Hires, funds, and walks the job to completion: the craftsman starts
    /// and submits, the client approves (the escrow is released).
    ///
    /// # Panics
    ///
    /// When any step is refused.
    pub async fn completed(mut self) -> Contract {
        self.funded = true;
        let (app, client, craftsman) = (self.app, self.client, self.craftsman);
        let contract = self.create().await;
        let id = &contract.job_id;
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
            Some(&craftsman.access),
        )
        .await
        .assert_status(200);
        app.post(
            &format!("/api/jobs/{id}/approve"),
            json!({}),
            Some(&client.access),
        )
        .await
        .assert_status(200);
        contract
    }
}

/// A direct conversation `from` opens with `to` through
/// `POST /api/conversations {peerId}`.
#[must_use]
pub struct DirectBuilder<'a> {
    app: &'a TestApp,
    from: &'a Account,
    to: String,
}

impl<'a> DirectBuilder<'a> {
    /// `from` opens (or finds) the conversation with `to`.
    pub fn new(app: &'a TestApp, from: &'a Account, to: &'a Account) -> Self {
        Self {
            app,
            from,
            to: to.id.clone(),
        }
    }

    /// Sends the request and returns the answer, whatever it is.
    pub async fn send(self) -> TestResponse {
        self.app
            .post(
                "/api/conversations",
                json!({"peerId": self.to}),
                Some(&self.from.access),
            )
            .await
    }

    /// Opens the conversation (201, or 200 for the pair's existing one)
    /// and returns it.
    ///
    /// # Panics
    ///
    /// When the API answers anything else.
    pub async fn open(self) -> Value {
        let response = self.send().await;
        assert!(
            matches!(response.status.as_u16(), 200 | 201),
            "{} {}",
            response.status,
            response.body
        );
        response.body
    }
}

/// A message through `POST /api/conversations/{id}/messages` (or a job's
/// `POST /api/jobs/{jobId}/messages`): "Hello" unless a setter says
/// otherwise.
#[must_use]
pub struct MessageBuilder<'a> {
    app: &'a TestApp,
    sender: &'a Account,
    path: String,
    body: Value,
}

impl<'a> MessageBuilder<'a> {
    /// A message `sender` sends to the conversation `conversation_id`.
    pub fn to_conversation(app: &'a TestApp, sender: &'a Account, conversation_id: &str) -> Self {
        Self::at(
            app,
            sender,
            format!("/api/conversations/{conversation_id}/messages"),
        )
    }

    /// A message `sender` sends to job `job_id`'s contract conversation.
    pub fn to_job(app: &'a TestApp, sender: &'a Account, job_id: &str) -> Self {
        Self::at(app, sender, format!("/api/jobs/{job_id}/messages"))
    }

    fn at(app: &'a TestApp, sender: &'a Account, path: String) -> Self {
        Self {
            app,
            sender,
            path,
            body: json!({"text": "Hello"}),
        }
    }

    /// Sets the text.
    pub fn text(mut self, text: &str) -> Self {
        self.body["text"] = json!(text);
        self
    }

    /// Sets the client's own id for the message.
    pub fn client_id(mut self, id: &str) -> Self {
        self.body["clientMessageId"] = json!(id);
        self
    }

    /// References files uploaded first.
    pub fn attachments(mut self, ids: &[&str]) -> Self {
        self.body["attachments"] = json!(ids);
        self
    }

    /// Sends the message and returns the answer, whatever it is.
    pub async fn send(self) -> TestResponse {
        self.app
            .post(&self.path, self.body, Some(&self.sender.access))
            .await
    }

    /// Sends the message and returns it.
    ///
    /// # Panics
    ///
    /// When the API does not answer 201.
    pub async fn post(self) -> Value {
        let response = self.send().await;
        response.assert_status(201);
        response.body
    }
}

/// The `id` string of a JSON object (a job, a quote, …).
pub fn id_of(value: &Value) -> String {
    value["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no id in {value}"))
        .to_owned()
}
