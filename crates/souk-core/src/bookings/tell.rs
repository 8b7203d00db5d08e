//! What a booking says to people: its offering's title, the booking events
//! of notifications, `booking:updated` to both parties, and how a refusal
//! by the overlap guarantee is recognised.

use sea_orm::{ConnectionTrait, EntityTrait};
use souk_db::{
    entities::{bookings, offerings},
    enums::BookingStatus,
    gated::GatedWrite,
};

use super::availability;
use crate::{
    error::Result,
    marketplace::booked,
    notifications::{BookingEvent, BookingWhat, Event},
};

/// The offering's title in its first language.
pub fn title_of(offering: &offerings::Model) -> String {
    offering
        .title_en
        .clone()
        .or_else(|| offering.title_ar.clone())
        .unwrap_or_default()
}

/// The title of a booking's offering (empty if it is gone).
pub async fn title_for(conn: &impl ConnectionTrait, booking: &bookings::Model) -> Result<String> {
    Ok(offerings::Entity::find_by_id(booking.offering_id)
        .one(conn)
        .await?
        .map(|o| title_of(&o))
        .unwrap_or_default())
}

/// Whether a database error is the overlap guarantee refusing a booking.
pub fn is_overlap(err: &sea_orm::DbErr) -> bool {
    err.to_string().contains("bookings_no_overlap")
}

/// The booking event `what` for one of its parties.
pub fn event(booking: &bookings::Model, title: &str, what: BookingWhat) -> Event {
    let tz = availability::zone(&booking.time_zone);
    let local = booking.start_at.with_timezone(&tz).format("%Y-%m-%d %H:%M");
    Event::Booking(BookingEvent {
        what,
        booking: booking.id,
        title: title.to_owned(),
        local_start: local.to_string(),
        time_zone: booking.time_zone.clone(),
    })
}

/// A `booking:updated` event to both parties.
pub fn updated(
    booking: &bookings::Model,
    from: BookingStatus,
    to: BookingStatus,
) -> Result<GatedWrite> {
    booked::updated_event(
        booking.id,
        [booking.client_id, booking.provider_id],
        from,
        to,
        None,
    )
}
