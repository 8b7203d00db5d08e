//! Says a time window the way a person would: "today", "tomorrow morning",
//! "Friday 11 Dec, 17:00–19:00", "بكرة الصبح", "من الجمعة 11/12 إلى السبت 12/12".

use chrono::{DateTime, Datelike, Days, NaiveDate, Timelike, Utc, Weekday};
use chrono_tz::Tz;

use super::{Lang, Window};

const WEEKDAYS_EN: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];
const WEEKDAYS_AR: [&str; 7] = [
    "الاثنين",
    "الثلاثاء",
    "الأربعاء",
    "الخميس",
    "الجمعة",
    "السبت",
    "الأحد",
];
const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// `window` in words, in `lang`, local to `tz`, relative to `now`.
pub fn describe_window(window: &Window, tz: Tz, now: DateTime<Utc>, lang: Lang) -> String {
    let from = window.from.with_timezone(&tz);
    let to = window.to.with_timezone(&tz);
    let today = now.with_timezone(&tz).date_naive();
    let first = from.date_naive();
    let ends_at_midnight = to.hour() == 0 && to.minute() == 0;
    let last = if ends_at_midnight {
        to.date_naive().pred_opt().unwrap_or(first)
    } else {
        to.date_naive()
    };
    if last > first {
        return match lang {
            Lang::En => format!(
                "{} to {}",
                day_name(first, today, lang),
                day_name(last, today, lang)
            ),
            Lang::Ar => format!(
                "من {} إلى {}",
                day_name(first, today, lang),
                day_name(last, today, lang)
            ),
        };
    }
    let day = day_name(first, today, lang);
    let starts_whole =
        (from.hour() == 0 && from.minute() == 0) || (first == today && window.from <= now);
    if starts_whole && ends_at_midnight {
        return day;
    }
    let (start, end) = (from.hour(), if ends_at_midnight { 24 } else { to.hour() });
    let exact = from.minute() == 0 && to.minute() == 0;
    let part = match (start, end) {
        (8, 12) if exact => Some(0),
        (12, 17) if exact => Some(1),
        (17, 21) if exact => Some(2),
        (18, 24) if exact => Some(3),
        _ => None,
    };
    let hours = format!("{}–{}", from.format("%H:%M"), to.format("%H:%M"));
    match (lang, part) {
        (Lang::En, Some(3)) if first == today => "tonight".to_owned(),
        (Lang::En, Some(p)) if first == today => {
            format!("this {}", PARTS_EN.get(p).copied().unwrap_or_default())
        }
        (Lang::En, Some(p)) if first == add(today, 1) => {
            format!("tomorrow {}", PARTS_EN.get(p).copied().unwrap_or_default())
        }
        (Lang::En, Some(p)) => format!("{day}, {}", PARTS_EN.get(p).copied().unwrap_or_default()),
        (Lang::En, None) => format!("{day}, {hours}"),
        (Lang::Ar, Some(3)) if first == today => "الليلة".to_owned(),
        (Lang::Ar, Some(p)) => format!("{day} {}", PARTS_AR.get(p).copied().unwrap_or_default()),
        (Lang::Ar, None) => format!(
            "{day} من {} إلى {}",
            from.format("%H:%M"),
            to.format("%H:%M")
        ),
    }
}

const PARTS_EN: [&str; 4] = ["morning", "afternoon", "evening", "night"];
const PARTS_AR: [&str; 4] = ["الصبح", "بعد الظهر", "المسا", "بالليل"];

fn add(day: NaiveDate, n: u64) -> NaiveDate {
    day.checked_add_days(Days::new(n)).unwrap_or(day)
}

/// "today", "tomorrow", else the weekday and date.
fn day_name(day: NaiveDate, today: NaiveDate, lang: Lang) -> String {
    if day == today {
        return match lang {
            Lang::En => "today",
            Lang::Ar => "اليوم",
        }
        .to_owned();
    }
    if day == add(today, 1) {
        return match lang {
            Lang::En => "tomorrow",
            Lang::Ar => "بكرة",
        }
        .to_owned();
    }
    let index = weekday_index(day.weekday());
    match lang {
        Lang::En => format!(
            "{} {} {}",
            WEEKDAYS_EN.get(index).copied().unwrap_or_default(),
            day.day(),
            usize::try_from(day.month0())
                .ok()
                .and_then(|m| MONTHS_EN.get(m))
                .copied()
                .unwrap_or_default()
        ),
        Lang::Ar => format!(
            "{} {}/{}",
            WEEKDAYS_AR.get(index).copied().unwrap_or_default(),
            day.day(),
            day.month()
        ),
    }
}

fn weekday_index(day: Weekday) -> usize {
    usize::try_from(day.num_days_from_monday()).unwrap_or(0)
}
