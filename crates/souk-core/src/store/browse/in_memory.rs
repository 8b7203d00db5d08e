//! Candidates read from an index and ranked here, in memory, by true
//! (haversine) distance, date or budget: SQLite's way of searching near a
//! point (in-process, no round trips to save), and both engines' way when
//! the candidates must be checked against what the caller may see.

use chrono::{DateTime, Utc};
use sea_orm::{EntityTrait, QueryFilter, QueryOrder, QuerySelect, Select};
use souk_db::{Db, entities::jobs};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

use super::shapes::{
    Area, FoundJob, RankKey, SortBy, TermScope, area_jobs, ranking_order, term_hits,
};
use crate::{
    error::Result,
    num::count_u64,
    pagination::{Page, PageRequest},
};

/// Most candidates a radius search ranks in memory.
const GEO_CANDIDATE_CAP: u64 = 20_000;

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

/// Jobs in the area that carry a term of every group, from the term index
/// alone (one index range per group, intersected here).
pub(super) async fn term_candidates(
    db: &Db,
    groups: &[Vec<String>],
    scope: &TermScope,
    area: &Area,
) -> Result<Vec<Candidate>> {
    let mut found: Option<Vec<Candidate>> = None;
    for group in groups {
        let rows: Vec<CandidateRow> = term_hits(db, group, scope, area)
            .limit(GEO_CANDIDATE_CAP)
            .into_tuple()
            .all(db.conn())
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
    db: &Db,
    query: Select<jobs::Entity>,
    area: &Area,
) -> Result<Vec<Candidate>> {
    let rows: Vec<CandidateRow> = area_jobs(db, query, area)
        .order_by_desc(jobs::Column::CreatedAt)
        .order_by_desc(jobs::Column::Id)
        .limit(GEO_CANDIDATE_CAP)
        .into_tuple()
        .all(db.conn())
        .await?;
    Ok(rows.into_iter().map(Candidate::from).collect())
}

/// Keeps the candidates truly (haversine) within the circle, orders them,
/// and loads the requested page.
pub(super) async fn rank(
    db: &Db,
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
    let total = count_u64(within.len());
    // An offset or limit past usize::MAX (none on 64-bit) means "all of them".
    let slice: Vec<(Uuid, f64)> = within
        .into_iter()
        .skip(usize::try_from(page.offset()).unwrap_or(usize::MAX))
        .take(usize::try_from(page.limit).unwrap_or(usize::MAX))
        .map(|(c, distance)| (c.id, distance))
        .collect();
    load_page(db, slice, page, total).await
}

/// Loads the jobs of a ranked page (id, distance), keeping its order.
async fn load_page(
    db: &Db,
    slice: Vec<(Uuid, f64)>,
    page: PageRequest,
    total: u64,
) -> Result<Page<FoundJob>> {
    let ids: Vec<Uuid> = slice.iter().map(|(id, _)| *id).collect();
    let mut rows: HashMap<Uuid, jobs::Model> = if ids.is_empty() {
        HashMap::new()
    } else {
        jobs::Entity::find()
            .filter(db.one_of(jobs::Column::Id, ids))
            .all(db.conn())
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

/// The candidates the (already filtered) jobs query selects: for a caller
/// who sees only some jobs (their own, one status).
pub(super) async fn visible(
    db: &Db,
    query: Select<jobs::Entity>,
    found: Vec<Candidate>,
) -> Result<Vec<Candidate>> {
    if found.is_empty() {
        return Ok(found);
    }
    let ids: Vec<Uuid> = found.iter().map(|c| c.id).collect();
    let allowed: HashSet<Uuid> = query
        .select_only()
        .column(jobs::Column::Id)
        .filter(db.one_of(jobs::Column::Id, ids))
        .into_tuple()
        .all(db.conn())
        .await?
        .into_iter()
        .collect();
    Ok(found
        .into_iter()
        .filter(|c| allowed.contains(&c.id))
        .collect())
}
