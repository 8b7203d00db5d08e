//! PostgreSQL ranks a search near a point in one statement: the candidates
//! (term index ranges, one per word group, intersected; or the filtered jobs
//! in the area's cells), the haversine distance, the count and the requested
//! page — so only the page's ids and distances cross the wire.

use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, QueryFilter, QuerySelect, QueryTrait, Select,
    Statement, Value,
    sea_query::{PostgresQueryBuilder, SelectStatement},
};
use souk_db::entities::{job_terms, jobs};
use uuid::Uuid;

use super::{
    SortBy,
    near::{Area, TermScope, group_query},
};
use crate::{Core, error::Result, pagination::PageRequest, search};

/// Word matches: the first group's range of the term index, intersected
/// with the others', ranked and paged.
pub(super) async fn ranked_word_matches(
    core: &Core,
    groups: &[Vec<String>],
    scope: &TermScope,
    area: &Area,
    sort: SortBy,
    page: PageRequest,
) -> Result<(Vec<(Uuid, f64)>, u64)> {
    let Some((first, rest)) = groups.split_first() else {
        return Ok((Vec::new(), 0));
    };
    let mut hits = group_query(core, first, scope, area)
        .select_only()
        .column(job_terms::Column::JobId)
        .column(job_terms::Column::Latitude)
        .column(job_terms::Column::Longitude)
        .column(job_terms::Column::CreatedAt)
        .column(job_terms::Column::BudgetMax);
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
) -> Result<(Vec<(Uuid, f64)>, u64)> {
    let mut query = query
        .filter(jobs::Column::Latitude.between(area.bbox.min_lat, area.bbox.max_lat))
        .filter(jobs::Column::Longitude.between(area.bbox.min_lng, area.bbox.max_lng));
    if let Some(cells) = &area.cells {
        query = query.filter(core.db.one_of(jobs::Column::GeoCell, cells.clone()));
    }
    let hits = query
        .select_only()
        .column_as(jobs::Column::Id, "job_id")
        .column(jobs::Column::Latitude)
        .column(jobs::Column::Longitude)
        .column(jobs::Column::CreatedAt)
        .column(jobs::Column::BudgetMax)
        .into_query();
    ranked(core, hits, false, area, sort, page).await
}

/// Ranks `hits` (job_id, latitude, longitude, created_at, budget_max; a job
/// may come more than once when `repeats`) within the circle: the page's
/// (id, distance in km) and the total.
async fn ranked(
    core: &Core,
    hits: SelectStatement,
    repeats: bool,
    area: &Area,
    sort: SortBy,
    page: PageRequest,
) -> Result<(Vec<(Uuid, f64)>, u64)> {
    let (inner_sql, inner_values) = hits.build(PostgresQueryBuilder);
    let mut values: Vec<Value> = inner_values.0;
    let mut param = |value: Value| {
        values.push(value);
        format!("${}", values.len())
    };
    // hav(d/R) = (1 − cos Δφ)/2 + cos φ₀ cos φ (1 − cos Δλ)/2; d = 2R asin √hav.
    let (lat, lng) = (param(area.lat.into()), param(area.lng.into()));
    let cos_lat = param(area.lat.to_radians().cos().into());
    let hav = format!(
        "((1 - cos(radians(latitude - {lat}))) / 2 \
          + {cos_lat} * cos(radians(latitude)) * (1 - cos(radians(longitude - {lng}))) / 2)"
    );
    let distance = format!("(2 * 6371.0088 * asin(least(1.0, sqrt({hav}))))");
    // Inside the inscribed box a point is within the circle without any
    // trigonometry; elsewhere its haversine decides.
    let limit_hav = param(search::haversine_limit(area.radius).into());
    let inside = match search::inscribed_box(area.lat, area.lng, area.radius) {
        Some(b) => format!(
            "(latitude BETWEEN {} AND {} AND longitude BETWEEN {} AND {}) OR {hav} <= {limit_hav}",
            param(b.min_lat.into()),
            param(b.max_lat.into()),
            param(b.min_lng.into()),
            param(b.max_lng.into()),
        ),
        None => format!("{hav} <= {limit_hav}"),
    };
    let limit = param((page.limit as i64).into());
    let offset = param((page.offset() as i64).into());
    let order = match sort {
        SortBy::Newest => "created_at DESC, job_id DESC".to_owned(),
        SortBy::Budget => "budget_max DESC NULLS LAST, created_at DESC, job_id DESC".to_owned(),
        SortBy::Distance => format!("{distance}, created_at DESC, job_id DESC"),
    };
    // A job reached through two terms of one word group comes twice.
    let unique = if repeats { "DISTINCT ON (job_id)" } else { "" };
    let sql = format!(
        "WITH hits AS ({inner_sql}), \
         within AS MATERIALIZED ( \
           SELECT {unique} job_id, latitude, longitude, created_at, budget_max \
           FROM hits WHERE {inside}) \
         SELECT counted.total, page.job_id, page.distance_km \
         FROM (SELECT count(*) AS total FROM within) counted \
         LEFT JOIN LATERAL ( \
           SELECT job_id, {distance} AS distance_km FROM within \
           ORDER BY {order} LIMIT {limit} OFFSET {offset} \
         ) page ON true"
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
    let mut slice = Vec::with_capacity(rows.len());
    for row in rows {
        total = row.try_get::<i64>("", "total")?;
        let id: Option<Uuid> = row.try_get("", "job_id")?;
        let distance: Option<f64> = row.try_get("", "distance_km")?;
        if let (Some(id), Some(distance)) = (id, distance) {
            slice.push((id, distance));
        }
    }
    Ok((slice, u64::try_from(total).unwrap_or_default()))
}
