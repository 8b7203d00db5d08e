//! Admin announcements: a bilingual message to everyone, a role, or listed
//! users, on chosen channels — stored at once, fanned out through the
//! outbox in batches of [`BATCH`] recipients (never in the request), each
//! recipient getting a notification in their language that the usual
//! routing delivers (preferences and quiet hours apply).

use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    sea_query::{Expr, ExprTrait},
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use souk_db::entities::{announcements, notifications, users};
use uuid::Uuid;

use crate::{
    Core,
    accounts::Role,
    error::{FieldErrors, FieldIssue, Result},
    outbox::{self, OutboxMessage},
    time,
};

/// Recipients per batch.
pub const BATCH: u64 = 500;

/// Who hears it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "type")]
pub enum Audience {
    All,
    Role { role: String },
    Users { user_ids: Vec<Uuid> },
}

/// What an admin sends.
#[derive(Debug, Clone, Default)]
pub struct AnnouncementInput {
    /// all | role | userIds
    pub audience: Option<String>,
    pub role: Option<String>,
    pub user_ids: Option<Vec<Uuid>>,
    pub title_en: Option<String>,
    pub title_ar: Option<String>,
    pub body_en: Option<String>,
    pub body_ar: Option<String>,
    /// inApp | push | email (default all three).
    pub channels: Option<Vec<String>>,
}

fn text(field: &str, value: Option<String>, max: usize, errors: &mut FieldErrors) -> String {
    let value = value.map(|v| v.trim().to_owned()).unwrap_or_default();
    if value.is_empty() {
        errors.add(field, FieldIssue::Required);
    } else if value.chars().count() > max {
        errors.add(field, FieldIssue::TooLong(max));
    }
    value
}

/// Stores an announcement and queues its first batch.
pub async fn create(
    core: &Core,
    admin: Uuid,
    input: AnnouncementInput,
) -> Result<announcements::Model> {
    let mut errors = FieldErrors::new();
    let audience = match input.audience.as_deref().map(str::trim) {
        Some("all") => Some(Audience::All),
        Some("role") => match input.role.as_deref().and_then(Role::parse) {
            Some(role) => Some(Audience::Role {
                role: role.as_str().to_owned(),
            }),
            None => {
                errors.add(
                    "role",
                    FieldIssue::OneOf(vec!["client", "craftsman", "admin", "moderator"]),
                );
                None
            }
        },
        Some("userIds") => match input.user_ids {
            Some(ids) if !ids.is_empty() && ids.len() <= 10_000 => {
                let mut ids = ids;
                ids.sort();
                ids.dedup();
                Some(Audience::Users { user_ids: ids })
            }
            Some(ids) if !ids.is_empty() => {
                errors.add("userIds", FieldIssue::TooLong(10_000));
                None
            }
            _ => {
                errors.add("userIds", FieldIssue::Required);
                None
            }
        },
        _ => {
            errors.add(
                "audience",
                FieldIssue::OneOf(vec!["all", "role", "userIds"]),
            );
            None
        }
    };
    let title_en = text("title.en", input.title_en, 200, &mut errors);
    let title_ar = text("title.ar", input.title_ar, 200, &mut errors);
    let body_en = text("body.en", input.body_en, 2_000, &mut errors);
    let body_ar = text("body.ar", input.body_ar, 2_000, &mut errors);
    let channels = input
        .channels
        .unwrap_or_else(|| vec!["inApp".into(), "push".into(), "email".into()]);
    if channels.is_empty() {
        errors.add("channels", FieldIssue::Required);
    }
    for (i, channel) in channels.iter().enumerate() {
        if !super::preferences::CHANNELS.contains(&channel.as_str()) {
            errors.add(
                format!("channels[{i}]"),
                FieldIssue::OneOf(super::preferences::CHANNELS.to_vec()),
            );
        }
    }
    errors.into_result()?;
    let mut channels = channels;
    channels.sort();
    channels.dedup();
    let row = announcements::ActiveModel {
        id: Set(Uuid::now_v7()),
        audience: Set(serde_json::to_string(&audience).map_err(anyhow::Error::from)?),
        title_en: Set(title_en),
        title_ar: Set(title_ar),
        body_en: Set(body_en),
        body_ar: Set(body_ar),
        channels: Set(serde_json::to_string(&channels).map_err(anyhow::Error::from)?),
        created_by: Set(admin),
        created_at: Set(time::now()),
        recipients: Set(0),
        finished_at: Set(None),
    };
    let txn = core.db.begin_write().await?.without_account_changes();
    let stored = row.insert(&*txn).await?;
    outbox::enqueue(
        &*txn,
        &OutboxMessage::Announce {
            announcement: stored.id,
            after: None,
        },
    )
    .await?;
    txn.commit().await?;
    core.outbox_wakeup.notify_one();
    Ok(stored)
}

/// Fans out the batch of recipients after `after` (by id) and queues the
/// next one. The batch's notifications, their deliveries' outbox rows, the
/// count and the next batch are one transaction: a retry redoes it whole.
pub async fn fan_out(core: &Core, id: Uuid, after: Option<Uuid>) -> anyhow::Result<()> {
    let Some(announcement) = announcements::Entity::find_by_id(id)
        .one(core.db.conn())
        .await?
        .filter(|a| a.finished_at.is_none())
    else {
        return Ok(());
    };
    let audience: Option<Audience> = serde_json::from_str(&announcement.audience)?;
    let mut query = users::Entity::find()
        .filter(users::Column::DeletedAt.is_null())
        .filter(users::Column::BannedAt.is_null());
    match audience {
        Some(Audience::Role { role }) => query = query.filter(users::Column::Role.eq(role)),
        Some(Audience::Users { user_ids }) => {
            query = query.filter(users::Column::Id.is_in(user_ids));
        }
        Some(Audience::All) | None => {}
    }
    if let Some(after) = after {
        query = query.filter(users::Column::Id.gt(after));
    }
    let batch = query
        .order_by_asc(users::Column::Id)
        .limit(BATCH)
        .all(core.db.conn())
        .await?;
    let channels: Vec<String> = serde_json::from_str(&announcement.channels)?;
    let now = time::now();
    let mut rows = Vec::with_capacity(batch.len());
    let mut messages = Vec::with_capacity(batch.len() + 1);
    for user in &batch {
        let arabic = crate::accounts::lang_of(user) == crate::Lang::Ar;
        let notification = Uuid::now_v7();
        rows.push(notifications::ActiveModel {
            id: Set(notification),
            user_id: Set(user.id),
            kind: Set("announcement".into()),
            title: Set(if arabic {
                announcement.title_ar.clone()
            } else {
                announcement.title_en.clone()
            }),
            body: Set(if arabic {
                announcement.body_ar.clone()
            } else {
                announcement.body_en.clone()
            }),
            data: Set(json!({"announcementId": announcement.id, "channels": channels}).to_string()),
            read_at: Set(None),
            created_at: Set(now),
        });
        messages.push(OutboxMessage::Notification { id: notification });
    }
    let done = u64::try_from(batch.len()).unwrap_or(0) < BATCH;
    if let Some(last) = batch.last().filter(|_| !done) {
        messages.push(OutboxMessage::Announce {
            announcement: id,
            after: Some(last.id),
        });
    }
    let txn = core.db.begin_write().await?.without_account_changes();
    if !rows.is_empty() {
        notifications::Entity::insert_many(rows).exec(&*txn).await?;
    }
    outbox::enqueue_all(&*txn, &messages).await?;
    let mut update = announcements::Entity::update_many()
        .col_expr(
            announcements::Column::Recipients,
            Expr::col(announcements::Column::Recipients)
                .add(i32::try_from(batch.len()).unwrap_or(i32::MAX)),
        )
        .filter(announcements::Column::Id.eq(id));
    if done {
        update = update.col_expr(announcements::Column::FinishedAt, Expr::value(now));
    }
    update.exec(&*txn).await?;
    txn.commit().await?;
    core.outbox_wakeup.notify_one();
    Ok(())
}

/// Announcements, newest first.
pub async fn list(core: &Core, limit: u64) -> Result<Vec<announcements::Model>> {
    Ok(announcements::Entity::find()
        .order_by_desc(announcements::Column::CreatedAt)
        .limit(limit)
        .all(core.db.conn())
        .await?)
}
