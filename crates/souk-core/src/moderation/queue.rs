//! `GET /api/admin/reports`: reports grouped by what they are about,
//! oldest first, with a preview and the author of what was reported.
//! At most [`SCAN`] report rows per kind are read per request: a queue
//! deeper than that is worked from its oldest end anyway.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use souk_db::entities::{job_reports, jobs, message_reports, messages, review_reports, reviews};
use uuid::Uuid;

use super::ReportKind;
use crate::{
    Core,
    accounts::Authenticated,
    error::Result,
    pagination::{Page, PageRequest},
};

/// Report rows read per kind at most.
pub const SCAN: u64 = 1_000;

/// Everything reported about one thing.
#[derive(Debug, Clone)]
pub struct ReportItem {
    pub kind: ReportKind,
    /// The review, message or job.
    pub target: Uuid,
    /// A message's conversation.
    pub conversation: Option<Uuid>,
    /// Who wrote what was reported (none once it is gone).
    pub author: Option<Uuid>,
    /// The start of the text (a review's comment, a message, a job's title).
    pub preview: String,
    pub reports: u64,
    /// The reasons given, oldest first (at most 5).
    pub reasons: Vec<String>,
    pub first_reported_at: DateTime<Utc>,
    pub last_reported_at: DateTime<Utc>,
    pub resolved: bool,
}

/// What the queue shows.
#[derive(Debug, Clone, Copy, Default)]
pub struct QueueFilter {
    pub kind: Option<ReportKind>,
    /// Resolved ones instead of open ones.
    pub resolved: bool,
}

struct Row {
    kind: ReportKind,
    target: Uuid,
    conversation: Option<Uuid>,
    reason: String,
    at: DateTime<Utc>,
}

fn preview(text: &str) -> String {
    text.chars().take(140).collect()
}

/// The grouped queue, oldest first.
pub async fn queue(
    core: &Core,
    caller: &Authenticated,
    filter: QueueFilter,
    page: PageRequest,
) -> Result<Page<ReportItem>> {
    caller.require_staff()?;
    let conn = core.db.conn();
    let wants = |kind| filter.kind.is_none_or(|k| k == kind);
    let mut rows: Vec<Row> = Vec::new();
    if wants(ReportKind::Review) {
        let found = review_reports::Entity::find()
            .filter(if filter.resolved {
                review_reports::Column::ResolvedAt.is_not_null()
            } else {
                review_reports::Column::ResolvedAt.is_null()
            })
            .order_by_asc(review_reports::Column::CreatedAt)
            .limit(SCAN)
            .all(conn)
            .await?;
        rows.extend(found.into_iter().map(|r| Row {
            kind: ReportKind::Review,
            target: r.review_id,
            conversation: None,
            reason: r.reason,
            at: r.created_at,
        }));
    }
    if wants(ReportKind::Message) {
        let found = message_reports::Entity::find()
            .filter(if filter.resolved {
                message_reports::Column::ResolvedAt.is_not_null()
            } else {
                message_reports::Column::ResolvedAt.is_null()
            })
            .order_by_asc(message_reports::Column::CreatedAt)
            .limit(SCAN)
            .all(conn)
            .await?;
        rows.extend(found.into_iter().map(|r| Row {
            kind: ReportKind::Message,
            target: r.message_id,
            conversation: Some(r.conversation_id),
            reason: r.reason,
            at: r.created_at,
        }));
    }
    if wants(ReportKind::Job) {
        let found = job_reports::Entity::find()
            .filter(if filter.resolved {
                job_reports::Column::ResolvedAt.is_not_null()
            } else {
                job_reports::Column::ResolvedAt.is_null()
            })
            .order_by_asc(job_reports::Column::CreatedAt)
            .limit(SCAN)
            .all(conn)
            .await?;
        rows.extend(found.into_iter().map(|r| Row {
            kind: ReportKind::Job,
            target: r.job_id,
            conversation: None,
            reason: r.reason,
            at: r.created_at,
        }));
    }
    let mut items: Vec<ReportItem> = Vec::new();
    let mut index: HashMap<(ReportKind, Uuid), usize> = HashMap::new();
    rows.sort_by_key(|r| r.at);
    for row in rows {
        match index
            .get(&(row.kind, row.target))
            .and_then(|&i| items.get_mut(i))
        {
            Some(item) => {
                item.reports += 1;
                item.last_reported_at = row.at;
                if item.reasons.len() < 5 {
                    item.reasons.push(row.reason);
                }
            }
            None => {
                index.insert((row.kind, row.target), items.len());
                items.push(ReportItem {
                    kind: row.kind,
                    target: row.target,
                    conversation: row.conversation,
                    author: None,
                    preview: String::new(),
                    reports: 1,
                    reasons: vec![row.reason],
                    first_reported_at: row.at,
                    last_reported_at: row.at,
                    resolved: filter.resolved,
                });
            }
        }
    }
    let total = u64::try_from(items.len()).unwrap_or(u64::MAX);
    let start = usize::try_from(page.offset()).unwrap_or(usize::MAX);
    let take = usize::try_from(page.limit).unwrap_or(usize::MAX);
    let mut shown: Vec<ReportItem> = items.into_iter().skip(start).take(take).collect();
    describe(core, &mut shown).await?;
    Ok(Page::new(shown, page, total))
}

/// Fills in each item's author and preview.
async fn describe(core: &Core, items: &mut [ReportItem]) -> Result<()> {
    let conn = core.db.conn();
    let ids = |kind| -> Vec<Uuid> {
        items
            .iter()
            .filter(|i| i.kind == kind)
            .map(|i| i.target)
            .collect()
    };
    let (review_ids, message_ids, job_ids) = (
        ids(ReportKind::Review),
        ids(ReportKind::Message),
        ids(ReportKind::Job),
    );
    let mut found: HashMap<Uuid, (Option<Uuid>, String)> = HashMap::new();
    if !review_ids.is_empty() {
        for r in reviews::Entity::find()
            .filter(reviews::Column::Id.is_in(review_ids))
            .all(conn)
            .await?
        {
            let text = r.comment.as_deref().unwrap_or_default();
            found.insert(r.id, (Some(r.reviewer_id), preview(text)));
        }
    }
    if !message_ids.is_empty() {
        for m in messages::Entity::find()
            .filter(messages::Column::Id.is_in(message_ids))
            .all(conn)
            .await?
        {
            found.insert(m.id, (Some(m.sender_id), preview(&m.text)));
        }
    }
    if !job_ids.is_empty() {
        for j in jobs::Entity::find()
            .filter(jobs::Column::Id.is_in(job_ids))
            .all(conn)
            .await?
        {
            found.insert(j.id, (Some(j.client_id), preview(&j.title)));
        }
    }
    for item in items {
        if let Some((author, text)) = found.get(&item.target) {
            item.author = *author;
            item.preview = text.clone();
        }
    }
    Ok(())
}
