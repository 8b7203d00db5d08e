//! What a search near a point is made of, for both engines: the circle with
//! its box and grid cells, the scope of a term-index search, the query
//! shapes that read candidates (the term index, or `jobs` in the area) and
//! the ranking order.

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, Condition, EntityTrait, QueryFilter, QuerySelect, Select, sea_query::ExprTrait,
};
use souk_db::{
    Db,
    entities::{job_terms, jobs},
};
use std::cmp::Ordering;
use uuid::Uuid;

use crate::search;

/// A job in a result list, with its distance when a point was given.
#[derive(Debug, Clone)]
pub struct FoundJob {
    pub job: jobs::Model,
    pub distance_km: Option<f64>,
}

/// The order of a result list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortBy {
    Newest,
    Budget,
    Distance,
}

/// A circle on the map, with the box and grid cells that contain it.
pub struct Area {
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
    pub(super) fn distance_to(&self, lat: f64, lng: f64) -> Option<f64> {
        let distance = search::haversine_km(self.lat, self.lng, lat, lng);
        (distance <= self.radius).then_some(distance)
    }
}

/// What a term-index search is confined to.
pub struct TermScope {
    pub category: Option<Uuid>,
    pub cells: Vec<i64>,
    pub listed_only: bool,
    pub min_budget: Option<i64>,
    pub max_budget: Option<i64>,
}

/// Budget range overlap: a job whose range reaches `min` and starts by `max`.
pub fn budget_condition<C: ColumnTrait + Copy>(
    budget_min: C,
    budget_max: C,
    min: Option<i64>,
    max: Option<i64>,
) -> Condition {
    let mut condition = Condition::all();
    if let Some(min) = min {
        condition = condition.add(
            Condition::any()
                .add(budget_max.gte(min))
                .add(budget_max.is_null().and(budget_min.gte(min))),
        );
    }
    if let Some(max) = max {
        condition = condition.add(
            Condition::any()
                .add(budget_min.lte(max))
                .add(budget_min.is_null().and(budget_max.lte(max))),
        );
    }
    condition
}

/// One word group's range of the term index, confined to the scope and box.
pub(super) fn group_query(
    db: &Db,
    group: &[String],
    scope: &TermScope,
    area: &Area,
) -> Select<job_terms::Entity> {
    let mut terms = job_terms::Entity::find()
        .filter(db.one_of(job_terms::Column::Term, group.to_vec()))
        .filter(db.one_of(job_terms::Column::GeoCell, scope.cells.clone()))
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
    db: &Db,
    group: &[String],
    scope: &TermScope,
    area: &Area,
) -> Select<job_terms::Entity> {
    group_query(db, group, scope, area)
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
    db: &Db,
    mut query: Select<jobs::Entity>,
    area: &Area,
) -> Select<jobs::Entity> {
    if let Some(cells) = &area.cells {
        query = query.filter(db.one_of(jobs::Column::GeoCell, cells.clone()));
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
