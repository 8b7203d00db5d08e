//! The words of each catalog category, English and Arabic (Egyptian and
//! Levantine colloquial, common misspellings, a little Franco-Arabic).

/// One catalog category and the words that name it.
pub(super) struct Category {
    pub slug: &'static str,
    pub name_en: &'static str,
    pub name_ar: &'static str,
    /// The trade and the service itself ("plumber", "سباكة"): strong evidence.
    pub trade: &'static [&'static str],
    /// Things the trade works on ("fridge", "حنفية"): strong evidence, and
    /// what a drafted title names.
    pub objects: &'static [&'static str],
    /// Symptoms and loose hints ("leak", "مسدود"): weak evidence, outweighed
    /// by any trade or object of another category.
    pub signs: &'static [&'static str],
}

/// The catalog, most specific first; `handyman` is last and only chosen
/// when nothing else matched.
#[rustfmt::skip]
pub(super) const CATEGORIES: &[Category] = &[
    Category {
        slug: "water-tanks",
        name_en: "Water tanks & pumps",
        name_ar: "خزانات ومضخات مياه",
        trade: &[
            "water tank", "water tanks", "tank cleaning", "clean the tank", "clean the water tank",
            "water pump", "water pumps", "booster pump", "pressure pump", "roof tank",
            "water filter", "water filters", "water purifier", "water storage", "خزان مياه",
            "خزان مي", "خزان ميه", "خزان المياه", "خزان الميه", "خزان المي", "تنظيف خزان",
            "تنظيف الخزان", "تنظيف خزانات", "غسيل خزان", "تنك مي", "تنك المي", "موتور مياه",
            "موتور ميه", "موتور مي", "موتور المياه", "موتور الميه", "موتور المي", "طلمبه مياه",
            "مضخه مياه", "فلتر مياه", "فلاتر مياه", "فلتر مي", "محطه تحليه",
        ],
        objects: &[
            "tank", "tanks", "pump", "pumps", "purifier", "خزان", "خزانات", "تنك", "طرمبه", "طرمبة",
            "طلمبه", "طلمبة", "طرنبه", "مضخه", "مضخة", "مضخات", "فلتر", "فلاتر", "عوامه", "عوامة",
        ],
        signs: &[
            "low water pressure", "ضغط المياه ضعيف", "ضغط المي ضعيف", "المياه ضعيفه",
        ],
    },
    Category {
        slug: "plumbing",
        name_en: "Plumbing",
        name_ar: "سباكة",
        trade: &[
            "plumber", "plumbers", "plumbing", "sabak", "sabbak", "sabaka", "sabbaka", "سباك",
            "سباكة", "سباكين", "سباكه", "سبّاك", "معلم سباكة",
        ],
        objects: &[
            "pipe", "pipes", "tap", "taps", "faucet", "faucets", "drain", "drains", "toilet",
            "toilets", "water heater", "water heaters", "boiler", "geyser", "sink", "kitchen sink",
            "bathroom sink", "shower", "shower head", "bathtub", "tub", "flush", "cistern", "sewer",
            "sewage", "bidet", "mixer tap", "valve", "drainage", "basin", "حنفية", "حنفيه",
            "حنفيات", "مواسير", "ماسورة", "ماسوره", "مسورة", "بالوعة", "بالوعه", "بلاعة", "بلاعه",
            "مجاري", "مجارير", "الصرف الصحي", "سيفون", "سيفون الحمام", "سخان", "سخان مياه",
            "سخان مي", "سخان ماء", "سخانات", "حوض", "حوض المطبخ", "مغسلة", "مغسله", "شطاف", "دوش",
            "خلاط مياه", "خلاط مي", "محبس", "نياجرا", "نياجره", "unclog", "unblock", "قاعدة حمام",
            "كرسي حمام", "تواليت", "مرحاض", "بانيو", "جلدة الحنفية", "سخان كهربا", "مجرور", "ريكار",
            "بويلر", "بويلار", "يسلك", "يسلكلي", "مجلى", "المجلى",
        ],
        signs: &[
            "leak", "leaks", "leaking", "leakage", "leaky", "clogged", "clog", "blocked",
            "blockage", "dripping", "drip", "burst", "burst pipe", "no hot water", "flooding",
            "overflowing", "bathroom", "water leak", "صرف", "تسريب", "تسريب مياه", "تسريب مي",
            "تسرب", "بيسرب", "بتسرب", "بيسرّب", "بينقط", "بتنقط", "تنقيط", "بتخر", "بيخر", "مسدود",
            "مسدودة", "مسدوده", "انسداد", "تسليك", "تسليك مجاري", "طافح", "طافحة", "طفح", "حمام",
            "الحمام", "مي عم تنزل", "عم تنقط", "عم ينقط", "مافي مي سخنة", "مفيش مية سخنة",
            "الميه مش سخنه",
        ],
    },
    Category {
        slug: "ac-repair",
        name_en: "AC repair",
        name_ar: "تكييف",
        trade: &[
            "ac repair", "ac technician", "ac service", "ac maintenance", "ac cleaning",
            "ac installation", "hvac", "takyeef", "takyif", "takyeif", "mokayef", "mokayyef",
            "تكييف", "تكييفات", "تكيف", "فني تكييف", "صيانة تكييف", "صيانة مكيفات", "تنظيف مكيف",
            "تنظيف المكيف", "تركيب مكيف", "تركيب تكييف", "تنظيف تكييف", "تنظيف التكييف",
            "تنظيف مكيفات", "تنظيف المكيفات", "غسيل مكيف", "غسيل المكيف",
        ],
        objects: &[
            "ac", "a c", "aircon", "air con", "air conditioner", "air conditioners",
            "airconditioner", "air conditioning", "ac unit", "split unit", "split ac", "central ac",
            "freon", "ac gas", "conditioner", "مكيف", "مكيّف", "مكيفات", "مكيف هوا", "مكيف هواء",
            "فريون", "شحن فريون", "غاز المكيف", "تعبئة غاز", "شحن غاز", "سبليت", "كونديشن",
            "كوندشن", "كونديشين", "التكييف المركزي",
        ],
        signs: &[
            "not cooling", "blowing warm air", "blowing hot air", "مش بيبرد", "مش عم يبرد",
            "ما عم يبرد", "ما بيبرد", "مبيبردش", "بيطلع هوا سخن",
        ],
    },
    Category {
        slug: "appliance-repair",
        name_en: "Appliance repair",
        name_ar: "إصلاح أجهزة منزلية",
        trade: &[
            "appliance repair", "appliance repairs", "appliance technician", "appliance",
            "appliances", "home appliances", "اجهزة منزلية", "الاجهزة المنزلية", "صيانة اجهزة",
            "تصليح اجهزة", "اجهزة كهربائية", "صيانة غسالات", "صيانة ثلاجات",
        ],
        objects: &[
            "fridge", "fridges", "refrigerator", "refrigerators", "freezer", "deep freezer",
            "washing machine", "washing machines", "washer", "dryer", "tumble dryer", "dishwasher",
            "oven", "stove", "cooker", "gas cooker", "cooktop", "hob", "microwave",
            "water dispenser", "water cooler", "range hood", "cooker hood", "vacuum cleaner",
            "tv repair", "ثلاجة", "ثلاجه", "تلاجة", "تلاجه", "تلاجات", "ثلاجات", "براد", "برادات",
            "فريزر", "ديب فريزر", "غسالة", "غساله", "غسالات", "غسالة اطباق", "غسالة صحون",
            "غسالة الصحون", "جلاية", "نشافة", "نشافه", "مجفف", "فرن", "افران", "بوتاجاز", "بوتجاز",
            "غاز", "ميكرويف", "ميكروويف", "مايكرويف", "مايكروويف", "شفاط", "شفاط مطبخ", "كولمان",
            "كولدير", "مبرد مياه", "مكنسة كهربائية", "مكنسه كهربا",
        ],
        signs: &[
            "not spinning", "not heating", "مش بتعصر", "مش بتلف", "مش بيسخن",
        ],
    },
    Category {
        slug: "electrical",
        name_en: "Electrical",
        name_ar: "كهرباء",
        trade: &[
            "electrician", "electricians", "electrical", "electricity", "wiring", "rewiring",
            "electrical work", "electrical repair", "kahraba", "kahrabai", "kahrabaey", "kahrabay",
            "كهربائي", "كهربايي", "كهربجي", "كهربا", "كهرباء", "كهربائية", "فني كهربا",
            "فني كهرباء", "كهربائيه", "تمديدات كهربائية", "تمديدات", "معلم كهربا",
        ],
        objects: &[
            "socket", "sockets", "outlet", "outlets", "plug", "plugs", "switch", "switches",
            "light switch", "light", "lights", "lighting", "lamp", "bulb", "light bulb",
            "chandelier", "breaker", "breakers", "circuit breaker", "fuse", "fuse box",
            "electrical panel", "distribution board", "ceiling fan", "fan", "wire", "wires",
            "spotlights", "spot lights", "فيشة", "فيشه", "فيش", "بريزة", "بريزه", "بريز",
            "مفتاح نور", "مفتاح كهربا", "مفاتيح كهربا", "مفاتيح النور", "لمبة", "لمبه", "لمبات",
            "نور", "انارة", "اناره", "نجفة", "نجفه", "ثريا", "سلك", "اسلاك", "اسلاك كهربا", "قاطع",
            "قواطع", "طبلون", "طبلون كهربا", "لوحة كهربا", "لوحة الكهربا", "فيوز", "فيوزات",
            "مروحة", "مروحه", "مروحة سقف", "سبوت", "سبوتات", "كشاف", "ديجنتير",
        ],
        signs: &[
            "electric", "short circuit", "power outage", "no power", "sparks", "sparking",
            "tripping", "keeps tripping", "flickering", "power cut", "ماس كهربائي", "ماس كهربا",
            "ماس", "شورت", "الكهربا فاصلة", "الكهربا قاطعة", "شرارة", "بتفصل", "بيفصل",
            "النور بيرعش", "ضاربة",
        ],
    },
    Category {
        slug: "generators",
        name_en: "Generators & solar",
        name_ar: "مولدات وطاقة شمسية",
        trade: &[
            "generator", "generators", "power generator", "diesel generator", "genset",
            "solar panel", "solar panels", "solar", "solar system", "solar power", "solar energy",
            "solar installation", "مولد", "مولدات", "مولد كهربا", "مولد كهرباء", "موتور", "موتير",
            "موتور كهربا", "مولد الكهربا", "طاقة شمسية", "الطاقة الشمسية", "الواح شمسية",
            "الواح طاقة شمسية", "لوح شمسي", "منظومة شمسية", "نظام طاقة شمسية", "سولار",
        ],
        objects: &[
            "inverter", "inverters", "ups", "battery", "batteries", "changeover switch",
            "backup power", "انفرتر", "انفيرتر", "انفرترات", "بطارية", "بطاريه", "بطاريات",
            "يو بي اس", "مفتاح تحويل", "اشتراك المولد", "اشتراك الموتور",
        ],
        signs: &["اشتراك", "مازوت", "ديزل", "شمسي", "الواح"],
    },
    Category {
        slug: "carpentry",
        name_en: "Carpentry",
        name_ar: "نجارة",
        trade: &[
            "carpenter", "carpenters", "carpentry", "joiner", "joinery", "woodwork", "wood work",
            "furniture assembly", "nagar", "naggar", "najjar", "نجار", "نجارة", "نجاره", "نجارين",
            "نجار موبيليا", "تجميع اثاث", "تركيب اثاث ايكيا",
        ],
        objects: &[
            "door", "doors", "wooden door", "cupboard", "cupboards", "wardrobe", "wardrobes",
            "closet", "cabinet", "cabinets", "kitchen cabinets", "drawer", "drawers", "bed frame",
            "table", "hinge", "hinges", "door frame", "parquet", "wood", "ikea", "bookcase", "باب",
            "ابواب", "باب خشب", "دولاب", "دواليب", "خزانة ملابس", "خزانة", "مطبخ خشب", "نجار مطابخ",
            "درج", "ادراج", "جارور", "جوارير", "سرير", "ترابيزة", "طاولة", "مفصلة", "مفصلات",
            "باركيه", "خشب", "موبيليا", "مكتبة خشب", "حلق الباب",
        ],
        signs: &["مطبخ", "مطابخ"],
    },
    Category {
        slug: "painting",
        name_en: "Painting",
        name_ar: "دهانات",
        trade: &[
            "painter", "painters", "painting", "paint", "paint job", "repaint", "repainting",
            "decorator", "wall painting", "nakash", "naqash", "dahhan", "نقاش", "نقاشة", "نقاشه",
            "دهان", "دهانات", "دهانين", "دهن", "بوية", "بويه", "طلاء", "دهان حيطان", "دهان شقة",
            "دهن البيت", "معلم دهان", "يدهن", "يدهنلي", "يدهنوا", "ادهن", "دهنلي",
        ],
        objects: &[
            "wallpaper", "ورق حائط", "ورق جدران", "ورق حيطان", "معجون", "معجنة",
        ],
        signs: &["peeling paint", "الدهان مقشر", "تقشير", "ديكور", "ديكورات"],
    },
    Category {
        slug: "cleaning",
        name_en: "Cleaning",
        name_ar: "تنظيف",
        trade: &[
            "cleaner", "cleaners", "house cleaning", "home cleaning", "deep cleaning", "deep clean",
            "office cleaning", "housekeeping", "housekeeper", "maid", "cleaning lady", "janitor",
            "carpet cleaning", "sofa cleaning", "window cleaning", "after construction cleaning",
            "clean my house", "clean my apartment", "clean the house", "clean the apartment",
            "clean my flat", "تنظيف شقق", "kitchen cleaning", "bathroom cleaning", "تنظيف المطبخ",
            "تنظيف مطبخ", "تنظيف الحمام", "تنظيف حمام", "تنظيف حمامات", "clean the windows",
            "clean windows", "clean my windows", "تنظيف شبابيك", "تنظيف الشبابيك", "تنظيف الزجاج",
            "مسح الزجاج", "تنظيف القزاز", "تنظيف شقة", "تنظيف البيت", "تنظيف الشقة", "عاملة نظافة",
            "عاملة تنظيف", "خدامة", "تنظيف سجاد", "غسيل سجاد", "تنظيف كنب", "غسيل كنب",
            "تنظيف موكيت", "غسيل موكيت", "تعزيل", "تعزيلة", "تنظيف عميق", "شركة تنظيف",
            "تنضيف البيت",
        ],
        objects: &["carpet", "carpets", "rug", "rugs", "سجاد", "سجادة", "موكيت"],
        signs: &[
            "cleaning", "clean", "تنظيف", "تنضيف", "نظافة", "نضافة", "ينظف", "ينضف", "تنظف", "تنضف",
            "dirty", "dust", "وسخ", "وساخة", "غبار", "تراب", "dishes", "wash the dishes",
            "washing the dishes", "washing dishes",
        ],
    },
    Category {
        slug: "moving",
        name_en: "Moving",
        name_ar: "نقل أثاث",
        trade: &[
            "movers", "mover", "moving", "removal", "removals", "house move", "house moving",
            "moving house", "relocation", "relocate", "furniture moving", "moving company",
            "move furniture", "move my furniture", "packing", "packers", "نقل", "نقل عفش",
            "نقل اثاث", "نقل الاثاث", "نقل العفش", "عفش", "شركة نقل", "ونش", "نقل اغراض", "نقليات",
            "تغليف", "فك وتركيب", "عزال", "عزالة", "نقل بيت", "نقلة", "نقل غراض", "ينقل", "ينقللي",
            "ينقلي",
        ],
        objects: &["truck", "عربية نقل", "كميون", "شاحنة"],
        signs: &[
            "furniture", "اثاث", "move", "move out", "moving out", "relocating",
        ],
    },
    Category {
        slug: "gardening",
        name_en: "Gardening",
        name_ar: "حدائق",
        trade: &[
            "gardener", "gardeners", "gardening", "landscaping", "landscaper", "lawn mowing",
            "tree trimming", "garden maintenance", "lawn care", "جنايني", "جناينى", "بستاني",
            "تنسيق حدائق", "تنسيق حديقة", "زراعة", "لاندسكيب", "قص نجيل", "قص العشب", "قص الحشيش",
            "تقليم", "تقليم اشجار",
        ],
        objects: &[
            "garden", "lawn", "grass", "trees", "tree", "plants", "hedge", "irrigation",
            "sprinkler", "حديقة", "حديقه", "حدائق", "جنينة", "جنينه", "نجيل", "عشب", "شجر", "اشجار",
            "نباتات", "زرع", "ري", "رشاشات", "حشيش",
        ],
        signs: &["mowing", "pruning", "weeds"],
    },
    Category {
        slug: "pest-control",
        name_en: "Pest control",
        name_ar: "مكافحة حشرات",
        trade: &[
            "pest control", "exterminator", "fumigation", "pest", "pests", "extermination",
            "مكافحة حشرات", "مكافحة الحشرات", "مكافحه", "مكافحة", "رش مبيدات", "رش حشرات",
            "رش مبيد", "ابادة حشرات", "ابادة", "مبيد", "مبيدات", "رش",
        ],
        objects: &[
            "termites", "cockroaches", "cockroach", "roaches", "ants", "rats", "mice", "rodents",
            "bedbugs", "bed bugs", "insects", "mosquitoes", "fleas", "scorpions", "bugs", "حشرات",
            "صراصير", "صرصار", "فئران", "فيران", "فار", "جرذان", "نمل", "نمل ابيض", "بق",
            "بق الفراش", "ناموس", "عتة", "عقارب", "برغش", "قوارض",
        ],
        signs: &[],
    },
    Category {
        slug: "roofing",
        name_en: "Roofing & waterproofing",
        name_ar: "أسطح وعزل",
        trade: &[
            "roofer", "roofing", "waterproofing", "water proofing", "roof insulation",
            "thermal insulation", "roof repair", "roof leak", "leaking roof", "ceiling leak", "عزل",
            "عزل مائي", "عزل حراري", "عزل اسطح", "عزل سطح", "عزل السطح", "عزل الحمامات",
            "تسريب من السقف", "السقف بينش", "السقف بيسرب", "السقف عم يدلف", "دلف",
        ],
        objects: &[
            "roof", "roofs", "gutter", "gutters", "skylight", "insulation", "سطح", "اسطح", "سقف",
            "قرميد", "مزراب", "مزاريب",
        ],
        signs: &[
            "damp", "dampness", "mold", "mould", "رطوبة", "رطوبه", "نش", "نشع",
        ],
    },
    Category {
        slug: "masonry",
        name_en: "Masonry",
        name_ar: "أعمال بناء",
        trade: &[
            "mason", "masonry", "bricklayer", "brickwork", "block work", "plastering", "plasterer",
            "building work", "construction work", "concrete work", "wall repair", "مباني", "بناء",
            "معلم بنا", "محارة", "محاره", "مبيض محارة", "لياسة", "لياسه", "طوب", "بلوك", "اسمنت",
            "خرسانة", "ترميم", "هدم", "مقاول", "جبس", "جبسون بورد", "جبس بورد",
        ],
        objects: &[
            "brick", "bricks", "plaster", "cement", "concrete", "drywall", "gypsum", "gypsum board",
            "سور",
        ],
        signs: &[
            "crack", "cracks", "cracked wall", "wall", "walls", "renovation", "شرخ", "شروخ",
            "تشققات", "تشقق", "حيط", "حيطة", "حيطه", "جدار", "حيطان",
        ],
    },
    Category {
        slug: "tiling",
        name_en: "Tiling",
        name_ar: "تبليط وسيراميك",
        trade: &[
            "tiler", "tiling", "tile work", "grouting", "تبليط", "مبلط", "بليط", "ترويب", "يبلط",
            "تركيب سيراميك", "تركيب بلاط", "معلم سيراميك",
        ],
        objects: &[
            "tiles", "tile", "ceramic", "ceramics", "porcelain", "marble", "granite", "grout",
            "floor tiles", "flooring", "بلاط", "بلاطة", "سيراميك", "سراميك", "بورسلين", "رخام",
            "جرانيت", "قيشاني", "ارضيات", "انترلوك",
        ],
        signs: &[],
    },
    Category {
        slug: "home-security",
        name_en: "Home security & CCTV",
        name_ar: "أنظمة أمان وكاميرات مراقبة",
        trade: &[
            "cctv", "security camera", "security cameras", "surveillance", "alarm system",
            "burglar alarm", "home security", "security system", "access control", "كاميرات مراقبة",
            "كاميرا مراقبة", "نظام امان", "انظمة امان", "جهاز انذار", "انذار سرقة", "نظام مراقبة",
            "مراقبة",
        ],
        objects: &[
            "camera", "cameras", "alarm", "intercom", "smart lock", "video doorbell", "doorbell",
            "motion sensor", "dvr", "nvr", "كاميرا", "كاميرات", "انذار", "انتركم", "انتركوم",
            "انترفون", "interphone", "قفل ذكي", "قفل الكتروني", "جرس الباب", "جرس", "بصمة",
            "حساس حركة",
        ],
        signs: &[],
    },
    Category {
        slug: "locksmith",
        name_en: "Locksmith",
        name_ar: "أقفال",
        trade: &[
            "locksmith", "locksmiths", "locked out", "lock out", "key cutting", "lock change",
            "change the lock", "change lock", "lost my keys", "lost keys", "نسخ مفاتيح",
            "نسخ مفتاح", "فتح باب", "فتح ابواب", "فتح قفل", "فتح الباب", "تغيير كالون",
            "الباب مقفول", "الباب مسكر", "ضاع المفتاح", "ضيعت المفتاح", "ضيعت مفاتيحي",
            "نسيت المفتاح", "قفلت الباب",
        ],
        objects: &[
            "lock", "locks", "key", "keys", "door lock", "deadbolt", "padlock", "قفل", "اقفال",
            "كالون", "كوالين", "مفتاح", "مفاتيح", "كالون الباب", "قفل الباب",
        ],
        signs: &[],
    },
    Category {
        slug: "welding",
        name_en: "Welding & metalwork",
        name_ar: "حدادة",
        trade: &[
            "welder", "welding", "metal work", "metalwork", "blacksmith", "ironwork", "iron work",
            "haddad", "حداد", "حدادة", "حداده", "لحام", "لحيم", "شغل حديد", "اعمال حديد", "يلحم",
            "weld",
        ],
        objects: &[
            "iron gate", "gate", "gates", "railing", "railings", "window guards", "metal door",
            "steel door", "iron door", "fence", "balcony railing", "awning", "pergola", "بوابة",
            "بوابه", "بوابات", "بوابة حديد", "باب حديد", "درابزين", "حماية شبابيك", "حمايات",
            "حماية", "شبك حديد", "حديد", "كريتال", "سور حديد", "مظلة", "مظلات", "برجولا",
        ],
        signs: &[],
    },
    Category {
        slug: "glass-aluminium",
        name_en: "Glass & aluminium",
        name_ar: "زجاج وألمنيوم",
        trade: &[
            "glazier", "glass", "aluminium", "aluminum", "double glazing", "glass work", "زجاج",
            "قزاز", "ازاز", "الوميتال", "المنيوم", "الومنيوم", "الومينيوم", "بلور", "زجاج سيكوريت",
            "سيكوريت",
        ],
        objects: &[
            "window", "windows", "glass door", "sliding door", "shower screen", "shower cabin",
            "mirror", "mirrors", "broken window", "window frame", "fly screen", "mosquito net",
            "upvc", "pvc windows", "شباك", "شبابيك", "نافذة", "نافذه", "نوافذ", "مراية", "مرايه",
            "مرايات", "كابينة شاور", "كابينة دش", "كابينه دوش", "سلك شبابيك", "سلك ناموس",
            "شباك مكسور", "واجهة زجاج", "باب زجاج", "باب سحاب", "شباك الوميتال",
        ],
        signs: &[],
    },
    Category {
        slug: "satellite-tv",
        name_en: "Satellite & TV",
        name_ar: "ستلايت وتلفزيون",
        trade: &[
            "satellite", "satellite dish", "satellite installation", "dish alignment",
            "tv mounting", "tv mount", "mount tv", "mount my tv", "mount the tv", "hang tv",
            "hang my tv", "tv installation", "tv wall mount", "دش", "ستلايت", "ساتلايت", "ستالايت",
            "سات", "تركيب دش", "ظبط دش", "ضبط دش", "ظبط الدش", "تعليق شاشة", "تعليق شاشه",
            "تركيب شاشة", "تعليق تلفزيون", "تركيب تلفزيون", "صحن ستلايت", "صحن لاقط",
        ],
        objects: &[
            "dish alignment", "align the dish", "align my dish", "receiver", "antenna", "nilesat",
            "arabsat", "tv", "television", "رسيفر", "ريسيفر", "رسيڤر", "صحن", "لاقط", "نايل سات",
            "عرب سات", "انتينا", "انتين", "اريال", "تلفزيون", "تليفزيون", "شاشة", "شاشه",
        ],
        signs: &[
            "طبق", "dish", "signal", "no signal", "مفيش اشارة", "ما في ارسال", "الاشارة ضعيفة",
            "اشارة", "ارسال",
        ],
    },
    Category {
        slug: "upholstery",
        name_en: "Upholstery & curtains",
        name_ar: "تنجيد وستائر",
        trade: &[
            "upholsterer", "upholstery", "reupholster", "reupholstery", "curtain installation",
            "sofa repair", "تنجيد", "منجد", "تنجيد كنب", "تنجيد انتريه", "تفصيل ستائر",
            "تركيب ستائر", "تركيب ستاير", "تركيب برادي",
        ],
        objects: &[
            "sofa", "sofas", "couch", "armchair", "cushions", "curtains", "curtain", "blinds",
            "drapes", "roller blinds", "mattress", "انتريه", "انتريهات", "كنب", "كنبة", "كنبه",
            "كنبايات", "ستاير", "ستائر", "ستارة", "ستاره", "برادي", "برداية", "مراتب", "مرتبة",
            "فوتيه", "ينجد", "ينجدلي",
        ],
        signs: &["fabric", "قماش", "فرش", "صالون", "كراسي"],
    },
    Category {
        slug: "handyman",
        name_en: "Handyman",
        name_ar: "أعمال صيانة عامة",
        trade: &[
            "handyman", "handy man", "handymen", "odd jobs", "general repairs",
            "general maintenance", "home repairs", "home maintenance", "repairman", "repair man",
            "maintenance man", "fix things", "fix some things", "small jobs", "around the house",
            "hang pictures", "picture hanging", "mount shelves", "shelves", "shelf", "صنايعي",
            "صنايعية", "صنايعيه", "حد يصلح", "حدا يصلح", "حد يصلحلي", "حدا يصلحلي", "فني صيانة",
            "فني صيانه", "صيانة عامة", "صيانة منزلية", "اعمال صيانة", "تعليق صور", "تعليق رفوف",
            "رفوف", "رف", "تصليحات", "تصليحات منزلية", "شغلات صغيرة", "حد يركب", "حدا يركب",
            "حد يركبلي", "حدا يركبلي", "معلم",
        ],
        objects: &[],
        signs: &[],
    },
];
