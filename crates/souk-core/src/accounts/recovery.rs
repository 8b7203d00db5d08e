//! Password recovery (link token or 6-digit code, 30 minutes, single use,
//! limited guesses), password change, and email verification.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    sea_query::Expr,
};
use souk_db::entities::{one_time_tokens, users};
use subtle::ConstantTimeEq;
use uuid::Uuid;

use super::{
    AuthSession, Authenticated, ClientInfo, lang_of, mails, sessions, tokens,
    validate::{check_password, normalize_email},
};
use crate::{
    Core,
    error::{Error, ErrorCode, FieldErrors, FieldIssue, Result},
    outbox, time,
};

const PURPOSE_RESET: &str = "password_reset";
const PURPOSE_VERIFY: &str = "verify_email";

/// Mails a reset link and code when the email belongs to an account; says
/// nothing either way (no account enumeration).
pub async fn forgot_password(core: &Core, email: Option<String>) -> Result<()> {
    let email = match email.as_deref().map(str::trim) {
        None | Some("") => {
            return Err(Error::Validation(FieldErrors::single(
                "email",
                FieldIssue::Required,
            )));
        }
        Some(raw) => normalize_email(raw).ok_or_else(|| {
            Error::Validation(FieldErrors::single("email", FieldIssue::InvalidEmail))
        })?,
    };
    let Some(user) = users::Entity::find()
        .filter(users::Column::Email.eq(email))
        .filter(users::Column::DeletedAt.is_null())
        .one(core.db.conn())
        .await?
    else {
        return Ok(());
    };
    let now = time::now();
    let txn = core.db.begin_write().await?;
    burn_open_tokens(&*txn, user.id, PURPOSE_RESET).await?;
    let token = tokens::random_secret();
    let otp = tokens::random_otp();
    let id = Uuid::now_v7();
    let ttl = core.settings.reset_token_ttl;
    one_time_tokens::ActiveModel {
        id: Set(id),
        user_id: Set(user.id),
        purpose: Set(PURPOSE_RESET.to_owned()),
        token_hash: Set(tokens::sha256_hex(&token)),
        otp_hash: Set(Some(tokens::otp_hash(&core.settings.jwt_secret, id, &otp))),
        attempts: Set(0),
        expires_at: Set(now + time::duration(ttl)),
        used_at: Set(None),
        created_at: Set(now),
    }
    .insert(&*txn)
    .await?;
    let link = format!("{}/reset-password?token={token}", core.settings.public_url);
    let mail = mails::password_reset(
        lang_of(&user),
        &user.email,
        &user.first_name,
        &link,
        &otp,
        ttl.as_secs() / 60,
    );
    outbox::enqueue(&*txn, &mail).await?;
    txn.commit().await?;
    core.outbox_wakeup.notify_one();
    Ok(())
}

/// How the caller proves they may reset.
#[derive(Debug, Clone)]
pub enum ResetProof {
    Token(String),
    Otp { email: String, otp: String },
}

/// Sets a new password from a reset link or code; ends every session.
pub async fn reset_password(core: &Core, proof: ResetProof, new_password: &str) -> Result<()> {
    let now = time::now();
    let txn = core.db.begin_write().await?;
    let token_row = match &proof {
        ResetProof::Token(token) => one_time_tokens::Entity::find()
            .filter(one_time_tokens::Column::TokenHash.eq(tokens::sha256_hex(token)))
            .filter(one_time_tokens::Column::Purpose.eq(PURPOSE_RESET))
            .filter(one_time_tokens::Column::UsedAt.is_null())
            .filter(one_time_tokens::Column::ExpiresAt.gt(now))
            .one(&*txn)
            .await?
            .ok_or(Error::code(ErrorCode::InvalidResetToken))?,
        ResetProof::Otp { email, otp } => {
            let row = latest_open_reset(&*txn, email, now).await?;
            let Some(row) = row else {
                return Err(ErrorCode::InvalidOtp.into());
            };
            if row.attempts >= core.settings.otp_max_attempts {
                return Err(ErrorCode::TooManyAttempts.into());
            }
            let expected = row.otp_hash.clone().unwrap_or_default();
            let given = tokens::otp_hash(&core.settings.jwt_secret, row.id, otp.trim());
            if !bool::from(expected.as_bytes().ct_eq(given.as_bytes())) {
                let attempts = row.attempts + 1;
                let mut update = one_time_tokens::Entity::update_many()
                    .col_expr(one_time_tokens::Column::Attempts, Expr::value(attempts))
                    .filter(one_time_tokens::Column::Id.eq(row.id));
                if attempts >= core.settings.otp_max_attempts {
                    update = update.col_expr(one_time_tokens::Column::UsedAt, Expr::value(now));
                }
                update.exec(&*txn).await?;
                txn.commit().await?;
                return Err(if attempts >= core.settings.otp_max_attempts {
                    ErrorCode::TooManyAttempts
                } else {
                    ErrorCode::InvalidOtp
                }
                .into());
            }
            row
        }
    };
    // Validate the new password only once the proof is known good, so a
    // guesser learns nothing from the policy message.
    let user = super::find_user(&*txn, token_row.user_id).await?;
    if let Some(issue) = check_password(new_password, Some(&user.email)) {
        return Err(Error::Validation(FieldErrors::single("newPassword", issue)));
    }
    let consumed = one_time_tokens::Entity::update_many()
        .col_expr(one_time_tokens::Column::UsedAt, Expr::value(now))
        .filter(one_time_tokens::Column::Id.eq(token_row.id))
        .filter(one_time_tokens::Column::UsedAt.is_null())
        .exec(&*txn)
        .await?;
    if consumed.rows_affected != 1 {
        return Err(ErrorCode::InvalidResetToken.into());
    }
    let hash = core.passwords.hash(new_password).await?;
    let mut active: users::ActiveModel = user.clone().into();
    active.password_hash = Set(hash);
    if user.email_verified_at.is_none() {
        // Reading the mail proved the address.
        active.email_verified_at = Set(Some(now));
    }
    active.updated_at = Set(now);
    active.update(&*txn).await?;
    sessions::revoke_all_sessions(&*txn, user.id, "password_reset").await?;
    txn.commit().await?;
    core.outbox_wakeup.notify_one();
    Ok(())
}

async fn latest_open_reset(
    conn: &impl ConnectionTrait,
    email: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Option<one_time_tokens::Model>> {
    let Some(email) = normalize_email(email) else {
        return Ok(None);
    };
    let Some(user) = users::Entity::find()
        .filter(users::Column::Email.eq(email))
        .filter(users::Column::DeletedAt.is_null())
        .one(conn)
        .await?
    else {
        return Ok(None);
    };
    Ok(one_time_tokens::Entity::find()
        .filter(one_time_tokens::Column::UserId.eq(user.id))
        .filter(one_time_tokens::Column::Purpose.eq(PURPOSE_RESET))
        .filter(one_time_tokens::Column::UsedAt.is_null())
        .filter(one_time_tokens::Column::ExpiresAt.gt(now))
        .order_by_desc(one_time_tokens::Column::CreatedAt)
        .one(conn)
        .await?)
}

async fn burn_open_tokens(conn: &impl ConnectionTrait, user_id: Uuid, purpose: &str) -> Result<()> {
    one_time_tokens::Entity::update_many()
        .col_expr(one_time_tokens::Column::UsedAt, Expr::value(time::now()))
        .filter(one_time_tokens::Column::UserId.eq(user_id))
        .filter(one_time_tokens::Column::Purpose.eq(purpose))
        .filter(one_time_tokens::Column::UsedAt.is_null())
        .exec(conn)
        .await?;
    Ok(())
}

/// Changes the password (the current one is required), ends every session and
/// opens a fresh one for the caller.
pub async fn change_password(
    core: &Core,
    caller: &Authenticated,
    current: &str,
    new_password: &str,
    client: &ClientInfo,
) -> Result<AuthSession> {
    let mut errors = FieldErrors::new();
    if current.is_empty() {
        errors.add("currentPassword", FieldIssue::Required);
    }
    if new_password.is_empty() {
        errors.add("newPassword", FieldIssue::Required);
    } else if let Some(issue) = check_password(new_password, Some(&caller.user.email)) {
        errors.add("newPassword", issue);
    }
    errors.into_result()?;
    if !core
        .passwords
        .verify(current, &caller.user.password_hash)
        .await?
    {
        return Err(Error::with_details(
            ErrorCode::WrongPassword,
            serde_json::json!({ "field": "currentPassword" }),
        ));
    }
    let hash = core.passwords.hash(new_password).await?;
    let txn = core.db.begin_write().await?;
    let mut active: users::ActiveModel = caller.user.clone().into();
    active.password_hash = Set(hash);
    active.updated_at = Set(time::now());
    let user = active.update(&*txn).await?;
    sessions::revoke_all_sessions(&*txn, user.id, "password_changed").await?;
    let tokens = sessions::start_session(core, &*txn, &user, client).await?;
    txn.commit().await?;
    core.outbox_wakeup.notify_one();
    Ok(AuthSession { user, tokens })
}

/// Writes a verification token and its mail (inside the caller's transaction).
pub async fn send_verification(
    core: &Core,
    conn: &impl ConnectionTrait,
    user: &users::Model,
) -> Result<()> {
    burn_open_tokens(conn, user.id, PURPOSE_VERIFY).await?;
    let now = time::now();
    let token = tokens::random_secret();
    one_time_tokens::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user.id),
        purpose: Set(PURPOSE_VERIFY.to_owned()),
        token_hash: Set(tokens::sha256_hex(&token)),
        otp_hash: Set(None),
        attempts: Set(0),
        expires_at: Set(now + time::duration(core.settings.verify_token_ttl)),
        used_at: Set(None),
        created_at: Set(now),
    }
    .insert(conn)
    .await?;
    let link = format!("{}/verify-email?token={token}", core.settings.public_url);
    outbox::enqueue(
        conn,
        &mails::verify_email(lang_of(user), &user.email, &user.first_name, &link),
    )
    .await
}

/// Sends a fresh verification mail to a signed-in user whose email is unverified.
pub async fn resend_verification(core: &Core, caller: &Authenticated) -> Result<()> {
    if caller.user.email_verified_at.is_some() {
        return Err(ErrorCode::Conflict.into());
    }
    let txn = core.db.begin_write().await?;
    send_verification(core, &*txn, &caller.user).await?;
    txn.commit().await?;
    core.outbox_wakeup.notify_one();
    Ok(())
}

/// Marks the email of the token's user as verified; the token works once.
pub async fn verify_email(core: &Core, token: &str) -> Result<users::Model> {
    let now = time::now();
    let txn = core.db.begin_write().await?;
    let row = one_time_tokens::Entity::find()
        .filter(one_time_tokens::Column::TokenHash.eq(tokens::sha256_hex(token)))
        .filter(one_time_tokens::Column::Purpose.eq(PURPOSE_VERIFY))
        .filter(one_time_tokens::Column::UsedAt.is_null())
        .filter(one_time_tokens::Column::ExpiresAt.gt(now))
        .one(&*txn)
        .await?
        .ok_or(Error::code(ErrorCode::InvalidVerificationToken))?;
    one_time_tokens::Entity::update_many()
        .col_expr(one_time_tokens::Column::UsedAt, Expr::value(now))
        .filter(one_time_tokens::Column::Id.eq(row.id))
        .exec(&*txn)
        .await?;
    let user = super::find_user(&*txn, row.user_id).await?;
    let mut active: users::ActiveModel = user.into();
    active.email_verified_at = Set(Some(now));
    active.updated_at = Set(now);
    let user = active.update(&*txn).await?;
    txn.commit().await?;
    Ok(user)
}
