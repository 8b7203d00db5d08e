//! Request extractors whose rejections speak the API's error envelope.

mod auth;
pub(crate) mod client;
mod json;
pub(crate) mod lang;
mod path;
mod query;
mod request_key;

pub use auth::{Auth, Integrator, MaybeAuth, UserLang};
pub use client::ClientMeta;
pub use json::{ApiJson, JsonLimit, parse_json};
pub use lang::ReqLang;
pub use path::IdPath;
pub use query::{ApiQuery, PageQuery, one_of};
pub use request_key::RequestKey;
