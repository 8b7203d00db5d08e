//! Reading `/chat/completions` and `/embeddings` answers, leniently enough for OpenAI,
//! Gemini's compatibility endpoint and Ollama, strictly enough that a caller never gets an
//! empty or half-parsed turn.

use serde::Deserialize;
use serde_json::Value;

use super::message::joined_text;
use super::{Completion, Embeddings, LlmError, Message, Role, ToolCall, Usage};

fn malformed(text: impl Into<String>) -> LlmError {
    LlmError::Malformed(text.into())
}

/// A 2xx `/chat/completions` body turned into the assistant's turn.
pub(super) fn completion(body: &[u8]) -> Result<Completion, LlmError> {
    let reply: Value = serde_json::from_slice(body)
        .map_err(|err| malformed(format!("the reply is not JSON: {err}")))?;
    let choice = reply
        .get("choices")
        .and_then(Value::as_array)
        .and_then(|choices| choices.first());
    let Some(message) = choice.and_then(|choice| choice.get("message")) else {
        let detail = reply
            .pointer("/error/message")
            .and_then(Value::as_str)
            .map(|text| format!(" (error: {})", excerpt(text)))
            .unwrap_or_default();
        return Err(malformed(format!(
            "the reply has no choices[0].message{detail}"
        )));
    };
    let finish_reason = choice
        .and_then(|choice| choice.get("finish_reason"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    if let Some(refusal) = message.get("refusal").filter(|r| !r.is_null()) {
        let text = refusal.as_str().unwrap_or("no reason given");
        return Err(LlmError::Refused(text.to_owned()));
    }
    if let Some(refusal) = refusal_part(message.get("content")) {
        return Err(LlmError::Refused(refusal));
    }
    if finish_reason.as_deref() == Some("content_filter") {
        return Err(LlmError::Refused(
            "the service's content filter withheld the answer".to_owned(),
        ));
    }
    let content = message
        .get("content")
        .and_then(joined_text)
        .filter(|text| !text.trim().is_empty());
    let tool_calls = tool_calls(message.get("tool_calls"))?;
    if content.is_none() && tool_calls.is_empty() {
        return Err(malformed("the reply has neither text nor tool calls"));
    }
    Ok(Completion {
        message: Message {
            role: Role::Assistant,
            content,
            tool_calls,
            tool_call_id: None,
        },
        finish_reason,
        usage: usage(reply.get("usage")),
    })
}

/// An OpenAI content part `{type: "refusal", refusal}`.
fn refusal_part(content: Option<&Value>) -> Option<String> {
    content?
        .as_array()?
        .iter()
        .filter(|part| part.get("type").and_then(Value::as_str) == Some("refusal"))
        .find_map(|part| part.get("refusal").and_then(Value::as_str))
        .map(str::to_owned)
}

/// `message.tool_calls`; an empty or missing id becomes `call_<position>` (Ollama).
fn tool_calls(calls: Option<&Value>) -> Result<Vec<ToolCall>, LlmError> {
    let calls = match calls {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(calls)) => calls,
        Some(_) => return Err(malformed("tool_calls is not a list")),
    };
    calls
        .iter()
        .enumerate()
        .map(|(position, call)| {
            let mut call = ToolCall::deserialize(call)
                .map_err(|err| malformed(format!("tool call {position}: {err}")))?;
            if call.name.trim().is_empty() {
                return Err(malformed(format!("tool call {position} has no name")));
            }
            if call.id.trim().is_empty() {
                call.id = format!("call_{position}");
            }
            Ok(call)
        })
        .collect()
}

fn usage(usage: Option<&Value>) -> Usage {
    let count = |field: &str| {
        usage
            .and_then(|usage| usage.get(field))
            .and_then(Value::as_u64)
            .map_or(0, |n| u32::try_from(n).unwrap_or(u32::MAX))
    };
    Usage {
        prompt_tokens: count("prompt_tokens"),
        completion_tokens: count("completion_tokens"),
    }
}

#[derive(Deserialize)]
struct EmbeddingsReply {
    data: Vec<EmbeddingItem>,
    #[serde(default)]
    usage: Option<Value>,
}

#[derive(Deserialize)]
struct EmbeddingItem {
    embedding: Vec<f32>,
    #[serde(default)]
    index: Option<usize>,
}

/// A 2xx `/embeddings` body for `expected` inputs: `data[i].embedding` put in `index`
/// order (position order when the service gives no indexes).
pub(super) fn embeddings(body: &[u8], expected: usize) -> Result<Embeddings, LlmError> {
    let reply: EmbeddingsReply = serde_json::from_slice(body)
        .map_err(|err| malformed(format!("the embeddings reply is unreadable: {err}")))?;
    if reply.data.len() != expected {
        return Err(malformed(format!(
            "{} embeddings for {expected} inputs",
            reply.data.len()
        )));
    }
    let mut slots: Vec<Option<Vec<f32>>> = vec![None; expected];
    for (position, item) in reply.data.into_iter().enumerate() {
        let index = item.index.unwrap_or(position);
        let slot = slots
            .get_mut(index)
            .ok_or_else(|| malformed(format!("embedding index {index} out of range")))?;
        if slot.is_some() {
            return Err(malformed(format!("embedding index {index} repeated")));
        }
        if item.embedding.is_empty() {
            return Err(malformed(format!("embedding {index} is empty")));
        }
        *slot = Some(item.embedding);
    }
    let vectors = slots.into_iter().flatten().collect();
    Ok(Embeddings {
        vectors,
        usage: usage(reply.usage.as_ref()),
    })
}

/// The first 500 characters of a service's text.
pub(super) fn excerpt(text: &str) -> String {
    text.chars().take(500).collect()
}
