//! Rescheduling: one side proposes a new start (a bookable slot of the
//! offering when proposed), the other accepts — the booking moves there if
//! the time is still free, which the overlap guarantee decides — or
//! declines; either way nothing changes until the other side answers, and
//! a refused move leaves the booking as it was. The free-cancellation
//! window keeps its length before the new start; reminders follow it.

use chrono::{DateTime, Duration, Utc};
use sea_orm::EntityTrait;
use serde_json::json;
use souk_db::{
    entities::{bookings, offerings},
    enums::BookingStatus,
    gated::{self, GatedWrite},
};
use uuid::Uuid;

use super::{
    book, due,
    lifecycle::Actor,
    read::{self, BookingView},
    schedule,
    slots::Rules,
    tell,
};
use crate::{
    Core,
    accounts::Authenticated,
    error::{Error, ErrorCode, FieldErrors, FieldIssue, Result},
    integrators::events::{self, DomainEvent, EventType},
    notifications::{self, BookingWhat},
    time,
};

/// Bookings whose time can still move.
fn movable(status: BookingStatus) -> bool {
    matches!(status, BookingStatus::Pending | BookingStatus::Accepted)
}

async fn party(
    core: &Core,
    caller: &Authenticated,
    id: Uuid,
) -> Result<(bookings::Model, Actor, offerings::Model)> {
    let (booking, actor) = read::visible(core, caller, id).await?;
    if actor == Actor::Staff {
        return Err(ErrorCode::NotAParty.into());
    }
    if !movable(booking.status) {
        return Err(super::lifecycle::not_from_here(
            booking.status,
            booking.status,
            actor,
        ));
    }
    let offering = offerings::Entity::find_by_id(booking.offering_id)
        .one(core.db.conn())
        .await?
        .ok_or(ErrorCode::OfferingNotFound)?;
    Ok((booking, actor, offering))
}

fn other(booking: &bookings::Model, actor: Actor) -> Uuid {
    if actor == Actor::Client {
        booking.provider_id
    } else {
        booking.client_id
    }
}

/// `POST /api/bookings/:id/reschedule {startAt}`: proposes a new start.
pub async fn propose(
    core: &Core,
    caller: &Authenticated,
    id: Uuid,
    start_at: Option<&str>,
) -> Result<BookingView> {
    let raw = start_at.map(str::trim).filter(|s| !s.is_empty());
    let Some(raw) = raw else {
        return Err(Error::Validation(FieldErrors::single(
            "startAt",
            FieldIssue::Required,
        )));
    };
    let start: DateTime<Utc> = DateTime::parse_from_rfc3339(raw)
        .map_err(|_| Error::Validation(FieldErrors::single("startAt", FieldIssue::Invalid)))?
        .with_timezone(&Utc);
    let (booking, actor, offering) = party(core, caller, id).await?;
    let schedule = schedule::of(core, booking.provider_id)
        .await?
        .ok_or(ErrorCode::SlotUnavailable)?;
    let rules = Rules::now(core, &offering, &schedule).await?;
    let slot = rules.check(start, core.clock.now())?;
    if slot.start == booking.start_at {
        return Err(Error::Validation(FieldErrors::single(
            "startAt",
            FieldIssue::Invalid,
        )));
    }
    let title = tell::title_of(&offering);
    let proposed = bookings::Model {
        start_at: slot.start,
        ..booking.clone()
    };
    let event = tell::event(&proposed, &title, BookingWhat::RescheduleProposed);
    let txn = core.db.begin_write().await?;
    let moved = gated::run(
        &*txn,
        GatedWrite::new(
            "UPDATE bookings SET proposed_start_at = $1, proposed_by = $2, updated_at = $3 \
             WHERE id = $4 AND status = $5 AND {gate}",
            vec![
                slot.start.into(),
                caller.user.id.into(),
                time::now().into(),
                booking.id.into(),
                booking.status.as_str().into(),
            ],
        ),
        notifications::writes(other(&booking, actor), &event)?,
    )
    .await?;
    if moved != 1 {
        return Err(ErrorCode::Conflict.into());
    }
    txn.commit().await?;
    core.outbox_wakeup.notify_one();
    read::one(core, caller, id).await
}

/// `POST /api/bookings/:id/reschedule/accept` (`accept`) or `…/decline`:
/// the other side answers a proposed start.
pub async fn answer(
    core: &Core,
    caller: &Authenticated,
    id: Uuid,
    accept: bool,
) -> Result<BookingView> {
    let (booking, _, offering) = party(core, caller, id).await?;
    let (Some(start), Some(by)) = (booking.proposed_start_at, booking.proposed_by) else {
        return Err(ErrorCode::NoReschedule.into());
    };
    if by == caller.user.id {
        return Err(ErrorCode::OwnReschedule.into());
    }
    let title = tell::title_of(&offering);
    let now = time::now();
    let clear = "proposed_start_at = NULL, proposed_by = NULL";
    if !accept {
        let event = tell::event(&booking, &title, BookingWhat::RescheduleDeclined);
        let txn = core.db.begin_write().await?;
        gated::run(
            &*txn,
            GatedWrite::new(
                format!("UPDATE bookings SET {clear}, updated_at = $1 WHERE id = $2 AND {{gate}}"),
                vec![now.into(), booking.id.into()],
            ),
            notifications::writes(by, &event)?,
        )
        .await?;
        txn.commit().await?;
        core.outbox_wakeup.notify_one();
        return read::one(core, caller, id).await;
    }
    let schedule = schedule::of(core, booking.provider_id)
        .await?
        .ok_or(ErrorCode::SlotUnavailable)?;
    let rules = Rules::now(core, &offering, &schedule).await?;
    let slot = rules.check(start, core.clock.now())?;
    let buffer = Duration::minutes(i64::from(offering.buffer_minutes));
    let window = booking.start_at - booking.free_cancel_until;
    let moved = bookings::Model {
        start_at: slot.start,
        end_at: slot.end,
        hold_from: slot.start.timestamp(),
        hold_to: (slot.end + buffer).timestamp(),
        free_cancel_until: slot.start - window,
        expires_at: booking.expires_at.min(slot.start),
        proposed_start_at: None,
        proposed_by: None,
        updated_at: now,
        ..booking.clone()
    };
    let event = tell::event(&moved, &title, BookingWhat::Rescheduled);
    let mut then = notifications::writes(by, &event)?;
    then.push(events::write(&rescheduled(
        &booking,
        &moved,
        caller.user.id,
        by,
    )));
    let txn = core.db.begin_write().await?;
    let written = gated::run(
        &*txn,
        GatedWrite::new(
            format!(
                "UPDATE bookings SET start_at = $1, end_at = $2, hold_from = $3, hold_to = $4, \
                 free_cancel_until = $5, expires_at = $6, {clear}, updated_at = $7 \
                 WHERE id = $8 AND status = $9 AND {{gate}}"
            ),
            vec![
                moved.start_at.into(),
                moved.end_at.into(),
                moved.hold_from.into(),
                moved.hold_to.into(),
                moved.free_cancel_until.into(),
                moved.expires_at.into(),
                now.into(),
                booking.id.into(),
                booking.status.as_str().into(),
            ],
        ),
        then,
    )
    .await;
    match written {
        Ok(1) => {}
        Ok(_) => return Err(ErrorCode::Conflict.into()),
        Err(err) if tell::is_overlap(&err) => {
            drop(txn);
            return Err(book::slot_taken(core, &rules, slot.start).await);
        }
        Err(err) => return Err(err.into()),
    }
    match moved.status {
        BookingStatus::Accepted => due::remind(&*txn, &moved, now).await?,
        BookingStatus::Pending => due::expire_at(&*txn, &moved).await?,
        _ => {}
    }
    if let Some(job) = moved.job_id {
        gated::run_open(
            &*txn,
            vec![GatedWrite::new(
                "UPDATE jobs SET desired_date = $1 WHERE id = $2 AND {gate}",
                vec![moved.start_at.into(), job.into()],
            )],
        )
        .await?;
    }
    txn.commit().await?;
    core.outbox_wakeup.notify_one();
    read::one(core, caller, id).await
}

/// The `booking.rescheduled` event: `accepted_by` took `proposed_by`'s new
/// time.
fn rescheduled(
    before: &bookings::Model,
    after: &bookings::Model,
    accepted_by: Uuid,
    proposed_by: Uuid,
) -> DomainEvent {
    DomainEvent::new(
        EventType::BookingRescheduled,
        Some(accepted_by),
        "booking",
        after.id,
        json!({
            "startAt": after.start_at,
            "endAt": after.end_at,
            "status": after.status.as_str(),
            "jobId": after.job_id,
            "proposedBy": proposed_by,
        }),
    )
    .previous(json!({ "startAt": before.start_at, "endAt": before.end_at }))
}
