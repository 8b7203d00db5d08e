//! Credit packages (seed 003's coin packages as configuration of the same
//! ledger): pay `price`, receive `credit`; the extra comes from promotions.
//! Anyone signed in lists the active ones; admins manage them.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
};
use souk_db::entities::{credit_packages, payments};
use uuid::Uuid;

use super::amount;
use crate::{
    Core,
    accounts::Authenticated,
    admin::activity,
    error::{Error, ErrorCode, FieldErrors, FieldIssue, Result},
    time,
};

/// Package fields as received (all optional for updates).
#[derive(Debug, Clone, Default)]
pub struct PackageInput {
    pub name_en: Option<String>,
    pub name_ar: Option<String>,
    pub price: Option<i64>,
    pub credit: Option<i64>,
    pub active: Option<bool>,
    pub sort_order: Option<i32>,
}

/// Active packages, cheapest first (`all` for admins: archived too).
pub async fn list(
    core: &Core,
    caller: &Authenticated,
    all: bool,
) -> Result<Vec<credit_packages::Model>> {
    let mut query = credit_packages::Entity::find();
    if all {
        caller.require_admin()?;
    } else {
        query = query.filter(credit_packages::Column::Active.eq(true));
    }
    Ok(query
        .order_by_asc(credit_packages::Column::SortOrder)
        .order_by_asc(credit_packages::Column::Price)
        .all(core.db.conn())
        .await?)
}

fn check(input: &PackageInput, creating: bool, max: i64) -> Result<()> {
    let mut errors = FieldErrors::new();
    for (field, value) in [("nameEn", &input.name_en), ("nameAr", &input.name_ar)] {
        match value.as_deref().map(str::trim) {
            None if creating => errors.add(field, FieldIssue::Required),
            Some("") => errors.add(field, FieldIssue::Required),
            Some(v) if v.chars().count() > 100 => errors.add(field, FieldIssue::TooLong(100)),
            Some(v) if v.contains('\0') => errors.add(field, FieldIssue::NulByte),
            _ => {}
        }
    }
    for (field, value) in [("price", input.price), ("credit", input.credit)] {
        match value {
            None if creating => errors.add(field, FieldIssue::Required),
            Some(v) => {
                amount::check(&mut errors, field, v, 1, max);
            }
            None => {}
        }
    }
    errors.into_result()
}

fn credit_not_below_price(price: i64, credit: i64, max: i64) -> Result<()> {
    if credit < price {
        return Err(Error::Validation(FieldErrors::single(
            "credit",
            FieldIssue::out_of_range(price, max),
        )));
    }
    Ok(())
}

pub async fn create(
    core: &Core,
    caller: &Authenticated,
    input: PackageInput,
) -> Result<credit_packages::Model> {
    caller.require_admin()?;
    check(&input, true, core.settings.max_amount)?;
    let (price, credit) = (input.price.unwrap_or(1), input.credit.unwrap_or(1));
    credit_not_below_price(price, credit, core.settings.max_amount)?;
    let now = time::now();
    let txn = core.db.begin_write().await?.without_account_changes();
    let package = credit_packages::ActiveModel {
        id: Set(Uuid::now_v7()),
        name_en: Set(input.name_en.unwrap_or_default().trim().to_owned()),
        name_ar: Set(input.name_ar.unwrap_or_default().trim().to_owned()),
        price: Set(price),
        credit: Set(credit),
        active: Set(input.active.unwrap_or(true)),
        sort_order: Set(input.sort_order.unwrap_or(0)),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&*txn)
    .await?;
    activity::record(
        &*txn,
        Some(caller.user.id),
        "admin.create_package",
        "credit_package",
        Some(package.id.to_string()),
        serde_json::json!({ "price": price, "credit": credit }),
    )
    .await?;
    txn.commit().await?;
    Ok(package)
}

pub async fn update(
    core: &Core,
    caller: &Authenticated,
    id: Uuid,
    input: PackageInput,
) -> Result<credit_packages::Model> {
    caller.require_admin()?;
    check(&input, false, core.settings.max_amount)?;
    let txn = core.db.begin_write().await?.without_account_changes();
    let package = credit_packages::Entity::find_by_id(id)
        .one(&*txn)
        .await?
        .ok_or(Error::code(ErrorCode::PackageNotFound))?;
    credit_not_below_price(
        input.price.unwrap_or(package.price),
        input.credit.unwrap_or(package.credit),
        core.settings.max_amount,
    )?;
    let mut active: credit_packages::ActiveModel = package.into();
    if let Some(v) = input.name_en {
        active.name_en = Set(v.trim().to_owned());
    }
    if let Some(v) = input.name_ar {
        active.name_ar = Set(v.trim().to_owned());
    }
    if let Some(v) = input.price {
        active.price = Set(v);
    }
    if let Some(v) = input.credit {
        active.credit = Set(v);
    }
    if let Some(v) = input.active {
        active.active = Set(v);
    }
    if let Some(v) = input.sort_order {
        active.sort_order = Set(v);
    }
    active.updated_at = Set(time::now());
    let package = active.update(&*txn).await?;
    activity::record(&*txn, Some(caller.user.id), "admin.update_package", "credit_package", Some(package.id.to_string()), serde_json::json!({ "price": package.price, "credit": package.credit, "active": package.active })).await?;
    txn.commit().await?;
    Ok(package)
}

/// Deletes a package never bought; one with purchases is archived instead
/// (their history keeps pointing at it). Returns whether it was archived.
pub async fn delete(core: &Core, caller: &Authenticated, id: Uuid) -> Result<bool> {
    caller.require_admin()?;
    let txn = core.db.begin_write().await?.without_account_changes();
    let package = credit_packages::Entity::find_by_id(id)
        .one(&*txn)
        .await?
        .ok_or(Error::code(ErrorCode::PackageNotFound))?;
    let used = payments::Entity::find()
        .filter(payments::Column::PackageId.eq(id))
        .count(&*txn)
        .await?
        > 0;
    if used {
        let mut active: credit_packages::ActiveModel = package.into();
        active.active = Set(false);
        active.updated_at = Set(time::now());
        active.update(&*txn).await?;
    } else {
        credit_packages::Entity::delete_by_id(id)
            .exec(&*txn)
            .await?;
    }
    activity::record(
        &*txn,
        Some(caller.user.id),
        "admin.delete_package",
        "credit_package",
        Some(id.to_string()),
        serde_json::json!({ "archived": used }),
    )
    .await?;
    txn.commit().await?;
    Ok(used)
}
