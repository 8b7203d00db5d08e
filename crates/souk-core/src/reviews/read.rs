//! Reading reviews: one review (its author always; the reviewee and the
//! public once revealed; staff any), a user's public reviews, and the
//! caller's own — written, received and still to write.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use souk_db::{
    entities::{contracts, jobs, reviews, users},
    enums::{ContractStatus, EscrowStatus, ReviewStatus},
};
use uuid::Uuid;

use super::{ReviewView, sides};
use crate::{
    Core,
    accounts::Authenticated,
    error::{ErrorCode, Result},
    money::settings,
    pagination::{Page, PageRequest},
    time,
};

/// A review with what a reader needs beside it.
#[derive(Debug, Clone)]
pub struct ReviewCard {
    pub view: ReviewView,
    /// The author's public name and picture.
    pub reviewer: Option<users::Model>,
    pub job_title: String,
    pub job_category: Option<Uuid>,
}

/// Whether `caller` may see `review`: 404 `review_not_found` otherwise, so
/// a blind review's existence does not leak.
pub fn visible_to(review: &reviews::Model, caller: &Authenticated) -> Result<()> {
    let visible = match review.status {
        ReviewStatus::Revealed => true,
        ReviewStatus::Pending | ReviewStatus::Hidden => {
            review.reviewer_id == caller.user.id || caller.role.is_staff()
        }
    };
    if visible {
        Ok(())
    } else {
        Err(ErrorCode::ReviewNotFound.into())
    }
}

/// Days a review window lasts (the setting).
async fn window_days(core: &Core, conn: &impl ConnectionTrait) -> Result<i64> {
    Ok(settings::load(conn, &core.settings)
        .await?
        .review_window_days)
}

/// Fills in authors, jobs and deadlines for `list` (`days`: the window).
async fn cards(
    conn: &impl ConnectionTrait,
    list: Vec<reviews::Model>,
    days: i64,
) -> Result<Vec<ReviewCard>> {
    let people: Vec<Uuid> = list.iter().map(|r| r.reviewer_id).collect();
    let job_ids: Vec<Uuid> = list.iter().map(|r| r.job_id).collect();
    let people: HashMap<Uuid, users::Model> = if people.is_empty() {
        HashMap::new()
    } else {
        users::Entity::find()
            .filter(users::Column::Id.is_in(people))
            .all(conn)
            .await?
            .into_iter()
            .map(|u| (u.id, u))
            .collect()
    };
    let jobs: HashMap<Uuid, jobs::Model> = if job_ids.is_empty() {
        HashMap::new()
    } else {
        jobs::Entity::find()
            .filter(jobs::Column::Id.is_in(job_ids))
            .all(conn)
            .await?
            .into_iter()
            .map(|j| (j.id, j))
            .collect()
    };
    Ok(list
        .into_iter()
        .map(|review| {
            let job = jobs.get(&review.job_id);
            let completed = job
                .and_then(|j| j.completed_at)
                .unwrap_or(review.created_at);
            ReviewCard {
                reviewer: people.get(&review.reviewer_id).cloned(),
                job_title: job.map(|j| j.title.clone()).unwrap_or_default(),
                job_category: job.map(|j| j.category_id),
                view: ReviewView {
                    deadline: time::later(completed, chrono::Duration::days(days)),
                    review,
                },
            }
        })
        .collect())
}

/// `GET /api/reviews/:id`.
pub async fn one(core: &Core, caller: &Authenticated, id: Uuid) -> Result<ReviewCard> {
    let conn = core.db.conn();
    let review = reviews::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(ErrorCode::ReviewNotFound)?;
    visible_to(&review, caller)?;
    let days = window_days(core, conn).await?;
    let mut list = cards(conn, vec![review], days).await?;
    list.pop().ok_or_else(|| ErrorCode::ReviewNotFound.into())
}

/// `GET /api/reviews/user/:userId`: a user's revealed reviews, newest
/// first (public).
pub async fn for_user(core: &Core, user: Uuid, page: PageRequest) -> Result<Page<ReviewCard>> {
    let conn = core.db.conn();
    let exists = users::Entity::find_by_id(user)
        .filter(users::Column::DeletedAt.is_null())
        .count(conn)
        .await?;
    if exists == 0 {
        return Err(ErrorCode::UserNotFound.into());
    }
    let query = reviews::Entity::find()
        .filter(reviews::Column::RevieweeId.eq(user))
        .filter(reviews::Column::Status.eq(ReviewStatus::Revealed));
    let total = query.clone().count(conn).await?;
    let list = query
        .order_by_desc(reviews::Column::RevealedAt)
        .order_by_desc(reviews::Column::Id)
        .offset(page.offset())
        .limit(page.limit)
        .all(conn)
        .await?;
    let days = window_days(core, conn).await?;
    Ok(Page::new(cards(conn, list, days).await?, page, total))
}

/// `GET /api/reviews/offering/:id`: the revealed reviews of an offering's
/// provider written by clients who booked it, newest first (public).
pub async fn for_offering(
    core: &Core,
    offering: Uuid,
    page: PageRequest,
) -> Result<Page<ReviewCard>> {
    use sea_orm::sea_query::{Expr, ExprTrait, Query};
    use souk_db::entities::{bookings, offerings};
    let conn = core.db.conn();
    let row = offerings::Entity::find_by_id(offering)
        .one(conn)
        .await?
        .ok_or(ErrorCode::OfferingNotFound)?;
    let booked = Query::select()
        .column(bookings::Column::ContractId)
        .from(bookings::Entity)
        .and_where(Expr::col(bookings::Column::OfferingId).eq(offering))
        .and_where(Expr::col(bookings::Column::ContractId).is_not_null())
        .to_owned();
    let query = reviews::Entity::find()
        .filter(reviews::Column::RevieweeId.eq(row.provider_id))
        .filter(reviews::Column::Status.eq(ReviewStatus::Revealed))
        .filter(reviews::Column::ContractId.in_subquery(booked));
    let total = query.clone().count(conn).await?;
    let list = query
        .order_by_desc(reviews::Column::RevealedAt)
        .order_by_desc(reviews::Column::Id)
        .offset(page.offset())
        .limit(page.limit)
        .all(conn)
        .await?;
    let days = window_days(core, conn).await?;
    Ok(Page::new(cards(conn, list, days).await?, page, total))
}

/// A completed contract the caller may still review.
#[derive(Debug, Clone)]
pub struct Pending {
    pub contract: Uuid,
    pub job: Uuid,
    pub job_title: String,
    pub reviewee: Uuid,
    pub deadline: DateTime<Utc>,
    /// The other side has written theirs (blind until the caller writes
    /// or the window closes).
    pub they_reviewed: bool,
}

/// The caller's reviews.
#[derive(Debug, Clone)]
pub struct Mine {
    /// Written by the caller, blind ones too, newest first.
    pub written: Vec<ReviewCard>,
    /// About the caller, revealed only, newest first.
    pub received: Vec<ReviewCard>,
    /// Completed contracts still open for the caller's review.
    pub pending: Vec<Pending>,
}

/// How many of each list `GET /api/reviews/mine` answers.
const MINE_LIMIT: u64 = 50;

/// `GET /api/reviews/mine`.
pub async fn mine(core: &Core, caller: &Authenticated) -> Result<Mine> {
    let conn = core.db.conn();
    let me = caller.user.id;
    let written = reviews::Entity::find()
        .filter(reviews::Column::ReviewerId.eq(me))
        .order_by_desc(reviews::Column::CreatedAt)
        .limit(MINE_LIMIT)
        .all(conn)
        .await?;
    let received = reviews::Entity::find()
        .filter(reviews::Column::RevieweeId.eq(me))
        .filter(reviews::Column::Status.eq(ReviewStatus::Revealed))
        .order_by_desc(reviews::Column::RevealedAt)
        .limit(MINE_LIMIT)
        .all(conn)
        .await?;
    // Completed contracts whose window is open and that the caller has not
    // reviewed yet.
    let days = window_days(core, conn).await?;
    let now = core.clock.now();
    let since = time::earlier(now, chrono::Duration::days(days));
    let contracts: Vec<contracts::Model> = contracts::Entity::find()
        .filter(
            sea_orm::Condition::any()
                .add(contracts::Column::ClientId.eq(me))
                .add(contracts::Column::CraftsmanId.eq(me)),
        )
        .filter(contracts::Column::Status.eq(ContractStatus::Completed))
        .filter(contracts::Column::EscrowStatus.ne(EscrowStatus::Refunded))
        .filter(contracts::Column::UpdatedAt.gt(since))
        .order_by_desc(contracts::Column::UpdatedAt)
        .limit(MINE_LIMIT)
        .all(conn)
        .await?;
    let job_ids: Vec<Uuid> = contracts.iter().map(|c| c.job_id).collect();
    let jobs: HashMap<Uuid, jobs::Model> = if job_ids.is_empty() {
        HashMap::new()
    } else {
        jobs::Entity::find()
            .filter(jobs::Column::Id.is_in(job_ids))
            .filter(jobs::Column::CompletedAt.gt(since))
            .all(conn)
            .await?
            .into_iter()
            .map(|j| (j.id, j))
            .collect()
    };
    let recent: Vec<(contracts::Model, Option<jobs::Model>)> = contracts
        .into_iter()
        .map(|c| {
            let job = jobs.get(&c.job_id).cloned();
            (c, job)
        })
        .collect();
    let ids: Vec<Uuid> = recent.iter().map(|(c, _)| c.id).collect();
    let reviewed: Vec<(Uuid, Uuid)> = if ids.is_empty() {
        Vec::new()
    } else {
        reviews::Entity::find()
            .select_only()
            .column(reviews::Column::ContractId)
            .column(reviews::Column::ReviewerId)
            .filter(reviews::Column::ContractId.is_in(ids))
            .into_tuple()
            .all(conn)
            .await?
    };
    let mut pending = Vec::new();
    for (contract, job) in recent {
        let (Some(job), Some((_, other))) = (job, sides(&contract, me)) else {
            continue;
        };
        let Some(completed) = job.completed_at else {
            continue;
        };
        if reviewed.contains(&(contract.id, me)) {
            continue;
        }
        pending.push(Pending {
            contract: contract.id,
            job: job.id,
            job_title: job.title.clone(),
            reviewee: other,
            deadline: time::later(completed, chrono::Duration::days(days)),
            they_reviewed: reviewed.contains(&(contract.id, other)),
        });
    }
    Ok(Mine {
        written: cards(conn, written, days).await?,
        received: cards(conn, received, days).await?,
        pending,
    })
}
