//! OpenAiCompatible against the fake service (and, for shapes the fake does not produce,
//! a one-answer server): the wire format, tool calling, every error kind, embeddings.
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use std::time::{Duration, Instant};

use axum::http::StatusCode;
use axum::response::IntoResponse;
use serde_json::{Value, json};

use super::test_llm::{EMBEDDING_DIMS, EMBEDDINGS_MODEL, FakeLlm, Script, embed_text};
use super::*;

const KEY: &str = "sk-test-0123456789abcdef";
const MODEL: &str = "souk-chat";
const TIMEOUT: Duration = Duration::from_secs(5);

async fn setup() -> (FakeLlm, OpenAiCompatible) {
    let fake = FakeLlm::start(KEY).await;
    let client = OpenAiCompatible::new(fake.config(MODEL, TIMEOUT)).unwrap();
    (fake, client)
}

/// A server answering every POST with `status` and `body` (sent as JSON).
async fn fixed_server(status: u16, body: String) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let status = StatusCode::from_u16(status).unwrap();
    let router = axum::Router::new().fallback(move || {
        let body = body.clone();
        async move { (status, [("content-type", "application/json")], body).into_response() }
    });
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    format!("http://{address}/v1")
}

fn client_for(base_url: &str) -> OpenAiCompatible {
    OpenAiCompatible::new(LlmConfig {
        base_url: base_url.to_owned(),
        api_key: KEY.to_owned(),
        model: MODEL.to_owned(),
        embeddings_model: Some("embed".to_owned()),
        timeout: TIMEOUT,
    })
    .unwrap()
}

async fn complete_fixed(body: Value) -> Result<Completion, LlmError> {
    let base = fixed_server(200, body.to_string()).await;
    client_for(&base)
        .complete(&[Message::user("hello")], &[])
        .await
}

fn search_tool() -> Tool {
    Tool {
        name: "search_services".to_owned(),
        description: "Find service providers by keyword and city.".to_owned(),
        parameters: json!({
            "type": "object",
            "properties": {
                "query": {"type": "string"},
                "city": {"type": "string"}
            },
            "required": ["query"]
        }),
    }
}

#[tokio::test]
async fn llm_round_trip_with_tools() {
    let (fake, client) = setup().await;
    let arguments = json!({"query": "plumber", "city": "Cairo"});
    fake.push(Script::ToolCalls(vec![(
        "search_services".to_owned(),
        arguments.clone(),
    )]));
    fake.push(Script::Text("I found 3 plumbers in Cairo.".to_owned()));
    let tools = [search_tool()];
    let mut messages = vec![
        Message::system("You help customers find services."),
        Message::user("I need a plumber in Cairo"),
    ];

    let first = client.complete(&messages, &tools).await.unwrap();
    assert_eq!(first.message.role, Role::Assistant);
    assert_eq!(first.message.content, None);
    assert_eq!(first.finish_reason.as_deref(), Some("tool_calls"));
    assert_eq!(
        first.message.tool_calls,
        [ToolCall {
            id: "call_1".to_owned(),
            name: "search_services".to_owned(),
            arguments: arguments.clone(),
        }]
    );
    assert!(first.usage.prompt_tokens > 0 && first.usage.completion_tokens > 0);

    let sent = &fake.requests()[0];
    assert_eq!(sent["model"], MODEL);
    assert_eq!(sent["temperature"], 0.2);
    assert_eq!(sent["tool_choice"], "auto");
    assert_eq!(
        sent["messages"],
        json!([
            {"role": "system", "content": "You help customers find services."},
            {"role": "user", "content": "I need a plumber in Cairo"}
        ])
    );
    assert_eq!(
        sent["tools"],
        json!([{"type": "function", "function": {
            "name": "search_services",
            "description": "Find service providers by keyword and city.",
            "parameters": search_tool().parameters
        }}])
    );

    messages.push(first.message.clone());
    messages.push(Message::tool("call_1", r#"{"count":3}"#));
    let second = client.complete(&messages, &tools).await.unwrap();
    assert_eq!(
        second.message.content.as_deref(),
        Some("I found 3 plumbers in Cairo.")
    );
    assert!(second.message.tool_calls.is_empty());
    assert_eq!(second.finish_reason.as_deref(), Some("stop"));

    let sent = &fake.requests()[1];
    let assistant = &sent["messages"][2];
    assert_eq!(assistant["role"], "assistant");
    assert_eq!(assistant["content"], Value::Null);
    let call = &assistant["tool_calls"][0];
    assert_eq!(call["id"], "call_1");
    assert_eq!(call["type"], "function");
    assert_eq!(call["function"]["name"], "search_services");
    let wire_arguments: Value =
        serde_json::from_str(call["function"]["arguments"].as_str().unwrap()).unwrap();
    assert_eq!(wire_arguments, arguments);
    assert_eq!(
        sent["messages"][3],
        json!({"role": "tool", "content": "{\"count\":3}", "tool_call_id": "call_1"})
    );
}

#[tokio::test]
async fn llm_without_tools_sends_no_tools_or_tool_choice() {
    let (fake, client) = setup().await;
    let completion = client.complete(&[Message::user("hi")], &[]).await.unwrap();
    assert_eq!(completion.message.content.as_deref(), Some("ok"));
    let sent = &fake.requests()[0];
    assert!(sent.get("tools").is_none(), "{sent}");
    assert!(sent.get("tool_choice").is_none(), "{sent}");
    assert_eq!(client.model(), MODEL);
    assert!(client.has_embeddings());
}

#[tokio::test]
async fn llm_scripts_are_fifo_then_default() {
    let (fake, client) = setup().await;
    fake.push(Script::Text("one".to_owned()));
    fake.push(Script::Text("two".to_owned()));
    fake.set_default(Script::Text("fallback".to_owned()));
    let mut answers = Vec::new();
    for _ in 0..3 {
        let completion = client.complete(&[Message::user("hi")], &[]).await.unwrap();
        answers.push(completion.message.content.unwrap());
    }
    assert_eq!(answers, ["one", "two", "fallback"]);
    assert_eq!(fake.requests().len(), 3);
}

#[tokio::test]
async fn llm_malformed_body_is_malformed() {
    let (fake, client) = setup().await;
    fake.push(Script::Malformed);
    let err = client
        .complete(&[Message::user("hi")], &[])
        .await
        .unwrap_err();
    assert!(matches!(err, LlmError::Malformed(_)), "{err:?}");
    assert_eq!(err.kind(), "malformed");
}

#[tokio::test]
async fn llm_server_error_is_status() {
    let (fake, client) = setup().await;
    fake.push(Script::Status(500));
    let err = client
        .complete(&[Message::user("hi")], &[])
        .await
        .unwrap_err();
    match &err {
        LlmError::Status { status, body } => {
            assert_eq!(*status, 500);
            assert!(body.contains("scripted failure"), "{body}");
        }
        other => panic!("expected Status, got {other:?}"),
    }
    assert_eq!(err.kind(), "status");
}

#[tokio::test]
async fn llm_status_body_is_cut_to_500_chars() {
    let base = fixed_server(503, "x".repeat(5000)).await;
    let err = client_for(&base)
        .complete(&[Message::user("hi")], &[])
        .await
        .unwrap_err();
    match err {
        LlmError::Status { status, body } => {
            assert_eq!(status, 503);
            assert_eq!(body.chars().count(), 500);
        }
        other => panic!("expected Status, got {other:?}"),
    }
}

#[tokio::test]
async fn llm_refusal_is_refused() {
    let (fake, client) = setup().await;
    fake.push(Script::Refusal("I can't help with that.".to_owned()));
    let err = client
        .complete(&[Message::user("hi")], &[])
        .await
        .unwrap_err();
    assert_eq!(err, LlmError::Refused("I can't help with that.".to_owned()));
    assert_eq!(err.kind(), "refused");
}

#[tokio::test]
async fn llm_content_filter_is_refused() {
    let err = complete_fixed(json!({"choices": [{
        "index": 0,
        "message": {"role": "assistant", "content": ""},
        "finish_reason": "content_filter"
    }]}))
    .await
    .unwrap_err();
    assert!(matches!(err, LlmError::Refused(_)), "{err:?}");
}

#[tokio::test]
async fn llm_delay_beyond_timeout_is_timeout() {
    let fake = FakeLlm::start(KEY).await;
    let client = OpenAiCompatible::new(fake.config(MODEL, Duration::from_millis(300))).unwrap();
    fake.push(Script::Delay(
        Duration::from_secs(3),
        Box::new(Script::Text("late".to_owned())),
    ));
    let started = Instant::now();
    let err = client
        .complete(&[Message::user("hi")], &[])
        .await
        .unwrap_err();
    assert_eq!(err, LlmError::Timeout);
    assert_eq!(err.kind(), "timeout");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );

    // A delay within the timeout is just slow.
    fake.push(Script::Delay(
        Duration::from_millis(50),
        Box::new(Script::Text("prompt".to_owned())),
    ));
    let completion = client.complete(&[Message::user("hi")], &[]).await.unwrap();
    assert_eq!(completion.message.content.as_deref(), Some("prompt"));
}

#[tokio::test]
async fn llm_content_as_parts_is_joined() {
    let completion = complete_fixed(json!({"choices": [{
        "index": 0,
        "message": {"role": "assistant", "content": [
            {"type": "text", "text": "Hello, "},
            {"type": "image_url", "image_url": {"url": "https://example.com/x.png"}},
            {"type": "text", "text": "world."}
        ]},
        "finish_reason": "stop"
    }]}))
    .await
    .unwrap();
    assert_eq!(completion.message.content.as_deref(), Some("Hello, world."));
    assert_eq!(completion.usage, Usage::default());
}

#[tokio::test]
async fn llm_ollama_style_tool_calls_get_ids() {
    let completion = complete_fixed(json!({
        "id": "chatcmpl-123",
        "model": "qwen2.5:7b",
        "choices": [{
            "index": 0,
            "message": {"role": "assistant", "content": "", "tool_calls": [
                {"type": "function", "function": {"name": "search_services", "arguments": "{\"query\":\"tiling\"}"}},
                {"id": "", "function": {"name": "get_time", "arguments": ""}}
            ]},
            "finish_reason": "tool_calls"
        }],
        "usage": {"prompt_tokens": 12, "completion_tokens": 7, "total_tokens": 19}
    }))
    .await
    .unwrap();
    let calls = &completion.message.tool_calls;
    assert_eq!(calls.len(), 2);
    assert_eq!(calls[0].id, "call_0");
    assert_eq!(calls[0].arguments, json!({"query": "tiling"}));
    assert_eq!(calls[1].id, "call_1");
    assert_eq!(calls[1].name, "get_time");
    assert_eq!(calls[1].arguments, json!({}));
    assert_eq!(completion.message.content, None);
    assert_eq!(
        completion.usage,
        Usage {
            prompt_tokens: 12,
            completion_tokens: 7
        }
    );
}

#[tokio::test]
async fn llm_bad_tool_calls_are_malformed() {
    for call in [
        json!({"id": "a", "type": "function", "function": {"name": "x", "arguments": "{not json"}}),
        json!({"id": "a", "type": "function", "function": {"arguments": "{}"}}),
        json!({"id": "a", "type": "function", "function": {"name": " ", "arguments": "{}"}}),
    ] {
        let err = complete_fixed(json!({"choices": [{
            "message": {"role": "assistant", "content": null, "tool_calls": [call]},
            "finish_reason": "tool_calls"
        }]}))
        .await
        .unwrap_err();
        assert!(matches!(err, LlmError::Malformed(_)), "{call}: {err:?}");
    }
}

#[tokio::test]
async fn llm_empty_or_shapeless_replies_are_malformed() {
    for body in [
        json!({"choices": [{"message": {"role": "assistant", "content": "  "}, "finish_reason": "stop"}]}),
        json!({"choices": [{"message": {"role": "assistant", "content": null}}]}),
        json!({"choices": []}),
        json!({"error": {"message": "overloaded"}}),
        json!([1, 2, 3]),
    ] {
        let err = complete_fixed(body.clone()).await.unwrap_err();
        assert!(matches!(err, LlmError::Malformed(_)), "{body}: {err:?}");
    }
}

#[tokio::test]
async fn llm_reply_over_one_mib_is_malformed() {
    let huge = json!({"choices": [{
        "message": {"role": "assistant", "content": "y".repeat(1_100_000)},
        "finish_reason": "stop"
    }]});
    let err = complete_fixed(huge).await.unwrap_err();
    assert!(
        matches!(&err, LlmError::Malformed(text) if text.contains("larger")),
        "{err:?}"
    );
}

#[tokio::test]
async fn llm_embeddings_follow_index_order() {
    let body = json!({
        "object": "list",
        "data": [
            {"object": "embedding", "index": 2, "embedding": [0.0, 0.0, 1.0]},
            {"object": "embedding", "index": 0, "embedding": [1.0, 0.0, 0.0]},
            {"object": "embedding", "index": 1, "embedding": [0.0, 1.0, 0.0]}
        ],
        "usage": {"prompt_tokens": 6, "total_tokens": 6}
    });
    let base = fixed_server(200, body.to_string()).await;
    let inputs = ["a", "b", "c"].map(str::to_owned);
    let embeddings = client_for(&base).embed(&inputs).await.unwrap();
    assert_eq!(
        embeddings.vectors,
        [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
    );
    assert_eq!(embeddings.usage.prompt_tokens, 6);

    // Fewer vectors than inputs.
    let err = client_for(&base)
        .embed(&["a".to_owned()])
        .await
        .unwrap_err();
    assert!(matches!(err, LlmError::Malformed(_)), "{err:?}");
}

#[tokio::test]
async fn llm_fake_embeddings_are_deterministic_and_semantic() {
    let (_fake, client) = setup().await;
    let inputs = [
        "Plumber to fix a leaking kitchen pipe",
        "Wedding photographer",
        "fix the leaking pipe in my kitchen",
    ]
    .map(str::to_owned);
    let embeddings = client.embed(&inputs).await.unwrap();
    assert_eq!(embeddings.vectors.len(), 3);
    for (vector, input) in embeddings.vectors.iter().zip(&inputs) {
        assert_eq!(vector.len(), EMBEDDING_DIMS);
        assert_eq!(vector, &embed_text(input));
        let norm: f32 = vector.iter().map(|x| x * x).sum::<f32>().sqrt();
        assert!((norm - 1.0).abs() < 1e-4, "{norm}");
    }
    let cosine = |a: &[f32], b: &[f32]| a.iter().zip(b).map(|(x, y)| x * y).sum::<f32>();
    let v = &embeddings.vectors;
    assert!(cosine(&v[0], &v[2]) > 0.6, "{}", cosine(&v[0], &v[2]));
    assert!(cosine(&v[0], &v[2]) > cosine(&v[0], &v[1]) + 0.3);
    assert!(embeddings.usage.prompt_tokens > 0);
}

#[tokio::test]
async fn llm_embed_without_model_is_malformed() {
    let fake = FakeLlm::start(KEY).await;
    let mut config = fake.config(MODEL, TIMEOUT);
    assert_eq!(config.embeddings_model.as_deref(), Some(EMBEDDINGS_MODEL));
    config.embeddings_model = None;
    let client = OpenAiCompatible::new(config).unwrap();
    assert!(!client.has_embeddings());
    let err = client.embed(&["x".to_owned()]).await.unwrap_err();
    assert_eq!(err, LlmError::Malformed("no embeddings model".to_owned()));
}

#[tokio::test]
async fn llm_wrong_key_is_status_401() {
    let fake = FakeLlm::start(KEY).await;
    let mut config = fake.config(MODEL, TIMEOUT);
    config.api_key = "sk-wrong-key-000000".to_owned();
    let client = OpenAiCompatible::new(config).unwrap();
    let err = client
        .complete(&[Message::user("hi")], &[])
        .await
        .unwrap_err();
    assert!(
        matches!(&err, LlmError::Status { status: 401, body } if body.contains("API key")),
        "{err:?}"
    );
    let err = client.embed(&["x".to_owned()]).await.unwrap_err();
    assert!(
        matches!(err, LlmError::Status { status: 401, .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn llm_trailing_slash_in_base_url_is_fine() {
    let fake = FakeLlm::start(KEY).await;
    let mut config = fake.config(MODEL, TIMEOUT);
    config.base_url.push('/');
    let client = OpenAiCompatible::new(config).unwrap();
    let completion = client.complete(&[Message::user("hi")], &[]).await.unwrap();
    assert_eq!(completion.message.content.as_deref(), Some("ok"));
}

#[tokio::test]
async fn llm_unreachable_service_is_transport() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    drop(listener);
    let err = client_for(&format!("http://{address}/v1"))
        .complete(&[Message::user("hi")], &[])
        .await
        .unwrap_err();
    assert!(matches!(err, LlmError::Transport(_)), "{err:?}");
    assert_eq!(err.kind(), "transport");
}

#[test]
fn llm_bad_config_is_refused() {
    let config = |base_url: &str, model: &str| LlmConfig {
        base_url: base_url.to_owned(),
        api_key: String::new(),
        model: model.to_owned(),
        embeddings_model: None,
        timeout: TIMEOUT,
    };
    for (base, model) in [
        ("not a url", MODEL),
        ("ftp://example.com/v1", MODEL),
        ("https://api.openai.com/v1", " "),
    ] {
        let err = OpenAiCompatible::new(config(base, model)).unwrap_err();
        assert!(
            matches!(err, LlmError::Malformed(_)),
            "{base} {model}: {err:?}"
        );
    }
}

#[test]
fn llm_debug_never_shows_the_key() {
    let config = LlmConfig {
        base_url: "https://api.openai.com/v1".to_owned(),
        api_key: KEY.to_owned(),
        model: MODEL.to_owned(),
        embeddings_model: None,
        timeout: TIMEOUT,
    };
    let client = OpenAiCompatible::new(config.clone()).unwrap();
    for text in [format!("{config:?}"), format!("{client:?}")] {
        assert!(!text.contains(KEY), "{text}");
    }
}

#[test]
fn llm_message_wire_shape_round_trips() {
    let message = Message {
        role: Role::Assistant,
        content: None,
        tool_calls: vec![ToolCall {
            id: "call_9".to_owned(),
            name: "book".to_owned(),
            arguments: json!({"slot": 3}),
        }],
        tool_call_id: None,
    };
    let wire = serde_json::to_value(&message).unwrap();
    assert_eq!(
        wire,
        json!({"role": "assistant", "content": null, "tool_calls": [
            {"id": "call_9", "type": "function", "function": {"name": "book", "arguments": "{\"slot\":3}"}}
        ]})
    );
    let back: Message = serde_json::from_value(wire).unwrap();
    assert_eq!(back, message);

    let tool = Message::tool("call_9", "done");
    let wire = serde_json::to_value(&tool).unwrap();
    assert_eq!(
        wire,
        json!({"role": "tool", "content": "done", "tool_call_id": "call_9"})
    );
    assert_eq!(serde_json::from_value::<Message>(wire).unwrap(), tool);

    let parts: Message = serde_json::from_value(
        json!({"role": "user", "content": [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}]}),
    )
    .unwrap();
    assert_eq!(parts.content.as_deref(), Some("ab"));

    let bad = serde_json::from_value::<ToolCall>(
        json!({"id": "x", "function": {"name": "n", "arguments": "{oops"}}),
    );
    assert!(bad.is_err());
}

#[test]
fn llm_error_kinds() {
    let cases = [
        (LlmError::Timeout, "timeout"),
        (
            LlmError::Status {
                status: 429,
                body: String::new(),
            },
            "status",
        ),
        (LlmError::Malformed(String::new()), "malformed"),
        (LlmError::Refused(String::new()), "refused"),
        (LlmError::Transport(String::new()), "transport"),
    ];
    for (err, kind) in cases {
        assert_eq!(err.kind(), kind);
    }
}
