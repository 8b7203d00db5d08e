//! A fake OpenAI-compatible service for tests: scripted `/v1/chat/completions` answers and
//! deterministic `/v1/embeddings` (a hashed bag of words, so texts sharing words are close).
//!
//! Available in this crate's tests and, for other crates, behind the `test-llm` feature.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde_json::{Value, json};
use tokio::task::JoinHandle;

use super::LlmConfig;

/// Length of the fake's embedding vectors.
pub const EMBEDDING_DIMS: usize = 64;
/// The embeddings model [`FakeLlm::config`] names.
pub const EMBEDDINGS_MODEL: &str = "fake-embeddings";
/// Words too common to carry meaning; left out of the fake embeddings.
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "at", "be", "for", "i", "in", "is", "it", "me", "my", "of", "on",
    "or", "the", "to", "we", "with", "you",
];

/// How the fake answers one `/chat/completions` request.
#[derive(Debug, Clone, PartialEq)]
pub enum Script {
    /// An assistant text, `finish_reason: "stop"`.
    Text(String),
    /// Tool calls `(name, arguments)`, ids `call_1`, `call_2`, … counted over the fake's
    /// life, `finish_reason: "tool_calls"`.
    ToolCalls(Vec<(String, Value)>),
    /// 200 with the body `not json{`.
    Malformed,
    /// That status with an OpenAI error envelope.
    Status(u16),
    /// Waits, then answers as the inner script.
    Delay(Duration, Box<Script>),
    /// OpenAI's `message.refusal` with this text.
    Refusal(String),
}

struct Log {
    queue: VecDeque<Script>,
    default: Script,
    requests: Vec<Value>,
    calls_made: u64,
    completions: u64,
}

struct Shared {
    api_key: String,
    log: Mutex<Log>,
}

impl Shared {
    fn log(&self) -> MutexGuard<'_, Log> {
        self.log.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The fake service on `127.0.0.1`; it stops when dropped.
pub struct FakeLlm {
    /// `http://127.0.0.1:<port>/v1`.
    pub base_url: String,
    shared: Arc<Shared>,
    server: JoinHandle<()>,
}

impl std::fmt::Debug for FakeLlm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FakeLlm")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl FakeLlm {
    /// Starts the fake on a free port of `127.0.0.1`; requests must carry
    /// `Authorization: Bearer <api_key>` or get a 401. Panics if no port can be bound.
    pub async fn start(api_key: &str) -> FakeLlm {
        let listener = match tokio::net::TcpListener::bind("127.0.0.1:0").await {
            Ok(listener) => listener,
            Err(err) => panic!("fake LLM: cannot bind 127.0.0.1:0: {err}"),
        };
        let address = match listener.local_addr() {
            Ok(address) => address,
            Err(err) => panic!("fake LLM: no local address: {err}"),
        };
        let shared = Arc::new(Shared {
            api_key: api_key.to_owned(),
            log: Mutex::new(Log {
                queue: VecDeque::new(),
                default: Script::Text("ok".to_owned()),
                requests: Vec::new(),
                calls_made: 0,
                completions: 0,
            }),
        });
        let router = Router::new()
            .route("/v1/chat/completions", post(chat))
            .route("/v1/embeddings", post(embeddings))
            .with_state(Arc::clone(&shared));
        let server = tokio::spawn(async move {
            if let Err(err) = axum::serve(listener, router).await {
                tracing::debug!(error = %err, "fake LLM stopped");
            }
        });
        FakeLlm {
            base_url: format!("http://{address}/v1"),
            shared,
            server,
        }
    }

    /// Queues the answer to a later authorised, well-formed `/chat/completions` request
    /// (first in, first out).
    pub fn push(&self, script: Script) {
        self.shared.log().queue.push_back(script);
    }

    /// The answer when the queue is empty; initially `Text("ok")`.
    pub fn set_default(&self, script: Script) {
        self.shared.log().default = script;
    }

    /// Every `/chat/completions` request body received, in order, refused ones included
    /// (a body that is not JSON is kept as a JSON string).
    pub fn requests(&self) -> Vec<Value> {
        self.shared.log().requests.clone()
    }

    /// A configuration for this fake: its URL and key, `model`, [`EMBEDDINGS_MODEL`].
    pub fn config(&self, model: &str, timeout: Duration) -> LlmConfig {
        LlmConfig {
            base_url: self.base_url.clone(),
            api_key: self.shared.api_key.clone(),
            model: model.to_owned(),
            embeddings_model: Some(EMBEDDINGS_MODEL.to_owned()),
            timeout,
        }
    }
}

impl Drop for FakeLlm {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// The fake's embedding of `text`: lower-cased words (stop words left out) hashed with a
/// sign into [`EMBEDDING_DIMS`] buckets, L2-normalised; all zeros when no word is left.
pub fn embed_text(text: &str) -> Vec<f32> {
    let mut vector = vec![0.0_f32; EMBEDDING_DIMS];
    for word in words(text) {
        if STOP_WORDS.contains(&word.as_str()) {
            continue;
        }
        let hash = fnv1a(word.as_bytes());
        let bucket = usize::try_from(hash % 64).unwrap_or(0);
        let sign = if (hash >> 32) & 1 == 0 { 1.0 } else { -1.0 };
        if let Some(slot) = vector.get_mut(bucket) {
            *slot += sign;
        }
    }
    let norm = vector.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        for x in &mut vector {
            *x /= norm;
        }
    }
    vector
}

fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
}

fn word_count(text: &str) -> u64 {
    u64::try_from(words(text).count()).unwrap_or(u64::MAX)
}

fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

fn openai_error(status: StatusCode, message: &str, kind: &str, code: Option<&str>) -> Response {
    let body = json!({"error": {"message": message, "type": kind, "param": null, "code": code}});
    (status, Json(body)).into_response()
}

fn authorised(shared: &Shared, headers: &HeaderMap) -> bool {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    bearer == Some(shared.api_key.as_str())
}

fn unauthorised() -> Response {
    openai_error(
        StatusCode::UNAUTHORIZED,
        "Incorrect API key provided.",
        "invalid_request_error",
        Some("invalid_api_key"),
    )
}

fn bad_request(message: &str) -> Response {
    openai_error(
        StatusCode::BAD_REQUEST,
        message,
        "invalid_request_error",
        None,
    )
}

/// What a real service would refuse: no model, no messages, odd roles, badly formed tools.
fn check_chat(request: &Value) -> Result<(), String> {
    if request.get("model").and_then(Value::as_str).is_none() {
        return Err("you must provide a model parameter".to_owned());
    }
    let messages = request
        .get("messages")
        .and_then(Value::as_array)
        .filter(|messages| !messages.is_empty())
        .ok_or("'messages' must be a non-empty array")?;
    for message in messages {
        let role = message.get("role").and_then(Value::as_str).unwrap_or("");
        if !matches!(role, "system" | "user" | "assistant" | "tool") {
            return Err(format!("invalid role {role:?}"));
        }
        if role == "tool"
            && message
                .get("tool_call_id")
                .and_then(Value::as_str)
                .is_none()
        {
            return Err("a tool message needs tool_call_id".to_owned());
        }
        for call in message
            .get("tool_calls")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            let arguments = call.pointer("/function/arguments").and_then(Value::as_str);
            if arguments.is_none_or(|text| serde_json::from_str::<Value>(text).is_err()) {
                return Err("tool call arguments must be JSON text".to_owned());
            }
        }
    }
    match request.get("tools") {
        None => {
            if request.get("tool_choice").is_some() {
                return Err("tool_choice is only allowed when tools are given".to_owned());
            }
        }
        Some(tools) => {
            let tools = tools
                .as_array()
                .filter(|tools| !tools.is_empty())
                .ok_or("'tools' must be a non-empty array")?;
            for tool in tools {
                let named = tool.pointer("/function/name").and_then(Value::as_str);
                if tool.get("type").and_then(Value::as_str) != Some("function") || named.is_none() {
                    return Err(
                        "each tool must be {type: function, function: {name, …}}".to_owned()
                    );
                }
            }
        }
    }
    Ok(())
}

async fn chat(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> Response {
    let request: Value = serde_json::from_slice(&body)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&body).into_owned()));
    shared.log().requests.push(request.clone());
    if !authorised(&shared, &headers) {
        return unauthorised();
    }
    if let Err(message) = check_chat(&request) {
        return bad_request(&message);
    }
    let mut script = {
        let mut log = shared.log();
        let next = log.queue.pop_front();
        next.unwrap_or_else(|| log.default.clone())
    };
    while let Script::Delay(delay, inner) = script {
        tokio::time::sleep(delay).await;
        script = *inner;
    }
    let prompt_tokens = prompt_words(&request);
    let model = request.get("model").cloned().unwrap_or(Value::Null);
    let (message, finish_reason) = match script {
        Script::Text(text) => (json!({"role": "assistant", "content": text}), "stop"),
        Script::Refusal(text) => (
            json!({"role": "assistant", "content": null, "refusal": text}),
            "stop",
        ),
        Script::ToolCalls(calls) => {
            let calls: Vec<Value> = {
                let mut log = shared.log();
                calls
                    .into_iter()
                    .map(|(name, arguments)| {
                        log.calls_made += 1;
                        json!({
                            "id": format!("call_{}", log.calls_made),
                            "type": "function",
                            "function": {"name": name, "arguments": arguments.to_string()}
                        })
                    })
                    .collect()
            };
            (
                json!({"role": "assistant", "content": null, "tool_calls": calls}),
                "tool_calls",
            )
        }
        Script::Malformed => {
            return (
                StatusCode::OK,
                [(header::CONTENT_TYPE, "application/json")],
                "not json{",
            )
                .into_response();
        }
        Script::Status(code) => {
            let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            return openai_error(status, "scripted failure", "server_error", None);
        }
        // Unwrapped by the loop above.
        Script::Delay(..) => return bad_request("unreachable"),
    };
    let completion_tokens = reply_words(&message);
    let id = {
        let mut log = shared.log();
        log.completions += 1;
        format!("chatcmpl-fake{}", log.completions)
    };
    Json(json!({
        "id": id,
        "object": "chat.completion",
        "created": chrono::Utc::now().timestamp(),
        "model": model,
        "choices": [{"index": 0, "message": message, "finish_reason": finish_reason}],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens.saturating_add(completion_tokens)
        }
    }))
    .into_response()
}

/// Words in every message's text: the fake's token count.
fn prompt_words(request: &Value) -> u64 {
    request
        .get("messages")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter_map(|message| message.get("content").and_then(Value::as_str))
        .map(word_count)
        .sum()
}

/// Words in a reply's text or tool-call arguments (at least 1).
fn reply_words(message: &Value) -> u64 {
    let text = message.get("content").and_then(Value::as_str).unwrap_or("");
    let calls: u64 = message
        .get("tool_calls")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default()
        .iter()
        .filter_map(|call| call.get("function"))
        .map(|function| word_count(&function.to_string()))
        .sum();
    (word_count(text) + calls).max(1)
}

async fn embeddings(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if !authorised(&shared, &headers) {
        return unauthorised();
    }
    let Ok(request) = serde_json::from_slice::<Value>(&body) else {
        return bad_request("We could not parse the JSON body of your request.");
    };
    let Some(model) = request.get("model").and_then(Value::as_str) else {
        return bad_request("you must provide a model parameter");
    };
    let inputs: Vec<&str> = match request.get("input") {
        Some(Value::String(text)) => vec![text.as_str()],
        Some(Value::Array(items)) if !items.is_empty() => {
            let texts: Vec<&str> = items.iter().filter_map(Value::as_str).collect();
            if texts.len() != items.len() {
                return bad_request("'input' must be a string or an array of strings");
            }
            texts
        }
        _ => return bad_request("'input' must be a string or a non-empty array of strings"),
    };
    let data: Vec<Value> = inputs
        .iter()
        .enumerate()
        .map(|(index, text)| json!({"object": "embedding", "index": index, "embedding": embed_text(text)}))
        .collect();
    let tokens: u64 = inputs.iter().map(|text| word_count(text)).sum();
    Json(json!({
        "object": "list",
        "data": data,
        "model": model,
        "usage": {"prompt_tokens": tokens, "total_tokens": tokens}
    }))
    .into_response()
}
