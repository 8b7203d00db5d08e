//! Searching jobs near a point, the engine's way. PostgreSQL ranks in one
//! statement and sends back only the page (`postgres`); SQLite reads the
//! candidates from an index and ranks them in memory (`in_memory`), which
//! is also what both engines do when the candidates must be checked against
//! what the caller may see. Which jobs a caller may browse and how a
//! request is read are `marketplace::browse`'s.

mod in_memory;
mod postgres;
mod shapes;

use sea_orm::Select;
use souk_db::{Db, DbBackendKind, entities::jobs};
use uuid::Uuid;

pub use self::shapes::{Area, FoundJob, SortBy, TermScope, budget_condition};
use crate::{
    error::Result,
    pagination::{Page, PageRequest},
};

/// Jobs in the area carrying a term of every word group, from the term
/// index (one index range per group), ranked and paged. `visible` is the
/// jobs query of a caller who sees only some jobs (their own, one status):
/// the candidates are then checked against it, on both engines.
pub async fn word_matches(
    db: &Db,
    groups: &[Vec<String>],
    scope: &TermScope,
    visible: Option<Select<jobs::Entity>>,
    area: &Area,
    sort: SortBy,
    page: PageRequest,
) -> Result<Page<FoundJob>> {
    let found = match (visible, db.kind()) {
        (None, DbBackendKind::Postgres) => {
            return postgres::ranked_word_matches(db, groups, scope, area, sort, page).await;
        }
        (None, DbBackendKind::Sqlite) => {
            in_memory::term_candidates(db, groups, scope, area).await?
        }
        (Some(query), _) => {
            let found = in_memory::term_candidates(db, groups, scope, area).await?;
            in_memory::visible(db, query, found).await?
        }
    };
    in_memory::rank(db, found, area, sort, page).await
}

/// The jobs an (already filtered) jobs query selects within the circle,
/// ranked and paged. `newest_in` names the category when the request is a
/// craftsman's plain browse of it, newest first (no words, no other
/// filter): PostgreSQL then takes a shallow page from the category's newest
/// open jobs.
pub async fn jobs_near(
    db: &Db,
    query: Select<jobs::Entity>,
    newest_in: Option<Uuid>,
    area: &Area,
    sort: SortBy,
    page: PageRequest,
) -> Result<Page<FoundJob>> {
    match db.kind() {
        DbBackendKind::Postgres => {
            let shallow = page.offset().saturating_add(page.limit) <= postgres::RECENT_MAX_DEPTH;
            match newest_in.filter(|_| shallow) {
                Some(category) => {
                    postgres::recent_in_category(db, query, category, area, page).await
                }
                None => postgres::ranked_jobs(db, query, area, sort, page).await,
            }
        }
        DbBackendKind::Sqlite => {
            let found = in_memory::job_candidates(db, query, area).await?;
            in_memory::rank(db, found, area, sort, page).await
        }
    }
}
