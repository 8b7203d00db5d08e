//! What the read caches hold: rows as stored, shared by the use-cases that
//! read them and by `Core`, which keeps the caches (a leaf module, so `Core`
//! depends on no use-case).

use souk_db::entities::{contracts, jobs, portfolio_images, services, users};

/// A user's skills (catalog services, in catalog order) and portfolio
/// (oldest first).
#[derive(Debug, Clone, Default)]
pub struct ProfileExtras {
    pub skills: Vec<services::Model>,
    pub portfolio: Vec<portfolio_images::Model>,
}

/// A user's row with their skills and portfolio, as stored.
#[derive(Debug, Clone)]
pub struct Profile {
    pub user: users::Model,
    pub extras: ProfileExtras,
}

/// A job with its contract (once hired), as stored.
#[derive(Debug, Clone)]
pub struct JobRecord {
    pub job: jobs::Model,
    pub contract: Option<contracts::Model>,
}
