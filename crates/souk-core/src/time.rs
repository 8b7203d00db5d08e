//! The current time, truncated to microseconds so that values read back from
//! either database compare equal to the ones written.

use chrono::{DateTime, SubsecRound, Utc};

/// Now, in UTC, at microsecond precision.
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// A std duration as a chrono duration (saturating at zero on overflow).
pub fn duration(d: std::time::Duration) -> chrono::Duration {
    chrono::Duration::from_std(d).unwrap_or(chrono::Duration::zero())
}
