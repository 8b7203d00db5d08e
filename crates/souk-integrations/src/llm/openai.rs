//! [`OpenAiCompatible`]: the [`ChatModel`] for any `/chat/completions` + `/embeddings`
//! service, each request bounded by the configured timeout and its answer by 1 MiB.

use std::time::{Duration, Instant};

use async_trait::async_trait;
use serde_json::Value;

use super::{
    ChatModel, Completion, Embeddings, LlmConfig, LlmError, Message, Tool, reply, request,
};

/// Answers larger than this are refused as malformed.
const MAX_REPLY_BYTES: usize = 1024 * 1024;
/// Bytes read from an error answer: enough for 500 characters of any UTF-8.
const ERROR_READ_BYTES: usize = 2000;
const USER_AGENT: &str = "Souk-LLM/1";

/// A chat (and optionally embeddings) model behind an OpenAI-compatible HTTP API.
pub struct OpenAiCompatible {
    http: reqwest::Client,
    chat_url: String,
    embeddings_url: String,
    api_key: String,
    model: String,
    embeddings_model: Option<String>,
    timeout: Duration,
}

impl std::fmt::Debug for OpenAiCompatible {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpenAiCompatible")
            .field("chat_url", &self.chat_url)
            .field("model", &self.model)
            .field("embeddings_model", &self.embeddings_model)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl OpenAiCompatible {
    /// Checks the configuration (an http(s) base URL, a model name) and builds the client.
    /// Configuration mistakes are [`LlmError::Malformed`].
    pub fn new(config: LlmConfig) -> Result<Self, LlmError> {
        let base = config.base_url.trim().trim_end_matches('/');
        let parsed = url::Url::parse(base)
            .map_err(|_| LlmError::Malformed(format!("the LLM base URL is not a URL: {base}")))?;
        if !matches!(parsed.scheme(), "http" | "https") || parsed.host().is_none() {
            return Err(LlmError::Malformed(format!(
                "the LLM base URL must be http(s)://host/…: {base}"
            )));
        }
        let model = config.model.trim().to_owned();
        if model.is_empty() {
            return Err(LlmError::Malformed("no chat model configured".to_owned()));
        }
        let http = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.timeout)
            // A redirect could carry the bearer token elsewhere; an API never needs one.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(USER_AGENT)
            .build()
            .map_err(|err| {
                LlmError::Transport(format!("cannot build the HTTP client: {}", describe(&err)))
            })?;
        Ok(Self {
            http,
            chat_url: format!("{base}/chat/completions"),
            embeddings_url: format!("{base}/embeddings"),
            api_key: config.api_key.trim().to_owned(),
            model,
            embeddings_model: config
                .embeddings_model
                .map(|name| name.trim().to_owned())
                .filter(|name| !name.is_empty()),
            timeout: config.timeout,
        })
    }

    /// POSTs `body` and returns the 2xx answer's bytes, all within the timeout.
    async fn post(&self, url: &str, body: &Value) -> Result<Vec<u8>, LlmError> {
        tokio::time::timeout(self.timeout, self.exchange(url, body))
            .await
            .unwrap_or(Err(LlmError::Timeout))
    }

    async fn exchange(&self, url: &str, body: &Value) -> Result<Vec<u8>, LlmError> {
        let mut request = self.http.post(url).json(body);
        if !self.api_key.is_empty() {
            request = request.bearer_auth(&self.api_key);
        }
        let mut response = request.send().await.map_err(|err| transport(&err))?;
        let status = response.status();
        if !status.is_success() {
            let bytes = read_capped(&mut response, ERROR_READ_BYTES, false).await?;
            let text = reply::excerpt(&String::from_utf8_lossy(&bytes));
            return Err(LlmError::Status {
                status: status.as_u16(),
                body: self.redact(text),
            });
        }
        if response
            .content_length()
            .is_some_and(|length| length > u64::try_from(MAX_REPLY_BYTES).unwrap_or(u64::MAX))
        {
            return Err(too_big());
        }
        read_capped(&mut response, MAX_REPLY_BYTES, true).await
    }

    /// `text` without the API key, should a service echo it.
    fn redact(&self, text: String) -> String {
        if self.api_key.len() >= 8 && text.contains(&self.api_key) {
            text.replace(&self.api_key, "[redacted]")
        } else {
            text
        }
    }
}

#[async_trait]
impl ChatModel for OpenAiCompatible {
    async fn complete(&self, messages: &[Message], tools: &[Tool]) -> Result<Completion, LlmError> {
        let started = Instant::now();
        let body = request::chat(&self.model, messages, tools);
        let outcome = match self.post(&self.chat_url, &body).await {
            Ok(bytes) => reply::completion(&bytes),
            Err(err) => Err(err),
        };
        match &outcome {
            Ok(completion) => tracing::debug!(
                model = %self.model,
                messages = messages.len(),
                tools = tools.len(),
                tool_calls = completion.message.tool_calls.len(),
                finish_reason = completion.finish_reason.as_deref().unwrap_or(""),
                prompt_tokens = completion.usage.prompt_tokens,
                completion_tokens = completion.usage.completion_tokens,
                elapsed_ms = started.elapsed().as_millis(),
                "chat completion"
            ),
            Err(err) => tracing::warn!(
                model = %self.model,
                kind = err.kind(),
                error = %err,
                elapsed_ms = started.elapsed().as_millis(),
                "chat completion failed"
            ),
        }
        outcome
    }

    async fn embed(&self, inputs: &[String]) -> Result<Embeddings, LlmError> {
        let Some(model) = &self.embeddings_model else {
            return Err(LlmError::Malformed("no embeddings model".to_owned()));
        };
        if inputs.is_empty() {
            return Ok(Embeddings {
                vectors: Vec::new(),
                usage: super::Usage::default(),
            });
        }
        let body = request::embeddings(model, inputs);
        let outcome = match self.post(&self.embeddings_url, &body).await {
            Ok(bytes) => reply::embeddings(&bytes, inputs.len()),
            Err(err) => Err(err),
        };
        if let Err(err) = &outcome {
            tracing::warn!(model = %model, kind = err.kind(), error = %err, "embeddings failed");
        }
        outcome
    }

    fn model(&self) -> &str {
        &self.model
    }

    fn has_embeddings(&self) -> bool {
        self.embeddings_model.is_some()
    }
}

/// Reads the body up to `cap` bytes; beyond it, an error when `strict`, else the first
/// `cap` bytes.
async fn read_capped(
    response: &mut reqwest::Response,
    cap: usize,
    strict: bool,
) -> Result<Vec<u8>, LlmError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|err| transport(&err))? {
        bytes.extend_from_slice(&chunk);
        if bytes.len() > cap {
            if strict {
                return Err(too_big());
            }
            bytes.truncate(cap);
            break;
        }
    }
    Ok(bytes)
}

fn too_big() -> LlmError {
    LlmError::Malformed(format!("the reply is larger than {MAX_REPLY_BYTES} bytes"))
}

fn transport(err: &reqwest::Error) -> LlmError {
    if err.is_timeout() {
        LlmError::Timeout
    } else {
        LlmError::Transport(describe(err))
    }
}

/// A reqwest error in plain words, without the URL.
fn describe(err: &reqwest::Error) -> String {
    let mut text = if err.is_connect() {
        "could not connect".to_owned()
    } else if err.is_body() || err.is_decode() {
        "the answer broke off".to_owned()
    } else {
        "request failed".to_owned()
    };
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
