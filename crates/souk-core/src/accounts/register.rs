//! Registration of clients and craftsmen.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set,
    sea_query::ExprTrait,
};
use souk_db::{confusable::email_skeleton, entities::users};
use uuid::Uuid;

use super::{
    AuthSession, ClientInfo, Role, recovery, sessions,
    validate::{check_password, normalize_email, normalize_phone, required_text},
};
use crate::{
    Core, Lang,
    admin::activity,
    error::{Error, ErrorCode, FieldErrors, FieldIssue, Result, is_unique_violation},
    integrators::events::{self, DomainEvent, EventType},
    time,
};

/// Registration input as received.
#[derive(Debug, Clone, Default)]
pub struct RegisterInput {
    pub email: Option<String>,
    pub phone: Option<String>,
    pub password: Option<String>,
    pub role: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub language: Option<String>,
}

/// A validated new account.
pub struct NewAccount {
    pub email: String,
    pub phone: Option<String>,
    pub password: String,
    pub role: Role,
    pub first_name: String,
    pub last_name: String,
    pub language: Lang,
}

/// Validates registration input; `fallback_lang` is used when none is given.
pub fn parse_registration(input: RegisterInput, fallback_lang: Lang) -> Result<NewAccount> {
    let mut errors = FieldErrors::new();
    let email = match input.email.as_deref().map(str::trim) {
        None | Some("") => {
            errors.add("email", FieldIssue::Required);
            String::new()
        }
        Some(raw) => normalize_email(raw).unwrap_or_else(|| {
            errors.add("email", FieldIssue::InvalidEmail);
            String::new()
        }),
    };
    let phone = match input.phone.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(raw) => {
            let phone = normalize_phone(raw);
            if phone.is_none() {
                errors.add("phone", FieldIssue::InvalidPhone);
            }
            phone
        }
    };
    let password = input.password.unwrap_or_default();
    if password.is_empty() {
        errors.add("password", FieldIssue::Required);
    } else if let Some(issue) = check_password(&password, Some(&email)) {
        errors.add("password", issue);
    }
    let role = match input.role.as_deref().map(str::trim) {
        None | Some("") => {
            errors.add("role", FieldIssue::Required);
            Role::Client
        }
        Some(word) => match Role::parse(word) {
            Some(role) if role.is_member() => role,
            Some(_) => {
                errors.add("role", FieldIssue::ForbiddenRole);
                Role::Client
            }
            None => {
                errors.add("role", FieldIssue::OneOf(vec!["client", "craftsman"]));
                Role::Client
            }
        },
    };
    let first_name = required_text(&mut errors, "firstName", input.first_name.as_deref(), 100);
    let last_name = required_text(&mut errors, "lastName", input.last_name.as_deref(), 100);
    let language = match input.language.as_deref().map(str::trim) {
        None | Some("") => fallback_lang,
        Some(tag) => Lang::parse(tag).unwrap_or_else(|| {
            errors.add("language", FieldIssue::OneOf(vec!["en", "ar"]));
            fallback_lang
        }),
    };
    errors.into_result()?;
    Ok(NewAccount {
        email,
        phone,
        password,
        role,
        first_name,
        last_name,
        language,
    })
}

/// Creates an account without signing in (also used for staff creation).
pub async fn create_user(
    conn: &impl ConnectionTrait,
    account: &NewAccount,
    password_hash: String,
) -> Result<users::Model> {
    ensure_unique(conn, &account.email, account.phone.as_deref(), None).await?;
    let now = time::now();
    users::ActiveModel {
        id: Set(Uuid::now_v7()),
        email: Set(account.email.clone()),
        email_skeleton: Set(Some(email_skeleton(&account.email))),
        phone: Set(account.phone.clone()),
        password_hash: Set(password_hash),
        role: Set(account.role.as_str().to_owned()),
        first_name: Set(account.first_name.clone()),
        last_name: Set(account.last_name.clone()),
        language: Set(account.language.as_str().to_owned()),
        profile_picture: Set(None),
        bio: Set(None),
        city: Set(None),
        latitude: Set(None),
        longitude: Set(None),
        skills: Set("[]".to_owned()),
        email_verified_at: Set(None),
        banned_at: Set(None),
        ban_reason: Set(None),
        deactivated_at: Set(None),
        deleted_at: Set(None),
        service_radius_km: Set(None),
        available: Set(true),
        verification_status: Set(souk_db::enums::VerificationStatus::Unverified),
        rating_sum: Set(0),
        rating_count: Set(0),
        completed_jobs: Set(0),
        response_time_minutes: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(conn)
    .await
    .map_err(|err| unique_error(&err).unwrap_or_else(|| err.into()))
}

/// Refuses an email or phone already used by another account (409 naming the
/// field). An email that only looks like another account's — the same
/// confusable skeleton, as a Cyrillic `а` for a Latin `a` — is taken too: it
/// would let someone pass for that account (staff above all).
pub async fn ensure_unique(
    conn: &impl ConnectionTrait,
    email: &str,
    phone: Option<&str>,
    except: Option<Uuid>,
) -> Result<()> {
    let mut email_query = users::Entity::find().filter(
        users::Column::Email
            .eq(email)
            .or(users::Column::EmailSkeleton.eq(email_skeleton(email))),
    );
    if let Some(id) = except {
        email_query = email_query.filter(users::Column::Id.ne(id));
    }
    if email_query.count(conn).await? > 0 {
        return Err(taken(ErrorCode::EmailTaken, "email"));
    }
    if let Some(phone) = phone {
        let mut phone_query = users::Entity::find().filter(users::Column::Phone.eq(phone));
        if let Some(id) = except {
            phone_query = phone_query.filter(users::Column::Id.ne(id));
        }
        if phone_query.count(conn).await? > 0 {
            return Err(taken(ErrorCode::PhoneTaken, "phone"));
        }
    }
    Ok(())
}

fn taken(code: ErrorCode, field: &str) -> Error {
    Error::with_details(code, serde_json::json!({ "field": field }))
}

/// Maps a unique violation that slipped past [`ensure_unique`] (a race) to 409.
pub fn unique_error(err: &sea_orm::DbErr) -> Option<Error> {
    if !is_unique_violation(err) {
        return None;
    }
    let text = err.to_string();
    Some(if text.contains("phone") {
        taken(ErrorCode::PhoneTaken, "phone")
    } else {
        taken(ErrorCode::EmailTaken, "email")
    })
}

/// Registers a client or craftsman and signs them in.
pub async fn register(
    core: &Core,
    input: RegisterInput,
    fallback_lang: Lang,
    client: &ClientInfo,
) -> Result<AuthSession> {
    let account = parse_registration(input, fallback_lang)?;
    // Cheap duplicate check before the expensive hash.
    ensure_unique(
        core.db.conn(),
        &account.email,
        account.phone.as_deref(),
        None,
    )
    .await?;
    let hash = core.passwords.hash(&account.password).await?;
    let txn = core.db.begin_write().await?;
    let user = create_user(&*txn, &account, hash).await?;
    let tokens = sessions::start_session(core, &*txn, &user, client).await?;
    recovery::send_verification(core, &*txn, &user).await?;
    crate::money::bonus::grant_signup_bonus(core, &*txn, user.id, account.role).await?;
    activity::record(
        &*txn,
        Some(user.id),
        "user.register",
        "user",
        Some(user.id.to_string()),
        serde_json::json!({ "role": account.role.as_str() }),
    )
    .await?;
    events::record(&*txn, &[registered(&user, account.role)]).await?;
    txn.commit().await?;
    core.outbox_wakeup.notify_one();
    Ok(AuthSession { user, tokens })
}

/// The `user.registered` event: who, as what, since when — never how to
/// reach them (no email, no phone).
fn registered(user: &users::Model, role: Role) -> DomainEvent {
    DomainEvent::new(
        EventType::UserRegistered,
        Some(user.id),
        "user",
        user.id,
        serde_json::json!({
            "id": user.id,
            "role": role.as_str(),
            "createdAt": user.created_at,
        }),
    )
}
