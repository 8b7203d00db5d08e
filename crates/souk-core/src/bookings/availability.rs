//! Provider availability kept as LOCAL WALL TIME plus an IANA time zone.
//!
//! Hours are stored the way people state them ("Mondays 09:00–17:00 in
//! America/New_York"), never as fixed UTC offsets. Every question about a real
//! day is answered by taking the rule for that LOCAL date and resolving each
//! wall time through the zone's rules on that very date, so the same "09:00" is
//! 14:00Z in winter and 13:00Z in summer. Daylight-saving edges are explicit
//! (see [`resolve`]): a wall time inside a spring-forward gap does not exist, so
//! no slot starts there and an interval bound inside the gap is clamped to the
//! transition instant (open time is never invented); a wall time inside a
//! fall-back overlap exists twice, and each of its real instants is offered
//! once. Durations are real elapsed time (UTC). Time off is a list of UTC
//! instant ranges, subtracted last.

use chrono::{
    DateTime, Datelike, Duration, MappedLocalTime, NaiveDate, NaiveDateTime, NaiveTime, Offset,
    SecondsFormat, TimeZone, Utc, Weekday,
};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// A range of real time, `[start, end)` in UTC.
pub type UtcRange = (DateTime<Utc>, DateTime<Utc>);

const MINUTES_PER_DAY: u16 = 1440;
const MAX_INTERVALS: usize = 50;
const MAX_OVERRIDES: usize = 366;
const MAX_TIME_OFF: usize = 200;

/// A span of local wall time within one day, in minutes since local midnight:
/// `start < end <= 1440`, where 1440 is "24:00" (midnight at the end of the day).
/// JSON: `{"start":"09:00","end":"17:00"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "IntervalJson", into = "IntervalJson")]
pub struct LocalInterval {
    pub start: u16,
    pub end: u16,
}

#[derive(Serialize, Deserialize)]
struct IntervalJson {
    start: String,
    end: String,
}

impl From<LocalInterval> for IntervalJson {
    fn from(interval: LocalInterval) -> Self {
        IntervalJson {
            start: format_hhmm(interval.start),
            end: format_hhmm(interval.end),
        }
    }
}

impl TryFrom<IntervalJson> for LocalInterval {
    type Error = &'static str;
    fn try_from(raw: IntervalJson) -> Result<Self, Self::Error> {
        let start = parse_hhmm(&raw.start, false).ok_or("invalid_time")?;
        let end = parse_hhmm(&raw.end, true).ok_or("invalid_time")?;
        LocalInterval::new(start, end).ok_or("empty_interval")
    }
}

impl LocalInterval {
    /// `None` unless `start < end <= 1440`.
    pub fn new(start: u16, end: u16) -> Option<Self> {
        (start < end && end <= MINUTES_PER_DAY).then_some(LocalInterval { start, end })
    }

    fn overlaps(self, other: LocalInterval) -> bool {
        self.start < other.end && other.start < self.end
    }
}

/// The schedule as the API carries it (see [`Schedule::parse`] for the JSON shape).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    pub time_zone: Tz,
    pub weekly: Vec<WeeklyInterval>,
    pub overrides: Vec<DateOverride>,
    pub time_off: Vec<TimeOff>,
}

/// Open on every `day` from `start` to `end` (minutes since local midnight, as in [`LocalInterval`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeeklyInterval {
    pub day: Weekday,
    pub start: u16,
    pub end: u16,
}

/// Replaces the weekly hours on one local date; no intervals closes the date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateOverride {
    pub date: NaiveDate,
    pub intervals: Vec<LocalInterval>,
}

/// Closed from `from` to `to` (UTC instants, `from < to`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeOff {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
}

/// What is wrong with a schedule: the JSON field path and a short reason code:
/// "unknown_time_zone", "invalid_time", "empty_interval", "overlapping_intervals",
/// "invalid_day", "invalid_date", "duplicate_date", "invalid_range", "too_many",
/// or "invalid_type" (a value that should be an object or an array is not).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleError {
    pub field: String,
    pub issue: &'static str,
}

/// A local wall time resolved in a zone on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolved {
    /// The wall time exists once.
    Single(DateTime<Utc>),
    /// The wall time is in a fall-back overlap: (earlier, later).
    Ambiguous(DateTime<Utc>, DateTime<Utc>),
    /// The wall time is in a spring-forward gap and never shows on the clock.
    Skipped,
}

/// Converts a local wall time on a date in `tz` to UTC, DST-aware.
pub fn resolve(tz: Tz, date: NaiveDate, time: NaiveTime) -> Resolved {
    resolve_local(tz, date.and_time(time))
}

/// A stored zone name (UTC for one this build does not know).
pub fn zone(name: &str) -> Tz {
    name.parse::<Tz>().unwrap_or(Tz::UTC)
}

/// The local date of an instant in `tz`.
pub fn local_date(tz: Tz, at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&tz).date_naive()
}

/// The instant as RFC 3339 with the zone's offset at that instant,
/// e.g. "2027-03-14T09:00:00-04:00" (for `localStart`/`localEnd` in the API).
pub fn local_rfc3339(tz: Tz, at: DateTime<Utc>) -> String {
    at.with_timezone(&tz)
        .to_rfc3339_opts(SecondsFormat::AutoSi, false)
}

fn resolve_local(tz: Tz, local: NaiveDateTime) -> Resolved {
    match tz.from_local_datetime(&local) {
        MappedLocalTime::Single(at) => Resolved::Single(at.with_timezone(&Utc)),
        MappedLocalTime::Ambiguous(a, b) => {
            let (a, b) = (a.with_timezone(&Utc), b.with_timezone(&Utc));
            Resolved::Ambiguous(a.min(b), a.max(b))
        }
        MappedLocalTime::None => Resolved::Skipped,
    }
}

/// The wall clock at `minute` minutes after local midnight of `date` (1440 = next midnight).
fn local_at(date: NaiveDate, minute: u32) -> Option<NaiveDateTime> {
    date.and_time(NaiveTime::MIN)
        .checked_add_signed(Duration::minutes(i64::from(minute)))
}

/// The transition instant of the spring-forward gap that contains the wall time `local`:
/// both the last instant before the gap and the first one after it.
fn gap_instant(tz: Tz, local: NaiveDateTime) -> Option<DateTime<Utc>> {
    let wall = local.and_utc();
    let offset = |at: DateTime<Utc>| at.with_timezone(&tz).offset().fix().local_minus_utc();
    let offset = |at| Duration::seconds(i64::from(offset(at)));
    let wall_clock = |at: DateTime<Utc>| at.checked_add_signed(offset(at));
    let before = offset(wall.checked_sub_signed(Duration::days(1))?);
    let after = offset(wall.checked_add_signed(Duration::days(1))?);
    // The clock jumps from `before` to `after` at T, with wall - after < T <= wall - before.
    let mut lo = wall.checked_sub_signed(after)?;
    let mut hi = wall.checked_sub_signed(before)?;
    if lo >= hi {
        return None;
    }
    // Invariant: the clock at `lo` reads at most `wall`, at `hi` more than `wall`.
    while (hi - lo).num_seconds() > 1 {
        let mid = lo.checked_add_signed(Duration::seconds((hi - lo).num_seconds() / 2))?;
        if wall_clock(mid)? > wall {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Some(hi)
}

/// A local interval bound on `date` as a real instant: a start in a gap opens when the gap ends,
/// an end in a gap closes when it starts; in an overlap a start takes the earlier instant and an
/// end the later one.
fn bound(tz: Tz, date: NaiveDate, minute: u16, is_end: bool) -> Option<DateTime<Utc>> {
    let local = local_at(date, u32::from(minute))?;
    match resolve_local(tz, local) {
        Resolved::Single(at) => Some(at),
        Resolved::Ambiguous(earlier, later) => Some(if is_end { later } else { earlier }),
        Resolved::Skipped => gap_instant(tz, local),
    }
}

fn merge(mut ranges: Vec<UtcRange>) -> Vec<UtcRange> {
    ranges.sort();
    let mut merged: Vec<UtcRange> = Vec::with_capacity(ranges.len());
    for (start, end) in ranges {
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    merged
}

fn subtract(ranges: Vec<UtcRange>, off: &TimeOff) -> Vec<UtcRange> {
    let mut out = Vec::with_capacity(ranges.len());
    for (start, end) in ranges {
        if off.to <= start || end <= off.from {
            out.push((start, end));
            continue;
        }
        if start < off.from {
            out.push((start, off.from));
        }
        if off.to < end {
            out.push((off.to, end));
        }
    }
    out
}

impl Schedule {
    /// Parses and validates the API JSON, or returns every problem found. Shape (camelCase):
    /// `{"timeZone":"Africa/Cairo","weekly":[{"day":"mon","start":"09:00","end":"17:00"}],
    /// "overrides":[{"date":"2027-03-14","intervals":[{"start":"10:00","end":"12:00"}]}],
    /// "timeOff":[{"from":"2027-04-01T00:00:00Z","to":"2027-04-03T00:00:00Z"}]}`.
    /// A missing or null list is empty. At most 50 weekly intervals, 366 overrides of at most 50
    /// intervals each, and 200 time-off ranges. Field paths look like "weekly[2].end".
    pub fn parse(value: &Value) -> Result<Schedule, Vec<ScheduleError>> {
        let mut errs = Errors(Vec::new());
        if !value.is_object() {
            errs.push("", "invalid_type");
            return Err(errs.0);
        }
        let parse = |name: &str| name.parse::<Tz>().ok();
        let time_zone = errs.field(value, "", "timeZone", "unknown_time_zone", parse);
        let weekly = parse_weekly(errs.list(value, "", "weekly", MAX_INTERVALS), &mut errs);
        let overrides =
            parse_overrides(errs.list(value, "", "overrides", MAX_OVERRIDES), &mut errs);
        let time_off = parse_time_off(errs.list(value, "", "timeOff", MAX_TIME_OFF), &mut errs);
        match time_zone {
            Some(time_zone) if errs.0.is_empty() => Ok(Schedule {
                time_zone,
                weekly,
                overrides,
                time_off,
            }),
            _ => Err(errs.0),
        }
    }

    /// Back to the API JSON shape (round-trips [`Schedule::parse`]).
    pub fn to_json(&self) -> Value {
        let hhmm = |start, end| json!({"start": format_hhmm(start), "end": format_hhmm(end)});
        let instant = |at: DateTime<Utc>| at.to_rfc3339_opts(SecondsFormat::AutoSi, true);
        let mut weekly = Vec::new();
        for w in &self.weekly {
            let (day, start, end) = (w.day.to_string(), format_hhmm(w.start), format_hhmm(w.end));
            weekly.push(json!({"day": day.to_lowercase(), "start": start, "end": end}));
        }
        let mut overrides = Vec::new();
        for o in &self.overrides {
            let intervals: Vec<Value> = o.intervals.iter().map(|i| hhmm(i.start, i.end)).collect();
            let date = o.date.format("%Y-%m-%d").to_string();
            overrides.push(json!({"date": date, "intervals": intervals}));
        }
        let time_off = self
            .time_off
            .iter()
            .map(|t| json!({"from": instant(t.from), "to": instant(t.to)}));
        let time_off: Vec<Value> = time_off.collect();
        let time_zone = self.time_zone.name();
        json!({"timeZone": time_zone, "weekly": weekly, "overrides": overrides, "timeOff": time_off})
    }

    /// The local intervals that apply on `date`: its override's, else its weekday's.
    fn intervals_on(&self, date: NaiveDate) -> Vec<LocalInterval> {
        let on_day = self.weekly.iter().filter(|w| w.day == date.weekday());
        let bounds: Vec<(u16, u16)> = match self.overrides.iter().find(|o| o.date == date) {
            Some(o) => o.intervals.iter().map(|i| (i.start, i.end)).collect(),
            None => on_day.map(|w| (w.start, w.end)).collect(),
        };
        let valid = |(start, end): (u16, u16)| LocalInterval::new(start, end);
        bounds.into_iter().filter_map(valid).collect()
    }

    /// The open UTC ranges on one LOCAL date, time off subtracted; sorted, touching ones merged.
    pub fn open_ranges(&self, date: NaiveDate) -> Vec<UtcRange> {
        let tz = self.time_zone;
        let real = |i: LocalInterval| {
            Some((
                bound(tz, date, i.start, false)?,
                bound(tz, date, i.end, true)?,
            ))
        };
        let ranges = self.intervals_on(date).into_iter().filter_map(real);
        let ranges: Vec<UtcRange> = ranges.filter(|(start, end)| start < end).collect();
        self.time_off.iter().fold(merge(ranges), subtract)
    }

    /// Slots on a LOCAL date: local starts stepped every `step_minutes` (0 = the duration) from
    /// each interval's local start, each resolved to UTC on its own (a start in a gap yields no
    /// slot, one in an overlap yields both real instants); a slot lasts `duration_minutes` of real
    /// time and must lie inside one open range. Sorted by UTC, without duplicates.
    pub fn slots(
        &self,
        date: NaiveDate,
        duration_minutes: u32,
        step_minutes: u32,
    ) -> Vec<UtcRange> {
        if duration_minutes == 0 {
            return Vec::new();
        }
        let step = if step_minutes == 0 {
            duration_minutes
        } else {
            step_minutes
        };
        let duration = Duration::minutes(i64::from(duration_minutes));
        let open = self.open_ranges(date);
        let mut out = Vec::new();
        for interval in self.intervals_on(date) {
            let mut minute = u32::from(interval.start);
            while minute < u32::from(interval.end) {
                let local = local_at(date, minute);
                let starts = match local.map(|l| resolve_local(self.time_zone, l)) {
                    Some(Resolved::Single(at)) => [Some(at), None],
                    Some(Resolved::Ambiguous(earlier, later)) => [Some(earlier), Some(later)],
                    Some(Resolved::Skipped) | None => [None, None],
                };
                for start in starts.into_iter().flatten() {
                    let Some(end) = start.checked_add_signed(duration) else {
                        continue;
                    };
                    if open.iter().any(|&(from, to)| from <= start && end <= to) {
                        out.push((start, end));
                    }
                }
                minute = minute.saturating_add(step);
            }
        }
        out.sort();
        out.dedup();
        out
    }
}

struct Errors(Vec<ScheduleError>);

impl Errors {
    fn push(&mut self, field: impl Into<String>, issue: &'static str) {
        let field = field.into();
        self.0.push(ScheduleError { field, issue });
    }

    /// The array at `path.key` (absent or null = empty), at most `max` long.
    fn list<'a>(&mut self, parent: &'a Value, path: &str, key: &str, max: usize) -> &'a [Value] {
        let issue = match parent.get(key) {
            None | Some(Value::Null) => return &[],
            Some(Value::Array(items)) if items.len() <= max => return items,
            Some(Value::Array(_)) => "too_many",
            Some(_) => "invalid_type",
        };
        self.push(join(path, key), issue);
        &[]
    }

    /// The string at `path.key` parsed by `parse`, or `issue` reported against it.
    fn field<T>(
        &mut self,
        item: &Value,
        path: &str,
        key: &str,
        issue: &'static str,
        parse: impl Fn(&str) -> Option<T>,
    ) -> Option<T> {
        let value = item.get(key).and_then(Value::as_str).and_then(parse);
        if value.is_none() {
            self.push(join(path, key), issue);
        }
        value
    }

    /// Reports `path` unless `item` is a JSON object.
    fn object(&mut self, item: &Value, path: &str) -> bool {
        if !item.is_object() {
            self.push(path, "invalid_type");
        }
        item.is_object()
    }

    fn interval(&mut self, item: &Value, path: &str) -> Option<LocalInterval> {
        let start = self.field(item, path, "start", "invalid_time", |s| {
            parse_hhmm(s, false)
        });
        let end = self.field(item, path, "end", "invalid_time", |s| parse_hhmm(s, true));
        let interval = LocalInterval::new(start?, end?);
        if interval.is_none() {
            self.push(path, "empty_interval");
        }
        interval
    }

    fn instant(&mut self, item: &Value, path: &str, key: &str) -> Option<DateTime<Utc>> {
        let parse = |s: &str| DateTime::parse_from_rfc3339(s).ok();
        let at = self.field(item, path, key, "invalid_date", parse);
        at.map(|at| at.with_timezone(&Utc))
    }

    /// Flags every interval that overlaps an earlier-listed one of the same group.
    fn overlaps<K: PartialEq>(&mut self, items: &[(String, K, LocalInterval)]) {
        for (j, (path, group, interval)) in items.iter().enumerate() {
            let mut earlier = items.iter().take(j);
            if earlier.any(|(_, g, other)| g == group && other.overlaps(*interval)) {
                self.push(path.as_str(), "overlapping_intervals");
            }
        }
    }
}

fn parse_weekly(items: &[Value], errs: &mut Errors) -> Vec<WeeklyInterval> {
    let mut valid = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let path = format!("weekly[{i}]");
        if !errs.object(item, &path) {
            continue;
        }
        // "mon".."sun" or full English names, case-insensitively.
        let day = errs.field(item, &path, "day", "invalid_day", |d| {
            d.parse::<Weekday>().ok()
        });
        if let (Some(interval), Some(day)) = (errs.interval(item, &path), day) {
            valid.push((path, day, interval));
        }
    }
    errs.overlaps(&valid);
    let weekly = |(_, day, i): (String, Weekday, LocalInterval)| WeeklyInterval {
        day,
        start: i.start,
        end: i.end,
    };
    valid.into_iter().map(weekly).collect()
}

fn parse_overrides(items: &[Value], errs: &mut Errors) -> Vec<DateOverride> {
    let mut out: Vec<DateOverride> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let path = format!("overrides[{i}]");
        if !errs.object(item, &path) {
            continue;
        }
        let parse = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok();
        let date = errs.field(item, &path, "date", "invalid_date", parse);
        if date.is_some_and(|d| out.iter().any(|o| o.date == d)) {
            errs.push(format!("{path}.date"), "duplicate_date");
        }
        let mut valid = Vec::new();
        let raw = errs.list(item, &path, "intervals", MAX_INTERVALS);
        for (k, raw) in raw.iter().enumerate() {
            let interval_path = format!("{path}.intervals[{k}]");
            if !errs.object(raw, &interval_path) {
                continue;
            }
            if let Some(interval) = errs.interval(raw, &interval_path) {
                valid.push((interval_path, (), interval));
            }
        }
        errs.overlaps(&valid);
        let intervals = valid.into_iter().map(|(_, (), i)| i).collect();
        out.extend(date.map(|date| DateOverride { date, intervals }));
    }
    out
}

fn parse_time_off(items: &[Value], errs: &mut Errors) -> Vec<TimeOff> {
    let mut out = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let path = format!("timeOff[{i}]");
        if !errs.object(item, &path) {
            continue;
        }
        let from = errs.instant(item, &path, "from");
        let to = errs.instant(item, &path, "to");
        match (from, to) {
            (Some(from), Some(to)) if from < to => out.push(TimeOff { from, to }),
            (Some(_), Some(_)) => errs.push(path, "invalid_range"),
            _ => {}
        }
    }
    out
}

/// "HH:MM" (00:00–23:59, or "24:00" when `allow_24`) to minutes since midnight.
fn parse_hhmm(text: &str, allow_24: bool) -> Option<u16> {
    let (h, m) = text.split_once(':')?;
    if h.len() != 2 || m.len() != 2 || !h.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
    match (h, m) {
        (0..=23, 0..=59) => Some(h * 60 + m),
        (24, 0) if allow_24 => Some(MINUTES_PER_DAY),
        _ => None,
    }
}

/// The JSON path of `key` inside `path` ("" is the root).
fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

fn format_hhmm(minute: u16) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;

    const NY: Tz = chrono_tz::America::New_York;
    const CAIRO: Tz = chrono_tz::Africa::Cairo;

    fn date(text: &str) -> NaiveDate {
        text.parse().expect("a date")
    }

    fn utc(text: &str) -> DateTime<Utc> {
        text.parse().expect("an instant")
    }

    fn span(from: &str, to: &str) -> UtcRange {
        (utc(from), utc(to))
    }

    fn every_day(start: &str, end: &str) -> Value {
        let days = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
        Value::from(days.map(|d| json!({"day": d, "start": start, "end": end})))
    }

    /// A valid schedule in `tz` from the other fields of `rest`.
    fn schedule(tz: Tz, mut rest: Value) -> Schedule {
        rest["timeZone"] = tz.name().into();
        Schedule::parse(&rest).expect("a valid schedule")
    }

    /// Open only on `day`, from `start` to `end`.
    fn only(tz: Tz, day: &str, start: &str, end: &str) -> Schedule {
        let intervals = json!([{"start": start, "end": end}]);
        let overrides = json!([{"date": day, "intervals": intervals}]);
        schedule(tz, json!({ "overrides": overrides }))
    }

    /// Slot starts as local RFC 3339 strings.
    fn starts(s: &Schedule, day: NaiveDate, duration: u32, step: u32) -> Vec<String> {
        let slots = s.slots(day, duration, step);
        let local = |x: &UtcRange| local_rfc3339(s.time_zone, x.0);
        slots.iter().map(local).collect()
    }

    fn open_minutes(ranges: &[UtcRange]) -> i64 {
        ranges.iter().map(|(a, b)| (*b - *a).num_minutes()).sum()
    }

    /// 8 hourly slots from 09:00 to 16:00 local, the first at `utc_hour`:00Z.
    fn assert_nine_to_five(s: &Schedule, day: NaiveDate, utc_hour: u32) {
        let (slots, local) = (s.slots(day, 60, 60), starts(s, day, 60, 60));
        let first = day.and_hms_opt(utc_hour, 0, 0).expect("a time").and_utc();
        let want = (8, (first, first + Duration::hours(1)));
        assert_eq!((slots.len(), slots[0]), want, "{day}");
        let (nine, four) = (format!("{day}T09:00:00"), format!("{day}T16:00:00"));
        assert!(local[0].starts_with(&nine), "{local:?}");
        assert!(local[7].starts_with(&four), "{local:?}");
    }

    #[test]
    fn new_york_slots_start_at_nine_local_around_both_transitions() {
        let s = schedule(NY, json!({"weekly": every_day("09:00", "17:00")}));
        let days = "2027-03-13 2027-03-14 2027-03-15 2027-11-06 2027-11-07 2027-11-08".split(' ');
        // 09:00 EST = 14:00Z, 09:00 EDT = 13:00Z.
        for (day, utc_hour) in days.zip([14, 13, 13, 13, 14, 14]) {
            assert_nine_to_five(&s, date(day), utc_hour);
        }
    }

    #[test]
    fn cairo_observes_dst_again() {
        let offset = |at: DateTime<Utc>| at.with_timezone(&CAIRO).offset().fix();
        let hours = (0..24 * 365).map(|h| utc("2027-01-01T00:00:00Z") + Duration::hours(h));
        let hour = Duration::hours(1);
        let changes: Vec<_> = hours.filter(|t| offset(*t - hour) != offset(*t)).collect();
        let [spring, autumn] = changes[..] else {
            panic!("{changes:?}")
        };
        // tzdata: last Friday of April 00:00 -> 01:00, last Thursday of October 24:00 -> 23:00.
        let (spring_day, autumn_day) = (local_date(CAIRO, spring), local_date(CAIRO, autumn));
        let (day, week, second) = (Duration::days(1), Duration::days(7), Duration::seconds(1));
        let shape = |d: NaiveDate| (d.weekday(), d.month(), (d + week).month());
        assert_eq!(shape(spring_day), (Weekday::Fri, 4, 5));
        assert_eq!(shape(autumn_day), (Weekday::Thu, 10, 11));
        let eve = spring_day - day;
        for (at, want) in [
            (spring - second, format!("{eve}T23:59:59+02:00")),
            (spring, format!("{spring_day}T01:00:00+03:00")),
            (autumn - second, format!("{autumn_day}T23:59:59+03:00")),
            (autumn, format!("{autumn_day}T23:00:00+02:00")),
        ] {
            assert_eq!(local_rfc3339(CAIRO, at), want);
        }
        // 09:00 EET = 07:00Z, 09:00 EEST = 06:00Z.
        let s = schedule(CAIRO, json!({"weekly": every_day("09:00", "17:00")}));
        let around = |d: NaiveDate| [d - day, d, d + day];
        let days = around(spring_day).into_iter().chain(around(autumn_day));
        for (d, utc_hour) in days.zip([7, 6, 6, 6, 6, 7]) {
            assert_nine_to_five(&s, d, utc_hour);
        }
        // Whole transition days: Friday's 00:00 never shows (23 h), Thursday's 23:xx twice (25 h).
        let s = only(CAIRO, &spring_day.to_string(), "00:00", "24:00");
        let want = [(spring, spring + Duration::hours(23))];
        assert_eq!(s.open_ranges(spring_day), want);
        let s = only(CAIRO, &autumn_day.to_string(), "00:00", "24:00");
        let start = autumn_day.and_hms_opt(0, 0, 0).expect("a time").and_utc() - hour * 3;
        let want = [(start, start + Duration::hours(25))];
        assert_eq!(s.open_ranges(autumn_day), want);
    }

    #[test]
    fn nothing_is_offered_in_the_skipped_hour() {
        let day = date("2027-03-14");
        let s = only(NY, "2027-03-14", "01:00", "04:00");
        let local = starts(&s, day, 30, 30);
        assert!(local.iter().all(|t| !t.contains("T02:")), "{local:?}");
        let want = ["01:00:00-05", "01:30:00-05", "03:00:00-04", "03:30:00-04"];
        assert_eq!(local, want.map(|t| format!("2027-03-14T{t}:00")));
        assert_eq!(open_minutes(&s.open_ranges(day)), 120);
        // A bound inside the gap maps to the transition instant, never inventing open time.
        let two_fifteen = NaiveTime::from_hms_opt(2, 15, 0).expect("a time");
        assert_eq!(resolve(NY, day, two_fifteen), Resolved::Skipped);
        let s = only(NY, "2027-03-14", "02:15", "05:00");
        let want = [span("2027-03-14T07:00:00Z", "2027-03-14T09:00:00Z")];
        assert_eq!(s.open_ranges(day), want);
        let s = only(NY, "2027-03-14", "00:00", "02:30");
        let want = [span("2027-03-14T05:00:00Z", "2027-03-14T07:00:00Z")];
        assert_eq!(s.open_ranges(day), want);
        assert_eq!(starts(&s, day, 30, 30).len(), 4);
    }

    #[test]
    fn the_repeated_hour_yields_each_real_instant_once() {
        let day = date("2027-11-07");
        let s = only(NY, "2027-11-07", "00:00", "03:00");
        let slots: Vec<_> = s.slots(day, 60, 60).into_iter().map(|x| x.0).collect();
        let mut distinct = slots.clone();
        distinct.dedup();
        assert!(slots.is_sorted() && distinct == slots, "{slots:?}");
        let (edt, est) = (utc("2027-11-07T05:00:00Z"), utc("2027-11-07T06:00:00Z"));
        assert!(slots.contains(&edt) && slots.contains(&est), "{slots:?}");
        assert_eq!(open_minutes(&s.open_ranges(day)), 4 * 60);
        assert_eq!(slots.len(), 4);
        assert_eq!(s.slots(day, 30, 30).len(), 8);
        let one_thirty = NaiveTime::from_hms_opt(1, 30, 0).expect("a time");
        let both = Resolved::Ambiguous(utc("2027-11-07T05:30:00Z"), utc("2027-11-07T06:30:00Z"));
        assert_eq!(resolve(NY, day, one_thirty), both);
        let june = resolve(NY, date("2027-06-01"), one_thirty);
        assert_eq!(june, Resolved::Single(utc("2027-06-01T05:30:00Z")));
    }

    #[test]
    fn overrides_replace_the_weekday_and_an_empty_one_closes_the_day() {
        let overrides = json!([
            {"date": "2027-03-15", "intervals": [{"start": "10:00", "end": "12:00"}]},
            {"date": "2027-03-16", "intervals": []},
        ]);
        let weekly = every_day("09:00", "17:00");
        let s = schedule(NY, json!({"weekly": weekly, "overrides": overrides}));
        let (monday, tuesday) = (date("2027-03-15"), date("2027-03-16"));
        let want = [span("2027-03-15T14:00:00Z", "2027-03-15T16:00:00Z")];
        assert_eq!(s.open_ranges(monday), want);
        assert_eq!(s.slots(monday, 60, 60).len(), 2);
        assert!(s.open_ranges(tuesday).is_empty());
        assert!(s.slots(tuesday, 60, 60).is_empty());
        let want = [span("2027-03-17T13:00:00Z", "2027-03-17T21:00:00Z")];
        assert_eq!(s.open_ranges(date("2027-03-17")), want);
    }

    #[test]
    fn time_off_is_subtracted() {
        let time_off = json!([
            {"from": "2027-06-01T15:00:00Z", "to": "2027-06-01T16:30:00Z"},
            {"from": "2027-06-02T00:00:00Z", "to": "2027-06-03T00:00:00Z"},
        ]);
        let weekly = every_day("09:00", "17:00");
        let s = schedule(NY, json!({"weekly": weekly, "timeOff": time_off}));
        let day = date("2027-06-01");
        let want = [
            span("2027-06-01T13:00:00Z", "2027-06-01T15:00:00Z"),
            span("2027-06-01T16:30:00Z", "2027-06-01T21:00:00Z"),
        ];
        assert_eq!(s.open_ranges(day), want);
        let want = ["09", "10", "13", "14", "15", "16"];
        let want = want.map(|h| format!("2027-06-01T{h}:00:00-04:00"));
        assert_eq!(starts(&s, day, 60, 60), want);
        assert!(s.open_ranges(date("2027-06-02")).is_empty());
        assert!(s.slots(date("2027-06-02"), 60, 60).is_empty());
    }

    #[test]
    fn a_slot_must_fit_inside_an_open_range() {
        let day = date("2027-06-07"); // a Monday
        let weekly = json!([{"day": "mon", "start": "09:00", "end": "17:00"}]);
        let s = schedule(NY, json!({ "weekly": weekly }));
        let slots = s.slots(day, 90, 30);
        assert_eq!(slots.len(), 14);
        let last = slots.last().expect("a slot");
        assert_eq!(local_rfc3339(NY, last.0), "2027-06-07T15:30:00-04:00");
        assert_eq!(local_rfc3339(NY, last.1), "2027-06-07T17:00:00-04:00");
        assert_eq!(s.slots(day, 90, 0).len(), 5);
        assert!(s.slots(day, 9 * 60, 30).is_empty());
        // Touching intervals merge into one open range; a gap between ranges is not bridged.
        let split = json!({"weekly": [
            {"day": "mon", "start": "09:00", "end": "12:00"},
            {"day": "mon", "start": "12:00", "end": "13:00"},
            {"day": "mon", "start": "14:00", "end": "17:00"},
        ]});
        let s = schedule(NY, split);
        assert_eq!(s.open_ranges(day).len(), 2);
        let want = ["09", "10", "11", "14", "15"];
        let want = want.map(|h| format!("2027-06-07T{h}:00:00-04:00"));
        assert_eq!(starts(&s, day, 120, 60), want);
    }

    #[test]
    fn bad_schedules_name_their_fields() {
        let value = json!({
            "timeZone": "Mars/Olympus",
            "weekly": [
                {"day": "mon", "start": "09:00", "end": "12:00"}, {"day": "Monday", "start": "11:00", "end": "13:00"},
                {"day": "tue", "start": "17:00", "end": "09:00"}, {"day": "wed", "start": "25:00", "end": "9:00"},
                {"day": "funday", "start": "09:00", "end": "10:00"}, {"day": "THU", "start": "24:00", "end": "24:00"},
            ],
            "overrides": [{"date": "2027-03-14", "intervals": []}, {"date": "2027-03-14", "intervals": [
                {"start": "10:00", "end": "12:00"}, {"start": "11:00", "end": "24:00"}]},
                {"date": "2027-02-30", "intervals": "closed"}],
            "timeOff": [{"from": "2027-04-03T00:00:00Z", "to": "2027-04-01T00:00:00Z"},
                {"from": "yesterday", "to": "2027-04-01T00:00:00Z"}],
        });
        let errors = Schedule::parse(&value).expect_err("an invalid schedule");
        let line = |e: &ScheduleError| format!("{} {}", e.field, e.issue);
        let mut got: Vec<String> = errors.iter().map(line).collect();
        got.sort_unstable();
        let want = "overrides[1].date duplicate_date, overrides[1].intervals[1] overlapping_intervals, \
                    overrides[2].date invalid_date, overrides[2].intervals invalid_type, \
                    timeOff[0] invalid_range, timeOff[1].from invalid_date, \
                    timeZone unknown_time_zone, weekly[1] overlapping_intervals, \
                    weekly[2] empty_interval, weekly[3].end invalid_time, \
                    weekly[3].start invalid_time, weekly[4].day invalid_day, \
                    weekly[5].start invalid_time";
        assert_eq!(got.join(", "), want);
        let one = json!({"day": "mon", "start": "09:00", "end": "10:00"});
        let errors = Schedule::parse(&json!({"timeZone": "UTC", "weekly": vec![one; 51]}));
        let errors = errors.expect_err("too many");
        let got: Vec<_> = errors.into_iter().map(|e| e.issue).collect();
        assert_eq!(got, ["too_many"]);
        let errors = Schedule::parse(&json!([])).expect_err("not an object");
        assert_eq!(errors[0].issue, "invalid_type");
    }

    #[test]
    fn json_round_trips() {
        let value = json!({"timeZone": "Africa/Cairo", "weekly": [
            {"day": "mon", "start": "09:00", "end": "12:30"}, {"day": "mon", "start": "12:30", "end": "17:00"},
            {"day": "sun", "start": "00:00", "end": "24:00"}], "overrides": [
            {"date": "2027-03-14", "intervals": [{"start": "10:00", "end": "12:00"}]},
            {"date": "2027-03-15", "intervals": []}],
            "timeOff": [{"from": "2027-04-01T00:00:00Z", "to": "2027-04-03T00:00:00Z"}]});
        let s = Schedule::parse(&value).expect("valid");
        assert_eq!(s.to_json(), value);
        assert_eq!(Schedule::parse(&s.to_json()), Ok(s));
        // Full day names and offsets in instants are accepted and written back canonically.
        let weekly = json!([{"day": "SUNDAY", "start": "00:00", "end": "24:00"}]);
        let off = json!([{"from": "2027-04-01T02:00:00+02:00", "to": "2027-04-01T01:00:00Z"}]);
        let loose = json!({"timeZone": "UTC", "weekly": weekly, "timeOff": off});
        let s = Schedule::parse(&loose).expect("valid").to_json();
        let got = (&s["weekly"][0]["day"], &s["timeOff"][0]["from"]);
        assert_eq!(got, (&json!("sun"), &json!("2027-04-01T00:00:00Z")));
        let interval = json!({"start": "09:00", "end": "24:00"});
        let parsed: LocalInterval = serde_json::from_value(interval.clone()).expect("an interval");
        assert_eq!(parsed, LocalInterval::new(540, 1440).expect("valid"));
        assert_eq!(serde_json::to_value(parsed).expect("json"), interval);
        let (backwards, late) = (("10:00", "09:00"), ("24:00", "24:00"));
        for (start, end) in [backwards, late] {
            let bad = json!({"start": start, "end": end});
            assert!(serde_json::from_value::<LocalInterval>(bad).is_err());
        }
    }

    #[test]
    fn local_rfc3339_carries_the_offset_of_that_instant() {
        let (london, kolkata) = (chrono_tz::Europe::London, chrono_tz::Asia::Kolkata);
        for (tz, at, want) in [
            (NY, "2027-03-14T06:59:59Z", "2027-03-14T01:59:59-05:00"),
            (NY, "2027-03-14T07:00:00Z", "2027-03-14T03:00:00-04:00"),
            (NY, "2027-11-07T05:30:00Z", "2027-11-07T01:30:00-04:00"),
            (NY, "2027-11-07T06:30:00Z", "2027-11-07T01:30:00-05:00"),
            (london, "2027-01-10T09:00:00Z", "2027-01-10T09:00:00+00:00"),
            (kolkata, "2027-01-10T09:00:00Z", "2027-01-10T14:30:00+05:30"),
        ] {
            assert_eq!(local_rfc3339(tz, utc(at)), want);
        }
        let evening = local_date(NY, utc("2027-01-10T03:00:00Z"));
        assert_eq!(evening, date("2027-01-09"));
    }
}
