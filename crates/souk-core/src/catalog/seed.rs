//! The starter catalog: common local home services in English and Arabic,
//! written once, on the first start against an empty catalog.

use sea_orm::{EntityTrait, PaginatorTrait, Set, sea_query::OnConflict};
use souk_db::{Db, entities::services};
use uuid::Uuid;

use crate::{error::Result, time};

/// One starter service: slug, icon (a Material Symbols name), English name,
/// Arabic name, English description, Arabic description.
pub type SeedService = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

/// The starter catalog, in display order.
pub const DEFAULT_SERVICES: &[SeedService] = &[
    (
        "plumbing",
        "plumbing",
        "Plumbing",
        "سباكة",
        "Leaks, taps, drains, water heaters, bathroom and kitchen fittings.",
        "تسريبات، حنفيات، تسليك مجاري، سخانات مياه، وتركيبات الحمامات والمطابخ.",
    ),
    (
        "electrical",
        "electrical_services",
        "Electrical",
        "كهرباء",
        "Wiring, sockets, switches, lighting, breakers and fault finding.",
        "تمديدات، مقابس، مفاتيح، إنارة، قواطع وكشف الأعطال.",
    ),
    (
        "carpentry",
        "carpenter",
        "Carpentry",
        "نجارة",
        "Doors, cupboards, furniture assembly and wood repairs.",
        "أبواب، خزائن، تركيب الأثاث وإصلاح الأخشاب.",
    ),
    (
        "painting",
        "format_paint",
        "Painting",
        "دهانات",
        "Interior and exterior painting, wall preparation and decorative finishes.",
        "دهان داخلي وخارجي، تجهيز الجدران وتشطيبات ديكورية.",
    ),
    (
        "cleaning",
        "cleaning_services",
        "Cleaning",
        "تنظيف",
        "Home, office and deep cleaning, carpets, sofas and after-build cleaning.",
        "تنظيف المنازل والمكاتب والتنظيف العميق، السجاد والكنب وتنظيف ما بعد البناء.",
    ),
    (
        "ac-repair",
        "ac_unit",
        "AC repair",
        "تكييف",
        "Air-conditioner installation, servicing, gas refill and repair.",
        "تركيب المكيفات وصيانتها وتعبئة الغاز وإصلاحها.",
    ),
    (
        "appliance-repair",
        "kitchen",
        "Appliance repair",
        "إصلاح أجهزة منزلية",
        "Fridges, washing machines, ovens, dishwashers and small appliances.",
        "ثلاجات، غسالات، أفران، غسالات صحون والأجهزة الصغيرة.",
    ),
    (
        "moving",
        "local_shipping",
        "Moving",
        "نقل أثاث",
        "Packing, moving and furniture transport, assembly and disassembly.",
        "تغليف ونقل الأثاث، فكّه وتركيبه.",
    ),
    (
        "gardening",
        "yard",
        "Gardening",
        "حدائق",
        "Lawn care, planting, pruning, irrigation and garden upkeep.",
        "العناية بالعشب، الزراعة، التقليم، الري وصيانة الحدائق.",
    ),
    (
        "pest-control",
        "pest_control",
        "Pest control",
        "مكافحة حشرات",
        "Insects, rodents and termites: treatment and prevention.",
        "مكافحة الحشرات والقوارض والنمل الأبيض: علاج ووقاية.",
    ),
    (
        "masonry",
        "foundation",
        "Masonry",
        "أعمال بناء",
        "Brick and block work, plastering, small building and repair works.",
        "أعمال الطوب والبلوك، اللياسة، أعمال البناء والترميم الصغيرة.",
    ),
    (
        "tiling",
        "grid_on",
        "Tiling",
        "تبليط وسيراميك",
        "Floor and wall tiles, ceramics, marble and grouting.",
        "تبليط الأرضيات والجدران، السيراميك، الرخام والترويب.",
    ),
    (
        "locksmith",
        "lock",
        "Locksmith",
        "أقفال",
        "Lock opening, replacement, key cutting and door security.",
        "فتح الأقفال وتبديلها، نسخ المفاتيح وتأمين الأبواب.",
    ),
    (
        "roofing",
        "roofing",
        "Roofing & waterproofing",
        "أسطح وعزل",
        "Roof repairs, waterproofing and insulation.",
        "إصلاح الأسطح، العزل المائي والحراري.",
    ),
    (
        "welding",
        "hardware",
        "Welding & metalwork",
        "حدادة",
        "Gates, railings, window guards and metal repairs.",
        "بوابات، درابزين، حمايات النوافذ وإصلاح المعادن.",
    ),
    (
        "glass-aluminium",
        "window",
        "Glass & aluminium",
        "زجاج وألمنيوم",
        "Windows, glass doors, shower screens and aluminium frames.",
        "نوافذ، أبواب زجاجية، فواصل الحمامات وإطارات الألمنيوم.",
    ),
    (
        "satellite-tv",
        "satellite_alt",
        "Satellite & TV",
        "ستلايت وتلفزيون",
        "Dish installation and alignment, receivers, TV mounting.",
        "تركيب الصحون وضبطها، أجهزة الاستقبال وتثبيت الشاشات.",
    ),
    (
        "home-security",
        "videocam",
        "Home security & CCTV",
        "أنظمة أمان وكاميرات مراقبة",
        "CCTV cameras, alarms, intercoms and smart locks.",
        "كاميرات مراقبة، أجهزة إنذار، إنتركم وأقفال ذكية.",
    ),
    (
        "water-tanks",
        "water_drop",
        "Water tanks & pumps",
        "خزانات ومضخات مياه",
        "Tank cleaning and installation, water pumps and filters.",
        "تنظيف الخزانات وتركيبها، مضخات المياه والفلاتر.",
    ),
    (
        "generators",
        "bolt",
        "Generators & solar",
        "مولدات وطاقة شمسية",
        "Generator servicing, changeover switches, inverters, batteries and solar panels.",
        "صيانة المولدات، مفاتيح التحويل، الإنفرتر والبطاريات والألواح الشمسية.",
    ),
    (
        "upholstery",
        "chair",
        "Upholstery & curtains",
        "تنجيد وستائر",
        "Sofa and chair upholstery, curtains and blinds.",
        "تنجيد الكنب والكراسي، الستائر والبرادي.",
    ),
    (
        "handyman",
        "handyman",
        "Handyman",
        "أعمال صيانة عامة",
        "Small jobs around the house: hanging, fixing, mounting and odd jobs.",
        "أعمال صغيرة في المنزل: تعليق، تثبيت، تركيب وإصلاحات متنوعة.",
    ),
];

/// Writes the starter catalog when the catalog is empty (the first start).
/// Services staff deleted later do not come back; concurrent starts of
/// several nodes are safe (existing slugs are skipped). Returns how many
/// rows were written.
pub async fn seed_default_services(db: &Db) -> Result<u64> {
    if services::Entity::find().count(db.conn()).await? > 0 {
        return Ok(0);
    }
    let txn = db.begin_write().await?;
    if services::Entity::find().count(&*txn).await? > 0 {
        return Ok(0);
    }
    let now = time::now();
    let rows = DEFAULT_SERVICES.iter().zip(1..).map(
        |(&(slug, icon, name_en, name_ar, description_en, description_ar), position)| {
            services::ActiveModel {
                id: Set(Uuid::now_v7()),
                slug: Set(slug.to_owned()),
                name_en: Set(name_en.to_owned()),
                name_ar: Set(name_ar.to_owned()),
                description_en: Set(description_en.to_owned()),
                description_ar: Set(description_ar.to_owned()),
                icon: Set(icon.to_owned()),
                active: Set(true),
                commission_bps: Set(None),
                sort_order: Set(position * 10),
                created_at: Set(now),
                updated_at: Set(now),
            }
        },
    );
    let written = services::Entity::insert_many(rows)
        .on_conflict(
            OnConflict::column(services::Column::Slug)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(&*txn)
        .await?;
    txn.commit().await?;
    Ok(written)
}
