//! Jobs, quotes, invitations, contracts and the job lifecycle.

pub mod access;
pub mod auto_approve;
pub mod browse;
pub mod invitations;
pub mod jobs;
pub mod lifecycle;
pub mod offer_lifecycles;
pub mod orders;
pub mod quotes;
mod status;

pub use lifecycle::Actor;
pub use status::JobStatus;
