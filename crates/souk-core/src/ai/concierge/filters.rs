//! What the concierge has understood so far: the filters of a
//! conversation, merged turn by turn (what a new message says replaces
//! what an earlier one said; the rest is kept).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::ai::nlu::Parsed;

/// A named place with its coordinates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PlaceFilter {
    pub name: String,
    pub lat: f64,
    pub lng: f64,
    /// How far around it to look, km.
    #[serde(default)]
    pub radius_km: Option<f64>,
    /// IANA zone of the place (for local times).
    #[serde(default)]
    pub time_zone: Option<String>,
}

/// The filters of a conversation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Filters {
    /// Catalog slug.
    pub category: Option<String>,
    /// Price ceiling, minor units.
    pub max_price: Option<i64>,
    pub cheap: bool,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub place: Option<PlaceFilter>,
    pub urgent: bool,
    /// Words of the need beyond the category.
    #[serde(default)]
    pub keywords: Vec<String>,
}

impl Filters {
    /// These filters with what `parsed` says on top. A new category starts
    /// a new need: price, time and keywords said for the old one are dropped
    /// unless said again.
    pub fn merged(&self, parsed: &Parsed) -> Filters {
        let mut next = self.clone();
        if let Some(category) = parsed.category {
            if next.category.as_deref() != Some(category) {
                next.max_price = None;
                next.cheap = false;
                next.keywords.clear();
            }
            next.category = Some(category.to_owned());
        }
        if parsed.max_price.is_some() {
            next.max_price = parsed.max_price;
        }
        next.cheap |= parsed.cheap;
        if let Some(window) = &parsed.window {
            next.from = Some(window.from);
            next.to = Some(window.to);
        }
        if let Some(place) = &parsed.place {
            next.place = Some(PlaceFilter {
                name: place.name.clone(),
                lat: place.lat,
                lng: place.lng,
                radius_km: Some(place.radius_km),
                time_zone: Some(place.tz.name().to_owned()),
            });
        }
        next.urgent |= parsed.urgent;
        if !parsed.keywords.is_empty() {
            next.keywords = parsed.keywords.clone();
        }
        next
    }

    /// Whether there is anything to search by.
    pub fn searchable(&self) -> bool {
        self.category.is_some() || !self.keywords.is_empty()
    }
}
