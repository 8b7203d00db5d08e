//! Posting, editing, cancelling and viewing jobs, and moving them through the
//! lifecycle table.

use std::sync::Arc;

use bytes::Bytes;
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, JoinType, QueryFilter,
    QuerySelect, Set,
};
use serde_json::json;
use souk_db::entities::{contracts, job_terms, jobs, services};
use souk_integrations::images::{self, ImageError};
use uuid::Uuid;

use super::{
    JobStatus,
    access::{actor_for, ensure_can_view, ensure_owner},
};
use crate::{
    Core,
    accounts::{Authenticated, Role, validate::optional_text},
    admin::activity,
    catalog::{self, services::ServiceRef},
    chat,
    error::{Error, ErrorCode, FieldErrors, FieldIssue, Result},
    integrators::events::{self, DomainEvent, EventType},
    money::{self, amount},
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
        let field = format!("photos[{i}]");
        keys.push(store_image(core, &format!("jobs/{job}"), &field, upload.clone()).await?);
    }
    Ok(keys)
}

/// Stores one uploaded picture under `prefix`: recognised from its bytes
/// (JPEG, PNG, GIF, WebP), at most 5 MB, resized to fit 1600 px; answers
/// its storage key. `field` names it in a refusal.
pub async fn store_image(core: &Core, prefix: &str, field: &str, upload: Bytes) -> Result<String> {
    if upload.len() > MAX_PHOTO_BYTES {
        return Err(ErrorCode::PayloadTooLarge.into());
    }
    let processed = tokio::task::spawn_blocking(move || images::fit_within(&upload, 1600))
        .await
        .map_err(|e| Error::Internal(e.into()))?
        .map_err(|err| match err {
            ImageError::TooLarge => Error::code(ErrorCode::PayloadTooLarge),
            _ => Error::with_details(ErrorCode::UnsupportedImage, json!({ "field": field })),
        })?;
    let key = format!("{prefix}/{}.{}", Uuid::now_v7(), processed.kind.extension());
    core.storage
        .put(&key, Bytes::from(processed.bytes), processed.kind.mime())
        .await?;
    Ok(key)
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
        booking_id: Set(None),
    }
    .insert(&*txn)
    .await?;
    index_terms(&*txn, &job, &category).await?;
    events::record(&*txn, &[posted(&job, &category)]).await?;
    txn.commit().await?;
    Ok(job)
}

/// The `job.posted` event: what integrators match work on (no photos, no
/// street address: the point and the category are enough to route it).
fn posted(job: &jobs::Model, category: &services::Model) -> DomainEvent {
    DomainEvent::new(
        EventType::JobPosted,
        Some(job.client_id),
        "job",
        job.id,
        json!({
            "clientId": job.client_id,
            "title": job.title,
            "category": category.slug,
            "status": job.status.as_str(),
            "budgetMin": job.budget_min,
            "budgetMax": job.budget_max,
            "currency": job.currency,
            "paymentType": job.payment_type,
            "desiredDate": job.desired_date,
            "createdAt": job.created_at,
        }),
    )
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

pub use super::job_rows::{load, load_for_update};
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

/// Staff remove a job entirely (quotes, invitations and contract with it);
/// money its escrow still holds goes back to the client first.
pub async fn force_delete(core: &Core, caller: &Authenticated, id: Uuid) -> Result<()> {
    if !caller.role.is_staff() {
        return Err(ErrorCode::StaffOnly.into());
    }
    let txn = core.db.begin_write().await?;
    let job = load_for_update(core, &*txn, id).await?;
    money::escrow::refund_before_delete(&*txn, &job, caller.user.id).await?;
    // The contract's conversation goes with the job (its rows by cascade).
    let chat_files = chat::attachments::keys_of_job(&*txn, job.id).await?;
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
    for key in photos.into_iter().chain(chat_files) {
        let _ = core.storage.delete(&key).await;
    }
    Ok(())
}
