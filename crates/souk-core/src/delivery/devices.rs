//! Push devices: register a token (idempotent; a token moves to whoever
//! registered it last), list one's own, remove one; tokens not seen for the
//! configured time (270 days) are dropped.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use souk_db::{entities::devices, sql_text::statement};
use uuid::Uuid;

use crate::{
    Core,
    error::{ErrorCode, FieldErrors, FieldIssue, Result},
    time,
};

/// The platforms a token can come from.
pub const PLATFORMS: [&str; 3] = ["android", "ios", "web"];

/// A device as registered.
#[derive(Debug, Clone, Default)]
pub struct DeviceInput {
    pub token: Option<String>,
    pub platform: Option<String>,
    pub locale: Option<String>,
}

/// FCM registration tokens are long printable strings without spaces.
fn valid_token(token: &str) -> bool {
    (8..=4096).contains(&token.len()) && token.chars().all(|c| c.is_ascii_graphic())
}

/// Registers (or refreshes) a device for `user`.
pub async fn register(core: &Core, user: Uuid, input: DeviceInput) -> Result<devices::Model> {
    let mut errors = FieldErrors::new();
    let token = input.token.unwrap_or_default().trim().to_owned();
    if token.is_empty() {
        errors.add("token", FieldIssue::Required);
    } else if !valid_token(&token) {
        errors.add("token", FieldIssue::Schedule("invalid_device_token"));
    }
    let platform = input.platform.unwrap_or_default().trim().to_lowercase();
    if !PLATFORMS.contains(&platform.as_str()) {
        errors.add("platform", FieldIssue::OneOf(PLATFORMS.to_vec()));
    }
    let locale = input
        .locale
        .map(|l| l.trim().to_owned())
        .filter(|l| !l.is_empty());
    if locale.as_deref().is_some_and(|l| {
        l.len() > 16
            || !l
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    }) {
        errors.add("locale", FieldIssue::Invalid);
    }
    errors.into_result()?;
    let now = time::now();
    let stale = time::earlier(now, time::duration(core.settings.delivery.device_ttl));
    let txn = core.db.begin_write().await?.without_account_changes();
    txn.execute_raw(statement(
        &*txn,
        "INSERT INTO devices (token, user_id, platform, locale, created_at, last_seen_at) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (token) DO UPDATE SET \
         user_id = excluded.user_id, platform = excluded.platform, locale = excluded.locale, \
         last_seen_at = excluded.last_seen_at",
        [
            token.clone().into(),
            user.into(),
            platform.into(),
            locale.into(),
            now.into(),
            now.into(),
        ],
    ))
    .await?;
    devices::Entity::delete_many()
        .filter(devices::Column::UserId.eq(user))
        .filter(devices::Column::LastSeenAt.lt(stale))
        .exec(&*txn)
        .await?;
    let device = devices::Entity::find_by_id(token)
        .one(&*txn)
        .await?
        .ok_or(ErrorCode::DeviceNotFound)?;
    txn.commit().await?;
    Ok(device)
}

/// A user's devices seen within the time to live, newest first.
pub async fn list(core: &Core, user: Uuid) -> Result<Vec<devices::Model>> {
    let stale = time::earlier(
        time::now(),
        time::duration(core.settings.delivery.device_ttl),
    );
    Ok(devices::Entity::find()
        .filter(devices::Column::UserId.eq(user))
        .filter(devices::Column::LastSeenAt.gte(stale))
        .order_by_desc(devices::Column::LastSeenAt)
        .all(core.db.conn())
        .await?)
}

/// Removes one of the user's own devices (someone else's: 404).
pub async fn remove(core: &Core, user: Uuid, token: &str) -> Result<()> {
    let txn = core.db.begin_write().await?.without_account_changes();
    let result = devices::Entity::delete_many()
        .filter(devices::Column::Token.eq(token))
        .filter(devices::Column::UserId.eq(user))
        .exec(&*txn)
        .await?;
    txn.commit().await?;
    if result.rows_affected == 0 {
        return Err(ErrorCode::DeviceNotFound.into());
    }
    Ok(())
}

/// Drops a token FCM says is gone (whoever holds it now).
pub async fn forget(core: &Core, token: &str) -> Result<()> {
    let txn = core.db.begin_write().await?.without_account_changes();
    devices::Entity::delete_by_id(token.to_owned())
        .exec(&*txn)
        .await?;
    txn.commit().await?;
    Ok(())
}
