//! A craftsman's portfolio: up to ten pictures of past work, recognised from
//! their bytes and stored no larger than 1600 px on a side.

use bytes::Bytes;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set,
};
use souk_db::entities::portfolio_images;
use souk_integrations::images::{self, ImageError};
use uuid::Uuid;

use crate::{
    Core,
    accounts::{Authenticated, Role},
    error::{Error, ErrorCode, Result},
    store, time,
};

/// Most pictures in one portfolio.
pub const PORTFOLIO_MAX: u64 = 10;
/// Largest accepted upload (5 MB, as for avatars).
pub const PORTFOLIO_MAX_BYTES: usize = 5 * 1024 * 1024;
/// Longest side of a stored picture.
pub const PORTFOLIO_MAX_SIDE: u32 = 1600;

async fn count(conn: &impl ConnectionTrait, user_id: Uuid) -> Result<u64> {
    Ok(portfolio_images::Entity::find()
        .filter(portfolio_images::Column::UserId.eq(user_id))
        .count(conn)
        .await?)
}

/// Adds a picture to the caller's portfolio (craftsmen only; at most ten).
pub async fn add_image(
    core: &Core,
    caller: &Authenticated,
    upload: Bytes,
) -> Result<portfolio_images::Model> {
    if caller.role != Role::Craftsman {
        return Err(ErrorCode::Forbidden.into());
    }
    if upload.len() > PORTFOLIO_MAX_BYTES {
        return Err(ErrorCode::PayloadTooLarge.into());
    }
    let user_id = caller.user.id;
    // Cheap early refusal before decoding; re-checked under the lock below.
    if count(core.db.conn(), user_id).await? >= PORTFOLIO_MAX {
        return Err(ErrorCode::PortfolioFull.into());
    }
    let processed =
        tokio::task::spawn_blocking(move || images::fit_within(&upload, PORTFOLIO_MAX_SIDE))
            .await
            .map_err(|e| Error::Internal(e.into()))?
            .map_err(|err| match err {
                ImageError::Unsupported | ImageError::Undecodable => {
                    Error::code(ErrorCode::UnsupportedImage)
                }
                ImageError::TooLarge => Error::code(ErrorCode::PayloadTooLarge),
            })?;
    let id = Uuid::now_v7();
    let key = format!("portfolio/{user_id}/{id}.{}", processed.kind.extension());
    core.storage
        .put(&key, Bytes::from(processed.bytes), processed.kind.mime())
        .await?;
    let stored = insert_row(core, user_id, id, &key).await;
    if stored.is_err()
        && let Err(err) = core.storage.delete(&key).await
    {
        tracing::warn!(file.key = %key, error = %err, "could not delete a refused portfolio image");
    }
    stored
}

async fn insert_row(
    core: &Core,
    user_id: Uuid,
    id: Uuid,
    key: &str,
) -> Result<portfolio_images::Model> {
    let txn = core.db.begin_write().await?;
    // Concurrent uploads of one user queue here, so the count below holds.
    store::users::serialize_writes(&*txn, user_id).await?;
    if count(&*txn, user_id).await? >= PORTFOLIO_MAX {
        return Err(ErrorCode::PortfolioFull.into());
    }
    let image = portfolio_images::ActiveModel {
        id: Set(id),
        user_id: Set(user_id),
        file_key: Set(key.to_owned()),
        created_at: Set(time::now()),
    }
    .insert(&*txn)
    .await?;
    txn.commit().await?;
    Ok(image)
}

/// Removes one of the caller's pictures and its file; 404 when it is not
/// theirs.
pub async fn remove_image(core: &Core, caller: &Authenticated, image_id: Uuid) -> Result<()> {
    let txn = core.db.begin_write().await?;
    let image = portfolio_images::Entity::find_by_id(image_id)
        .filter(portfolio_images::Column::UserId.eq(caller.user.id))
        .one(&*txn)
        .await?
        .ok_or(Error::code(ErrorCode::NotFound))?;
    portfolio_images::Entity::delete_by_id(image.id)
        .exec(&*txn)
        .await?;
    txn.commit().await?;
    if let Err(err) = core.storage.delete(&image.file_key).await {
        tracing::warn!(file.key = %image.file_key, error = %err, "could not delete a portfolio image");
    }
    Ok(())
}
