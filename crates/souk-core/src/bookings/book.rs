//! `POST /api/bookings`: a client books an offering at one of its free
//! slots. The start must be a slot of the provider's schedule (after the
//! minimum notice, within the horizon); that no other booking holds the
//! time is the database's guarantee (see the bookings migration), answered
//! as 409 `slot_taken` with the nearest free slots. An instant-booking
//! offering is accepted in the same transaction; otherwise the provider
//! answers before the request expires. Acceptance ([`hire`]) makes the
//! booked job, its quote and the contract, as an accepted quote does.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set};
use serde_json::json;
use souk_db::{
    entities::{bookings, jobs, offerings, quotes, users},
    enums::{BookingStatus, JobStatus, OfferingStatus, QuoteStatus},
    gated::{self, GatedWrite},
};
use uuid::Uuid;

use super::{
    due, finder,
    lifecycle::{self, Actor},
    read::{self, BookingView},
    schedule,
    slots::Rules,
    tell::{event, is_overlap, title_of, updated},
};
use crate::{
    Core,
    accounts::{Authenticated, Role, validate::optional_text},
    error::{Error, ErrorCode, FieldErrors, FieldIssue, Result},
    integrators::events::{self, DomainEvent, EventType},
    marketplace::{
        booked::StatusChange,
        hire::{self, Hire},
    },
    money::{self, amount},
    notifications::{self, BookingWhat},
    search, time,
};

/// A booking as asked for.
#[derive(Debug, Clone, Default)]
pub struct NewBooking {
    pub offering: Option<Uuid>,
    /// RFC 3339 (any offset): the slot's start.
    pub start_at: Option<String>,
    pub notes: Option<String>,
    pub address: Option<String>,
    pub location: Option<(f64, f64)>,
    /// `escrow` (default) or `cash`.
    pub payment_type: Option<String>,
}

/// What a booking of `offering` costs: the price, times the hours for an
/// hourly one (rounded half up).
pub fn price_of(offering: &offerings::Model) -> Result<i64> {
    if offering.price_unit != "hourly" {
        return Ok(offering.price);
    }
    let minutes = i64::from(offering.duration_minutes);
    let total = offering
        .price
        .checked_mul(minutes)
        .ok_or_else(|| amount::overflow("hourly price"))?;
    Ok(amount::add(total, 30)?.div_euclid(60))
}

fn parse_start(errors: &mut FieldErrors, raw: Option<&str>) -> Option<DateTime<Utc>> {
    match raw.map(str::trim).filter(|r| !r.is_empty()) {
        None => {
            errors.add("startAt", FieldIssue::Required);
            None
        }
        Some(text) => {
            let parsed = DateTime::parse_from_rfc3339(text)
                .ok()
                .map(|d| d.with_timezone(&Utc));
            if parsed.is_none() {
                errors.add("startAt", FieldIssue::Invalid);
            }
            parsed
        }
    }
}

/// `POST /api/bookings`.
pub async fn create(core: &Core, caller: &Authenticated, input: NewBooking) -> Result<BookingView> {
    if caller.role != Role::Client {
        return Err(ErrorCode::ClientsOnly.into());
    }
    let mut errors = FieldErrors::new();
    if input.offering.is_none() {
        errors.add("offeringId", FieldIssue::Required);
    }
    let start = parse_start(&mut errors, input.start_at.as_deref());
    let notes = optional_text(&mut errors, "notes", input.notes.as_deref(), 2000);
    let address = optional_text(&mut errors, "address", input.address.as_deref(), 300);
    if let Some((lat, lng)) = input.location
        && !search::valid_point(lat, lng)
    {
        errors.add("location", FieldIssue::Invalid);
    }
    let payment_type = match input.payment_type.as_deref().map(str::trim) {
        None | Some("") | Some("escrow") => "escrow",
        Some("cash") => "cash",
        Some(_) => {
            errors.add("paymentType", FieldIssue::OneOf(vec!["escrow", "cash"]));
            "escrow"
        }
    };
    errors.into_result()?;
    let (Some(offering_id), Some(start)) = (input.offering, start) else {
        return Err(ErrorCode::ValidationFailed.into());
    };
    let offering = super::offerings::one(core, Some(caller), offering_id)
        .await
        .map_err(|_| Error::code(ErrorCode::OfferingNotFound))?;
    if offering.provider_id == caller.user.id {
        return Err(ErrorCode::CannotBookOwn.into());
    }
    if offering.status != OfferingStatus::Active || !offering.is_visible {
        return Err(ErrorCode::OfferingUnavailable.into());
    }
    if let Some(point) = input.location {
        within_area(core, &offering, point).await?;
    }
    let Some(schedule) = schedule::of(core, offering.provider_id).await? else {
        return Err(Error::with_details(
            ErrorCode::SlotUnavailable,
            json!({ "field": "startAt", "reason": "not_on_schedule" }),
        ));
    };
    let policy = money::settings::load(core.db.conn(), &core.settings).await?;
    let now = core.clock.now();
    let rules = Rules::at(&offering, &schedule, now, policy.booking_horizon_days);
    let slot = rules.check(start, now)?;
    let buffer = Duration::minutes(i64::from(offering.buffer_minutes));
    let expires = time::later(now, Duration::hours(policy.booking_response_hours)).min(slot.start);
    let booking = bookings::Model {
        id: Uuid::now_v7(),
        offering_id: offering.id,
        provider_id: offering.provider_id,
        client_id: caller.user.id,
        start_at: slot.start,
        end_at: slot.end,
        hold_from: slot.start.timestamp(),
        hold_to: (slot.end + buffer).timestamp(),
        time_zone: schedule.time_zone.name().to_owned(),
        status: BookingStatus::Pending,
        price: price_of(&offering)?,
        currency: core.settings.currency.clone(),
        payment_type: payment_type.to_owned(),
        notes,
        address,
        latitude: input.location.map(|l| l.0),
        longitude: input.location.map(|l| l.1),
        job_id: None,
        contract_id: None,
        status_reason: None,
        expires_at: expires,
        free_cancel_until: time::later(
            slot.start,
            Duration::hours(-policy.booking_free_cancel_hours),
        ),
        late_share_bps: policy.booking_late_share_bps,
        no_show_share_bps: policy.booking_no_show_share_bps,
        proposed_start_at: None,
        proposed_by: None,
        created_at: now,
        updated_at: now,
    };
    // The booking, its request notification, expiry and event: one
    // statement on PostgreSQL (the overlap guarantee refusing all of it);
    // an instant booking's hire needs a transaction.
    let title = title_of(&offering);
    let write = core.db.begin_checked().await?;
    let write = if offering.instant_booking {
        write.into_transaction().await?
    } else {
        write
    };
    let mut then = if offering.instant_booking {
        Vec::new()
    } else {
        let mut then = notifications::writes(
            booking.provider_id,
            &event(&booking, &title, BookingWhat::Requested),
        )?;
        then.push(due::expiry(&booking)?);
        then.push(updated(
            &booking,
            BookingStatus::Pending,
            BookingStatus::Pending,
        )?);
        then
    };
    then.push(events::write(&requested(&booking)));
    match gated::run(&write.conn(), insert(&booking), then).await {
        Ok(_) => {}
        Err(err) if is_overlap(&err) => {
            drop(write);
            return Err(slot_taken(core, &rules, slot.start).await);
        }
        Err(err) => return Err(err.into()),
    }
    let booking = if offering.instant_booking {
        let conn = write.conn();
        let hired = hire(core, &conn, &booking, &offering, Actor::System, None).await?;
        let mut told = notifications::writes(
            booking.provider_id,
            &event(&hired, &title, BookingWhat::Booked),
        )?;
        told.extend(notifications::writes(
            booking.client_id,
            &event(&hired, &title, BookingWhat::Accepted),
        )?);
        gated::run_open(&conn, told).await?;
        hired
    } else {
        booking
    };
    write.commit().await?;
    core.outbox_wakeup.notify_one();
    read::view_of(core.db.conn(), booking, Actor::Client).await
}

/// The insert of a new booking (the lead of its writes).
fn insert(b: &bookings::Model) -> GatedWrite {
    GatedWrite::new(
        "INSERT INTO bookings (id, offering_id, provider_id, client_id, start_at, end_at, \
         hold_from, hold_to, time_zone, status, price, currency, payment_type, notes, address, \
         latitude, longitude, job_id, contract_id, status_reason, expires_at, free_cancel_until, \
         late_share_bps, no_show_share_bps, proposed_start_at, proposed_by, created_at, updated_at) \
         SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, \
         $19, $20, $21, $22, $23, $24, $25, $26, $27, $28 WHERE {gate}",
        vec![
            b.id.into(),
            b.offering_id.into(),
            b.provider_id.into(),
            b.client_id.into(),
            b.start_at.into(),
            b.end_at.into(),
            b.hold_from.into(),
            b.hold_to.into(),
            b.time_zone.clone().into(),
            b.status.as_str().into(),
            b.price.into(),
            b.currency.clone().into(),
            b.payment_type.clone().into(),
            b.notes.clone().into(),
            b.address.clone().into(),
            b.latitude.into(),
            b.longitude.into(),
            b.job_id.into(),
            b.contract_id.into(),
            b.status_reason.clone().into(),
            b.expires_at.into(),
            b.free_cancel_until.into(),
            b.late_share_bps.into(),
            b.no_show_share_bps.into(),
            b.proposed_start_at.into(),
            b.proposed_by.into(),
            b.created_at.into(),
            b.updated_at.into(),
        ],
    )
}

/// The `booking.requested` event (the client's notes and address stay
/// with the provider).
fn requested(b: &bookings::Model) -> DomainEvent {
    DomainEvent::new(
        EventType::BookingRequested,
        Some(b.client_id),
        "booking",
        b.id,
        json!({
            "offeringId": b.offering_id,
            "providerId": b.provider_id,
            "clientId": b.client_id,
            "status": b.status.as_str(),
            "startAt": b.start_at,
            "endAt": b.end_at,
            "timeZone": b.time_zone,
            "price": b.price,
            "currency": b.currency,
            "paymentType": b.payment_type,
            "expiresAt": b.expires_at,
        }),
    )
}

/// Refuses a booking at `point` outside the offering's service area (its
/// radius, else the provider's, else the default around the provider's
/// location); remote offerings and providers without a location serve
/// anywhere.
async fn within_area(core: &Core, offering: &offerings::Model, point: (f64, f64)) -> Result<()> {
    if offering.remote {
        return Ok(());
    }
    let provider = users::Entity::find_by_id(offering.provider_id)
        .one(core.db.conn())
        .await?;
    let Some(provider) = provider else {
        return Ok(());
    };
    let Some((lat, lng)) = provider.latitude.zip(provider.longitude) else {
        return Ok(());
    };
    let reach = offering
        .service_radius_km
        .or(provider.service_radius_km)
        .unwrap_or(finder::DEFAULT_REACH_KM);
    let distance = search::haversine_km(point.0, point.1, lat, lng);
    if distance > reach {
        return Err(Error::with_details(
            ErrorCode::OutsideServiceArea,
            json!({ "distanceKm": (distance * 10.0).round() / 10.0, "serviceRadiusKm": reach }),
        ));
    }
    Ok(())
}

/// 409 `slot_taken` with the nearest free slots.
pub async fn slot_taken(core: &Core, rules: &Rules<'_>, at: DateTime<Utc>) -> Error {
    let nearest = match rules.nearest(core.db.conn(), at, 3).await {
        Ok(found) => found.iter().map(|s| s.to_json()).collect::<Vec<_>>(),
        Err(err) => return err,
    };
    Error::with_details(ErrorCode::SlotTaken, json!({ "nearest": nearest }))
}

/// Accepts a pending booking inside the caller's transaction: the booked
/// job (hired, never listed), the provider's accepted quote at the booking's
/// price, the contract (as an accepted quote makes it), the booking moved
/// to `accepted` (guarded: someone faster wins), its reminders and events.
/// `by`: the user who accepted (`None`: an instant booking, accepted by
/// the platform).
pub async fn hire(
    core: &Core,
    conn: &impl ConnectionTrait,
    booking: &bookings::Model,
    offering: &offerings::Model,
    actor: Actor,
    by: Option<Uuid>,
) -> Result<bookings::Model> {
    lifecycle::decide(
        booking.status,
        BookingStatus::Accepted,
        actor,
        lifecycle::Facts::default(),
    )
    .map_err(|_| lifecycle::not_from_here(booking.status, BookingStatus::Accepted, actor))?;
    let now = time::now();
    let title = title_of(offering);
    let description = offering
        .description_en
        .clone()
        .or_else(|| offering.description_ar.clone())
        .unwrap_or_default();
    let job = jobs::ActiveModel {
        id: Set(Uuid::now_v7()),
        client_id: Set(booking.client_id),
        craftsman_id: Set(Some(booking.provider_id)),
        category_id: Set(offering.category_id),
        title: Set(title),
        description: Set(description),
        photos: Set("[]".to_owned()),
        address: Set(booking.address.clone()),
        latitude: Set(booking.latitude),
        longitude: Set(booking.longitude),
        geo_cell: Set(None),
        budget_min: Set(Some(booking.price)),
        budget_max: Set(Some(booking.price)),
        currency: Set(booking.currency.clone()),
        payment_type: Set(booking.payment_type.clone()),
        desired_date: Set(Some(booking.start_at)),
        status: Set(JobStatus::Hired),
        listed: Set(false),
        status_reason: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        hired_at: Set(Some(now)),
        completed_at: Set(None),
        submitted_at: Set(None),
        booking_id: Set(Some(booking.id)),
    }
    .insert(conn)
    .await?;
    let quote = quotes::ActiveModel {
        id: Set(Uuid::now_v7()),
        job_id: Set(job.id),
        craftsman_id: Set(booking.provider_id),
        price: Set(booking.price),
        notes: Set(booking.notes.clone()),
        estimated_duration: Set(Some(format!(
            "{} min",
            (booking.end_at - booking.start_at).num_minutes()
        ))),
        status: Set(QuoteStatus::Accepted),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(conn)
    .await?;
    let contract = hire::contract(
        core,
        conn,
        Hire {
            job: &job,
            quote: quote.id,
            craftsman: booking.provider_id,
            price: booking.price,
            by,
        },
    )
    .await?;
    let accepted = bookings::Model {
        status: BookingStatus::Accepted,
        job_id: Some(job.id),
        contract_id: Some(contract.id),
        proposed_start_at: None,
        proposed_by: None,
        updated_at: now,
        ..booking.clone()
    };
    let moved = gated::run(
        conn,
        GatedWrite::new(
            "UPDATE bookings SET status = $1, job_id = $2, contract_id = $3, \
             proposed_start_at = NULL, proposed_by = NULL, updated_at = $4 \
             WHERE id = $5 AND status = $6 AND {gate}",
            vec![
                BookingStatus::Accepted.as_str().into(),
                job.id.into(),
                contract.id.into(),
                now.into(),
                booking.id.into(),
                booking.status.as_str().into(),
            ],
        ),
        vec![
            updated(booking, booking.status, BookingStatus::Accepted)?,
            StatusChange {
                booking: booking.id,
                job: Some(job.id),
                by,
                from: booking.status,
                to: BookingStatus::Accepted,
            }
            .write(),
        ],
    )
    .await?;
    if moved != 1 {
        return Err(ErrorCode::Conflict.into());
    }
    due::remind(conn, &accepted, now).await?;
    Ok(accepted)
}
