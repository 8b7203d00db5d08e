//! Text normalization (Arabic and English) and geographic helpers for search.
//!
//! Index a job with [`terms`] of its text; match a query with [`query_groups`]
//! (every group must share a term with the job). Pre-filter by place with
//! [`bounding_box`], then check [`haversine_km`]. Pure functions, std only.

mod circle;
mod geo;
mod normalize;
mod stem;
mod synonyms;
mod terms;

pub use circle::{haversine_limit, inscribed_box};
pub use geo::{BoundingBox, bounding_box, cells_covering, geo_cell, haversine_km, valid_point};
pub use normalize::normalize;
pub use synonyms::query_groups;
pub use terms::terms;
