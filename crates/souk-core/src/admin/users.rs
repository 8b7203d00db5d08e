//! Staff actions on accounts: create staff, ban, unban, change role, erase.
//! Moderators may ban and unban members; everything else here is admin-only.

use sea_orm::{ActiveModelTrait, Set};
use souk_db::entities::users as user_rows;
use uuid::Uuid;

use super::activity;
use crate::{
    Core, Lang,
    accounts::{
        Authenticated, Role, find_user, register, role_of, sessions, validate::required_text,
    },
    catalog,
    error::{Error, ErrorCode, FieldErrors, FieldIssue, Result},
    outbox::{self, OutboxMessage},
    time,
};

/// Input for creating a staff account.
#[derive(Debug, Clone, Default)]
pub struct CreateStaffInput {
    pub email: Option<String>,
    pub password: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub role: Option<String>,
    pub language: Option<String>,
}

/// Creates an admin or moderator (admins only).
pub async fn create_staff(
    core: &Core,
    caller: &Authenticated,
    input: CreateStaffInput,
) -> Result<user_rows::Model> {
    caller.require_admin()?;
    let role = match input.role.as_deref().map(str::trim) {
        None | Some("") => Role::Moderator,
        Some(word) => match Role::parse(word) {
            Some(role) if role.is_staff() => role,
            _ => {
                return Err(Error::Validation(FieldErrors::single(
                    "role",
                    FieldIssue::OneOf(vec!["admin", "moderator"]),
                )));
            }
        },
    };
    let account = register::parse_registration(
        register::RegisterInput {
            email: input.email,
            phone: None,
            password: input.password,
            role: Some("client".into()),
            first_name: input.first_name,
            last_name: input.last_name,
            language: input.language,
        },
        Lang::En,
    )?;
    let account = register::NewAccount { role, ..account };
    let hash = core.passwords.hash(&account.password).await?;
    let txn = core.db.begin_write().await?;
    let user = register::create_user(&*txn, &account, hash).await?;
    activity::record(
        &*txn,
        Some(caller.user.id),
        "admin.create_staff",
        "user",
        Some(user.id.to_string()),
        serde_json::json!({ "role": role.as_str(), "email": user.email }),
    )
    .await?;
    txn.commit().await?;
    Ok(user)
}

/// Creates or updates a staff account from the environment or the CLI
/// (idempotent): the role, password and an unbanned, active state are set.
pub async fn ensure_staff_account(
    core: &Core,
    email: &str,
    password: &str,
    role: Role,
) -> Result<user_rows::Model> {
    if !role.is_staff() {
        return Err(ErrorCode::StaffOnly.into());
    }
    let account = register::parse_registration(
        register::RegisterInput {
            email: Some(email.to_owned()),
            password: Some(password.to_owned()),
            role: Some("client".into()),
            first_name: Some("Admin".into()),
            last_name: Some("Souk".into()),
            ..Default::default()
        },
        Lang::En,
    )?;
    let existing = {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        user_rows::Entity::find()
            .filter(user_rows::Column::Email.eq(account.email.clone()))
            .one(core.db.conn())
            .await?
    };
    let hash = match &existing {
        Some(user) if core.passwords.verify(password, &user.password_hash).await? => {
            user.password_hash.clone()
        }
        _ => core.passwords.hash(password).await?,
    };
    let txn = core.db.begin_write().await?;
    let user = match existing {
        Some(user) => {
            let mut active: user_rows::ActiveModel = user.into();
            active.role = Set(role.as_str().to_owned());
            active.password_hash = Set(hash);
            active.banned_at = Set(None);
            active.ban_reason = Set(None);
            active.deleted_at = Set(None);
            active.deactivated_at = Set(None);
            active.updated_at = Set(time::now());
            active.update(&*txn).await?
        }
        None => {
            let account = register::NewAccount { role, ..account };
            let user = register::create_user(&*txn, &account, hash).await?;
            activity::record(
                &*txn,
                None,
                "admin.bootstrap",
                "user",
                Some(user.id.to_string()),
                serde_json::json!({ "email": user.email }),
            )
            .await?;
            user
        }
    };
    txn.commit().await?;
    Ok(user)
}

/// Bans a user with a reason; their sessions end at once.
pub async fn ban(
    core: &Core,
    caller: &Authenticated,
    target: Uuid,
    reason: Option<String>,
) -> Result<user_rows::Model> {
    caller.require_staff()?;
    let mut errors = FieldErrors::new();
    let reason = required_text(&mut errors, "reason", reason.as_deref(), 500);
    errors.into_result()?;
    if target == caller.user.id {
        return Err(ErrorCode::CannotTargetSelf.into());
    }
    let txn = core.db.begin_write().await?;
    let user = find_user(&*txn, target).await?;
    if role_of(&user).is_staff() && caller.role != Role::Admin {
        return Err(ErrorCode::AdminOnly.into());
    }
    if user.banned_at.is_some() {
        return Err(ErrorCode::AlreadyBanned.into());
    }
    let now = time::now();
    let mut active: user_rows::ActiveModel = user.into();
    active.banned_at = Set(Some(now));
    active.ban_reason = Set(Some(reason.clone()));
    active.updated_at = Set(now);
    let user = active.update(&*txn).await?;
    let ended = sessions::revoke_all_sessions(&*txn, user.id, "banned").await?;
    activity::record(
        &*txn,
        Some(caller.user.id),
        "admin.ban",
        "user",
        Some(user.id.to_string()),
        serde_json::json!({ "reason": reason, "sessionsEnded": ended }),
    )
    .await?;
    txn.commit().await?;
    core.outbox_wakeup.notify_one();
    Ok(user)
}

/// Lifts a ban.
pub async fn unban(core: &Core, caller: &Authenticated, target: Uuid) -> Result<user_rows::Model> {
    caller.require_staff()?;
    let txn = core.db.begin_write().await?;
    let user = find_user(&*txn, target).await?;
    if role_of(&user).is_staff() && caller.role != Role::Admin {
        return Err(ErrorCode::AdminOnly.into());
    }
    if user.banned_at.is_none() {
        return Err(ErrorCode::NotBanned.into());
    }
    let mut active: user_rows::ActiveModel = user.into();
    active.banned_at = Set(None);
    active.ban_reason = Set(None);
    active.updated_at = Set(time::now());
    let user = active.update(&*txn).await?;
    activity::record(
        &*txn,
        Some(caller.user.id),
        "admin.unban",
        "user",
        Some(user.id.to_string()),
        serde_json::json!({}),
    )
    .await?;
    txn.commit().await?;
    Ok(user)
}

/// Changes a user's role (admins only, never their own).
pub async fn set_role(
    core: &Core,
    caller: &Authenticated,
    target: Uuid,
    role: Option<String>,
) -> Result<user_rows::Model> {
    caller.require_admin()?;
    let role = role.as_deref().and_then(Role::parse).ok_or_else(|| {
        Error::Validation(FieldErrors::single(
            "role",
            FieldIssue::OneOf(vec!["client", "craftsman", "admin", "moderator"]),
        ))
    })?;
    if target == caller.user.id {
        return Err(ErrorCode::CannotTargetSelf.into());
    }
    let txn = core.db.begin_write().await?;
    let user = find_user(&*txn, target).await?;
    let previous = user.role.clone();
    let mut active: user_rows::ActiveModel = user.into();
    active.role = Set(role.as_str().to_owned());
    active.updated_at = Set(time::now());
    let user = active.update(&*txn).await?;
    activity::record(
        &*txn,
        Some(caller.user.id),
        "admin.set_role",
        "user",
        Some(user.id.to_string()),
        serde_json::json!({ "from": previous, "to": role.as_str() }),
    )
    .await?;
    // Sockets were let in as the old role: they reconnect as the new one.
    outbox::enqueue(
        &*txn,
        &OutboxMessage::EndSession {
            user: user.id,
            session: None,
        },
    )
    .await?;
    txn.commit().await?;
    core.outbox_wakeup.notify_one();
    Ok(user)
}

/// Erases a user's personal data (admins only), skills and portfolio
/// included. The row stays, anonymised,
/// so that history that refers to it (later: the ledger) remains whole.
pub async fn erase(core: &Core, caller: &Authenticated, target: Uuid) -> Result<()> {
    caller.require_admin()?;
    if target == caller.user.id {
        return Err(ErrorCode::CannotTargetSelf.into());
    }
    let scrambled = core
        .passwords
        .hash(&crate::accounts::tokens::random_secret())
        .await?;
    let txn = core.db.begin_write().await?;
    let user = find_user(&*txn, target).await?;
    let picture = user.profile_picture.clone();
    let now = time::now();
    let mut active: user_rows::ActiveModel = user.into();
    let erased_email = format!("deleted-{target}@deleted.invalid");
    active.email_skeleton = Set(Some(souk_db::confusable::email_skeleton(&erased_email)));
    active.email = Set(erased_email);
    active.phone = Set(None);
    active.password_hash = Set(scrambled);
    active.first_name = Set("Deleted".into());
    active.last_name = Set("User".into());
    active.profile_picture = Set(None);
    active.bio = Set(None);
    active.city = Set(None);
    active.latitude = Set(None);
    active.longitude = Set(None);
    active.skills = Set("[]".into());
    active.service_radius_km = Set(None);
    active.available = Set(false);
    active.deleted_at = Set(Some(now));
    active.updated_at = Set(now);
    active.update(&*txn).await?;
    let portfolio = catalog::profile::remove_all(&*txn, target).await?;
    sessions::revoke_all_sessions(&*txn, target, "erased").await?;
    activity::record(
        &*txn,
        Some(caller.user.id),
        "admin.delete_user",
        "user",
        Some(target.to_string()),
        serde_json::json!({}),
    )
    .await?;
    txn.commit().await?;
    core.outbox_wakeup.notify_one();
    if let Some(key) = picture
        && let Err(err) = core.storage.delete(&key).await
    {
        tracing::warn!(file.key = %key, error = %err, "could not delete an erased user's avatar");
    }
    for key in portfolio {
        if let Err(err) = core.storage.delete(&key).await {
            tracing::warn!(file.key = %key, error = %err, "could not delete an erased user's portfolio image");
        }
    }
    Ok(())
}
