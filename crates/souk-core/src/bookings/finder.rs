//! Offering search that ranks in memory: near a point (`lat`, `lng`,
//! optional `radiusKm`; each offering serves its provider's area or
//! anywhere when remote, with `distanceKm`), free on a date
//! (`availableOn`, the provider's local date), and sorted by relevance
//! (query words in the title count double) or distance. The SQL filters of
//! `offerings::list` narrow the candidates first (at most
//! [`MAX_CANDIDATES`], nearest area first by a bounding box over the
//! providers' locations); the schedules and held time of every candidate's
//! provider are read in two statements whatever their number.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Select,
    sea_query::{Expr, ExprTrait},
};
use serde_json::Value;
use souk_db::entities::{offerings, provider_schedules, users};
use uuid::Uuid;

use super::{availability::Schedule, slots};
use crate::{
    Core,
    error::{Error, FieldErrors, FieldIssue, Result},
    money::settings,
    pagination::{Page, PageRequest},
    search::{self, bounding_box, haversine_km, query_groups},
};

/// The most candidates ranked in memory for one request.
pub const MAX_CANDIDATES: u64 = 2_000;
/// A provider's reach when neither the offering nor the profile names one.
pub const DEFAULT_REACH_KM: f64 = 25.0;
/// The widest service radius an offering may have.
pub const MAX_REACH_KM: f64 = 500.0;

/// An offering as listed, with its distance from the point asked about.
#[derive(Debug, Clone)]
pub struct Listed {
    pub offering: offerings::Model,
    pub distance_km: Option<f64>,
}

/// What the in-memory search needs beyond the SQL filters.
#[derive(Debug, Clone, Default)]
pub struct Ranking {
    pub q: Option<String>,
    pub point: Option<(f64, f64)>,
    pub radius_km: Option<f64>,
    pub available_on: Option<NaiveDate>,
    /// relevance, distance, newest, price, price_desc, rating.
    pub sort: String,
}

/// Narrows `query` to offerings that may serve `point` within `radius`:
/// remote ones, and those whose provider is inside the bounding box.
pub fn near(
    query: Select<offerings::Entity>,
    point: (f64, f64),
    radius: f64,
) -> Select<offerings::Entity> {
    let bbox = bounding_box(point.0, point.1, radius);
    query.filter(
        sea_orm::Condition::any()
            .add(offerings::Column::Remote.eq(true))
            .add(
                offerings::Column::ProviderId.in_subquery(
                    sea_orm::sea_query::Query::select()
                        .column(users::Column::Id)
                        .from(users::Entity)
                        .and_where(
                            Expr::col(users::Column::Latitude).between(bbox.min_lat, bbox.max_lat),
                        )
                        .and_where(
                            Expr::col(users::Column::Longitude).between(bbox.min_lng, bbox.max_lng),
                        )
                        .to_owned(),
                ),
            ),
    )
}

/// Checks the point and radius of a search.
pub fn checked_point(
    lat: Option<f64>,
    lng: Option<f64>,
    radius: Option<f64>,
) -> Result<Option<(f64, f64)>> {
    let mut errors = FieldErrors::new();
    let point = match (lat, lng) {
        (None, None) => None,
        (Some(lat), Some(lng)) if search::valid_point(lat, lng) => Some((lat, lng)),
        (Some(_), Some(_)) => {
            errors.add("lat", FieldIssue::Invalid);
            None
        }
        (None, Some(_)) => {
            errors.add("lat", FieldIssue::Required);
            None
        }
        (Some(_), None) => {
            errors.add("lng", FieldIssue::Required);
            None
        }
    };
    if let Some(radius) = radius {
        if !(radius.is_finite() && (0.1..=MAX_REACH_KM).contains(&radius)) {
            errors.add(
                "radiusKm",
                FieldIssue::OutOfRange {
                    min: 0.1,
                    max: MAX_REACH_KM,
                },
            );
        } else if point.is_none() && lat.is_none() {
            errors.add("lat", FieldIssue::Required);
        }
    }
    errors.into_result()?;
    Ok(point)
}

/// Relevance of an offering to the query groups: a group met in the title
/// counts 2, elsewhere 1.
fn relevance(offering: &offerings::Model, groups: &[Vec<String>]) -> u32 {
    let title = format!(
        "{} {}",
        offering.title_en.as_deref().unwrap_or_default(),
        offering.title_ar.as_deref().unwrap_or_default()
    );
    let title_terms = search::terms(&title);
    let padded = offering.search_terms.as_str();
    groups
        .iter()
        .map(|group| {
            if group.iter().any(|t| title_terms.contains(t)) {
                2
            } else if group.iter().any(|t| padded.contains(&format!(" {t} "))) {
                1
            } else {
                0
            }
        })
        .sum()
}

/// The distinct providers of some offerings.
fn providers_of<'a>(offerings: impl Iterator<Item = &'a offerings::Model>) -> Vec<Uuid> {
    let mut ids: Vec<Uuid> = offerings.map(|o| o.provider_id).collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// Ranks the candidates `query` finds, and answers one page.
pub async fn rank(
    core: &Core,
    query: Select<offerings::Entity>,
    ranking: Ranking,
    page: PageRequest,
) -> Result<Page<Listed>> {
    let conn = core.db.conn();
    let candidates = query.limit(MAX_CANDIDATES).all(conn).await?;
    let providers = providers_of(candidates.iter());
    let people: HashMap<Uuid, users::Model> = if providers.is_empty() {
        HashMap::new()
    } else {
        users::Entity::find()
            .filter(users::Column::Id.is_in(providers.clone()))
            .all(conn)
            .await?
            .into_iter()
            .map(|u| (u.id, u))
            .collect()
    };
    // Distance and reach.
    let mut listed: Vec<(Listed, f64)> = Vec::with_capacity(candidates.len());
    for offering in candidates {
        let person = people.get(&offering.provider_id);
        let score = person.map_or(crate::reviews::rating::bayesian(0, 0), |u| {
            crate::reviews::rating::bayesian(u.rating_sum, u.rating_count)
        });
        let distance = match (
            ranking.point,
            person.and_then(|u| u.latitude.zip(u.longitude)),
        ) {
            (Some((lat, lng)), Some((plat, plng))) if !offering.remote => {
                Some(haversine_km(lat, lng, plat, plng))
            }
            _ => None,
        };
        if ranking.point.is_some() && !offering.remote {
            let reach = offering
                .service_radius_km
                .or(person.and_then(|u| u.service_radius_km))
                .unwrap_or(DEFAULT_REACH_KM);
            let limit = ranking.radius_km.map_or(reach, |r| r.min(reach));
            if !distance.is_some_and(|d| d <= limit) {
                continue;
            }
        }
        listed.push((
            Listed {
                offering,
                distance_km: distance.map(|d| (d * 100.0).round() / 100.0),
            },
            score,
        ));
    }
    if let Some(date) = ranking.available_on {
        listed = available(core, conn, listed, date).await?;
    }
    let groups = query_groups(ranking.q.as_deref().unwrap_or_default());
    match ranking.sort.as_str() {
        "relevance" => listed.sort_by(|(a, sa), (b, sb)| {
            relevance(&b.offering, &groups)
                .cmp(&relevance(&a.offering, &groups))
                .then(sb.total_cmp(sa))
                .then(b.offering.created_at.cmp(&a.offering.created_at))
        }),
        "distance" => listed.sort_by(|(a, _), (b, _)| {
            a.distance_km
                .unwrap_or(f64::MAX)
                .total_cmp(&b.distance_km.unwrap_or(f64::MAX))
                .then(b.offering.created_at.cmp(&a.offering.created_at))
        }),
        "price" => listed
            .sort_by_key(|(l, _)| (l.offering.price, std::cmp::Reverse(l.offering.created_at))),
        "price_desc" => listed.sort_by_key(|(l, _)| {
            (
                std::cmp::Reverse(l.offering.price),
                std::cmp::Reverse(l.offering.created_at),
            )
        }),
        "rating" => listed.sort_by(|(a, sa), (b, sb)| {
            sb.total_cmp(sa)
                .then(b.offering.created_at.cmp(&a.offering.created_at))
        }),
        _ => listed.sort_by_key(|(l, _)| std::cmp::Reverse((l.offering.created_at, l.offering.id))),
    }
    let total = u64::try_from(listed.len()).unwrap_or(u64::MAX);
    let skip = usize::try_from(page.offset()).unwrap_or(usize::MAX);
    let take = usize::try_from(page.limit).unwrap_or(usize::MAX);
    let items = listed
        .into_iter()
        .skip(skip)
        .take(take)
        .map(|(l, _)| l)
        .collect();
    Ok(Page::new(items, page, total))
}

/// Keeps the offerings with a free slot on the provider's local `date`.
async fn available(
    core: &Core,
    conn: &impl ConnectionTrait,
    listed: Vec<(Listed, f64)>,
    date: NaiveDate,
) -> Result<Vec<(Listed, f64)>> {
    let providers = providers_of(listed.iter().map(|(l, _)| &l.offering));
    if providers.is_empty() {
        return Ok(listed);
    }
    let mut schedules: HashMap<Uuid, Schedule> = HashMap::new();
    for row in provider_schedules::Entity::find()
        .filter(provider_schedules::Column::UserId.is_in(providers.clone()))
        .all(conn)
        .await?
    {
        let value: Value = serde_json::from_str(&row.body).map_err(anyhow::Error::from)?;
        if let Ok(schedule) = Schedule::parse(&value) {
            schedules.insert(row.user_id, schedule);
        }
    }
    // Any zone's local date lies within a day either side of UTC's.
    let midnight = date.and_hms_opt(0, 0, 0).map(|d| d.and_utc());
    let Some(midnight) = midnight else {
        return Ok(Vec::new());
    };
    let span = (
        (midnight - Duration::days(1)).timestamp(),
        (midnight + Duration::days(2)).timestamp(),
    );
    let held = slots::held(conn, &providers, span, None).await?;
    let horizon = settings::load(conn, &core.settings)
        .await?
        .booking_horizon_days;
    let now = core.clock.now();
    Ok(listed
        .into_iter()
        .filter(|(l, _)| {
            schedules
                .get(&l.offering.provider_id)
                .is_some_and(|schedule| {
                    let rules = slots::Rules::at(&l.offering, schedule, now, horizon);
                    !rules.free_among(date, date, &held).is_empty()
                })
        })
        .collect())
}

/// Parses `availableOn`.
pub fn checked_date(raw: Option<&str>) -> Result<Option<NaiveDate>> {
    match raw.map(str::trim).filter(|r| !r.is_empty()) {
        None => Ok(None),
        Some(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| {
                Error::Validation(FieldErrors::single("availableOn", FieldIssue::Invalid))
            }),
    }
}
