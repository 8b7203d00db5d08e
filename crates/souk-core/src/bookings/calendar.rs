//! A private iCalendar feed of one's bookings (RFC 5545), for Google
//! Calendar or Apple Calendar: `POST /api/users/me/calendar-token` makes
//! (or replaces) the secret and answers the feed's URL;
//! `DELETE /api/users/me/calendar-token` revokes it;
//! `GET /api/users/me/calendar.ics?token=` serves the bookings where the
//! user is client or provider, from 30 days back, that are on or done.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, Set,
};
use souk_db::{
    entities::{bookings, calendar_tokens, offerings},
    enums::BookingStatus,
};
use uuid::Uuid;

use super::tell;
use crate::{
    Core,
    accounts::{
        Authenticated,
        tokens::{random_secret, sha256_hex},
    },
    error::{ErrorCode, Result},
    time,
};

/// A freshly made feed secret and its URL.
#[derive(Debug, Clone)]
pub struct FeedLink {
    pub token: String,
    pub url: String,
}

/// Makes (or replaces) the caller's feed secret.
pub async fn rotate(core: &Core, caller: &Authenticated) -> Result<FeedLink> {
    let token = random_secret();
    let txn = core.db.begin_write().await?.without_account_changes();
    calendar_tokens::Entity::delete_by_id(caller.user.id)
        .exec(&*txn)
        .await?;
    calendar_tokens::ActiveModel {
        user_id: Set(caller.user.id),
        token_hash: Set(sha256_hex(&token)),
        created_at: Set(time::now()),
    }
    .insert(&*txn)
    .await?;
    txn.commit().await?;
    let url = format!(
        "{}/api/users/me/calendar.ics?token={token}",
        core.settings.public_url.trim_end_matches('/')
    );
    Ok(FeedLink { token, url })
}

/// Revokes the caller's feed secret (the old URL answers 401 from now on).
pub async fn revoke(core: &Core, caller: &Authenticated) -> Result<()> {
    let txn = core.db.begin_write().await?.without_account_changes();
    calendar_tokens::Entity::delete_by_id(caller.user.id)
        .exec(&*txn)
        .await?;
    txn.commit().await?;
    Ok(())
}

/// Text escaped for an iCalendar property value.
fn escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\r', "")
        .replace('\n', "\\n")
}

/// A content line folded at 75 octets (continuations start with a space),
/// without splitting a UTF-8 character.
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
    out
}

fn stamp(at: DateTime<Utc>) -> String {
    at.format("%Y%m%dT%H%M%SZ").to_string()
}

/// `GET /api/users/me/calendar.ics?token=`: the feed (401
/// `invalid_calendar_token` for an unknown or revoked token).
pub async fn feed(core: &Core, token: Option<&str>) -> Result<String> {
    let token = token.map(str::trim).filter(|t| !t.is_empty());
    let Some(token) = token else {
        return Err(ErrorCode::InvalidCalendarToken.into());
    };
    let conn = core.db.conn();
    let owner = calendar_tokens::Entity::find()
        .filter(calendar_tokens::Column::TokenHash.eq(sha256_hex(token)))
        .one(conn)
        .await?
        .ok_or(ErrorCode::InvalidCalendarToken)?;
    let me = owner.user_id;
    let since = core.clock.now() - Duration::days(30);
    let shown = [
        BookingStatus::Pending,
        BookingStatus::Accepted,
        BookingStatus::InProgress,
        BookingStatus::WorkSubmitted,
        BookingStatus::Completed,
        BookingStatus::Disputed,
    ];
    let rows = bookings::Entity::find()
        .filter(
            Condition::any()
                .add(bookings::Column::ClientId.eq(me))
                .add(bookings::Column::ProviderId.eq(me)),
        )
        .filter(bookings::Column::StartAt.gte(since))
        .filter(bookings::Column::Status.is_in(shown))
        .order_by_asc(bookings::Column::StartAt)
        .all(conn)
        .await?;
    let offering_ids: Vec<Uuid> = rows.iter().map(|b| b.offering_id).collect();
    let titles: std::collections::HashMap<Uuid, String> = offerings::Entity::find()
        .filter(offerings::Column::Id.is_in(offering_ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|o| (o.id, tell::title_of(&o)))
        .collect();
    let host = core
        .settings
        .public_url
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned();
    let mut out = String::new();
    for line in [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Souk//Bookings//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:Souk bookings",
    ] {
        out.push_str(&fold(line));
    }
    let now = stamp(time::now());
    for booking in rows {
        let title = titles
            .get(&booking.offering_id)
            .cloned()
            .unwrap_or_default();
        let status = if booking.status == BookingStatus::Pending {
            "TENTATIVE"
        } else {
            "CONFIRMED"
        };
        let mut lines = vec![
            "BEGIN:VEVENT".to_owned(),
            format!("UID:{}@{host}", booking.id),
            format!("DTSTAMP:{now}"),
            format!("DTSTART:{}", stamp(booking.start_at)),
            format!("DTEND:{}", stamp(booking.end_at)),
            format!("SUMMARY:{}", escape(&title)),
            format!("STATUS:{status}"),
            format!("LAST-MODIFIED:{}", stamp(booking.updated_at)),
        ];
        if let Some(address) = &booking.address {
            lines.push(format!("LOCATION:{}", escape(address)));
        }
        if let Some(notes) = &booking.notes {
            lines.push(format!("DESCRIPTION:{}", escape(notes)));
        }
        lines.push("END:VEVENT".to_owned());
        for line in lines {
            out.push_str(&fold(&line));
        }
    }
    out.push_str(&fold("END:VCALENDAR"));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_characters() {
        let line = format!("SUMMARY:{}", "سباكة ".repeat(30));
        let folded = fold(&line);
        for part in folded.split("\r\n") {
            assert!(part.len() <= 75, "{part}");
        }
        let unfolded = folded.replace("\r\n ", "");
        assert_eq!(unfolded.strip_suffix("\r\n"), Some(line.as_str()));
    }

    #[test]
    fn text_values_are_escaped() {
        assert_eq!(escape("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }
}
