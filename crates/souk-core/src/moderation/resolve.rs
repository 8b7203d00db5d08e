//! `POST /api/admin/reports/:id/resolve {action, note}` (the id of what was
//! reported; review, message and job ids never collide): staff
//! answer everything open about one thing: `hide` it, `dismiss` the
//! reports, or `ban_user` (the author is banned, their sessions end, and
//! the thing is hidden). The reports are then resolved by the caller.

use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, sea_query::Expr};
use serde_json::json;
use souk_db::{
    entities::{job_reports, jobs, message_reports, messages, review_reports, reviews},
    enums::ReviewStatus,
};
use uuid::Uuid;

use super::ReportKind;
use crate::{
    Core,
    accounts::Authenticated,
    admin::{activity, users},
    chat::changes,
    error::{ErrorCode, FieldErrors, FieldIssue, Result},
    marketplace::jobs as job_cases,
    reviews::moderation::{self, StaffAction},
};

/// What staff do about a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Hide,
    Dismiss,
    BanUser,
}

impl Action {
    /// The word as an action.
    pub fn parse(word: &str) -> Option<Self> {
        match word {
            "hide" => Some(Action::Hide),
            "dismiss" => Some(Action::Dismiss),
            "ban_user" => Some(Action::BanUser),
            _ => None,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Action::Hide => "hide",
            Action::Dismiss => "dismiss",
            Action::BanUser => "ban_user",
        }
    }
}

/// How many open reports there are about a thing.
async fn open_reports(core: &Core, kind: ReportKind, target: Uuid) -> Result<u64> {
    let conn = core.db.conn();
    Ok(match kind {
        ReportKind::Review => {
            review_reports::Entity::find()
                .filter(review_reports::Column::ReviewId.eq(target))
                .filter(review_reports::Column::ResolvedAt.is_null())
                .count(conn)
                .await?
        }
        ReportKind::Message => {
            message_reports::Entity::find()
                .filter(message_reports::Column::MessageId.eq(target))
                .filter(message_reports::Column::ResolvedAt.is_null())
                .count(conn)
                .await?
        }
        ReportKind::Job => {
            job_reports::Entity::find()
                .filter(job_reports::Column::JobId.eq(target))
                .filter(job_reports::Column::ResolvedAt.is_null())
                .count(conn)
                .await?
        }
    })
}

/// What `target` is, from the reports about it, and how many are open.
async fn kind_of(core: &Core, target: Uuid) -> Result<(ReportKind, u64)> {
    for kind in ReportKind::ALL {
        let open = open_reports(core, kind, target).await?;
        if open > 0 {
            return Ok((kind, open));
        }
    }
    Err(ErrorCode::ReportNotFound.into())
}

/// Resolves everything open about `target`; returns what it was and how
/// many reports.
pub async fn resolve(
    core: &Core,
    caller: &Authenticated,
    target: Uuid,
    action: Option<&str>,
    note: Option<&str>,
) -> Result<(ReportKind, u64)> {
    caller.require_staff()?;
    let Some(action) = action.map(str::trim).and_then(Action::parse) else {
        return Err(crate::Error::Validation(FieldErrors::single(
            "action",
            FieldIssue::OneOf(vec!["hide", "dismiss", "ban_user"]),
        )));
    };
    let note = note
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_owned);
    let (kind, open) = kind_of(core, target).await?;
    let conn = core.db.conn();
    // What was reported, and who wrote it.
    let (author, conversation) = match kind {
        ReportKind::Review => (
            reviews::Entity::find_by_id(target)
                .one(conn)
                .await?
                .map(|r| r.reviewer_id),
            None,
        ),
        ReportKind::Message => {
            let row = messages::Entity::find_by_id(target).one(conn).await?;
            (
                row.as_ref().map(|m| m.sender_id),
                row.map(|m| m.conversation_id),
            )
        }
        ReportKind::Job => (
            jobs::Entity::find_by_id(target)
                .one(conn)
                .await?
                .map(|j| j.client_id),
            None,
        ),
    };
    if action == Action::BanUser
        && let Some(author) = author
    {
        let reason = note
            .clone()
            .unwrap_or_else(|| format!("Reported {}", kind.as_str()));
        match users::ban(core, caller, author, Some(reason)).await {
            Ok(_) => {}
            Err(err) if err.error_code() == ErrorCode::AlreadyBanned => {}
            Err(err) => return Err(err),
        }
    }
    if matches!(action, Action::Hide | Action::BanUser) {
        match kind {
            ReportKind::Review => {
                let live = reviews::Entity::find_by_id(target)
                    .one(conn)
                    .await?
                    .is_some_and(|r| r.status == ReviewStatus::Revealed);
                if live {
                    moderation::moderate(core, caller, target, StaffAction::Hide, note.as_deref())
                        .await?;
                }
            }
            ReportKind::Message => {
                if let Some(conversation) = conversation {
                    changes::take_down(core, caller, conversation, target).await?;
                }
            }
            ReportKind::Job => {
                if author.is_some() {
                    job_cases::force_delete(core, caller, target).await?;
                }
            }
        }
    }
    let now = core.clock.now();
    let me = caller.user.id;
    let txn = core.db.begin_write().await?.without_account_changes();
    match kind {
        ReportKind::Review => {
            review_reports::Entity::update_many()
                .col_expr(review_reports::Column::ResolvedAt, Expr::value(now))
                .col_expr(review_reports::Column::ResolvedBy, Expr::value(me))
                .filter(review_reports::Column::ReviewId.eq(target))
                .filter(review_reports::Column::ResolvedAt.is_null())
                .exec(&*txn)
                .await?;
        }
        ReportKind::Message => {
            message_reports::Entity::update_many()
                .col_expr(message_reports::Column::ResolvedAt, Expr::value(now))
                .col_expr(message_reports::Column::ResolvedBy, Expr::value(me))
                .filter(message_reports::Column::MessageId.eq(target))
                .filter(message_reports::Column::ResolvedAt.is_null())
                .exec(&*txn)
                .await?;
        }
        ReportKind::Job => {
            job_reports::Entity::update_many()
                .col_expr(job_reports::Column::ResolvedAt, Expr::value(now))
                .col_expr(job_reports::Column::ResolvedBy, Expr::value(me))
                .filter(job_reports::Column::JobId.eq(target))
                .filter(job_reports::Column::ResolvedAt.is_null())
                .exec(&*txn)
                .await?;
        }
    }
    activity::record(
        &*txn,
        Some(me),
        "report.resolve",
        kind.as_str(),
        Some(target.to_string()),
        json!({ "action": action.as_str(), "note": note, "reports": open, "author": author }),
    )
    .await?;
    txn.commit().await?;
    Ok((kind, open))
}
