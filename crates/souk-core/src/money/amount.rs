//! The one rule for money amounts in requests: whole minor units from a
//! floor up to the server's `MAX_AMOUNT` (`Settings::max_amount`, shown in
//! `/api/meta` as `maxAmount`), refused field by field with the usual 400.
//! Quote prices, budgets, package prices and credits, top-ups, tips, fees,
//! withdrawals and staff money settings all pass through it.

use crate::error::{FieldErrors, FieldIssue};

/// Adds an out-of-range issue for `field` unless `min <= value <= max`;
/// answers whether the value was in range.
pub fn check(errors: &mut FieldErrors, field: &str, value: i64, min: i64, max: i64) -> bool {
    let ok = (min..=max).contains(&value);
    if !ok {
        errors.add(
            field,
            FieldIssue::OutOfRange {
                min: min as f64,
                max: max as f64,
            },
        );
    }
    ok
}

/// Checks an amount to pay: 1 ..= `max` (the server's `MAX_AMOUNT`).
pub fn check_payable(errors: &mut FieldErrors, field: &str, amount: i64, max: i64) {
    check(errors, field, amount, 1, max);
}
