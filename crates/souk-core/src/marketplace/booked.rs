//! Jobs that carry out a booking (`jobs.booking_id`): every move of such a
//! job carries its booking's status with it, in the same statement or
//! transaction, and tells both parties' sockets (`booking:updated`). The
//! booking's own use-cases (`crate::bookings`) start these moves; the job's
//! (disputes, automatic approval, staff) reach the booking through here.

use serde_json::json;
use souk_db::{enums::BookingStatus, gated::GatedWrite};
use uuid::Uuid;

use super::JobStatus;
use crate::{
    error::Result,
    integrators::events::{self, DomainEvent, EventType},
    outbox,
    realtime::RealtimeEvent,
    time,
};

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

/// Whose booked job moves, and who moved it.
#[derive(Debug, Clone, Copy)]
pub struct Follow {
    /// The booking the job carries out, if any.
    pub booking: Option<Uuid>,
    pub job: Uuid,
    /// The client and the provider.
    pub parties: [Uuid; 2],
    /// Who moved the job (`None`: the platform).
    pub by: Option<Uuid>,
}

/// The writes that carry a booked job's move from `from` to `to` over to
/// its booking: its status, the `booking:updated` event and the feed's
/// `booking.status_changed`. Nothing for a job that carries no booking, or
/// a move that leaves the booking's status as it is.
pub fn follow(job: Follow, from: JobStatus, to: JobStatus) -> Result<Vec<GatedWrite>> {
    let Some(booking) = job.booking else {
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
    let event = updated_event(booking, job.parties, before, after, Some(to))?;
    let change = StatusChange {
        booking,
        job: Some(job.job),
        by: job.by,
        from: before,
        to: after,
    };
    Ok(vec![status, event, change.write()])
}

/// A booking's status move, as the event feed records it.
#[derive(Debug, Clone, Copy)]
pub struct StatusChange {
    pub booking: Uuid,
    /// The booked job, once there is one.
    pub job: Option<Uuid>,
    /// Who moved it (`None`: the platform — an expiry, an instant booking).
    pub by: Option<Uuid>,
    pub from: BookingStatus,
    pub to: BookingStatus,
}

impl StatusChange {
    /// The `booking.status_changed` event.
    pub fn event(self) -> DomainEvent {
        DomainEvent::new(
            EventType::BookingStatusChanged,
            self.by,
            "booking",
            self.booking,
            json!({ "status": self.to.as_str(), "jobId": self.job }),
        )
        .previous(json!({ "status": self.from.as_str() }))
    }

    /// The write recording it, to ride along with the move.
    pub fn write(self) -> GatedWrite {
        events::write(&self.event())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn moved(booking: Option<Uuid>) -> (Follow, Result<Vec<GatedWrite>>) {
        let job = Follow {
            booking,
            job: Uuid::now_v7(),
            parties: [Uuid::now_v7(), Uuid::now_v7()],
            by: Some(Uuid::now_v7()),
        };
        (job, follow(job, JobStatus::Hired, JobStatus::InProgress))
    }

    #[test]
    fn a_booked_jobs_move_records_the_bookings_status_change_with_it() {
        let booking = Uuid::now_v7();
        let (job, writes) = moved(Some(booking));
        let writes = writes.unwrap();
        assert_eq!(writes.len(), 3);
        assert!(writes[2].sql.starts_with("INSERT INTO events"));
        let change = StatusChange {
            booking,
            job: Some(job.job),
            by: job.by,
            from: BookingStatus::Accepted,
            to: BookingStatus::InProgress,
        }
        .event();
        assert_eq!(change.kind, EventType::BookingStatusChanged);
        assert_eq!(change.resource_id, booking.to_string());
        assert_eq!(change.data["status"], "in_progress");
        assert_eq!(change.data["jobId"], json!(job.job));
        assert_eq!(change.previous, Some(json!({ "status": "accepted" })));
    }

    #[test]
    fn a_job_without_a_booking_records_no_booking_event() {
        assert!(moved(None).1.unwrap().is_empty());
    }
}
