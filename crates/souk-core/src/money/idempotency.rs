//! `Idempotency-Key` on money-moving requests: the first successful answer
//! is kept per user and key for 24 hours; the same key with the same request gets it
//! again, with another request 409. A key whose first request is still
//! running is refused (409) rather than run twice; a request that failed
//! keeps nothing, so it may be retried. A claim left without an answer for
//! longer than any request may run (a crash or a timeout between the claim
//! and the answer) is abandoned: the next retry runs the request again,
//! which is safe because every ledger movement carries a key derived from
//! the request key and so moves at most once.

use std::time::Duration;

use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set,
    sea_query::{Expr, OnConflict},
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

/// The id of what a request creates (a payment, a withdrawal), derived from
/// the caller and the request key: a retry of the same request — after a
/// lost answer, or when an abandoned claim is taken over — finds the row
/// the first run wrote instead of creating a second one.
pub fn derived_id(kind: &str, user: Uuid, request_key: &str) -> Uuid {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    hasher.update(kind.as_bytes());
    hasher.update([0]);
    hasher.update(user.as_bytes());
    hasher.update([0]);
    hasher.update(request_key.as_bytes());
    let digest = hasher.finalize();
    // The first 16 of SHA-256's 32 bytes.
    let mut bytes = [0u8; 16];
    for (byte, from) in bytes.iter_mut().zip(digest) {
        *byte = from;
    }
    uuid::Builder::from_custom_bytes(bytes).into_uuid()
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

/// Claims `key` for `user` and a request whose hash is `request_hash`. A
/// claim without an answer older than `abandoned_after` (longer than any
/// request may run) is taken over.
pub async fn claim(
    core: &Core,
    user: Uuid,
    key: &str,
    request_hash: &str,
    abandoned_after: Duration,
) -> Result<Claim> {
    check_key(key)?;
    let txn = core.db.begin_write().await?.without_account_changes();
    // Answers older than a day are forgotten (this user's, while we are here).
    idempotency_keys::Entity::delete_many()
        .filter(idempotency_keys::Column::UserId.eq(user))
        .filter(idempotency_keys::Column::CreatedAt.lt(time::earlier(
            time::now(),
            chrono::Duration::hours(KEEP_HOURS),
        )))
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
    let now = time::now();
    if let Some(row) = &existing
        && row.request_hash == request_hash
        && row.response_status.is_none()
        && row.created_at < time::earlier(now, time::duration(abandoned_after))
    {
        // Guarded on the claim time read, so two retries racing for the
        // same abandoned claim run the request once.
        let taken = idempotency_keys::Entity::update_many()
            .col_expr(idempotency_keys::Column::CreatedAt, Expr::value(now))
            .filter(idempotency_keys::Column::UserId.eq(user))
            .filter(idempotency_keys::Column::Key.eq(key))
            .filter(idempotency_keys::Column::ResponseStatus.is_null())
            .filter(idempotency_keys::Column::CreatedAt.eq(row.created_at))
            .exec(&*txn)
            .await?
            .rows_affected;
        txn.commit().await?;
        if taken == 1 {
            tracing::warn!(user.id = %user, "idempotency claim abandoned by an earlier request taken over");
            return Ok(Claim::Run);
        }
        return Err(ErrorCode::IdempotencyInProgress.into());
    }
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
