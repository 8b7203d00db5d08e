//! Posting, editing, cancelling and viewing jobs, and moving them through the
//! lifecycle table.

use std::sync::Arc;

use bytes::Bytes;
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, JoinType, QueryFilter,
    QuerySelect, Set, Value, sea_query::Expr,
};
use serde_json::json;
use souk_db::entities::{contracts, job_terms, jobs, quotes, services};
use souk_db::enums::QuoteStatus;
use souk_db::{
    DbBackendKind,
    gated::{self, GatedWrite},
};
use souk_integrations::images::{self, ImageError};
use uuid::Uuid;

use super::{
    Actor, JobStatus,
    access::{actor_for, ensure_can_view, ensure_owner},
    lifecycle::{self, ContractEffect, Facts, Refusal},
};
use crate::{
    Core,
    accounts::{Authenticated, Role, validate::optional_text},
    admin::activity,
    catalog::{self, services::ServiceRef},
    error::{Error, ErrorCode, FieldErrors, FieldIssue, Result},
    money::{self, amount, escrow::LockedContract, ledger::Lead},
    notifications::{self, Event},
    search, time,
};

/// Most photos on a job.
pub const MAX_PHOTOS: usize = 5;
/// Largest photo upload.
pub const MAX_PHOTO_BYTES: usize = 5 * 1024 * 1024;
const PAYMENT_TYPES: [&str; 3] = ["escrow", "cash", "cash_protected"];

/// Job fields as received (create: required ones must be present; update:
/// absent means unchanged).
#[derive(Debug, Clone, Default)]
pub struct JobInput {
    pub title: Option<String>,
    pub description: Option<String>,
    pub category: Option<String>,
    pub address: Option<String>,
    pub location: Option<(f64, f64)>,
    pub budget_min: Option<i64>,
    pub budget_max: Option<i64>,
    pub payment_type: Option<String>,
    pub desired_date: Option<String>,
    pub photos: Vec<Bytes>,
}

/// A job with what its viewer may see of its contract.
#[derive(Debug, Clone)]
pub struct JobView {
    pub job: jobs::Model,
    pub contract: Option<contracts::Model>,
}

/// Accepts seed spellings: "Escrow", "Cash", "CashProtected", "cash protected".
pub fn parse_payment_type(word: &str) -> Option<&'static str> {
    let key: String = word
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect::<String>()
        .to_lowercase();
    match key.as_str() {
        "escrow" => Some("escrow"),
        "cash" => Some("cash"),
        "cashprotected" | "protectedcash" => Some("cash_protected"),
        _ => None,
    }
}

fn parse_date(raw: &str) -> Option<DateTime<Utc>> {
    let raw = raw.trim();
    DateTime::parse_from_rfc3339(raw)
        .map(|d| d.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|d| d.and_utc())
        })
}

/// Finds an active catalog entry by id or slug (archived ones take no new jobs).
pub async fn resolve_category(
    conn: &impl ConnectionTrait,
    key: &str,
) -> Result<Option<services::Model>> {
    Ok(find_category(conn, key).await?.filter(|s| s.active))
}

/// Finds a catalog entry by id or slug, archived or not.
pub async fn find_category(
    conn: &impl ConnectionTrait,
    key: &str,
) -> Result<Option<services::Model>> {
    match ServiceRef::parse(key.trim()) {
        Some(reference) => catalog::services::find(conn, &reference).await,
        None => Ok(None),
    }
}

struct Checked {
    title: Option<String>,
    description: Option<String>,
    category: Option<services::Model>,
    address: Option<Option<String>>,
    payment_type: Option<&'static str>,
    desired_date: Option<DateTime<Utc>>,
}

async fn check(
    core: &Core,
    input: &JobInput,
    creating: bool,
    current: Option<&jobs::Model>,
) -> Result<Checked> {
    let mut errors = FieldErrors::new();
    let text =
        |errors: &mut FieldErrors, field: &str, value: &Option<String>, min: usize, max: usize| {
            match value.as_deref().map(str::trim) {
                None if creating => {
                    errors.add(field, FieldIssue::Required);
                    None
                }
                None => None,
                Some(v) if v.chars().count() < min => {
                    errors.add(
                        field,
                        if v.is_empty() {
                            FieldIssue::Required
                        } else {
                            FieldIssue::TooShort(min)
                        },
                    );
                    None
                }
                Some(v) if v.chars().count() > max => {
                    errors.add(field, FieldIssue::TooLong(max));
                    None
                }
                Some(v) => Some(v.to_owned()),
            }
        };
    let title = text(&mut errors, "title", &input.title, 3, 120);
    let description = text(&mut errors, "description", &input.description, 10, 5000);
    let category = match input.category.as_deref() {
        None if creating => {
            errors.add("category", FieldIssue::Required);
            None
        }
        None => None,
        Some(key) => {
            let found = resolve_category(core.db.conn(), key).await?;
            if found.is_none() {
                errors.add("category", FieldIssue::Invalid);
            }
            found
        }
    };
    let address = input
        .address
        .as_deref()
        .map(|a| optional_text(&mut errors, "address", Some(a), 300));
    if let Some((lat, lng)) = input.location
        && !search::valid_point(lat, lng)
    {
        errors.add("location", FieldIssue::Invalid);
    }
    let min = input.budget_min.or(current.and_then(|j| j.budget_min));
    let max = input.budget_max.or(current.and_then(|j| j.budget_max));
    let max_amount = core.settings.max_amount;
    for (field, value) in [
        ("budgetMin", input.budget_min),
        ("budgetMax", input.budget_max),
    ] {
        if let Some(v) = value {
            amount::check(&mut errors, field, v, 0, max_amount);
        }
    }
    if let (Some(min), Some(max)) = (min, max)
        && min > max
    {
        errors.add("budgetMax", FieldIssue::Invalid);
    }
    let payment_type = match input.payment_type.as_deref() {
        None if creating => Some("escrow"),
        None => None,
        Some(word) => {
            let parsed = parse_payment_type(word);
            if parsed.is_none() {
                errors.add("paymentType", FieldIssue::OneOf(PAYMENT_TYPES.to_vec()));
            }
            parsed
        }
    };
    let desired_date = match input
        .desired_date
        .as_deref()
        .map(str::trim)
        .filter(|d| !d.is_empty())
    {
        None => None,
        Some(raw) => match parse_date(raw) {
            Some(date) if date.date_naive() >= Utc::now().date_naive() => Some(date),
            Some(_) => {
                errors.add("desiredDate", FieldIssue::Invalid);
                None
            }
            None => {
                errors.add(
                    "desiredDate",
                    FieldIssue::InvalidType("an RFC 3339 date-time or YYYY-MM-DD".into()),
                );
                None
            }
        },
    };
    if input.photos.len() > MAX_PHOTOS {
        errors.add("photos", FieldIssue::TooLong(MAX_PHOTOS));
    }
    errors.into_result()?;
    Ok(Checked {
        title,
        description,
        category,
        address,
        payment_type,
        desired_date,
    })
}

async fn store_photos(core: &Core, job: Uuid, uploads: &[Bytes]) -> Result<Vec<String>> {
    let mut keys = Vec::new();
    for (i, upload) in uploads.iter().enumerate() {
        if upload.len() > MAX_PHOTO_BYTES {
            return Err(ErrorCode::PayloadTooLarge.into());
        }
        let bytes = upload.clone();
        let processed = tokio::task::spawn_blocking(move || images::fit_within(&bytes, 1600))
            .await
            .map_err(|e| Error::Internal(e.into()))?
            .map_err(|err| match err {
                ImageError::TooLarge => Error::code(ErrorCode::PayloadTooLarge),
                _ => Error::with_details(
                    ErrorCode::UnsupportedImage,
                    json!({ "field": format!("photos[{i}]") }),
                ),
            })?;
        let key = format!(
            "jobs/{job}/{}.{}",
            Uuid::now_v7(),
            processed.kind.extension()
        );
        core.storage
            .put(&key, Bytes::from(processed.bytes), processed.kind.mime())
            .await?;
        keys.push(key);
    }
    Ok(keys)
}

/// Rewrites a job's search terms (title, description, category names).
async fn index_terms(
    conn: &impl ConnectionTrait,
    job: &jobs::Model,
    category: &services::Model,
) -> Result<()> {
    job_terms::Entity::delete_many()
        .filter(job_terms::Column::JobId.eq(job.id))
        .exec(conn)
        .await?;
    let text = format!(
        "{} {} {} {}",
        job.title, job.description, category.name_en, category.name_ar
    );
    let rows: Vec<job_terms::ActiveModel> = search::terms(&text)
        .into_iter()
        .map(|term| job_terms::ActiveModel {
            term: Set(term),
            category_id: Set(job.category_id),
            geo_cell: Set(job.geo_cell.unwrap_or(-1)),
            job_id: Set(job.id),
            listed: Set(job.status.is_open()),
            latitude: Set(job.latitude),
            longitude: Set(job.longitude),
            budget_min: Set(job.budget_min),
            budget_max: Set(job.budget_max),
            created_at: Set(job.created_at),
        })
        .collect();
    if !rows.is_empty() {
        job_terms::Entity::insert_many(rows).exec(conn).await?;
    }
    Ok(())
}

/// Posts a job (clients only).
pub async fn create(core: &Core, caller: &Authenticated, input: JobInput) -> Result<jobs::Model> {
    if caller.role != Role::Client {
        return Err(ErrorCode::ClientsOnly.into());
    }
    let checked = check(core, &input, true, None).await?;
    let category = checked
        .category
        .ok_or(Error::code(ErrorCode::ValidationFailed))?;
    let id = Uuid::now_v7();
    let photos = store_photos(core, id, &input.photos).await?;
    let now = time::now();
    let txn = core.db.begin_write().await?;
    let job = jobs::ActiveModel {
        id: Set(id),
        client_id: Set(caller.user.id),
        craftsman_id: Set(None),
        category_id: Set(category.id),
        title: Set(checked.title.unwrap_or_default()),
        description: Set(checked.description.unwrap_or_default()),
        photos: Set(serde_json::to_string(&photos).map_err(anyhow::Error::from)?),
        address: Set(checked.address.flatten()),
        latitude: Set(input.location.map(|l| l.0)),
        longitude: Set(input.location.map(|l| l.1)),
        geo_cell: Set(input.location.map(|(lat, lng)| search::geo_cell(lat, lng))),
        budget_min: Set(input.budget_min),
        budget_max: Set(input.budget_max),
        currency: Set(core.settings.currency.clone()),
        payment_type: Set(checked.payment_type.unwrap_or("escrow").to_owned()),
        desired_date: Set(checked.desired_date),
        status: Set(JobStatus::Posted),
        listed: Set(true),
        status_reason: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        hired_at: Set(None),
        completed_at: Set(None),
        submitted_at: Set(None),
    }
    .insert(&*txn)
    .await?;
    index_terms(&*txn, &job, &category).await?;
    txn.commit().await?;
    Ok(job)
}

/// Pairs rows with their jobs, loading the jobs in one query.
pub async fn with_jobs<T>(
    conn: &impl ConnectionTrait,
    rows: Vec<T>,
    job_of: impl Fn(&T) -> Uuid,
) -> Result<Vec<(T, Option<jobs::Model>)>> {
    let ids: Vec<Uuid> = rows.iter().map(&job_of).collect();
    let found = jobs::Entity::find()
        .filter(jobs::Column::Id.is_in(ids))
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let job = found.iter().find(|j| j.id == job_of(&row)).cloned();
            (row, job)
        })
        .collect())
}

/// Loads a job or 404.
pub async fn load(conn: &impl ConnectionTrait, id: Uuid) -> Result<jobs::Model> {
    jobs::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(Error::code(ErrorCode::JobNotFound))
}

/// Loads a job inside a write transaction, locking its row on PostgreSQL so
/// concurrent transitions queue (SQLite writes are serialized already).
pub async fn load_for_update(
    core: &Core,
    conn: &impl ConnectionTrait,
    id: Uuid,
) -> Result<jobs::Model> {
    core.db
        .for_update(jobs::Entity::find_by_id(id))
        .one(conn)
        .await?
        .ok_or(Error::code(ErrorCode::JobNotFound))
}

pub use crate::records::JobRecord;

/// A job and its contract in one statement (a left join: a job has at most
/// one contract), or from the cache while nothing has been written since
/// (where the database's data generation vouches for that).
pub async fn record(core: &Core, id: Uuid) -> Result<Arc<JobRecord>> {
    let generation = core.db.data_generation();
    if let Some(found) = generation.and_then(|g| core.job_cache.get(&id, g)) {
        return Ok(found);
    }
    let contract_of_job = contracts::Entity::belongs_to(jobs::Entity)
        .from(contracts::Column::JobId)
        .to(jobs::Column::Id)
        .into();
    let (job, contract) = jobs::Entity::find_by_id(id)
        .join_rev(JoinType::LeftJoin, contract_of_job)
        .select_also(contracts::Entity)
        .one(core.db.conn())
        .await?
        .ok_or(Error::code(ErrorCode::JobNotFound))?;
    let found = Arc::new(JobRecord { job, contract });
    if let Some(generation) = generation {
        core.job_cache.put(id, generation, found.clone());
    }
    Ok(found)
}

/// A job as its caller may see it (the contract for its parties and staff).
pub async fn view(core: &Core, caller: &Authenticated, id: Uuid) -> Result<JobView> {
    let record = record(core, id).await?;
    ensure_can_view(&record.job, caller)?;
    let contract = if actor_for(&record.job, caller).is_some() {
        record.contract.clone()
    } else {
        None
    };
    Ok(JobView {
        job: record.job.clone(),
        contract,
    })
}

/// Edits a job (owner, while open).
pub async fn update(
    core: &Core,
    caller: &Authenticated,
    id: Uuid,
    input: JobInput,
) -> Result<jobs::Model> {
    let job = load(core.db.conn(), id).await?;
    ensure_owner(&job, caller, false)?;
    let checked = check(core, &input, false, Some(&job)).await?;
    let new_photos = if input.photos.is_empty() {
        None
    } else {
        Some(store_photos(core, id, &input.photos).await?)
    };
    let txn = core.db.begin_write().await?;
    let job = load_for_update(core, &*txn, id).await?;
    if !job.status.is_open() {
        return Err(ErrorCode::JobNotEditable.into());
    }
    let old_photos: Vec<String> = serde_json::from_str(&job.photos).unwrap_or_default();
    let mut active: jobs::ActiveModel = job.clone().into();
    if let Some(title) = checked.title {
        active.title = Set(title);
    }
    if let Some(description) = checked.description {
        active.description = Set(description);
    }
    if let Some(category) = &checked.category {
        active.category_id = Set(category.id);
    }
    if let Some(address) = checked.address {
        active.address = Set(address);
    }
    if let Some((lat, lng)) = input.location {
        active.latitude = Set(Some(lat));
        active.longitude = Set(Some(lng));
        active.geo_cell = Set(Some(search::geo_cell(lat, lng)));
    }
    if input.budget_min.is_some() {
        active.budget_min = Set(input.budget_min);
    }
    if input.budget_max.is_some() {
        active.budget_max = Set(input.budget_max);
    }
    if let Some(payment_type) = checked.payment_type {
        active.payment_type = Set(payment_type.to_owned());
    }
    if checked.desired_date.is_some() {
        active.desired_date = Set(checked.desired_date);
    }
    if let Some(photos) = &new_photos {
        active.photos = Set(serde_json::to_string(photos).map_err(anyhow::Error::from)?);
    }
    active.updated_at = Set(time::now());
    let job = active.update(&*txn).await?;
    let category = match checked.category {
        Some(category) => category,
        None => services::Entity::find_by_id(job.category_id)
            .one(&*txn)
            .await?
            .ok_or(Error::code(ErrorCode::NotFound))?,
    };
    index_terms(&*txn, &job, &category).await?;
    txn.commit().await?;
    if new_photos.is_some() {
        for key in old_photos {
            let _ = core.storage.delete(&key).await;
        }
    }
    Ok(job)
}

/// Who hears about a status change made by `actor`.
fn audience(job: &jobs::Model, actor: Actor) -> Vec<Uuid> {
    let mut people = Vec::new();
    if actor != Actor::Client {
        people.push(job.client_id);
    }
    if actor != Actor::Craftsman
        && let Some(craftsman) = job.craftsman_id
    {
        people.push(craftsman);
    }
    people
}

/// Applies an allowed move inside `txn`: guarded status update, contract
/// effect, notifications. `contract` is the job's contract as
/// [`money::escrow::job_for_transition`] found it — locked, for a move that
/// can move money; `None` for a job not hired yet (or a caller that did not
/// load it: it is then looked up here).
#[allow(clippy::too_many_arguments)]
pub async fn apply_transition(
    core: &Core,
    conn: &impl ConnectionTrait,
    job: &jobs::Model,
    contract: Option<LockedContract>,
    to: JobStatus,
    actor: Actor,
    by: Option<Uuid>,
    reason: Option<String>,
) -> Result<jobs::Model> {
    let from = job.status;
    let contract = match contract {
        None if !from.is_open() => {
            money::escrow::job_for_transition(core, conn, job.id, true)
                .await?
                .1
        }
        given => given,
    };
    let facts = Facts {
        has_reason: reason.is_some(),
        escrow_ready: money::escrow::ready_to_start(contract.as_ref().map(|c| &c.contract)),
    };
    let transition = lifecycle::decide(from, to, actor, facts)
        .map_err(|refusal| refusal_error(from, to, refusal))?;
    let now = time::now();
    // The guarded status change leads; the search index flag, the
    // craftsman's counter and the notifications ride along with it (one
    // statement on PostgreSQL).
    let mut values: Vec<Value> = vec![
        to.as_str().into(),
        to.is_open().into(),
        reason.clone().into(),
        now.into(),
    ];
    let mut sets = String::from("status = $1, listed = $2, status_reason = $3, updated_at = $4");
    if to == JobStatus::Completed {
        values.push(now.into());
        sets.push_str(&format!(", completed_at = ${}", values.len()));
    }
    if to == JobStatus::WorkSubmitted {
        values.push(now.into());
        sets.push_str(&format!(", submitted_at = ${}", values.len()));
    }
    values.push(job.id.into());
    values.push(from.as_str().into());
    let lead = GatedWrite::new(
        format!(
            "UPDATE jobs SET {sets} WHERE id = ${} AND status = ${} AND {{gate}}",
            values.len() - 1,
            values.len()
        ),
        values,
    );
    let mut then = Vec::new();
    if from.is_open() != to.is_open() {
        then.push(GatedWrite::new(
            "UPDATE job_terms SET listed = $1 WHERE job_id = $2 AND {gate}",
            vec![to.is_open().into(), job.id.into()],
        ));
    }
    if to == JobStatus::Completed
        && let Some(craftsman) = job.craftsman_id
    {
        then.push(GatedWrite::new(
            "UPDATE users SET completed_jobs = completed_jobs + 1 WHERE id = $1 AND {gate}",
            vec![craftsman.into()],
        ));
    }
    // The system's own bookkeeping moves (first quote, hire) are announced by
    // their own events (quote received, quote accepted).
    // A completion that pays the craftsman tells them once, with the payment.
    let paid = contract
        .as_ref()
        .is_some_and(|c| money::escrow::pays_on(transition.effect, c.held));
    if actor != Actor::System || to == JobStatus::Completed {
        let event = Event::StatusChanged {
            job: job.id,
            title: job.title.clone(),
            status: to,
            reason: reason.clone(),
        };
        for person in audience(job, actor) {
            if paid && Some(person) == job.craftsman_id {
                continue;
            }
            then.extend(notifications::writes(person, &event)?);
        }
    }
    let updated = jobs::Model {
        status: to,
        listed: to.is_open(),
        status_reason: reason.clone(),
        updated_at: now,
        completed_at: if to == JobStatus::Completed {
            Some(now)
        } else {
            job.completed_at
        },
        submitted_at: if to == JobStatus::WorkSubmitted {
            Some(now)
        } else {
            job.submitted_at
        },
        ..job.clone()
    };
    // The contract's status changes with its money; a completion's status
    // change and escrow release are one statement on PostgreSQL.
    let status = Lead { write: lead, then };
    let moved = if transition.effect == ContractEffect::None {
        gated::run(conn, status.write, status.then).await?
    } else {
        money::escrow::on_transition(
            core,
            conn,
            &updated,
            from,
            transition.effect,
            actor,
            by,
            contract,
            status,
        )
        .await?
    };
    if moved != 1 {
        // Someone moved it first: answer as if we had seen their move.
        let current = load(conn, job.id).await?.status;
        return Err(match lifecycle::decide(current, to, actor, facts) {
            Err(refusal) => refusal_error(current, to, refusal),
            Ok(_) => ErrorCode::Conflict.into(),
        });
    }
    if from.is_open() && to == JobStatus::Cancelled {
        // Live quotes die with the job; their authors hear about it.
        let live: Vec<Uuid> = quotes::Entity::find()
            .select_only()
            .column(quotes::Column::CraftsmanId)
            .filter(quotes::Column::JobId.eq(job.id))
            .filter(quotes::Column::Status.eq(QuoteStatus::Submitted))
            .into_tuple()
            .all(conn)
            .await?;
        quotes::Entity::update_many()
            .col_expr(quotes::Column::Status, Expr::value(QuoteStatus::Declined))
            .col_expr(quotes::Column::UpdatedAt, Expr::value(now))
            .filter(quotes::Column::JobId.eq(job.id))
            .filter(quotes::Column::Status.eq(QuoteStatus::Submitted))
            .exec(conn)
            .await?;
        let event = Event::StatusChanged {
            job: job.id,
            title: job.title.clone(),
            status: to,
            reason,
        };
        for craftsman in live {
            notifications::notify(conn, craftsman, &event).await?;
        }
    }
    Ok(updated)
}

fn refusal_error(from: JobStatus, to: JobStatus, refusal: Refusal) -> Error {
    match refusal {
        Refusal::NotFromHere { allowed } => Error::with_details(
            ErrorCode::InvalidTransition,
            json!({
                "from": from.as_str(),
                "to": to.as_str(),
                "allowed": allowed.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
            }),
        ),
        Refusal::NotYours => Error::with_details(
            ErrorCode::Forbidden,
            json!({ "from": from.as_str(), "to": to.as_str() }),
        ),
        Refusal::ReasonRequired => {
            Error::Validation(FieldErrors::single("reason", FieldIssue::Required))
        }
        Refusal::EscrowNotFunded => Error::with_details(
            ErrorCode::EscrowNotFunded,
            json!({ "from": from.as_str(), "to": to.as_str() }),
        ),
    }
}

/// `PATCH /api/jobs/:id/status` and its shortcuts.
pub async fn change_status(
    core: &Core,
    caller: &Authenticated,
    id: Uuid,
    target: Option<&str>,
    reason: Option<String>,
) -> Result<jobs::Model> {
    let target = match target.map(str::trim).filter(|t| !t.is_empty()) {
        None => {
            return Err(Error::Validation(FieldErrors::single(
                "status",
                FieldIssue::Required,
            )));
        }
        Some(word) => JobStatus::parse(word).ok_or_else(|| {
            Error::Validation(FieldErrors::single(
                "status",
                FieldIssue::OneOf(JobStatus::ALL.iter().map(|s| s.as_str()).collect()),
            ))
        })?,
    };
    let mut errors = FieldErrors::new();
    let reason = optional_text(&mut errors, "reason", reason.as_deref(), 1000);
    errors.into_result()?;
    // A transition writes jobs, contracts, the ledger, notifications and at
    // most a craftsman's completed-jobs counter — nothing the authentication
    // cache decides on (the profile endpoints read counters fresh).
    if core.db.kind() == DbBackendKind::Postgres && target == JobStatus::Completed {
        // Approval of escrowed work on PostgreSQL: one read, then one
        // statement that is its own transaction (no BEGIN / COMMIT round
        // trips), locking and re-checking the contract and the job itself.
        let conn = core.db.conn();
        let (job, contract) = money::escrow::job_for_transition(core, conn, id, false).await?;
        let Some(actor) = actor_for(&job, caller) else {
            return Err(ErrorCode::NotAParty.into());
        };
        let pays = |c: &LockedContract| money::escrow::pays_on(ContractEffect::Complete, c.held);
        if contract.as_ref().is_some_and(pays) {
            let by = Some(caller.user.id);
            let job =
                apply_transition(core, conn, &job, contract, target, actor, by, reason).await?;
            core.outbox_wakeup.notify_one();
            return Ok(job);
        }
    }
    let txn = core.db.begin_write().await?.without_account_changes();
    // No lock on the job: the status change is guarded (`WHERE status =
    // from`). A move that can move money locks the contract as it reads.
    let may_move_money = lifecycle::TRANSITIONS
        .iter()
        .any(|t| t.to == target && t.effect != ContractEffect::None);
    let (job, contract) =
        money::escrow::job_for_transition(core, &*txn, id, may_move_money).await?;
    let Some(actor) = actor_for(&job, caller) else {
        return Err(ErrorCode::NotAParty.into());
    };
    let job = apply_transition(
        core,
        &*txn,
        &job,
        contract,
        target,
        actor,
        Some(caller.user.id),
        reason,
    )
    .await?;
    txn.commit().await?;
    core.outbox_wakeup.notify_one();
    Ok(job)
}

/// The owner cancels an open job (`DELETE /api/jobs/:id`).
pub async fn cancel_open(
    core: &Core,
    caller: &Authenticated,
    id: Uuid,
    reason: Option<String>,
) -> Result<jobs::Model> {
    let job = load(core.db.conn(), id).await?;
    ensure_owner(&job, caller, true)?;
    if !job.status.is_open() {
        return Err(ErrorCode::JobNotEditable.into());
    }
    change_status(core, caller, id, Some("cancelled"), reason).await
}

/// Staff remove a job entirely (quotes, invitations and contract with it);
/// money its escrow still holds goes back to the client first.
pub async fn force_delete(core: &Core, caller: &Authenticated, id: Uuid) -> Result<()> {
    if !caller.role.is_staff() {
        return Err(ErrorCode::StaffOnly.into());
    }
    let txn = core.db.begin_write().await?;
    let job = load_for_update(core, &*txn, id).await?;
    money::escrow::refund_before_delete(&*txn, &job, caller.user.id).await?;
    jobs::Entity::delete_by_id(job.id).exec(&*txn).await?;
    activity::record(
        &*txn,
        Some(caller.user.id),
        "admin.delete_job",
        "job",
        Some(job.id.to_string()),
        json!({ "title": job.title, "status": job.status, "clientId": job.client_id }),
    )
    .await?;
    txn.commit().await?;
    let photos: Vec<String> = serde_json::from_str(&job.photos).unwrap_or_default();
    for key in photos {
        let _ = core.storage.delete(&key).await;
    }
    Ok(())
}
