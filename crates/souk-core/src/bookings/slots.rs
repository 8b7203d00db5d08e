//! An offering's time rules ([`Rules`]): the free start times between two
//! of its provider's local dates, from the provider's schedule expanded per
//! local date (daylight saving handled there), stepping by the offering's
//! duration, without what starts inside the minimum notice or beyond the
//! booking horizon, and without what would overlap the time other bookings
//! hold (their buffers and this offering's included); the check a
//! booking's start must pass, and the nearest free slots a refused one is
//! offered. The route's use-case is [`super::open_slots`].

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use sea_orm::{ConnectionTrait, FromQueryResult};
use serde_json::json;
use souk_db::{entities::offerings, enums::BookingStatus, sql_text::statement};
use uuid::Uuid;

use super::availability;
use crate::{
    Core,
    error::{Error, ErrorCode, Result},
    money::settings,
    time,
};

/// One free slot.
#[derive(Debug, Clone)]
pub struct Slot {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// RFC 3339 with the provider's offset at that instant.
    pub local_start: String,
    pub local_end: String,
}

impl Slot {
    fn new(tz: Tz, start: DateTime<Utc>, end: DateTime<Utc>) -> Self {
        Self {
            start,
            end,
            local_start: availability::local_rfc3339(tz, start),
            local_end: availability::local_rfc3339(tz, end),
        }
    }

    /// The JSON shape of a slot (in errors' details).
    pub fn to_json(&self) -> serde_json::Value {
        json!({
            "startAt": self.start,
            "endAt": self.end,
            "localStart": self.local_start,
            "localEnd": self.local_end,
        })
    }
}

/// The offering's time rules as they apply now.
pub struct Rules<'a> {
    pub offering: &'a offerings::Model,
    pub schedule: &'a availability::Schedule,
    pub earliest: DateTime<Utc>,
    pub horizon: DateTime<Utc>,
}

impl<'a> Rules<'a> {
    /// The rules for `offering` under `schedule` at the core's clock.
    pub async fn now(
        core: &Core,
        offering: &'a offerings::Model,
        schedule: &'a availability::Schedule,
    ) -> Result<Rules<'a>> {
        let rules = settings::load(core.db.conn(), &core.settings).await?;
        Ok(Self::at(
            offering,
            schedule,
            core.clock.now(),
            rules.booking_horizon_days,
        ))
    }

    /// The rules at `now` under a horizon of `horizon_days`.
    pub fn at(
        offering: &'a offerings::Model,
        schedule: &'a availability::Schedule,
        now: DateTime<Utc>,
        horizon_days: i64,
    ) -> Rules<'a> {
        Rules {
            offering,
            schedule,
            earliest: time::later(
                now,
                Duration::minutes(i64::from(offering.min_notice_minutes)),
            ),
            horizon: time::later(now, Duration::days(horizon_days)),
        }
    }

    fn duration(&self) -> u32 {
        u32::try_from(self.offering.duration_minutes).unwrap_or(60)
    }

    fn buffer(&self) -> Duration {
        Duration::minutes(i64::from(self.offering.buffer_minutes))
    }

    /// The schedule's slots on local dates `from..=to` that start after the
    /// notice and end within the horizon (held time not yet removed).
    fn candidates(&self, from: NaiveDate, to: NaiveDate) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
        let mut found = Vec::new();
        let mut day = from;
        while day <= to {
            let slots = self.schedule.slots(day, self.duration(), self.duration());
            found.extend(
                slots
                    .into_iter()
                    .filter(|(start, end)| *start >= self.earliest && *end <= self.horizon),
            );
            match day.succ_opt() {
                Some(next) => day = next,
                None => break,
            }
        }
        found
    }

    /// Free slots on local dates `from..=to`: candidates whose time (with
    /// this offering's buffer) overlaps no holding booking but `except`.
    pub async fn free(
        &self,
        conn: &impl ConnectionTrait,
        from: NaiveDate,
        to: NaiveDate,
        except: Option<Uuid>,
    ) -> Result<Vec<Slot>> {
        let candidates = self.candidates(from, to);
        let (Some(first), Some(last)) = (candidates.first(), candidates.last()) else {
            return Ok(Vec::new());
        };
        let span = (first.0.timestamp(), (last.1 + self.buffer()).timestamp());
        let held = held(conn, &[self.offering.provider_id], span, except).await?;
        Ok(self.free_among(from, to, &held))
    }

    /// Free slots on local dates `from..=to` given the time already held
    /// (`[from, to)` Unix seconds; other providers' rows are ignored).
    pub fn free_among(&self, from: NaiveDate, to: NaiveDate, held: &[Held]) -> Vec<Slot> {
        let tz = self.schedule.time_zone;
        let provider = self.offering.provider_id;
        self.candidates(from, to)
            .into_iter()
            .filter(|(start, end)| {
                let (a, b) = (start.timestamp(), (*end + self.buffer()).timestamp());
                !held
                    .iter()
                    .any(|h| h.provider_id == provider && h.hold_from < b && h.hold_to > a)
            })
            .map(|(start, end)| Slot::new(tz, start, end))
            .collect()
    }

    /// Checks that `start` is a bookable start of this offering (on the
    /// schedule, after the notice, within the horizon); answers its slot.
    /// Whether another booking holds it is the database's to say.
    pub fn check(&self, start: DateTime<Utc>, now: DateTime<Utc>) -> Result<Slot> {
        let refuse = |reason: &str| {
            Err(Error::with_details(
                ErrorCode::SlotUnavailable,
                json!({ "field": "startAt", "reason": reason }),
            ))
        };
        if start <= now {
            return refuse("past");
        }
        if start < self.earliest {
            return refuse("min_notice");
        }
        let tz = self.schedule.time_zone;
        let day = availability::local_date(tz, start);
        let on_schedule = self
            .schedule
            .slots(day, self.duration(), self.duration())
            .into_iter()
            .find(|(s, _)| *s == start);
        let Some((start, end)) = on_schedule else {
            return refuse("not_on_schedule");
        };
        if end > self.horizon {
            return refuse("beyond_horizon");
        }
        Ok(Slot::new(tz, start, end))
    }

    /// Up to `count` free slots nearest to `at` (a day either side of its
    /// local date), for a refused booking.
    pub async fn nearest(
        &self,
        conn: &impl ConnectionTrait,
        at: DateTime<Utc>,
        count: usize,
    ) -> Result<Vec<Slot>> {
        let day = availability::local_date(self.schedule.time_zone, at);
        let from = day.pred_opt().unwrap_or(day);
        let to = day.succ_opt().unwrap_or(day);
        let mut free = self.free(conn, from, to, None).await?;
        free.sort_by_key(|s| (s.start - at).num_seconds().abs());
        free.truncate(count);
        free.sort_by_key(|s| s.start);
        Ok(free)
    }
}

/// Time a holding booking takes.
#[derive(Debug, Clone, FromQueryResult)]
pub struct Held {
    pub provider_id: Uuid,
    pub hold_from: i64,
    pub hold_to: i64,
}

/// The time the given providers' holding bookings take within `span` (Unix
/// seconds), in one statement.
pub async fn held(
    conn: &impl ConnectionTrait,
    providers: &[Uuid],
    span: (i64, i64),
    except: Option<Uuid>,
) -> Result<Vec<Held>> {
    if providers.is_empty() {
        return Ok(Vec::new());
    }
    let mut values: Vec<sea_orm::Value> = vec![span.1.into(), span.0.into()];
    let mut marks = Vec::with_capacity(providers.len());
    for provider in providers {
        values.push((*provider).into());
        marks.push(format!("${}", values.len()));
    }
    let mut sql = format!(
        "SELECT provider_id, hold_from, hold_to FROM bookings WHERE hold_from < $1 \
         AND hold_to > $2 AND provider_id IN ({}) AND status IN ({})",
        marks.join(", "),
        BookingStatus::HOLDING_SQL
    );
    if let Some(except) = except {
        values.push(except.into());
        sql.push_str(&format!(" AND id <> ${}", values.len()));
    }
    Ok(Held::find_by_statement(statement(conn, sql, values))
        .all(conn)
        .await?)
}
