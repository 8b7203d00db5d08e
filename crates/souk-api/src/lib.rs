//! The HTTP edge of Souk: router, extractors, the error envelope, middleware,
//! the OpenAPI document and the Socket.IO endpoint (`realtime`). Handlers
//! are thin: they authorize, call one use-case in `souk-core`, and map the
//! result to a response type.

pub mod error;
pub mod extract;
pub mod middleware;
pub mod openapi;
pub mod realtime;
mod router;
pub mod routes;
pub mod serve;
pub mod state;
pub mod views;

pub use router::build_router;
pub use state::{ApiConfig, AppState, DEFAULT_WS_READ_BUFFER, RateLimitConfig, RealtimeConfig};
