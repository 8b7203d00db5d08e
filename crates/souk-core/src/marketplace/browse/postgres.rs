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
use crate::{Core, error::Result, pagination::PageRequest};

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
    ranked(core, hits.into_query(), area, sort, page).await
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
    ranked(core, hits, area, sort, page).await
}

/// Ranks `hits` (job_id, latitude, longitude, created_at, budget_max; a job
/// may repeat) by true distance within the circle: the page's (id, distance
/// in km) and the total.
async fn ranked(
    core: &Core,
    hits: SelectStatement,
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
    let (lat, lng) = (param(area.lat.into()), param(area.lng.into()));
    let radius = param(area.radius.into());
    let limit = param((page.limit as i64).into());
    let offset = param((page.offset() as i64).into());
    let order = match sort {
        SortBy::Newest => "created_at DESC, job_id DESC",
        SortBy::Budget => "budget_max DESC NULLS LAST, created_at DESC, job_id DESC",
        SortBy::Distance => "distance_km, created_at DESC, job_id DESC",
    };
    // Haversine on a sphere of 6371.0088 km, as `search::haversine_km`.
    let sql = format!(
        "WITH hits AS ({inner}), \
         within AS ( \
           SELECT * FROM ( \
             SELECT DISTINCT ON (job_id) job_id, created_at, budget_max, \
               2 * 6371.0088 * asin(least(1.0, sqrt( \
                 power(sin(radians(latitude - {lat}) / 2), 2) \
                 + cos(radians({lat})) * cos(radians(latitude)) \
                   * power(sin(radians(longitude - {lng}) / 2), 2)))) AS distance_km \
             FROM hits) deduplicated \
           WHERE distance_km <= {radius}) \
         SELECT counted.total, page.job_id, page.distance_km \
         FROM (SELECT count(*) AS total FROM within) counted \
         LEFT JOIN LATERAL ( \
           SELECT job_id, distance_km FROM within ORDER BY {order} LIMIT {limit} OFFSET {offset} \
         ) page ON true",
        inner = inner_sql,
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
