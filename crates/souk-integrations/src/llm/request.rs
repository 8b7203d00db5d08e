//! Request bodies for `/chat/completions` and `/embeddings`.

use serde_json::{Value, json};

use super::{Message, Tool};

/// Low: answers should follow the tools and the facts, not wander.
const TEMPERATURE: f64 = 0.2;

/// `{model, messages, tools, tool_choice: "auto", temperature}`; no `tools` or
/// `tool_choice` when there are no tools (some servers reject an empty list).
pub(super) fn chat(model: &str, messages: &[Message], tools: &[Tool]) -> Value {
    let mut body = json!({
        "model": model,
        "messages": messages,
        "temperature": TEMPERATURE,
    });
    if !tools.is_empty()
        && let Some(object) = body.as_object_mut()
    {
        object.insert("tools".to_owned(), json!(tools));
        object.insert("tool_choice".to_owned(), json!("auto"));
    }
    body
}

/// `{model, input: [..]}`.
pub(super) fn embeddings(model: &str, inputs: &[String]) -> Value {
    json!({ "model": model, "input": inputs })
}
