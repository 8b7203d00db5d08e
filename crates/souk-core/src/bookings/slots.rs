//! `GET /api/offerings/:id/slots?from=&to=`: the free start times of an
//! offering between two of its provider's local dates (at most 62 days),
//! from the provider's schedule expanded per local date (daylight saving
//! handled there), stepping by the offering's duration, without what
//! starts inside the minimum notice or beyond the booking horizon. Bookings
//! will take their time (with buffers) out of these once they exist.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::{availability, offerings, schedule};
use crate::{
    Core,
    accounts::Authenticated,
    error::{Error, FieldErrors, FieldIssue, Result},
    money::settings,
    time,
};

/// Longest range asked at once, in days.
pub const MAX_DAYS: i64 = 62;

/// One free slot.
#[derive(Debug, Clone)]
pub struct Slot {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// RFC 3339 with the provider's offset at that instant.
    pub local_start: String,
    pub local_end: String,
}

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
    offering: uuid::Uuid,
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
    let offering = offerings::one(core, caller, offering).await?;
    let Some(schedule) = schedule::of(core, offering.provider_id).await? else {
        return Ok(Vec::new());
    };
    let rules = settings::load(core.db.conn(), &core.settings).await?;
    let now = core.clock.now();
    let earliest = time::later(
        now,
        Duration::minutes(i64::from(offering.min_notice_minutes)),
    );
    let horizon = time::later(now, Duration::days(rules.booking_horizon_days));
    let duration = u32::try_from(offering.duration_minutes).unwrap_or(60);
    let tz = schedule.time_zone;
    let mut found = Vec::new();
    let mut day = from;
    while day <= to {
        for (start, end) in schedule.slots(day, duration, duration) {
            if start >= earliest && end <= horizon {
                found.push(Slot {
                    start,
                    end,
                    local_start: availability::local_rfc3339(tz, start),
                    local_end: availability::local_rfc3339(tz, end),
                });
            }
        }
        match day.succ_opt() {
            Some(next) => day = next,
            None => break,
        }
    }
    Ok(found)
}
