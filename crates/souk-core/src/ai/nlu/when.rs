//! When the client wants the work done: time words and clock times resolved
//! against the current time in the place's zone, as a UTC window.

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveTime, TimeDelta, TimeZone, Utc, Weekday};
use chrono_tz::Tz;

use super::Window;
use super::engine::Engine;
use super::gazetteer::Country;
use super::lexicon::{Hit, Resolved};
use super::text::Token;
use super::when_words::{Part, TimeWord};

/// The time slots of a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct When {
    pub window: Option<Window>,
    pub urgent: bool,
}

/// A clock time said in the message (24-hour), with an end when a range was said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Clock {
    hour: u32,
    minute: u32,
    end: Option<(u32, u32)>,
}

/// Words after a number that make it money, not a time.
#[rustfmt::skip]
const MONEY_AFTER: &[&str] = &[
    "pounds", "pound", "egp", "le", "usd", "dollars", "dollar", "bucks", "lbp", "lira", "k", "جنيه",
    "جنيها", "جنيهات", "ج", "ليره", "ليرات", "دولار", "الف", "الاف", "thousand", "hundred",
];

/// Words opening a clock range that are too common to be clock words alone.
#[rustfmt::skip]
const FROM: &[&str] = &["من", "بين"];

/// Words joining the two ends of a clock range.
#[rustfmt::skip]
const TILL: &[&str] = &[
    "to", "till", "until", "til", "and", "ل", "لل", "الي", "لحد", "لغايه", "و", "حتي",
];

/// Finds the time window and urgency of a message; takes the words it uses.
pub(super) fn find(
    engine: &Engine,
    tokens: &[Token],
    res: &[Resolved],
    used: &mut [bool],
    now: DateTime<Utc>,
    tz: Tz,
    country: Country,
) -> When {
    let hits = engine
        .times
        .scan(&engine.keys, res, used, |h| h.value != TimeWord::Decoy);
    let mut urgent = hits.iter().any(|h| h.value == TimeWord::Urgent);
    // Levantine هلأ ("now") folds to هلا, which opens a message as a greeting.
    for (token, flag) in tokens.iter().zip(used.iter_mut()).skip(1) {
        if token.text == "هلا" && !*flag {
            urgent = true;
            *flag = true;
        }
    }
    let today = now.with_timezone(&tz).date_naive();
    let mut date: Option<NaiveDate> = None;
    let mut range: Option<(DateTime<Utc>, DateTime<Utc>)> = None;
    let mut part: Option<Part> = None;
    for hit in &hits {
        match hit.value {
            TimeWord::Day(n) => {
                date.get_or_insert(add_days(today, u64::from(n)));
            }
            TimeWord::Tonight => {
                date.get_or_insert(today);
                part.get_or_insert(Part::Night);
            }
            TimeWord::Weekday(day) => {
                date.get_or_insert(next_weekday(today, day, false));
            }
            TimeWord::NextWeekday(day) => {
                date.get_or_insert(next_weekday(today, day, true));
            }
            TimeWord::Weekend => {
                range.get_or_insert(weekend(now, today, tz, country));
            }
            TimeWord::NextWeek => {
                range.get_or_insert((
                    midnight(add_days(today, 1), tz),
                    midnight(add_days(today, 8), tz),
                ));
            }
            TimeWord::Part(p) => {
                part.get_or_insert(p);
            }
            _ => {}
        }
    }
    let clock = find_clock(tokens, &hits, used, part);
    let window = if let Some(clock) = clock {
        let day = date
            .or(range.map(|(from, _)| from.with_timezone(&tz).date_naive()))
            .unwrap_or_else(|| {
                if local(today, clock.hour, clock.minute, tz) > now {
                    today
                } else {
                    add_days(today, 1)
                }
            });
        let from = local(day, clock.hour, clock.minute, tz);
        let to = clock
            .end
            .map(|(h, m)| local(day, h, m, tz))
            .filter(|to| *to > from)
            .unwrap_or_else(|| from.checked_add_signed(TimeDelta::hours(2)).unwrap_or(from));
        Some((from, to))
    } else if let Some(part) = part.filter(|_| date.is_some() || range.is_none()) {
        Some(part_window(part, date, today, now, tz))
    } else if let Some(day) = date {
        Some(whole_day(day, today, now, tz))
    } else if let Some(range) = range {
        Some(range)
    } else if urgent {
        Some(whole_day(today, today, now, tz))
    } else {
        None
    };
    When {
        window: window
            .filter(|(from, to)| from < to)
            .map(|(from, to)| Window { from, to }),
        urgent,
    }
}

/// The window of a part of the day: today's if it is not over (from now),
/// else tomorrow's; on a named day, that day's.
fn part_window(
    part: Part,
    date: Option<NaiveDate>,
    today: NaiveDate,
    now: DateTime<Utc>,
    tz: Tz,
) -> (DateTime<Utc>, DateTime<Utc>) {
    let (start, end) = part.hours();
    let span = |day: NaiveDate| (local(day, start, 0, tz), local(day, end, 0, tz));
    let day = date.unwrap_or(today);
    let (from, to) = span(day);
    if day != today {
        return (from, to);
    }
    if to > now {
        (from.max(now), to)
    } else if date.is_some() {
        // "this morning" said in the afternoon: the rest of today.
        whole_day(today, today, now, tz)
    } else {
        span(add_days(today, 1))
    }
}

/// A whole local day; today's from now.
fn whole_day(
    day: NaiveDate,
    today: NaiveDate,
    now: DateTime<Utc>,
    tz: Tz,
) -> (DateTime<Utc>, DateTime<Utc>) {
    let from = if day == today { now } else { midnight(day, tz) };
    (from, midnight(add_days(day, 1), tz))
}

/// The coming weekend (Friday–Saturday in Egypt, Saturday–Sunday in
/// Lebanon); from now when it has begun.
fn weekend(
    now: DateTime<Utc>,
    today: NaiveDate,
    tz: Tz,
    country: Country,
) -> (DateTime<Utc>, DateTime<Utc>) {
    let (first, second) = match country {
        Country::Egypt => (Weekday::Fri, Weekday::Sat),
        Country::Lebanon => (Weekday::Sat, Weekday::Sun),
    };
    let weekday = today.weekday();
    if weekday == second {
        (now, midnight(add_days(today, 1), tz))
    } else if weekday == first {
        (now, midnight(add_days(today, 2), tz))
    } else {
        let start = next_weekday(today, first, false);
        (midnight(start, tz), midnight(add_days(start, 2), tz))
    }
}

/// The next `day` on or after `today` (after it when `skip_today`).
fn next_weekday(today: NaiveDate, day: Weekday, skip_today: bool) -> NaiveDate {
    let ahead = (7 + day.num_days_from_monday() - today.weekday().num_days_from_monday()) % 7;
    let ahead = if ahead == 0 && skip_today { 7 } else { ahead };
    add_days(today, u64::from(ahead))
}

fn add_days(day: NaiveDate, n: u64) -> NaiveDate {
    day.checked_add_days(Days::new(n)).unwrap_or(day)
}

fn midnight(day: NaiveDate, tz: Tz) -> DateTime<Utc> {
    local(day, 0, 0, tz)
}

/// A local wall-clock time as UTC; a time skipped by a clock change moves
/// forward to the first that exists, an ambiguous one takes the earlier.
fn local(day: NaiveDate, hour: u32, minute: u32, tz: Tz) -> DateTime<Utc> {
    let (day, hour) = if hour >= 24 {
        (add_days(day, 1), hour - 24)
    } else {
        (day, hour)
    };
    let base = day
        .and_hms_opt(hour, minute, 0)
        .unwrap_or_else(|| day.and_time(NaiveTime::MIN));
    for step in 0..6 {
        let Some(at) = base.checked_add_signed(TimeDelta::minutes(30 * step)) else {
            break;
        };
        if let Some(at) = tz.from_local_datetime(&at).earliest() {
            return at.with_timezone(&Utc);
        }
    }
    Utc.from_utc_datetime(&base)
}

fn hit_at(hits: &[Hit<TimeWord>], start: usize) -> Option<&Hit<TimeWord>> {
    hits.iter().find(|h| h.start == start)
}

/// An hour read at token `at`: (hour, minute, tokens read, was a clock number with `:`).
fn hour_at(
    tokens: &[Token],
    hits: &[Hit<TimeWord>],
    used: &[bool],
    at: usize,
) -> Option<(u32, u32, usize, bool)> {
    if let Some(hit) = hit_at(hits, at) {
        return match hit.value {
            TimeWord::Hour(h) => Some((u32::from(h), 0, hit.len, false)),
            TimeWord::Noon => Some((12, 0, hit.len, true)),
            _ => None,
        };
    }
    if used.get(at).copied().unwrap_or(true) {
        return None;
    }
    let number = tokens.get(at)?.number.as_ref()?;
    let hour = u32::try_from(number.whole).ok().filter(|h| *h <= 24)?;
    let minute = match &number.fraction {
        None => 0,
        Some(f) if f.len() == 2 => f.parse::<u32>().ok().filter(|m| *m < 60)?,
        Some(f) if f.len() == 1 && !number.colon => f.parse::<u32>().ok()? * 10,
        Some(_) => return None,
    };
    Some((hour, minute, 1, number.colon))
}

/// Markers after an hour: (am/pm/part, half/quarter minutes, a marker was seen, index after).
fn markers(hits: &[Hit<TimeWord>], mut at: usize) -> (Option<TimeWord>, u32, bool, usize) {
    let (mut meridiem, mut extra, mut seen) = (None, 0, false);
    for _ in 0..3 {
        let Some(hit) = hit_at(hits, at) else { break };
        match hit.value {
            TimeWord::Am | TimeWord::Pm | TimeWord::Part(_) => meridiem = Some(hit.value),
            TimeWord::Half => extra = 30,
            TimeWord::Quarter => extra = 15,
            TimeWord::Oclock => {}
            _ => break,
        }
        seen = true;
        at = hit.end();
    }
    (meridiem, extra, seen, at)
}

/// The 24-hour hour of `hour` said with `marker` (or, failing one, the part of day said elsewhere).
fn to_24(hour: u32, marker: Option<TimeWord>, part: Option<Part>) -> Option<u32> {
    let marker = marker.or(part.map(TimeWord::Part));
    let hour = match marker {
        Some(TimeWord::Pm | TimeWord::Part(Part::Afternoon | Part::Evening)) if hour < 12 => {
            hour + 12
        }
        Some(TimeWord::Part(Part::Night)) if (6..12).contains(&hour) => hour + 12,
        Some(TimeWord::Am | TimeWord::Part(Part::Night)) if hour == 12 => 0,
        Some(_) => hour,
        // Without am/pm, 1–7 are afternoon hours: nobody books a plumber at 5 am.
        None if (1..=7).contains(&hour) => hour + 12,
        None => hour,
    };
    (hour < 24).then_some(hour)
}

/// The first clock time of the message; takes its number tokens.
fn find_clock(
    tokens: &[Token],
    hits: &[Hit<TimeWord>],
    used: &mut [bool],
    part: Option<Part>,
) -> Option<Clock> {
    for at in 0..tokens.len() {
        let after_at = hits
            .iter()
            .any(|h| h.value == TimeWord::At && h.end() == at);
        let Some((hour, minute, len, exact)) = hour_at(tokens, hits, used, at) else {
            continue;
        };
        let (marker, extra, marked, next) = markers(hits, at + len);
        let money = tokens
            .get(next)
            .is_some_and(|t| MONEY_AFTER.contains(&t.text.as_str()));
        // "من ٢ لـ ٤": a range opened by a common word, with hours at both ends.
        let ranged = at
            .checked_sub(1)
            .and_then(|p| tokens.get(p))
            .is_some_and(|t| FROM.contains(&t.text.as_str()))
            && tokens
                .get(next)
                .is_some_and(|t| TILL.contains(&t.text.as_str()))
            && hour_at(tokens, hits, used, next + 1).is_some();
        if money || !(after_at || exact || marked || ranged) {
            continue;
        }
        if marker.is_some_and(|m| matches!(m, TimeWord::Am | TimeWord::Pm))
            && !(1..=12).contains(&hour)
        {
            continue;
        }
        let Some(hour24) = to_24(hour, marker, part) else {
            continue;
        };
        take(used, at, len);
        let minute = if extra > 0 { extra } else { minute };
        let end = range_end(
            tokens,
            hits,
            used,
            next,
            marker.or(part.map(TimeWord::Part)),
            hour24,
        );
        return Some(Clock {
            hour: hour24,
            minute,
            end,
        });
    }
    None
}

/// The end of "from 5 to 7" / "من ٥ لـ ٧", read after the first hour.
fn range_end(
    tokens: &[Token],
    hits: &[Hit<TimeWord>],
    used: &mut [bool],
    at: usize,
    marker: Option<TimeWord>,
    start: u32,
) -> Option<(u32, u32)> {
    let joiner = tokens.get(at)?;
    if !TILL.contains(&joiner.text.as_str()) {
        return None;
    }
    let (hour, minute, len, _) = hour_at(tokens, hits, used, at + 1)?;
    let (own, extra, _, _) = markers(hits, at + 1 + len);
    let mut hour24 = to_24(hour, own.or(marker), None)?;
    if hour24 <= start && hour24 + 12 < 24 {
        hour24 += 12;
    }
    take(used, at, 1 + len);
    Some((hour24, if extra > 0 { extra } else { minute }))
}

fn take(used: &mut [bool], start: usize, len: usize) {
    for flag in used.iter_mut().skip(start).take(len) {
        *flag = true;
    }
}
