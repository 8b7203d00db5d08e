//! A stored notification, routed at send time: to the user's sockets when
//! in-app is on for its category, and into one delivery per push device
//! and one for email when those are on — each with an idempotency key
//! (notification × channel × target), due now or when quiet hours end
//! (chat emails: when the digest delay has passed).

use sea_orm::{
    ColumnTrait, EntityTrait, QueryFilter, Set,
    sea_query::{Expr, OnConflict},
};
use sha2::{Digest, Sha256};
use souk_db::{
    entities::{deliveries, notifications, users},
    enums::DeliveryStatus,
};
use uuid::Uuid;

use super::{
    devices,
    preferences::{self, Channel},
};
use crate::{
    Core,
    notifications::view,
    outbox::{self, OutboxMessage},
    realtime::RealtimeEvent,
    time,
};

/// A delivery to create.
struct Planned {
    channel: Channel,
    target: Option<String>,
    due: chrono::DateTime<chrono::Utc>,
}

fn key(notification: Uuid, channel: Channel, target: Option<&str>) -> String {
    match target {
        Some(target) => {
            let digest = hex::encode(Sha256::digest(target.as_bytes()));
            format!(
                "{notification}:{}:{}",
                channel.as_str(),
                digest.get(..32).unwrap_or_default()
            )
        }
        None => format!("{notification}:{}", channel.as_str()),
    }
}

/// Routes notification `id` (at least once: a repeat re-emits in-app,
/// which clients recognise by id, and creates no second delivery).
pub async fn route(core: &Core, id: Uuid) -> anyhow::Result<()> {
    let Some(notification) = notifications::Entity::find_by_id(id)
        .one(core.db.conn())
        .await?
    else {
        return Ok(()); // deleted before delivery
    };
    let Some(user) = users::Entity::find_by_id(notification.user_id)
        .one(core.db.conn())
        .await?
        .filter(|u| u.deleted_at.is_none())
    else {
        return Ok(());
    };
    let prefs = preferences::get(core, user.id).await?;
    let category = preferences::category_of(&notification.kind);
    let asked = asked_channels(&notification);
    let allows = |channel: Channel| {
        prefs.allows(category, channel) && asked.as_ref().is_none_or(|a| a.contains(&channel))
    };
    if allows(Channel::InApp) {
        core.realtime
            .emit(&RealtimeEvent::to_users(
                &[user.id],
                "notification",
                view(&notification),
            ))
            .await?;
    } else if notification.read_at.is_none() {
        // Kept in the list for the record, but not counted as news.
        let txn = core.db.begin_write().await?.without_account_changes();
        notifications::Entity::update_many()
            .col_expr(notifications::Column::ReadAt, Expr::value(time::now()))
            .filter(notifications::Column::Id.eq(id))
            .exec(&*txn)
            .await?;
        txn.commit().await?;
    }
    let now = core.clock.now();
    let release = prefs.release_at(category, now);
    let mut planned = Vec::new();
    if allows(Channel::Push) {
        for device in devices::list(core, user.id).await? {
            planned.push(Planned {
                channel: Channel::Push,
                target: Some(device.token),
                due: release,
            });
        }
    }
    if allows(Channel::Email) {
        let due = if notification.kind == "message_received" {
            release.max(now + time::duration(core.settings.delivery.message_digest_delay))
        } else {
            release
        };
        planned.push(Planned {
            channel: Channel::Email,
            target: None,
            due,
        });
    }
    create(core, &notification, planned).await
}

/// The channels an announcement was sent on (`None`: a notification,
/// which goes wherever the preferences allow).
fn asked_channels(notification: &notifications::Model) -> Option<Vec<Channel>> {
    if notification.kind != "announcement" {
        return None;
    }
    let data: serde_json::Value = serde_json::from_str(&notification.data).ok()?;
    Some(
        data.get("channels")?
            .as_array()?
            .iter()
            .filter_map(|c| match c.as_str()? {
                "inApp" => Some(Channel::InApp),
                "push" => Some(Channel::Push),
                "email" => Some(Channel::Email),
                _ => None,
            })
            .collect(),
    )
}

async fn create(
    core: &Core,
    notification: &notifications::Model,
    planned: Vec<Planned>,
) -> anyhow::Result<()> {
    if planned.is_empty() {
        return Ok(());
    }
    let now = time::now();
    let txn = core.db.begin_write().await?.without_account_changes();
    for plan in planned {
        let id = Uuid::now_v7();
        let row = deliveries::ActiveModel {
            id: Set(id),
            dedupe_key: Set(key(notification.id, plan.channel, plan.target.as_deref())),
            notification_id: Set(Some(notification.id)),
            user_id: Set(notification.user_id),
            channel: Set(plan.channel.as_str().into()),
            target: Set(plan.target),
            status: Set(DeliveryStatus::Pending),
            attempts: Set(0),
            last_error: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            sent_at: Set(None),
        };
        let inserted = deliveries::Entity::insert(row)
            .on_conflict(
                OnConflict::column(deliveries::Column::DedupeKey)
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(&*txn)
            .await?;
        if inserted > 0 {
            outbox::enqueue_at(&*txn, &OutboxMessage::Deliver { delivery: id }, plan.due).await?;
        }
    }
    txn.commit().await?;
    core.outbox_wakeup.notify_one();
    Ok(())
}
