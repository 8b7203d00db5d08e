//! Ranked, explained craftsman recommendations for a need (a job, or a
//! request in words): every active, available craftsman who lists or
//! offers the category near the place is scored on eight factors
//! ([`factors`]) with the admin's weights; the best [`RERANK`] get their
//! real free time (the availability factor is neutral until then) and the
//! final order. Never banned, deactivated, deleted or unavailable
//! craftsmen, nor anyone already invited to the job (whatever they
//! answered). Statements: candidates, records, schedules, held time, and
//! for a job its row, the settings and its invitations.

pub mod candidates;
#[cfg(test)]
mod eval;
pub mod factors;
pub mod request;

use std::collections::HashSet;

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use souk_db::entities::{invitations, jobs};
use uuid::Uuid;

use self::{
    candidates::{Candidate, Scope},
    factors::{DEFAULT_REACH_KM, Facts, Scored},
};
use crate::{
    Core,
    accounts::Authenticated,
    ai::weights::AiWeights,
    error::Result,
    marketplace::{access::ensure_owner, job_rows},
    search::{self, haversine_km},
};

/// How many of the best preliminary candidates get their free time read.
pub const RERANK: usize = 50;
/// Most recommendations answered.
pub const MAX_LIMIT: usize = 50;

/// What is being looked for.
#[derive(Debug, Clone, Default)]
pub struct Need {
    pub category: Option<Uuid>,
    pub point: Option<(f64, f64)>,
    /// When the work is wanted (the next week when unknown).
    pub window: Option<(DateTime<Utc>, DateTime<Utc>)>,
    /// Search terms of the need's words.
    pub terms: Vec<String>,
    /// Craftsmen never to recommend.
    pub exclude: HashSet<Uuid>,
}

/// One recommended craftsman.
#[derive(Debug, Clone)]
pub struct Recommended {
    pub candidate: Candidate,
    pub distance_km: Option<f64>,
    pub scored: Scored,
}

/// The facts of one candidate for `need` (availability unknown yet).
fn facts_of(candidate: &Candidate, need: &Need, now: DateTime<Utc>) -> Facts {
    let reach = candidate
        .service_radius_km
        .filter(|r| r.is_finite() && *r > 0.0)
        .unwrap_or(DEFAULT_REACH_KM);
    let distance_km = match (need.point, candidate.latitude.zip(candidate.longitude)) {
        (Some((lat, lng)), Some((clat, clng))) => Some(haversine_km(lat, lng, clat, clng)),
        _ => None,
    };
    let term_overlap = if need.terms.is_empty() {
        0.0
    } else {
        let bio = search::normalize(candidate.bio.as_deref().unwrap_or_default());
        let found = need
            .terms
            .iter()
            .filter(|t| bio.contains(t.as_str()))
            .count();
        crate::num::approx_f64(i64::try_from(found).unwrap_or(0))
            / crate::num::approx_f64(i64::try_from(need.terms.len()).unwrap_or(1))
    };
    let idle = (now - candidate.updated_at).num_seconds().max(0);
    Facts {
        has_skill: candidate.has_skill != 0,
        offers_category: candidate.offers != 0,
        term_overlap,
        category_known: need.category.is_some(),
        distance_km,
        reach_km: reach,
        rating_sum: candidate.rating_sum,
        rating_count: candidate.rating_count,
        completed: i64::from(candidate.completed_jobs),
        cancelled: 0,
        response_minutes: candidate.response_time_minutes,
        free_minutes: None,
        idle_days: Some(crate::num::approx_f64(idle) / 86_400.0),
        verified: candidate.verified(),
    }
}

/// The best `limit` craftsmen for `need`, best first.
pub async fn rank(
    core: &Core,
    need: &Need,
    weights: &AiWeights,
    limit: usize,
) -> Result<Vec<Recommended>> {
    let conn = core.db.conn();
    let now = core.clock.now();
    let found = candidates::read(
        conn,
        Scope {
            category: need.category,
            point: need.point,
        },
    )
    .await?;
    let mut scored: Vec<(Candidate, Facts)> = found
        .into_iter()
        .filter(|c| !need.exclude.contains(&c.id))
        .map(|c| {
            let facts = facts_of(&c, need, now);
            (c, facts)
        })
        .filter(|(_, f)| f.in_reach())
        .collect();
    let ids: Vec<Uuid> = scored.iter().map(|(c, _)| c.id).collect();
    let records = candidates::records(conn, &ids).await?;
    for (candidate, facts) in &mut scored {
        if let Some(record) = records.get(&candidate.id) {
            facts.completed = record.completed;
            facts.cancelled = record.cancelled;
            if let Some(last) = record.last_at.filter(|l| *l > candidate.updated_at) {
                let idle = (now - last).num_seconds().max(0);
                facts.idle_days = Some(crate::num::approx_f64(idle) / 86_400.0);
            }
        }
    }
    let by_score = |a: &(Candidate, Facts, Scored), b: &(Candidate, Facts, Scored)| {
        b.2.score
            .total_cmp(&a.2.score)
            .then(
                a.1.distance_km
                    .unwrap_or(f64::MAX)
                    .total_cmp(&b.1.distance_km.unwrap_or(f64::MAX)),
            )
            .then(a.0.id.cmp(&b.0.id))
    };
    let mut ranked: Vec<(Candidate, Facts, Scored)> = scored
        .into_iter()
        .map(|(c, f)| {
            let s = f.score(weights);
            (c, f, s)
        })
        .collect();
    ranked.sort_by(by_score);
    ranked.truncate(RERANK.max(limit));
    let window = need
        .window
        .unwrap_or((now, crate::time::later(now, Duration::days(7))));
    let top: Vec<Uuid> = ranked.iter().map(|(c, _, _)| c.id).collect();
    let free = candidates::free_minutes(conn, &top, window).await?;
    for (candidate, facts, score) in &mut ranked {
        facts.free_minutes = free.get(&candidate.id).copied();
        *score = facts.score(weights);
    }
    ranked.sort_by(by_score);
    ranked.truncate(limit);
    Ok(ranked
        .into_iter()
        .map(|(candidate, facts, scored)| Recommended {
            candidate,
            distance_km: facts.distance_km.map(|d| (d * 100.0).round() / 100.0),
            scored,
        })
        .collect())
}

/// The need a job describes: its category, place, desired day and words;
/// everyone already invited to it is excluded.
pub async fn need_of_job(core: &Core, job: &jobs::Model) -> Result<Need> {
    let invited: Vec<Uuid> = invitations::Entity::find()
        .select_only()
        .column(invitations::Column::CraftsmanId)
        .filter(invitations::Column::JobId.eq(job.id))
        .into_tuple()
        .all(core.db.conn())
        .await?;
    let window = job.desired_date.map(|d| {
        (
            crate::time::earlier(d, Duration::hours(12)),
            crate::time::later(d, Duration::hours(12)),
        )
    });
    let mut exclude: HashSet<Uuid> = invited.into_iter().collect();
    exclude.insert(job.client_id);
    Ok(Need {
        category: Some(job.category_id),
        point: job.latitude.zip(job.longitude),
        window,
        terms: search::terms(&format!("{} {}", job.title, job.description)),
        exclude,
    })
}

/// Recommendations for the caller's job (its client only).
pub async fn for_job(
    core: &Core,
    caller: &Authenticated,
    job_id: Uuid,
    weights: &AiWeights,
    limit: usize,
) -> Result<(jobs::Model, Vec<Recommended>)> {
    let job = job_rows::load(core.db.conn(), job_id).await?;
    ensure_owner(&job, caller, false)?;
    let need = need_of_job(core, &job).await?;
    let found = rank(core, &need, weights, limit.clamp(1, MAX_LIMIT)).await?;
    Ok((job, found))
}
