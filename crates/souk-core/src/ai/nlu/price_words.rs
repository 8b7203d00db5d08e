//! The money vocabulary: ceilings, currencies, multipliers and the ways of
//! asking for cheap, in English and Arabic.

/// What a money phrase says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PriceWord {
    /// A ceiling follows ("under", "اقل من").
    Ceiling,
    /// A ceiling before or after the amount ("max", "كحد اقصى").
    Max,
    /// A ceiling after the amount ("or less", "بالكتير").
    After,
    /// An amount follows ("for", "بـ", "بسعر").
    For,
    /// A currency, before or after the amount.
    Unit,
    /// ×1000 after a number ("k", "الف"), or 1000 alone.
    Thousand,
    /// ×100 after a number.
    Hundred,
    Cheap,
    /// "budget": a ceiling when an amount follows; when `cheap_alone`, "cheap" otherwise.
    Budget {
        cheap_alone: bool,
    },
    /// An amount said in words, in major units.
    Amount(u32),
    /// "not cheap": taken so "cheap" inside it does not count.
    NotCheap,
}

#[rustfmt::skip]
const CEILING: &[&str] = &[
    "under", "below", "less than", "lower than", "cheaper than", "not more than", "no more than",
    "not over", "up to", "upto", "within", "max of", "less then", "not exceeding", "no higher than",
    "not above", "nothing over", "anything under", "less than or equal to", "اقل من", "أقل من",
    "تحت", "في حدود", "فى حدود", "بحدود", "حدود", "مش اكتر من", "مش أكتر من", "مش اكثر من",
    "ما يزيد عن", "لا يزيد عن", "ما بيزيد عن", "ميزيدش عن", "مايزيدش عن", "لحد", "لغاية", "اخري",
    "آخري", "اكتر شي", "مش فوق", "ما يتعدى", "لا يتجاوز", "ما يتجاوز", "ارخص من", "اقل من ال",
    "بحدود ال", "ما بدي ادفع اكتر من", "مش عايز ادفع اكتر من", "مش هدفع اكتر من",
    "مش عاوز ادفع اكتر من", "ما بدي ادفع اكثر من", "اكتر من كده لا",
];

#[rustfmt::skip]
const MAX: &[&str] = &[
    "max", "maximum", "at most", "tops", "ماكس", "كحد اقصى", "كحد أقصى", "بحد اقصى", "بحد أقصى",
    "حد اقصى", "الحد الاقصى", "اقصى حد", "اقصى شي", "بالحد الاقصى",
];

#[rustfmt::skip]
const AFTER: &[&str] = &[
    "or less", "or under", "or below", "or cheaper", "and under", "and below", "or lower", "او اقل",
    "أو أقل", "او أقل", "بالكتير", "بالكثير", "وبس", "و بس",
];

#[rustfmt::skip]
const FOR: &[&str] = &[
    "for", "ب", "بسعر", "بمبلغ", "مقابل", "pay", "paying", "ادفع", "بدفع", "هدفع", "price", "سعر",
    "costs", "cost", "about", "approx", "approximately", "roughly", "حوالي", "تقريبا", "بحوالي",
    "معايا", "معي", "معاي", "i have", "i got",
];

#[rustfmt::skip]
const BUDGET_EN: &[&str] = &[
    "budget", "my budget", "budget is", "my budget is", "the budget", "budget of", "budget around",
];

#[rustfmt::skip]
const BUDGET_AR: &[&str] = &[
    "ميزانيتي", "ميزانية", "الميزانية", "ميزانيتنا", "الميزانيه", "ميزانيه", "ميزانيتي هي",
];

#[rustfmt::skip]
const UNIT: &[&str] = &[
    "pounds", "pound", "egp", "le", "l e", "usd", "dollars", "dollar", "bucks", "lbp", "lira",
    "liras", "ll", "l l", "euro", "euros", "eur", "gbp", "gneh", "geneh", "gnih", "ginih", "جنيه",
    "جنيها", "جنيهات", "جنية", "ج", "ج م", "ليرة", "ليره", "ليرات", "دولار", "دولارات", "مصري",
    "لبناني", "يورو", "egyptian pounds", "lebanese pounds", "ل ل", "جنيه مصري",
];

#[rustfmt::skip]
const THOUSAND: &[&str] = &[
    "k", "thousand", "grand", "الف", "ألف", "آلاف", "الاف", "ألاف", "alf",
];

#[rustfmt::skip]
const CHEAP: &[&str] = &[
    "cheap", "cheaper", "cheapest", "affordable", "inexpensive", "low cost", "lowcost",
    "best price", "good price", "reasonable price", "reasonably priced", "fair price",
    "not expensive", "not too expensive", "economical", "budget friendly", "low price",
    "lowest price", "best deal", "good deal", "cheaply", "affordably", "رخيص", "رخيصة", "رخيصه",
    "رخاص", "رخيصين", "ارخص", "أرخص", "ارخص حاجة", "ارخص واحد", "على قد الايد", "ع قد الايد",
    "عقد الايد", "قد الايد", "مش غالي", "مش غالية", "مو غالي", "مش مكلف", "بسعر كويس", "سعر كويس",
    "بسعر مناسب", "سعر مناسب", "بسعر معقول", "سعر معقول", "اسعار معقولة", "اقتصادي", "اقتصادية",
    "بسعر حلو", "سعر حلو", "منيح بالسعر", "ارخص سعر", "باقل سعر", "اقل سعر", "ارخص الاسعار",
    "باقل تكلفة", "اقل تكلفة", "على قدي", "ع قدي", "على قد الحال", "ع قد الحال", "مش غالي عليا",
    "ميزانية محدودة", "ميزانيتي محدودة", "مش عايز ادفع كتير", "ما بدي ادفع كتير", "mesh ghaly",
    "rkhees", "re5ees",
];

#[rustfmt::skip]
const AMOUNTS: &[(u32, &[&str])] = &[
    (
        100,
        &[
            "مية جنيه", "ميه جنيه", "مائة جنيه", "مئة جنيه", "ميت جنيه", "مية ليرة",
        ],
    ),
    (200, &["ميتين", "مئتين", "مائتين", "متين"]),
    (
        300,
        &[
            "تلتمية", "تلتميه", "ثلاثمائة", "ثلاثمية", "ثلاث مئة", "تلات مية",
        ],
    ),
    (
        400,
        &["ربعمية", "ربعميه", "اربعمائة", "اربعمية", "اربع مية"],
    ),
    (500, &["خمسمية", "خمسميه", "خمسمائة", "خمس مية", "خمسمئة"]),
    (600, &["ستمية", "ستميه", "ستمائة"]), (700, &["سبعمية", "سبعميه", "سبعمائة"]),
    (800, &["تمنمية", "تمنميه", "ثمانمائة"]), (900, &["تسعمية", "تسعميه", "تسعمائة"]),
    (2000, &["الفين", "ألفين", "الفان"]),
];

#[rustfmt::skip]
const NOT_CHEAP: &[&str] = &[
    "not cheap", "not the cheapest", "doesnt have to be cheap", "dont care about price", "مش رخيص",
    "مش لازم رخيص", "مش شرط رخيص", "مش عايز رخيص", "ما بدي رخيص", "مو رخيص",
];

/// Every money phrase with its meaning (phrases before their words: "less than" before "less").
pub(super) fn entries() -> Vec<(&'static str, PriceWord)> {
    let mut out: Vec<(&'static str, PriceWord)> = Vec::new();
    let lists: [(&[&'static str], PriceWord); 9] = [
        (CHEAP, PriceWord::Cheap),
        (CEILING, PriceWord::Ceiling),
        (MAX, PriceWord::Max),
        (AFTER, PriceWord::After),
        (BUDGET_EN, PriceWord::Budget { cheap_alone: true }),
        (BUDGET_AR, PriceWord::Budget { cheap_alone: false }),
        (UNIT, PriceWord::Unit),
        (THOUSAND, PriceWord::Thousand),
        (FOR, PriceWord::For),
    ];
    for (words, value) in lists {
        out.extend(words.iter().map(|w| (*w, value)));
    }
    for (amount, words) in AMOUNTS {
        out.extend(words.iter().map(|w| (*w, PriceWord::Amount(*amount))));
    }
    out.push(("hundred", PriceWord::Hundred));
    out.extend(NOT_CHEAP.iter().map(|w| (*w, PriceWord::NotCheap)));
    out
}
