//! Moving a booking through its lifecycle (`PATCH /api/bookings/:id/status`
//! and the named actions): the table decides; moves before acceptance
//! change the booking alone, acceptance hires, and later moves are the
//! booked job's moves (`disputes::by_job::change_status`, which opens
//! disputes and carries out staff decisions as for any job), except a
//! cancellation or a no-show, which pay the provider the share the
//! booking's own policy names.

use sea_orm::EntityTrait;
use serde_json::json;
use souk_db::{
    entities::{bookings, contracts, offerings},
    enums::{BookingStatus, JobStatus},
    gated::{self, GatedWrite},
};
use uuid::Uuid;

use super::{
    book,
    lifecycle::{self, Actor, Effect, Facts, Guard},
    read::{self, BookingView},
    tell,
};
use crate::{
    Core,
    accounts::{Authenticated, validate::optional_text},
    disputes,
    error::{Error, ErrorCode, FieldErrors, FieldIssue, Result},
    lifecycle::Refusal,
    marketplace::{
        self,
        booked::StatusChange,
        transitions::{self, Move},
    },
    money,
    notifications::{self, BookingWhat},
    store, time,
};

fn refusal(
    from: BookingStatus,
    to: BookingStatus,
    actor: Actor,
    why: Refusal<BookingStatus, Guard>,
) -> Error {
    match why {
        Refusal::NotFromHere { .. } => lifecycle::not_from_here(from, to, actor),
        Refusal::NotYours => Error::with_details(
            ErrorCode::Forbidden,
            json!({ "from": from.as_str(), "to": to.as_str() }),
        ),
        Refusal::Guard(Guard::Reason) => {
            Error::Validation(FieldErrors::single("reason", FieldIssue::Required))
        }
        Refusal::Guard(Guard::Funded) => Error::with_details(
            ErrorCode::EscrowNotFunded,
            json!({ "from": from.as_str(), "to": to.as_str() }),
        ),
        Refusal::Guard(Guard::Started | Guard::None) => Error::with_details(
            ErrorCode::BookingNotStarted,
            json!({ "from": from.as_str(), "to": to.as_str() }),
        ),
    }
}

/// The target of a status change, as a word.
pub fn parse_target(target: Option<&str>) -> Result<BookingStatus> {
    match target.map(str::trim).filter(|t| !t.is_empty()) {
        None => Err(Error::Validation(FieldErrors::single(
            "status",
            FieldIssue::Required,
        ))),
        Some(word) => BookingStatus::parse(word).ok_or_else(|| {
            Error::Validation(FieldErrors::single(
                "status",
                FieldIssue::OneOf(BookingStatus::ALL.iter().map(|s| s.as_str()).collect()),
            ))
        }),
    }
}

/// A status change as asked for.
#[derive(Debug, Clone)]
pub struct BookingMove {
    pub booking: Uuid,
    pub to: BookingStatus,
    pub reason: Option<String>,
}

/// Moves a booking where its caller asks, if the table lets them.
pub async fn request(core: &Core, caller: &Authenticated, ask: BookingMove) -> Result<BookingView> {
    let mut errors = FieldErrors::new();
    let reason = optional_text(&mut errors, "reason", ask.reason.as_deref(), 1000);
    errors.into_result()?;
    let (booking, actor) = read::visible(core, caller, ask.booking).await?;
    let escrow_ready = match booking.contract_id {
        Some(id) => {
            let contract = contracts::Entity::find_by_id(id)
                .one(core.db.conn())
                .await?;
            money::escrow::ready_to_start(contract.as_ref())
        }
        None => false,
    };
    let facts = Facts {
        has_reason: reason.is_some(),
        escrow_ready,
        started: core.clock.now() >= booking.start_at,
    };
    let (from, to) = (booking.status, ask.to);
    let transition =
        lifecycle::decide(from, to, actor, facts).map_err(|why| refusal(from, to, actor, why))?;
    match transition.effect {
        Effect::None => answer(core, caller, &booking, to, reason).await?,
        Effect::Hire => {
            let offering = offerings::Entity::find_by_id(booking.offering_id)
                .one(core.db.conn())
                .await?
                .ok_or(ErrorCode::OfferingNotFound)?;
            let txn = core.db.begin_write().await?;
            let by = Some(caller.user.id);
            let hired = book::hire(core, &*txn, &booking, &offering, actor, by).await?;
            let title = tell::title_of(&offering);
            notifications::notify(
                &*txn,
                booking.client_id,
                &tell::event(&hired, &title, BookingWhat::Accepted),
            )
            .await?;
            txn.commit().await?;
            core.outbox_wakeup.notify_one();
        }
        Effect::Job(JobStatus::Cancelled) if from != BookingStatus::Disputed => {
            let share = match actor {
                Actor::Client if core.clock.now() >= booking.free_cancel_until => {
                    booking.late_share_bps
                }
                _ => 0,
            };
            cancel(core, caller, &booking, share, reason, None).await?;
        }
        Effect::NoShow => {
            let reason = reason.or_else(|| Some("no_show".to_owned()));
            let share = booking.no_show_share_bps;
            cancel(
                core,
                caller,
                &booking,
                share,
                reason,
                Some(BookingStatus::NoShow),
            )
            .await?;
        }
        Effect::Job(job_status) => {
            let job = booking.job_id.ok_or(ErrorCode::NoContract)?;
            disputes::by_job::change_status(core, caller, job, Some(job_status.as_str()), reason)
                .await?;
        }
    }
    let booking = read::load(core.db.conn(), booking.id).await?;
    read::view_of(core.db.conn(), booking, actor).await
}

/// A move before acceptance: the booking alone (decline, withdraw).
async fn answer(
    core: &Core,
    caller: &Authenticated,
    booking: &bookings::Model,
    to: BookingStatus,
    reason: Option<String>,
) -> Result<()> {
    let title = tell::title_for(core.db.conn(), booking).await?;
    let (tell, what) = if caller.user.id == booking.client_id {
        (booking.provider_id, BookingWhat::Withdrawn)
    } else {
        (booking.client_id, BookingWhat::Declined)
    };
    let mut then = vec![
        tell::updated(booking, booking.status, to)?,
        StatusChange {
            booking: booking.id,
            job: booking.job_id,
            by: Some(caller.user.id),
            from: booking.status,
            to,
        }
        .write(),
    ];
    then.extend(notifications::writes(
        tell,
        &tell::event(booking, &title, what),
    )?);
    let txn = core.db.begin_write().await?;
    let moved = gated::run(
        &*txn,
        GatedWrite::new(
            "UPDATE bookings SET status = $1, status_reason = $2, updated_at = $3 \
             WHERE id = $4 AND status = $5 AND {gate}",
            vec![
                to.as_str().into(),
                reason.into(),
                time::now().into(),
                booking.id.into(),
                booking.status.as_str().into(),
            ],
        ),
        then,
    )
    .await?;
    if moved != 1 {
        return Err(ErrorCode::Conflict.into());
    }
    txn.commit().await?;
    core.outbox_wakeup.notify_one();
    Ok(())
}

/// Cancels the booked job paying the provider `share_bps` of the escrow
/// (the rest back to the client); `then` names a final status other than
/// `cancelled` (a no-show).
async fn cancel(
    core: &Core,
    caller: &Authenticated,
    booking: &bookings::Model,
    share_bps: i32,
    reason: Option<String>,
    then: Option<BookingStatus>,
) -> Result<()> {
    let job_id = booking.job_id.ok_or(ErrorCode::NoContract)?;
    let txn = core.db.begin_write().await?;
    let (job, contract) = store::contracts::job_for_transition(&*txn, job_id, true).await?;
    let actor = marketplace::access::actor_for(&job, caller).ok_or(ErrorCode::NotAParty)?;
    let request = Move {
        job: &job,
        contract,
        to: JobStatus::Cancelled,
        actor,
        by: Some(caller.user.id),
        reason,
        share_bps: Some(share_bps),
    };
    transitions::apply_transition(core, &*txn, request).await?;
    if let Some(status) = then {
        let title = job.title.clone();
        let mut also = vec![
            tell::updated(booking, BookingStatus::Cancelled, status)?,
            StatusChange {
                booking: booking.id,
                job: Some(job.id),
                by: Some(caller.user.id),
                from: BookingStatus::Cancelled,
                to: status,
            }
            .write(),
        ];
        also.extend(notifications::writes(
            booking.client_id,
            &tell::event(booking, &title, BookingWhat::NoShow),
        )?);
        gated::run(
            &*txn,
            GatedWrite::new(
                "UPDATE bookings SET status = $1, updated_at = $2 WHERE id = $3 AND {gate}",
                vec![
                    status.as_str().into(),
                    time::now().into(),
                    booking.id.into(),
                ],
            ),
            also,
        )
        .await?;
    }
    txn.commit().await?;
    core.outbox_wakeup.notify_one();
    Ok(())
}
