//! `souk serve`: migrate, bootstrap the admin, start the outbox dispatcher
//! and the automatic-approval scheduler, serve HTTP and Socket.IO until
//! SIGTERM/SIGINT, then close the sockets and finish in-flight requests.

use std::net::SocketAddr;

use anyhow::Context;
use souk_api::{ApiConfig, AppState, RateLimitConfig, RealtimeConfig, build_router};
use souk_core::{marketplace::auto_approve, outbox::dispatcher};
use tokio::sync::watch;

use crate::{config::Config, wiring};

/// Runs the server.
pub async fn serve(config: Config) -> anyhow::Result<()> {
    tracing::info!(config = ?config, "starting souk");
    let core = wiring::build_core(&config).await?;
    if let Some((email, password)) = &config.admin {
        wiring::create_staff(&core, email, password, "admin")
            .await
            .context("ADMIN_EMAIL/ADMIN_PASSWORD")?;
        tracing::info!(admin.email = %email, "bootstrap admin ready");
    }
    let (stop_tx, stop_rx) = watch::channel(false);
    let dispatcher = tokio::spawn(dispatcher::run(core.clone(), stop_rx.clone()));
    let scheduler = tokio::spawn(auto_approve::run(core.clone(), stop_rx));

    let api_config = ApiConfig {
        cors_origins: config.cors_origins.clone(),
        rate_limits: RateLimitConfig {
            enabled: config.rate_limit_enabled,
            per_minute: config.rate_limit_per_minute,
            auth_per_minute: config.rate_limit_auth_per_minute,
        },
        body_limit: config.body_limit,
        request_timeout: config.request_timeout,
        trust_proxy: config.trust_proxy,
        trusted_proxies: config.trusted_proxies.clone(),
        support_email: config.support_email.clone(),
        realtime: RealtimeConfig {
            redis_url: config.redis_url.clone(),
            redis_prefix: config.redis_prefix.clone(),
            ws_read_buffer: config.ws_read_buffer,
        },
    };
    let state = AppState::new(core.clone(), api_config);
    let (router, _) = build_router(state).await?;
    let address = SocketAddr::new(config.host, config.port);
    let listener = tokio::net::TcpListener::bind(address)
        .await
        .with_context(|| format!("cannot listen on {address} (HOST/PORT)"))?;
    tracing::info!(%address, docs = %format!("{}/api/docs", config.public_url), "souk is listening");
    // On the signal, sockets are closed first: their long polls would hold
    // the graceful shutdown until their next ping.
    let realtime = core.realtime.clone();
    let shutdown = async move {
        shutdown_signal().await;
        realtime.close().await;
    };
    souk_api::serve::serve(listener, router, shutdown).await?;
    tracing::info!("shutting down: in-flight requests done");
    let _ = stop_tx.send(true);
    let _ = dispatcher.await;
    let _ = scheduler.await;
    core.db.close().await?;
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    tracing::info!("shutdown signal received");
}
