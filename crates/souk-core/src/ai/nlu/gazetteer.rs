//! The gazetteer: named places in Egypt and Lebanon, found in a message as
//! whole phrases (longest first, misspellings forgiven for names of five
//! letters or more), with their country and time zone.

use chrono_tz::Tz;

use super::Place;
use super::places_eg::EGYPT;
use super::places_lb::LEBANON;
use super::site::Site;

/// A country the gazetteer covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Country {
    Egypt,
    Lebanon,
}

impl Country {
    /// ISO 3166 code.
    pub(super) fn code(self) -> &'static str {
        match self {
            Country::Egypt => "EG",
            Country::Lebanon => "LB",
        }
    }

    pub(super) fn tz(self) -> Tz {
        match self {
            Country::Egypt => chrono_tz::Africa::Cairo,
            Country::Lebanon => chrono_tz::Asia::Beirut,
        }
    }

    /// The country a time zone stands for (Beirut → Lebanon, anything else → Egypt).
    pub(super) fn of_zone(tz: Tz) -> Country {
        if tz == chrono_tz::Asia::Beirut {
            Country::Lebanon
        } else {
            Country::Egypt
        }
    }

    pub(super) fn sites(self) -> &'static [Site] {
        match self {
            Country::Egypt => EGYPT,
            Country::Lebanon => LEBANON,
        }
    }
}

/// A gazetteer entry named in a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Named {
    pub country: Country,
    pub index: usize,
    /// The name is also an everyday word or a first name ("صور" is
    /// "pictures", "Faisal" a man): it counts only after "in", "في", "بـ"….
    pub guarded: bool,
}

/// A gazetteer entry, or `None` for a decoy phrase that only looks like one.
pub(super) type SiteRef = Option<Named>;

/// Names that are also everyday words or first names.
#[rustfmt::skip]
const GUARDED: &[&str] = &[
    "صور", "Sour", "Sur", "الحدث", "المتن", "بشري", "شكا", "عاليه", "عالية", "Alex", "Faisal",
    "Faysal", "Feisal", "فيصل", "Stanley", "ستانلي", "Badr", "Zayed", "زايد", "Miami", "Zouk",
    "Gleem", "Sharm", "شرم", "الجونة", "الجونه", "Gouna", "Mina", "الطور", "الشروق", "العبور",
    "Metn", "Hadath", "Tor Sinai", "الزيتون", "Hermel", "هرمل",
];

/// Words that put a place after them.
#[rustfmt::skip]
pub(super) const LOCATIVE: &[&str] = &[
    "in", "at", "near", "around", "to", "from", "by", "area", "district", "في", "ف", "عند",
    "جنب", "قريب", "قرب", "من", "ل", "لل", "منطقه", "ناحيه", "حي", "بمنطقه", "ع", "علي", "الي",
    "اللي",
];
/// Phrases containing a place name that are not about the place.
#[rustfmt::skip]
const DECOYS: &[&str] = &[
    "sour taste", "tastes sour", "sour smell", "smells sour", "sour milk", "تعليق صور",
    "تعليق الصور", "صور العيلة", "صور العائلة", "برواز صور", "براويز صور", "ارسل صور", "ابعت صور",
    "ابعتلك صور", "بعتلك صور", "صور المشكلة", "صور للمشكلة", "صور الحمام", "ابعتلي صور",
    "بعتلي صور", "صور الشغل", "صور شغل", "صور للشغل", "صور قبل", "صور بعد", "صور اعمال",
    "صور اعماله",
];

/// Every place phrase with its entry, then the decoys.
pub(super) fn entries() -> Vec<(&'static str, SiteRef)> {
    let mut out = Vec::new();
    for country in [Country::Egypt, Country::Lebanon] {
        for (index, site) in country.sites().iter().enumerate() {
            for name in site.en.iter().chain(site.ar) {
                let named = Named {
                    country,
                    index,
                    guarded: GUARDED.contains(name),
                };
                out.push((*name, Some(named)));
            }
        }
    }
    // A decoy starts before the place name inside it, so the scan steps over both.
    out.extend(DECOYS.iter().map(|d| (*d, None)));
    out
}

/// Words that may follow a place name in a message that is only a place.
#[rustfmt::skip]
pub(super) const COUNTRY_WORDS: &[&str] = &[
    "egypt", "lebanon", "eg", "lb", "مصر", "لبنان", "city", "مدينه",
];

/// The place of an entry, named in Arabic or English.
pub(super) fn place(named: Named, arabic: bool) -> Option<Place> {
    let Named { country, index, .. } = named;
    let site = country.sites().get(index)?;
    let name_en = site.en.first().copied().unwrap_or_default();
    let name_ar = site.ar.first().copied().unwrap_or(name_en);
    Some(Place {
        name: if arabic { name_ar } else { name_en }.to_owned(),
        name_en,
        name_ar,
        lat: site.lat,
        lng: site.lng,
        country: country.code(),
        tz: country.tz(),
        radius_km: site.radius_km,
    })
}

/// How many entries each country has (for tests and documentation).
#[cfg(test)]
pub(super) fn counts() -> (usize, usize) {
    (EGYPT.len(), LEBANON.len())
}
