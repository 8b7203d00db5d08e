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

/// The clock that deadlines are measured against (review windows, dispute
/// response times, settlement proposals) and that the outbox's due rows are
/// claimed by: the system time plus an offset, which tests move forward to
/// drive the schedulers instead of sleeping. One per [`crate::Core`]; the
/// server never moves it.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    offset_micros: std::sync::Arc<std::sync::atomic::AtomicI64>,
}

impl Clock {
    /// Now, as this clock tells it (microsecond precision, like [`now`]).
    pub fn now(&self) -> DateTime<Utc> {
        let offset = self
            .offset_micros
            .load(std::sync::atomic::Ordering::Relaxed);
        later(now(), chrono::Duration::microseconds(offset))
    }

    /// Moves the clock forward by `by` (time passing, for tests).
    pub fn advance(&self, by: chrono::Duration) {
        let micros = by.num_microseconds().unwrap_or(i64::MAX);
        self.offset_micros
            .fetch_add(micros, std::sync::atomic::Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clock_moves_forward_only_when_told() {
        let clock = Clock::default();
        let before = clock.now();
        assert!((clock.now() - before).num_seconds() < 5);
        clock.advance(chrono::Duration::days(14));
        let moved = clock.now() - before;
        assert!(moved >= chrono::Duration::days(14), "{moved}");
        assert!(moved < chrono::Duration::days(14) + chrono::Duration::seconds(5));
        // Clones share the offset (the core is cloned per request).
        let shared = clock.clone();
        shared.advance(chrono::Duration::hours(1));
        assert!(clock.now() - before >= chrono::Duration::hours(337));
    }
}
