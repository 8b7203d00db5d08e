//! Notification preferences: a matrix of categories × channels (in-app,
//! push, email) with seed 001's defaults, and quiet hours in the user's
//! time zone that hold push and email until they end. `account` and
//! `payments` are critical: never switched off, never held.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveTime, TimeZone, Utc};
use sea_orm::{ActiveModelTrait, EntityTrait, Set};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use souk_db::entities::notification_preferences;
use uuid::Uuid;

use crate::{
    Core,
    error::{FieldErrors, FieldIssue, Result},
    time,
};

/// The categories notifications fall in.
pub const CATEGORIES: [&str; 11] = [
    "jobs",
    "quotes",
    "invitations",
    "messages",
    "payments",
    "reviews",
    "disputes",
    "bookings",
    "tasks",
    "account",
    "announcements",
];

/// Categories nobody can switch off (and quiet hours do not hold).
pub const CRITICAL: [&str; 2] = ["account", "payments"];

/// The channels, as the API names them.
pub const CHANNELS: [&str; 3] = ["inApp", "push", "email"];

/// A delivery channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Channel {
    InApp,
    Push,
    Email,
}

impl Channel {
    /// The stored name (`deliveries.channel`).
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::InApp => "in_app",
            Channel::Push => "push",
            Channel::Email => "email",
        }
    }
}

/// One category's switches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Switches {
    pub in_app: bool,
    pub push: bool,
    pub email: bool,
}

impl Switches {
    pub fn get(&self, channel: Channel) -> bool {
        match channel {
            Channel::InApp => self.in_app,
            Channel::Push => self.push,
            Channel::Email => self.email,
        }
    }
}

/// Quiet hours: push and email wait from `start` to `end` local time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct QuietHours {
    /// `HH:MM`.
    pub start: String,
    /// `HH:MM` (before `start`: the quiet spans midnight).
    pub end: String,
    /// IANA time zone.
    pub time_zone: String,
}

/// A user's preferences.
#[derive(Debug, Clone, PartialEq)]
pub struct Preferences {
    pub categories: BTreeMap<&'static str, Switches>,
    pub quiet_hours: Option<QuietHours>,
}

/// Seed 001's table: in-app, push and email for invitations, quotes,
/// invitation answers and job moves; the rest likewise except that
/// micro-task activity (frequent, small) is not emailed by default.
fn default_switches(category: &str) -> Switches {
    Switches {
        in_app: true,
        push: true,
        email: category != "tasks",
    }
}

impl Default for Preferences {
    fn default() -> Self {
        Self {
            categories: CATEGORIES
                .iter()
                .map(|c| (*c, default_switches(c)))
                .collect(),
            quiet_hours: None,
        }
    }
}

impl Preferences {
    /// Whether a notification of `category` goes out on `channel`.
    pub fn allows(&self, category: &str, channel: Channel) -> bool {
        if CRITICAL.contains(&category) {
            return true;
        }
        self.categories.get(category).is_none_or(|s| s.get(channel))
    }

    /// When push and email of `category` may go, from `now` (now, or the end
    /// of the quiet hours).
    pub fn release_at(&self, category: &str, now: DateTime<Utc>) -> DateTime<Utc> {
        match &self.quiet_hours {
            Some(quiet) if !CRITICAL.contains(&category) => quiet_end(quiet, now).unwrap_or(now),
            _ => now,
        }
    }
}

fn parse_time(s: &str) -> Option<NaiveTime> {
    NaiveTime::parse_from_str(s, "%H:%M").ok()
}

/// The end of the quiet period `now` falls in, or `None` outside one.
pub fn quiet_end(quiet: &QuietHours, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let zone: chrono_tz::Tz = quiet.time_zone.parse().ok()?;
    let (start, end) = (parse_time(&quiet.start)?, parse_time(&quiet.end)?);
    if start == end {
        return None;
    }
    let local = now.with_timezone(&zone);
    let t = local.time();
    let inside = if start < end {
        t >= start && t < end
    } else {
        t >= start || t < end
    };
    if !inside {
        return None;
    }
    let mut day = local.date_naive();
    if t >= end {
        day = day.succ_opt()?;
    }
    // The first instant at or after the local end time (a gap skips ahead).
    let naive = day.and_time(end);
    let at = zone.from_local_datetime(&naive).earliest().or_else(|| {
        zone.from_local_datetime(&(naive + chrono::Duration::hours(1)))
            .earliest()
    })?;
    Some(at.with_timezone(&Utc))
}

/// A user's preferences (the defaults until they change one).
pub async fn get(core: &Core, user: Uuid) -> Result<Preferences> {
    let row = notification_preferences::Entity::find_by_id(user)
        .one(core.db.conn())
        .await?;
    Ok(row.map(|r| from_row(&r)).unwrap_or_default())
}

/// Preferences from their stored row (unknown or missing entries: defaults).
pub fn from_row(row: &notification_preferences::Model) -> Preferences {
    let stored: BTreeMap<String, Switches> = serde_json::from_str(&row.matrix).unwrap_or_default();
    let mut prefs = Preferences::default();
    for (category, switches) in prefs.categories.iter_mut() {
        if let Some(s) = stored.get(*category) {
            *switches = *s;
        }
    }
    prefs.quiet_hours = match (&row.quiet_start, &row.quiet_end, &row.quiet_time_zone) {
        (Some(start), Some(end), Some(zone)) => Some(QuietHours {
            start: start.clone(),
            end: end.clone(),
            time_zone: zone.clone(),
        }),
        _ => None,
    };
    prefs
}

/// Applies a partial update `{categories: {jobs: {push: false}}, quietHours}`
/// (only what is sent changes; `quietHours: null` clears them) and stores it.
/// Unknown categories or channels, non-booleans, switching off a critical
/// category or malformed quiet hours: 400 naming the field, nothing stored.
pub async fn update(core: &Core, user: Uuid, patch: &Value) -> Result<Preferences> {
    let mut prefs = get(core, user).await?;
    let mut errors = FieldErrors::new();
    let Some(patch) = patch.as_object() else {
        errors.add("body", FieldIssue::InvalidType("object".into()));
        errors.into_result()?;
        return Ok(prefs);
    };
    for key in patch.keys() {
        if key != "categories" && key != "quietHours" {
            errors.add(
                key.clone(),
                FieldIssue::OneOf(vec!["categories", "quietHours"]),
            );
        }
    }
    if let Some(categories) = patch.get("categories") {
        apply_categories(&mut prefs, categories, &mut errors);
    }
    if let Some(quiet) = patch.get("quietHours") {
        prefs.quiet_hours = parse_quiet(quiet, &mut errors);
    }
    errors.into_result()?;
    store(core, user, &prefs).await?;
    Ok(prefs)
}

fn apply_categories(prefs: &mut Preferences, categories: &Value, errors: &mut FieldErrors) {
    let Some(categories) = categories.as_object() else {
        errors.add("categories", FieldIssue::InvalidType("object".into()));
        return;
    };
    for (name, channels) in categories {
        let field = format!("categories.{name}");
        let Some((category, switches)) = prefs
            .categories
            .iter_mut()
            .find(|(c, _)| **c == name.as_str())
        else {
            errors.add(field, FieldIssue::OneOf(CATEGORIES.to_vec()));
            continue;
        };
        let Some(channels) = channels.as_object() else {
            errors.add(field, FieldIssue::InvalidType("object".into()));
            continue;
        };
        for (channel, value) in channels {
            let field = format!("categories.{name}.{channel}");
            let Some(on) = value.as_bool() else {
                if CHANNELS.contains(&channel.as_str()) {
                    errors.add(field, FieldIssue::InvalidType("boolean".into()));
                } else {
                    errors.add(field, FieldIssue::OneOf(CHANNELS.to_vec()));
                }
                continue;
            };
            if !on && CRITICAL.contains(category) && CHANNELS.contains(&channel.as_str()) {
                errors.add(field, FieldIssue::Schedule("critical_category"));
                continue;
            }
            match channel.as_str() {
                "inApp" => switches.in_app = on,
                "push" => switches.push = on,
                "email" => switches.email = on,
                _ => errors.add(field, FieldIssue::OneOf(CHANNELS.to_vec())),
            }
        }
    }
}

fn parse_quiet(value: &Value, errors: &mut FieldErrors) -> Option<QuietHours> {
    if value.is_null() {
        return None;
    }
    let Some(object) = value.as_object() else {
        errors.add("quietHours", FieldIssue::InvalidType("object".into()));
        return None;
    };
    let text = |key: &str, errors: &mut FieldErrors| -> Option<String> {
        match object.get(key).and_then(Value::as_str) {
            Some(s) => Some(s.trim().to_owned()),
            None => {
                errors.add(format!("quietHours.{key}"), FieldIssue::Required);
                None
            }
        }
    };
    let start = text("start", errors);
    let end = text("end", errors);
    let zone = text("timeZone", errors);
    for (key, value) in [("start", &start), ("end", &end)] {
        if value.as_deref().is_some_and(|v| parse_time(v).is_none()) {
            errors.add(
                format!("quietHours.{key}"),
                FieldIssue::Schedule("invalid_time"),
            );
        }
    }
    if zone
        .as_deref()
        .is_some_and(|z| z.parse::<chrono_tz::Tz>().is_err())
    {
        errors.add(
            "quietHours.timeZone",
            FieldIssue::Schedule("unknown_time_zone"),
        );
    }
    if start.is_some() && start == end {
        errors.add("quietHours.end", FieldIssue::Schedule("empty_interval"));
    }
    for key in object.keys() {
        if !["start", "end", "timeZone"].contains(&key.as_str()) {
            errors.add(
                format!("quietHours.{key}"),
                FieldIssue::OneOf(vec!["start", "end", "timeZone"]),
            );
        }
    }
    Some(QuietHours {
        start: start?,
        end: end?,
        time_zone: zone?,
    })
}

/// Stores preferences (whole).
pub async fn store(core: &Core, user: Uuid, prefs: &Preferences) -> Result<()> {
    let matrix = serde_json::to_string(&prefs.categories).map_err(anyhow::Error::from)?;
    let row = notification_preferences::ActiveModel {
        user_id: Set(user),
        matrix: Set(matrix),
        quiet_start: Set(prefs.quiet_hours.as_ref().map(|q| q.start.clone())),
        quiet_end: Set(prefs.quiet_hours.as_ref().map(|q| q.end.clone())),
        quiet_time_zone: Set(prefs.quiet_hours.as_ref().map(|q| q.time_zone.clone())),
        updated_at: Set(time::now()),
    };
    let txn = core.db.begin_write().await?.without_account_changes();
    let exists = notification_preferences::Entity::find_by_id(user)
        .one(&*txn)
        .await?
        .is_some();
    if exists {
        row.update(&*txn).await?;
    } else {
        row.insert(&*txn).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// The category a notification kind falls in.
pub fn category_of(kind: &str) -> &'static str {
    match kind {
        "job_invitation" | "invitation_accepted" | "invitation_rejected" => "invitations",
        "quote_received" | "quote_accepted" | "quote_declined" => "quotes",
        "message_received" => "messages",
        "announcement" => "announcements",
        k if k.starts_with("verification_") => "account",
        k if k.starts_with("review") => "reviews",
        k if k.starts_with("dispute") => "disputes",
        k if k.starts_with("booking") => "bookings",
        k if k.starts_with("task") || k.starts_with("submission") || k.starts_with("appeal") => {
            "tasks"
        }
        k if k.starts_with("escrow")
            || k.starts_with("payment")
            || k.starts_with("withdrawal")
            || k.starts_with("tip")
            || k.starts_with("fees")
            || k.starts_with("bonus") =>
        {
            "payments"
        }
        _ => "jobs",
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn quiet_hours_across_midnight_end_the_next_local_morning() {
        let quiet = QuietHours {
            start: "22:00".into(),
            end: "07:00".into(),
            time_zone: "Africa/Cairo".into(),
        };
        // 23:30 in Cairo (UTC+2 in winter) → 07:00 Cairo = 05:00 UTC.
        assert_eq!(
            quiet_end(&quiet, at("2026-12-07T21:30:00Z")),
            Some(at("2026-12-08T05:00:00Z"))
        );
        // 03:00 Cairo → the same morning.
        assert_eq!(
            quiet_end(&quiet, at("2026-12-08T01:00:00Z")),
            Some(at("2026-12-08T05:00:00Z"))
        );
        // 12:00 Cairo: not quiet.
        assert_eq!(quiet_end(&quiet, at("2026-12-08T10:00:00Z")), None);
    }

    #[test]
    fn critical_categories_are_always_allowed_and_never_held() {
        let prefs = Preferences {
            quiet_hours: Some(QuietHours {
                start: "00:00".into(),
                end: "23:59".into(),
                time_zone: "UTC".into(),
            }),
            ..Preferences::default()
        };
        let now = at("2026-12-08T10:00:00Z");
        assert_eq!(prefs.release_at("payments", now), now);
        assert!(prefs.release_at("jobs", now) > now);
        assert!(prefs.allows("account", Channel::Email));
        assert_eq!(category_of("escrow_funded"), "payments");
        assert_eq!(category_of("booking_requested"), "bookings");
        assert_eq!(category_of("submission_approved"), "tasks");
        assert_eq!(category_of("job_status"), "jobs");
    }
}
