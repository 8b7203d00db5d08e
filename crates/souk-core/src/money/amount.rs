//! The one rule for money amounts in requests: whole minor units from a
//! floor up to the server's `MAX_AMOUNT` (`Settings::max_amount`, shown in
//! `/api/meta` as `maxAmount`), refused field by field with the usual 400.
//! Quote prices, budgets, package prices and credits, top-ups, tips, fees,
//! withdrawals and staff money settings all pass through it.
//!
//! Also the arithmetic on amounts. `MAX_AMOUNT` is at most 10^12 (the
//! configuration refuses more), so the sum or difference of a few checked
//! amounts is far inside `i64`; but a total over many rows, a product, or
//! the negation of a stored balance is not bounded by it. Money code uses
//! the checked operations below (the `money` module denies plain
//! arithmetic with `clippy::arithmetic_side_effects`): an overflow there is
//! a broken invariant and fails the request with an internal error instead
//! of moving a wrapped amount.

use crate::error::{Error, FieldErrors, FieldIssue, Result};

/// Adds an out-of-range issue for `field` unless `min <= value <= max`;
/// answers whether the value was in range.
pub fn check(errors: &mut FieldErrors, field: &str, value: i64, min: i64, max: i64) -> bool {
    let ok = (min..=max).contains(&value);
    if !ok {
        errors.add(field, FieldIssue::out_of_range(min, max));
    }
    ok
}

/// Checks an amount to pay: 1 ..= `max` (the server's `MAX_AMOUNT`).
pub fn check_payable(errors: &mut FieldErrors, field: &str, amount: i64, max: i64) {
    check(errors, field, amount, 1, max);
}

/// The internal error of an amount computation that overflowed `i64`.
pub fn overflow(what: &str) -> Error {
    anyhow::anyhow!("money arithmetic overflowed: {what}").into()
}

/// `a + b`, or an internal error on overflow.
pub fn add(a: i64, b: i64) -> Result<i64> {
    a.checked_add(b).ok_or_else(|| overflow("sum"))
}

/// `a - b`, or an internal error on overflow.
pub fn sub(a: i64, b: i64) -> Result<i64> {
    a.checked_sub(b).ok_or_else(|| overflow("difference"))
}

/// `-a`, or an internal error for `i64::MIN`.
pub fn neg(a: i64) -> Result<i64> {
    a.checked_neg().ok_or_else(|| overflow("negation"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checked_arithmetic_refuses_overflow() {
        assert_eq!(add(2, 3).ok(), Some(5));
        assert!(add(i64::MAX, 1).is_err());
        assert!(sub(i64::MIN, 1).is_err());
        assert!(neg(i64::MIN).is_err());
    }
}
