//! A bare axum JSON hello-world on `127.0.0.1:$PORT`: the HTTP anchor.

use axum::{Json, Router, routing::get};

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let port = std::env::var("PORT").unwrap_or_else(|_| "18181".into());
    let app = Router::new().route(
        "/",
        get(|| async { Json(serde_json::json!({"hello": "world"})) }),
    );
    let listener = tokio::net::TcpListener::bind(format!("127.0.0.1:{port}")).await?;
    axum::serve(listener, app).await
}
