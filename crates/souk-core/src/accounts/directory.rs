//! The user directory: public profiles and member search.

use sea_orm::{
    ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait, Func, Query},
};
use std::sync::Arc;

use souk_db::entities::{services, user_skills, users};
use uuid::Uuid;

use super::Role;
use crate::{
    Core,
    catalog::{self, ServiceRef, profile::Profile},
    error::{ErrorCode, Result},
    pagination::{Page, PageRequest},
};

/// A public profile with skills and portfolio (one statement, or none when
/// cached); staff also see hidden (banned, deactivated) accounts.
pub async fn public_profile(core: &Core, viewer: Option<Role>, id: Uuid) -> Result<Arc<Profile>> {
    let found = catalog::profile::profile(core, id)
        .await?
        .filter(|p| p.user.deleted_at.is_none())
        .ok_or(ErrorCode::UserNotFound)?;
    let staff = viewer.is_some_and(Role::is_staff);
    let user = &found.user;
    if !staff && (user.deactivated_at.is_some() || user.banned_at.is_some()) {
        return Err(ErrorCode::UserNotFound.into());
    }
    Ok(found)
}

/// Search filters.
#[derive(Debug, Clone, Default)]
pub struct UserSearch {
    pub q: Option<String>,
    pub role: Option<Role>,
    /// A catalog service id or slug the user lists as a skill.
    pub skill: Option<String>,
    pub banned: Option<bool>,
}

/// Escapes `%`, `_` and `\` for a LIKE pattern.
pub fn like_pattern(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len() + 2);
    escaped.push('%');
    for c in text.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped.push('%');
    escaped
}

fn lower_like(column: users::Column, pattern: &str) -> sea_orm::sea_query::SimpleExpr {
    Expr::expr(Func::lower(Expr::col(column)))
        .like(sea_orm::sea_query::LikeExpr::new(pattern.to_owned()).escape('\\'))
}

/// Users listing a catalog service whose slug or name (either language)
/// matches the pattern.
fn users_with_skill_named(pattern: &str) -> sea_orm::sea_query::SelectStatement {
    Query::select()
        .column((user_skills::Entity, user_skills::Column::UserId))
        .from(user_skills::Entity)
        .inner_join(
            services::Entity,
            Expr::col((services::Entity, services::Column::Id))
                .equals((user_skills::Entity, user_skills::Column::ServiceId)),
        )
        .cond_where(catalog::services::name_matches(pattern))
        .to_owned()
}

/// Searches accounts. Members see active clients and craftsmen only; staff
/// (`include_hidden`) see everyone not erased, and may match emails and phones.
pub async fn search(
    core: &Core,
    filters: UserSearch,
    include_hidden: bool,
    page: PageRequest,
) -> Result<Page<users::Model>> {
    let mut query = users::Entity::find().filter(users::Column::DeletedAt.is_null());
    if !include_hidden {
        query = query
            .filter(users::Column::DeactivatedAt.is_null())
            .filter(users::Column::BannedAt.is_null())
            .filter(users::Column::Role.is_in([Role::Client.as_str(), Role::Craftsman.as_str()]));
    }
    if let Some(q) = filters
        .q
        .as_deref()
        .map(str::trim)
        .filter(|q| !q.is_empty())
    {
        let pattern = like_pattern(q);
        let mut any = Condition::any()
            .add(lower_like(users::Column::FirstName, &pattern))
            .add(lower_like(users::Column::LastName, &pattern))
            .add(lower_like(users::Column::City, &pattern))
            .add(users::Column::Id.in_subquery(users_with_skill_named(&pattern)));
        if include_hidden {
            any = any
                .add(lower_like(users::Column::Email, &pattern))
                .add(lower_like(users::Column::Phone, &pattern));
        }
        query = query.filter(any);
    }
    if let Some(role) = filters.role {
        query = query.filter(users::Column::Role.eq(role.as_str()));
    }
    if let Some(skill) = filters
        .skill
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let service = match ServiceRef::parse(skill) {
            Some(reference) => catalog::services::find(core.db.conn(), &reference).await?,
            None => None,
        };
        let Some(service) = service else {
            return Ok(Page::new(Vec::new(), page, 0));
        };
        let listing = Query::select()
            .column(user_skills::Column::UserId)
            .from(user_skills::Entity)
            .and_where(user_skills::Column::ServiceId.eq(service.id))
            .to_owned();
        query = query.filter(users::Column::Id.in_subquery(listing));
    }
    if let Some(banned) = filters.banned {
        query = query.filter(if banned {
            users::Column::BannedAt.is_not_null()
        } else {
            users::Column::BannedAt.is_null()
        });
    }
    let total = query.clone().count(core.db.conn()).await?;
    let items = query
        .order_by_desc(users::Column::CreatedAt)
        .order_by_desc(users::Column::Id)
        .offset(page.offset())
        .limit(page.limit)
        .all(core.db.conn())
        .await?;
    Ok(Page::new(items, page, total))
}
