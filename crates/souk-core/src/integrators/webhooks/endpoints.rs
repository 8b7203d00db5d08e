//! Webhook endpoints: create (the signing secret is shown once and stored
//! sealed), list, read, update, delete; outbound URLs are https (http to
//! loopback only when allowed) and never private after DNS resolution.

use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use souk_db::entities::{event_counter, webhook_endpoints};
use souk_integrations::webhook_http::{self, OutboundPolicy};
use uuid::Uuid;

use crate::{
    Core,
    accounts::tokens::random_secret,
    error::{Error, ErrorCode, FieldErrors, FieldIssue, Result},
    integrators::events::EventType,
    time,
};

/// What an admin sends; on update only what is sent changes.
#[derive(Debug, Clone, Default)]
pub struct EndpointInput {
    pub url: Option<String>,
    pub description: Option<String>,
    /// Event type names, or `["*"]` for all.
    pub events: Option<Vec<String>>,
    pub active: Option<bool>,
}

/// A new endpoint and its secret, never shown again.
pub struct CreatedEndpoint {
    pub endpoint: webhook_endpoints::Model,
    pub secret: String,
}

/// The outbound policy the settings ask for.
pub fn policy(core: &Core) -> OutboundPolicy {
    OutboundPolicy {
        allow_loopback_http: core.settings.delivery.webhooks_allow_loopback,
    }
}

async fn checked_url(core: &Core, raw: &str, errors: &mut FieldErrors) -> Option<String> {
    let policy = policy(core);
    let url = match webhook_http::check_url(raw.trim(), &policy) {
        Ok(url) => url,
        Err(refusal) => {
            errors.add("url", refusal_issue(&refusal));
            return None;
        }
    };
    match webhook_http::resolve_checked(&url, &policy).await {
        Ok(_) => Some(url.to_string()),
        Err(refusal) => {
            errors.add("url", refusal_issue(&refusal));
            None
        }
    }
}

fn refusal_issue(refusal: &webhook_http::UrlRefusal) -> FieldIssue {
    use webhook_http::UrlRefusal::*;
    FieldIssue::Schedule(match refusal {
        NotHttps => "https_required",
        Malformed => "invalid_url",
        PrivateAddress => "private_address",
        Unresolvable => "unresolvable_host",
    })
}

/// The stored form of an event filter (`*` or type names, space-separated).
fn checked_events(events: &[String], errors: &mut FieldErrors) -> String {
    if events.is_empty() {
        errors.add("events", FieldIssue::Required);
        return String::new();
    }
    if events.iter().any(|e| e == "*") {
        return "*".to_owned();
    }
    let mut kinds = Vec::new();
    for (i, name) in events.iter().enumerate() {
        match EventType::parse(name.trim()) {
            Some(kind) if !kinds.contains(&kind) => kinds.push(kind),
            Some(_) => {}
            None => errors.add(
                format!("events[{i}]"),
                FieldIssue::OneOf(EventType::ALL.iter().map(|t| t.as_str()).collect()),
            ),
        }
    }
    kinds
        .iter()
        .map(|k| k.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The event types an endpoint receives (`None`: all).
pub fn event_filter(endpoint: &webhook_endpoints::Model) -> Option<Vec<EventType>> {
    (endpoint.events != "*").then(|| {
        endpoint
            .events
            .split(' ')
            .filter_map(EventType::parse)
            .collect()
    })
}

fn description(raw: Option<String>, errors: &mut FieldErrors) -> Option<String> {
    let text = raw.map(|d| d.trim().to_owned()).filter(|d| !d.is_empty())?;
    if text.chars().count() > 500 {
        errors.add("description", FieldIssue::TooLong(500));
    }
    Some(text)
}

/// Creates an endpoint; it receives events recorded from now on (replay
/// sends older ones).
pub async fn create(core: &Core, admin: Uuid, input: EndpointInput) -> Result<CreatedEndpoint> {
    let mut errors = FieldErrors::new();
    let url = match input.url.as_deref() {
        Some(raw) => checked_url(core, raw, &mut errors).await,
        None => {
            errors.add("url", FieldIssue::Required);
            None
        }
    };
    let events = checked_events(
        &input.events.unwrap_or_else(|| vec!["*".into()]),
        &mut errors,
    );
    let description = description(input.description, &mut errors);
    errors.into_result()?;
    let secret = format!("whsec_{}", random_secret());
    let sealed = hex::encode(core.settings.data_keys.seal(secret.as_bytes())?);
    let now = time::now();
    // Number what is already committed first, so that the cursor is past
    // every event recorded before the endpoint existed.
    crate::integrators::feed::sequence(core).await?;
    let txn = core.db.begin_write().await?.without_account_changes();
    let cursor = event_counter::Entity::find_by_id(1)
        .one(&*txn)
        .await?
        .map_or(0, |c| c.last);
    let endpoint = webhook_endpoints::ActiveModel {
        id: Set(Uuid::now_v7()),
        url: Set(url.unwrap_or_default()),
        description: Set(description),
        events: Set(events),
        active: Set(input.active.unwrap_or(true)),
        secret: Set(sealed),
        cursor: Set(cursor),
        failing_since: Set(None),
        disabled_reason: Set(None),
        lease_until: Set(None),
        created_by: Set(admin),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&*txn)
    .await?;
    txn.commit().await?;
    Ok(CreatedEndpoint { endpoint, secret })
}

/// Every endpoint, oldest first.
pub async fn list(core: &Core) -> Result<Vec<webhook_endpoints::Model>> {
    Ok(webhook_endpoints::Entity::find()
        .order_by_asc(webhook_endpoints::Column::CreatedAt)
        .all(core.db.conn())
        .await?)
}

/// One endpoint (404 `webhook_not_found`).
pub async fn get(core: &Core, id: Uuid) -> Result<webhook_endpoints::Model> {
    webhook_endpoints::Entity::find_by_id(id)
        .one(core.db.conn())
        .await?
        .ok_or_else(|| Error::code(ErrorCode::WebhookNotFound))
}

/// Changes what was sent; turning an endpoint back on clears its failure
/// record.
pub async fn update(
    core: &Core,
    id: Uuid,
    input: EndpointInput,
) -> Result<webhook_endpoints::Model> {
    let existing = get(core, id).await?;
    let mut errors = FieldErrors::new();
    let url = match input.url.as_deref() {
        Some(raw) => checked_url(core, raw, &mut errors).await,
        None => None,
    };
    let events = input.events.map(|e| checked_events(&e, &mut errors));
    let description = input.description.map(|d| description(Some(d), &mut errors));
    errors.into_result()?;
    let mut row: webhook_endpoints::ActiveModel = existing.clone().into();
    if let Some(url) = url {
        row.url = Set(url);
    }
    if let Some(events) = events {
        row.events = Set(events);
    }
    if let Some(description) = description {
        row.description = Set(description);
    }
    if let Some(active) = input.active {
        row.active = Set(active);
        if active && !existing.active {
            row.failing_since = Set(None);
            row.disabled_reason = Set(None);
        }
    }
    row.updated_at = Set(time::now());
    let txn = core.db.begin_write().await?.without_account_changes();
    let updated = row.update(&*txn).await?;
    txn.commit().await?;
    Ok(updated)
}

/// Deletes an endpoint and what it still owed.
pub async fn delete(core: &Core, id: Uuid) -> Result<()> {
    use souk_db::entities::webhook_deliveries;
    let txn = core.db.begin_write().await?.without_account_changes();
    let result = webhook_endpoints::Entity::delete_by_id(id)
        .exec(&*txn)
        .await?;
    webhook_deliveries::Entity::delete_many()
        .filter(webhook_deliveries::Column::EndpointId.eq(id))
        .filter(
            webhook_deliveries::Column::Status.eq(souk_db::enums::WebhookDeliveryStatus::Pending),
        )
        .exec(&*txn)
        .await?;
    txn.commit().await?;
    if result.rows_affected == 0 {
        return Err(ErrorCode::WebhookNotFound.into());
    }
    Ok(())
}

/// An endpoint's signing secret, unsealed for signing.
pub fn secret_of(core: &Core, endpoint: &webhook_endpoints::Model) -> Result<String> {
    let sealed = hex::decode(&endpoint.secret).map_err(anyhow::Error::from)?;
    let plain = core.settings.data_keys.open(&sealed)?;
    Ok(String::from_utf8(plain).map_err(anyhow::Error::from)?)
}
