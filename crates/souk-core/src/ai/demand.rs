//! Skill development for a craftsman: the catalog skills in demand near
//! them — open jobs posted in the last 30 days within [`RADIUS_KM`]
//! against the craftsmen who list the skill there — with the figures
//! behind each suggestion, the skills they lack first.

use std::collections::{HashMap, HashSet};

use chrono::Duration;
use sea_orm::{FromQueryResult, Value};
use souk_db::{enums::AiFeature, sql_text::statement};
use uuid::Uuid;

use crate::{
    Core, Lang,
    accounts::{Authenticated, Role},
    ai::log::{self, Call},
    catalog::services,
    error::{ErrorCode, Result},
    marketplace::JobStatus,
    search::bounding_box,
};

/// How far around the craftsman demand is counted, km.
pub const RADIUS_KM: f64 = 50.0;
/// Days of posted jobs counted.
pub const DAYS: i64 = 30;

/// One skill's demand.
#[derive(Debug, Clone)]
pub struct Demand {
    pub slug: String,
    pub name: String,
    pub open_jobs: i64,
    pub craftsmen: i64,
    /// Open jobs per craftsman who lists it (+1, so an empty field is finite).
    pub jobs_per_craftsman: f64,
    pub has_skill: bool,
    pub why: String,
}

#[derive(Debug, FromQueryResult)]
struct Count {
    category: Uuid,
    n: i64,
}

fn within(point: Option<(f64, f64)>, lat: &str, lng: &str, values: &mut Vec<Value>) -> String {
    match point {
        Some((a, b)) => {
            let bbox = bounding_box(a, b, RADIUS_KM);
            let start = values.len();
            values.extend([
                bbox.min_lat.into(),
                bbox.max_lat.into(),
                bbox.min_lng.into(),
                bbox.max_lng.into(),
            ]);
            format!(
                " AND {lat} BETWEEN ${} AND ${} AND {lng} BETWEEN ${} AND ${}",
                start + 1,
                start + 2,
                start + 3,
                start + 4
            )
        }
        None => String::new(),
    }
}

/// The skills in demand near the caller (craftsmen only), most wanted first.
pub async fn suggest(core: &Core, caller: &Authenticated, lang: Lang) -> Result<Vec<Demand>> {
    if caller.role != Role::Craftsman {
        return Err(ErrorCode::CraftsmenOnly.into());
    }
    let mut call = Call::start(Some(caller.user.id), AiFeature::SkillDevelopment);
    let conn = core.db.conn();
    let point = caller.user.latitude.zip(caller.user.longitude);
    let since = crate::time::earlier(core.clock.now(), Duration::days(DAYS));
    let mut values: Vec<Value> = vec![since.into()];
    let open = [JobStatus::Posted, JobStatus::Quoted]
        .map(|s| format!("'{}'", s.as_str()))
        .join(", ");
    let sql = format!(
        "SELECT category_id AS category, COUNT(*) AS n FROM jobs WHERE created_at >= $1 \
         AND status IN ({open}){} GROUP BY category_id",
        within(point, "latitude", "longitude", &mut values)
    );
    let jobs: HashMap<Uuid, i64> = Count::find_by_statement(statement(conn, sql, values))
        .all(conn)
        .await?
        .into_iter()
        .map(|c| (c.category, c.n))
        .collect();
    let mut values: Vec<Value> = Vec::new();
    let sql = format!(
        "SELECT s.service_id AS category, COUNT(*) AS n FROM user_skills s JOIN users u \
         ON u.id = s.user_id WHERE u.role = 'craftsman' AND u.banned_at IS NULL \
         AND u.deleted_at IS NULL{} GROUP BY s.service_id",
        within(point, "u.latitude", "u.longitude", &mut values)
    );
    let supply: HashMap<Uuid, i64> = Count::find_by_statement(statement(conn, sql, values))
        .all(conn)
        .await?
        .into_iter()
        .map(|c| (c.category, c.n))
        .collect();
    let mine: HashSet<Uuid> = {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
        souk_db::entities::user_skills::Entity::find()
            .select_only()
            .column(souk_db::entities::user_skills::Column::ServiceId)
            .filter(souk_db::entities::user_skills::Column::UserId.eq(caller.user.id))
            .into_tuple::<Uuid>()
            .all(conn)
            .await?
            .into_iter()
            .collect()
    };
    let mut found: Vec<Demand> = services::list(core, false)
        .await?
        .into_iter()
        .filter_map(|s| {
            let open_jobs = jobs.get(&s.id).copied().unwrap_or(0);
            if open_jobs == 0 {
                return None;
            }
            let craftsmen = supply.get(&s.id).copied().unwrap_or(0);
            let ratio = crate::num::approx_f64(open_jobs) / crate::num::approx_f64(craftsmen + 1);
            let name = services::localized_name(&s, lang).to_owned();
            let why = match lang {
                Lang::En => format!(
                    "{open_jobs} open {name} jobs near you in the last {DAYS} days, {craftsmen} craftsmen listing it"
                ),
                Lang::Ar => format!(
                    "{open_jobs} طلب {name} مفتوح بالقرب منك خلال آخر {DAYS} يومًا، و{craftsmen} حرفي يقدّمها"
                ),
            };
            Some(Demand {
                has_skill: mine.contains(&s.id),
                slug: s.slug,
                name,
                open_jobs,
                craftsmen,
                jobs_per_craftsman: (ratio * 100.0).round() / 100.0,
                why,
            })
        })
        .collect();
    found.sort_by(|a, b| {
        a.has_skill
            .cmp(&b.has_skill)
            .then(b.jobs_per_craftsman.total_cmp(&a.jobs_per_craftsman))
            .then(b.open_jobs.cmp(&a.open_jobs))
            .then(a.slug.cmp(&b.slug))
    });
    call.matched = Vec::new();
    log::record(core, call).await;
    Ok(found)
}
