//! The service catalog and craftsman profiles (skills, portfolio, service area).

pub mod cache;
pub mod portfolio;
pub mod profile;
mod seed;
pub mod services;
pub mod skills;

pub use profile::ProfileExtras;
pub use seed::{DEFAULT_SERVICES, seed_default_services};
pub use services::{ServiceInput, ServiceRef};
