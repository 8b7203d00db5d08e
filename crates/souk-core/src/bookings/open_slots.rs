//! `GET /api/offerings/:id/slots?from=&to=`: the free start times of an
//! offering between two of its provider's local dates (at most 62 days),
//! by the offering's time rules (`slots::Rules`).

use chrono::NaiveDate;
use uuid::Uuid;

use super::{
    offerings as offering_rules, schedule,
    slots::{Rules, Slot},
};
use crate::{
    Core,
    accounts::Authenticated,
    error::{Error, FieldErrors, FieldIssue, Result},
};

/// Longest range asked at once, in days.
pub const MAX_DAYS: i64 = 62;

fn date(errors: &mut FieldErrors, field: &str, raw: Option<&str>) -> Option<NaiveDate> {
    match raw.map(str::trim).filter(|r| !r.is_empty()) {
        None => {
            errors.add(field, FieldIssue::Required);
            None
        }
        Some(text) => {
            let parsed = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok();
            if parsed.is_none() {
                errors.add(field, FieldIssue::Invalid);
            }
            parsed
        }
    }
}

/// The free slots of `offering` on the provider's local dates `from..=to`.
pub async fn slots(
    core: &Core,
    caller: Option<&Authenticated>,
    offering: Uuid,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<Vec<Slot>> {
    let mut errors = FieldErrors::new();
    let from = date(&mut errors, "from", from);
    let to = date(&mut errors, "to", to);
    if let (Some(from), Some(to)) = (from, to) {
        let days = (to - from).num_days();
        if !(0..MAX_DAYS).contains(&days) {
            errors.add("to", FieldIssue::out_of_range(0, MAX_DAYS - 1));
        }
    }
    errors.into_result()?;
    let (Some(from), Some(to)) = (from, to) else {
        return Err(Error::Validation(FieldErrors::single(
            "from",
            FieldIssue::Required,
        )));
    };
    let offering = offering_rules::one(core, caller, offering).await?;
    let Some(schedule) = schedule::of(core, offering.provider_id).await? else {
        return Ok(Vec::new());
    };
    let rules = Rules::now(core, &offering, &schedule).await?;
    rules.free(core.db.conn(), from, to, None).await
}
