//! Finding jobs: category, words (English and Arabic, normalized and
//! stemmed, matched against each job's indexed terms), status, true distance
//! from a point, budget range; newest, budget or distance order; paginated.

use sea_orm::{
    ColumnTrait, EntityTrait, Order, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Select,
    sea_query::{NullOrdering, Query, SelectStatement},
};
use souk_db::entities::{job_terms, jobs};
use uuid::Uuid;

use super::JobStatus;
pub use crate::store::browse::FoundJob;
use crate::{
    Core,
    accounts::{Authenticated, Role},
    catalog::{self, ServiceRef},
    error::{FieldErrors, FieldIssue, Result},
    pagination::{Page, PageRequest},
    search,
    store::browse::{self as store, Area, SortBy, TermScope, budget_condition},
};

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
            query = query.filter(jobs::Column::Listed.eq(true));
        }
        Role::Admin | Role::Moderator => {}
    }

    let mut category = None;
    let mut category_terms = Vec::new();
    if let Some(key) = filters.category.as_deref().filter(|c| !c.trim().is_empty()) {
        let found = match ServiceRef::parse(key) {
            Some(reference) => catalog::services::find_cached(core, &reference).await?,
            None => None,
        };
        match found {
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
    query = query.filter(budget_condition(
        jobs::Column::BudgetMin,
        jobs::Column::BudgetMax,
        filters.min_budget,
        filters.max_budget,
    ));
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

    // Words become groups of alternative terms (synonyms, both languages).
    // Every job of a category carries the category's own names as terms, so
    // a group naming the chosen category filters nothing.
    let groups: Vec<Vec<String>> = filters
        .q
        .as_deref()
        .map(search::query_groups)
        .unwrap_or_default()
        .into_iter()
        .filter(|group| !group.iter().any(|term| category_terms.contains(term)))
        .collect();

    let Some((lat, lng)) = point else {
        for group in groups {
            query = query.filter(jobs::Column::Id.in_subquery(term_subquery(group, category)));
        }
        let total = query.clone().count(core.db.conn()).await?;
        let items = order(query, sort)
            .offset(page.offset())
            .limit(page.limit)
            .all(core.db.conn())
            .await?;
        let items = items
            .into_iter()
            .map(|job| FoundJob {
                job,
                distance_km: None,
            })
            .collect();
        return Ok(Page::new(items, page, total));
    };

    // Near a point the search is confined to the grid cells the circle
    // touches. With words, the term index answers on its own: each word group
    // is one index range (term → category → cell) that carries the jobs'
    // positions, dates and budgets; only a caller who sees a subset (their
    // own jobs, one status) has the candidates checked against `jobs`.
    let area = Area::around(lat, lng, radius);
    match &area.cells {
        Some(cells) if !groups.is_empty() => {
            let scope = TermScope {
                category,
                cells: cells.clone(),
                listed_only: caller.role == Role::Craftsman && !filters.mine,
                min_budget: filters.min_budget,
                max_budget: filters.max_budget,
            };
            let needs_check =
                matches!(caller.role, Role::Client) || filters.mine || filters.status.is_some();
            let visible = needs_check.then_some(query);
            store::word_matches(&core.db, &groups, &scope, visible, &area, sort, page).await
        }
        _ => {
            // A craftsman's plain browse of one category, newest first.
            let plain_browse = caller.role == Role::Craftsman
                && !filters.mine
                && filters.status.is_none()
                && filters.min_budget.is_none()
                && filters.max_budget.is_none()
                && groups.is_empty()
                && sort == SortBy::Newest
                && area.cells.is_some();
            for group in groups {
                query = query.filter(jobs::Column::Id.in_subquery(term_subquery(group, category)));
            }
            let newest_in = category.filter(|_| plain_browse);
            store::jobs_near(&core.db, query, newest_in, &area, sort, page).await
        }
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

/// The ids of jobs carrying one of the group's terms (in the category).
fn term_subquery(group: Vec<String>, category: Option<Uuid>) -> SelectStatement {
    let mut terms = Query::select();
    terms
        .column(job_terms::Column::JobId)
        .from(job_terms::Entity)
        .and_where(job_terms::Column::Term.is_in(group));
    if let Some(category) = category {
        terms.and_where(job_terms::Column::CategoryId.eq(category));
    }
    terms.to_owned()
}
