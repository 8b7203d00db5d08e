//! Conversation messages, tool calls and tool declarations, in the chat-completions wire
//! shape (a tool call's `arguments` is JSON text on the wire and a [`Value`] here).

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// Who says a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    System,
    User,
    Assistant,
    Tool,
}

/// One turn of a conversation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    pub role: Role,
    /// The text; `None` for an assistant turn that only calls tools. Read from the wire as a
    /// string or as an array of `{type: "text", text}` parts (joined).
    #[serde(default, deserialize_with = "content_text")]
    pub content: Option<String>,
    /// The tools an assistant turn calls.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tool_calls: Vec<ToolCall>,
    /// On a [`Role::Tool`] turn: the [`ToolCall::id`] it answers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tool_call_id: Option<String>,
}

impl Message {
    fn text(role: Role, text: impl Into<String>) -> Self {
        Self {
            role,
            content: Some(text.into()),
            tool_calls: Vec::new(),
            tool_call_id: None,
        }
    }

    /// Instructions for the model.
    pub fn system(text: impl Into<String>) -> Self {
        Self::text(Role::System, text)
    }

    /// What the user says.
    pub fn user(text: impl Into<String>) -> Self {
        Self::text(Role::User, text)
    }

    /// What the model said earlier.
    pub fn assistant(text: impl Into<String>) -> Self {
        Self::text(Role::Assistant, text)
    }

    /// The result of the tool call `call_id`, usually JSON text.
    pub fn tool(call_id: impl Into<String>, content: impl Into<String>) -> Self {
        Self {
            tool_call_id: Some(call_id.into()),
            ..Self::text(Role::Tool, content)
        }
    }
}

/// `content` as a string, `null`, or text parts; other part types are skipped.
fn content_text<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    Ok(joined_text(&Value::deserialize(deserializer)?))
}

/// The text of a `content` value: the string itself, or its `text` parts joined.
pub(super) fn joined_text(content: &Value) -> Option<String> {
    match content {
        Value::String(text) => Some(text.clone()),
        Value::Array(parts) => Some(
            parts
                .iter()
                .filter(|part| part.get("type").and_then(Value::as_str) == Some("text"))
                .filter_map(|part| part.get("text").and_then(Value::as_str))
                .collect(),
        ),
        _ => None,
    }
}

/// The model asks for a tool to be run.
#[derive(Debug, Clone, PartialEq)]
pub struct ToolCall {
    /// Echoed back in the [`Message::tool`] answer.
    pub id: String,
    pub name: String,
    /// The arguments, parsed (an object for any sensible schema).
    pub arguments: Value,
}

#[derive(Serialize)]
struct WireCallOut<'a> {
    id: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    function: WireFunctionOut<'a>,
}

#[derive(Serialize)]
struct WireFunctionOut<'a> {
    name: &'a str,
    arguments: String,
}

impl Serialize for ToolCall {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        WireCallOut {
            id: &self.id,
            kind: "function",
            function: WireFunctionOut {
                name: &self.name,
                arguments: self.arguments.to_string(),
            },
        }
        .serialize(serializer)
    }
}

#[derive(Deserialize)]
struct WireCallIn {
    #[serde(default)]
    id: Option<String>,
    function: WireFunctionIn,
}

#[derive(Deserialize)]
struct WireFunctionIn {
    name: String,
    #[serde(default)]
    arguments: Value,
}

/// Reads `{id, type, function: {name, arguments}}`. `arguments` may be JSON text (the
/// standard), an object (some servers), or missing/empty (taken as `{}`); a missing `id`
/// is read as `""` (the client then makes one up).
impl<'de> Deserialize<'de> for ToolCall {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let wire = WireCallIn::deserialize(deserializer)?;
        let arguments = match wire.function.arguments {
            Value::Null => Value::Object(serde_json::Map::new()),
            Value::String(text) if text.trim().is_empty() => Value::Object(serde_json::Map::new()),
            Value::String(text) => serde_json::from_str(&text).map_err(|err| {
                D::Error::custom(format!(
                    "the arguments of tool call {:?} are not JSON: {err}",
                    wire.function.name
                ))
            })?,
            other => other,
        };
        Ok(Self {
            id: wire.id.unwrap_or_default(),
            name: wire.function.name,
            arguments,
        })
    }
}

/// A function the model may call.
#[derive(Debug, Clone)]
pub struct Tool {
    pub name: String,
    /// What it does and when to use it, for the model.
    pub description: String,
    /// JSON Schema of the arguments object.
    pub parameters: Value,
}

#[derive(Serialize)]
struct WireToolOut<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    function: WireToolFunction<'a>,
}

#[derive(Serialize)]
struct WireToolFunction<'a> {
    name: &'a str,
    description: &'a str,
    parameters: &'a Value,
}

/// Written as `{"type": "function", "function": {name, description, parameters}}`.
impl Serialize for Tool {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        WireToolOut {
            kind: "function",
            function: WireToolFunction {
                name: &self.name,
                description: &self.description,
                parameters: &self.parameters,
            },
        }
        .serialize(serializer)
    }
}
