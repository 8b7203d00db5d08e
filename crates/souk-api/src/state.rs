//! Application state shared by every handler: the core plus edge settings,
//! rate limiters and metrics. One `Arc`, no globals.

use std::{sync::Arc, time::Duration};

use souk_core::Core;

use crate::middleware::{metrics::Metrics, rate_limit::RateLimiters};

/// Rate-limit settings (requests per minute per client IP).
#[derive(Debug, Clone)]
pub struct RateLimitConfig {
    pub enabled: bool,
    /// Any API request.
    pub per_minute: u32,
    /// Login, register, forgot/reset password, contact form.
    pub auth_per_minute: u32,
}

impl Default for RateLimitConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            per_minute: 600,
            auth_per_minute: 10,
        }
    }
}

/// Settings of the HTTP edge.
#[derive(Debug, Clone)]
pub struct ApiConfig {
    /// Allowed CORS origins; `*` allows any.
    pub cors_origins: Vec<String>,
    pub rate_limits: RateLimitConfig,
    /// Largest JSON body accepted.
    pub body_limit: usize,
    /// Requests taking longer are answered 408.
    pub request_timeout: Duration,
    /// Trust `X-Forwarded-For` for the client IP (behind a proxy).
    pub trust_proxy: bool,
    /// The proxies whose `X-Forwarded-For` entries are believed: the client
    /// is the right-most address that is not one of them.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Where contact-form messages go.
    pub support_email: String,
    /// The Socket.IO endpoint's settings.
    pub realtime: RealtimeConfig,
}

/// Settings of the Socket.IO endpoint (`/socket.io/`).
#[derive(Clone)]
pub struct RealtimeConfig {
    /// `REDIS_URL`: with it, every emit, join and disconnect reaches the
    /// sockets of every node through Redis pub/sub (socketioxide-redis);
    /// without it, the sockets of this process only.
    pub redis_url: Option<String>,
    /// `REDIS_PREFIX`: the prefix of the Redis channels; the nodes of one
    /// deployment share it, separate deployments (or tests) on one Redis
    /// must not.
    pub redis_prefix: String,
    /// `SOCKET_READ_BUFFER_BYTES`: each websocket's read buffer. Every idle
    /// socket holds one; a bigger frame grows it for as long as it needs.
    pub ws_read_buffer: usize,
}

/// The default websocket read buffer: client events are small, and each
/// idle socket holds one (engineioxide's own default is 4 KiB).
pub const DEFAULT_WS_READ_BUFFER: usize = 1024;

impl Default for RealtimeConfig {
    fn default() -> Self {
        Self {
            redis_url: None,
            redis_prefix: "souk".into(),
            ws_read_buffer: DEFAULT_WS_READ_BUFFER,
        }
    }
}

impl std::fmt::Debug for RealtimeConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RealtimeConfig")
            .field("redis", &self.redis_url.as_ref().map(|_| "<set>"))
            .field("redis_prefix", &self.redis_prefix)
            .field("ws_read_buffer", &self.ws_read_buffer)
            .finish()
    }
}

impl Default for ApiConfig {
    fn default() -> Self {
        Self {
            cors_origins: vec!["*".into()],
            rate_limits: RateLimitConfig::default(),
            body_limit: 1024 * 1024,
            request_timeout: Duration::from_secs(30),
            trust_proxy: false,
            trusted_proxies: default_trusted_proxies(),
            support_email: "support@souk.local".into(),
            realtime: RealtimeConfig::default(),
        }
    }
}

/// Loopback and the private ranges: where a reverse proxy usually is.
pub fn default_trusted_proxies() -> Vec<ipnet::IpNet> {
    [
        "127.0.0.0/8",
        "::1/128",
        "10.0.0.0/8",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "fc00::/7",
        "fe80::/10",
    ]
    .iter()
    .filter_map(|cidr| cidr.parse().ok())
    .collect()
}

/// The state behind every handler.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

/// What [`AppState`] holds.
pub struct Inner {
    pub core: Core,
    pub config: ApiConfig,
    pub limiters: RateLimiters,
    pub metrics: Metrics,
}

impl AppState {
    /// Builds the state around a core.
    pub fn new(core: Core, config: ApiConfig) -> Self {
        let limiters = RateLimiters::new(&config.rate_limits);
        Self(Arc::new(Inner {
            core,
            config,
            limiters,
            metrics: Metrics::new(),
        }))
    }
}

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}
