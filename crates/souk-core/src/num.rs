//! Numeric conversions that `From`/`TryFrom` cannot express: the one place
//! the workspace's `clippy::as_conversions` lint is allowed outside tests
//! (there is no `From<i64> for f64`, nor any float → integer conversion).

/// `v` as a float, for display and error ranges. Exact for every |v| up to
/// 2^53 (money is bounded by `MAX_AMOUNT`, at most 10^12); beyond that the
/// nearest float.
#[allow(
    clippy::as_conversions,
    reason = "no From<i64> for f64; the rounding above 2^53 is acceptable for display"
)]
pub fn approx_f64(v: i64) -> f64 {
    v as f64
}

/// `v` rounded down to an integer, saturating at `i64`'s ends (NaN gives 0):
/// the documented semantics of a float-to-integer `as`.
#[allow(
    clippy::as_conversions,
    clippy::cast_possible_truncation,
    reason = "no TryFrom<f64> for i64; `as` saturates, which is what callers want"
)]
pub fn floor_saturating(v: f64) -> i64 {
    v.floor() as i64
}

/// A length or count as `u64`. `usize` is at most 64 bits on every target
/// Rust supports, so this never saturates in practice.
pub fn count_u64(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions() {
        assert_eq!(approx_f64(1_000_000_000_000), 1e12);
        assert_eq!(floor_saturating(-0.5), -1);
        assert_eq!(floor_saturating(f64::NAN), 0);
        assert_eq!(floor_saturating(1e300), i64::MAX);
        assert_eq!(count_u64(7), 7);
    }
}
