//! Jobs that carry out a booking (`jobs.booking_id`): every move of such a
//! job carries its booking's status with it, in the same statement or
//! transaction, and tells both parties' sockets (`booking:updated`). The
//! booking's own use-cases (`crate::bookings`) start these moves; the job's
//! (disputes, automatic approval, staff) reach the booking through here.

use serde_json::json;
use souk_db::{enums::BookingStatus, gated::GatedWrite};
use uuid::Uuid;

use super::JobStatus;
use crate::{error::Result, outbox, realtime::RealtimeEvent, time};

/// The `booking:updated` event for both parties.
pub fn updated_event(
    booking: Uuid,
    parties: [Uuid; 2],
    from: BookingStatus,
    to: BookingStatus,
    job_status: Option<JobStatus>,
) -> Result<GatedWrite> {
    outbox::realtime(&RealtimeEvent::to_users(
        &parties,
        "booking:updated",
        json!({
            "bookingId": booking,
            "status": to.as_str(),
            "previousStatus": from.as_str(),
            "jobStatus": job_status.map(JobStatus::as_str),
        }),
    ))
}

/// The writes that carry a booked job's move from `from` to `to` over to
/// its booking: its status, and the event. Nothing for a job that carries
/// no booking, or a move that leaves the booking's status as it is.
pub fn follow(
    booking: Option<Uuid>,
    parties: [Uuid; 2],
    from: JobStatus,
    to: JobStatus,
) -> Result<Vec<GatedWrite>> {
    let Some(booking) = booking else {
        return Ok(Vec::new());
    };
    let (Some(before), Some(after)) =
        (BookingStatus::following(from), BookingStatus::following(to))
    else {
        return Ok(Vec::new());
    };
    if before == after {
        return Ok(Vec::new());
    }
    let status = GatedWrite::new(
        "UPDATE bookings SET status = $1, updated_at = $2 WHERE id = $3 AND {gate}",
        vec![after.as_str().into(), time::now().into(), booking.into()],
    );
    let event = updated_event(booking, parties, before, after, Some(to))?;
    Ok(vec![status, event])
}
