//! The current time, truncated to microseconds so that values read back from
//! either database compare equal to the ones written.

use chrono::{DateTime, SubsecRound, Utc};

/// Now, in UTC, at microsecond precision.
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// `at` + `d`, saturating at the ends of chrono's range (about ±262,000
/// years) where `+` would panic; for modules that refuse plain arithmetic.
pub fn later(at: DateTime<Utc>, d: chrono::Duration) -> DateTime<Utc> {
    at.checked_add_signed(d)
        .unwrap_or(if d < chrono::Duration::zero() {
            DateTime::<Utc>::MIN_UTC
        } else {
            DateTime::<Utc>::MAX_UTC
        })
}

/// `at` − `d`, saturating like [`later`].
pub fn earlier(at: DateTime<Utc>, d: chrono::Duration) -> DateTime<Utc> {
    at.checked_sub_signed(d)
        .unwrap_or(if d < chrono::Duration::zero() {
            DateTime::<Utc>::MAX_UTC
        } else {
            DateTime::<Utc>::MIN_UTC
        })
}

/// A std duration as a chrono duration (saturating at zero on overflow).
pub fn duration(d: std::time::Duration) -> chrono::Duration {
    chrono::Duration::from_std(d).unwrap_or(chrono::Duration::zero())
}
