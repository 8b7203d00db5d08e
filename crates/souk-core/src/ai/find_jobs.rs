//! Job finding in words (`POST /api/ai/find-jobs`): the prompt is parsed
//! like a concierge message (category, place, keywords), open jobs are
//! read (the category's when one is named, near the place or the given
//! point), and ranked by category, the prompt's words in the job, and
//! distance, each with why it matches.

use std::collections::HashMap;

use chrono::Duration;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use souk_db::{
    entities::jobs,
    enums::{AiEngine, AiFeature},
};
use uuid::Uuid;

use crate::{
    Core, Lang,
    accounts::Authenticated,
    ai::{
        log::{self, Call},
        nlu, prompt, semantic,
    },
    catalog::services,
    error::{FieldErrors, FieldIssue, Result},
    marketplace::JobStatus,
    search::{self, bounding_box, haversine_km, valid_point},
};

/// Jobs read at most.
const CANDIDATES: u64 = 500;
/// How far around the place jobs are looked for, km.
pub const RADIUS_KM: f64 = 50.0;
/// Jobs answered.
pub const LIMIT: usize = 10;

/// What is asked.
#[derive(Debug, Clone, Default)]
pub struct FindJobs {
    pub prompt: Option<String>,
    pub min_budget: Option<i64>,
    pub lat: Option<f64>,
    pub lng: Option<f64>,
}

/// One job found.
#[derive(Debug, Clone)]
pub struct FoundJob {
    pub job: jobs::Model,
    pub score: f64,
    pub distance_km: Option<f64>,
    pub why: String,
}

/// What was found, and how.
#[derive(Debug, Clone)]
pub struct Found {
    pub parsed: nlu::Parsed,
    pub items: Vec<FoundJob>,
    /// `llm` when embeddings ranked beside the words.
    pub engine: AiEngine,
}

/// Cosine similarity from which a job counts as matching without shared words.
const SEMANTIC_MATCH: f64 = 0.35;

/// The jobs that fit the prompt, best first.
pub async fn find(core: &Core, caller: &Authenticated, input: FindJobs) -> Result<Found> {
    let text = prompt::checked("prompt", input.prompt.as_deref())?;
    let mut errors = FieldErrors::new();
    if input.min_budget.is_some_and(|b| b < 0) {
        errors.add("minBudget", FieldIssue::out_of_range(0, i64::MAX));
    }
    let given = match (input.lat, input.lng) {
        (Some(lat), Some(lng)) if valid_point(lat, lng) => Some((lat, lng)),
        (None, None) => None,
        _ => {
            errors.add("lat", FieldIssue::Invalid);
            None
        }
    };
    errors.into_result()?;
    let mut call = Call::start(Some(caller.user.id), AiFeature::FindJobs);
    let now = core.clock.now();
    let parsed = prompt::understand(core, &text);
    let lang = parsed.lang;
    let catalog = services::list(core, false).await?;
    let category = parsed
        .category
        .and_then(|slug| catalog.iter().find(|s| s.slug == slug));
    let point = given
        .or(parsed.place.as_ref().map(|p| (p.lat, p.lng)))
        .or(caller.user.latitude.zip(caller.user.longitude));
    let mut query = jobs::Entity::find()
        .filter(jobs::Column::Status.is_in([JobStatus::Posted, JobStatus::Quoted]))
        .filter(jobs::Column::Listed.eq(true))
        .filter(jobs::Column::CreatedAt.gte(crate::time::earlier(now, Duration::days(90))));
    if let Some(category) = category {
        query = query.filter(jobs::Column::CategoryId.eq(category.id));
    }
    if let Some(min) = input.min_budget {
        query = query.filter(jobs::Column::BudgetMax.gte(min));
    }
    if let Some((lat, lng)) = point {
        let bbox = bounding_box(lat, lng, RADIUS_KM);
        query = query
            .filter(jobs::Column::Latitude.between(bbox.min_lat, bbox.max_lat))
            .filter(jobs::Column::Longitude.between(bbox.min_lng, bbox.max_lng));
    }
    let rows = query
        .order_by_desc(jobs::Column::CreatedAt)
        .limit(CANDIDATES)
        .all(core.db.conn())
        .await?;
    let words = search::terms(&parsed.keywords.join(" "));
    // Embeddings, when configured: each job's similarity to the prompt.
    let mut engine = AiEngine::Builtin;
    let mut similar: HashMap<Uuid, f64> = HashMap::new();
    if let Some(model) = core.ai.llm.clone().filter(|m| m.has_embeddings()) {
        let texts: Vec<(Uuid, String)> = rows
            .iter()
            .map(|j| (j.id, format!("{}\n{}", j.title, j.description)))
            .collect();
        match semantic::similarities(core, model.as_ref(), "job", &texts, &text).await? {
            semantic::Outcome::Scored(scores, usage) => {
                similar = scores;
                engine = AiEngine::Llm;
                call.prompt_tokens = usage.prompt_tokens;
            }
            semantic::Outcome::Failed(err) => {
                engine = AiEngine::Fallback;
                call.error = Some(format!("{}: {err}", err.kind()));
            }
        }
    }
    let mut found: Vec<FoundJob> = rows
        .into_iter()
        .filter_map(|job| {
            let distance_km = match (point, job.latitude.zip(job.longitude)) {
                (Some((a, b)), Some((c, d))) => Some(haversine_km(a, b, c, d)),
                _ => None,
            };
            if distance_km.is_some_and(|d| d > RADIUS_KM) {
                return None;
            }
            let job_terms = search::terms(&format!("{} {}", job.title, job.description));
            let hits: Vec<&String> = words.iter().filter(|w| job_terms.contains(w)).collect();
            let overlap = if words.is_empty() {
                0.0
            } else {
                crate::num::approx_f64(i64::try_from(hits.len()).unwrap_or(0))
                    / crate::num::approx_f64(i64::try_from(words.len()).unwrap_or(1))
            };
            let in_category = category.is_some_and(|c| c.id == job.category_id);
            let cosine = similar.get(&job.id).copied().unwrap_or(0.0).max(0.0);
            if !in_category && hits.is_empty() && cosine < SEMANTIC_MATCH {
                return None;
            }
            let closeness = distance_km.map_or(0.5, |d| 1.0 - d / RADIUS_KM);
            let category_part = 0.5 * f64::from(u8::from(in_category));
            let score = if similar.is_empty() {
                category_part + 0.3 * overlap + 0.2 * closeness
            } else {
                0.8 * category_part + 0.2 * overlap + 0.15 * closeness + 0.25 * cosine
            };
            let mut parts: Vec<String> = Vec::new();
            let name = catalog
                .iter()
                .find(|s| s.id == job.category_id)
                .map(|s| services::localized_name(s, lang).to_owned())
                .unwrap_or_default();
            match lang {
                Lang::En => {
                    if in_category {
                        parts.push(format!("a {name} job"));
                    }
                    if !hits.is_empty() {
                        parts.push(format!(
                            "mentions {}",
                            hits.iter()
                                .map(|h| h.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ));
                    }
                    if let Some(d) = distance_km {
                        parts.push(format!("{d:.1} km away"));
                    }
                }
                Lang::Ar => {
                    if in_category {
                        parts.push(format!("طلب {name}"));
                    }
                    if !hits.is_empty() {
                        parts.push(format!(
                            "يذكر {}",
                            hits.iter()
                                .map(|h| h.as_str())
                                .collect::<Vec<_>>()
                                .join("، ")
                        ));
                    }
                    if let Some(d) = distance_km {
                        parts.push(format!("على بُعد {d:.1} كم"));
                    }
                }
            }
            if cosine >= SEMANTIC_MATCH && hits.is_empty() {
                parts.push(match lang {
                    Lang::En => "close in meaning to your words".to_owned(),
                    Lang::Ar => "قريب في المعنى من طلبك".to_owned(),
                });
            }
            let why = parts.join(if lang == Lang::Ar { "، " } else { ", " });
            Some(FoundJob {
                job,
                score: (score * 10_000.0).round() / 10_000.0,
                distance_km: distance_km.map(|d| (d * 100.0).round() / 100.0),
                why,
            })
        })
        .collect();
    found.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(b.job.created_at.cmp(&a.job.created_at))
    });
    found.truncate(LIMIT);
    call.engine = engine;
    call.intent = Some(parsed.intent.as_str().to_owned());
    call.prompt = Some(text);
    call.matched = found.iter().map(|f| f.job.id).collect();
    log::record(core, call).await;
    Ok(Found {
        parsed,
        items: found,
        engine,
    })
}
