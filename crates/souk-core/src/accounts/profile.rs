//! The signed-in user's own profile: read, update (with a craftsman's
//! service radius), deactivate, avatar.

use bytes::Bytes;
use sea_orm::{ActiveModelTrait, Set};
use souk_db::entities::users;
use souk_integrations::images::{self, ImageError};
use uuid::Uuid;

use super::{
    Authenticated, Role, find_user,
    register::ensure_unique,
    register::unique_error,
    sessions,
    validate::{normalize_phone, optional_text},
};
use crate::{
    Core, Lang,
    error::{Error, ErrorCode, FieldErrors, FieldIssue, Result},
    time,
};

/// Side length of stored avatars.
pub const AVATAR_SIZE: u32 = 400;
/// Largest accepted upload (5 MB).
pub const AVATAR_MAX_BYTES: usize = 5 * 1024 * 1024;

/// A partial profile update; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct ProfileUpdate {
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    /// `Some("")` clears the phone.
    pub phone: Option<String>,
    pub language: Option<String>,
    pub bio: Option<String>,
    pub city: Option<String>,
    pub location: Option<(f64, f64)>,
    /// Craftsmen only: how far from their location they work (0.5–200 km).
    pub service_radius_km: Option<f64>,
}

/// Smallest and largest service radius, in km.
pub const SERVICE_RADIUS_KM: (f64, f64) = (0.5, 200.0);

/// Applies a profile update.
pub async fn update_profile(
    core: &Core,
    caller: &Authenticated,
    update: ProfileUpdate,
) -> Result<users::Model> {
    let mut errors = FieldErrors::new();
    let mut active: users::ActiveModel = caller.user.clone().into();
    if let Some(first) = update.first_name.as_deref() {
        match optional_text(&mut errors, "firstName", Some(first), 100) {
            Some(v) => active.first_name = Set(v),
            None => errors.add("firstName", FieldIssue::Required),
        }
    }
    if let Some(last) = update.last_name.as_deref() {
        match optional_text(&mut errors, "lastName", Some(last), 100) {
            Some(v) => active.last_name = Set(v),
            None => errors.add("lastName", FieldIssue::Required),
        }
    }
    let mut new_phone = None;
    if let Some(phone) = update.phone.as_deref() {
        if phone.trim().is_empty() {
            active.phone = Set(None);
        } else {
            match normalize_phone(phone) {
                Some(p) => {
                    new_phone = Some(p.clone());
                    active.phone = Set(Some(p));
                }
                None => errors.add("phone", FieldIssue::InvalidPhone),
            }
        }
    }
    if let Some(language) = update.language.as_deref() {
        match Lang::parse(language) {
            Some(lang) => active.language = Set(lang.as_str().to_owned()),
            None => errors.add("language", FieldIssue::OneOf(vec!["en", "ar"])),
        }
    }
    if let Some(bio) = update.bio.as_deref() {
        active.bio = Set(optional_text(&mut errors, "bio", Some(bio), 2000));
    }
    if let Some(city) = update.city.as_deref() {
        active.city = Set(optional_text(&mut errors, "city", Some(city), 100));
    }
    if let Some((lat, lng)) = update.location {
        if !(-90.0..=90.0).contains(&lat) {
            errors.add(
                "location.lat",
                FieldIssue::OutOfRange {
                    min: -90.0,
                    max: 90.0,
                },
            );
        }
        if !(-180.0..=180.0).contains(&lng) {
            errors.add(
                "location.lng",
                FieldIssue::OutOfRange {
                    min: -180.0,
                    max: 180.0,
                },
            );
        }
        active.latitude = Set(Some(lat));
        active.longitude = Set(Some(lng));
    }
    if let Some(radius) = update.service_radius_km {
        let (min, max) = SERVICE_RADIUS_KM;
        if caller.role != Role::Craftsman {
            errors.add("serviceRadiusKm", FieldIssue::NotAllowed);
        } else if !(min..=max).contains(&radius) {
            errors.add("serviceRadiusKm", FieldIssue::OutOfRange { min, max });
        } else {
            active.service_radius_km = Set(Some(radius));
        }
    }
    errors.into_result()?;
    if let Some(phone) = new_phone.as_deref() {
        ensure_unique(
            core.db.conn(),
            &caller.user.email,
            Some(phone),
            Some(caller.user.id),
        )
        .await?;
    }
    active.updated_at = Set(time::now());
    let txn = core.db.begin_write().await?;
    let user = active
        .update(&*txn)
        .await
        .map_err(|err| unique_error(&err).unwrap_or_else(|| err.into()))?;
    txn.commit().await?;
    Ok(user)
}

/// Deactivates the caller's account and ends all their sessions; signing in
/// again reactivates it.
pub async fn deactivate(core: &Core, caller: &Authenticated) -> Result<()> {
    let txn = core.db.begin_write().await?;
    let mut active: users::ActiveModel = caller.user.clone().into();
    let now = time::now();
    active.deactivated_at = Set(Some(now));
    active.updated_at = Set(now);
    active.update(&*txn).await?;
    sessions::revoke_all_sessions(&*txn, caller.user.id, "deactivated").await?;
    txn.commit().await?;
    core.outbox_wakeup.notify_one();
    Ok(())
}

/// Stores a new avatar (recognised from its bytes, cropped to 400×400) and
/// deletes the previous file.
pub async fn set_avatar(core: &Core, user_id: Uuid, upload: Bytes) -> Result<users::Model> {
    if upload.len() > AVATAR_MAX_BYTES {
        return Err(ErrorCode::PayloadTooLarge.into());
    }
    let processed =
        tokio::task::spawn_blocking(move || images::square_thumbnail(&upload, AVATAR_SIZE))
            .await
            .map_err(|e| Error::Internal(e.into()))?
            .map_err(|err| match err {
                ImageError::Unsupported | ImageError::Undecodable => {
                    Error::code(ErrorCode::UnsupportedImage)
                }
                ImageError::TooLarge => Error::code(ErrorCode::PayloadTooLarge),
            })?;
    let key = format!(
        "avatars/{user_id}/{}.{}",
        Uuid::now_v7(),
        processed.kind.extension()
    );
    core.storage
        .put(&key, Bytes::from(processed.bytes), processed.kind.mime())
        .await?;
    let user = find_user(core.db.conn(), user_id).await?;
    let old = user.profile_picture.clone();
    let mut active: users::ActiveModel = user.into();
    active.profile_picture = Set(Some(key));
    active.updated_at = Set(time::now());
    let txn = core.db.begin_write().await?;
    let user = active.update(&*txn).await?;
    txn.commit().await?;
    if let Some(old) = old
        && let Err(err) = core.storage.delete(&old).await
    {
        tracing::warn!(file.key = %old, error = %err, "could not delete the previous avatar");
    }
    Ok(user)
}
