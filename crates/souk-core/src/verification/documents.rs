//! Opening a sealed document for its owner or staff (staff downloads in
//! the activity log), and deleting a decided verification's documents
//! when their time is up (the outbox due row written at the decision).

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
use serde_json::json;
use souk_db::entities::{verification_documents, verifications};
use uuid::Uuid;

use crate::{
    Core,
    accounts::Authenticated,
    admin::activity,
    error::{Error, ErrorCode, Result},
};

/// `GET /api/users/craftsman/verification/documents/:docId`: the document's owner and staff;
/// anyone else (and a purged document) 404.
pub async fn open(
    core: &Core,
    caller: &Authenticated,
    id: Uuid,
) -> Result<(verification_documents::Model, Vec<u8>)> {
    let not_found = || Error::code(ErrorCode::NotFound);
    let row = verification_documents::Entity::find_by_id(id)
        .one(core.db.conn())
        .await?
        .ok_or_else(not_found)?;
    let staff = caller.role.is_staff();
    if row.user_id != caller.user.id && !staff {
        return Err(not_found());
    }
    let stored = core
        .storage
        .get(&row.file_key)
        .await
        .map_err(Error::Internal)?
        .ok_or_else(not_found)?;
    let plain = core.settings.data_keys.open(&stored.bytes)?;
    if staff && row.user_id != caller.user.id {
        let txn = core.db.begin_write().await?.without_account_changes();
        activity::record(
            &*txn,
            Some(caller.user.id),
            "verification.document_download",
            "verification",
            Some(row.verification_id.to_string()),
            json!({ "documentId": id, "userId": row.user_id }),
        )
        .await?;
        txn.commit().await?;
    }
    Ok((row, plain))
}

/// The due row: deletes a decided verification's documents (files and
/// rows); the verification and its decision stay.
pub async fn purge(core: &Core, verification: Uuid) -> Result<()> {
    let rows = verification_documents::Entity::find()
        .filter(verification_documents::Column::VerificationId.eq(verification))
        .all(core.db.conn())
        .await?;
    for row in &rows {
        core.storage
            .delete(&row.file_key)
            .await
            .map_err(Error::Internal)?;
    }
    let txn = core.db.begin_write().await?.without_account_changes();
    verification_documents::Entity::delete_many()
        .filter(verification_documents::Column::VerificationId.eq(verification))
        .exec(&*txn)
        .await?;
    verifications::Entity::update_many()
        .col_expr(
            verifications::Column::DocumentsPurgedAt,
            Expr::value(core.clock.now()),
        )
        .filter(verifications::Column::Id.eq(verification))
        .exec(&*txn)
        .await?;
    txn.commit().await?;
    Ok(())
}
