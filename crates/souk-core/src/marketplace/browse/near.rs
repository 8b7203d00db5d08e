//! "Near a point": the circle with its box and grid cells, the candidates
//! (from the term index when there are words, else from `jobs`), and ranking
//! by true (haversine) distance, date or budget.

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Select};
use souk_db::entities::{job_terms, jobs};
use std::{
    cmp::Ordering,
    collections::{HashMap, HashSet},
};
use uuid::Uuid;

use super::{FoundJob, GEO_CANDIDATE_CAP, SortBy, budget_condition};
use crate::{
    Core,
    error::Result,
    pagination::{Page, PageRequest},
    search,
};

/// A circle on the map, with the box and grid cells that contain it.
pub(super) struct Area {
    pub lat: f64,
    pub lng: f64,
    pub radius: f64,
    pub bbox: search::BoundingBox,
    pub cells: Option<Vec<i64>>,
}

impl Area {
    pub fn around(lat: f64, lng: f64, radius: f64) -> Self {
        let bbox = search::bounding_box(lat, lng, radius);
        Self {
            lat,
            lng,
            radius,
            cells: search::cells_covering(&bbox),
            bbox,
        }
    }

    /// The distance to a point, if it lies within the circle.
    fn distance_to(&self, lat: f64, lng: f64) -> Option<f64> {
        let distance = search::haversine_km(self.lat, self.lng, lat, lng);
        (distance <= self.radius).then_some(distance)
    }
}

/// A job that may be in the result, with what ranking needs.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Candidate {
    pub id: Uuid,
    lat: Option<f64>,
    lng: Option<f64>,
    created_at: DateTime<Utc>,
    budget_max: Option<i64>,
}

type CandidateRow = (Uuid, Option<f64>, Option<f64>, DateTime<Utc>, Option<i64>);

impl From<CandidateRow> for Candidate {
    fn from((id, lat, lng, created_at, budget_max): CandidateRow) -> Self {
        Self {
            id,
            lat,
            lng,
            created_at,
            budget_max,
        }
    }
}

/// What a term-index search is confined to.
pub(super) struct TermScope {
    pub category: Option<Uuid>,
    pub cells: Vec<i64>,
    pub listed_only: bool,
    pub min_budget: Option<i64>,
    pub max_budget: Option<i64>,
}

/// One word group's range of the term index, confined to the scope and box.
pub(super) fn group_query(
    core: &Core,
    group: &[String],
    scope: &TermScope,
    area: &Area,
) -> Select<job_terms::Entity> {
    let mut terms = job_terms::Entity::find()
        .filter(core.db.one_of(job_terms::Column::Term, group.to_vec()))
        .filter(
            core.db
                .one_of(job_terms::Column::GeoCell, scope.cells.clone()),
        )
        .filter(job_terms::Column::Latitude.between(area.bbox.min_lat, area.bbox.max_lat))
        .filter(job_terms::Column::Longitude.between(area.bbox.min_lng, area.bbox.max_lng))
        .filter(budget_condition(
            job_terms::Column::BudgetMin,
            job_terms::Column::BudgetMax,
            scope.min_budget,
            scope.max_budget,
        ));
    if let Some(category) = scope.category {
        terms = terms.filter(job_terms::Column::CategoryId.eq(category));
    }
    if scope.listed_only {
        terms = terms.filter(job_terms::Column::Listed.eq(true));
    }
    terms
}

/// One word group's range with what ranking needs: job id, position, date,
/// budget.
pub(super) fn term_hits(
    core: &Core,
    group: &[String],
    scope: &TermScope,
    area: &Area,
) -> Select<job_terms::Entity> {
    group_query(core, group, scope, area)
        .select_only()
        .column(job_terms::Column::JobId)
        .column(job_terms::Column::Latitude)
        .column(job_terms::Column::Longitude)
        .column(job_terms::Column::CreatedAt)
        .column(job_terms::Column::BudgetMax)
}

/// The (already filtered) jobs in the area's cells and box, with what
/// ranking needs: id (as `job_id`), position, date, budget.
pub(super) fn area_jobs(
    core: &Core,
    mut query: Select<jobs::Entity>,
    area: &Area,
) -> Select<jobs::Entity> {
    if let Some(cells) = &area.cells {
        query = query.filter(core.db.one_of(jobs::Column::GeoCell, cells.clone()));
    }
    query
        .filter(jobs::Column::Latitude.between(area.bbox.min_lat, area.bbox.max_lat))
        .filter(jobs::Column::Longitude.between(area.bbox.min_lng, area.bbox.max_lng))
        .select_only()
        .column_as(jobs::Column::Id, "job_id")
        .column(jobs::Column::Latitude)
        .column(jobs::Column::Longitude)
        .column(jobs::Column::CreatedAt)
        .column(jobs::Column::BudgetMax)
}

/// The ranking's order: newest first, or by budget (highest first, none
/// last) or distance (nearest first) with newest breaking ties.
pub(super) fn ranking_order(sort: SortBy, a: RankKey, b: RankKey) -> Ordering {
    let newest = (b.created_at, b.id).cmp(&(a.created_at, a.id));
    match sort {
        SortBy::Newest => newest,
        SortBy::Budget => b
            .budget_max
            .unwrap_or(i64::MIN)
            .cmp(&a.budget_max.unwrap_or(i64::MIN))
            .then(newest),
        SortBy::Distance => a.distance.total_cmp(&b.distance).then(newest),
    }
}

/// What ranking compares.
#[derive(Debug, Clone, Copy)]
pub(super) struct RankKey {
    pub created_at: DateTime<Utc>,
    pub id: Uuid,
    pub budget_max: Option<i64>,
    pub distance: f64,
}

/// Jobs in the area that carry a term of every group, from the term index
/// alone (one index range per group, intersected here).
pub(super) async fn term_candidates(
    core: &Core,
    groups: &[Vec<String>],
    scope: &TermScope,
    area: &Area,
) -> Result<Vec<Candidate>> {
    let mut found: Option<Vec<Candidate>> = None;
    for group in groups {
        let rows: Vec<CandidateRow> = term_hits(core, group, scope, area)
            .limit(GEO_CANDIDATE_CAP)
            .into_tuple()
            .all(core.db.conn())
            .await?;
        // A job matching two terms of one group (a word and its synonym)
        // appears twice.
        let mut seen = HashSet::with_capacity(rows.len());
        let rows: Vec<CandidateRow> = rows.into_iter().filter(|row| seen.insert(row.0)).collect();
        found = Some(match found {
            None => rows.into_iter().map(Candidate::from).collect(),
            Some(previous) => previous
                .into_iter()
                .filter(|c| seen.contains(&c.id))
                .collect(),
        });
        if found.as_ref().is_some_and(Vec::is_empty) {
            break;
        }
    }
    Ok(found.unwrap_or_default())
}

/// Jobs in the area's box that the (already filtered) query selects.
pub(super) async fn job_candidates(
    core: &Core,
    query: Select<jobs::Entity>,
    area: &Area,
) -> Result<Vec<Candidate>> {
    let rows: Vec<CandidateRow> = area_jobs(core, query, area)
        .order_by_desc(jobs::Column::CreatedAt)
        .order_by_desc(jobs::Column::Id)
        .limit(GEO_CANDIDATE_CAP)
        .into_tuple()
        .all(core.db.conn())
        .await?;
    Ok(rows.into_iter().map(Candidate::from).collect())
}

/// Keeps the candidates truly (haversine) within the circle, orders them,
/// and loads the requested page.
pub(super) async fn rank(
    core: &Core,
    candidates: Vec<Candidate>,
    area: &Area,
    sort: SortBy,
    page: PageRequest,
) -> Result<Page<FoundJob>> {
    let mut within: Vec<(Candidate, f64)> = candidates
        .into_iter()
        .filter_map(|c| {
            let distance = area.distance_to(c.lat?, c.lng?)?;
            Some((c, distance))
        })
        .collect();
    let key = |(c, distance): &(Candidate, f64)| RankKey {
        created_at: c.created_at,
        id: c.id,
        budget_max: c.budget_max,
        distance: *distance,
    };
    within.sort_by(|a, b| ranking_order(sort, key(a), key(b)));
    let total = within.len() as u64;
    let slice: Vec<(Uuid, f64)> = within
        .into_iter()
        .skip(page.offset() as usize)
        .take(page.limit as usize)
        .map(|(c, distance)| (c.id, distance))
        .collect();
    load_page(core, slice, page, total).await
}

/// Loads the jobs of a ranked page (id, distance), keeping its order.
async fn load_page(
    core: &Core,
    slice: Vec<(Uuid, f64)>,
    page: PageRequest,
    total: u64,
) -> Result<Page<FoundJob>> {
    let ids: Vec<Uuid> = slice.iter().map(|(id, _)| *id).collect();
    let mut rows: HashMap<Uuid, jobs::Model> = if ids.is_empty() {
        HashMap::new()
    } else {
        jobs::Entity::find()
            .filter(core.db.one_of(jobs::Column::Id, ids))
            .all(core.db.conn())
            .await?
            .into_iter()
            .map(|job| (job.id, job))
            .collect()
    };
    let items = slice
        .into_iter()
        .filter_map(|(id, distance)| {
            rows.remove(&id).map(|job| FoundJob {
                job,
                distance_km: Some((distance * 100.0).round() / 100.0),
            })
        })
        .collect();
    Ok(Page::new(items, page, total))
}
