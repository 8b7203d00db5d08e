//! API keys for integrators: created by admins with scopes, the secret
//! (`souk_sk_…`) shown once and stored as its SHA-256; listed, revoked,
//! and checked on every request that presents one.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set, sea_query::Expr,
};
use souk_db::entities::api_keys;
use uuid::Uuid;

use crate::{
    Core,
    accounts::tokens::{random_secret, sha256_hex},
    error::{ErrorCode, FieldErrors, FieldIssue, Result},
    time,
};

/// What a key may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Read `GET /api/events`.
    EventsRead,
    /// Manage `/api/admin/webhooks`.
    WebhooksManage,
}

impl Scope {
    pub const ALL: [Scope; 2] = [Scope::EventsRead, Scope::WebhooksManage];

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::EventsRead => "events:read",
            Scope::WebhooksManage => "webhooks:manage",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|scope| scope.as_str() == s)
    }
}

/// The prefix every secret starts with (so leaked keys are recognisable).
pub const SECRET_PREFIX: &str = "souk_sk_";

/// A new key: its row and the secret, which is never shown again.
pub struct CreatedKey {
    pub key: api_keys::Model,
    pub secret: String,
}

/// Creates a key named `name` with `scopes`.
pub async fn create(core: &Core, admin: Uuid, name: &str, scopes: &[String]) -> Result<CreatedKey> {
    let mut errors = FieldErrors::new();
    let name = name.trim();
    if name.is_empty() {
        errors.add("name", FieldIssue::Required);
    } else if name.chars().count() > 100 {
        errors.add("name", FieldIssue::TooLong(100));
    }
    let mut parsed = Vec::new();
    if scopes.is_empty() {
        errors.add("scopes", FieldIssue::Required);
    }
    for (i, scope) in scopes.iter().enumerate() {
        match Scope::parse(scope) {
            Some(s) if !parsed.contains(&s) => parsed.push(s),
            Some(_) => {}
            None => errors.add(
                format!("scopes[{i}]"),
                FieldIssue::OneOf(Scope::ALL.iter().map(|s| s.as_str()).collect()),
            ),
        }
    }
    errors.into_result()?;
    let secret = format!("{SECRET_PREFIX}{}", random_secret());
    let now = time::now();
    let txn = core.db.begin_write().await?.without_account_changes();
    let key = api_keys::ActiveModel {
        id: Set(Uuid::now_v7()),
        name: Set(name.to_owned()),
        prefix: Set(secret.chars().take(12).collect()),
        secret_hash: Set(sha256_hex(&secret)),
        scopes: Set(parsed
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(" ")),
        created_by: Set(admin),
        created_at: Set(now),
        last_used_at: Set(None),
        revoked_at: Set(None),
    }
    .insert(&*txn)
    .await?;
    txn.commit().await?;
    Ok(CreatedKey { key, secret })
}

/// Every key, newest first (revoked ones too, marked).
pub async fn list(core: &Core) -> Result<Vec<api_keys::Model>> {
    Ok(api_keys::Entity::find()
        .order_by_desc(api_keys::Column::CreatedAt)
        .all(core.db.conn())
        .await?)
}

/// Revokes a key at once (404 for an unknown one; revoking twice is fine).
pub async fn revoke(core: &Core, id: Uuid) -> Result<()> {
    let txn = core.db.begin_write().await?.without_account_changes();
    // A plain value, not a custom `COALESCE(revoked_at, $1)`: SQLite stored
    // that bound time as a BLOB, which no later read could decode.
    let result = api_keys::Entity::update_many()
        .col_expr(api_keys::Column::RevokedAt, Expr::value(time::now()))
        .filter(api_keys::Column::Id.eq(id))
        .filter(api_keys::Column::RevokedAt.is_null())
        .exec(&*txn)
        .await?;
    let known =
        result.rows_affected > 0 || api_keys::Entity::find_by_id(id).one(&*txn).await?.is_some();
    txn.commit().await?;
    if !known {
        return Err(ErrorCode::ApiKeyNotFound.into());
    }
    Ok(())
}

/// The live key a secret belongs to (401 `invalid_token` otherwise).
pub async fn authenticate(core: &Core, secret: &str) -> Result<api_keys::Model> {
    let key = api_keys::Entity::find()
        .filter(api_keys::Column::SecretHash.eq(sha256_hex(secret)))
        .filter(api_keys::Column::RevokedAt.is_null())
        .one(core.db.conn())
        .await?
        .ok_or(ErrorCode::InvalidToken)?;
    let now = time::now();
    let stale = key
        .last_used_at
        .is_none_or(|at| now - at > chrono::Duration::minutes(1));
    if stale {
        let txn = core.db.begin_write().await?.without_account_changes();
        api_keys::Entity::update_many()
            .col_expr(api_keys::Column::LastUsedAt, Expr::value(now))
            .filter(api_keys::Column::Id.eq(key.id))
            .exec(&*txn)
            .await?;
        txn.commit().await?;
    }
    Ok(key)
}

/// Whether `key` holds `scope`.
pub fn allows(key: &api_keys::Model, scope: Scope) -> bool {
    key.scopes.split(' ').any(|s| s == scope.as_str())
}
