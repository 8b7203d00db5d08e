//! Craftsman profile data that lives beside the user row: catalog skills and
//! portfolio images, loaded for one user or a page of users at once.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use souk_db::entities::{portfolio_images, services, user_skills};
use uuid::Uuid;

use crate::error::Result;

/// A user's skills (catalog services, in catalog order) and portfolio
/// (oldest first).
#[derive(Debug, Clone, Default)]
pub struct ProfileExtras {
    pub skills: Vec<services::Model>,
    pub portfolio: Vec<portfolio_images::Model>,
}

/// The extras of one user.
pub async fn extras_of(conn: &impl ConnectionTrait, user_id: Uuid) -> Result<ProfileExtras> {
    Ok(extras_for(conn, &[user_id])
        .await?
        .remove(&user_id)
        .unwrap_or_default())
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
