//! Reading verifications: the craftsman's own (status, the latest
//! submission's documents, history) and the staff queue.

use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use souk_db::{
    entities::{verification_documents, verifications},
    enums::VerificationStatus,
};
use uuid::Uuid;

use crate::{
    Core,
    accounts::Authenticated,
    error::{ErrorCode, Result},
    pagination::{Page, PageRequest},
};

/// A submission with its documents (none once purged).
#[derive(Debug, Clone)]
pub struct Submission {
    pub verification: verifications::Model,
    pub documents: Vec<verification_documents::Model>,
}

/// A craftsman's verification as they see it.
#[derive(Debug, Clone)]
pub struct Mine {
    pub status: VerificationStatus,
    /// The latest submission.
    pub latest: Option<Submission>,
    /// Every submission, newest first.
    pub history: Vec<verifications::Model>,
}

async fn documents(core: &Core, verification: Uuid) -> Result<Vec<verification_documents::Model>> {
    Ok(verification_documents::Entity::find()
        .filter(verification_documents::Column::VerificationId.eq(verification))
        .order_by_asc(verification_documents::Column::CreatedAt)
        .all(core.db.conn())
        .await?)
}

/// `GET /api/users/craftsman/verification`.
pub async fn mine(core: &Core, caller: &Authenticated) -> Result<Mine> {
    of(core, caller.user.id, caller.user.verification_status).await
}

/// A craftsman's verification, their status being `status`.
pub async fn of(core: &Core, user: Uuid, status: VerificationStatus) -> Result<Mine> {
    let history = verifications::Entity::find()
        .filter(verifications::Column::UserId.eq(user))
        .order_by_desc(verifications::Column::CreatedAt)
        .limit(50)
        .all(core.db.conn())
        .await?;
    let latest = match history.first() {
        Some(v) => Some(Submission {
            documents: documents(core, v.id).await?,
            verification: v.clone(),
        }),
        None => None,
    };
    Ok(Mine {
        status,
        latest,
        history,
    })
}

/// `GET /api/admin/verifications/:id` (staff).
pub async fn one(core: &Core, caller: &Authenticated, id: Uuid) -> Result<Submission> {
    caller.require_staff()?;
    let verification = verifications::Entity::find_by_id(id)
        .one(core.db.conn())
        .await?
        .ok_or(ErrorCode::NotFound)?;
    Ok(Submission {
        documents: documents(core, id).await?,
        verification,
    })
}

/// `GET /api/admin/verifications?status=` (staff), oldest first.
pub async fn queue(
    core: &Core,
    caller: &Authenticated,
    status: Option<VerificationStatus>,
    page: PageRequest,
) -> Result<Page<verifications::Model>> {
    caller.require_staff()?;
    let mut query = verifications::Entity::find();
    if let Some(status) = status {
        query = query.filter(verifications::Column::Status.eq(status));
    }
    let total = query.clone().count(core.db.conn()).await?;
    let items = query
        .order_by_asc(verifications::Column::CreatedAt)
        .order_by_asc(verifications::Column::Id)
        .offset(page.offset())
        .limit(page.limit)
        .all(core.db.conn())
        .await?;
    Ok(Page::new(items, page, total))
}
