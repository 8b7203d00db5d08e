//! Souk's side of the realtime broadcast benchmark (`bench/realtime/`):
//! the real router — Socket.IO endpoint, handshake check, sink — on an
//! SQLite database in a temporary folder, with one member whose access
//! token it prints (every socket the generator opens with it joins that
//! member's room), and a control port where `POST /trigger` emits one event
//! to the room through `Core::realtime`, as the outbox dispatcher does.
//! Usage: socket_fanout <socket-port> <control-port>; prints `token <jwt>`
//! then `ready`.

use std::{
    net::SocketAddr,
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use axum::{Router, http::StatusCode, routing::post};
use souk_api::{ApiConfig, AppState, RateLimitConfig, RealtimeConfig, build_router};
use souk_core::{
    Core, Lang, Settings,
    accounts::{PasswordHasher, register},
    realtime::RealtimeEvent,
};
use souk_db::Db;
use souk_integrations::{mail::FileMailer, storage::storage_from_url};
use tokio::net::TcpListener;

/// The allocator `souk serve` runs with, so the memory per socket is the
/// server's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let socket_port: u16 = args.next().and_then(|a| a.parse().ok()).unwrap_or(7301);
    let control_port: u16 = args.next().and_then(|a| a.parse().ok()).unwrap_or(7302);
    let dir = std::env::temp_dir().join(format!("souk-fanout-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let url = format!("sqlite://{}?mode=rwc", dir.join("souk.db").display());
    let db = Db::connect(&url, 8).await?;
    db.migrate().await?;
    let settings = Settings::new(
        b"fanout-benchmark-secret-fanout-benchmark".to_vec(),
        "http://127.0.0.1".into(),
        dir.clone(),
    );
    let core = Core::new(
        db,
        settings,
        Arc::new(FileMailer::new(dir.join("mail"), "bench@souk.test")),
        storage_from_url(None, &dir.join("uploads"))?,
        PasswordHasher::with_params(256, 1),
    );
    let member = register::register(
        &core,
        register::RegisterInput {
            email: Some("fanout@bench.souk".into()),
            password: Some("Bench-only-pass-1".into()),
            role: Some("client".into()),
            first_name: Some("Fan".into()),
            last_name: Some("Out".into()),
            ..Default::default()
        },
        Lang::En,
        &Default::default(),
    )
    .await?;
    let user = member.user.id;
    println!("token {}", member.tokens.access_token);

    let config = ApiConfig {
        cors_origins: vec!["*".into()],
        rate_limits: RateLimitConfig {
            enabled: false,
            per_minute: 0,
            auth_per_minute: 0,
        },
        body_limit: 1024 * 1024,
        request_timeout: Duration::from_secs(30),
        trust_proxy: false,
        trusted_proxies: Vec::new(),
        support_email: "bench@souk.test".into(),
        realtime: RealtimeConfig {
            redis_url: None,
            redis_prefix: "souk-bench".into(),
            ws_read_buffer: std::env::var("SOCKET_READ_BUFFER_BYTES")
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(souk_api::DEFAULT_WS_READ_BUFFER),
        },
    };
    let (router, _) = build_router(AppState::new(core.clone(), config)).await?;
    let sockets = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], socket_port))).await?;
    tokio::spawn(souk_api::serve::serve(
        sockets,
        router,
        std::future::pending(),
    ));

    let round = Arc::new(AtomicU64::new(0));
    let control = Router::new().route(
        "/trigger",
        post(move || {
            let core = core.clone();
            let round = round.clone();
            async move {
                let n = round.fetch_add(1, Ordering::Relaxed).saturating_add(1);
                let event =
                    RealtimeEvent::to_users(&[user], "bench", serde_json::json!({ "n": n }));
                match core.realtime.emit(&event).await {
                    Ok(()) => StatusCode::NO_CONTENT,
                    Err(_) => StatusCode::INTERNAL_SERVER_ERROR,
                }
            }
        }),
    );
    let listener = TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], control_port))).await?;
    println!("ready");
    axum::serve(listener, control).await?;
    Ok(())
}
