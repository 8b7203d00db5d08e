//! The concierge's matches for its filters: bookable offerings of the
//! category near the place, under the price ceiling (cheapest first when
//! asked, else nearest or best rated), with their next free slots in the
//! wanted window; craftsmen by recommendation when no offering fits.

use std::collections::HashSet;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::filters::Filters;
use crate::{
    Core, Lang,
    accounts::Authenticated,
    ai::{
        explain,
        recommend::{self, Need, Recommended},
        weights::AiWeights,
    },
    bookings::{
        availability::local_date,
        book::price_of,
        finder::Listed,
        offerings::{self, OfferingFilter},
        schedule,
        slots::Rules,
    },
    catalog::services,
    error::Result,
    money::settings,
    pagination::PageRequest,
    search,
};

/// Most matches answered.
pub const MAX_MATCHES: usize = 3;
/// Offerings examined for free slots.
const EXAMINED: u64 = 8;
/// Free slots shown per match.
const SLOTS_SHOWN: usize = 3;

/// One match.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Match {
    /// `offering` or `craftsman`.
    #[serde(rename = "type")]
    pub kind: String,
    pub id: Uuid,
    pub title: String,
    pub why: String,
    /// Start times of the next free slots (offerings only).
    pub next_slots: Vec<DateTime<Utc>>,
    /// What booking it costs, minor units (offerings only).
    #[serde(default)]
    pub price: Option<i64>,
}

/// The window slots are looked for in: the filters', else the next week.
fn window(filters: &Filters, now: DateTime<Utc>) -> (DateTime<Utc>, DateTime<Utc>) {
    let from = filters.from.unwrap_or(now).max(now);
    let to = filters
        .to
        .filter(|t| *t > from)
        .unwrap_or_else(|| crate::time::later(from, Duration::days(7)));
    (from, to.min(crate::time::later(from, Duration::days(14))))
}

fn offering_title(l: &Listed, lang: Lang) -> String {
    let o = &l.offering;
    let (first, second) = match lang {
        Lang::En => (&o.title_en, &o.title_ar),
        Lang::Ar => (&o.title_ar, &o.title_en),
    };
    first.clone().or_else(|| second.clone()).unwrap_or_default()
}

/// A price as the reply says it.
pub(super) fn price_text(amount: i64) -> String {
    let (major, minor) = (amount.div_euclid(100), amount.rem_euclid(100));
    if minor == 0 {
        major.to_string()
    } else {
        format!("{major}.{minor:02}")
    }
}

fn money(amount: i64, currency: &str) -> String {
    format!("{} {currency}", price_text(amount))
}

fn offering_why(
    l: &Listed,
    price: i64,
    currency: &str,
    slots: &[DateTime<Utc>],
    filters: &Filters,
    lang: Lang,
) -> String {
    let mut parts: Vec<String> = Vec::new();
    match lang {
        Lang::En => {
            parts.push(money(price, currency));
            if let Some(d) = l.distance_km {
                parts.push(format!("{d:.1} km away"));
            }
            if filters.max_price.is_some_and(|m| price <= m) {
                parts.push("within your budget".to_owned());
            }
            if !slots.is_empty() && filters.from.is_some() {
                parts.push("free when you asked".to_owned());
            }
            if l.offering.instant_booking {
                parts.push("books instantly".to_owned());
            }
        }
        Lang::Ar => {
            parts.push(money(price, currency));
            if let Some(d) = l.distance_km {
                parts.push(format!("على بُعد {d:.1} كم"));
            }
            if filters.max_price.is_some_and(|m| price <= m) {
                parts.push("ضمن ميزانيتك".to_owned());
            }
            if !slots.is_empty() && filters.from.is_some() {
                parts.push("متاح في الوقت المطلوب".to_owned());
            }
            if l.offering.instant_booking {
                parts.push("حجز فوري".to_owned());
            }
        }
    }
    parts.join(if lang == Lang::Ar { "، " } else { ", " })
}

/// The matches for `filters`, best first, at most [`MAX_MATCHES`].
pub async fn find(
    core: &Core,
    caller: &Authenticated,
    filters: &Filters,
    lang: Lang,
) -> Result<Vec<Match>> {
    let now = core.clock.now();
    let point = filters
        .place
        .as_ref()
        .map(|p| (p.lat, p.lng))
        .or(caller.user.latitude.zip(caller.user.longitude));
    let sort = if filters.cheap {
        "price"
    } else if point.is_some() {
        "distance"
    } else {
        "rating"
    };
    let q = (filters.category.is_none() && !filters.keywords.is_empty())
        .then(|| filters.keywords.join(" "));
    let listed = offerings::list(
        core,
        Some(caller),
        OfferingFilter {
            q,
            category: filters.category.clone(),
            max_price: filters.max_price,
            sort: Some(sort.to_owned()),
            lat: point.map(|p| p.0),
            lng: point.map(|p| p.1),
            ..OfferingFilter::default()
        },
        PageRequest {
            page: 1,
            limit: EXAMINED,
        },
    )
    .await?;
    let money_settings = settings::load(core.db.conn(), &core.settings).await?;
    let (from, to) = window(filters, now);
    let mut in_window: Vec<Match> = Vec::new();
    let mut later: Vec<Match> = Vec::new();
    for l in listed.items {
        let price = price_of(&l.offering)?;
        let Some(schedule) = schedule::of(core, l.offering.provider_id).await? else {
            continue;
        };
        let rules = Rules::at(
            &l.offering,
            &schedule,
            now,
            money_settings.booking_horizon_days,
        );
        let tz = schedule.time_zone;
        let wanted: Vec<DateTime<Utc>> = rules
            .free(
                core.db.conn(),
                local_date(tz, from),
                local_date(tz, to),
                None,
            )
            .await?
            .into_iter()
            .map(|s| s.start)
            .filter(|s| *s >= from && *s < to)
            .take(SLOTS_SHOWN)
            .collect();
        let (slots, bucket) = if wanted.is_empty() {
            let horizon = crate::time::later(now, Duration::days(7));
            let next: Vec<DateTime<Utc>> = rules
                .free(
                    core.db.conn(),
                    local_date(tz, now),
                    local_date(tz, horizon),
                    None,
                )
                .await?
                .into_iter()
                .map(|s| s.start)
                .take(SLOTS_SHOWN)
                .collect();
            if next.is_empty() {
                continue;
            }
            (next, &mut later)
        } else {
            (wanted, &mut in_window)
        };
        let why = offering_why(&l, price, &money_settings.currency, &slots, filters, lang);
        bucket.push(Match {
            kind: "offering".to_owned(),
            id: l.offering.id,
            title: offering_title(&l, lang),
            why,
            next_slots: slots,
            price: Some(price),
        });
        if in_window.len() >= MAX_MATCHES {
            break;
        }
    }
    in_window.extend(later);
    in_window.truncate(MAX_MATCHES);
    if !in_window.is_empty() {
        return Ok(in_window);
    }
    craftsmen(core, filters, point, &money_settings.ai_weights, lang).await
}

/// Craftsmen who fit the filters when no offering does.
async fn craftsmen(
    core: &Core,
    filters: &Filters,
    point: Option<(f64, f64)>,
    weights: &AiWeights,
    lang: Lang,
) -> Result<Vec<Match>> {
    let category = match filters.category.as_deref() {
        Some(slug) => services::active_by_slug(core, slug).await?,
        None => None,
    };
    if category.is_none() && filters.keywords.is_empty() {
        return Ok(Vec::new());
    }
    let need = Need {
        category: category.as_ref().map(|c| c.id),
        point,
        window: filters.from.zip(filters.to),
        terms: search::terms(&filters.keywords.join(" ")),
        exclude: HashSet::new(),
    };
    let name = category.as_ref().map(|c| services::localized_name(c, lang));
    Ok(recommend::rank(core, &need, weights, MAX_MATCHES)
        .await?
        .into_iter()
        .map(|r| craftsman_match(&r, name, lang))
        .collect())
}

/// A recommended craftsman as a match.
pub fn craftsman_match(r: &Recommended, category: Option<&str>, lang: Lang) -> Match {
    Match {
        kind: "craftsman".to_owned(),
        id: r.candidate.id,
        title: format!("{} {}", r.candidate.first_name, r.candidate.last_name),
        why: explain::why(r, category, lang),
        next_slots: Vec::new(),
        price: None,
    }
}
