//! `Idempotency-Key` on money-moving requests: the first successful answer
//! is kept per user and key for 24 hours; the same key with the same request gets it
//! again, with another request 409. A key whose first request is still
//! running is refused (409) rather than run twice; a request that failed
//! keeps nothing, so it may be retried.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set, sea_query::OnConflict,
};
use souk_db::entities::idempotency_keys;
use uuid::Uuid;

use crate::{
    Core,
    error::{Error, ErrorCode, FieldErrors, FieldIssue, Result},
    time,
};

/// Longest key accepted.
pub const MAX_KEY_LEN: usize = 255;
/// How long an answer is kept (as Stripe does).
pub const KEEP_HOURS: i64 = 24;

/// What to do with a request carrying a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Claim {
    /// First time: run it, then [`remember`] or [`forget`].
    Run,
    /// Seen and answered: send this again.
    Replay { status: u16, body: String },
}

/// Checks the key's shape.
pub fn check_key(key: &str) -> Result<()> {
    let ok =
        !key.is_empty() && key.len() <= MAX_KEY_LEN && key.bytes().all(|b| b.is_ascii_graphic());
    if ok {
        Ok(())
    } else {
        Err(Error::Validation(FieldErrors::single(
            "Idempotency-Key",
            FieldIssue::Invalid,
        )))
    }
}

/// Claims `key` for `user` and a request whose hash is `request_hash`.
pub async fn claim(core: &Core, user: Uuid, key: &str, request_hash: &str) -> Result<Claim> {
    check_key(key)?;
    let txn = core.db.begin_write().await?.without_account_changes();
    // Answers older than a day are forgotten (this user's, while we are here).
    idempotency_keys::Entity::delete_many()
        .filter(idempotency_keys::Column::UserId.eq(user))
        .filter(
            idempotency_keys::Column::CreatedAt
                .lt(time::now() - chrono::Duration::hours(KEEP_HOURS)),
        )
        .exec(&*txn)
        .await?;
    let inserted = idempotency_keys::Entity::insert(idempotency_keys::ActiveModel {
        user_id: Set(user),
        key: Set(key.to_owned()),
        request_hash: Set(request_hash.to_owned()),
        response_status: Set(None),
        response_body: Set(None),
        created_at: Set(time::now()),
    })
    .on_conflict(
        OnConflict::columns([
            idempotency_keys::Column::UserId,
            idempotency_keys::Column::Key,
        ])
        .do_nothing()
        .to_owned(),
    )
    .exec_without_returning(&*txn)
    .await?;
    if inserted == 1 {
        txn.commit().await?;
        return Ok(Claim::Run);
    }
    let existing = idempotency_keys::Entity::find_by_id((user, key.to_owned()))
        .one(&*txn)
        .await?;
    txn.commit().await?;
    match existing {
        Some(row) if row.request_hash != request_hash => {
            Err(ErrorCode::IdempotencyKeyReused.into())
        }
        Some(idempotency_keys::Model {
            response_status: Some(status),
            response_body,
            ..
        }) => Ok(Claim::Replay {
            status: u16::try_from(status).unwrap_or(200),
            body: response_body.unwrap_or_default(),
        }),
        Some(_) => Err(ErrorCode::IdempotencyInProgress.into()),
        // Forgotten between our insert and read: treat as still running.
        None => Err(ErrorCode::IdempotencyInProgress.into()),
    }
}

/// Keeps the answer of a request that succeeded.
pub async fn remember(core: &Core, user: Uuid, key: &str, status: u16, body: String) -> Result<()> {
    let txn = core.db.begin_write().await?.without_account_changes();
    if let Some(row) = idempotency_keys::Entity::find_by_id((user, key.to_owned()))
        .one(&*txn)
        .await?
    {
        let mut active: idempotency_keys::ActiveModel = row.into();
        active.response_status = Set(Some(i32::from(status)));
        active.response_body = Set(Some(body));
        active.update(&*txn).await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Drops the claim of a request that failed (it moved nothing).
pub async fn forget(core: &Core, user: Uuid, key: &str) -> Result<()> {
    let txn = core.db.begin_write().await?.without_account_changes();
    idempotency_keys::Entity::delete_many()
        .filter(idempotency_keys::Column::UserId.eq(user))
        .filter(idempotency_keys::Column::Key.eq(key))
        .filter(idempotency_keys::Column::ResponseStatus.is_null())
        .exec(&*txn)
        .await?;
    txn.commit().await?;
    Ok(())
}
