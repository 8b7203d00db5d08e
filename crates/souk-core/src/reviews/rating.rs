//! A user's rating from the sums on their row: the plain average (one
//! decimal) shown on profiles, and the Bayesian-adjusted score used for
//! ranking, which pulls a short record towards a prior so that one 5-star
//! review does not outrank fifty 4.8s:
//!
//! `score = (C × m + Σ ratings) / (C + n)`, with `C = 5` reviews' weight
//! and `m = 3.5` the prior mean (below the usual marketplace average, so a
//! newcomer ranks under a proven craftsman until their record speaks).

use crate::num::approx_f64;

/// How many reviews the prior weighs.
pub const PRIOR_WEIGHT: f64 = 5.0;
/// The prior mean.
pub const PRIOR_MEAN: f64 = 3.5;

/// The average of `count` ratings summing to `sum`, one decimal; `None`
/// without any.
pub fn average(sum: i64, count: i32) -> Option<f64> {
    (count > 0).then(|| round1(approx_f64(sum) / f64::from(count)))
}

/// The Bayesian-adjusted score (two decimals); the prior mean without
/// any review.
pub fn bayesian(sum: i64, count: i32) -> f64 {
    let n = f64::from(count.max(0));
    let score = (PRIOR_WEIGHT * PRIOR_MEAN + approx_f64(sum)) / (PRIOR_WEIGHT + n);
    (score * 100.0).round() / 100.0
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_good_record_outranks_a_single_perfect_review() {
        assert_eq!(average(5, 1), Some(5.0));
        assert_eq!(average(14, 3), Some(4.7));
        assert_eq!(average(0, 0), None);
        assert!(bayesian(240, 50) > bayesian(5, 1));
        assert_eq!(bayesian(0, 0), PRIOR_MEAN);
        // (5 × 3.5 + 5) / 6 = 3.75
        assert_eq!(bayesian(5, 1), 3.75);
    }
}
