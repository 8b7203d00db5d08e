//! Booking proposals: the concierge proposes (an offering at a free slot,
//! with its price) and answers a single-use confirmation token, stored
//! hashed; `POST /api/ai/action {confirmationToken}` books it through the
//! same use-case as `POST /api/bookings`. Nothing is booked or paid before
//! that second call; a token is used once, by its owner, before it expires.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use souk_db::{entities::ai_proposals, enums::AiFeature, sql_text::statement};
use uuid::Uuid;

use crate::{
    Core,
    accounts::{Authenticated, tokens},
    ai::log::{self, Call},
    bookings::{
        book::{self, NewBooking},
        read::BookingView,
    },
    error::{Error, ErrorCode, FieldErrors, FieldIssue, Result},
};

/// How long a proposal waits for its confirmation.
pub const PROPOSAL_TTL_MINUTES: i64 = 15;

/// A proposal as answered.
#[derive(Debug, Clone)]
pub struct Proposal {
    pub confirmation_token: String,
    pub offering_id: Uuid,
    pub start_at: DateTime<Utc>,
    pub price: i64,
    pub expires_at: DateTime<Utc>,
}

/// Stores a proposal for `user` and answers it with its token.
pub async fn propose(
    core: &Core,
    user: Uuid,
    conversation: Uuid,
    offering: Uuid,
    start_at: DateTime<Utc>,
    price: i64,
) -> Result<Proposal> {
    let token = format!("aic_{}", tokens::random_secret());
    let now = core.clock.now();
    let expires_at = crate::time::later(now, Duration::minutes(PROPOSAL_TTL_MINUTES));
    ai_proposals::Entity::insert(ai_proposals::ActiveModel {
        id: Set(Uuid::now_v7()),
        token_hash: Set(tokens::sha256_hex(&token)),
        user_id: Set(user),
        conversation_id: Set(conversation),
        offering_id: Set(offering),
        start_at: Set(start_at),
        price: Set(price),
        expires_at: Set(expires_at),
        used_at: Set(None),
        booking_id: Set(None),
        created_at: Set(now),
    })
    .exec_without_returning(core.db.conn())
    .await?;
    Ok(Proposal {
        confirmation_token: token,
        offering_id: offering,
        start_at,
        price,
        expires_at,
    })
}

/// Books the proposal `token` names (its owner only, once, in time).
pub async fn confirm(
    core: &Core,
    caller: &Authenticated,
    token: Option<&str>,
) -> Result<(ai_proposals::Model, BookingView)> {
    let token = token
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| {
            Error::Validation(FieldErrors::single(
                "confirmationToken",
                FieldIssue::Required,
            ))
        })?;
    if token.len() > 200 {
        return Err(ErrorCode::ConfirmationNotFound.into());
    }
    let mut call = Call::start(Some(caller.user.id), AiFeature::Action);
    let conn = core.db.conn();
    let proposal = ai_proposals::Entity::find()
        .filter(ai_proposals::Column::TokenHash.eq(tokens::sha256_hex(token)))
        .one(conn)
        .await?
        .filter(|p| p.user_id == caller.user.id)
        .ok_or(Error::code(ErrorCode::ConfirmationNotFound))?;
    if proposal.used_at.is_some() {
        return Err(ErrorCode::ConfirmationUsed.into());
    }
    let now = core.clock.now();
    if proposal.expires_at <= now {
        return Err(ErrorCode::ConfirmationExpired.into());
    }
    // Claim it: of two confirmations racing, one wins.
    let claimed = conn
        .execute_raw(statement(
            conn,
            "UPDATE ai_proposals SET used_at = $1 WHERE id = $2 AND used_at IS NULL",
            [now.into(), proposal.id.into()],
        ))
        .await?;
    if claimed.rows_affected() != 1 {
        return Err(ErrorCode::ConfirmationUsed.into());
    }
    let booked = book::create(
        core,
        caller,
        NewBooking {
            offering: Some(proposal.offering_id),
            start_at: Some(proposal.start_at.to_rfc3339()),
            ..NewBooking::default()
        },
    )
    .await;
    match booked {
        Ok(view) => {
            conn.execute_raw(statement(
                conn,
                "UPDATE ai_proposals SET booking_id = $1 WHERE id = $2",
                [view.booking.id.into(), proposal.id.into()],
            ))
            .await?;
            call.intent = Some("book".to_owned());
            call.matched = vec![proposal.offering_id, view.booking.id];
            log::record(core, call).await;
            Ok((proposal, view))
        }
        Err(err) => {
            // The booking was refused (slot taken meanwhile, …): the token
            // may be tried again until it expires.
            conn.execute_raw(statement(
                conn,
                "UPDATE ai_proposals SET used_at = NULL WHERE id = $1",
                [proposal.id.into()],
            ))
            .await?;
            Err(err)
        }
    }
}
