//! Reading bookings: one (its parties and staff; anyone else 404), the
//! caller's list (as client or provider, by status and time), and the job
//! behind a booking for the routes that act on its contract (escrow, tips,
//! reviews, disputes).

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};
use souk_db::{
    entities::{bookings, jobs},
    enums::{BookingStatus, JobStatus},
};
use uuid::Uuid;

use super::lifecycle::{self, Actor};
use crate::{
    Core,
    accounts::Authenticated,
    error::{Error, ErrorCode, FieldErrors, FieldIssue, Result},
    pagination::{Page, PageRequest},
};

/// A booking as its parties see it.
#[derive(Debug, Clone)]
pub struct BookingView {
    pub booking: bookings::Model,
    /// The booked job's status, once accepted.
    pub job_status: Option<JobStatus>,
    /// What the caller may move it to.
    pub allowed_next: Vec<BookingStatus>,
}

/// Loads a booking (404 when there is none).
pub async fn load(conn: &impl ConnectionTrait, id: Uuid) -> Result<bookings::Model> {
    bookings::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or_else(|| ErrorCode::BookingNotFound.into())
}

/// The caller's part in a booking (`None`: not theirs to see).
pub fn actor_for(booking: &bookings::Model, caller: &Authenticated) -> Option<Actor> {
    if caller.user.id == booking.client_id {
        Some(Actor::Client)
    } else if caller.user.id == booking.provider_id {
        Some(Actor::Provider)
    } else if caller.role.is_staff() {
        Some(Actor::Staff)
    } else {
        None
    }
}

/// A booking its caller may see (parties and staff), else 404.
pub async fn visible(
    core: &Core,
    caller: &Authenticated,
    id: Uuid,
) -> Result<(bookings::Model, Actor)> {
    let booking = load(core.db.conn(), id).await?;
    match actor_for(&booking, caller) {
        Some(actor) => Ok((booking, actor)),
        None => Err(ErrorCode::BookingNotFound.into()),
    }
}

/// The view of `booking` for `actor`.
pub async fn view_of(
    conn: &impl ConnectionTrait,
    booking: bookings::Model,
    actor: Actor,
) -> Result<BookingView> {
    let job_status = match booking.job_id {
        Some(job) => jobs::Entity::find_by_id(job)
            .one(conn)
            .await?
            .map(|j| j.status),
        None => None,
    };
    let allowed_next = lifecycle::next_states(booking.status, actor);
    Ok(BookingView {
        booking,
        job_status,
        allowed_next,
    })
}

/// `GET /api/bookings/:id`.
pub async fn one(core: &Core, caller: &Authenticated, id: Uuid) -> Result<BookingView> {
    let (booking, actor) = visible(core, caller, id).await?;
    view_of(core.db.conn(), booking, actor).await
}

/// The job (and so the contract) behind a booking the caller may see; 409
/// `no_contract` before it is accepted.
pub async fn job_of(core: &Core, caller: &Authenticated, id: Uuid) -> Result<Uuid> {
    let (booking, _) = visible(core, caller, id).await?;
    booking.job_id.ok_or_else(|| ErrorCode::NoContract.into())
}

/// The job a review or dispute names: `job` itself, or — when neither a
/// job nor a contract is named — the job behind `booking`.
pub async fn named_job(
    core: &Core,
    caller: &Authenticated,
    job: Option<Uuid>,
    contract: Option<Uuid>,
    booking: Option<Uuid>,
) -> Result<Option<Uuid>> {
    match booking {
        Some(booking) if job.is_none() && contract.is_none() => {
            Ok(Some(job_of(core, caller, booking).await?))
        }
        _ => Ok(job),
    }
}

/// `GET /api/bookings` filters.
#[derive(Debug, Clone, Default)]
pub struct BookingFilter {
    pub status: Option<String>,
    /// `client` or `provider`: only the bookings where the caller is that.
    pub role: Option<String>,
    /// Starts on or after (a date `YYYY-MM-DD`, UTC midnight, or RFC 3339).
    pub from: Option<String>,
    /// Starts before.
    pub to: Option<String>,
}

fn instant(errors: &mut FieldErrors, field: &str, raw: Option<&str>) -> Option<DateTime<Utc>> {
    let raw = raw.map(str::trim).filter(|r| !r.is_empty())?;
    let parsed = DateTime::parse_from_rfc3339(raw)
        .map(|d| d.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|d| d.and_utc())
        });
    if parsed.is_none() {
        errors.add(field, FieldIssue::Invalid);
    }
    parsed
}

/// `GET /api/bookings`: the caller's bookings, soonest start first.
pub async fn mine(
    core: &Core,
    caller: &Authenticated,
    filter: BookingFilter,
    page: PageRequest,
) -> Result<Page<BookingView>> {
    let mut errors = FieldErrors::new();
    let status = match filter
        .status
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(word) => {
            let parsed = BookingStatus::parse(word);
            if parsed.is_none() {
                errors.add(
                    "status",
                    FieldIssue::OneOf(BookingStatus::ALL.iter().map(|s| s.as_str()).collect()),
                );
            }
            parsed
        }
    };
    let me = caller.user.id;
    let mut sides = Condition::any();
    match filter
        .role
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => {
            sides = sides
                .add(bookings::Column::ClientId.eq(me))
                .add(bookings::Column::ProviderId.eq(me));
        }
        Some("client") => sides = sides.add(bookings::Column::ClientId.eq(me)),
        Some("provider") => sides = sides.add(bookings::Column::ProviderId.eq(me)),
        Some(_) => errors.add("role", FieldIssue::OneOf(vec!["client", "provider"])),
    }
    let from = instant(&mut errors, "from", filter.from.as_deref());
    let to = instant(&mut errors, "to", filter.to.as_deref());
    errors.into_result()?;
    let mut query = bookings::Entity::find().filter(sides);
    if let Some(status) = status {
        query = query.filter(bookings::Column::Status.eq(status));
    }
    if let Some(from) = from {
        query = query.filter(bookings::Column::StartAt.gte(from));
    }
    if let Some(to) = to {
        query = query.filter(bookings::Column::StartAt.lt(to));
    }
    let conn = core.db.conn();
    let paginator = query
        .order_by_asc(bookings::Column::StartAt)
        .order_by_asc(bookings::Column::Id)
        .paginate(conn, page.limit);
    let total = paginator.num_items().await?;
    let rows = paginator.fetch_page(page.page.saturating_sub(1)).await?;
    // The booked jobs' statuses in one query.
    let job_ids: Vec<Uuid> = rows.iter().filter_map(|b| b.job_id).collect();
    let statuses: std::collections::HashMap<Uuid, JobStatus> = if job_ids.is_empty() {
        std::collections::HashMap::new()
    } else {
        jobs::Entity::find()
            .filter(jobs::Column::Id.is_in(job_ids))
            .all(conn)
            .await?
            .into_iter()
            .map(|j| (j.id, j.status))
            .collect()
    };
    let mut data = Vec::with_capacity(rows.len());
    for booking in rows {
        let actor = actor_for(&booking, caller).ok_or(Error::code(ErrorCode::Internal))?;
        data.push(BookingView {
            job_status: booking.job_id.and_then(|j| statuses.get(&j).copied()),
            allowed_next: lifecycle::next_states(booking.status, actor),
            booking,
        });
    }
    Ok(Page::new(data, page, total))
}
