//! Language models behind the [`ChatModel`] trait: chat completions with tool calling and
//! embeddings, spoken to any OpenAI-compatible endpoint ([`OpenAiCompatible`]: OpenAI,
//! Gemini's compatibility endpoint, Ollama, vLLM, …).

use std::time::Duration;

use async_trait::async_trait;

mod message;
mod openai;
mod reply;
mod request;
#[cfg(any(test, feature = "test-llm"))]
pub mod test_llm;
#[cfg(test)]
mod tests;

pub use message::{Message, Role, Tool, ToolCall};
pub use openai::OpenAiCompatible;

/// Where and how to reach an OpenAI-compatible service.
#[derive(Clone)]
pub struct LlmConfig {
    /// The API root, e.g. `http://127.0.0.1:11434/v1` or `https://api.openai.com/v1`;
    /// requests go to `{base_url}/chat/completions` and `{base_url}/embeddings`
    /// (a trailing slash is fine).
    pub base_url: String,
    /// Sent as `Authorization: Bearer <api_key>`; nothing is sent when empty (Ollama).
    pub api_key: String,
    /// The chat model, e.g. `gpt-4o-mini`, `gemini-2.0-flash`, `qwen2.5:7b`.
    pub model: String,
    /// The embeddings model; without one [`ChatModel::embed`] fails.
    pub embeddings_model: Option<String>,
    /// Bound on one whole request: connecting, sending and reading the answer.
    pub timeout: Duration,
}

/// Leaves the API key out.
impl std::fmt::Debug for LlmConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LlmConfig")
            .field("base_url", &self.base_url)
            .field("api_key", &if self.api_key.is_empty() { "" } else { "***" })
            .field("model", &self.model)
            .field("embeddings_model", &self.embeddings_model)
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// Tokens a request consumed, as the service reports them (0 when it does not).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Usage {
    pub prompt_tokens: u32,
    pub completion_tokens: u32,
}

/// The model's answer to a conversation.
#[derive(Debug, Clone)]
pub struct Completion {
    /// Role [`Role::Assistant`]: text, tool calls, or both.
    pub message: Message,
    /// `stop`, `tool_calls`, `length`, … as the service says it.
    pub finish_reason: Option<String>,
    pub usage: Usage,
}

/// One vector per input, in input order.
#[derive(Debug, Clone)]
pub struct Embeddings {
    pub vectors: Vec<Vec<f32>>,
    pub usage: Usage,
}

/// Why a request to the model failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LlmError {
    /// No complete answer within the configured timeout.
    #[error("the language model did not answer in time")]
    Timeout,
    /// The service answered with a non-2xx status; `body` is its first 500 characters.
    #[error("the language model service answered HTTP {status}: {body}")]
    Status { status: u16, body: String },
    /// The answer (or the configuration) is not what the protocol promises.
    #[error("unusable answer from the language model: {0}")]
    Malformed(String),
    /// The model or the service's content filter declined to answer.
    #[error("the language model refused: {0}")]
    Refused(String),
    /// The service could not be reached or the connection broke.
    #[error("could not reach the language model service: {0}")]
    Transport(String),
}

impl LlmError {
    /// A stable short name for logs and metrics.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Timeout => "timeout",
            Self::Status { .. } => "status",
            Self::Malformed(_) => "malformed",
            Self::Refused(_) => "refused",
            Self::Transport(_) => "transport",
        }
    }
}

/// Something that can continue a conversation and embed text.
#[async_trait]
pub trait ChatModel: Send + Sync {
    /// The assistant's next message for `messages`, possibly calling some of `tools`.
    async fn complete(&self, messages: &[Message], tools: &[Tool]) -> Result<Completion, LlmError>;
    /// One vector per input; `LlmError::Malformed("no embeddings model")` when none is
    /// configured.
    async fn embed(&self, inputs: &[String]) -> Result<Embeddings, LlmError>;
    /// The chat model's name.
    fn model(&self) -> &str;
    /// Whether [`ChatModel::embed`] can work.
    fn has_embeddings(&self) -> bool;
}
