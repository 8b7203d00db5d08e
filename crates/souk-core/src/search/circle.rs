//! Cheap exact membership tests for "within r km of a point", for databases
//! that rank a whole area: the haversine of the circle's angular radius (so a
//! point is inside when its haversine is at most that, with no `asin`/`sqrt`),
//! and a box wholly inside the circle (points there need no trigonometry).

use super::geo::{BoundingBox, EARTH_RADIUS_KM, valid_point};

/// hav(θ) = sin²(θ/2).
fn hav(theta: f64) -> f64 {
    (theta / 2.0).sin().powi(2)
}

/// The haversine of the circle's angular radius: a point is within
/// `radius_km` exactly when hav(Δφ) + cos φ₀ cos φ hav(Δλ) is at most this.
pub fn haversine_limit(radius_km: f64) -> f64 {
    hav((radius_km.max(0.0) / EARTH_RADIUS_KM).min(std::f64::consts::PI))
}

/// A latitude/longitude box every point of which lies within `radius_km` of
/// `(lat, lng)`, or `None` when there is no useful one (poles, the
/// antimeridian, huge circles, invalid input).
///
/// Half the haversine budget goes to latitude and half to longitude, with
/// the largest cos φ the box reaches; a relative hair is shaved for rounding.
pub fn inscribed_box(lat: f64, lng: f64, radius_km: f64) -> Option<BoundingBox> {
    if !valid_point(lat, lng) || !(f64::MIN_POSITIVE..=2000.0).contains(&radius_km) {
        return None;
    }
    let budget = haversine_limit(radius_km) * (1.0 - 1e-9) / 2.0;
    let d_lat = 2.0 * budget.sqrt().asin();
    let (min_lat, max_lat) = (lat - d_lat.to_degrees(), lat + d_lat.to_degrees());
    if min_lat <= -90.0 || max_lat >= 90.0 {
        return None;
    }
    let widest = if min_lat <= 0.0 && max_lat >= 0.0 {
        1.0
    } else {
        min_lat.abs().min(max_lat.abs()).to_radians().cos()
    };
    let ratio = budget / (lat.to_radians().cos() * widest);
    if !(0.0..1.0).contains(&ratio) {
        return None;
    }
    let d_lng = (2.0 * ratio.sqrt().asin()).to_degrees();
    let (min_lng, max_lng) = (lng - d_lng, lng + d_lng);
    if min_lng < -180.0 || max_lng > 180.0 {
        return None;
    }
    Some(BoundingBox {
        min_lat,
        max_lat,
        min_lng,
        max_lng,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::search::haversine_km;

    #[test]
    fn the_limit_separates_inside_from_outside() {
        let (lat, lng) = (30.0444, 31.2357);
        let limit = haversine_limit(10.0);
        let hav_of = |plat: f64, plng: f64| {
            hav((plat - lat).to_radians())
                + lat.to_radians().cos() * plat.to_radians().cos() * hav((plng - lng).to_radians())
        };
        for i in 0..2000 {
            let plat = lat + f64::from(i % 40 - 20) * 0.006;
            let plng = lng + f64::from(i / 40 - 25) * 0.006;
            let inside = haversine_km(lat, lng, plat, plng) <= 10.0;
            assert_eq!(hav_of(plat, plng) <= limit, inside, "({plat},{plng})");
        }
    }

    #[test]
    fn every_point_of_the_inscribed_box_is_inside_the_circle() {
        for &(lat, lng) in &[
            (30.0444, 31.2357),
            (0.0, 0.0),
            (-0.3, 100.0),
            (-33.9, 18.4),
            (64.1, -21.9),
        ] {
            for radius in [0.5, 10.0, 50.0, 400.0] {
                let b = inscribed_box(lat, lng, radius).unwrap();
                assert!(b.contains(lat, lng));
                for i in 0..=20 {
                    for j in 0..=20 {
                        let plat = b.min_lat + (b.max_lat - b.min_lat) * f64::from(i) / 20.0;
                        let plng = b.min_lng + (b.max_lng - b.min_lng) * f64::from(j) / 20.0;
                        let d = haversine_km(lat, lng, plat, plng);
                        assert!(
                            d <= radius,
                            "({lat},{lng}) r={radius}: ({plat},{plng}) at {d}"
                        );
                    }
                }
                // And it is not needlessly small: its corners reach most of the way out.
                let corner = haversine_km(lat, lng, b.max_lat, b.max_lng);
                assert!(corner > radius * 0.9, "corner at {corner} for r={radius}");
            }
        }
    }

    #[test]
    fn no_box_where_it_would_be_wrong() {
        assert!(inscribed_box(89.99, 0.0, 50.0).is_none());
        assert!(inscribed_box(10.0, 179.99, 50.0).is_none());
        assert!(inscribed_box(10.0, 20.0, 0.0).is_none());
        assert!(inscribed_box(f64::NAN, 20.0, 5.0).is_none());
        assert!(inscribed_box(10.0, 20.0, 5000.0).is_none());
    }
}
