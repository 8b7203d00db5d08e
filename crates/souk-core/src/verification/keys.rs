//! `souk keys rotate`: every document sealed under another key than the
//! current one is opened (with `SOUK_DATA_KEYS_OLD`) and sealed again under
//! `SOUK_DATA_KEY`, its row then naming the new key. Safe to run again: a
//! document already under the current key is left alone.

use bytes::Bytes;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
use souk_db::entities::verification_documents;

use crate::{
    Core,
    error::{Error, Result},
    sealed::DataKeys,
};

/// Re-seals with `core`'s keys; returns how many documents moved.
pub async fn rotate(core: &Core) -> Result<usize> {
    rotate_with(core, &core.settings.data_keys).await
}

/// Re-seals every document not under `keys.current`, opening with `keys`.
pub async fn rotate_with(core: &Core, keys: &DataKeys) -> Result<usize> {
    let current = keys.current.id().to_owned();
    let stale = verification_documents::Entity::find()
        .filter(verification_documents::Column::KeyId.ne(current.clone()))
        .all(core.db.conn())
        .await?;
    let mut moved = 0;
    for row in stale {
        let Some(stored) = core
            .storage
            .get(&row.file_key)
            .await
            .map_err(Error::Internal)?
        else {
            continue;
        };
        let plain = keys.open(&stored.bytes)?;
        let sealed = keys.seal(&plain)?;
        core.storage
            .put(
                &row.file_key,
                Bytes::from(sealed),
                "application/octet-stream",
            )
            .await
            .map_err(Error::Internal)?;
        let txn = core.db.begin_write().await?.without_account_changes();
        verification_documents::Entity::update_many()
            .col_expr(
                verification_documents::Column::KeyId,
                Expr::value(current.clone()),
            )
            .filter(verification_documents::Column::Id.eq(row.id))
            .exec(&*txn)
            .await?;
        txn.commit().await?;
        moved += 1;
    }
    Ok(moved)
}
