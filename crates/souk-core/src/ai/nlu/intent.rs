//! What the client is doing: booking, searching, greeting, thanking or
//! asking for help, and which of the shown matches they picked.

use super::Intent;

/// What a cue phrase says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Cue {
    Book,
    Help,
    Greeting,
    /// هلا: a greeting at the start of a message, "now" (Levantine هلأ) elsewhere.
    Hala,
    Thanks,
    /// "I need", "عايز", "بدي": a request.
    Need,
    /// "the second one", "التاني": a 0-based choice.
    Ordinal(u8),
    /// "number", "option", "رقم": a choice by number follows.
    Numbered,
    /// "cancel", "don't book", "الغي الحجز": not a booking.
    NoBook,
}

#[rustfmt::skip]
const BOOK: &[&str] = &[
    "book", "book it", "book now", "book him", "book her", "book them", "book this", "book that",
    "book that one", "booking", "make a booking", "make a reservation", "reserve", "reserve it",
    "reservation", "schedule", "schedule it", "go ahead", "go ahead and book", "lets book",
    "i want to book", "id like to book", "i would like to book", "please book", "can you book",
    "book me", "book for me", "e7gez", "e7gezli", "احجز", "احجزلي", "احجز لي", "احجزه", "احجزها",
    "احجزهولي", "احجزي", "احجزو", "احجزوا", "احجزلنا", "احجزيلي", "نحجز", "حجز", "عايز احجز",
    "عاوز احجز", "بدي احجز", "حابب احجز", "اعمل حجز", "اعملي حجز", "اعمل الحجز", "خلينا نحجز",
    "يلا احجز", "يلا نحجز", "ثبت الحجز", "ثبتلي", "احجزلي ياه", "احجزلي اياه", "بدي احجزه",
    "احجزلي اياها", "احجز معه", "احجز معاه",
];

#[rustfmt::skip]
const HELP: &[&str] = &[
    "help", "help me", "can you help", "can you help me", "what can you do", "what do you do",
    "how does this work", "how does it work", "how do i use this", "how to use", "who are you",
    "what are you", "what is this", "i need help", "how do i book", "how can i book", "how to book",
    "ساعدني", "ساعدوني", "مساعدة", "محتاج مساعدة", "ممكن تساعدني", "بتعمل ايه", "بتعمل إيه",
    "بتعملي ايه", "شو بتعمل", "شو بتعملي", "شو فيك تعمل", "شو بتقدر تعمل", "تقدر تعمل ايه",
    "ازاي استخدم", "ازاي بيشتغل", "كيف بيشتغل", "كيف بتشتغل", "انت مين", "مين انت", "شو انت",
    "ازاي اطلب", "كيف اطلب", "ازاي احجز", "كيف احجز", "بتشتغل ازاي", "التطبيق ده بيعمل ايه",
    "ايه اللي تقدر تعمله", "شو بتساعدني", "كيف بتساعدني", "فيك تساعدني",
];

#[rustfmt::skip]
const GREETING: &[&str] = &[
    "hi", "hello", "hey", "hiya", "howdy", "yo", "salam", "salaam", "salam alaikum",
    "assalamu alaikum", "good morning", "good afternoon", "good evening", "greetings", "hi there",
    "hello there", "hey there", "marhaba", "ahlan", "مرحبا", "مرحباً", "مرحبتين", "اهلا", "أهلا",
    "اهلين", "اهلا وسهلا", "هاي", "هالو", "السلام عليكم", "سلام عليكم", "السلام عليكم ورحمة الله",
    "سلام", "صباح الخير", "صباح النور", "صباح الفل", "مساء الخير", "مسا الخير", "مساء النور",
    "يا هلا", "كيفك", "ازيك", "ازيكم", "عامل ايه", "كيف الحال", "كيفكن", "كيف حالك",
];

#[rustfmt::skip]
const THANKS: &[&str] = &[
    "thanks", "thank you", "thank u", "thanks a lot", "thanks so much", "thank you so much", "thx",
    "ty", "tysm", "cheers", "appreciate it", "much appreciated", "merci", "shukran", "mersi",
    "many thanks", "شكرا", "شكراً", "شكرا جزيلا", "شكرا كتير", "الف شكر", "متشكر", "متشكرين",
    "متشكرة", "تسلم", "تسلمي", "تسلم ايدك", "تسلمو", "تسلملي", "يعطيك العافية",
    "الله يعطيك العافية", "مرسي", "ميرسي", "مشكور", "مشكورة", "يسلمو", "يسلموا", "جزاك الله خير",
    "جزاك الله خيرا", "ربنا يخليك", "تشكر", "كتر خيرك", "كثر خيرك",
];

#[rustfmt::skip]
const NEED: &[&str] = &[
    "need", "i need", "we need", "needed", "needs", "want", "i want", "looking for",
    "im looking for", "i am looking for", "searching for", "search for", "find me", "get me",
    "can you find", "is there", "are there", "recommend", "id like", "i would like", "would like",
    "hire", "i want to hire", "send me", "send someone", "need someone", "anyone who can",
    "who can", "3ayez", "3awez", "mehtag", "badde", "baddi", "عايز", "عاوز", "عايزة", "عاوزة",
    "عايزين", "عاوزين", "محتاج", "محتاجة", "محتاجين", "بدي", "بدنا", "بدور على", "بدور ع",
    "بدور عن", "ابغى", "ابغا", "ابي", "اريد", "نريد", "اطلب", "بطلب", "شوفلي", "دورلي", "لاقيلي",
    "ابحث عن", "بحاجة", "بحاجة الى", "في حد", "فيه حد", "في حدا", "ممكن حد", "ممكن حدا", "عندكم",
    "بتعرف حدا", "تعرف حد", "نفسي في", "حابب", "جيبلي", "ابعتلي", "ابعتولي", "بدي حدا", "عايز حد",
    "محتاج حد",
];

#[rustfmt::skip]
const ORDINALS: &[(u8, &[&str])] = &[
    (
        0,
        &[
            "first", "1st", "first one", "the first", "the first one", "number one", "option one",
            "الاول", "الأول", "اول واحد", "أول واحد", "الاولاني", "الاولى", "الأولى", "رقم واحد",
        ],
    ),
    (
        1,
        &[
            "second", "2nd", "second one", "the second", "the second one", "number two",
            "option two", "التاني", "الثاني", "تاني واحد", "ثاني واحد", "التانية", "الثانية",
            "رقم اتنين", "رقم اثنين", "تاني", "التانى",
        ],
    ),
    (
        2,
        &[
            "third", "3rd", "third one", "the third", "the third one", "number three", "التالت",
            "الثالث", "التالتة", "الثالثة", "تالت واحد", "رقم تلاتة", "رقم ثلاثة",
        ],
    ),
    (
        3,
        &[
            "fourth", "4th", "fourth one", "the fourth one", "الرابع", "الرابعة", "رقم اربعة",
        ],
    ),
    (
        4,
        &[
            "fifth", "5th", "fifth one", "the fifth one", "الخامس", "الخامسة", "رقم خمسة",
        ],
    ),
];

#[rustfmt::skip]
const NO_BOOK: &[&str] = &[
    "cancel", "cancel it", "cancel my booking", "cancel the booking", "cancel booking", "dont book",
    "do not book", "not book", "no booking", "already booked", "i booked", "الغي", "الغي الحجز",
    "الغاء الحجز", "لغي الحجز", "ألغي الحجز", "لا تحجز", "متحجزش", "ما تحجز", "مش عايز احجز",
    "ما بدي احجز", "بلاش حجز", "بلاش تحجز", "حجزت", "كنسل", "كنسل الحجز",
];

#[rustfmt::skip]
const NUMBERED: &[&str] = &[
    "number", "no", "option", "choice", "#", "رقم", "الاختيار", "اختيار", "خيار", "الخيار",
];

/// Every cue phrase with its meaning.
pub(super) fn entries() -> Vec<(&'static str, Cue)> {
    let mut out: Vec<(&'static str, Cue)> = Vec::new();
    for (rank, words) in ORDINALS {
        out.extend(words.iter().map(|w| (*w, Cue::Ordinal(*rank))));
    }
    let lists: [(&[&'static str], Cue); 7] = [
        (NO_BOOK, Cue::NoBook),
        (BOOK, Cue::Book),
        (HELP, Cue::Help),
        (THANKS, Cue::Thanks),
        (GREETING, Cue::Greeting),
        (NEED, Cue::Need),
        (NUMBERED, Cue::Numbered),
    ];
    for (words, cue) in lists {
        out.extend(words.iter().map(|w| (*w, cue)));
    }
    out.push(("هلا", Cue::Hala));
    out
}

/// The cues of a message.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Cues {
    pub book: bool,
    pub help: bool,
    pub greeting: bool,
    pub thanks: bool,
    pub need: bool,
    pub choice: Option<usize>,
}

/// The slots that bear on the intent.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Slots {
    pub category: bool,
    pub place: bool,
    pub window: bool,
    pub price: bool,
    pub cheap: bool,
    pub urgent: bool,
}

/// The intent of a message and, when booking, the chosen match.
pub(super) fn decide(cues: &Cues, slots: &Slots) -> (Intent, Option<usize>) {
    let need_slot = slots.place || slots.window || slots.price || slots.cheap || slots.urgent;
    let any_slot = slots.category || need_slot;
    let bare_choice =
        cues.choice.is_some() && !slots.category && !slots.place && !slots.window && !slots.price;
    let intent = if cues.book || bare_choice {
        Intent::Book
    } else if slots.category || (cues.need && need_slot) {
        Intent::Search
    } else if cues.help {
        Intent::Help
    } else if cues.thanks && !any_slot {
        Intent::Thanks
    } else if cues.greeting && !any_slot {
        Intent::Greeting
    } else {
        Intent::Unknown
    };
    let choice = if intent == Intent::Book {
        cues.choice
    } else {
        None
    };
    (intent, choice)
}
