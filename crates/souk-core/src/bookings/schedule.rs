//! A craftsman's schedule: `GET|PUT /api/users/me/schedule`. Checked as a
//! whole ([`availability::Schedule::parse`]: a known IANA zone, times on
//! the clock, no overlapping intervals on one day, one override per date,
//! time-off ranges that end after they start); stored as sent, local wall
//! time plus the zone; nothing stored on refusal.

use sea_orm::{EntityTrait, Set, sea_query::OnConflict};
use serde_json::{Value, json};
use souk_db::entities::provider_schedules;

use super::availability::Schedule;
use crate::{
    Core,
    accounts::{Authenticated, Role},
    error::{Error, ErrorCode, FieldErrors, FieldIssue, Result},
};

/// A provider's schedule, and whether they ever set one.
#[derive(Debug, Clone)]
pub struct ScheduleView {
    pub schedule: Schedule,
    pub configured: bool,
}

fn providers_only(caller: &Authenticated) -> Result<()> {
    if caller.role == Role::Craftsman {
        Ok(())
    } else {
        Err(ErrorCode::CraftsmenOnly.into())
    }
}

/// The empty schedule a provider starts with: UTC, no hours.
fn empty() -> Result<Schedule> {
    Schedule::parse(&json!({"timeZone": "UTC", "weekly": [], "overrides": [], "timeOff": []}))
        .map_err(|_| Error::Internal(anyhow::anyhow!("the empty schedule does not parse")))
}

/// The stored schedule of `user`, if any.
pub async fn of(core: &Core, user: uuid::Uuid) -> Result<Option<Schedule>> {
    let Some(row) = provider_schedules::Entity::find_by_id(user)
        .one(core.db.conn())
        .await?
    else {
        return Ok(None);
    };
    let value: Value = serde_json::from_str(&row.body).map_err(anyhow::Error::from)?;
    Schedule::parse(&value)
        .map(Some)
        .map_err(|_| Error::Internal(anyhow::anyhow!("a stored schedule does not parse")))
}

/// `GET /api/users/me/schedule`.
pub async fn get(core: &Core, caller: &Authenticated) -> Result<ScheduleView> {
    providers_only(caller)?;
    Ok(match of(core, caller.user.id).await? {
        Some(schedule) => ScheduleView {
            schedule,
            configured: true,
        },
        None => ScheduleView {
            schedule: empty()?,
            configured: false,
        },
    })
}

/// `PUT /api/users/me/schedule`: replaces the whole schedule.
pub async fn put(core: &Core, caller: &Authenticated, body: &Value) -> Result<ScheduleView> {
    providers_only(caller)?;
    let schedule = Schedule::parse(body).map_err(|problems| {
        let mut errors = FieldErrors::new();
        for problem in problems {
            errors.add(problem.field, FieldIssue::Schedule(problem.issue));
        }
        Error::Validation(errors)
    })?;
    let stored = schedule.to_json();
    let txn = core.db.begin_write().await?.without_account_changes();
    provider_schedules::Entity::insert(provider_schedules::ActiveModel {
        user_id: Set(caller.user.id),
        time_zone: Set(schedule.time_zone.name().to_owned()),
        body: Set(stored.to_string()),
        updated_at: Set(core.clock.now()),
    })
    .on_conflict(
        OnConflict::column(provider_schedules::Column::UserId)
            .update_columns([
                provider_schedules::Column::TimeZone,
                provider_schedules::Column::Body,
                provider_schedules::Column::UpdatedAt,
            ])
            .to_owned(),
    )
    .exec_without_returning(&*txn)
    .await?;
    txn.commit().await?;
    Ok(ScheduleView {
        schedule,
        configured: true,
    })
}
