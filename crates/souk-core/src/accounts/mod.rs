//! Accounts and sessions: registration, login, token rotation, logout,
//! password recovery, email verification, profiles and the user directory.

mod auth_cache;
pub mod directory;
pub mod login;
mod mails;
pub mod password;
pub mod profile;
pub mod recovery;
pub mod register;
mod role;
pub mod sessions;
pub mod tokens;
pub mod validate;

pub use auth_cache::AuthCache;
pub use password::PasswordHasher;
pub use role::Role;
pub use sessions::{AuthSession, Authenticated, ClientInfo, IssuedTokens};
pub use tokens::JwtKeys;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use souk_db::entities::users;
use uuid::Uuid;

use crate::error::{Error, ErrorCode, Result};

/// The role stored on a user row (unknown words fall back to client).
pub fn role_of(user: &users::Model) -> Role {
    Role::parse(&user.role).unwrap_or(Role::Client)
}

/// The language stored on a user row.
pub fn lang_of(user: &users::Model) -> crate::Lang {
    crate::Lang::parse(&user.language).unwrap_or_default()
}

/// Loads a user that has not been erased, or 404.
pub async fn find_user(conn: &impl ConnectionTrait, id: Uuid) -> Result<users::Model> {
    users::Entity::find_by_id(id)
        .filter(users::Column::DeletedAt.is_null())
        .one(conn)
        .await?
        .ok_or(Error::code(ErrorCode::UserNotFound))
}

/// The user's row as stored now (the authentication cache may hold an older
/// copy whose counters — completed jobs, ratings — have moved on).
pub async fn fresh_user(core: &crate::Core, cached: users::Model) -> Result<users::Model> {
    Ok(users::Entity::find_by_id(cached.id)
        .one(core.db.conn())
        .await?
        .unwrap_or(cached))
}
