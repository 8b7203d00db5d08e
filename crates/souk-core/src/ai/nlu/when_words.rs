//! The time vocabulary: days, weekdays, parts of the day, clock words and
//! urgency, in English and Arabic (Egyptian and Levantine).

use chrono::Weekday;

/// A part of the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Part {
    /// 08:00–12:00.
    Morning,
    /// 12:00–17:00.
    Afternoon,
    /// 17:00–21:00.
    Evening,
    /// 18:00–24:00.
    Night,
}

impl Part {
    /// Start and end hour (24 = midnight after).
    pub(super) fn hours(self) -> (u32, u32) {
        match self {
            Part::Morning => (8, 12),
            Part::Afternoon => (12, 17),
            Part::Evening => (17, 21),
            Part::Night => (18, 24),
        }
    }
}

/// What a time phrase says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum TimeWord {
    /// Today plus this many days.
    Day(u8),
    Tonight,
    Weekday(Weekday),
    /// "next Friday": a week on when it is today.
    NextWeekday(Weekday),
    Weekend,
    NextWeek,
    Part(Part),
    /// Now, as soon as possible, an emergency.
    Urgent,
    /// "not urgent", "no rush": nothing to do but not a keyword either.
    Calm,
    Noon,
    /// A clock time follows ("at", "الساعة").
    At,
    /// An hour said in words.
    Hour(u8),
    Am,
    Pm,
    /// Thirty past.
    Half,
    /// Fifteen past.
    Quarter,
    Oclock,
    /// A phrase that contains a time word but is not about time ("الحد الأقصى").
    Decoy,
}

#[rustfmt::skip]
const WEEKDAYS: &[(Weekday, &[&str])] = &[
    (
        Weekday::Mon,
        &[
            "monday", "الاثنين", "الإثنين", "الاتنين", "يوم الاتنين", "يوم الاثنين", "on monday",
        ],
    ),
    (
        Weekday::Tue,
        &[
            "tuesday", "الثلاثاء", "الثلاثا", "التلات", "التلاتاء", "يوم التلات", "يوم الثلاثاء",
            "on tuesday",
        ],
    ),
    (
        Weekday::Wed,
        &[
            "wednesday", "wensday", "الاربعاء", "الأربعاء", "الاربعا", "الاربع", "يوم الاربع",
            "يوم الاربعاء", "on wednesday",
        ],
    ),
    (
        Weekday::Thu,
        &["thursday", "thurs", "الخميس", "يوم الخميس", "on thursday"],
    ),
    (
        Weekday::Fri,
        &["friday", "الجمعة", "الجمعه", "يوم الجمعة", "on friday"],
    ),
    (
        Weekday::Sat,
        &["saturday", "السبت", "يوم السبت", "on saturday"],
    ),
    (
        Weekday::Sun,
        &[
            "sunday", "الأحد", "الاحد", "الحد", "يوم الاحد", "يوم الحد", "on sunday",
        ],
    ),
];

#[rustfmt::skip]
const NEXT_WEEKDAYS: &[(Weekday, &[&str])] = &[
    (
        Weekday::Mon,
        &[
            "next monday", "الاتنين الجاي", "الاثنين الجاي", "الاثنين القادم", "الاتنين الجايه",
        ],
    ),
    (
        Weekday::Tue,
        &[
            "next tuesday", "التلات الجاي", "الثلاثاء الجاي", "الثلاثاء القادم",
        ],
    ),
    (
        Weekday::Wed,
        &[
            "next wednesday", "الاربع الجاي", "الاربعاء الجاي", "الاربعاء القادم",
        ],
    ),
    (
        Weekday::Thu,
        &[
            "next thursday", "الخميس الجاي", "الخميس القادم", "الخميس الجايي",
        ],
    ),
    (
        Weekday::Fri,
        &[
            "next friday", "الجمعة الجاية", "الجمعه الجايه", "الجمعة القادمة", "الجمعة الجاي",
        ],
    ),
    (
        Weekday::Sat,
        &[
            "next saturday", "السبت الجاي", "السبت القادم", "السبت الجايي",
        ],
    ),
    (
        Weekday::Sun,
        &["next sunday", "الاحد الجاي", "الحد الجاي", "الاحد القادم"],
    ),
];

#[rustfmt::skip]
const PHRASES: &[(&str, TimeWord)] = &[
    // Days.
    ("today", TimeWord::Day(0)), ("todays", TimeWord::Day(0)),
    ("this afternoon", TimeWord::Part(Part::Afternoon)), ("اليوم", TimeWord::Day(0)),
    ("النهارده", TimeWord::Day(0)), ("النهاردة", TimeWord::Day(0)), ("النهاردا", TimeWord::Day(0)),
    ("انهارده", TimeWord::Day(0)), ("النهار ده", TimeWord::Day(0)), ("هاليوم", TimeWord::Day(0)),
    ("naharda", TimeWord::Day(0)), ("elnaharda", TimeWord::Day(0)),
    ("el naharda", TimeWord::Day(0)), ("tonight", TimeWord::Tonight), ("tonite", TimeWord::Tonight),
    ("this evening", TimeWord::Part(Part::Evening)),
    ("this morning", TimeWord::Part(Part::Morning)), ("الليلة", TimeWord::Tonight),
    ("الليله", TimeWord::Tonight), ("الليلة دي", TimeWord::Tonight), ("هالليلة", TimeWord::Tonight),
    ("tomorrow", TimeWord::Day(1)), ("tommorow", TimeWord::Day(1)), ("tmrw", TimeWord::Day(1)),
    ("tmr", TimeWord::Day(1)), ("tomoro", TimeWord::Day(1)), ("bokra", TimeWord::Day(1)),
    ("bukra", TimeWord::Day(1)), ("bokrah", TimeWord::Day(1)), ("بكرة", TimeWord::Day(1)),
    ("بكره", TimeWord::Day(1)), ("بكرا", TimeWord::Day(1)), ("بكرى", TimeWord::Day(1)),
    ("غدا", TimeWord::Day(1)), ("غداً", TimeWord::Day(1)), ("الغد", TimeWord::Day(1)),
    ("day after tomorrow", TimeWord::Day(2)), ("the day after tomorrow", TimeWord::Day(2)),
    ("after tomorrow", TimeWord::Day(2)), ("overmorrow", TimeWord::Day(2)),
    ("بعد بكرة", TimeWord::Day(2)), ("بعد بكره", TimeWord::Day(2)), ("بعد بكرا", TimeWord::Day(2)),
    ("بعد غد", TimeWord::Day(2)), ("بعد الغد", TimeWord::Day(2)), ("بعده بكرة", TimeWord::Day(2)),
    // Ranges.
    ("weekend", TimeWord::Weekend), ("this weekend", TimeWord::Weekend),
    ("the weekend", TimeWord::Weekend), ("week end", TimeWord::Weekend),
    ("ويكند", TimeWord::Weekend), ("الويكند", TimeWord::Weekend), ("الويك اند", TimeWord::Weekend),
    ("ويك اند", TimeWord::Weekend), ("الويك إند", TimeWord::Weekend),
    ("نهاية الاسبوع", TimeWord::Weekend), ("نهاية الأسبوع", TimeWord::Weekend),
    ("اخر الاسبوع", TimeWord::Weekend), ("آخر الأسبوع", TimeWord::Weekend),
    ("عطلة نهاية الاسبوع", TimeWord::Weekend), ("الجمعة والسبت", TimeWord::Weekend),
    ("الجمعة و السبت", TimeWord::Weekend), ("السبت والاحد", TimeWord::Weekend),
    ("السبت و الاحد", TimeWord::Weekend), ("الويكاند", TimeWord::Weekend),
    ("next week", TimeWord::NextWeek), ("the coming week", TimeWord::NextWeek),
    ("الاسبوع الجاي", TimeWord::NextWeek), ("الأسبوع الجاي", TimeWord::NextWeek),
    ("الاسبوع القادم", TimeWord::NextWeek), ("الاسبوع اللي جاي", TimeWord::NextWeek),
    ("الجمعة الجاية", TimeWord::NextWeekday(chrono::Weekday::Fri)),
    (
        "الجمعة اللي جاية",
        TimeWord::NextWeekday(chrono::Weekday::Fri),
    ),
    ("الاسبوع الياي", TimeWord::NextWeek),
    (
        "الجمعه اللي جايه",
        TimeWord::NextWeekday(chrono::Weekday::Fri),
    ),
    // Parts of the day.
    ("morning", TimeWord::Part(Part::Morning)), ("in the morning", TimeWord::Part(Part::Morning)),
    ("mornings", TimeWord::Part(Part::Morning)), ("الصبح", TimeWord::Part(Part::Morning)),
    ("الصباح", TimeWord::Part(Part::Morning)), ("صباحا", TimeWord::Part(Part::Morning)),
    ("صباحاً", TimeWord::Part(Part::Morning)), ("بدري", TimeWord::Part(Part::Morning)),
    ("عالصبح", TimeWord::Part(Part::Morning)), ("الصبحية", TimeWord::Part(Part::Morning)),
    ("afternoon", TimeWord::Part(Part::Afternoon)),
    ("in the afternoon", TimeWord::Part(Part::Afternoon)),
    ("بعد الظهر", TimeWord::Part(Part::Afternoon)), ("بعد الضهر", TimeWord::Part(Part::Afternoon)),
    ("العصر", TimeWord::Part(Part::Afternoon)), ("عصرا", TimeWord::Part(Part::Afternoon)),
    ("عصراً", TimeWord::Part(Part::Afternoon)), ("بعد العصر", TimeWord::Part(Part::Afternoon)),
    ("قبل الضهر", TimeWord::Part(Part::Morning)), ("قبل الظهر", TimeWord::Part(Part::Morning)),
    ("before noon", TimeWord::Part(Part::Morning)), ("before lunch", TimeWord::Part(Part::Morning)),
    ("الظهر", TimeWord::Noon), ("الضهر", TimeWord::Noon),
    ("evening", TimeWord::Part(Part::Evening)), ("in the evening", TimeWord::Part(Part::Evening)),
    ("المسا", TimeWord::Part(Part::Evening)), ("المساء", TimeWord::Part(Part::Evening)),
    ("مساء", TimeWord::Part(Part::Evening)), ("مساءا", TimeWord::Part(Part::Evening)),
    ("مساءً", TimeWord::Part(Part::Evening)), ("بالمسا", TimeWord::Part(Part::Evening)),
    ("عالمسا", TimeWord::Part(Part::Evening)), ("المغرب", TimeWord::Part(Part::Evening)),
    ("بعد المغرب", TimeWord::Part(Part::Evening)), ("عشية", TimeWord::Part(Part::Evening)),
    ("العشية", TimeWord::Part(Part::Evening)), ("night", TimeWord::Part(Part::Night)),
    ("at night", TimeWord::Part(Part::Night)), ("بالليل", TimeWord::Part(Part::Night)),
    ("الليل", TimeWord::Part(Part::Night)), ("ليلا", TimeWord::Part(Part::Night)),
    ("ليلاً", TimeWord::Part(Part::Night)), ("noon", TimeWord::Noon), ("midday", TimeWord::Noon),
    ("at noon", TimeWord::Noon), ("lunchtime", TimeWord::Noon),
    // Urgency.
    ("now", TimeWord::Urgent), ("right now", TimeWord::Urgent), ("asap", TimeWord::Urgent),
    ("a s a p", TimeWord::Urgent), ("as soon as possible", TimeWord::Urgent),
    ("immediately", TimeWord::Urgent), ("urgent", TimeWord::Urgent), ("urgently", TimeWord::Urgent),
    ("emergency", TimeWord::Urgent), ("right away", TimeWord::Urgent),
    ("straight away", TimeWord::Urgent), ("in a hurry", TimeWord::Urgent),
    ("hurry", TimeWord::Urgent), ("quickly", TimeWord::Urgent), ("its urgent", TimeWord::Urgent),
    ("حالا", TimeWord::Urgent), ("حالاً", TimeWord::Urgent), ("دلوقتي", TimeWord::Urgent),
    ("دلوقت", TimeWord::Urgent), ("دلوقتى", TimeWord::Urgent), ("فورا", TimeWord::Urgent),
    ("فوراً", TimeWord::Urgent), ("فوري", TimeWord::Urgent), ("ضروري", TimeWord::Urgent),
    ("ضرورى", TimeWord::Urgent), ("مستعجل", TimeWord::Urgent), ("مستعجلة", TimeWord::Urgent),
    ("مستعجلين", TimeWord::Urgent), ("طوارئ", TimeWord::Urgent), ("طارئ", TimeWord::Urgent),
    ("طارئة", TimeWord::Urgent), ("بسرعة", TimeWord::Urgent), ("بسرعه", TimeWord::Urgent),
    ("عاجل", TimeWord::Urgent), ("هلق", TimeWord::Urgent), ("هلأ", TimeWord::Urgent),
    ("هلء", TimeWord::Urgent), ("هلئ", TimeWord::Urgent), ("اسرع وقت", TimeWord::Urgent),
    ("في اسرع وقت", TimeWord::Urgent), ("باسرع وقت", TimeWord::Urgent),
    ("في اقرب وقت", TimeWord::Urgent), ("اقرب وقت", TimeWord::Urgent),
    ("عالسريع", TimeWord::Urgent), ("ع السريع", TimeWord::Urgent), ("الحقني", TimeWord::Urgent),
    ("الحقوني", TimeWord::Urgent), ("delwa2ty", TimeWord::Urgent), ("delwa2t", TimeWord::Urgent),
    ("halan", TimeWord::Urgent), ("7alan", TimeWord::Urgent), ("not urgent", TimeWord::Calm),
    ("nothing urgent", TimeWord::Calm), ("not an emergency", TimeWord::Calm),
    ("no emergency", TimeWord::Calm), ("not in a hurry", TimeWord::Calm),
    ("مو ضروري", TimeWord::Calm), ("ما في شي مستعجل", TimeWord::Calm),
    ("مش حاجة مستعجلة", TimeWord::Calm), ("مش مستعجلة اوي", TimeWord::Calm),
    ("no rush", TimeWord::Calm), ("no hurry", TimeWord::Calm), ("whenever", TimeWord::Calm),
    ("مش مستعجل", TimeWord::Calm), ("مش مستعجلة", TimeWord::Calm), ("مش ضروري", TimeWord::Calm),
    ("مو مستعجل", TimeWord::Calm), ("مش مستعجلين", TimeWord::Calm), ("ما في عجلة", TimeWord::Calm),
    ("مافي عجلة", TimeWord::Calm), ("مش لازم النهارده", TimeWord::Calm),
    ("not asap", TimeWord::Calm),
    // Clock.
    ("at", TimeWord::At), ("around", TimeWord::At), ("by", TimeWord::At), ("from", TimeWord::At),
    ("between", TimeWord::At), ("الساعة", TimeWord::At), ("الساعه", TimeWord::At),
    ("ساعة", TimeWord::At), ("ع الساعة", TimeWord::At), ("على الساعة", TimeWord::At),
    ("الساعة", TimeWord::At), ("حوالي الساعة", TimeWord::At), ("am", TimeWord::Am),
    ("a m", TimeWord::Am), ("pm", TimeWord::Pm), ("p m", TimeWord::Pm), ("ص", TimeWord::Am),
    ("م", TimeWord::Pm), ("oclock", TimeWord::Oclock), ("o clock", TimeWord::Oclock),
    ("sharp", TimeWord::Oclock), ("ونص", TimeWord::Half), ("و نص", TimeWord::Half),
    ("والنص", TimeWord::Half), ("and a half", TimeWord::Half), ("thirty", TimeWord::Half),
    ("وربع", TimeWord::Quarter), ("و ربع", TimeWord::Quarter),
    // Not time.
    ("الحد الاقصى", TimeWord::Decoy), ("الحد الأقصى", TimeWord::Decoy),
    ("الحد الادنى", TimeWord::Decoy), ("بالحد الاقصى", TimeWord::Decoy),
    ("the second one", TimeWord::Decoy), ("one of them", TimeWord::Decoy),
];

#[rustfmt::skip]
const HOURS: &[(u8, &[&str])] = &[
    (1, &["one", "واحدة", "واحده", "الواحدة", "الواحده"]), (2, &["two", "اتنين", "اثنين", "تنتين"]),
    (
        3,
        &["three", "تلاتة", "تلاته", "ثلاثة", "ثلاثه", "التلاتة", "الثالثة"],
    ),
    (4, &["four", "اربعة", "اربعه", "الاربعة", "الرابعة"]),
    (5, &["five", "خمسة", "خمسه", "الخمسة", "الخامسة"]),
    (6, &["six", "ستة", "سته", "الستة", "السادسة"]),
    (7, &["seven", "سبعة", "سبعه", "السبعة", "السابعة"]),
    (
        8,
        &[
            "eight", "تمانية", "تمانيه", "ثمانية", "ثمانيه", "التمانية", "الثامنة",
        ],
    ),
    (9, &["nine", "تسعة", "تسعه", "التسعة", "التاسعة"]),
    (10, &["ten", "عشرة", "عشره", "العشرة", "العاشرة"]),
    (
        11,
        &["eleven", "حداشر", "احداشر", "الحداشر", "الحادية عشرة"],
    ),
    (
        12,
        &["twelve", "اتناشر", "اطناشر", "الاتناشر", "الثانية عشرة"],
    ),
];

/// Every time phrase with its meaning; weekdays before hour words (`الاتنين` is Monday).
pub(super) fn entries() -> Vec<(&'static str, TimeWord)> {
    let mut out: Vec<(&'static str, TimeWord)> = Vec::new();
    for (day, names) in NEXT_WEEKDAYS {
        out.extend(names.iter().map(|n| (*n, TimeWord::NextWeekday(*day))));
    }
    out.extend(PHRASES.iter().copied());
    for (day, names) in WEEKDAYS {
        out.extend(names.iter().map(|n| (*n, TimeWord::Weekday(*day))));
    }
    for (hour, names) in HOURS {
        out.extend(names.iter().map(|n| (*n, TimeWord::Hour(*hour))));
    }
    out
}
