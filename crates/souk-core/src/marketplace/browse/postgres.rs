//! PostgreSQL ranks a search near a point in one statement: the candidates
//! (term index ranges, one per word group, intersected; or the filtered jobs
//! in the area's cells), the haversine distance, the count and the requested
//! page — so only the page's ids and distances cross the wire.

use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, FromQueryResult, QueryFilter, QuerySelect, QueryTrait,
    Select, Statement, Value,
    sea_query::{PostgresQueryBuilder, SelectStatement},
};
use souk_db::entities::{job_terms, jobs};

use super::{
    FoundJob, SortBy,
    near::{Area, RankKey, TermScope, area_jobs, group_query, ranking_order, term_hits},
};
use crate::{
    Core,
    error::Result,
    pagination::{Page, PageRequest},
    search,
};

/// Word matches: the first group's range of the term index, intersected
/// with the others', ranked and paged.
pub(super) async fn ranked_word_matches(
    core: &Core,
    groups: &[Vec<String>],
    scope: &TermScope,
    area: &Area,
    sort: SortBy,
    page: PageRequest,
) -> Result<Page<FoundJob>> {
    let Some((first, rest)) = groups.split_first() else {
        return Ok(Page::new(Vec::new(), page, 0));
    };
    let mut hits = term_hits(core, first, scope, area);
    for group in rest {
        let others = group_query(core, group, scope, area)
            .select_only()
            .column(job_terms::Column::JobId)
            .into_query();
        hits = hits.filter(job_terms::Column::JobId.in_subquery(others));
    }
    let repeats = first.len() > 1;
    ranked(core, hits.into_query(), repeats, area, sort, page).await
}

/// The jobs an (already filtered) jobs query selects in the area's box,
/// ranked and paged.
pub(super) async fn ranked_jobs(
    core: &Core,
    query: Select<jobs::Entity>,
    area: &Area,
    sort: SortBy,
    page: PageRequest,
) -> Result<Page<FoundJob>> {
    let hits = area_jobs(core, query, area).into_query();
    ranked(core, hits, false, area, sort, page).await
}

/// Ranks `hits` (job_id, latitude, longitude, created_at, budget_max; a job
/// may come more than once when `repeats`) within the circle and loads the
/// requested page.
async fn ranked(
    core: &Core,
    hits: SelectStatement,
    repeats: bool,
    area: &Area,
    sort: SortBy,
    page: PageRequest,
) -> Result<Page<FoundJob>> {
    let (items, total) = run(core, &hits, repeats, area, sort, page.limit, page.offset()).await?;
    if items.is_empty() && page.offset() > 0 {
        // Past the last page no row carries the count: ask for the first row.
        let (_, total) = run(core, &hits, repeats, area, sort, 1, 0).await?;
        return Ok(Page::new(items, page, total));
    }
    Ok(Page::new(items, page, total))
}

/// One ranking statement: the page (with the count of all matches) joined
/// to its jobs, the distance computed for the page's rows only.
async fn run(
    core: &Core,
    hits: &SelectStatement,
    repeats: bool,
    area: &Area,
    sort: SortBy,
    limit: u64,
    offset: u64,
) -> Result<(Vec<FoundJob>, u64)> {
    let (inner_sql, inner_values) = hits.build(PostgresQueryBuilder);
    let mut values: Vec<Value> = inner_values.0;
    let mut param = |value: Value| {
        values.push(value);
        format!("${}", values.len())
    };
    // hav(d/R) = (1 − cos Δφ)/2 + cos φ₀ cos φ (1 − cos Δλ)/2; d = 2R asin √hav.
    let (lat, lng) = (param(area.lat.into()), param(area.lng.into()));
    let cos_lat = param(area.lat.to_radians().cos().into());
    let hav = |t: &str| {
        format!(
            "((1 - cos(radians({t}.latitude - {lat}))) / 2 \
              + {cos_lat} * cos(radians({t}.latitude)) \
                * (1 - cos(radians({t}.longitude - {lng}))) / 2)"
        )
    };
    let distance = |t: &str| format!("(2 * 6371.0088 * asin(least(1.0, sqrt({}))))", hav(t));
    // Inside the inscribed box a point is within the circle without any
    // trigonometry; elsewhere its haversine decides.
    let limit_hav = param(search::haversine_limit(area.radius).into());
    let inside = match search::inscribed_box(area.lat, area.lng, area.radius) {
        Some(b) => format!(
            "(u.latitude BETWEEN {} AND {} AND u.longitude BETWEEN {} AND {}) OR {} <= {limit_hav}",
            param(b.min_lat.into()),
            param(b.max_lat.into()),
            param(b.min_lng.into()),
            param(b.max_lng.into()),
            hav("u"),
        ),
        None => format!("{} <= {limit_hav}", hav("u")),
    };
    let limit = param(i64::try_from(limit).unwrap_or(i64::MAX).into());
    let offset = param(i64::try_from(offset).unwrap_or(i64::MAX).into());
    let order = match sort {
        SortBy::Newest => "u.created_at DESC, u.job_id DESC".to_owned(),
        SortBy::Budget => {
            "u.budget_max DESC NULLS LAST, u.created_at DESC, u.job_id DESC".to_owned()
        }
        SortBy::Distance => format!("{}, u.created_at DESC, u.job_id DESC", distance("u")),
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
           ORDER BY {order} LIMIT {limit} OFFSET {offset} \
         ) page JOIN jobs ON jobs.id = page.job_id",
        distance = distance("jobs"),
    );
    let rows = core
        .db
        .conn()
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
