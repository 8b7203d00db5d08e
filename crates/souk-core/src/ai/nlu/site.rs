//! One named place of the gazetteer, as the place tables write it.

/// One named place.
pub(super) struct Site {
    /// English spellings; the first is the display name.
    pub en: &'static [&'static str],
    /// Arabic spellings; the first is the display name.
    pub ar: &'static [&'static str],
    pub lat: f64,
    pub lng: f64,
    pub radius_km: f64,
}
