//! Prometheus metrics: requests by route, method and status, a latency
//! histogram, and the database pool. The recorder lives in the app state
//! (no global recorder), and `GET /metrics` renders it.

use std::time::Instant;

use axum::{
    extract::{MatchedPath, Request, State},
    middleware::Next,
    response::Response,
};
use metrics::{Key, Label, Level, Metadata, Recorder};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle, PrometheusRecorder};

use crate::state::AppState;

const METADATA: Metadata<'static> = Metadata::new("souk_api", Level::INFO, Some("souk_api"));
const BUCKETS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

/// The recorder and its renderer.
pub struct Metrics {
    recorder: PrometheusRecorder,
    handle: PrometheusHandle,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// A fresh, private registry.
    pub fn new() -> Self {
        let recorder = PrometheusBuilder::new()
            .set_buckets(BUCKETS)
            .unwrap_or_else(|_| PrometheusBuilder::new())
            .build_recorder();
        let handle = recorder.handle();
        Self { recorder, handle }
    }

    fn observe(&self, method: &str, route: &str, status: u16, seconds: f64) {
        let labels = vec![
            Label::new("method", method.to_owned()),
            Label::new("route", route.to_owned()),
            Label::new("status", status.to_string()),
        ];
        self.recorder
            .register_counter(&Key::from_parts("http_requests_total", labels), &METADATA)
            .increment(1);
        let labels = vec![
            Label::new("method", method.to_owned()),
            Label::new("route", route.to_owned()),
        ];
        self.recorder
            .register_histogram(
                &Key::from_parts("http_request_duration_seconds", labels),
                &METADATA,
            )
            .record(seconds);
    }

    /// The Prometheus text exposition, with pool gauges refreshed.
    pub fn render(&self, pool: (u32, usize)) -> String {
        let (size, idle) = pool;
        self.recorder
            .register_gauge(&Key::from_name("db_pool_connections"), &METADATA)
            .set(f64::from(size));
        self.recorder
            .register_gauge(&Key::from_name("db_pool_idle_connections"), &METADATA)
            // Idle connections are some of the pool's, whose size is a u32.
            .set(f64::from(u32::try_from(idle).unwrap_or(size)));
        self.handle.render()
    }
}

/// The middleware function.
pub async fn track(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().as_str().to_owned();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let response = next.run(request).await;
    state.metrics.observe(
        &method,
        &route,
        response.status().as_u16(),
        started.elapsed().as_secs_f64(),
    );
    response
}
