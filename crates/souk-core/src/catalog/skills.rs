//! A craftsman's skills (catalog services) and availability.

use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
use souk_db::entities::{services, user_skills, users};
use uuid::Uuid;

use super::services::ServiceRef;
use crate::{
    Core,
    accounts::{Authenticated, Role},
    error::{Error, ErrorCode, FieldErrors, FieldIssue, Result},
    time,
};

/// Most skills one craftsman may list.
pub const MAX_SKILLS: usize = 20;

fn require_craftsman(caller: &Authenticated) -> Result<()> {
    if caller.role == Role::Craftsman {
        Ok(())
    } else {
        Err(ErrorCode::Forbidden.into())
    }
}

/// Replaces the caller's skills with these services (ids or slugs; each
/// must be an active catalog service; duplicates are merged). Craftsmen only.
pub async fn set_skills(
    core: &Core,
    caller: &Authenticated,
    refs: Vec<String>,
) -> Result<users::Model> {
    require_craftsman(caller)?;
    let mut errors = FieldErrors::new();
    if refs.len() > MAX_SKILLS {
        errors.add(
            "skills",
            FieldIssue::out_of_range(0, i64::try_from(MAX_SKILLS).unwrap_or(i64::MAX)),
        );
        return Err(Error::Validation(errors));
    }
    let catalog = services::Entity::find()
        .filter(services::Column::Active.eq(true))
        .all(core.db.conn())
        .await?;
    // (position in the request, service id), first mention wins.
    let mut chosen: Vec<(usize, Uuid)> = Vec::new();
    for (i, raw) in refs.iter().enumerate() {
        let found = ServiceRef::parse(raw).and_then(|reference| {
            catalog.iter().find(|s| match &reference {
                ServiceRef::Id(id) => s.id == *id,
                ServiceRef::Slug(slug) => s.slug == *slug,
            })
        });
        match found {
            Some(service) if !chosen.iter().any(|(_, id)| *id == service.id) => {
                chosen.push((i, service.id));
            }
            Some(_) => {}
            None => errors.add(format!("skills[{i}]"), FieldIssue::Invalid),
        }
    }
    errors.into_result()?;
    let txn = core.db.begin_write().await?;
    // Re-checked inside the transaction: a service archived meanwhile is refused.
    let still_active = services::Entity::find()
        .filter(services::Column::Id.is_in(chosen.iter().map(|(_, id)| *id)))
        .filter(services::Column::Active.eq(true))
        .all(&*txn)
        .await?;
    if still_active.len() != chosen.len() {
        let mut errors = FieldErrors::new();
        for (i, id) in &chosen {
            if !still_active.iter().any(|s| s.id == *id) {
                errors.add(format!("skills[{i}]"), FieldIssue::Invalid);
            }
        }
        return Err(Error::Validation(errors));
    }
    user_skills::Entity::delete_many()
        .filter(user_skills::Column::UserId.eq(caller.user.id))
        .exec(&*txn)
        .await?;
    if !chosen.is_empty() {
        user_skills::Entity::insert_many(chosen.iter().map(|(_, id)| user_skills::ActiveModel {
            user_id: Set(caller.user.id),
            service_id: Set(*id),
        }))
        .exec_without_returning(&*txn)
        .await?;
    }
    let mut user: users::ActiveModel = caller.user.clone().into();
    user.updated_at = Set(time::now());
    let user = user.update(&*txn).await?;
    txn.commit().await?;
    Ok(user)
}

/// Says whether the caller takes new work. Craftsmen only.
pub async fn set_availability(
    core: &Core,
    caller: &Authenticated,
    available: bool,
) -> Result<users::Model> {
    require_craftsman(caller)?;
    let txn = core.db.begin_write().await?;
    let mut user: users::ActiveModel = caller.user.clone().into();
    user.available = Set(available);
    user.updated_at = Set(time::now());
    let user = user.update(&*txn).await?;
    txn.commit().await?;
    Ok(user)
}
