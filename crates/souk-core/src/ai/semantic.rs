//! Semantic retrieval when `LLM_EMBEDDINGS_MODEL` is set: texts (jobs,
//! offerings) are embedded through the same endpoint's `/embeddings` once
//! per text version and stored in `ai_embeddings` (keyed by resource, with
//! the model and the text's hash, so an edit or a model change re-embeds);
//! the query is embedded per request, and each item gets its cosine
//! similarity to it, ranked beside the lexical score.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set, sea_query::OnConflict};
use souk_db::entities::ai_embeddings;
use souk_integrations::llm::{ChatModel, LlmError, Usage};
use uuid::Uuid;

use crate::{Core, accounts::tokens::sha256_hex, error::Result};

/// Texts embedded per request to the model.
const BATCH: usize = 64;
/// Longest text embedded, in characters.
const MAX_TEXT: usize = 4_000;

/// Cosine similarity of two vectors (0 when either is empty or zero).
pub fn cosine(a: &[f32], b: &[f32]) -> f64 {
    let (mut dot, mut na, mut nb) = (0.0_f64, 0.0_f64, 0.0_f64);
    for (x, y) in a.iter().zip(b) {
        let (x, y) = (f64::from(*x), f64::from(*y));
        dot += x * y;
        na += x * x;
        nb += y * y;
    }
    if na <= 0.0 || nb <= 0.0 {
        0.0
    } else {
        dot / (na.sqrt() * nb.sqrt())
    }
}

/// What a similarity pass cost, or why it failed.
pub enum Outcome {
    Scored(HashMap<Uuid, f64>, Usage),
    Failed(LlmError),
}

fn add(total: &mut Usage, more: &Usage) {
    total.prompt_tokens = total.prompt_tokens.saturating_add(more.prompt_tokens);
    total.completion_tokens = total
        .completion_tokens
        .saturating_add(more.completion_tokens);
}

/// The similarity of each of `items` (id, text) of kind `kind` to `query`.
pub async fn similarities(
    core: &Core,
    model: &dyn ChatModel,
    kind: &str,
    items: &[(Uuid, String)],
    query: &str,
) -> Result<Outcome> {
    let mut usage = Usage::default();
    let query_vector = match model.embed(&[query.to_owned()]).await {
        Ok(e) => {
            add(&mut usage, &e.usage);
            e.vectors.into_iter().next().unwrap_or_default()
        }
        Err(err) => return Ok(Outcome::Failed(err)),
    };
    let name = model.model().to_owned();
    let ids: Vec<Uuid> = items.iter().map(|(id, _)| *id).collect();
    let stored: HashMap<Uuid, ai_embeddings::Model> = if ids.is_empty() {
        HashMap::new()
    } else {
        ai_embeddings::Entity::find()
            .filter(ai_embeddings::Column::ResourceType.eq(kind))
            .filter(ai_embeddings::Column::ResourceId.is_in(ids))
            .all(core.db.conn())
            .await?
            .into_iter()
            .map(|row| (row.resource_id, row))
            .collect()
    };
    let mut vectors: HashMap<Uuid, Vec<f32>> = HashMap::new();
    let mut missing: Vec<(Uuid, String, String)> = Vec::new();
    for (id, text) in items {
        let text: String = text.chars().take(MAX_TEXT).collect();
        let hash = sha256_hex(&text);
        match stored.get(id) {
            Some(row) if row.text_hash == hash && row.model == name => {
                let vector: Vec<f32> = serde_json::from_str(&row.vector).unwrap_or_default();
                // Another embeddings model behind the same chat model: re-embed.
                if vector.len() == query_vector.len() {
                    vectors.insert(*id, vector);
                } else {
                    missing.push((*id, text, hash));
                }
            }
            _ => missing.push((*id, text, hash)),
        }
    }
    for chunk in missing.chunks(BATCH) {
        let texts: Vec<String> = chunk.iter().map(|(_, t, _)| t.clone()).collect();
        let embedded = match model.embed(&texts).await {
            Ok(e) => e,
            Err(err) => return Ok(Outcome::Failed(err)),
        };
        add(&mut usage, &embedded.usage);
        let now = core.clock.now();
        let rows: Vec<ai_embeddings::ActiveModel> = chunk
            .iter()
            .zip(embedded.vectors)
            .map(|((id, _, hash), vector)| {
                let json = serde_json::to_string(&vector).unwrap_or_else(|_| "[]".to_owned());
                vectors.insert(*id, vector);
                ai_embeddings::ActiveModel {
                    resource_type: Set(kind.to_owned()),
                    resource_id: Set(*id),
                    model: Set(name.clone()),
                    text_hash: Set(hash.clone()),
                    vector: Set(json),
                    updated_at: Set(now),
                }
            })
            .collect();
        if !rows.is_empty() {
            ai_embeddings::Entity::insert_many(rows)
                .on_conflict(
                    OnConflict::columns([
                        ai_embeddings::Column::ResourceType,
                        ai_embeddings::Column::ResourceId,
                    ])
                    .update_columns([
                        ai_embeddings::Column::Model,
                        ai_embeddings::Column::TextHash,
                        ai_embeddings::Column::Vector,
                        ai_embeddings::Column::UpdatedAt,
                    ])
                    .to_owned(),
                )
                .exec_without_returning(core.db.conn())
                .await?;
        }
    }
    let scored = vectors
        .iter()
        .map(|(id, v)| (*id, cosine(&query_vector, v)))
        .collect();
    Ok(Outcome::Scored(scored, usage))
}
