//! The recommendation requests: for a job (its client) or for a need in
//! words (`offeringQuery`, parsed by the language engine into category,
//! place and time); logged.

use std::collections::HashSet;

use souk_db::{
    entities::{jobs, services as service_rows},
    enums::AiFeature,
};
use uuid::Uuid;

use super::{MAX_LIMIT, Need, Recommended, for_job, rank};
use crate::{
    Core, Lang,
    accounts::Authenticated,
    ai::{
        log::{self, Call},
        prompt,
        weights::AiWeights,
    },
    catalog::services,
    error::{Error, FieldErrors, FieldIssue, Result},
    money::settings,
    search,
};

/// A recommendation request: exactly one of `job` and `offering_query`.
#[derive(Debug, Clone, Default)]
pub struct RecommendInput {
    pub job: Option<Uuid>,
    pub offering_query: Option<String>,
    pub limit: Option<usize>,
}

/// What was recommended, and for what.
#[derive(Debug, Clone)]
pub struct Recommendations {
    pub job: Option<jobs::Model>,
    pub category: Option<service_rows::Model>,
    pub point: Option<(f64, f64)>,
    pub items: Vec<Recommended>,
    pub weights: AiWeights,
    /// The language the query was written in (the caller's otherwise).
    pub lang: Option<Lang>,
}

/// Answers `input` for the caller.
pub async fn recommend(
    core: &Core,
    caller: &Authenticated,
    input: RecommendInput,
) -> Result<Recommendations> {
    let limit = input.limit.unwrap_or(10);
    if !(1..=MAX_LIMIT).contains(&limit) {
        return Err(Error::Validation(FieldErrors::single(
            "limit",
            FieldIssue::out_of_range(1, 50),
        )));
    }
    let mut call = Call::start(Some(caller.user.id), AiFeature::Recommend);
    let weights = settings::load(core.db.conn(), &core.settings)
        .await?
        .ai_weights;
    let found = match (input.job, input.offering_query.as_deref()) {
        (Some(job), None) => {
            let (job, items) = for_job(core, caller, job, &weights, limit).await?;
            let category = services::list(core, true)
                .await?
                .into_iter()
                .find(|s| s.id == job.category_id);
            call.prompt = Some(format!("job {}", job.id));
            Recommendations {
                point: job.latitude.zip(job.longitude),
                job: Some(job),
                category,
                items,
                weights,
                lang: None,
            }
        }
        (None, Some(raw)) => {
            let text = prompt::checked("offeringQuery", Some(raw))?;
            let parsed = prompt::understand(core, &text);
            let category = match parsed.category {
                Some(slug) => services::active_by_slug(core, slug).await?,
                None => None,
            };
            let point = parsed
                .place
                .as_ref()
                .map(|p| (p.lat, p.lng))
                .or(caller.user.latitude.zip(caller.user.longitude));
            let mut exclude = HashSet::new();
            exclude.insert(caller.user.id);
            let need = Need {
                category: category.as_ref().map(|c| c.id),
                point,
                window: parsed.window.as_ref().map(|w| (w.from, w.to)),
                terms: search::terms(&parsed.keywords.join(" ")),
                exclude,
            };
            let items = if need.category.is_none() && need.terms.is_empty() {
                Vec::new()
            } else {
                rank(core, &need, &weights, limit).await?
            };
            call.intent = Some(parsed.intent.as_str().to_owned());
            call.prompt = Some(text);
            Recommendations {
                job: None,
                category,
                point,
                items,
                weights,
                lang: Some(parsed.lang),
            }
        }
        (Some(_), Some(_)) => {
            return Err(Error::Validation(FieldErrors::single(
                "offeringQuery",
                FieldIssue::NotAllowed,
            )));
        }
        (None, None) => {
            return Err(Error::Validation(FieldErrors::single(
                "jobId",
                FieldIssue::Required,
            )));
        }
    };
    call.matched = found.items.iter().map(|r| r.candidate.id).collect();
    log::record(core, call).await;
    Ok(found)
}
