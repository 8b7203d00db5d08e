//! What both engines of the concierge answer with, and how they say
//! times and prices.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::{filters::Filters, matches::Match, proposal::Proposal};
use crate::{Lang, bookings::availability::zone};

/// The zone local times are said in: the place's, else Cairo's.
pub(super) fn zone_of(filters: &Filters) -> Tz {
    filters
        .place
        .as_ref()
        .and_then(|p| p.time_zone.as_deref())
        .map_or(chrono_tz::Africa::Cairo, zone)
}

/// What the built-in engine answers.
pub(super) struct Answer {
    pub reply: String,
    pub matches: Vec<Match>,
    pub proposal: Option<Proposal>,
}

/// A local time as the reply says it.
pub(super) fn local_time(at: DateTime<Utc>, tz: Tz, lang: Lang) -> String {
    let local = at.with_timezone(&tz);
    match lang {
        Lang::En => local.format("%a %d %b, %H:%M").to_string(),
        Lang::Ar => local.format("%d/%m %H:%M").to_string(),
    }
}
