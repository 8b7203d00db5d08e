//! Craftsman profile data that lives beside the user row: catalog skills and
//! portfolio images, loaded for one user or a page of users at once; and a
//! whole profile (the row with both) in one statement, for the hot profile
//! reads.

use std::{collections::HashMap, sync::Arc};

use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QueryOrder, Statement,
};
use souk_db::entities::{portfolio_images, services, user_skills, users};
use uuid::Uuid;

use crate::{Core, error::Result};

pub use crate::records::{Profile, ProfileExtras};

/// The user row, then one row per skill (with its catalog service) and per
/// portfolio image: `x_part` 1 and 2, the image's key in `x_slug`. Written
/// once for both engines (SQLite reads `$1` as one parameter wherever it
/// appears). Sorted afterwards: a profile has a few dozen rows at most.
const PROFILE_SQL: &str = include_str!("profile.sql");

/// A user's profile — row, skills and portfolio — in one statement, or
/// from the cache while nothing has been written since it was read (where
/// the database's data generation vouches for that; see
/// `souk_db::Db::data_generation`). `None` when there is no such user.
pub async fn profile(core: &Core, user_id: Uuid) -> Result<Option<Arc<Profile>>> {
    let generation = core.db.data_generation();
    if let Some(found) = generation.and_then(|g| core.profile_cache.get(&user_id, g)) {
        return Ok(Some(found));
    }
    let rows = core
        .db
        .conn()
        .query_all_raw(Statement::from_sql_and_values(
            core.db.backend(),
            PROFILE_SQL,
            [user_id.into()],
        ))
        .await?;
    let Some(first) = rows.first() else {
        return Ok(None);
    };
    let user = users::Model::from_query_result(first, "")?;
    let mut extras = ProfileExtras::default();
    for row in &rows {
        match row.try_get::<Option<i32>>("", "x_part")? {
            Some(1) => extras
                .skills
                .push(services::Model::from_query_result(row, "x_")?),
            Some(2) => extras.portfolio.push(portfolio_images::Model {
                id: row.try_get("", "x_id")?,
                user_id,
                file_key: row.try_get("", "x_slug")?,
                created_at: row.try_get("", "x_created_at")?,
            }),
            _ => {}
        }
    }
    extras
        .skills
        .sort_by(|a, b| (a.sort_order, &a.slug).cmp(&(b.sort_order, &b.slug)));
    extras
        .portfolio
        .sort_by_key(|image| (image.created_at, image.id));
    let found = Arc::new(Profile { user, extras });
    if let Some(generation) = generation {
        core.profile_cache.put(user_id, generation, found.clone());
    }
    Ok(Some(found))
}

/// The extras of several users (users without any are left out of the map).
pub async fn extras_for(
    conn: &impl ConnectionTrait,
    user_ids: &[Uuid],
) -> Result<HashMap<Uuid, ProfileExtras>> {
    let mut out: HashMap<Uuid, ProfileExtras> = HashMap::new();
    if user_ids.is_empty() {
        return Ok(out);
    }
    let links = user_skills::Entity::find()
        .filter(user_skills::Column::UserId.is_in(user_ids.iter().copied()))
        .all(conn)
        .await?;
    if !links.is_empty() {
        let mut service_ids: Vec<Uuid> = links.iter().map(|l| l.service_id).collect();
        service_ids.sort_unstable();
        service_ids.dedup();
        let found = services::Entity::find()
            .filter(services::Column::Id.is_in(service_ids))
            .order_by_asc(services::Column::SortOrder)
            .order_by_asc(services::Column::Slug)
            .all(conn)
            .await?;
        for service in found {
            for link in links.iter().filter(|l| l.service_id == service.id) {
                out.entry(link.user_id)
                    .or_default()
                    .skills
                    .push(service.clone());
            }
        }
    }
    let images = portfolio_images::Entity::find()
        .filter(portfolio_images::Column::UserId.is_in(user_ids.iter().copied()))
        .order_by_asc(portfolio_images::Column::CreatedAt)
        .order_by_asc(portfolio_images::Column::Id)
        .all(conn)
        .await?;
    for image in images {
        out.entry(image.user_id).or_default().portfolio.push(image);
    }
    Ok(out)
}

/// Removes a user's skills and portfolio rows (inside the caller's
/// transaction) and returns the portfolio file keys to delete after commit.
pub async fn remove_all(conn: &impl ConnectionTrait, user_id: Uuid) -> Result<Vec<String>> {
    let keys = portfolio_images::Entity::find()
        .filter(portfolio_images::Column::UserId.eq(user_id))
        .all(conn)
        .await?
        .into_iter()
        .map(|image| image.file_key)
        .collect();
    portfolio_images::Entity::delete_many()
        .filter(portfolio_images::Column::UserId.eq(user_id))
        .exec(conn)
        .await?;
    user_skills::Entity::delete_many()
        .filter(user_skills::Column::UserId.eq(user_id))
        .exec(conn)
        .await?;
    Ok(keys)
}
