//! The built-in language engine: an offline, deterministic English/Arabic
//! parser that turns a client's message into an intent and search slots
//! (category, price, time window, place, urgency, choice), plus the
//! concierge's reply templates and a job-post drafter.
//!
//! Everything is table-driven (vocabulary, gazetteer, time and money words,
//! built once) and typo-tolerant; message text is only ever data.

mod describe;
pub mod draft;
mod engine;
mod fuzzy;
mod gazetteer;
mod intent;
mod lexicon;
mod parse;
mod places_eg;
mod places_lb;
mod price;
mod price_words;
pub mod reply;
mod scan;
mod site;
mod stop;
mod text;
mod vocab;
mod vocab_data;
mod when;
mod when_words;

#[cfg(test)]
mod eval;
#[cfg(test)]
mod tests;

use chrono::{DateTime, Utc};

pub use crate::i18n::Lang;
pub use describe::describe_window;
pub use draft::{Draft, draft};
pub use parse::parse;
pub use reply::{Reply, render};
pub use vocab::category_words;

/// What the client wants to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Intent {
    /// Find providers (a category, or a need with a place, price or time).
    Search,
    /// Book one of the matches shown ("book the second one", "احجز").
    Book,
    Greeting,
    Thanks,
    /// Asked what the concierge can do.
    Help,
    Unknown,
}

impl Intent {
    /// The intent's name in logs and the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Intent::Search => "search",
            Intent::Book => "book",
            Intent::Greeting => "greeting",
            Intent::Thanks => "thanks",
            Intent::Help => "help",
            Intent::Unknown => "unknown",
        }
    }
}

/// A place named in a message, from the gazetteer.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// The name in the message's language.
    pub name: String,
    pub name_en: &'static str,
    pub name_ar: &'static str,
    pub lat: f64,
    pub lng: f64,
    /// ISO 3166 code: `EG` or `LB`.
    pub country: &'static str,
    pub tz: chrono_tz::Tz,
    /// How far around the centre to search: about 5 km for a district, 15–25 for a city.
    pub radius_km: f64,
}

/// When the work should be done: `[from, to)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
}

/// What a message is read against.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Context {
    pub now: DateTime<Utc>,
    /// The zone local times are in when the message names no place.
    pub tz: chrono_tz::Tz,
}

/// What a message says.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    /// Arabic when the message has more Arabic letters than Latin ones.
    pub lang: Lang,
    pub intent: Intent,
    /// Catalog slug.
    pub category: Option<&'static str>,
    /// Price ceiling in minor units ("under 300" → 30000).
    pub max_price: Option<i64>,
    /// Asked for cheap ("cheap", "رخيص", "على قد الإيد"); not set by a ceiling alone.
    pub cheap: bool,
    pub window: Option<Window>,
    pub place: Option<Place>,
    /// Now, as soon as possible, an emergency.
    pub urgent: bool,
    /// 0-based pick among the matches shown, when booking.
    pub choice: Option<usize>,
    /// Normalized words of the need that no slot took, stop words left out.
    pub keywords: Vec<String>,
}
