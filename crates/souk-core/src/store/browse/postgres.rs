//! PostgreSQL ranks a search near a point in one statement: the candidates
//! (term index ranges, one per word group, intersected; or the filtered jobs
//! in the area's cells), the haversine distance, the count and the requested
//! page — so only the page's ids and distances cross the wire.

use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, FromQueryResult, QueryFilter, QuerySelect, QueryTrait,
    Select, Statement, Value,
    sea_query::{PostgresQueryBuilder, SelectStatement},
};
use souk_db::{
    Db,
    entities::{job_terms, jobs},
};
use uuid::Uuid;

use super::shapes::{
    Area, FoundJob, RankKey, SortBy, TermScope, area_jobs, group_query, ranking_order, term_hits,
};
use crate::{
    error::Result,
    num::count_u64,
    pagination::{Page, PageRequest},
    search,
};

/// Word matches: the first group's range of the term index, intersected
/// with the others', ranked and paged.
pub(super) async fn ranked_word_matches(
    db: &Db,
    groups: &[Vec<String>],
    scope: &TermScope,
    area: &Area,
    sort: SortBy,
    page: PageRequest,
) -> Result<Page<FoundJob>> {
    let Some((first, rest)) = groups.split_first() else {
        return Ok(Page::new(Vec::new(), page, 0));
    };
    let mut hits = term_hits(db, first, scope, area);
    for group in rest {
        let others = group_query(db, group, scope, area)
            .select_only()
            .column(job_terms::Column::JobId)
            .into_query();
        hits = hits.filter(job_terms::Column::JobId.in_subquery(others));
    }
    let repeats = first.len() > 1;
    ranked(db, hits.into_query(), repeats, area, sort, page).await
}

/// The jobs an (already filtered) jobs query selects in the area's box,
/// ranked and paged.
pub(super) async fn ranked_jobs(
    db: &Db,
    query: Select<jobs::Entity>,
    area: &Area,
    sort: SortBy,
    page: PageRequest,
) -> Result<Page<FoundJob>> {
    let hits = area_jobs(db, query, area).into_query();
    ranked(db, hits, false, area, sort, page).await
}

/// Ranks `hits` (job_id, latitude, longitude, created_at, budget_max; a job
/// may come more than once when `repeats`) within the circle and loads the
/// requested page.
async fn ranked(
    db: &Db,
    hits: SelectStatement,
    repeats: bool,
    area: &Area,
    sort: SortBy,
    page: PageRequest,
) -> Result<Page<FoundJob>> {
    let (items, total) = run(db, &hits, repeats, area, sort, page.limit, page.offset()).await?;
    if items.is_empty() && page.offset() > 0 {
        // Past the last page no row carries the count: ask for the first row.
        let (_, total) = run(db, &hits, repeats, area, sort, 1, 0).await?;
        return Ok(Page::new(items, page, total));
    }
    Ok(Page::new(items, page, total))
}

/// Statement parameters, numbered as PostgreSQL wants them, and the
/// circle's SQL built on them.
struct Circle {
    values: Vec<Value>,
    lat: String,
    lng: String,
    cos_lat: String,
    limit_hav: String,
    inscribed: Option<[String; 4]>,
}

impl Circle {
    /// Parameters follow `values` (the inner query's).
    fn new(values: Vec<Value>, area: &Area) -> Self {
        let mut circle = Self {
            values,
            lat: String::new(),
            lng: String::new(),
            cos_lat: String::new(),
            limit_hav: String::new(),
            inscribed: None,
        };
        circle.lat = circle.param(area.lat);
        circle.lng = circle.param(area.lng);
        circle.cos_lat = circle.param(area.lat.to_radians().cos());
        circle.limit_hav = circle.param(search::haversine_limit(area.radius));
        circle.inscribed = search::inscribed_box(area.lat, area.lng, area.radius)
            .map(|b| [b.min_lat, b.max_lat, b.min_lng, b.max_lng].map(|edge| circle.param(edge)));
        circle
    }

    fn param(&mut self, value: impl Into<Value>) -> String {
        self.values.push(value.into());
        format!("${}", self.values.len())
    }

    /// hav(d/R) = (1 − cos Δφ)/2 + cos φ₀ cos φ (1 − cos Δλ)/2.
    fn hav(&self, t: &str) -> String {
        let (lat, lng, cos_lat) = (&self.lat, &self.lng, &self.cos_lat);
        format!(
            "((1 - cos(radians({t}.latitude - {lat}))) / 2 \
              + {cos_lat} * cos(radians({t}.latitude)) \
                * (1 - cos(radians({t}.longitude - {lng}))) / 2)"
        )
    }

    /// d = 2R asin √hav, in km.
    fn distance(&self, t: &str) -> String {
        format!("(2 * 6371.0088 * asin(least(1.0, sqrt({}))))", self.hav(t))
    }

    /// Inside the inscribed box a point is within the circle without any
    /// trigonometry; elsewhere its haversine decides.
    fn contains(&self, t: &str) -> String {
        let within = format!("{} <= {}", self.hav(t), self.limit_hav);
        match &self.inscribed {
            Some([min_lat, max_lat, min_lng, max_lng]) => format!(
                "(({t}.latitude BETWEEN {min_lat} AND {max_lat} \
                   AND {t}.longitude BETWEEN {min_lng} AND {max_lng}) OR {within})"
            ),
            None => format!("({within})"),
        }
    }

    fn limit_offset(&mut self, limit: u64, offset: u64) -> String {
        let limit = self.param(i64::try_from(limit).unwrap_or(i64::MAX));
        let offset = self.param(i64::try_from(offset).unwrap_or(i64::MAX));
        format!("LIMIT {limit} OFFSET {offset}")
    }
}

/// Runs a statement whose rows are `total`, `distance_km` and `jobs.*`:
/// the page in ranking order, and the count of all matches.
async fn page_rows(
    db: &Db,
    sql: String,
    values: Vec<Value>,
    sort: SortBy,
) -> Result<(Vec<FoundJob>, u64)> {
    let rows = db
        .search_conn()
        .query_all_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            sql,
            values,
        ))
        .await?;
    let mut total = 0;
    let mut ranked = Vec::with_capacity(rows.len());
    for row in rows {
        total = row.try_get::<i64>("", "total")?;
        let distance: f64 = row.try_get("", "distance_km")?;
        ranked.push((jobs::Model::from_query_result(&row, "")?, distance));
    }
    // The join keeps no order: put the page back in the ranking's.
    let key = |(job, distance): &(jobs::Model, f64)| RankKey {
        created_at: job.created_at,
        id: job.id,
        budget_max: job.budget_max,
        distance: *distance,
    };
    ranked.sort_by(|a, b| ranking_order(sort, key(a), key(b)));
    let items = ranked
        .into_iter()
        .map(|(job, distance)| FoundJob {
            job,
            distance_km: Some((distance * 100.0).round() / 100.0),
        })
        .collect();
    Ok((items, u64::try_from(total).unwrap_or_default()))
}

/// One ranking statement: the page (with the count of all matches) joined
/// to its jobs, the distance computed for the page's rows only.
async fn run(
    db: &Db,
    hits: &SelectStatement,
    repeats: bool,
    area: &Area,
    sort: SortBy,
    limit: u64,
    offset: u64,
) -> Result<(Vec<FoundJob>, u64)> {
    let (inner_sql, inner_values) = hits.build(PostgresQueryBuilder);
    let mut circle = Circle::new(inner_values.0, area);
    let inside = circle.contains("u");
    let page = circle.limit_offset(limit, offset);
    let order = match sort {
        SortBy::Newest => "u.created_at DESC, u.job_id DESC".to_owned(),
        SortBy::Budget => {
            "u.budget_max DESC NULLS LAST, u.created_at DESC, u.job_id DESC".to_owned()
        }
        SortBy::Distance => format!("{}, u.created_at DESC, u.job_id DESC", circle.distance("u")),
    };
    // A job reached through two terms of one word group comes twice.
    let unique = if repeats { "DISTINCT ON (job_id)" } else { "" };
    let sql = format!(
        "SELECT page.total, {distance} AS distance_km, jobs.* \
         FROM ( \
           SELECT u.job_id, count(*) OVER () AS total \
           FROM (SELECT {unique} job_id, latitude, longitude, created_at, budget_max \
                 FROM ({inner_sql}) hits) u \
           WHERE {inside} \
           ORDER BY {order} {page} \
         ) page JOIN jobs ON jobs.id = page.job_id",
        distance = circle.distance("jobs"),
    );
    page_rows(db, sql, circle.values, sort).await
}

/// At most how many of a category's newest open jobs the quick path reads
/// for each result it must find (and at least how many): the scan stops as
/// soon as the page is full, this only bounds a quiet area's search.
const RECENT_SCAN_PER_RESULT: u64 = 100;
const RECENT_SCAN_MIN: u64 = 5_000;
/// Pages deeper than this rank the whole circle.
pub(super) const RECENT_MAX_DEPTH: u64 = 100;

/// A category's open jobs near a point, newest first — what a craftsman's
/// browse screen asks for most. The page comes from the category's newest
/// open jobs (`idx_jobs_category_listed`, read backwards until the page is
/// full: typically a few hundred entries) filtered by the circle; the count reads the area index and ranks
/// nothing. When those newest jobs do not fill the page (a quiet area in a
/// busy category) the whole circle is ranked instead, so the answer is
/// always the exact one.
pub(super) async fn recent_in_category(
    db: &Db,
    query: Select<jobs::Entity>,
    category: Uuid,
    area: &Area,
    page: PageRequest,
) -> Result<Page<FoundJob>> {
    let need = page.offset().saturating_add(page.limit);
    let hits = area_jobs(db, query.clone(), area).into_query();
    let (inner_sql, inner_values) = hits.build(PostgresQueryBuilder);
    let mut circle = Circle::new(inner_values.0, area);
    let counted = circle.contains("u");
    let category = circle.param(category);
    let scan = need
        .saturating_mul(RECENT_SCAN_PER_RESULT)
        .max(RECENT_SCAN_MIN);
    let scan = circle.param(i64::try_from(scan).unwrap_or(i64::MAX));
    let b = &area.bbox;
    let [min_lat, max_lat, min_lng, max_lng] =
        [b.min_lat, b.max_lat, b.min_lng, b.max_lng].map(|edge| circle.param(edge));
    let inside = circle.contains("r");
    let window = circle.limit_offset(page.limit, page.offset());
    let sql = format!(
        "WITH recent AS ( \
           SELECT id, latitude, longitude, created_at FROM jobs \
           WHERE category_id = {category} AND listed = TRUE \
           ORDER BY created_at DESC, id DESC LIMIT {scan} \
         ), page AS ( \
           SELECT r.id FROM recent r \
           WHERE r.latitude BETWEEN {min_lat} AND {max_lat} \
             AND r.longitude BETWEEN {min_lng} AND {max_lng} AND {inside} \
           ORDER BY r.created_at DESC, r.id DESC {window} \
         ) \
         SELECT (SELECT count(*) FROM ({inner_sql}) u WHERE {counted}) AS total, \
                {distance} AS distance_km, jobs.* \
         FROM page JOIN jobs ON jobs.id = page.id",
        distance = circle.distance("jobs"),
    );
    let (items, total) = page_rows(db, sql, circle.values, SortBy::Newest).await?;
    if count_u64(items.len()) == page.limit {
        return Ok(Page::new(items, page, total));
    }
    ranked_jobs(db, query, area, SortBy::Newest, page).await
}
