//! A booking's timed work, as outbox rows due at a time: a request nobody
//! answered expires (at `bookingResponseHours`, or its start if sooner),
//! and both sides are reminded 24 hours and 1 hour before the start. Each
//! row re-checks when it comes due: a booking answered, moved or cancelled
//! meanwhile is left as it is.

use chrono::{DateTime, Duration, Utc};
use sea_orm::ConnectionTrait;
use souk_db::{
    entities::bookings,
    enums::BookingStatus,
    gated::{self, GatedWrite},
};
use uuid::Uuid;

use super::{read, tell};
use crate::{
    Core,
    error::Result,
    marketplace::booked::StatusChange,
    notifications::{self, BookingWhat},
    outbox::{self, OutboxMessage},
    time,
};

/// Queues the expiry of a pending booking.
pub async fn expire_at(conn: &impl ConnectionTrait, booking: &bookings::Model) -> Result<()> {
    gated::run_open(conn, vec![expiry(booking)?]).await?;
    Ok(())
}

/// The outbox write of a pending booking's expiry, to ride along.
pub fn expiry(booking: &bookings::Model) -> Result<GatedWrite> {
    outbox::due(
        &OutboxMessage::ExpireBooking {
            booking: booking.id,
        },
        booking.expires_at,
    )
}

/// Queues the reminders of an accepted booking that are still ahead.
pub async fn remind(
    conn: &impl ConnectionTrait,
    booking: &bookings::Model,
    now: DateTime<Utc>,
) -> Result<()> {
    for hours in [24, 1] {
        let due = time::later(booking.start_at, Duration::hours(-hours));
        if due > now {
            let message = OutboxMessage::BookingReminder {
                booking: booking.id,
                start: booking.start_at.timestamp(),
                hours,
            };
            outbox::enqueue_at(conn, &message, due).await?;
        }
    }
    Ok(())
}

/// An expiry came due: a booking still pending past its time expires.
pub async fn on_expiry(core: &Core, id: Uuid) -> Result<()> {
    let booking = read::load(core.db.conn(), id).await?;
    if booking.status != BookingStatus::Pending || core.clock.now() < booking.expires_at {
        return Ok(());
    }
    let title = tell::title_for(core.db.conn(), &booking).await?;
    let event = tell::event(&booking, &title, BookingWhat::Expired);
    let mut then = vec![
        tell::updated(&booking, booking.status, BookingStatus::Expired)?,
        StatusChange {
            booking: booking.id,
            job: booking.job_id,
            by: None,
            from: booking.status,
            to: BookingStatus::Expired,
        }
        .write(),
    ];
    for person in [booking.client_id, booking.provider_id] {
        then.extend(notifications::writes(person, &event)?);
    }
    let txn = core.db.begin_write().await?;
    gated::run(
        &*txn,
        GatedWrite::new(
            "UPDATE bookings SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4 AND {gate}",
            vec![
                BookingStatus::Expired.as_str().into(),
                time::now().into(),
                booking.id.into(),
                BookingStatus::Pending.as_str().into(),
            ],
        ),
        then,
    )
    .await?;
    txn.commit().await?;
    core.outbox_wakeup.notify_one();
    Ok(())
}

/// A reminder came due: both sides hear of a booking that still starts
/// then and is still on.
pub async fn on_reminder(core: &Core, id: Uuid, start: i64, hours: i64) -> Result<()> {
    let booking = read::load(core.db.conn(), id).await?;
    let on = matches!(
        booking.status,
        BookingStatus::Accepted | BookingStatus::InProgress
    );
    if !on || booking.start_at.timestamp() != start {
        return Ok(());
    }
    let what = if hours >= 24 {
        BookingWhat::ReminderDay
    } else {
        BookingWhat::ReminderHour
    };
    let title = tell::title_for(core.db.conn(), &booking).await?;
    let event = tell::event(&booking, &title, what);
    let txn = core.db.begin_write().await?.without_account_changes();
    for person in [booking.client_id, booking.provider_id] {
        notifications::notify(&*txn, person, &event).await?;
    }
    txn.commit().await?;
    core.outbox_wakeup.notify_one();
    Ok(())
}
