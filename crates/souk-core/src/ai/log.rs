//! The AI log: one row per AI call (`ai_logs`), read by admins with
//! `GET /api/admin/ai-logs`; prompts are blanked once older than the
//! `aiPromptRetentionDays` setting, and expired conversations and
//! proposals deleted, by [`sweep`].

use std::time::Instant;

use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use souk_db::{
    entities::ai_logs,
    enums::{AiEngine, AiFeature},
    sql_text::statement,
};
use uuid::Uuid;

use crate::{
    Core,
    accounts::Authenticated,
    error::Result,
    money::settings,
    pagination::{Page, PageRequest},
    time,
};

/// Longest prompt kept in the log, in characters.
const MAX_LOGGED_PROMPT: usize = 2_000;
/// How often the retention sweep runs, in seconds.
const SWEEP_EVERY_SECS: i64 = 3_600;

/// One AI call, as logged.
#[derive(Debug, Clone)]
pub struct Call {
    pub user: Option<Uuid>,
    pub feature: AiFeature,
    pub engine: AiEngine,
    pub intent: Option<String>,
    pub prompt: Option<String>,
    pub matched: Vec<Uuid>,
    pub started: Instant,
    pub prompt_tokens: u32,
    pub completion_tokens: u32,
    /// Why the LLM was not used for this answer, when it failed.
    pub error: Option<String>,
}

impl Call {
    /// A call of `feature` by `user` starting now, on the built-in engine.
    pub fn start(user: Option<Uuid>, feature: AiFeature) -> Self {
        Self {
            user,
            feature,
            engine: AiEngine::Builtin,
            intent: None,
            prompt: None,
            matched: Vec::new(),
            started: Instant::now(),
            prompt_tokens: 0,
            completion_tokens: 0,
            error: None,
        }
    }
}

/// Writes `call` to the log (one statement). A failure is logged, never
/// the caller's problem: the answer has been computed already.
pub async fn record(core: &Core, call: Call) {
    let latency = i64::try_from(call.started.elapsed().as_millis()).unwrap_or(i64::MAX);
    let matched = serde_json::to_string(&call.matched).unwrap_or_else(|_| "[]".to_owned());
    let row = ai_logs::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(call.user),
        feature: Set(call.feature),
        engine: Set(call.engine),
        intent: Set(call.intent),
        prompt: Set(call
            .prompt
            .map(|p| p.chars().take(MAX_LOGGED_PROMPT).collect())),
        matched: Set(matched),
        latency_ms: Set(latency),
        prompt_tokens: Set(i32::try_from(call.prompt_tokens).unwrap_or(i32::MAX)),
        completion_tokens: Set(i32::try_from(call.completion_tokens).unwrap_or(i32::MAX)),
        error: Set(call.error),
        created_at: Set(core.clock.now()),
    };
    if let Err(err) = ai_logs::Entity::insert(row)
        .exec_without_returning(core.db.conn())
        .await
    {
        tracing::warn!(error = %err, "AI log write failed");
    }
}

/// Filters of the AI log.
#[derive(Debug, Clone, Default)]
pub struct LogQuery {
    pub user: Option<Uuid>,
    pub feature: Option<AiFeature>,
    pub engine: Option<AiEngine>,
    pub from: Option<chrono::DateTime<chrono::Utc>>,
    pub to: Option<chrono::DateTime<chrono::Utc>>,
}

/// One page of the log, newest first (admin).
pub async fn list(
    core: &Core,
    caller: &Authenticated,
    query: &LogQuery,
    page: PageRequest,
) -> Result<Page<ai_logs::Model>> {
    caller.require_admin()?;
    let mut select = ai_logs::Entity::find();
    if let Some(user) = query.user {
        select = select.filter(ai_logs::Column::UserId.eq(user));
    }
    if let Some(feature) = query.feature {
        select = select.filter(ai_logs::Column::Feature.eq(feature));
    }
    if let Some(engine) = query.engine {
        select = select.filter(ai_logs::Column::Engine.eq(engine));
    }
    if let Some(from) = query.from {
        select = select.filter(ai_logs::Column::CreatedAt.gte(from));
    }
    if let Some(to) = query.to {
        select = select.filter(ai_logs::Column::CreatedAt.lt(to));
    }
    let conn = core.db.conn();
    let total = select.clone().count(conn).await?;
    let items = select
        .order_by_desc(ai_logs::Column::CreatedAt)
        .order_by_desc(ai_logs::Column::Id)
        .offset(page.offset())
        .limit(page.limit)
        .all(conn)
        .await?;
    Ok(Page::new(items, page, total))
}

/// Blanks prompts older than the retention window and deletes expired
/// conversations and proposals, at most once an hour per node.
pub async fn sweep(core: &Core) -> Result<()> {
    let now = core.clock.now();
    if !core.ai.claim_sweep(now.timestamp(), SWEEP_EVERY_SECS) {
        return Ok(());
    }
    let conn = core.db.conn();
    let days = settings::load(conn, &core.settings)
        .await?
        .ai_prompt_retention_days;
    let horizon = time::earlier(now, chrono::Duration::days(days));
    for (sql, at) in [
        (
            "UPDATE ai_logs SET prompt = NULL WHERE prompt IS NOT NULL AND created_at < $1",
            horizon,
        ),
        ("DELETE FROM ai_conversations WHERE expires_at < $1", now),
        ("DELETE FROM ai_proposals WHERE expires_at < $1", now),
    ] {
        conn.execute_raw(statement(conn, sql, [at.into()])).await?;
    }
    Ok(())
}
