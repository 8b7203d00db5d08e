//! The test harness: a fresh app and database per test, request helpers and
//! account factories; the marketplace fixtures are in [`builders`].
#![allow(dead_code, clippy::unwrap_used)]

pub mod builders;
pub mod socketio;
pub use builders::{
    ContractBuilder, DirectBuilder, JobBuilder, MessageBuilder, QuoteBuilder, id_of,
};

use std::{io::Cursor, path::PathBuf, sync::Arc, time::Duration};

use axum::{
    Router,
    body::Body,
    http::{HeaderMap, Method, Request, StatusCode, header},
};
use http_body_util::BodyExt;
use sea_orm::{ConnectionTrait, Database};
use serde_json::{Value, json};
use souk_api::{ApiConfig, AppState, RateLimitConfig, RealtimeConfig, build_router};
use souk_core::{
    Core, Settings,
    accounts::{PasswordHasher, Role},
    admin::users::ensure_staff_account,
    outbox::dispatcher,
};
use souk_db::Db;
use souk_integrations::{
    mail::{FileMailer, Mailer, SmtpMailer},
    storage::storage_from_url,
};
use tokio::sync::watch;
use tower::ServiceExt;
use uuid::Uuid;

/// Options for a test app.
#[derive(Default)]
pub struct Options {
    /// Rate limits (disabled when `None`).
    pub rate_limits: Option<RateLimitConfig>,
    /// Deliver mail over SMTP to this URL instead of the mail folder.
    pub smtp_url: Option<String>,
    /// Stripe credentials (and the local server speaking its protocol).
    pub stripe: Option<souk_core::settings::StripeSettings>,
    /// Fawry credentials (and the local server speaking its protocol).
    pub fawry: Option<souk_core::settings::FawrySettings>,
    /// `PAYMENTS_SANDBOX` (on when `None`, as with no real gateway).
    pub payments_sandbox: Option<bool>,
    /// `TRUST_PROXY` (with the default `TRUSTED_PROXIES`).
    pub trust_proxy: bool,
    /// No outbox dispatcher in the background: every statement the app
    /// sends is then one a request sent (statement budgets), and outbox rows
    /// stay as written.
    pub quiet: bool,
    /// The Socket.IO endpoint's settings (Redis for several nodes).
    pub realtime: Option<RealtimeConfig>,
    /// Each user's budget of chat messages (30 per 10 s when `None`).
    pub chat_send_rate: Option<souk_core::settings::SendRate>,
    /// Push through FCM: (service-account JSON, API base) of a fake server.
    pub fcm: Option<(String, String)>,
    /// Webhooks may not POST to loopback (otherwise allowed, for local
    /// receivers).
    pub strict_outbound: bool,
    /// Answer AI calls through an OpenAI-compatible server (a fake's config).
    pub llm: Option<souk_integrations::llm::LlmConfig>,
}

impl Options {
    /// Rate limits on: `auth_per_minute` logins (and the like) per minute,
    /// a generous general budget.
    pub fn auth_limited(auth_per_minute: u32) -> Self {
        Self {
            rate_limits: Some(RateLimitConfig {
                enabled: true,
                per_minute: 1000,
                auth_per_minute,
            }),
            ..Self::default()
        }
    }
}

/// One application with its own database and data folder.
pub struct TestApp {
    pub router: Router,
    pub core: Core,
    pub openapi: utoipa::openapi::OpenApi,
    pub data_dir: PathBuf,
    /// The database this app runs on.
    pub db_url: String,
    stop: watch::Sender<bool>,
    _tmp: tempfile::TempDir,
    pg: Option<(String, String)>,
}

/// A response, with its body parsed as JSON when it is JSON.
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
    pub bytes: Vec<u8>,
}

impl TestResponse {
    /// Asserts the status and the error code of an error envelope.
    #[track_caller]
    pub fn assert_error(&self, status: u16, code: &str) -> &Self {
        assert_eq!(self.status.as_u16(), status, "body: {}", self.body);
        assert_eq!(self.body["code"], code, "body: {}", self.body);
        assert!(
            self.body["message"].as_str().is_some_and(|m| !m.is_empty()),
            "body: {}",
            self.body
        );
        self
    }

    /// Asserts a status.
    #[track_caller]
    pub fn assert_status(&self, status: u16) -> &Self {
        assert_eq!(self.status.as_u16(), status, "body: {}", self.body);
        self
    }

    /// A string field of the body.
    pub fn str(&self, pointer: &str) -> String {
        self.body
            .pointer(pointer)
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("no string at {pointer} in {}", self.body))
            .to_owned()
    }
}

/// A signed-in account.
#[derive(Clone, Debug)]
pub struct Account {
    pub id: String,
    pub email: String,
    pub password: String,
    pub access: String,
    pub refresh: String,
}

pub const PASSWORD: &str = "Sturdy-pass-42";

impl TestApp {
    /// A default app: rate limits off, mail to files.
    pub async fn spawn() -> Self {
        Self::with(Options::default()).await
    }

    /// An app with options.
    pub async fn with(options: Options) -> Self {
        Self::build(options, None).await
    }

    /// A second server node on the same database (PostgreSQL only: SQLite is
    /// single-node). `None` on SQLite.
    pub async fn another_node(&self) -> Option<Self> {
        self.another_node_with(Options::default()).await
    }

    /// [`Self::another_node`] with options.
    pub async fn another_node_with(&self, options: Options) -> Option<Self> {
        self.pg.as_ref()?;
        Some(Self::build(options, Some(self.db_url.clone())).await)
    }

    async fn build(options: Options, existing: Option<String>) -> Self {
        let tmp = tempfile::tempdir().unwrap();
        let data_dir = tmp.path().to_path_buf();
        let (url, pg) = match std::env::var("SOUK_TEST_DATABASE_URL") {
            _ if existing.is_some() => (existing.unwrap_or_default(), None),
            Ok(admin_url) if admin_url.starts_with("postgres") => {
                let name = format!("souk_t_{}", Uuid::new_v4().simple());
                let admin = Database::connect(&admin_url).await.unwrap();
                admin
                    .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
                    .await
                    .unwrap();
                admin.close().await.unwrap();
                let mut url = url::Url::parse(&admin_url).unwrap();
                url.set_path(&format!("/{name}"));
                (url.to_string(), Some((admin_url, name)))
            }
            _ => (
                format!("sqlite://{}/souk.db?mode=rwc", data_dir.display()),
                None,
            ),
        };
        let db = Db::connect(&url, 8).await.unwrap();
        // Let the change listener start (PostgreSQL), as a real node would
        // before taking traffic.
        for _ in 0..100 {
            if db.write_generation().is_some() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        db.migrate().await.unwrap();
        souk_core::catalog::seed_default_services(&db)
            .await
            .unwrap();
        let mut settings = Settings::new(
            b"test-secret-test-secret-test-secret!".to_vec(),
            "http://souk.test".into(),
            data_dir.clone(),
        );
        settings.stripe = options.stripe.clone();
        settings.fawry = options.fawry.clone();
        settings.payments_sandbox = options.payments_sandbox.unwrap_or(true);
        settings.delivery.webhooks_allow_loopback = !options.strict_outbound;
        if let Some(rate) = options.chat_send_rate {
            settings.chat_send_rate = rate;
        }
        let mailer: Arc<dyn Mailer> = match &options.smtp_url {
            Some(url) => Arc::new(SmtpMailer::from_url(url, "Souk <no-reply@souk.test>").unwrap()),
            None => Arc::new(FileMailer::new(
                data_dir.join("mail"),
                "Souk <no-reply@souk.test>",
            )),
        };
        let storage = storage_from_url(None, &data_dir.join("uploads")).unwrap();
        // Light argon2 parameters keep the suite fast; the code path is the real one.
        let mut core = Core::new(
            db,
            settings,
            mailer,
            storage,
            PasswordHasher::with_params(256, 1),
        );
        if let Some((credentials, base)) = &options.fcm {
            core.pusher = Arc::new(
                souk_integrations::push::FcmPusher::from_credentials(credentials, Some(base))
                    .unwrap(),
            );
        }
        if let Some(llm) = &options.llm {
            core.ai = Arc::new(souk_core::ai::runtime::AiRuntime::with_llm(Arc::new(
                souk_integrations::llm::OpenAiCompatible::new(llm.clone()).unwrap(),
            )));
        }
        let config = ApiConfig {
            rate_limits: options.rate_limits.unwrap_or(RateLimitConfig {
                enabled: false,
                ..RateLimitConfig::default()
            }),
            support_email: "support@souk.test".into(),
            trust_proxy: options.trust_proxy,
            realtime: options.realtime.clone().unwrap_or_default(),
            ..ApiConfig::default()
        };
        let (router, openapi) = build_router(AppState::new(core.clone(), config))
            .await
            .unwrap();
        let (stop, stop_rx) = watch::channel(false);
        if !options.quiet {
            tokio::spawn(dispatcher::run(core.clone(), stop_rx));
        }
        Self {
            router,
            core,
            openapi,
            data_dir,
            db_url: url,
            stop,
            _tmp: tmp,
            pg,
        }
    }

    /// Serves the app on a real loopback port (as `souk serve` does), for
    /// tests of what happens on the connection itself.
    pub async fn serve_on_port(&self) -> std::net::SocketAddr {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let router = self.router.clone();
        tokio::spawn(souk_api::serve::serve(
            listener,
            router,
            std::future::pending(),
        ));
        address
    }

    /// Statements the app has sent to its database so far (every pool and
    /// transaction of its `Db` handle).
    pub fn statements(&self) -> u64 {
        self.core.db.statements()
    }

    /// Sends a request.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
        token: Option<&str>,
        headers: &[(&str, &str)],
    ) -> TestResponse {
        let mut builder = Request::builder().method(method).uri(path);
        if let Some(token) = token {
            builder = builder.header(header::AUTHORIZATION, format!("Bearer {token}"));
        }
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        let request = match body {
            Some(body) => builder
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from(body.to_string()))
                .unwrap(),
            None => builder.body(Body::empty()).unwrap(),
        };
        self.send(request).await
    }

    /// Sends a prepared request.
    pub async fn send(&self, request: Request<Body>) -> TestResponse {
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .unwrap()
            .to_bytes()
            .to_vec();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        TestResponse {
            status,
            headers,
            body,
            bytes,
        }
    }

    pub async fn get(&self, path: &str, token: Option<&str>) -> TestResponse {
        self.call(Method::GET, path, None, token, &[]).await
    }

    pub async fn post(&self, path: &str, body: Value, token: Option<&str>) -> TestResponse {
        self.call(Method::POST, path, Some(body), token, &[]).await
    }

    pub async fn put(&self, path: &str, body: Value, token: Option<&str>) -> TestResponse {
        self.call(Method::PUT, path, Some(body), token, &[]).await
    }

    pub async fn patch(&self, path: &str, body: Value, token: Option<&str>) -> TestResponse {
        self.call(Method::PATCH, path, Some(body), token, &[]).await
    }

    pub async fn delete(&self, path: &str, token: Option<&str>) -> TestResponse {
        self.call(Method::DELETE, path, None, token, &[]).await
    }

    /// A POST with extra headers (e.g. `Idempotency-Key`).
    pub async fn post_with(
        &self,
        path: &str,
        body: Value,
        token: Option<&str>,
        headers: &[(&str, &str)],
    ) -> TestResponse {
        self.call(Method::POST, path, Some(body), token, headers)
            .await
    }

    /// POSTs a multipart body built by [`multipart`] or [`multipart_text`].
    pub async fn post_multipart(
        &self,
        path: &str,
        body: Vec<u8>,
        token: Option<&str>,
    ) -> TestResponse {
        let mut builder = Request::builder().method("POST").uri(path).header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        );
        if let Some(token) = token {
            builder = builder.header("authorization", format!("Bearer {token}"));
        }
        self.send(builder.body(Body::from(body)).expect("a request"))
            .await
    }

    /// Tops a wallet up through the sandbox gateway: starts the payment,
    /// then plays the customer paying it. Returns the settled payment.
    pub async fn top_up(&self, who: &Account, amount: i64) -> TestResponse {
        let started = self
            .post(
                "/api/wallet/top-up",
                json!({"amount": amount}),
                Some(&who.access),
            )
            .await;
        started.assert_status(201);
        let paid = self
            .post(
                &format!(
                    "/api/payments/sandbox/{}/complete",
                    started.str("/paymentId")
                ),
                json!({}),
                Some(&who.access),
            )
            .await;
        paid.assert_status(200);
        assert_eq!(paid.body["status"], "succeeded", "{}", paid.body);
        paid
    }

    /// The caller's wallet balance.
    pub async fn balance(&self, who: &Account) -> Value {
        let response = self.get("/api/wallet/balance", Some(&who.access)).await;
        response.assert_status(200);
        response.body
    }

    /// Registers a member with a unique email and signs in.
    pub async fn register(&self, role: &str) -> Account {
        let email = format!("{role}-{}@example.com", Uuid::new_v4().simple());
        self.register_with(json!({
            "email": email, "password": PASSWORD, "role": role,
            "firstName": "Test", "lastName": role,
        }))
        .await
    }

    /// Registers with a custom body (must succeed).
    pub async fn register_with(&self, body: Value) -> Account {
        let response = self.post("/api/auth/register", body.clone(), None).await;
        response.assert_status(201);
        Account {
            id: response.str("/user/id"),
            email: response.str("/user/email"),
            password: body["password"].as_str().unwrap().to_owned(),
            access: response.str("/accessToken"),
            refresh: response.str("/refreshToken"),
        }
    }

    /// Creates a staff account directly and signs it in through the admin door.
    pub async fn staff(&self, role: Role) -> Account {
        let email = format!("{}-{}@souk.test", role.as_str(), Uuid::new_v4().simple());
        let user = ensure_staff_account(&self.core, &email, PASSWORD, role)
            .await
            .unwrap();
        let response = self
            .post(
                "/api/auth/login",
                json!({"loginIdentifier": email, "password": PASSWORD, "type": "admins"}),
                None,
            )
            .await;
        response.assert_status(200);
        Account {
            id: user.id.to_string(),
            email,
            password: PASSWORD.into(),
            access: response.str("/accessToken"),
            refresh: response.str("/refreshToken"),
        }
    }

    /// Waits for a mail to `to` in the mail folder and returns it, decoded.
    pub async fn wait_for_mail(&self, to: &str) -> String {
        let dir = self.data_dir.join("mail");
        for _ in 0..100 {
            if let Ok(entries) = std::fs::read_dir(&dir) {
                for entry in entries.flatten() {
                    let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
                    if text.contains(to) {
                        return decode_quoted_printable(&text);
                    }
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("no mail to {to} arrived");
    }
}

/// Undoes quoted-printable soft breaks and `=3D`, enough to read links.
pub fn decode_quoted_printable(text: &str) -> String {
    text.replace("=\r\n", "")
        .replace("=\n", "")
        .replace("=3D", "=")
}

/// The value of `name=` in a mail's link (up to the first non-token char).
pub fn token_after(text: &str, marker: &str) -> String {
    let start = text
        .find(marker)
        .unwrap_or_else(|| panic!("no {marker} in {text}"))
        + marker.len();
    text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

/// The first 6-digit run after `marker`.
pub fn code_after(text: &str, marker: &str) -> String {
    let start = text
        .find(marker)
        .unwrap_or_else(|| panic!("no {marker} in {text}"))
        + marker.len();
    text[start..]
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take(6)
        .collect()
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
        if let Some((admin_url, name)) = self.pg.take() {
            // Drop the per-test database from a fresh runtime on a plain thread.
            let _ = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                runtime.block_on(async move {
                    if let Ok(admin) = Database::connect(&admin_url).await {
                        let _ = admin
                            .execute_unprepared(&format!(
                                "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                            ))
                            .await;
                        let _ = admin.close().await;
                    }
                });
            })
            .join();
        }
    }
}

/// Signs in through `POST /api/auth/login`.
pub async fn login(app: &TestApp, email: &str, password: &str, kind: &str) -> TestResponse {
    app.post(
        "/api/auth/login",
        json!({"loginIdentifier": email, "password": password, "type": kind}),
        None,
    )
    .await
}

pub const BOUNDARY: &str = "souk-test-boundary-7MA4YWxkTrZu0gW";

/// True when `key` appears as an object key anywhere in `value`.
pub fn has_key_anywhere(value: &Value, key: &str) -> bool {
    match value {
        Value::Object(map) => map
            .iter()
            .any(|(k, v)| k == key || has_key_anywhere(v, key)),
        Value::Array(items) => items.iter().any(|v| has_key_anywhere(v, key)),
        _ => false,
    }
}

/// A generated PNG of the given size (a gradient, so it is not trivially flat).
pub fn png(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, ((x + y) % 256) as u8])
    });
    let mut buf = Vec::new();
    image::DynamicImage::ImageRgb8(img)
        .write_to(&mut Cursor::new(&mut buf), image::ImageFormat::Png)
        .unwrap();
    buf
}

/// A multipart body with one file part.
pub fn multipart(field: &str, filename: &str, content_type: &str, bytes: &[u8]) -> Vec<u8> {
    let mut body = Vec::with_capacity(bytes.len() + 256);
    body.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{filename}\"\r\nContent-Type: {content_type}\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}

/// A multipart body with only a text part.
pub fn multipart_text(field: &str, text: &str) -> Vec<u8> {
    format!(
        "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{field}\"\r\n\r\n{text}\r\n--{BOUNDARY}--\r\n"
    )
    .into_bytes()
}

pub async fn put_avatar(app: &TestApp, token: Option<&str>, body: Vec<u8>) -> TestResponse {
    let mut builder = Request::builder()
        .method("PUT")
        .uri("/api/users/me/avatar")
        .header(
            "content-type",
            format!("multipart/form-data; boundary={BOUNDARY}"),
        );
    if let Some(token) = token {
        builder = builder.header("authorization", format!("Bearer {token}"));
    }
    app.send(builder.body(Body::from(body)).unwrap()).await
}

/// 6 MB of noise behind a PNG signature: over every upload limit.
pub fn oversized_png() -> Vec<u8> {
    let mut big = Vec::with_capacity(6 * 1024 * 1024);
    big.extend_from_slice(&[0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n']);
    let mut state: u32 = 0x1234_5678;
    while big.len() < 6 * 1024 * 1024 {
        state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        big.push((state >> 24) as u8);
    }
    big
}
