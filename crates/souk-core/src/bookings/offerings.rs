//! Offerings: a craftsman's priced service — bilingual title and
//! description (at least one language), a catalog category, a fixed or
//! hourly price, a duration of 15–720 minutes, tags, visibility, instant
//! booking, a service area (a radius around the provider, or remote), and
//! per-offering buffer and minimum notice. Published by craftsmen (only
//! verified ones when the platform setting says so); hidden and archived
//! ones are seen only by their provider and staff; staff take any down
//! (logged). Lists search the offerings' texts with the jobs' bilingual
//! terms (a term column matched with `LIKE`; a term index like the jobs'
//! is the next step if offerings grow into the hundreds of thousands).

use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, sea_query::Expr,
};
use serde_json::json;
use souk_db::{
    entities::offerings,
    enums::{OfferingStatus, VerificationStatus},
};
use uuid::Uuid;

use crate::{
    Core,
    accounts::{Authenticated, Role, validate::optional_text},
    admin::activity,
    error::{Error, ErrorCode, FieldErrors, FieldIssue, Result},
    marketplace::jobs::resolve_category,
    money::settings,
    pagination::{Page, PageRequest},
    search::{query_groups, terms},
};

use super::finder;
pub use super::finder::Listed;

/// Shortest and longest duration, in minutes.
pub const DURATION: (i32, i32) = (15, 720);
/// Most tags, and the longest one.
const MAX_TAGS: usize = 10;
const MAX_TAG_CHARS: usize = 40;

/// An offering as sent (every field optional on update).
#[derive(Debug, Clone, Default)]
pub struct OfferingInput {
    pub title_en: Option<String>,
    pub title_ar: Option<String>,
    pub description_en: Option<String>,
    pub description_ar: Option<String>,
    /// A catalog service id or slug.
    pub category: Option<String>,
    pub price: Option<i64>,
    pub price_unit: Option<String>,
    pub duration_minutes: Option<i64>,
    pub tags: Option<Vec<String>>,
    pub is_visible: Option<bool>,
    pub instant_booking: Option<bool>,
    pub remote: Option<bool>,
    pub service_radius_km: Option<f64>,
    pub buffer_minutes: Option<i64>,
    pub min_notice_minutes: Option<i64>,
}

fn within(errors: &mut FieldErrors, field: &str, value: i64, min: i64, max: i64) -> i32 {
    if !(min..=max).contains(&value) {
        errors.add(field, FieldIssue::out_of_range(min, max));
    }
    i32::try_from(value.clamp(min, max)).unwrap_or(0)
}

/// Applies `input` over `base` (a new offering's defaults, or the stored
/// one), checking every field; the category is resolved separately.
fn apply(
    core: &Core,
    mut row: offerings::ActiveModel,
    input: &OfferingInput,
    errors: &mut FieldErrors,
) -> offerings::ActiveModel {
    let text = |errors: &mut FieldErrors, field: &str, value: &Option<String>, max: usize| {
        value
            .as_ref()
            .map(|v| optional_text(errors, field, Some(v), max))
    };
    if let Some(v) = text(errors, "titleEn", &input.title_en, 120) {
        row.title_en = Set(v);
    }
    if let Some(v) = text(errors, "titleAr", &input.title_ar, 120) {
        row.title_ar = Set(v);
    }
    if let Some(v) = text(errors, "descriptionEn", &input.description_en, 5_000) {
        row.description_en = Set(v);
    }
    if let Some(v) = text(errors, "descriptionAr", &input.description_ar, 5_000) {
        row.description_ar = Set(v);
    }
    if let Some(price) = input.price {
        if !(1..=core.settings.max_amount).contains(&price) {
            errors.add(
                "price",
                FieldIssue::out_of_range(1, core.settings.max_amount),
            );
        }
        row.price = Set(price);
    }
    if let Some(unit) = &input.price_unit {
        match unit.trim() {
            "fixed" | "hourly" => row.price_unit = Set(unit.trim().to_owned()),
            _ => errors.add("priceUnit", FieldIssue::OneOf(vec!["fixed", "hourly"])),
        }
    }
    if let Some(minutes) = input.duration_minutes {
        let (min, max) = DURATION;
        row.duration_minutes = Set(within(
            errors,
            "durationMinutes",
            minutes,
            i64::from(min),
            i64::from(max),
        ));
    }
    if let Some(minutes) = input.buffer_minutes {
        row.buffer_minutes = Set(within(errors, "bufferMinutes", minutes, 0, 240));
    }
    if let Some(minutes) = input.min_notice_minutes {
        row.min_notice_minutes = Set(within(errors, "minNoticeMinutes", minutes, 0, 43_200));
    }
    if let Some(tags) = &input.tags {
        let cleaned: Vec<String> = tags
            .iter()
            .map(|t| t.trim().to_lowercase())
            .filter(|t| !t.is_empty())
            .collect();
        if cleaned.len() > MAX_TAGS || cleaned.iter().any(|t| t.chars().count() > MAX_TAG_CHARS) {
            errors.add("tags", FieldIssue::TooLong(MAX_TAGS));
        }
        row.tags = Set(serde_json::to_string(&cleaned).unwrap_or_else(|_| "[]".into()));
    }
    if let Some(visible) = input.is_visible {
        row.is_visible = Set(visible);
    }
    if let Some(instant) = input.instant_booking {
        row.instant_booking = Set(instant);
    }
    if let Some(remote) = input.remote {
        row.remote = Set(remote);
    }
    if let Some(radius) = input.service_radius_km {
        if !(radius.is_finite() && (0.5..=500.0).contains(&radius)) {
            errors.add(
                "serviceRadiusKm",
                FieldIssue::OutOfRange {
                    min: 0.5,
                    max: 500.0,
                },
            );
        }
        row.service_radius_km = Set(Some(radius));
    }
    row
}

/// The search terms of an offering's texts and tags, as stored: each term
/// between spaces, so a query term matches with `LIKE '% term %'`.
fn search_terms(row: &offerings::ActiveModel) -> String {
    let text = |v: &sea_orm::ActiveValue<Option<String>>| match v {
        sea_orm::ActiveValue::Set(Some(t)) | sea_orm::ActiveValue::Unchanged(Some(t)) => t.clone(),
        _ => String::new(),
    };
    let tags: Vec<String> = match &row.tags {
        sea_orm::ActiveValue::Set(t) | sea_orm::ActiveValue::Unchanged(t) => {
            serde_json::from_str(t).unwrap_or_default()
        }
        sea_orm::ActiveValue::NotSet => Vec::new(),
    };
    let all = [
        text(&row.title_en),
        text(&row.title_ar),
        text(&row.description_en),
        text(&row.description_ar),
        tags.join(" "),
    ]
    .join(" ");
    format!(" {} ", terms(&all).join(" "))
}

/// Both titles missing, or both descriptions: 400 naming the English field.
fn one_language(row: &offerings::ActiveModel, errors: &mut FieldErrors) {
    let present = |v: &sea_orm::ActiveValue<Option<String>>| {
        matches!(
            v,
            sea_orm::ActiveValue::Set(Some(_)) | sea_orm::ActiveValue::Unchanged(Some(_))
        )
    };
    if !present(&row.title_en) && !present(&row.title_ar) {
        errors.add("titleEn", FieldIssue::Required);
    }
    if !present(&row.description_en) && !present(&row.description_ar) {
        errors.add("descriptionEn", FieldIssue::Required);
    }
}

async fn may_publish(core: &Core, caller: &Authenticated) -> Result<()> {
    if caller.role != Role::Craftsman {
        return Err(ErrorCode::CraftsmenOnly.into());
    }
    let rules = settings::load(core.db.conn(), &core.settings).await?;
    if rules.offerings_require_verification
        && caller.user.verification_status != VerificationStatus::Verified
    {
        return Err(Error::with_details(
            ErrorCode::Forbidden,
            json!({ "reason": "verification_required" }),
        ));
    }
    Ok(())
}

/// `POST /api/offerings`.
pub async fn create(
    core: &Core,
    caller: &Authenticated,
    input: OfferingInput,
) -> Result<offerings::Model> {
    may_publish(core, caller).await?;
    let mut errors = FieldErrors::new();
    let category = match input
        .category
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        None => {
            errors.add("category", FieldIssue::Required);
            None
        }
        Some(key) => {
            let found = resolve_category(core.db.conn(), key).await?;
            if found.is_none() {
                errors.add("category", FieldIssue::Invalid);
            }
            found
        }
    };
    for (field, missing) in [
        ("price", input.price.is_none()),
        ("durationMinutes", input.duration_minutes.is_none()),
    ] {
        if missing {
            errors.add(field, FieldIssue::Required);
        }
    }
    let now = core.clock.now();
    let base = offerings::ActiveModel {
        images: Set("[]".to_owned()),
        id: Set(Uuid::now_v7()),
        provider_id: Set(caller.user.id),
        title_en: Set(None),
        title_ar: Set(None),
        description_en: Set(None),
        description_ar: Set(None),
        category_id: Set(category.as_ref().map_or(Uuid::nil(), |c| c.id)),
        price: Set(0),
        price_unit: Set("fixed".into()),
        duration_minutes: Set(60),
        tags: Set("[]".into()),
        search_terms: Set(String::new()),
        is_visible: Set(true),
        instant_booking: Set(false),
        remote: Set(false),
        service_radius_km: Set(caller.user.service_radius_km),
        buffer_minutes: Set(0),
        min_notice_minutes: Set(0),
        status: Set(OfferingStatus::Active),
        created_at: Set(now),
        updated_at: Set(now),
    };
    let mut row = apply(core, base, &input, &mut errors);
    one_language(&row, &mut errors);
    errors.into_result()?;
    row.search_terms = Set(search_terms(&row));
    let txn = core.db.begin_write().await?.without_account_changes();
    let saved = row.insert(&*txn).await?;
    txn.commit().await?;
    Ok(saved)
}

/// An offering its caller may see: active and visible ones to everyone;
/// hidden or archived ones to their provider and staff (else 404).
pub async fn one(
    core: &Core,
    caller: Option<&Authenticated>,
    id: Uuid,
) -> Result<offerings::Model> {
    let row = offerings::Entity::find_by_id(id)
        .one(core.db.conn())
        .await?
        .ok_or(ErrorCode::NotFound)?;
    let public = row.is_visible && row.status == OfferingStatus::Active;
    let privileged = caller.is_some_and(|c| c.user.id == row.provider_id || c.role.is_staff());
    if public || privileged {
        Ok(row)
    } else {
        Err(ErrorCode::NotFound.into())
    }
}

/// The provider's own offering, for a change (others: 403 when they can see
/// it, else 404).
async fn own(core: &Core, caller: &Authenticated, id: Uuid) -> Result<offerings::Model> {
    let row = one(core, Some(caller), id).await?;
    if row.provider_id != caller.user.id {
        return Err(ErrorCode::Forbidden.into());
    }
    Ok(row)
}

/// `PUT /api/offerings/:id`: only the fields sent change.
pub async fn update(
    core: &Core,
    caller: &Authenticated,
    id: Uuid,
    input: OfferingInput,
) -> Result<offerings::Model> {
    let row = own(core, caller, id).await?;
    if row.status == OfferingStatus::Archived {
        return Err(Error::with_details(
            ErrorCode::Conflict,
            json!({ "status": row.status }),
        ));
    }
    let mut errors = FieldErrors::new();
    let mut active: offerings::ActiveModel = row.into();
    if let Some(key) = input
        .category
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        match resolve_category(core.db.conn(), key).await? {
            Some(category) => active.category_id = Set(category.id),
            None => errors.add("category", FieldIssue::Invalid),
        }
    }
    let mut active = apply(core, active, &input, &mut errors);
    one_language(&active, &mut errors);
    errors.into_result()?;
    active.search_terms = Set(search_terms(&active));
    active.updated_at = Set(core.clock.now());
    let txn = core.db.begin_write().await?.without_account_changes();
    let saved = active.update(&*txn).await?;
    txn.commit().await?;
    Ok(saved)
}

/// `DELETE /api/offerings/:id` (its provider) and
/// `DELETE /api/admin/offerings/:id` (staff, logged): archived, so what was
/// booked keeps pointing at it; it leaves every list.
pub async fn archive(core: &Core, caller: &Authenticated, id: Uuid, staff: bool) -> Result<()> {
    let row = if staff {
        caller.require_staff()?;
        one(core, Some(caller), id).await?
    } else {
        own(core, caller, id).await?
    };
    let txn = core.db.begin_write().await?.without_account_changes();
    let mut active: offerings::ActiveModel = row.clone().into();
    active.status = Set(OfferingStatus::Archived);
    active.updated_at = Set(core.clock.now());
    active.update(&*txn).await?;
    if staff {
        activity::record(
            &*txn,
            Some(caller.user.id),
            "admin.remove_offering",
            "offering",
            Some(id.to_string()),
            json!({ "providerId": row.provider_id }),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// Which offerings to list.
#[derive(Debug, Clone, Default)]
pub struct OfferingFilter {
    /// Words in English or Arabic (the jobs' search: normalised, stemmed,
    /// synonyms across the languages); every word must match.
    pub q: Option<String>,
    pub category: Option<String>,
    pub provider: Option<Uuid>,
    /// The caller's own, hidden and archived ones too.
    pub mine: bool,
    pub min_price: Option<i64>,
    pub max_price: Option<i64>,
    /// Providers whose average rating is at least this (1–5).
    pub min_rating: Option<f64>,
    /// `newest` (default; `relevance` when `q` is given, `distance` near
    /// a point), `relevance`, `distance`, `price`, `price_desc`, `rating`
    /// (the provider's Bayesian-adjusted rating, best first).
    pub sort: Option<String>,
    /// Offerings that serve this point (remote ones, and those whose
    /// provider's area covers it), with their distance.
    pub lat: Option<f64>,
    pub lng: Option<f64>,
    /// And whose provider is at most this far (km).
    pub radius_km: Option<f64>,
    /// `YYYY-MM-DD`: with a free slot on that (the provider's local) date.
    pub available_on: Option<String>,
}

/// The provider's Bayesian-adjusted rating (`reviews::rating`), in SQL both
/// engines read the same way.
const PROVIDER_SCORE: &str = "(SELECT (17.5 + u.rating_sum) / (5.0 + u.rating_count) \
     FROM users u WHERE u.id = offerings.provider_id)";

/// `GET /api/offerings`.
pub async fn list(
    core: &Core,
    caller: Option<&Authenticated>,
    filter: OfferingFilter,
    page: PageRequest,
) -> Result<Page<Listed>> {
    let conn = core.db.conn();
    let point = finder::checked_point(filter.lat, filter.lng, filter.radius_km)?;
    let available_on = finder::checked_date(filter.available_on.as_deref())?;
    let has_q = !query_groups(filter.q.as_deref().unwrap_or_default()).is_empty();
    let mut query = offerings::Entity::find();
    if filter.mine {
        let me = caller.ok_or(ErrorCode::Unauthorized)?;
        query = query.filter(offerings::Column::ProviderId.eq(me.user.id));
    } else {
        query = query
            .filter(offerings::Column::Status.eq(OfferingStatus::Active))
            .filter(offerings::Column::IsVisible.eq(true));
    }
    if let Some(provider) = filter.provider {
        query = query.filter(offerings::Column::ProviderId.eq(provider));
    }
    for group in query_groups(filter.q.as_deref().unwrap_or_default()) {
        let mut any = sea_orm::Condition::any();
        for term in group {
            any = any.add(offerings::Column::SearchTerms.like(format!("% {term} %")));
        }
        query = query.filter(any);
    }
    if let Some(key) = filter
        .category
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        let Some(category) = crate::marketplace::jobs::find_category(conn, key).await? else {
            return Err(Error::Validation(FieldErrors::single(
                "category",
                FieldIssue::Invalid,
            )));
        };
        query = query.filter(offerings::Column::CategoryId.eq(category.id));
    }
    if let Some(min) = filter.min_price {
        query = query.filter(offerings::Column::Price.gte(min));
    }
    if let Some(max) = filter.max_price {
        query = query.filter(offerings::Column::Price.lte(max));
    }
    if let Some(min) = filter.min_rating {
        if !(min.is_finite() && (1.0..=5.0).contains(&min)) {
            return Err(Error::Validation(FieldErrors::single(
                "minRating",
                FieldIssue::OutOfRange { min: 1.0, max: 5.0 },
            )));
        }
        // Average ≥ min without dividing: sum ≥ min × count, with reviews.
        // `min` is a checked number in 1 … 5, written as a literal.
        query = query.filter(Expr::cust(format!(
            "offerings.provider_id IN (SELECT u.id FROM users u \
             WHERE u.rating_count > 0 AND u.rating_sum >= {min:.4} * u.rating_count)"
        )));
    }
    const SORTS: [&str; 6] = [
        "newest",
        "relevance",
        "distance",
        "price",
        "price_desc",
        "rating",
    ];
    let sort = match filter
        .sort
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None if has_q => "relevance",
        None if point.is_some() => "distance",
        None => "newest",
        Some(word) => SORTS.iter().copied().find(|s| *s == word).ok_or_else(|| {
            Error::Validation(FieldErrors::single(
                "sort",
                FieldIssue::OneOf(SORTS.to_vec()),
            ))
        })?,
    };
    if sort == "distance" && point.is_none() {
        return Err(Error::Validation(FieldErrors::single(
            "lat",
            FieldIssue::Required,
        )));
    }
    if let Some(point) = point {
        let reach = filter.radius_km.unwrap_or(finder::MAX_REACH_KM);
        query = finder::near(query, point, reach);
    }
    if point.is_some() || available_on.is_some() || sort == "relevance" || sort == "distance" {
        let ranking = finder::Ranking {
            q: filter.q,
            point,
            radius_km: filter.radius_km,
            available_on,
            sort: sort.to_owned(),
        };
        return finder::rank(core, query, ranking, page).await;
    }
    query = match sort {
        "price" => query.order_by_asc(offerings::Column::Price),
        "price_desc" => query.order_by_desc(offerings::Column::Price),
        "rating" => query.order_by(Expr::cust(PROVIDER_SCORE), sea_orm::Order::Desc),
        _ => query.order_by_desc(offerings::Column::CreatedAt),
    };
    let total = query.clone().count(conn).await?;
    let items = query
        .order_by_desc(offerings::Column::Id)
        .offset(page.offset())
        .limit(page.limit)
        .all(conn)
        .await?;
    let items = items
        .into_iter()
        .map(|offering| Listed {
            offering,
            distance_km: None,
        })
        .collect();
    Ok(Page::new(items, page, total))
}

/// The most images an offering shows.
pub const MAX_IMAGES: usize = 8;

/// The storage keys of an offering's images.
pub fn image_keys(offering: &offerings::Model) -> Vec<String> {
    serde_json::from_str(&offering.images).unwrap_or_default()
}

async fn save_images(
    core: &Core,
    row: offerings::Model,
    keys: &[String],
) -> Result<offerings::Model> {
    let mut active: offerings::ActiveModel = row.into();
    active.images = Set(serde_json::to_string(keys).map_err(anyhow::Error::from)?);
    active.updated_at = Set(crate::time::now());
    let txn = core.db.begin_write().await?.without_account_changes();
    let saved = active.update(&*txn).await?;
    txn.commit().await?;
    Ok(saved)
}

/// `POST /api/offerings/:id/images`: adds a picture (its provider; at most
/// [`MAX_IMAGES`]; recognised from its bytes and resized like job photos).
pub async fn add_image(
    core: &Core,
    caller: &Authenticated,
    id: Uuid,
    upload: bytes::Bytes,
) -> Result<offerings::Model> {
    let row = own(core, caller, id).await?;
    let mut keys = image_keys(&row);
    if keys.len() >= MAX_IMAGES {
        return Err(Error::with_details(
            ErrorCode::PortfolioFull,
            json!({ "max": MAX_IMAGES }),
        ));
    }
    let key =
        crate::marketplace::jobs::store_image(core, &format!("offerings/{id}"), "image", upload)
            .await?;
    keys.push(key);
    save_images(core, row, &keys).await
}

/// `DELETE /api/offerings/:id/images/:index`: removes a picture, file
/// included (its provider).
pub async fn remove_image(
    core: &Core,
    caller: &Authenticated,
    id: Uuid,
    index: usize,
) -> Result<offerings::Model> {
    let row = own(core, caller, id).await?;
    let mut keys = image_keys(&row);
    if index >= keys.len() {
        return Err(ErrorCode::NotFound.into());
    }
    let key = keys.remove(index);
    let saved = save_images(core, row, &keys).await?;
    if let Err(err) = core.storage.delete(&key).await {
        tracing::warn!(key, error = %err, "an offering image's file stayed behind");
    }
    Ok(saved)
}
