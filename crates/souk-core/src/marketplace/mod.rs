//! Jobs, quotes, invitations, contracts and the job lifecycle.

pub mod access;
pub mod auto_approve;
pub mod booked;
pub mod browse;
pub mod contract_lifecycle;
pub mod hire;
pub mod invitations;
pub mod job_rows;
pub mod jobs;
pub mod lifecycle;
pub mod offer_lifecycles;
pub mod orders;
pub mod quotes;
mod status;
pub mod transitions;

pub use lifecycle::Actor;
pub use status::JobStatus;
