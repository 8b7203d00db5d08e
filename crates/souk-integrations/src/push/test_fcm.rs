//! A fake of FCM HTTP v1 and Google's OAuth token endpoint for tests, strict about what it
//! accepts: it verifies the RS256 assertion with the test public key, the bearer token,
//! the project and the message shape, and answers errors in Google's envelope.
//!
//! Available in this crate's tests and, for other crates, behind the `test-fcm` feature.
//! The key pair in `test_key.pem` / `test_key.pub.pem` exists only for this fake.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use rsa::pkcs1::EncodeRsaPublicKey as _;
use rsa::pkcs8::DecodePublicKey as _;
use serde_json::{Value, json};
use tokio::sync::Notify;
use tokio::task::JoinHandle;

use super::oauth::{FCM_SCOPE, JWT_BEARER};
use super::payload::MAX_REQUEST_BYTES;

/// The project id in [`FakeFcm::credentials_json`].
pub const TEST_PROJECT_ID: &str = "souk-test";
/// The `private_key_id` (JWT `kid`) in [`FakeFcm::credentials_json`].
pub const TEST_KEY_ID: &str = "0b1c5e5f7a9d4c3e8f2a6b1d0c9e8f7a6b5c4d3e";
/// The `client_email` in [`FakeFcm::credentials_json`].
pub const TEST_CLIENT_EMAIL: &str = "souk-push@souk-test.iam.gserviceaccount.com";
/// The private key (PKCS#8 PEM) of the test service account.
pub const TEST_PRIVATE_KEY: &str = include_str!("test_key.pem");
const TEST_PUBLIC_KEY: &str = include_str!("test_key.pub.pem");
/// Lifetime of the access tokens the fake issues, as Google's.
const ACCESS_TOKEN_SECS: u64 = 3599;

/// One send the fake accepted (answered 200).
#[derive(Debug, Clone)]
pub struct ReceivedPush {
    pub token: String,
    pub title: String,
    pub body: String,
    pub data: BTreeMap<String, String>,
    /// The whole request body.
    pub raw: Value,
    pub received_at: Instant,
}

/// A scripted answer to a send: status, JSON body, `Retry-After` seconds.
type Scripted = (u16, Value, Option<u64>);

#[derive(Default)]
struct Log {
    script: VecDeque<Scripted>,
    received: Vec<ReceivedPush>,
    /// Issued access tokens and when they expire.
    tokens: HashMap<String, Instant>,
    token_requests: usize,
    send_attempts: usize,
}

struct Shared {
    token_uri: String,
    public_key: DecodingKey,
    log: Mutex<Log>,
    arrived: Notify,
}

impl Shared {
    fn log(&self) -> MutexGuard<'_, Log> {
        self.log.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The fake FCM + OAuth server on `127.0.0.1`; it stops when dropped.
pub struct FakeFcm {
    /// `http://127.0.0.1:<port>`: pass as `api_base`; the token endpoint is `{base_url}/token`.
    pub base_url: String,
    shared: Arc<Shared>,
    server: JoinHandle<()>,
}

impl std::fmt::Debug for FakeFcm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeFcm")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl FakeFcm {
    /// Starts the fake on a free port of `127.0.0.1`.
    pub async fn start() -> anyhow::Result<Self> {
        let public = rsa::RsaPublicKey::from_public_key_pem(TEST_PUBLIC_KEY)
            .context("test public key")?
            .to_pkcs1_der()
            .context("test public key")?;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let base_url = format!("http://{}", listener.local_addr()?);
        let shared = Arc::new(Shared {
            token_uri: format!("{base_url}/token"),
            public_key: DecodingKey::from_rsa_der(public.as_bytes()),
            log: Mutex::new(Log::default()),
            arrived: Notify::new(),
        });
        let router = Router::new()
            .route("/token", post(token))
            .route("/v1/projects/{project}/{method}", post(send))
            .with_state(Arc::clone(&shared));
        let server = tokio::spawn(async move {
            if let Err(err) = axum::serve(listener, router).await {
                tracing::debug!(error = %err, "fake FCM stopped");
            }
        });
        Ok(Self {
            base_url,
            shared,
            server,
        })
    }

    /// A service-account key file for the test account, its `token_uri` pointing here.
    pub fn credentials_json(&self) -> String {
        json!({
            "type": "service_account",
            "project_id": TEST_PROJECT_ID,
            "private_key_id": TEST_KEY_ID,
            "private_key": TEST_PRIVATE_KEY,
            "client_email": TEST_CLIENT_EMAIL,
            "client_id": "100000000000000000001",
            "auth_uri": "https://accounts.google.com/o/oauth2/auth",
            "token_uri": self.shared.token_uri,
            "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
            "client_x509_cert_url": "https://www.googleapis.com/robot/v1/metadata/x509/souk-push%40souk-test.iam.gserviceaccount.com",
            "universe_domain": "googleapis.com"
        })
        .to_string()
    }

    /// Answers for the next well-formed, authorised sends, in order; 200s afterwards.
    /// A scripted 200 records the push like an unscripted one.
    pub fn script(&self, responses: Vec<(u16, Value, Option<u64>)>) {
        self.shared.log().script.extend(responses);
    }

    /// Accepted sends (answered 200), in arrival order.
    pub fn received(&self) -> Vec<ReceivedPush> {
        self.shared.log().received.clone()
    }

    /// Waits until `n` sends were accepted or `timeout` passed; returns what arrived.
    pub async fn wait_for(&self, n: usize, timeout: Duration) -> Vec<ReceivedPush> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let arrived = self.shared.arrived.notified();
            let received = self.received();
            if received.len() >= n {
                return received;
            }
            if tokio::time::timeout_at(deadline, arrived).await.is_err() {
                return self.received();
            }
        }
    }

    /// Successful token exchanges.
    pub fn token_requests(&self) -> usize {
        self.shared.log().token_requests
    }

    /// Every request to the send endpoint, refused and scripted ones included.
    pub fn send_attempts(&self) -> usize {
        self.shared.log().send_attempts
    }
}

impl Drop for FakeFcm {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// Google's error envelope, e.g. `fcm_error(404, "NOT_FOUND", "Requested entity was not
/// found.", Some("UNREGISTERED"))`.
pub fn fcm_error(code: u16, status: &str, message: &str, error_code: Option<&str>) -> Value {
    let details: Vec<Value> = error_code
        .map(|error_code| {
            json!({
                "@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError",
                "errorCode": error_code
            })
        })
        .into_iter()
        .collect();
    json!({"error": {"code": code, "message": message, "status": status, "details": details}})
}

/// A 400 `INVALID_ARGUMENT` naming the offending field, as Google words it.
pub fn invalid_argument(field: &str, description: &str) -> Value {
    json!({"error": {
        "code": 400,
        "message": description,
        "status": "INVALID_ARGUMENT",
        "details": [
            {"@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError", "errorCode": "INVALID_ARGUMENT"},
            {"@type": "type.googleapis.com/google.rpc.BadRequest",
             "fieldViolations": [{"field": field, "description": description}]}
        ]
    }})
}

fn reply(status: u16, body: Value, retry_after: Option<u64>) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut response = (status, Json(body)).into_response();
    if let Some(seconds) = retry_after {
        response
            .headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
    response
}

fn oauth_error(status: u16, error: &str, description: &str) -> Response {
    reply(
        status,
        json!({"error": error, "error_description": description}),
        None,
    )
}

#[derive(serde::Deserialize)]
struct AssertionClaims {
    scope: String,
    iat: i64,
    exp: i64,
}

async fn token(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    let form_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !form_type {
        return oauth_error(400, "invalid_request", "Expected a form-encoded body.");
    }
    let form: HashMap<String, String> = url::form_urlencoded::parse(&body).into_owned().collect();
    if form.get("grant_type").map(String::as_str) != Some(JWT_BEARER) {
        return oauth_error(400, "unsupported_grant_type", "Invalid grant_type.");
    }
    let Some(assertion) = form.get("assertion") else {
        return oauth_error(
            400,
            "invalid_request",
            "Missing required parameter: assertion",
        );
    };
    if let Err((status, error, description)) = check_assertion(&shared, assertion) {
        return oauth_error(status, error, &description);
    }
    let access_token = format!("ya29.fake-{}", uuid::Uuid::new_v4().simple());
    {
        let mut log = shared.log();
        log.tokens.insert(
            access_token.clone(),
            Instant::now() + Duration::from_secs(ACCESS_TOKEN_SECS),
        );
        log.token_requests += 1;
    }
    reply(
        200,
        json!({"access_token": access_token, "expires_in": ACCESS_TOKEN_SECS, "token_type": "Bearer"}),
        None,
    )
}

/// An OAuth refusal: status, `error`, `error_description`.
type Refusal = (u16, &'static str, String);

fn check_assertion(shared: &Shared, assertion: &str) -> Result<(), Refusal> {
    let bad_signature = || (400, "invalid_grant", "Invalid JWT Signature.".to_owned());
    let header = jsonwebtoken::decode_header(assertion).map_err(|_| bad_signature())?;
    if header.alg != Algorithm::RS256 || header.kid.as_deref() != Some(TEST_KEY_ID) {
        return Err(bad_signature());
    }
    let mut validation = Validation::new(Algorithm::RS256);
    validation.set_audience(&[&shared.token_uri]);
    validation.set_issuer(&[TEST_CLIENT_EMAIL]);
    validation.set_required_spec_claims(&["exp", "iat", "iss", "aud"]);
    validation.leeway = 0;
    let claims =
        jsonwebtoken::decode::<AssertionClaims>(assertion, &shared.public_key, &validation)
            .map_err(|err| match err.kind() {
                jsonwebtoken::errors::ErrorKind::InvalidIssuer => (
                    401,
                    "invalid_client",
                    "The OAuth client was not found.".to_owned(),
                ),
                jsonwebtoken::errors::ErrorKind::InvalidSignature => bad_signature(),
                other => (400, "invalid_grant", format!("Invalid JWT: {other:?}")),
            })?
            .claims;
    if !claims.scope.split(' ').any(|scope| scope == FCM_SCOPE) {
        return Err((400, "invalid_scope", "Missing or invalid scope.".to_owned()));
    }
    let now = chrono::Utc::now().timestamp();
    let lifetime = claims.exp - claims.iat;
    if !(1..=3600).contains(&lifetime) || claims.exp <= now || claims.iat > now + 60 {
        return Err((
            400,
            "invalid_grant",
            "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe."
                .to_owned(),
        ));
    }
    Ok(())
}

async fn send(
    State(shared): State<Arc<Shared>>,
    Path((project, method)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    shared.log().send_attempts += 1;
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    let authorised = bearer.is_some_and(|token| {
        shared
            .log()
            .tokens
            .get(token)
            .is_some_and(|expires| Instant::now() < *expires)
    });
    if !authorised {
        return reply(
            401,
            fcm_error(
                401,
                "UNAUTHENTICATED",
                "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.",
                None,
            ),
            None,
        );
    }
    if project != TEST_PROJECT_ID || method != "messages:send" {
        return reply(
            404,
            fcm_error(404, "NOT_FOUND", "Requested entity was not found.", None),
            None,
        );
    }
    let json_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !json_type {
        return reply(400, invalid_argument("", "Expected a JSON body."), None);
    }
    if body.len() > MAX_REQUEST_BYTES {
        return reply(
            400,
            fcm_error(
                400,
                "INVALID_ARGUMENT",
                "Message is too big",
                Some("INVALID_ARGUMENT"),
            ),
            None,
        );
    }
    let push = match parse_push(&body) {
        Ok(push) => push,
        Err((field, description)) => {
            return reply(400, invalid_argument(&field, &description), None);
        }
    };
    let scripted = shared.log().script.pop_front();
    match scripted {
        Some((status, answer, retry_after)) if status != 200 => reply(status, answer, retry_after),
        scripted => {
            let answer = {
                let mut log = shared.log();
                log.received.push(push);
                let default = json!({"name": format!("projects/{TEST_PROJECT_ID}/messages/{}", log.received.len())});
                scripted.map_or(default, |(_, answer, _)| answer)
            };
            shared.arrived.notify_waiters();
            reply(200, answer, None)
        }
    }
}

type Violation = (String, String);

fn violation(field: &str, description: &str) -> Violation {
    (field.to_owned(), description.to_owned())
}

/// Checks `{message:{token, notification:{title, body}, data:{string:string}, …}}`.
fn parse_push(body: &[u8]) -> Result<ReceivedPush, Violation> {
    let raw: Value = serde_json::from_slice(body)
        .map_err(|_| violation("", "Invalid JSON payload received."))?;
    let top = object(&raw, "")?;
    known_fields(top, "", &["message", "validate_only"])?;
    let message = object(top.get("message").unwrap_or(&Value::Null), "message")?;
    known_fields(
        message,
        "message",
        &[
            "name",
            "data",
            "notification",
            "android",
            "webpush",
            "apns",
            "fcm_options",
            "token",
            "topic",
            "condition",
        ],
    )?;
    let token = string(message.get("token"), "message.token")?;
    if token.is_empty() {
        return Err(violation(
            "message.token",
            "The registration token is not a valid FCM registration token",
        ));
    }
    let notification = object(
        message.get("notification").unwrap_or(&Value::Null),
        "message.notification",
    )?;
    known_fields(
        notification,
        "message.notification",
        &["title", "body", "image"],
    )?;
    let title = string(notification.get("title"), "message.notification.title")?;
    let text = string(notification.get("body"), "message.notification.body")?;
    let mut data = BTreeMap::new();
    if let Some(value) = message.get("data") {
        for (key, value) in object(value, "message.data")? {
            let value = string(Some(value), &format!("message.data[{key}].value"))?;
            data.insert(key.clone(), value);
        }
    }
    if let Some(android) = message.get("android") {
        let android = object(android, "message.android")?;
        if let Some(priority) = android.get("priority") {
            let priority = string(Some(priority), "message.android.priority")?;
            if !matches!(priority.to_ascii_lowercase().as_str(), "high" | "normal") {
                return Err(violation("message.android.priority", "Invalid value"));
            }
        }
    }
    if let Some(apns) = message.get("apns") {
        let apns = object(apns, "message.apns")?;
        if let Some(headers) = apns.get("headers") {
            for (name, value) in object(headers, "message.apns.headers")? {
                string(Some(value), &format!("message.apns.headers[{name}].value"))?;
            }
        }
    }
    Ok(ReceivedPush {
        token,
        title,
        body: text,
        data,
        raw,
        received_at: Instant::now(),
    })
}

fn object<'a>(
    value: &'a Value,
    field: &str,
) -> Result<&'a serde_json::Map<String, Value>, Violation> {
    value.as_object().ok_or_else(|| {
        violation(
            field,
            &format!("Invalid value at '{field}': expected an object"),
        )
    })
}

fn string(value: Option<&Value>, field: &str) -> Result<String, Violation> {
    value
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or_else(|| violation(field, &format!("Invalid value at '{field}' (TYPE_STRING)")))
}

fn known_fields(
    object: &serde_json::Map<String, Value>,
    at: &str,
    known: &[&str],
) -> Result<(), Violation> {
    match object.keys().find(|key| !known.contains(&key.as_str())) {
        Some(unknown) => Err(violation(
            at,
            &format!(
                "Invalid JSON payload received. Unknown name \"{unknown}\" at '{at}': Cannot find field."
            ),
        )),
        None => Ok(()),
    }
}
