//! `ai_logs`: one row per AI call — who, which feature, which engine, what
//! it matched, how long and how many tokens; the prompt is blanked after
//! the retention window.

use sea_orm::entity::prelude::*;

use crate::enums::{AiEngine, AiFeature};

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "ai_logs")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub user_id: Option<Uuid>,
    pub feature: AiFeature,
    pub engine: AiEngine,
    pub intent: Option<String>,
    /// The user's text; `None` once older than the retention window.
    pub prompt: Option<String>,
    /// JSON array of the ids the call answered with.
    pub matched: String,
    pub latency_ms: i64,
    pub prompt_tokens: i32,
    pub completion_tokens: i32,
    /// Why the LLM path fell back, when it did.
    pub error: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
