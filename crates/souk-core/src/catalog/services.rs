//! Catalog services: bilingual categories that jobs are filed under and
//! craftsmen list as skills. Anyone reads them; staff manage them. A service
//! still in use is archived (inactive) instead of deleted.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QuerySelect, Set,
    sea_query::{Expr, ExprTrait, Func},
};
use souk_db::entities::{jobs, services, user_skills};
use uuid::Uuid;

use crate::{
    Core, Lang,
    accounts::{
        Authenticated,
        validate::{optional_text, required_text},
    },
    admin::activity,
    error::{Error, ErrorCode, FieldErrors, FieldIssue, Result, is_unique_violation},
    time,
};

/// Longest slug.
pub const SLUG_MAX: usize = 60;
/// Longest name, in either language.
pub const NAME_MAX: usize = 100;
/// Longest description, in either language.
pub const DESCRIPTION_MAX: usize = 2000;
/// Longest icon name.
pub const ICON_MAX: usize = 64;
/// Highest commission override (50%).
pub const COMMISSION_MAX_BPS: i64 = 5000;
/// Bound on `sortOrder` either side of zero.
pub const SORT_ORDER_LIMIT: i64 = 1_000_000;
/// Icon used when none is given.
pub const DEFAULT_ICON: &str = "home_repair_service";

/// How a request names a service: by id or by slug.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServiceRef {
    Id(Uuid),
    Slug(String),
}

impl ServiceRef {
    /// Parses a UUID or a well-formed slug; `None` for anything else.
    pub fn parse(raw: &str) -> Option<Self> {
        let raw = raw.trim();
        if let Ok(id) = Uuid::parse_str(raw) {
            return Some(ServiceRef::Id(id));
        }
        valid_slug(raw).then(|| ServiceRef::Slug(raw.to_owned()))
    }
}

/// Lowercase ASCII letters, digits and single inner hyphens; 2–60 characters;
/// never UUID-shaped (that would be read as an id).
pub fn valid_slug(slug: &str) -> bool {
    (2..=SLUG_MAX).contains(&slug.len())
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && !slug.contains("--")
        && Uuid::parse_str(slug).is_err()
}

/// The name in a language.
pub fn localized_name(service: &services::Model, lang: Lang) -> &str {
    match lang {
        Lang::En => &service.name_en,
        Lang::Ar => &service.name_ar,
    }
}

/// The description in a language.
pub fn localized_description(service: &services::Model, lang: Lang) -> &str {
    match lang {
        Lang::En => &service.description_en,
        Lang::Ar => &service.description_ar,
    }
}

/// Looks a service up by id or slug (active or not).
pub async fn find(
    conn: &impl ConnectionTrait,
    reference: &ServiceRef,
) -> Result<Option<services::Model>> {
    let query = match reference {
        ServiceRef::Id(id) => services::Entity::find_by_id(*id),
        ServiceRef::Slug(slug) => {
            services::Entity::find().filter(services::Column::Slug.eq(slug.as_str()))
        }
    };
    Ok(query.one(conn).await?)
}

/// Resolves a path segment: malformed → 404 `invalid_id`, unknown → 404
/// `service_not_found`.
pub async fn resolve(conn: &impl ConnectionTrait, raw: &str) -> Result<services::Model> {
    let reference = ServiceRef::parse(raw).ok_or(Error::code(ErrorCode::InvalidId))?;
    find(conn, &reference)
        .await?
        .ok_or(Error::code(ErrorCode::ServiceNotFound))
}

/// The catalog in display order; archived services only when asked. From
/// the catalog cache (no statement while it is current).
pub async fn list(core: &Core, include_inactive: bool) -> Result<Vec<services::Model>> {
    let all = all_services(core).await?;
    let mut found: Vec<services::Model> = all
        .iter()
        .filter(|s| include_inactive || s.active)
        .cloned()
        .collect();
    found.sort_by(|a, b| (a.sort_order, &a.slug).cmp(&(b.sort_order, &b.slug)));
    Ok(found)
}

/// The active service with `slug`, if any (from the catalog cache).
pub async fn active_by_slug(core: &Core, slug: &str) -> Result<Option<services::Model>> {
    Ok(list(core, false)
        .await?
        .into_iter()
        .find(|s| s.slug == slug))
}

/// One service by id or slug.
pub async fn get(core: &Core, raw: &str) -> Result<services::Model> {
    resolve(core.db.conn(), raw).await
}

/// Create or partial-update input; `None` leaves a field alone (or takes
/// its default on create).
#[derive(Debug, Clone, Default)]
pub struct ServiceInput {
    pub slug: Option<String>,
    pub name_en: Option<String>,
    pub name_ar: Option<String>,
    pub description_en: Option<String>,
    pub description_ar: Option<String>,
    pub icon: Option<String>,
    pub active: Option<bool>,
    /// `Some(None)` clears the override: the platform default applies.
    pub commission_bps: Option<Option<i64>>,
    pub sort_order: Option<i64>,
}

/// Checked values; `None` where the input left the field out.
#[derive(Default)]
struct Checked {
    slug: Option<String>,
    name_en: Option<String>,
    name_ar: Option<String>,
    description_en: Option<String>,
    description_ar: Option<String>,
    icon: Option<String>,
    commission_bps: Option<Option<i32>>,
    sort_order: Option<i32>,
}

fn check(input: &ServiceInput, creating: bool) -> Result<Checked> {
    let mut errors = FieldErrors::new();
    let mut out = Checked::default();
    let required = |errors: &mut FieldErrors, field: &str, value: Option<&str>, max: usize| {
        if creating || value.is_some() {
            Some(required_text(errors, field, value, max))
        } else {
            None
        }
    };
    out.slug = required(&mut errors, "slug", input.slug.as_deref(), SLUG_MAX);
    if let Some(slug) = out.slug.as_deref()
        && !slug.is_empty()
        && !valid_slug(slug)
    {
        errors.add("slug", FieldIssue::Invalid);
    }
    out.name_en = required(&mut errors, "nameEn", input.name_en.as_deref(), NAME_MAX);
    out.name_ar = required(&mut errors, "nameAr", input.name_ar.as_deref(), NAME_MAX);
    for (field, value, slot) in [
        (
            "descriptionEn",
            &input.description_en,
            &mut out.description_en,
        ),
        (
            "descriptionAr",
            &input.description_ar,
            &mut out.description_ar,
        ),
    ] {
        if let Some(text) = value.as_deref() {
            *slot = Some(
                optional_text(&mut errors, field, Some(text), DESCRIPTION_MAX).unwrap_or_default(),
            );
        }
    }
    if let Some(icon) = input.icon.as_deref() {
        out.icon = Some(
            optional_text(&mut errors, "icon", Some(icon), ICON_MAX)
                .unwrap_or_else(|| DEFAULT_ICON.to_owned()),
        );
    }
    if let Some(bps) = input.commission_bps {
        match bps {
            None => out.commission_bps = Some(None),
            Some(bps) if (0..=COMMISSION_MAX_BPS).contains(&bps) => {
                out.commission_bps = Some(i32::try_from(bps).ok());
            }
            Some(_) => errors.add(
                "commissionBps",
                FieldIssue::out_of_range(0, COMMISSION_MAX_BPS),
            ),
        }
    }
    if let Some(order) = input.sort_order {
        match i32::try_from(order) {
            Ok(order) if (-SORT_ORDER_LIMIT..=SORT_ORDER_LIMIT).contains(&i64::from(order)) => {
                out.sort_order = Some(order);
            }
            _ => errors.add(
                "sortOrder",
                FieldIssue::out_of_range(-SORT_ORDER_LIMIT, SORT_ORDER_LIMIT),
            ),
        }
    }
    errors.into_result()?;
    Ok(out)
}

fn require_staff(caller: &Authenticated) -> Result<()> {
    if caller.role.is_staff() {
        Ok(())
    } else {
        Err(ErrorCode::StaffOnly.into())
    }
}

fn slug_taken() -> Error {
    Error::with_details(ErrorCode::SlugTaken, serde_json::json!({ "field": "slug" }))
}

fn map_unique(err: sea_orm::DbErr) -> Error {
    if is_unique_violation(&err) {
        slug_taken()
    } else {
        err.into()
    }
}

async fn ensure_slug_free(
    conn: &impl ConnectionTrait,
    slug: &str,
    except: Option<Uuid>,
) -> Result<()> {
    let mut query = services::Entity::find().filter(services::Column::Slug.eq(slug));
    if let Some(id) = except {
        query = query.filter(services::Column::Id.ne(id));
    }
    if query.count(conn).await? > 0 {
        return Err(slug_taken());
    }
    Ok(())
}

/// Adds a service (staff). Without `sortOrder` it goes to the end.
pub async fn create(
    core: &Core,
    caller: &Authenticated,
    input: ServiceInput,
) -> Result<services::Model> {
    require_staff(caller)?;
    let checked = check(&input, true)?;
    let slug = checked.slug.unwrap_or_default();
    let txn = core.db.begin_write().await?;
    ensure_slug_free(&*txn, &slug, None).await?;
    let sort_order = match checked.sort_order {
        Some(order) => order,
        None => next_sort_order(&*txn).await?,
    };
    let now = time::now();
    let service = services::ActiveModel {
        id: Set(Uuid::now_v7()),
        slug: Set(slug),
        name_en: Set(checked.name_en.unwrap_or_default()),
        name_ar: Set(checked.name_ar.unwrap_or_default()),
        description_en: Set(checked.description_en.unwrap_or_default()),
        description_ar: Set(checked.description_ar.unwrap_or_default()),
        icon: Set(checked.icon.unwrap_or_else(|| DEFAULT_ICON.to_owned())),
        active: Set(input.active.unwrap_or(true)),
        commission_bps: Set(checked.commission_bps.flatten()),
        sort_order: Set(sort_order),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&*txn)
    .await
    .map_err(map_unique)?;
    activity::record(
        &*txn,
        Some(caller.user.id),
        "catalog.create",
        "service",
        Some(service.id.to_string()),
        serde_json::json!({ "slug": service.slug, "nameEn": service.name_en }),
    )
    .await?;
    txn.commit().await?;
    Ok(service)
}

async fn next_sort_order(conn: &impl ConnectionTrait) -> Result<i32> {
    let max: Option<Option<i32>> = services::Entity::find()
        .select_only()
        .column_as(
            Expr::expr(Func::max(Expr::col(services::Column::SortOrder))),
            "m",
        )
        .into_tuple()
        .one(conn)
        .await?;
    Ok(max.flatten().map_or(10, |m| m.saturating_add(10)))
}

/// Changes the given fields of a service (staff).
pub async fn update(
    core: &Core,
    caller: &Authenticated,
    raw_ref: &str,
    input: ServiceInput,
) -> Result<services::Model> {
    require_staff(caller)?;
    let checked = check(&input, false)?;
    let txn = core.db.begin_write().await?;
    let service = resolve(&*txn, raw_ref).await?;
    if let Some(slug) = checked.slug.as_deref() {
        ensure_slug_free(&*txn, slug, Some(service.id)).await?;
    }
    let mut changed: Vec<&str> = Vec::new();
    let mut row: services::ActiveModel = service.clone().into();
    macro_rules! apply {
        ($value:expr, $column:ident, $name:literal) => {
            if let Some(value) = $value {
                if service.$column != value {
                    changed.push($name);
                }
                row.$column = Set(value);
            }
        };
    }
    apply!(checked.slug, slug, "slug");
    apply!(checked.name_en, name_en, "nameEn");
    apply!(checked.name_ar, name_ar, "nameAr");
    apply!(checked.description_en, description_en, "descriptionEn");
    apply!(checked.description_ar, description_ar, "descriptionAr");
    apply!(checked.icon, icon, "icon");
    apply!(input.active, active, "active");
    apply!(checked.commission_bps, commission_bps, "commissionBps");
    apply!(checked.sort_order, sort_order, "sortOrder");
    row.updated_at = Set(time::now());
    let updated = row.update(&*txn).await.map_err(map_unique)?;
    activity::record(
        &*txn,
        Some(caller.user.id),
        "catalog.update",
        "service",
        Some(updated.id.to_string()),
        serde_json::json!({ "slug": updated.slug, "changed": changed }),
    )
    .await?;
    txn.commit().await?;
    Ok(updated)
}

/// What a delete did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Removal {
    /// Nothing referred to the service; it is gone.
    Deleted,
    /// Jobs or craftsmen refer to it; it is now inactive instead.
    Archived,
}

/// Deletes a service, or archives it when a job or a craftsman's skills
/// refer to it (staff).
pub async fn delete(core: &Core, caller: &Authenticated, raw_ref: &str) -> Result<Removal> {
    require_staff(caller)?;
    let txn = core.db.begin_write().await?;
    let service = resolve(&*txn, raw_ref).await?;
    let jobs = jobs::Entity::find()
        .filter(jobs::Column::CategoryId.eq(service.id))
        .count(&*txn)
        .await?;
    let craftsmen = user_skills::Entity::find()
        .filter(user_skills::Column::ServiceId.eq(service.id))
        .count(&*txn)
        .await?;
    let id = service.id.to_string();
    let removal = if jobs > 0 || craftsmen > 0 {
        let slug = service.slug.clone();
        let mut active: services::ActiveModel = service.into();
        active.active = Set(false);
        active.updated_at = Set(time::now());
        active.update(&*txn).await?;
        activity::record(
            &*txn,
            Some(caller.user.id),
            "catalog.archive",
            "service",
            Some(id),
            serde_json::json!({ "slug": slug, "jobs": jobs, "craftsmen": craftsmen }),
        )
        .await?;
        Removal::Archived
    } else {
        services::Entity::delete_by_id(service.id)
            .exec(&*txn)
            .await?;
        activity::record(
            &*txn,
            Some(caller.user.id),
            "catalog.delete",
            "service",
            Some(id),
            serde_json::json!({ "slug": service.slug }),
        )
        .await?;
        Removal::Deleted
    };
    txn.commit().await?;
    Ok(removal)
}

/// Active services matching a text, for search: slug or a name in either
/// language contains it (case-insensitive).
pub fn name_matches(pattern: &str) -> sea_orm::Condition {
    let like = |column: services::Column| {
        Expr::expr(Func::lower(Expr::col((services::Entity, column))))
            .like(sea_orm::sea_query::LikeExpr::new(pattern.to_owned()).escape('\\'))
    };
    sea_orm::Condition::any()
        .add(like(services::Column::Slug))
        .add(like(services::Column::NameEn))
        .add(like(services::Column::NameAr))
}

/// Every service, archived ones included, from the cache when it is current.
pub async fn all_services(core: &Core) -> Result<std::sync::Arc<Vec<services::Model>>> {
    // The generation is read before the rows, so rows read after a write
    // never get filed under the generation before it.
    let generation = core.db.write_generation();
    if let Some(services) = generation.and_then(|g| core.catalog_cache.current(g)) {
        return Ok(services);
    }
    let services = std::sync::Arc::new(services::Entity::find().all(core.db.conn()).await?);
    if let Some(generation) = generation {
        core.catalog_cache.fill(generation, services.clone());
    }
    Ok(services)
}

/// A service by id or slug (archived ones too), through the cache.
pub async fn find_cached(core: &Core, reference: &ServiceRef) -> Result<Option<services::Model>> {
    let services = all_services(core).await?;
    Ok(services
        .iter()
        .find(|s| match reference {
            ServiceRef::Id(id) => s.id == *id,
            ServiceRef::Slug(slug) => s.slug == *slug,
        })
        .cloned())
}
