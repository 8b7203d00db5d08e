//! Fairness both ways: each buyer's public record (approval rate, median
//! time to decide, workers' ratings of them), each worker's (approval rate,
//! earnings), the top workers by approved earnings, and a worker's rating
//! of a buyer — once per task they were paid or rejected on.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use souk_db::{
    entities::{task_ratings, task_submissions, users},
    enums::SubmissionStatus,
    sql_text::statement,
};
use uuid::Uuid;

use crate::{
    Core,
    accounts::{Authenticated, validate::optional_text},
    error::{ErrorCode, FieldErrors, FieldIssue, Result, is_unique_violation},
    num::{approx_f64, count_u64},
    reviews::rating,
    time,
};

/// How many of a person's latest decisions their record reads.
const RECENT: u64 = 1_000;

/// A buyer's public record.
#[derive(Debug, Clone, Default)]
pub struct BuyerRecord {
    pub decided: u64,
    pub approved: u64,
    /// Approved out of decided (0–1); `None` before any decision.
    pub approval_rate: Option<f64>,
    /// Hours from submission to decision, the median.
    pub median_decision_hours: Option<f64>,
    /// Workers' average rating of the buyer (1–5).
    pub rating: Option<f64>,
    pub rating_count: i32,
}

/// A worker's record.
#[derive(Debug, Clone, Default)]
pub struct WorkerRecord {
    pub decided: u64,
    pub approved: u64,
    pub approval_rate: Option<f64>,
    /// What they received, over every task.
    pub earnings: i64,
}

fn rate(approved: u64, decided: u64) -> Option<f64> {
    let (a, d) = (i64::try_from(approved).ok()?, i64::try_from(decided).ok()?);
    (d > 0).then(|| (approx_f64(a) / approx_f64(d) * 1000.0).round() / 1000.0)
}

/// A buyer's record, from their latest decisions.
pub async fn buyer_record(conn: &impl ConnectionTrait, buyer: Uuid) -> Result<BuyerRecord> {
    let decided = task_submissions::Entity::find()
        .filter(task_submissions::Column::BuyerId.eq(buyer))
        .filter(task_submissions::Column::DecidedAt.is_not_null())
        .order_by_desc(task_submissions::Column::DecidedAt)
        .limit(RECENT)
        .all(conn)
        .await?;
    let approved = decided
        .iter()
        .filter(|s| s.status == SubmissionStatus::Approved)
        .count();
    let mut hours: Vec<f64> = decided
        .iter()
        .filter_map(|s| {
            let took = s.decided_at? - s.created_at;
            Some(approx_f64(took.num_minutes()) / 60.0)
        })
        .collect();
    hours.sort_by(f64::total_cmp);
    let median = hours
        .get(hours.len() / 2)
        .map(|h| (h * 10.0).round() / 10.0);
    let ratings: Vec<i32> = task_ratings::Entity::find()
        .select_only()
        .column(task_ratings::Column::Rating)
        .filter(task_ratings::Column::BuyerId.eq(buyer))
        .into_tuple()
        .all(conn)
        .await?;
    let count = i32::try_from(ratings.len()).unwrap_or(i32::MAX);
    let sum: i64 = ratings.iter().map(|r| i64::from(*r)).sum();
    let decided_n = count_u64(decided.len());
    let approved_n = count_u64(approved);
    Ok(BuyerRecord {
        decided: decided_n,
        approved: approved_n,
        approval_rate: rate(approved_n, decided_n),
        median_decision_hours: median,
        rating: rating::average(sum, count),
        rating_count: count,
    })
}

#[derive(FromQueryResult)]
struct Totals {
    decided: i64,
    approved: i64,
    earnings: Option<i64>,
}

/// A worker's record.
pub async fn worker_record(conn: &impl ConnectionTrait, worker: Uuid) -> Result<WorkerRecord> {
    let totals = Totals::find_by_statement(statement(
        conn,
        "SELECT COUNT(*) AS decided, \
         CAST(COALESCE(SUM(CASE WHEN status = 'approved' THEN 1 ELSE 0 END), 0) AS BIGINT) AS approved, \
         CAST(SUM(paid) AS BIGINT) AS earnings FROM task_submissions \
         WHERE worker_id = $1 AND status <> 'pending'",
        [worker.into()],
    ))
    .one(conn)
    .await?;
    let (decided, approved, earnings) = totals.map_or((0, 0, 0), |t| {
        (t.decided, t.approved, t.earnings.unwrap_or(0))
    });
    let decided = u64::try_from(decided).unwrap_or(0);
    let approved = u64::try_from(approved).unwrap_or(0);
    Ok(WorkerRecord {
        decided,
        approved,
        approval_rate: rate(approved, decided),
        earnings,
    })
}

/// One of the top workers.
#[derive(Debug, Clone)]
pub struct TopWorker {
    pub user: users::Model,
    pub earnings: i64,
    pub approved: i64,
}

#[derive(FromQueryResult)]
struct Earned {
    worker_id: Uuid,
    earnings: i64,
    approved: i64,
}

/// `GET /api/tasks/top-workers`: the six workers with the most approved
/// earnings (banned and deleted accounts left out).
pub async fn top_workers(core: &Core) -> Result<Vec<TopWorker>> {
    let conn = core.db.conn();
    let rows = Earned::find_by_statement(statement(
        conn,
        "SELECT worker_id, CAST(SUM(paid) AS BIGINT) AS earnings, COUNT(*) AS approved FROM task_submissions \
         WHERE status = 'approved' GROUP BY worker_id ORDER BY earnings DESC, worker_id LIMIT 20",
        [],
    ))
    .all(conn)
    .await?;
    let ids: Vec<Uuid> = rows.iter().map(|r| r.worker_id).collect();
    let people: std::collections::HashMap<Uuid, users::Model> = users::Entity::find()
        .filter(users::Column::Id.is_in(ids))
        .filter(users::Column::DeletedAt.is_null())
        .filter(users::Column::BannedAt.is_null())
        .all(conn)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            people.get(&r.worker_id).map(|user| TopWorker {
                user: user.clone(),
                earnings: r.earnings,
                approved: r.approved,
            })
        })
        .take(6)
        .collect())
}

/// `POST /api/tasks/:id/rating {rating, comment}`: a worker rates the
/// task's buyer, once, after being paid or rejected on it.
pub async fn rate_buyer(
    core: &Core,
    caller: &Authenticated,
    task: Uuid,
    stars: Option<i64>,
    comment: Option<&str>,
) -> Result<()> {
    let mut errors = FieldErrors::new();
    let stars = match stars {
        Some(n) if (1..=5).contains(&n) => i32::try_from(n).unwrap_or(0),
        Some(_) => {
            errors.add("rating", FieldIssue::out_of_range(1, 5));
            0
        }
        None => {
            errors.add("rating", FieldIssue::Required);
            0
        }
    };
    let comment = optional_text(&mut errors, "comment", comment, 1000);
    errors.into_result()?;
    let conn = core.db.conn();
    let decided = task_submissions::Entity::find()
        .filter(task_submissions::Column::TaskId.eq(task))
        .filter(task_submissions::Column::WorkerId.eq(caller.user.id))
        .filter(task_submissions::Column::Status.ne(SubmissionStatus::Pending))
        .one(conn)
        .await?
        .ok_or(ErrorCode::NotRateable)?;
    let txn = core.db.begin_write().await?.without_account_changes();
    let saved = task_ratings::ActiveModel {
        task_id: Set(task),
        worker_id: Set(caller.user.id),
        buyer_id: Set(decided.buyer_id),
        rating: Set(stars),
        comment: Set(comment),
        created_at: Set(time::now()),
    }
    .insert(&*txn)
    .await;
    match saved {
        Err(err) if is_unique_violation(&err) => return Err(ErrorCode::AlreadyRated.into()),
        other => {
            other?;
        }
    }
    txn.commit().await?;
    Ok(())
}
