//! Login by email or phone; `type` says which door (clients or admins).

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
use souk_db::entities::users;

use super::{
    AuthSession, ClientInfo, role_of, sessions,
    validate::{normalize_email, normalize_phone},
};
use crate::{
    Core,
    error::{ErrorCode, FieldErrors, FieldIssue, Result},
    time,
};

/// Which app is signing in: member apps or the staff dashboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginType {
    Clients,
    Admins,
}

/// Login input as received.
#[derive(Debug, Clone, Default)]
pub struct LoginInput {
    pub login_identifier: Option<String>,
    pub password: Option<String>,
    pub login_type: Option<String>,
}

/// Checks credentials and opens a session. Wrong identifier and wrong
/// password answer the same, in about the same time.
pub async fn login(core: &Core, input: LoginInput, client: &ClientInfo) -> Result<AuthSession> {
    let mut errors = FieldErrors::new();
    let identifier = input.login_identifier.unwrap_or_default().trim().to_owned();
    if identifier.is_empty() {
        errors.add("loginIdentifier", FieldIssue::Required);
    }
    let password = input.password.unwrap_or_default();
    if password.is_empty() {
        errors.add("password", FieldIssue::Required);
    }
    let login_type = match input.login_type.as_deref().map(str::trim) {
        None | Some("") => LoginType::Clients,
        Some(word) => match word.to_ascii_lowercase().as_str() {
            "clients" | "client" => LoginType::Clients,
            "admins" | "admin" => LoginType::Admins,
            _ => {
                errors.add("type", FieldIssue::OneOf(vec!["clients", "admins"]));
                LoginType::Clients
            }
        },
    };
    errors.into_result()?;

    let filter = if identifier.contains('@') {
        normalize_email(&identifier).map(|email| users::Column::Email.eq(email))
    } else if login_type == LoginType::Clients {
        normalize_phone(&identifier).map(|phone| users::Column::Phone.eq(phone))
    } else {
        None
    };
    let user = match filter {
        Some(filter) => {
            users::Entity::find()
                .filter(filter)
                .filter(users::Column::DeletedAt.is_null())
                .one(core.db.conn())
                .await?
        }
        None => None,
    };
    let Some(user) = user else {
        core.passwords.verify_dummy(&password).await?;
        return Err(ErrorCode::InvalidCredentials.into());
    };
    if !core
        .passwords
        .verify(&password, &user.password_hash)
        .await?
    {
        return Err(ErrorCode::InvalidCredentials.into());
    }
    if user.banned_at.is_some() {
        return Err(sessions::banned_error(&user));
    }
    let role = role_of(&user);
    let door_fits = match login_type {
        LoginType::Clients => role.is_member(),
        LoginType::Admins => role.is_staff(),
    };
    if !door_fits {
        return Err(ErrorCode::WrongLoginType.into());
    }

    let txn = core.db.begin_write().await?;
    let user = if user.deactivated_at.is_some() {
        // Signing in again reactivates a self-deactivated account.
        users::Entity::update_many()
            .col_expr(
                users::Column::DeactivatedAt,
                Expr::value(Option::<chrono::DateTime<chrono::Utc>>::None),
            )
            .col_expr(users::Column::UpdatedAt, Expr::value(time::now()))
            .filter(users::Column::Id.eq(user.id))
            .exec(&*txn)
            .await?;
        users::Model {
            deactivated_at: None,
            ..user
        }
    } else {
        user
    };
    let tokens = sessions::start_session(core, &*txn, &user, client).await?;
    txn.commit().await?;
    Ok(AuthSession { user, tokens })
}
