//! The craftsmen a need may be recommended, read in a few statements
//! whatever their number: active, available craftsmen who list the
//! category as a skill or offer it (or, without a category, everyone near),
//! inside the bounding box of the widest reach around the need's place,
//! nearest first, at most [`MAX_CANDIDATES`]; then their contract record
//! and, for the best of them, their free time.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, FromQueryResult, Value};
use souk_db::{
    entities::provider_schedules,
    enums::{ContractStatus, OfferingStatus, VerificationStatus},
    sql_text::statement,
};
use uuid::Uuid;

use crate::{
    bookings::{availability::Schedule, slots},
    error::Result,
    search::bounding_box,
};

/// The most craftsmen scored for one need.
pub const MAX_CANDIDATES: usize = 2_000;
/// The widest reach considered, km: nobody farther is a candidate.
pub const MAX_REACH_KM: f64 = 100.0;

/// One candidate as read.
#[derive(Debug, Clone, FromQueryResult)]
pub struct Candidate {
    pub id: Uuid,
    pub first_name: String,
    pub last_name: String,
    pub profile_picture: Option<String>,
    pub city: Option<String>,
    pub bio: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub service_radius_km: Option<f64>,
    pub rating_sum: i64,
    pub rating_count: i32,
    pub completed_jobs: i32,
    pub response_time_minutes: Option<i32>,
    pub verification_status: String,
    pub updated_at: DateTime<Utc>,
    pub has_skill: i32,
    pub offers: i32,
}

impl Candidate {
    pub fn verified(&self) -> bool {
        self.verification_status == VerificationStatus::Verified.as_str()
    }
}

/// What to look for.
#[derive(Debug, Clone, Copy)]
pub struct Scope {
    pub category: Option<Uuid>,
    pub point: Option<(f64, f64)>,
}

/// The candidates of `scope` (one statement).
pub async fn read(conn: &impl ConnectionTrait, scope: Scope) -> Result<Vec<Candidate>> {
    let mut values: Vec<Value> = Vec::new();
    let mark = |values: &mut Vec<Value>, v: Value| {
        values.push(v);
        format!("${}", values.len())
    };
    let offering_active = sea_orm::ActiveEnum::to_value(&OfferingStatus::Active);
    let (has_skill, offers) = match scope.category {
        Some(category) => {
            let a = mark(&mut values, category.into());
            let b = mark(&mut values, category.into());
            (
                format!(
                    "CASE WHEN EXISTS (SELECT 1 FROM user_skills s WHERE s.user_id = u.id \
                     AND s.service_id = {a}) THEN 1 ELSE 0 END"
                ),
                format!(
                    "CASE WHEN EXISTS (SELECT 1 FROM offerings o WHERE o.provider_id = u.id \
                     AND o.category_id = {b} AND o.status = '{offering_active}' AND o.is_visible) \
                     THEN 1 ELSE 0 END"
                ),
            )
        }
        None => ("0".to_owned(), "0".to_owned()),
    };
    let mut sql = format!(
        "SELECT u.id, u.first_name, u.last_name, u.profile_picture, u.city, u.bio, u.latitude, \
         u.longitude, u.service_radius_km, u.rating_sum, u.rating_count, u.completed_jobs, \
         u.response_time_minutes, u.verification_status, u.updated_at, {has_skill} AS has_skill, \
         {offers} AS offers FROM users u WHERE u.role = 'craftsman' AND u.banned_at IS NULL \
         AND u.deactivated_at IS NULL AND u.deleted_at IS NULL AND u.available"
    );
    if let Some(category) = scope.category {
        let a = mark(&mut values, category.into());
        let b = mark(&mut values, category.into());
        sql.push_str(&format!(
            " AND (u.id IN (SELECT s.user_id FROM user_skills s WHERE s.service_id = {a}) \
             OR u.id IN (SELECT o.provider_id FROM offerings o WHERE o.category_id = {b} \
             AND o.status = '{offering_active}' AND o.is_visible))"
        ));
    }
    match scope.point {
        Some((lat, lng)) => {
            let bbox = bounding_box(lat, lng, MAX_REACH_KM);
            let (a, b) = (
                mark(&mut values, bbox.min_lat.into()),
                mark(&mut values, bbox.max_lat.into()),
            );
            let (c, d) = (
                mark(&mut values, bbox.min_lng.into()),
                mark(&mut values, bbox.max_lng.into()),
            );
            let (e, f) = (mark(&mut values, lat.into()), mark(&mut values, lng.into()));
            // Nearest first by the flat-earth proxy; longitude degrees shrink
            // with latitude, which the exact distance later accounts for.
            sql.push_str(&format!(
                " AND u.latitude BETWEEN {a} AND {b} AND u.longitude BETWEEN {c} AND {d} \
                 ORDER BY (u.latitude - {e}) * (u.latitude - {e}) + \
                 (u.longitude - {f}) * (u.longitude - {f}), u.id"
            ));
        }
        None => sql.push_str(" ORDER BY u.rating_count DESC, u.id"),
    }
    sql.push_str(&format!(" LIMIT {MAX_CANDIDATES}"));
    Ok(Candidate::find_by_statement(statement(conn, sql, values))
        .all(conn)
        .await?)
}

/// A craftsman's contract record.
#[derive(Debug, Clone, Default, FromQueryResult)]
pub struct Record {
    pub craftsman_id: Uuid,
    pub completed: i64,
    pub cancelled: i64,
    pub last_at: Option<DateTime<Utc>>,
}

/// The contract records of `ids` (one statement).
pub async fn records(conn: &impl ConnectionTrait, ids: &[Uuid]) -> Result<HashMap<Uuid, Record>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let mut values: Vec<Value> = vec![
        ContractStatus::Completed.as_str().into(),
        ContractStatus::Cancelled.as_str().into(),
    ];
    let mut marks = Vec::with_capacity(ids.len());
    for id in ids {
        values.push((*id).into());
        marks.push(format!("${}", values.len()));
    }
    let sql = format!(
        "SELECT craftsman_id, SUM(CASE WHEN status = $1 THEN 1 ELSE 0 END) AS completed, \
         SUM(CASE WHEN status = $2 THEN 1 ELSE 0 END) AS cancelled, MAX(updated_at) AS last_at \
         FROM contracts WHERE craftsman_id IN ({}) GROUP BY craftsman_id",
        marks.join(", ")
    );
    Ok(Record::find_by_statement(statement(conn, sql, values))
        .all(conn)
        .await?
        .into_iter()
        .map(|r| (r.craftsman_id, r))
        .collect())
}

/// Free minutes of each of `ids` within `window` by their schedules, less
/// the time their bookings hold; absent for those without a schedule (two
/// statements).
pub async fn free_minutes(
    conn: &impl ConnectionTrait,
    ids: &[Uuid],
    window: (DateTime<Utc>, DateTime<Utc>),
) -> Result<HashMap<Uuid, i64>> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let mut schedules: HashMap<Uuid, Schedule> = HashMap::new();
    for row in provider_schedules::Entity::find()
        .filter(provider_schedules::Column::UserId.is_in(ids.to_vec()))
        .all(conn)
        .await?
    {
        let Ok(value) = serde_json::from_str::<serde_json::Value>(&row.body) else {
            continue;
        };
        if let Ok(schedule) = Schedule::parse(&value) {
            schedules.insert(row.user_id, schedule);
        }
    }
    let with_schedule: Vec<Uuid> = schedules.keys().copied().collect();
    let held = slots::held(
        conn,
        &with_schedule,
        (window.0.timestamp(), window.1.timestamp()),
        None,
    )
    .await?;
    let mut free = HashMap::with_capacity(schedules.len());
    for (id, schedule) in &schedules {
        let tz = schedule.time_zone;
        let first = crate::bookings::availability::local_date(tz, window.0);
        let last = crate::bookings::availability::local_date(tz, window.1);
        let (from, to) = (window.0.timestamp(), window.1.timestamp());
        let mut minutes = 0_i64;
        let mut day = first;
        while day <= last {
            for (start, end) in schedule.open_ranges(day) {
                let (a, b) = (start.timestamp().max(from), end.timestamp().min(to));
                if a >= b {
                    continue;
                }
                let busy: i64 = held
                    .iter()
                    .filter(|h| h.provider_id == *id && h.hold_from < b && h.hold_to > a)
                    .map(|h| h.hold_to.min(b) - h.hold_from.max(a))
                    .sum();
                minutes += (b - a - busy).max(0) / 60;
            }
            match day.succ_opt() {
                Some(next) => day = next,
                None => break,
            }
        }
        free.insert(*id, minutes);
    }
    Ok(free)
}
