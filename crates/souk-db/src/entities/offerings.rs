//! `offerings`: a craftsman's priced service.

use sea_orm::entity::prelude::*;

use crate::enums::OfferingStatus;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "offerings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub provider_id: Uuid,
    pub title_en: Option<String>,
    pub title_ar: Option<String>,
    pub description_en: Option<String>,
    pub description_ar: Option<String>,
    /// The catalog service.
    pub category_id: Uuid,
    /// Minor units.
    pub price: i64,
    /// `fixed` or `hourly`.
    pub price_unit: String,
    pub duration_minutes: i32,
    /// JSON array of strings.
    pub tags: String,
    /// The search terms of its titles, descriptions and tags (normalised,
    /// stemmed), space-separated with a space at each end.
    pub search_terms: String,
    pub is_visible: bool,
    /// Booked without the provider's acceptance.
    pub instant_booking: bool,
    /// Done remotely (no service area).
    pub remote: bool,
    /// How far from the provider's location they travel.
    pub service_radius_km: Option<f64>,
    pub buffer_minutes: i32,
    pub min_notice_minutes: i32,
    pub status: OfferingStatus,
    /// JSON array of storage keys (at most 8).
    pub images: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
