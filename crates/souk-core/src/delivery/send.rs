//! One delivery sent: a push to one device through the configured pusher
//! (FCM, or the log), or one email rendered from the localized templates
//! (chat: a digest of what is still unread). Idempotent: a delivery that is
//! no longer pending is not sent again. A gone token deletes the device; a
//! refusal that retrying cannot fix dead-letters the delivery at once;
//! anything temporary asks the outbox to retry (honouring `Retry-After`).

use std::collections::BTreeMap;

use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    sea_query::{Expr, ExprTrait},
};
use souk_db::{
    entities::{deliveries, devices, notifications, users},
    enums::DeliveryStatus,
    sql_text::statement,
};
use souk_integrations::{
    mail::OutgoingMail,
    push::{PushMessage, PushOutcome},
};
use uuid::Uuid;

use super::{
    devices as device_store,
    preferences::{self},
    unsubscribe,
};
use crate::{
    Core,
    accounts::lang_of,
    notifications::{DigestItem, EmailContext, render, render_digest},
    outbox::RetryLater,
    time,
};

/// How a delivery ended (for now).
enum Outcome {
    Sent,
    Skipped(String),
    Dead(String),
}

/// Sends delivery `id` if it is still pending.
pub async fn deliver(core: &Core, id: Uuid) -> anyhow::Result<()> {
    let Some(delivery) = deliveries::Entity::find_by_id(id)
        .one(core.db.conn())
        .await?
        .filter(|d| d.status == DeliveryStatus::Pending)
    else {
        return Ok(());
    };
    let notification = match delivery.notification_id {
        Some(n) => {
            notifications::Entity::find_by_id(n)
                .one(core.db.conn())
                .await?
        }
        None => None,
    };
    let Some(notification) = notification else {
        return finish(
            core,
            &delivery,
            Outcome::Skipped("notification deleted".into()),
        )
        .await;
    };
    let outcome = match delivery.channel.as_str() {
        "push" => push(core, &delivery, &notification).await,
        "email" => email(core, &delivery, &notification).await,
        other => Ok(Outcome::Dead(format!("unknown channel {other}"))),
    };
    match outcome {
        Ok(outcome) => finish(core, &delivery, outcome).await,
        Err(err) => {
            note_attempt(core, &delivery, &err.to_string()).await?;
            Err(err)
        }
    }
}

async fn push(
    core: &Core,
    delivery: &deliveries::Model,
    notification: &notifications::Model,
) -> anyhow::Result<Outcome> {
    let token = delivery.target.clone().unwrap_or_default();
    let device = devices::Entity::find_by_id(token.clone())
        .one(core.db.conn())
        .await?
        .filter(|d| d.user_id == delivery.user_id);
    if device.is_none() {
        return Ok(Outcome::Skipped("device no longer registered".into()));
    }
    let mut data = BTreeMap::new();
    data.insert("kind".to_owned(), notification.kind.clone());
    data.insert("notificationId".to_owned(), notification.id.to_string());
    if let Ok(serde_json::Value::Object(fields)) =
        serde_json::from_str::<serde_json::Value>(&notification.data)
    {
        for (key, value) in fields {
            let text = match value {
                serde_json::Value::String(s) => s,
                serde_json::Value::Null => continue,
                other => other.to_string(),
            };
            data.insert(key, text);
        }
    }
    let message = PushMessage {
        token: token.clone(),
        title: notification.title.clone(),
        body: notification.body.clone(),
        data,
    };
    match core.pusher.send(&message).await {
        PushOutcome::Sent { .. } => Ok(Outcome::Sent),
        PushOutcome::TokenGone { reason } => {
            device_store::forget(core, &token).await?;
            Ok(Outcome::Skipped(format!("token removed: {reason}")))
        }
        PushOutcome::Retry { after, reason } => Err(RetryLater { after, reason }.into()),
        PushOutcome::Failed { reason } => Ok(Outcome::Dead(reason)),
    }
}

async fn email(
    core: &Core,
    delivery: &deliveries::Model,
    notification: &notifications::Model,
) -> anyhow::Result<Outcome> {
    let Some(user) = users::Entity::find_by_id(delivery.user_id)
        .one(core.db.conn())
        .await?
        .filter(|u| u.deleted_at.is_none())
    else {
        return Ok(Outcome::Skipped("account erased".into()));
    };
    let category = preferences::category_of(&notification.kind);
    let unsubscribe = unsubscribe::link(core, user.id, category);
    let ctx = EmailContext {
        user_name: &user.first_name,
        lang: lang_of(&user),
        public_url: &core.settings.public_url,
        unsubscribe_url: unsubscribe.as_deref(),
    };
    let rendered = if notification.kind == "message_received" {
        if digest_recently_sent(core, &user, delivery).await? {
            return Ok(Outcome::Skipped("covered by a recent digest".into()));
        }
        let items = unread(core, user.id).await?;
        if items.is_empty() {
            return Ok(Outcome::Skipped("read before the digest was due".into()));
        }
        render_digest(&items, &ctx)
    } else {
        render(notification, &ctx)
    };
    let headers = unsubscribe
        .map(|url| {
            vec![
                ("List-Unsubscribe".to_owned(), format!("<{url}>")),
                (
                    "List-Unsubscribe-Post".to_owned(),
                    "List-Unsubscribe=One-Click".to_owned(),
                ),
            ]
        })
        .unwrap_or_default();
    core.mailer
        .send(&OutgoingMail {
            to: user.email.clone(),
            subject: rendered.subject,
            text_body: rendered.text,
            html_body: Some(rendered.html),
            headers,
        })
        .await
        .map_err(|err| {
            anyhow::Error::from(RetryLater {
                after: None,
                reason: format!("mail: {err}"),
            })
        })?;
    Ok(Outcome::Sent)
}

/// Whether a chat digest went to the user within the digest delay (one
/// digest covers every conversation).
async fn digest_recently_sent(
    core: &Core,
    user: &users::Model,
    delivery: &deliveries::Model,
) -> anyhow::Result<bool> {
    let since = time::earlier(
        time::now(),
        time::duration(core.settings.delivery.message_digest_delay),
    );
    let row = core
        .db
        .conn()
        .query_one_raw(statement(
            core.db.conn(),
            "SELECT d.id AS id FROM deliveries d JOIN notifications n ON n.id = d.notification_id \
             WHERE d.user_id = $1 AND d.channel = 'email' AND d.status = 'sent' AND \
             n.kind = 'message_received' AND d.sent_at > $2 AND d.id <> $3 LIMIT 1",
            [user.id.into(), since.into(), delivery.id.into()],
        ))
        .await?;
    Ok(row.is_some())
}

/// The user's conversations with unread messages (at most 20), each with
/// the latest message from someone else.
async fn unread(core: &Core, user: Uuid) -> anyhow::Result<Vec<DigestItem>> {
    let conn = core.db.conn();
    let rows = conn
        .query_all_raw(statement(
            conn,
            "SELECT p.conversation_id AS conversation, c.last_seq - p.last_read_seq AS unread \
             FROM conversation_participants p JOIN conversations c ON c.id = p.conversation_id \
             WHERE p.user_id = $1 AND c.last_seq > p.last_read_seq \
             ORDER BY c.updated_at DESC LIMIT 20",
            [user.into()],
        ))
        .await?;
    let mut items = Vec::new();
    for row in rows {
        let conversation: Uuid = row.try_get("", "conversation")?;
        let count: i64 = row.try_get("", "unread")?;
        let last = conn
            .query_one_raw(statement(
                conn,
                "SELECT m.text AS text, u.first_name AS sender FROM messages m \
                 JOIN users u ON u.id = m.sender_id WHERE m.conversation_id = $1 AND \
                 m.sender_id <> $2 AND m.deleted_at IS NULL ORDER BY m.seq DESC LIMIT 1",
                [conversation.into(), user.into()],
            ))
            .await?;
        let Some(last) = last else { continue };
        let text: String = last.try_get("", "text")?;
        items.push(DigestItem {
            conversation,
            sender: last.try_get("", "sender")?,
            preview: text.chars().take(120).collect(),
            unread: count,
        });
    }
    Ok(items)
}

async fn note_attempt(
    core: &Core,
    delivery: &deliveries::Model,
    error: &str,
) -> anyhow::Result<()> {
    let txn = core.db.begin_write().await?.without_account_changes();
    deliveries::Entity::update_many()
        .col_expr(
            deliveries::Column::Attempts,
            Expr::col(deliveries::Column::Attempts).add(1),
        )
        .col_expr(deliveries::Column::LastError, Expr::value(error.to_owned()))
        .col_expr(deliveries::Column::UpdatedAt, Expr::value(time::now()))
        .filter(deliveries::Column::Id.eq(delivery.id))
        .exec(&*txn)
        .await?;
    txn.commit().await?;
    Ok(())
}

async fn finish(core: &Core, delivery: &deliveries::Model, outcome: Outcome) -> anyhow::Result<()> {
    let now = time::now();
    let (status, error, sent_at) = match outcome {
        Outcome::Sent => (DeliveryStatus::Sent, None, Some(now)),
        Outcome::Skipped(reason) => (DeliveryStatus::Skipped, Some(reason), None),
        Outcome::Dead(reason) => {
            tracing::warn!(delivery = %delivery.id, %reason, "delivery dead-lettered");
            (DeliveryStatus::Dead, Some(reason), None)
        }
    };
    let txn = core.db.begin_write().await?.without_account_changes();
    let mut update = deliveries::Entity::update_many()
        .col_expr(deliveries::Column::Status, Expr::value(status))
        .col_expr(
            deliveries::Column::Attempts,
            Expr::col(deliveries::Column::Attempts).add(1),
        )
        .col_expr(deliveries::Column::UpdatedAt, Expr::value(now))
        .col_expr(deliveries::Column::SentAt, Expr::value(sent_at))
        .filter(deliveries::Column::Id.eq(delivery.id))
        .filter(deliveries::Column::Status.eq(DeliveryStatus::Pending));
    if let Some(error) = error {
        update = update.col_expr(deliveries::Column::LastError, Expr::value(error));
    }
    update.exec(&*txn).await?;
    txn.commit().await?;
    Ok(())
}

/// Dead-letters a delivery whose retries ran out.
pub async fn give_up(core: &Core, id: Uuid, error: &str) -> anyhow::Result<()> {
    let txn = core.db.begin_write().await?.without_account_changes();
    deliveries::Entity::update_many()
        .col_expr(
            deliveries::Column::Status,
            Expr::value(DeliveryStatus::Dead),
        )
        .col_expr(deliveries::Column::LastError, Expr::value(error.to_owned()))
        .col_expr(deliveries::Column::UpdatedAt, Expr::value(time::now()))
        .filter(deliveries::Column::Id.eq(id))
        .filter(deliveries::Column::Status.eq(DeliveryStatus::Pending))
        .exec(&*txn)
        .await?;
    txn.commit().await?;
    Ok(())
}
