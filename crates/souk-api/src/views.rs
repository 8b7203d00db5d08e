//! Response types shared by several routes (camelCase JSON).

use chrono::{DateTime, Utc};
use serde::Serialize;
use souk_core::{
    Lang, Settings,
    accounts::AuthSession,
    catalog::{ProfileExtras, services::localized_name},
    pagination::{Page, PageInfo},
    reviews,
};
use souk_db::entities::{activity_log, portfolio_images, services, users};
use utoipa::ToSchema;
use uuid::Uuid;

/// A point on the map.
#[derive(Debug, Clone, Serialize, serde::Deserialize, ToSchema)]
pub struct Location {
    pub lat: f64,
    pub lng: f64,
}

/// A catalog service a craftsman offers.
#[derive(Debug, Serialize, ToSchema)]
pub struct SkillRef {
    pub id: Uuid,
    pub slug: String,
    /// In the request's language.
    pub name: String,
}

impl SkillRef {
    /// Maps a catalog row.
    pub fn new(service: &services::Model, lang: Lang) -> Self {
        Self {
            id: service.id,
            slug: service.slug.clone(),
            name: localized_name(service, lang).to_owned(),
        }
    }
}

/// A portfolio picture.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PortfolioImage {
    pub id: Uuid,
    /// Public URL of the picture.
    pub url: String,
    pub created_at: DateTime<Utc>,
}

impl PortfolioImage {
    /// Maps a portfolio row.
    pub fn new(image: &portfolio_images::Model, settings: &Settings) -> Self {
        Self {
            id: image.id,
            url: settings.file_url(&image.file_key),
            created_at: image.created_at,
        }
    }
}

/// The reputation and craftsman fields every user view carries.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CraftsmanFields {
    /// How far from `location` a craftsman works, in km.
    pub service_radius_km: Option<f64>,
    /// Taking new work.
    pub available: bool,
    /// Average of the revealed reviews received (one decimal); null until
    /// the first.
    pub rating: Option<f64>,
    pub rating_count: i32,
    /// Bayesian-adjusted rating for ranking: (5 × 3.5 + Σ ratings) / (5 + n),
    /// two decimals (docs/FEATURES.md, "Reviews").
    pub rating_score: f64,
    pub completed_jobs: i32,
    pub verification_status: souk_db::enums::VerificationStatus,
    /// Craftsmen: median minutes from a client's first message to their
    /// first reply in contract conversations of the last 90 days; null
    /// without data.
    pub response_time_minutes: Option<i32>,
}

impl CraftsmanFields {
    fn new(user: &users::Model) -> Self {
        let rating = reviews::rating::average(user.rating_sum, user.rating_count);
        Self {
            service_radius_km: user.service_radius_km,
            available: user.available,
            rating,
            rating_count: user.rating_count,
            rating_score: reviews::rating::bayesian(user.rating_sum, user.rating_count),
            completed_jobs: user.completed_jobs,
            verification_status: user.verification_status,
            response_time_minutes: user.response_time_minutes,
        }
    }
}

fn skill_refs(extras: &ProfileExtras, lang: Lang) -> Vec<SkillRef> {
    extras
        .skills
        .iter()
        .map(|s| SkillRef::new(s, lang))
        .collect()
}

fn portfolio(extras: &ProfileExtras, settings: &Settings) -> Vec<PortfolioImage> {
    extras
        .portfolio
        .iter()
        .map(|i| PortfolioImage::new(i, settings))
        .collect()
}

/// A user as seen by themselves or by staff.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserResponse {
    pub id: Uuid,
    pub email: String,
    pub phone: Option<String>,
    /// client | craftsman | admin | moderator
    pub role: String,
    pub first_name: String,
    pub last_name: String,
    /// en | ar
    pub language: String,
    /// Public URL of the avatar.
    pub profile_picture: Option<String>,
    pub bio: Option<String>,
    pub city: Option<String>,
    pub location: Option<Location>,
    /// Catalog services offered (set with `PUT /api/users/me/skills`).
    /// Present on the profile answers (`/api/users/me…`, `/api/users…`);
    /// left out of auth and admin answers, which do not load it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skills: Option<Vec<SkillRef>>,
    /// Portfolio pictures; present where `skills` is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub portfolio: Option<Vec<PortfolioImage>>,
    #[serde(flatten)]
    pub craftsman: CraftsmanFields,
    pub email_verified: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub banned_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ban_reason: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deactivated_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

fn location(user: &users::Model) -> Option<Location> {
    Some(Location {
        lat: user.latitude?,
        lng: user.longitude?,
    })
}

impl UserResponse {
    /// The full view of a user row.
    pub fn new(user: users::Model, settings: &Settings) -> Self {
        Self {
            id: user.id,
            skills: None,
            portfolio: None,
            craftsman: CraftsmanFields::new(&user),
            location: location(&user),
            profile_picture: user
                .profile_picture
                .as_deref()
                .map(|k| settings.file_url(k)),
            email_verified: user.email_verified_at.is_some(),
            email: user.email,
            phone: user.phone,
            role: user.role,
            first_name: user.first_name,
            last_name: user.last_name,
            language: user.language,
            bio: user.bio,
            city: user.city,
            banned_at: user.banned_at,
            ban_reason: user.ban_reason,
            deactivated_at: user.deactivated_at,
            created_at: user.created_at,
            updated_at: user.updated_at,
        }
    }

    /// Adds the skills (named in `lang`) and the portfolio.
    pub fn with_extras(mut self, extras: &ProfileExtras, lang: Lang, settings: &Settings) -> Self {
        self.skills = Some(skill_refs(extras, lang));
        self.portfolio = Some(portfolio(extras, settings));
        self
    }
}

/// A public profile; contact details only for staff viewers.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PublicUserResponse {
    pub id: Uuid,
    pub role: String,
    pub first_name: String,
    pub last_name: String,
    pub profile_picture: Option<String>,
    pub bio: Option<String>,
    pub city: Option<String>,
    /// Catalog services offered; left out where not loaded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub skills: Option<Vec<SkillRef>>,
    /// Portfolio pictures; present where `skills` is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub portfolio: Option<Vec<PortfolioImage>>,
    #[serde(flatten)]
    pub craftsman: CraftsmanFields,
    pub language: String,
    pub email_verified: bool,
    pub created_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
}

impl PublicUserResponse {
    /// The public view; `staff` adds email and phone.
    pub fn new(user: users::Model, settings: &Settings, staff: bool) -> Self {
        Self {
            id: user.id,
            skills: None,
            portfolio: None,
            craftsman: CraftsmanFields::new(&user),
            profile_picture: user
                .profile_picture
                .as_deref()
                .map(|k| settings.file_url(k)),
            email_verified: user.email_verified_at.is_some(),
            role: user.role,
            first_name: user.first_name,
            last_name: user.last_name,
            bio: user.bio,
            city: user.city,
            language: user.language,
            created_at: user.created_at,
            email: staff.then_some(user.email),
            phone: if staff { user.phone } else { None },
        }
    }

    /// Adds the skills (named in `lang`) and the portfolio.
    pub fn with_extras(mut self, extras: &ProfileExtras, lang: Lang, settings: &Settings) -> Self {
        self.skills = Some(skill_refs(extras, lang));
        self.portfolio = Some(portfolio(extras, settings));
        self
    }
}

/// Tokens plus the signed-in user.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuthResponse {
    pub user: UserResponse,
    /// Bearer token for `Authorization`.
    pub access_token: String,
    /// Opaque; exchange at `/api/auth/refresh`; rotated on every use.
    pub refresh_token: String,
    /// Seconds until the access token expires.
    pub expires_in: u64,
}

impl AuthResponse {
    /// Maps a core session.
    pub fn new(session: AuthSession, settings: &Settings) -> Self {
        Self {
            user: UserResponse::new(session.user, settings),
            access_token: session.tokens.access_token,
            refresh_token: session.tokens.refresh_token,
            expires_in: session.tokens.expires_in,
        }
    }
}

/// A plain confirmation.
#[derive(Debug, Serialize, ToSchema)]
pub struct MessageResponse {
    pub message: String,
}

impl MessageResponse {
    /// A localized confirmation.
    pub fn notice(notice: souk_core::i18n::Notice, lang: souk_core::Lang) -> Self {
        Self {
            message: souk_core::i18n::notice(notice, lang).to_owned(),
        }
    }
}

/// The pagination block.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Pagination {
    pub page: u64,
    pub limit: u64,
    pub total_pages: u64,
    pub total_items: u64,
}

impl From<PageInfo> for Pagination {
    fn from(info: PageInfo) -> Self {
        Self {
            page: info.page,
            limit: info.limit,
            total_pages: info.total_pages,
            total_items: info.total_items,
        }
    }
}

/// One page of results.
#[derive(Debug, Serialize, ToSchema)]
pub struct Paged<T: ToSchema> {
    pub data: Vec<T>,
    pub pagination: Pagination,
}

impl<T: ToSchema> Paged<T> {
    /// Maps a core page.
    pub fn new<U>(page: Page<U>, f: impl FnMut(U) -> T) -> Self {
        let page = page.map(f);
        Self {
            data: page.items,
            pagination: page.info.into(),
        }
    }
}

/// An activity-log entry.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ActivityEntry {
    pub id: Uuid,
    pub actor_id: Option<Uuid>,
    pub action: String,
    pub target_type: String,
    pub target_id: Option<String>,
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
    pub created_at: DateTime<Utc>,
}

impl From<activity_log::Model> for ActivityEntry {
    fn from(row: activity_log::Model) -> Self {
        Self {
            id: row.id,
            actor_id: row.actor_id,
            action: row.action,
            target_type: row.target_type,
            target_id: row.target_id,
            details: serde_json::from_str(&row.details).unwrap_or_default(),
            created_at: row.created_at,
        }
    }
}
