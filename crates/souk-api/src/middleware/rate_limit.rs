//! Per-client-IP rate limits (GCRA via `governor`): a general budget for every
//! API request and a much smaller one for login, registration, password
//! recovery and the contact form. Over budget → 429 with `Retry-After`.

use std::{
    net::IpAddr,
    num::NonZeroU32,
    sync::atomic::{AtomicU64, Ordering},
};

use axum::{
    extract::{Request, State},
    http::{HeaderValue, Method, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use governor::{
    DefaultKeyedRateLimiter, Quota, RateLimiter,
    clock::{Clock, DefaultClock},
};
use souk_core::ErrorCode;

use crate::{
    error::ApiError,
    extract::client::client_ip,
    state::{AppState, RateLimitConfig},
};

/// The limiters, one per budget.
pub struct RateLimiters {
    enabled: bool,
    general: DefaultKeyedRateLimiter<IpAddr>,
    sensitive: DefaultKeyedRateLimiter<IpAddr>,
    clock: DefaultClock,
    calls: AtomicU64,
}

fn per_minute(n: u32) -> Quota {
    Quota::per_minute(NonZeroU32::new(n.max(1)).unwrap_or(NonZeroU32::MIN))
}

impl RateLimiters {
    /// Builds the limiters from settings.
    pub fn new(config: &RateLimitConfig) -> Self {
        Self {
            enabled: config.enabled,
            general: RateLimiter::keyed(per_minute(config.per_minute)),
            sensitive: RateLimiter::keyed(per_minute(config.auth_per_minute)),
            clock: DefaultClock::default(),
            calls: AtomicU64::new(0),
        }
    }

    /// `Err(seconds to wait)` when `ip` is over the budget for this request.
    fn check(&self, ip: IpAddr, sensitive: bool) -> Result<(), u64> {
        if self.calls.fetch_add(1, Ordering::Relaxed) % 4096 == 4095 {
            self.general.retain_recent();
            self.sensitive.retain_recent();
        }
        let limiter = if sensitive {
            &self.sensitive
        } else {
            &self.general
        };
        limiter
            .check_key(&ip)
            .map_err(|not_until| not_until.wait_time_from(self.clock.now()).as_secs() + 1)?;
        if sensitive {
            // Sensitive calls also count against the general budget.
            self.general
                .check_key(&ip)
                .map_err(|not_until| not_until.wait_time_from(self.clock.now()).as_secs() + 1)?;
        }
        Ok(())
    }
}

/// One budget per IPv4 address and per IPv6 /64: one subscriber usually
/// holds a whole /64, so rotating addresses inside it must not buy requests.
fn budget_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => {
            let mut segments = v6.segments();
            segments[4..].fill(0);
            IpAddr::V6(segments.into())
        }
    }
}

fn is_sensitive(method: &Method, path: &str) -> bool {
    method == Method::POST
        && matches!(
            path,
            "/api/auth/login"
                | "/api/auth/register"
                | "/api/auth/forgot-password"
                | "/api/auth/reset-password"
                | "/api/send-email"
        )
}

/// The middleware function.
pub async fn limit(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let limiters = &state.limiters;
    let path = request.uri().path();
    if !limiters.enabled || !path.starts_with("/api/") || request.method() == Method::OPTIONS {
        return next.run(request).await;
    }
    let ip = client_ip(request.headers(), request.extensions(), &state.config);
    match limiters.check(budget_key(ip), is_sensitive(request.method(), path)) {
        Ok(()) => next.run(request).await,
        Err(wait) => {
            let mut response = ApiError::code(ErrorCode::RateLimited).into_response();
            *response.status_mut() = StatusCode::TOO_MANY_REQUESTS;
            if let Ok(value) = HeaderValue::from_str(&wait.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            response
        }
    }
}
