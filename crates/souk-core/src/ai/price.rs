//! Price suggestion: the median and the 25th–75th percentiles of what was
//! really paid (the price of every contract, from accepted quotes and
//! accepted bookings alike) for a category near a place over the last
//! year, widening the circle until the sample is big enough — and saying
//! how far it had to go.

use chrono::Duration;
use sea_orm::FromQueryResult;
use souk_db::{enums::AiFeature, sql_text::statement};
use uuid::Uuid;

use crate::{
    Core,
    accounts::Authenticated,
    ai::{
        log::{self, Call},
        prompt,
    },
    bookings::offerings,
    catalog::services,
    error::{Error, FieldErrors, FieldIssue, Result},
    money::settings,
    search::{haversine_km, valid_point},
};

/// A sample this big is enough.
pub const MIN_SAMPLE: usize = 8;
/// The circles tried, km; after the last, the whole platform.
pub const RADII_KM: [f64; 5] = [10.0, 25.0, 50.0, 100.0, 250.0];
/// Prices read at most.
const MAX_ROWS: u64 = 20_000;

/// What the suggestion is asked for.
#[derive(Debug, Clone, Default)]
pub struct PriceQuery {
    pub category: Option<String>,
    pub city: Option<String>,
    pub lat: Option<f64>,
    pub lng: Option<f64>,
    pub offering: Option<Uuid>,
}

/// The suggestion.
#[derive(Debug, Clone)]
pub struct Suggestion {
    pub category: String,
    pub place: Option<String>,
    pub point: Option<(f64, f64)>,
    pub median: Option<i64>,
    pub p25: Option<i64>,
    pub p75: Option<i64>,
    pub sample_size: usize,
    /// The circle the sample came from (`None`: the whole platform).
    pub radius_km: Option<f64>,
    /// Whether the circle had to grow beyond the first.
    pub widened: bool,
    pub currency: String,
}

#[derive(Debug, FromQueryResult)]
struct Paid {
    price: i64,
    latitude: Option<f64>,
    longitude: Option<f64>,
}

/// The `q`-quantile of sorted `values` (nearest rank, q in 0..=1).
pub fn quantile(sorted: &[i64], q: f64) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let n = crate::num::approx_f64(i64::try_from(sorted.len()).unwrap_or(i64::MAX));
    let rank = (q * n).ceil().max(1.0);
    let index = crate::num::floor_saturating(rank).saturating_sub(1);
    sorted
        .get(usize::try_from(index).unwrap_or(0))
        .or(sorted.last())
        .copied()
}

/// The suggestion for `query`, logged.
pub async fn suggest(core: &Core, caller: &Authenticated, query: PriceQuery) -> Result<Suggestion> {
    let mut call = Call::start(Some(caller.user.id), AiFeature::PriceSuggest);
    let found = compute(core, caller, query).await?;
    call.prompt = Some(format!(
        "{} @ {}",
        found.category,
        found.place.clone().unwrap_or_else(|| found
            .point
            .map(|(a, b)| format!("{a:.3},{b:.3}"))
            .unwrap_or_default())
    ));
    log::record(core, call).await;
    Ok(found)
}

/// The suggestion for `query` (not logged: for other features' use).
pub async fn compute(core: &Core, caller: &Authenticated, query: PriceQuery) -> Result<Suggestion> {
    let conn = core.db.conn();
    let mut errors = FieldErrors::new();
    let offering = match query.offering {
        Some(id) => Some(offerings::one(core, Some(caller), id).await?),
        None => None,
    };
    let category = match (
        query
            .category
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty()),
        &offering,
    ) {
        (Some(raw), _) => match services::resolve(conn, raw).await {
            Ok(service) => Some(service),
            Err(_) => {
                errors.add("category", FieldIssue::Invalid);
                None
            }
        },
        (None, Some(o)) => Some(services::resolve(conn, &o.category_id.to_string()).await?),
        (None, None) => {
            errors.add("category", FieldIssue::Required);
            None
        }
    };
    let mut place = None;
    let point = match (
        query.lat,
        query.lng,
        query
            .city
            .as_deref()
            .map(str::trim)
            .filter(|c| !c.is_empty()),
    ) {
        (Some(lat), Some(lng), _) if valid_point(lat, lng) => Some((lat, lng)),
        (Some(_), _, _) | (_, Some(_), _) => {
            errors.add("lat", FieldIssue::Invalid);
            None
        }
        (None, None, Some(city)) => {
            if city.chars().count() > 100 {
                errors.add("city", FieldIssue::TooLong(100));
                None
            } else {
                match prompt::understand(core, city).place {
                    Some(p) => {
                        place = Some(p.name.clone());
                        Some((p.lat, p.lng))
                    }
                    None => {
                        errors.add("city", FieldIssue::Invalid);
                        None
                    }
                }
            }
        }
        (None, None, None) => match &offering {
            Some(_) => caller.user.latitude.zip(caller.user.longitude),
            None => None,
        },
    };
    if point.is_none() && query.offering.is_none() && errors.is_empty() {
        errors.add("city", FieldIssue::Required);
    }
    errors.into_result()?;
    let Some(category) = category else {
        return Err(Error::Validation(FieldErrors::single(
            "category",
            FieldIssue::Required,
        )));
    };
    let since = crate::time::earlier(core.clock.now(), Duration::days(365));
    let rows = Paid::find_by_statement(statement(
        conn,
        format!(
            "SELECT c.price, j.latitude, j.longitude FROM contracts c JOIN jobs j ON j.id = c.job_id \
             WHERE j.category_id = $1 AND c.created_at >= $2 ORDER BY c.created_at DESC LIMIT {MAX_ROWS}"
        ),
        [category.id.into(), since.into()],
    ))
    .all(conn)
    .await?;
    let mut chosen: (Option<f64>, Vec<i64>) = (None, Vec::new());
    let mut widened = false;
    match point {
        Some((lat, lng)) => {
            let mut found = false;
            for (i, radius) in RADII_KM.iter().enumerate() {
                let sample: Vec<i64> = rows
                    .iter()
                    .filter(|r| {
                        r.latitude
                            .zip(r.longitude)
                            .is_some_and(|(a, b)| haversine_km(lat, lng, a, b) <= *radius)
                    })
                    .map(|r| r.price)
                    .collect();
                widened = i > 0;
                if sample.len() >= MIN_SAMPLE {
                    chosen = (Some(*radius), sample);
                    found = true;
                    break;
                }
            }
            if !found {
                widened = true;
                chosen = (None, rows.iter().map(|r| r.price).collect());
            }
        }
        None => chosen = (None, rows.iter().map(|r| r.price).collect()),
    }
    let (radius_km, mut sample) = chosen;
    sample.sort_unstable();
    let currency = settings::load(conn, &core.settings).await?.currency;
    Ok(Suggestion {
        category: category.slug,
        place,
        point,
        median: quantile(&sample, 0.5),
        p25: quantile(&sample, 0.25),
        p75: quantile(&sample, 0.75),
        sample_size: sample.len(),
        radius_km,
        widened,
        currency,
    })
}

#[cfg(test)]
mod tests {
    use super::quantile;

    #[test]
    fn quantiles_take_the_nearest_rank() {
        let v = [10, 20, 30, 40, 50, 60, 70, 80];
        assert_eq!(quantile(&v, 0.5), Some(40));
        assert_eq!(quantile(&v, 0.25), Some(20));
        assert_eq!(quantile(&v, 0.75), Some(60));
        assert_eq!(quantile(&[], 0.5), None);
        assert_eq!(quantile(&[7], 0.25), Some(7));
    }
}
