//! Sessions: an access JWT plus an opaque refresh token, rotated on every use.
//! Presenting a rotated-out refresh token revokes the whole session (family).
//! Every authenticated request checks its session is live, so logout, bans
//! and password changes take effect at once; every revocation also queues
//! (in its transaction) the disconnection of the session's sockets.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect,
    QueryTrait, Set,
    sea_query::{Expr, Query},
};
use souk_db::entities::{refresh_tokens, sessions, users};
use uuid::Uuid;

use super::{Role, role_of, tokens};
use crate::{
    Core,
    error::{Error, ErrorCode, Result},
    outbox::{self, OutboxMessage},
    time,
};

/// Tokens handed to a client.
#[derive(Debug, Clone)]
pub struct IssuedTokens {
    pub access_token: String,
    pub refresh_token: String,
    /// Seconds until the access token expires.
    pub expires_in: u64,
}

/// A user with a fresh set of tokens.
#[derive(Debug, Clone)]
pub struct AuthSession {
    pub user: users::Model,
    pub tokens: IssuedTokens,
}

/// Where a request came from, kept on the session for the user's own review.
#[derive(Debug, Clone, Default)]
pub struct ClientInfo {
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

/// The caller of an authenticated request.
#[derive(Debug, Clone)]
pub struct Authenticated {
    pub user: users::Model,
    pub role: Role,
    pub session_id: Uuid,
}

impl Authenticated {
    /// Admins only (moderators get 403 `admin_only`).
    pub fn require_admin(&self) -> Result<()> {
        if self.role == Role::Admin {
            Ok(())
        } else {
            Err(ErrorCode::AdminOnly.into())
        }
    }

    /// Staff only: admins and moderators (others get 403 `staff_only`).
    pub fn require_staff(&self) -> Result<()> {
        if self.role.is_staff() {
            Ok(())
        } else {
            Err(ErrorCode::StaffOnly.into())
        }
    }
}

/// Opens a new session for `user` inside `conn`'s transaction.
pub async fn start_session(
    core: &Core,
    conn: &impl ConnectionTrait,
    user: &users::Model,
    client: &ClientInfo,
) -> Result<IssuedTokens> {
    let now = time::now();
    let expires = now + time::duration(core.settings.refresh_token_ttl);
    let session_id = Uuid::now_v7();
    sessions::ActiveModel {
        id: Set(session_id),
        user_id: Set(user.id),
        created_at: Set(now),
        last_seen_at: Set(now),
        expires_at: Set(expires),
        revoked_at: Set(None),
        revoked_reason: Set(None),
        user_agent: Set(client
            .user_agent
            .clone()
            .map(|ua| ua.chars().take(512).collect())),
        ip: Set(client.ip.clone()),
    }
    .insert(conn)
    .await?;
    issue_tokens(core, conn, user, session_id, now, expires).await
}

async fn issue_tokens(
    core: &Core,
    conn: &impl ConnectionTrait,
    user: &users::Model,
    session_id: Uuid,
    now: DateTime<Utc>,
    refresh_expires: DateTime<Utc>,
) -> Result<IssuedTokens> {
    let refresh_token = tokens::random_secret();
    refresh_tokens::ActiveModel {
        id: Set(Uuid::now_v7()),
        session_id: Set(session_id),
        token_hash: Set(tokens::sha256_hex(&refresh_token)),
        created_at: Set(now),
        expires_at: Set(refresh_expires),
        rotated_at: Set(None),
    }
    .insert(conn)
    .await?;
    let ttl = core.settings.access_token_ttl;
    let access_token = core.jwt.issue(
        user.id,
        role_of(user),
        session_id,
        now,
        now + time::duration(ttl),
    )?;
    Ok(IssuedTokens {
        access_token,
        refresh_token,
        expires_in: ttl.as_secs(),
    })
}

/// Exchanges a refresh token for a new pair; reuse of a rotated-out token
/// revokes its session.
pub async fn refresh(core: &Core, refresh_token: &str) -> Result<AuthSession> {
    let now = time::now();
    let txn = core.db.begin_write().await?;
    let Some(token) = refresh_tokens::Entity::find()
        .filter(refresh_tokens::Column::TokenHash.eq(tokens::sha256_hex(refresh_token)))
        .one(&*txn)
        .await?
    else {
        return Err(ErrorCode::InvalidRefreshToken.into());
    };
    let session = sessions::Entity::find_by_id(token.session_id)
        .one(&*txn)
        .await?
        .ok_or(Error::code(ErrorCode::InvalidRefreshToken))?;
    if session.revoked_at.is_some() || session.expires_at <= now || token.expires_at <= now {
        return Err(ErrorCode::InvalidRefreshToken.into());
    }
    // Rotate with a guarded update so two concurrent uses cannot both win.
    let rotated = refresh_tokens::Entity::update_many()
        .col_expr(refresh_tokens::Column::RotatedAt, Expr::value(now))
        .filter(refresh_tokens::Column::Id.eq(token.id))
        .filter(refresh_tokens::Column::RotatedAt.is_null())
        .exec(&*txn)
        .await?;
    if token.rotated_at.is_some() || rotated.rows_affected != 1 {
        revoke_session_in(&*txn, session.id, "refresh_token_reused").await?;
        txn.commit().await?;
        core.outbox_wakeup.notify_one();
        tracing::warn!(session.id = %session.id, user.id = %session.user_id, "refresh token reuse: session revoked");
        return Err(ErrorCode::RefreshTokenReused.into());
    }
    let user = users::Entity::find_by_id(session.user_id)
        .one(&*txn)
        .await?
        .filter(|u| u.deleted_at.is_none() && u.banned_at.is_none())
        .ok_or(Error::code(ErrorCode::InvalidRefreshToken))?;
    let expires = now + time::duration(core.settings.refresh_token_ttl);
    sessions::Entity::update_many()
        .col_expr(sessions::Column::LastSeenAt, Expr::value(now))
        .col_expr(sessions::Column::ExpiresAt, Expr::value(expires))
        .filter(sessions::Column::Id.eq(session.id))
        .exec(&*txn)
        .await?;
    let tokens = issue_tokens(core, &*txn, &user, session.id, now, expires).await?;
    txn.commit().await?;
    Ok(AuthSession { user, tokens })
}

/// Ends one session (logout); its sockets are disconnected after the
/// commit, on every node.
pub async fn revoke_session(core: &Core, session_id: Uuid, reason: &str) -> Result<()> {
    let txn = core.db.begin_write().await?;
    revoke_session_in(&*txn, session_id, reason).await?;
    txn.commit().await?;
    core.outbox_wakeup.notify_one();
    Ok(())
}

async fn revoke_session_in(
    conn: &impl ConnectionTrait,
    session_id: Uuid,
    reason: &str,
) -> Result<()> {
    revoke_where(conn, RevokeBy::Session, session_id, reason).await?;
    Ok(())
}

/// Ends every live session of a user (ban, password change, reset, erase,
/// deactivation) and queues the disconnection of their sockets; the caller
/// pokes `core.outbox_wakeup` after its commit.
pub async fn revoke_all_sessions(
    conn: &impl ConnectionTrait,
    user_id: Uuid,
    reason: &str,
) -> Result<u64> {
    let ended = revoke_where(conn, RevokeBy::User, user_id, reason).await?;
    Ok(u64::try_from(ended).unwrap_or(u64::MAX))
}

/// Which sessions [`revoke_where`] ends.
enum RevokeBy {
    Session,
    User,
}

/// Revokes the live sessions whose `column` is `value` and writes, in the
/// same transaction, one outbox row per ended session that disconnects its
/// sockets once the revocation is committed (`UPDATE … RETURNING`, one
/// statement on both engines). Returns how many ended.
async fn revoke_where(
    conn: &impl ConnectionTrait,
    column: RevokeBy,
    value: Uuid,
    reason: &str,
) -> Result<usize> {
    let column = match column {
        RevokeBy::Session => sessions::Column::Id,
        RevokeBy::User => sessions::Column::UserId,
    };
    let mut update = sessions::Entity::update_many()
        .col_expr(sessions::Column::RevokedAt, Expr::value(time::now()))
        .col_expr(sessions::Column::RevokedReason, Expr::value(reason))
        .filter(column.eq(value))
        .filter(sessions::Column::RevokedAt.is_null())
        .into_query();
    update.returning(Query::returning().columns([sessions::Column::Id, sessions::Column::UserId]));
    let rows = conn.query_all(&update).await?;
    let ended = rows
        .iter()
        .map(|row| {
            Ok(OutboxMessage::EndSession {
                session: Some(row.try_get::<Uuid>("", "id")?),
                user: row.try_get::<Uuid>("", "user_id")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    outbox::enqueue_all(conn, &ended).await?;
    Ok(ended.len())
}

/// Whether a session is live now (read fresh, never from a cache): a socket
/// checks it again once it is reachable, so a revocation committed while it
/// was connecting still drops it.
pub async fn is_live(core: &Core, session_id: Uuid) -> Result<bool> {
    use sea_orm::PaginatorTrait;
    Ok(sessions::Entity::find()
        .filter(sessions::Column::Id.eq(session_id))
        .filter(sessions::Column::RevokedAt.is_null())
        .filter(sessions::Column::ExpiresAt.gt(time::now()))
        .count(core.db.conn())
        .await?
        > 0)
}

/// The session a refresh token belongs to, if the token is known.
pub async fn session_of_refresh_token(core: &Core, refresh_token: &str) -> Result<Option<Uuid>> {
    Ok(refresh_tokens::Entity::find()
        .select_only()
        .column(refresh_tokens::Column::SessionId)
        .filter(refresh_tokens::Column::TokenHash.eq(tokens::sha256_hex(refresh_token)))
        .into_tuple::<Uuid>()
        .one(core.db.conn())
        .await?)
}

/// Checks a bearer token: signature, expiry, and that its session is live;
/// one query loads the user and checks the session together, unless the
/// answer is cached and nothing has been written since.
pub async fn authenticate(core: &Core, bearer: &str) -> Result<Authenticated> {
    let claims = core.jwt.verify(bearer)?;
    authenticate_session(core, claims.sub, claims.sid).await
}

/// Checks that `session` of `user` is live and the user neither banned nor
/// erased, as [`authenticate`] does after the token's signature: for a
/// socket admitted earlier, once per event it sends.
pub async fn authenticate_session(core: &Core, user: Uuid, session: Uuid) -> Result<Authenticated> {
    struct Claims {
        sub: Uuid,
        sid: Uuid,
    }
    let claims = Claims {
        sub: user,
        sid: session,
    };
    let now = time::now();
    let generation = core.db.write_generation();
    let cached = generation.and_then(|g| core.auth_cache.get(claims.sid, claims.sub, g, now));
    let user = match cached {
        Some(user) => user,
        None => {
            let (user, session) = users::Entity::find_by_id(claims.sub)
                .find_also_related(sessions::Entity)
                .filter(sessions::Column::Id.eq(claims.sid))
                .filter(sessions::Column::RevokedAt.is_null())
                .filter(sessions::Column::ExpiresAt.gt(now))
                .one(core.db.conn())
                .await?
                .ok_or(Error::code(ErrorCode::SessionRevoked))?;
            let session = session.ok_or(Error::code(ErrorCode::SessionRevoked))?;
            if let Some(generation) = generation {
                core.auth_cache
                    .put(claims.sid, generation, session.expires_at, user.clone());
            }
            user
        }
    };
    if user.deleted_at.is_some() {
        return Err(ErrorCode::SessionRevoked.into());
    }
    if user.banned_at.is_some() {
        return Err(banned_error(&user));
    }
    Ok(Authenticated {
        role: role_of(&user),
        session_id: claims.sid,
        user,
    })
}

/// The 403 a banned user gets, with the reason and the time of the ban.
pub fn banned_error(user: &users::Model) -> Error {
    Error::with_details(
        ErrorCode::AccountBanned,
        serde_json::json!({
            "reason": user.ban_reason,
            "bannedAt": user.banned_at.map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
        }),
    )
}
