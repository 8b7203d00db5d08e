//! Finding jobs: category, words (English and Arabic, normalized and
//! stemmed, matched against each job's indexed terms), status, true distance
//! from a point, budget range; newest, budget or distance order; paginated.

use sea_orm::{
    ColumnTrait, Condition, EntityTrait, Order, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Select,
    sea_query::{ExprTrait, NullOrdering, Query},
};
use souk_db::entities::{job_terms, jobs};
use std::collections::HashSet;

use uuid::Uuid;

use super::{JobStatus, jobs::find_category};
use crate::{
    Core,
    accounts::{Authenticated, Role},
    error::{FieldErrors, FieldIssue, Result},
    pagination::{Page, PageRequest},
    search,
};

/// Most candidates a radius search ranks in memory.
const GEO_CANDIDATE_CAP: u64 = 20_000;
/// Radius when a point is given without one.
const DEFAULT_RADIUS_KM: f64 = 25.0;

/// Filters as received.
#[derive(Debug, Clone, Default)]
pub struct JobFilters {
    pub category: Option<String>,
    pub q: Option<String>,
    pub status: Option<String>,
    pub lat: Option<f64>,
    pub lng: Option<f64>,
    pub radius_km: Option<f64>,
    pub min_budget: Option<i64>,
    pub max_budget: Option<i64>,
    pub mine: bool,
    pub sort: Option<String>,
}

/// A job in a result list, with its distance when a point was given.
#[derive(Debug, Clone)]
pub struct FoundJob {
    pub job: jobs::Model,
    pub distance_km: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SortBy {
    Newest,
    Budget,
    Distance,
}

/// Lists the jobs the caller may browse, filtered.
pub async fn browse(
    core: &Core,
    caller: &Authenticated,
    filters: JobFilters,
    page: PageRequest,
) -> Result<Page<FoundJob>> {
    let mut errors = FieldErrors::new();
    let mut query = jobs::Entity::find();

    // Who sees what: clients their own, craftsmen open jobs (or their own
    // contracts with mine=true), staff everything.
    match caller.role {
        Role::Client => query = query.filter(jobs::Column::ClientId.eq(caller.user.id)),
        Role::Craftsman if filters.mine => {
            query = query.filter(jobs::Column::CraftsmanId.eq(caller.user.id));
        }
        Role::Craftsman => {
            query = query.filter(
                jobs::Column::Status
                    .is_in([JobStatus::Posted.as_str(), JobStatus::Quoted.as_str()]),
            );
        }
        Role::Admin | Role::Moderator => {}
    }

    let mut category = None;
    let mut category_terms = Vec::new();
    if let Some(key) = filters.category.as_deref().filter(|c| !c.trim().is_empty()) {
        match find_category(core.db.conn(), key).await? {
            // Archived categories still filter their existing jobs.
            Some(service) => {
                query = query.filter(jobs::Column::CategoryId.eq(service.id));
                category = Some(service.id);
                category_terms = search::terms(&format!("{} {}", service.name_en, service.name_ar));
            }
            None => errors.add("category", FieldIssue::Invalid),
        }
    }
    if let Some(word) = filters.status.as_deref().filter(|s| !s.trim().is_empty()) {
        match JobStatus::parse(word) {
            Some(status) => query = query.filter(jobs::Column::Status.eq(status.as_str())),
            None => errors.add(
                "status",
                FieldIssue::OneOf(JobStatus::ALL.iter().map(|s| s.as_str()).collect()),
            ),
        }
    }
    if let Some(min) = filters.min_budget {
        query = query.filter(
            Condition::any().add(jobs::Column::BudgetMax.gte(min)).add(
                jobs::Column::BudgetMax
                    .is_null()
                    .and(jobs::Column::BudgetMin.gte(min)),
            ),
        );
    }
    if let Some(max) = filters.max_budget {
        query = query.filter(
            Condition::any().add(jobs::Column::BudgetMin.lte(max)).add(
                jobs::Column::BudgetMin
                    .is_null()
                    .and(jobs::Column::BudgetMax.lte(max)),
            ),
        );
    }
    if let (Some(min), Some(max)) = (filters.min_budget, filters.max_budget)
        && min > max
    {
        errors.add("maxBudget", FieldIssue::Invalid);
    }
    let point = match (filters.lat, filters.lng) {
        (None, None) => None,
        (Some(lat), Some(lng)) if search::valid_point(lat, lng) => Some((lat, lng)),
        (Some(_), Some(_)) => {
            errors.add(
                "lat",
                FieldIssue::OutOfRange {
                    min: -90.0,
                    max: 90.0,
                },
            );
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
    let radius = filters.radius_km.unwrap_or(DEFAULT_RADIUS_KM);
    if !(0.1..=500.0).contains(&radius) {
        errors.add(
            "radiusKm",
            FieldIssue::OutOfRange {
                min: 0.1,
                max: 500.0,
            },
        );
    }
    if filters.radius_km.is_some() && point.is_none() && filters.lat.is_none() {
        errors.add("lat", FieldIssue::Required);
    }
    let sort = match filters
        .sort
        .as_deref()
        .map(|s| s.trim().to_lowercase())
        .as_deref()
    {
        None | Some("") | Some("newest") => SortBy::Newest,
        Some("budget") => SortBy::Budget,
        Some("distance") if point.is_some() => SortBy::Distance,
        Some("distance") => {
            errors.add("sort", FieldIssue::Invalid);
            SortBy::Newest
        }
        Some(_) => {
            errors.add(
                "sort",
                FieldIssue::OneOf(vec!["newest", "budget", "distance"]),
            );
            SortBy::Newest
        }
    };
    errors.into_result()?;

    // Near a point, the search is confined to the grid cells the circle
    // touches; with words, each word group is one range of the term index
    // (term → category → cell).
    let cells = point
        .and_then(|(lat, lng)| search::cells_covering(&search::bounding_box(lat, lng, radius)));
    if let Some(cells) = &cells {
        query = query.filter(jobs::Column::GeoCell.is_in(cells.clone()));
    }
    if let Some(q) = filters.q.as_deref() {
        // Every job of a category carries the category's own names as terms,
        // so a word group naming the chosen category filters nothing.
        let groups: Vec<Vec<String>> = search::query_groups(q)
            .into_iter()
            .filter(|group| !group.iter().any(|term| category_terms.contains(term)))
            .collect();
        if cells.is_some() {
            // Near a point the word groups are resolved first, each as one
            // range of the term index, and intersected here: a handful of ids
            // that the jobs query then fetches by primary key. (Leaving the
            // join to the planner made it walk every job of the category in
            // the area and probe the term index for each.)
            let mut matching: Option<HashSet<Uuid>> = None;
            for group in groups {
                let mut terms = job_terms::Entity::find()
                    .select_only()
                    .column(job_terms::Column::JobId)
                    .filter(job_terms::Column::Term.is_in(group));
                if let Some(category) = category {
                    terms = terms.filter(job_terms::Column::CategoryId.eq(category));
                }
                if let Some(cells) = &cells {
                    terms = terms.filter(job_terms::Column::GeoCell.is_in(cells.clone()));
                }
                let ids: Vec<Uuid> = terms
                    .limit(GEO_CANDIDATE_CAP)
                    .into_tuple()
                    .all(core.db.conn())
                    .await?;
                matching = Some(match matching {
                    None => ids.into_iter().collect(),
                    Some(previous) => ids.into_iter().filter(|id| previous.contains(id)).collect(),
                });
            }
            if let Some(ids) = matching {
                if ids.is_empty() {
                    return Ok(Page::new(Vec::new(), page, 0));
                }
                query = query.filter(jobs::Column::Id.is_in(ids));
            }
        } else {
            for group in groups {
                let mut terms = Query::select();
                terms
                    .column(job_terms::Column::JobId)
                    .from(job_terms::Entity)
                    .and_where(job_terms::Column::Term.is_in(group));
                if let Some(category) = category {
                    terms.and_where(job_terms::Column::CategoryId.eq(category));
                }
                query = query.filter(jobs::Column::Id.in_subquery(terms.to_owned()));
            }
        }
    }

    match point {
        None => {
            let total = query.clone().count(core.db.conn()).await?;
            let items = order(query, sort)
                .offset(page.offset())
                .limit(page.limit)
                .all(core.db.conn())
                .await?;
            Ok(Page::new(
                items
                    .into_iter()
                    .map(|job| FoundJob {
                        job,
                        distance_km: None,
                    })
                    .collect(),
                page,
                total,
            ))
        }
        Some((lat, lng)) => near(core, query, (lat, lng), radius, sort, page).await,
    }
}

fn order(query: Select<jobs::Entity>, sort: SortBy) -> Select<jobs::Entity> {
    let query = match sort {
        SortBy::Budget => {
            query.order_by_with_nulls(jobs::Column::BudgetMax, Order::Desc, NullOrdering::Last)
        }
        SortBy::Newest | SortBy::Distance => query,
    };
    query
        .order_by_desc(jobs::Column::CreatedAt)
        .order_by_desc(jobs::Column::Id)
}

/// id, latitude, longitude, budget max.
type Candidate = (Uuid, Option<f64>, Option<f64>, Option<i64>);

/// Radius search: the database narrows to the bounding box, the true
/// (haversine) distance decides membership and order.
async fn near(
    core: &Core,
    query: Select<jobs::Entity>,
    (lat, lng): (f64, f64),
    radius: f64,
    sort: SortBy,
    page: PageRequest,
) -> Result<Page<FoundJob>> {
    let bbox = search::bounding_box(lat, lng, radius);
    let candidates: Vec<Candidate> = order(
        query
            .filter(jobs::Column::Latitude.between(bbox.min_lat, bbox.max_lat))
            .filter(jobs::Column::Longitude.between(bbox.min_lng, bbox.max_lng)),
        SortBy::Newest,
    )
    .select_only()
    .column(jobs::Column::Id)
    .column(jobs::Column::Latitude)
    .column(jobs::Column::Longitude)
    .column(jobs::Column::BudgetMax)
    .limit(GEO_CANDIDATE_CAP)
    .into_tuple()
    .all(core.db.conn())
    .await?;
    let mut within: Vec<(Uuid, f64, Option<i64>)> = candidates
        .into_iter()
        .filter_map(|(id, job_lat, job_lng, budget)| {
            let distance = search::haversine_km(lat, lng, job_lat?, job_lng?);
            (distance <= radius).then_some((id, distance, budget))
        })
        .collect();
    match sort {
        SortBy::Distance => within.sort_by(|a, b| a.1.total_cmp(&b.1)),
        SortBy::Budget => {
            within.sort_by(|a, b| b.2.unwrap_or(i64::MIN).cmp(&a.2.unwrap_or(i64::MIN)))
        }
        SortBy::Newest => {} // candidates came newest first
    }
    let total = within.len() as u64;
    let slice: Vec<(Uuid, f64, Option<i64>)> = within
        .into_iter()
        .skip(page.offset() as usize)
        .take(page.limit as usize)
        .collect();
    let ids: Vec<Uuid> = slice.iter().map(|(id, _, _)| *id).collect();
    let rows = jobs::Entity::find()
        .filter(jobs::Column::Id.is_in(ids))
        .all(core.db.conn())
        .await?;
    let items = slice
        .into_iter()
        .filter_map(|(id, distance, _)| {
            rows.iter().find(|j| j.id == id).map(|job| FoundJob {
                job: job.clone(),
                distance_km: Some((distance * 100.0).round() / 100.0),
            })
        })
        .collect();
    Ok(Page::new(items, page, total))
}
