//! Distances and bounding boxes on a spherical Earth, for "near me" search.

use crate::num::floor_saturating;

/// Mean Earth radius (IUGG), in kilometres.
pub(crate) const EARTH_RADIUS_KM: f64 = 6371.0088;

/// Whether `(lat, lng)` is a usable coordinate in degrees: both finite, latitude
/// in −90..=90 and longitude in −180..=180.
pub fn valid_point(lat: f64, lng: f64) -> bool {
    lat.is_finite()
        && lng.is_finite()
        && (-90.0..=90.0).contains(&lat)
        && (-180.0..=180.0).contains(&lng)
}

/// Great-circle distance in kilometres between two points given in degrees
/// (haversine formula, Earth radius 6371.0088 km). NaN if any input is NaN.
pub fn haversine_km(lat1: f64, lng1: f64, lat2: f64, lng2: f64) -> f64 {
    let (phi1, phi2) = (lat1.to_radians(), lat2.to_radians());
    let d_phi = (lat2 - lat1).to_radians();
    let d_lambda = (lng2 - lng1).to_radians();
    let a = (d_phi / 2.0).sin().powi(2) + phi1.cos() * phi2.cos() * (d_lambda / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * a.sqrt().clamp(0.0, 1.0).asin()
}

/// A latitude/longitude rectangle in degrees, for a cheap `BETWEEN` pre-filter
/// before the exact [`haversine_km`] check.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BoundingBox {
    /// Southern edge, ≥ −90.
    pub min_lat: f64,
    /// Northern edge, ≤ 90.
    pub max_lat: f64,
    /// Western edge, ≥ −180.
    pub min_lng: f64,
    /// Eastern edge, ≤ 180; never less than `min_lng` (no wrap-around boxes).
    pub max_lng: f64,
}

impl BoundingBox {
    /// The whole globe.
    const WORLD: Self = Self {
        min_lat: -90.0,
        max_lat: 90.0,
        min_lng: -180.0,
        max_lng: 180.0,
    };

    /// Whether the box contains `(lat, lng)`, edges included.
    pub fn contains(&self, lat: f64, lng: f64) -> bool {
        (self.min_lat..=self.max_lat).contains(&lat) && (self.min_lng..=self.max_lng).contains(&lng)
    }
}

/// A box that certainly contains every point within `radius_km` of `(lat, lng)`.
///
/// Latitudes are the centre's ± the angular radius, clamped to ±90. Longitudes
/// use the circle's true widest extent at that latitude; when the circle reaches
/// a pole or crosses the antimeridian they widen to the full −180..=180 (so a
/// box never wraps). A hair of slack absorbs rounding. A negative or NaN radius
/// counts as 0; an invalid centre (see [`valid_point`]) gives the whole globe.
pub fn bounding_box(lat: f64, lng: f64, radius_km: f64) -> BoundingBox {
    if !valid_point(lat, lng) {
        return BoundingBox::WORLD;
    }
    let radius_km = if radius_km > 0.0 { radius_km } else { 0.0 };
    // Angular radius in radians, with relative and absolute slack for rounding.
    let delta = radius_km / EARTH_RADIUS_KM * (1.0 + 1e-9) + 1e-12;
    let delta_deg = delta.to_degrees();
    let min_lat = lat - delta_deg;
    let max_lat = lat + delta_deg;
    if min_lat <= -90.0 || max_lat >= 90.0 {
        return BoundingBox {
            min_lat: min_lat.max(-90.0),
            max_lat: max_lat.min(90.0),
            ..BoundingBox::WORLD
        };
    }
    // The circle's extreme meridians touch it where sin Δλ = sin δ / cos φ.
    let ratio = delta.sin() / lat.to_radians().cos();
    if ratio >= 1.0 {
        return BoundingBox {
            min_lat,
            max_lat,
            ..BoundingBox::WORLD
        };
    }
    let d_lng = ratio.asin().to_degrees();
    let (min_lng, max_lng) = (lng - d_lng, lng + d_lng);
    if min_lng < -180.0 || max_lng > 180.0 {
        return BoundingBox {
            min_lat,
            max_lat,
            ..BoundingBox::WORLD
        };
    }
    BoundingBox {
        min_lat,
        max_lat,
        min_lng,
        max_lng,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const CAIRO: (f64, f64) = (30.0444, 31.2357);
    const ALEXANDRIA: (f64, f64) = (31.2001, 29.9187);

    /// The point `distance_km` from `(lat, lng)` on initial bearing `bearing_deg`.
    fn destination(lat: f64, lng: f64, bearing_deg: f64, distance_km: f64) -> (f64, f64) {
        let (phi1, lambda1) = (lat.to_radians(), lng.to_radians());
        let theta = bearing_deg.to_radians();
        let delta = distance_km / EARTH_RADIUS_KM;
        let phi2 = (phi1.sin() * delta.cos() + phi1.cos() * delta.sin() * theta.cos()).asin();
        let lambda2 = lambda1
            + (theta.sin() * delta.sin() * phi1.cos()).atan2(delta.cos() - phi1.sin() * phi2.sin());
        let lng2 = (lambda2.to_degrees() + 540.0).rem_euclid(360.0) - 180.0;
        (phi2.to_degrees(), lng2)
    }

    #[test]
    fn cairo_to_alexandria() {
        let d = haversine_km(CAIRO.0, CAIRO.1, ALEXANDRIA.0, ALEXANDRIA.1);
        assert!((d - 179.0).abs() <= 2.0, "{d}");
        let back = haversine_km(ALEXANDRIA.0, ALEXANDRIA.1, CAIRO.0, CAIRO.1);
        assert!((d - back).abs() < 1e-9);
    }

    #[test]
    fn same_point_is_zero_and_antipodes_are_half_round() {
        assert!(haversine_km(CAIRO.0, CAIRO.1, CAIRO.0, CAIRO.1).abs() < 1e-9);
        let half = std::f64::consts::PI * EARTH_RADIUS_KM;
        assert!((haversine_km(0.0, 0.0, 0.0, 180.0) - half).abs() < 1e-6);
        assert!((haversine_km(90.0, 0.0, -90.0, 0.0) - half).abs() < 1e-6);
        assert!(haversine_km(f64::NAN, 0.0, 0.0, 0.0).is_nan());
    }

    #[test]
    fn box_contains_points_at_the_radius() {
        for &(lat, lng) in &[
            CAIRO,
            (0.0, 0.0),
            (-33.9, 18.4),
            (60.0, 10.0),
            (85.0, 100.0),
        ] {
            for radius in [0.5, 10.0, 179.0, 1500.0] {
                let b = bounding_box(lat, lng, radius);
                for bearing in (0..360).map(f64::from) {
                    let (plat, plng) = destination(lat, lng, bearing, radius);
                    assert!((haversine_km(lat, lng, plat, plng) - radius).abs() < 1e-6);
                    assert!(
                        b.contains(plat, plng),
                        "({lat},{lng}) r={radius} bearing {bearing}: ({plat},{plng}) not in {b:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn box_edges_are_at_the_radius_north_south_east_west() {
        let (lat, lng) = CAIRO;
        let b = bounding_box(lat, lng, 50.0);
        for (plat, plng) in [(b.max_lat, lng), (b.min_lat, lng)] {
            assert!((haversine_km(lat, lng, plat, plng) - 50.0).abs() < 1e-3);
        }
        // The east/west edges are tangent to the circle (slightly poleward of due east).
        for edge in [b.min_lng, b.max_lng] {
            let closest = (-900..=900)
                .map(|i| haversine_km(lat, lng, lat + f64::from(i) * 1e-3, edge))
                .fold(f64::INFINITY, f64::min);
            assert!((closest - 50.0).abs() < 1e-2, "{closest}");
        }
        assert!(b.contains(lat, lng));
        assert!(b.max_lng - b.min_lng < 2.0);
    }

    #[test]
    fn box_near_antimeridian_spans_all_longitudes() {
        for lng in [179.9, -179.9] {
            let b = bounding_box(10.0, lng, 50.0);
            assert_eq!((b.min_lng, b.max_lng), (-180.0, 180.0));
            assert!(b.min_lat > 9.0 && b.max_lat < 11.0);
        }
    }

    #[test]
    fn box_over_a_pole_is_clamped_and_spans_all_longitudes() {
        let b = bounding_box(89.9, 0.0, 50.0);
        assert_eq!(b.max_lat, 90.0);
        assert_eq!((b.min_lng, b.max_lng), (-180.0, 180.0));
        let b = bounding_box(-89.5, 45.0, 100.0);
        assert_eq!(b.min_lat, -90.0);
        assert_eq!((b.min_lng, b.max_lng), (-180.0, 180.0));
        let b = bounding_box(0.0, 0.0, 30_000.0);
        assert_eq!(b, BoundingBox::WORLD);
    }

    #[test]
    fn degenerate_inputs() {
        let b = bounding_box(CAIRO.0, CAIRO.1, 0.0);
        assert!(b.contains(CAIRO.0, CAIRO.1));
        assert!(b.max_lat - b.min_lat < 1e-9);
        assert_eq!(bounding_box(CAIRO.0, CAIRO.1, -5.0), b);
        assert_eq!(bounding_box(CAIRO.0, CAIRO.1, f64::NAN), b);
        assert_eq!(bounding_box(f64::NAN, 0.0, 10.0), BoundingBox::WORLD);
        assert_eq!(bounding_box(0.0, 0.0, f64::INFINITY), BoundingBox::WORLD);
    }

    #[test]
    fn point_validity() {
        assert!(valid_point(CAIRO.0, CAIRO.1));
        assert!(valid_point(90.0, -180.0));
        assert!(valid_point(-90.0, 180.0));
        assert!(!valid_point(90.1, 0.0));
        assert!(!valid_point(0.0, -180.5));
        assert!(!valid_point(f64::NAN, 0.0));
        assert!(!valid_point(0.0, f64::INFINITY));
    }
}

/// Grid cell size in degrees (about 11 km of latitude).
const CELL_DEGREES: f64 = 0.1;
const CELLS_PER_ROW: i64 = 3600;
/// Most cells a search expands to before it stops filtering by cell.
const MAX_CELLS: usize = 400;

/// The grid cell of a point: a number that indexes well, so that "near here"
/// becomes "in one of these few cells".
pub fn geo_cell(lat: f64, lng: f64) -> i64 {
    cell_row(lat) * CELLS_PER_ROW + cell_col(lng)
}

/// The grid row of a latitude: 0 ..= 1800 (clamped, so the float fits).
fn cell_row(lat: f64) -> i64 {
    floor_saturating((lat.clamp(-90.0, 90.0) + 90.0) / CELL_DEGREES)
}

/// The grid column of a longitude: 0 ..= 3599 (180° east folds onto the last).
fn cell_col(lng: f64) -> i64 {
    floor_saturating((lng.clamp(-180.0, 180.0) + 180.0) / CELL_DEGREES).min(CELLS_PER_ROW - 1)
}

/// Every cell that a bounding box touches, or `None` when there would be too
/// many to be worth listing.
pub fn cells_covering(bbox: &BoundingBox) -> Option<Vec<i64>> {
    let (rows, cols) = (
        cell_row(bbox.min_lat)..=cell_row(bbox.max_lat),
        cell_col(bbox.min_lng)..=cell_col(bbox.max_lng),
    );
    let count = (rows.end() - rows.start() + 1) * (cols.end() - cols.start() + 1);
    // A negative count (an inverted box) does not fit a usize: too many, as before.
    if usize::try_from(count).map_or(true, |count| count > MAX_CELLS) {
        return None;
    }
    Some(
        rows.flat_map(|r| cols.clone().map(move |c| r * CELLS_PER_ROW + c))
            .collect(),
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod cell_tests {
    use super::*;

    #[test]
    fn covering_cells_contain_every_point_of_the_circle() {
        let (lat, lng) = (30.0444, 31.2357);
        let cells = cells_covering(&bounding_box(lat, lng, 10.0)).unwrap();
        assert!(cells.len() <= 16, "{}", cells.len());
        for step in 0..360 {
            let bearing = f64::from(step).to_radians();
            let (dlat, dlng) = (
                bearing.cos() * 10.0 / 111.2,
                bearing.sin() * 10.0 / (111.2 * lat.to_radians().cos()),
            );
            assert!(cells.contains(&geo_cell(lat + dlat * 0.999, lng + dlng * 0.999)));
        }
        assert!(cells_covering(&bounding_box(0.0, 0.0, 5000.0)).is_none());
    }
}
