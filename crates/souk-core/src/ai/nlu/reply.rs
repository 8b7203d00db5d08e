//! The concierge's replies in English and Arabic (plain Modern Standard
//! Arabic with everyday words, read the same in Egypt and Lebanon).

use super::Lang;

/// What the concierge says; names come already in the reply's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply<'a> {
    Greeting,
    Help,
    Thanks,
    /// The service is not known yet.
    AskCategory,
    /// Matches were found.
    Matches {
        category: Option<&'a str>,
        place: Option<&'a str>,
        count: usize,
        cheap: bool,
        /// The window in words (see [`describe_window`](super::describe_window)).
        when: Option<&'a str>,
    },
    NoMatches {
        category: Option<&'a str>,
        place: Option<&'a str>,
    },
    /// A booking ready to confirm.
    Proposal {
        title: &'a str,
        /// Local start time, formatted.
        start: &'a str,
        price: &'a str,
    },
    /// Asked to book, but nothing shown can be booked.
    NothingToBook,
}

/// The text of `reply` in `lang`.
pub fn render(reply: &Reply, lang: Lang) -> String {
    match lang {
        Lang::En => english(reply),
        Lang::Ar => arabic(reply),
    }
}

fn english(reply: &Reply) -> String {
    match reply {
        Reply::Greeting => "Hi! I'm Souk's concierge. Tell me what you need done, for example \
             \"a plumber in Maadi tomorrow morning under 300\", and I'll find someone for you."
            .to_owned(),
        Reply::Help => "I find trusted local pros and book them for you. Tell me the service \
             (plumber, electrician, AC, cleaning…), where, when, and your budget if you have one. \
             When the results come, say \"book\" for the first one or \"book the second\" for another."
            .to_owned(),
        Reply::Thanks => "You're welcome! Anything else I can help with?".to_owned(),
        Reply::AskCategory => "What service do you need? For example: plumber, electrician, \
             AC repair, cleaning or moving."
            .to_owned(),
        Reply::Matches {
            category,
            place,
            count,
            cheap,
            when,
        } => {
            let mut text = format!("I found {count}");
            if *cheap {
                text.push_str(" affordable");
            }
            text.push_str(if *count == 1 { " option" } else { " options" });
            if let Some(category) = category {
                text.push_str(&format!(" for {category}"));
            }
            if let Some(place) = place {
                text.push_str(&format!(" in {place}"));
            }
            if let Some(when) = when {
                text.push_str(&format!(", {when}"));
            }
            text.push_str(if *count == 1 {
                ". Say \"book\" to book it."
            } else {
                ". Say \"book\" to book the first one, or \"book the second\" for another."
            });
            text
        }
        Reply::NoMatches { category, place } => {
            let mut text = "Sorry, I couldn't find anyone available".to_owned();
            if let Some(category) = category {
                text.push_str(&format!(" for {category}"));
            }
            if let Some(place) = place {
                text.push_str(&format!(" in {place}"));
            }
            text.push_str(" right now. Try another time, a wider area or a different budget.");
            text
        }
        Reply::Proposal { title, start, price } => format!(
            "Ready to book \"{title}\" on {start} for {price}. Confirm to book it, or tell me another time."
        ),
        Reply::NothingToBook => "I couldn't find a free slot to book from these results. \
             Shall I search again with another time or place?"
            .to_owned(),
    }
}

/// "3 عروض", "عرضين", "عرضًا واحدًا": Arabic counts agree with the number.
fn offers_ar(count: usize) -> String {
    match count {
        1 => "عرضًا واحدًا".to_owned(),
        2 => "عرضين".to_owned(),
        3..=10 => format!("{count} عروض"),
        _ => format!("{count} عرضًا"),
    }
}

fn arabic(reply: &Reply) -> String {
    match reply {
        Reply::Greeting => "أهلًا! أنا مساعد سوق. اكتب لي الخدمة التي تحتاجها، مثلًا: \
             «سباك في المعادي بكرة الصبح بأقل من 300»، وسأجد لك من يقوم بها."
            .to_owned(),
        Reply::Help => "أجد لك فنيين موثوقين قريبين منك وأحجز لك معهم. اكتب الخدمة \
             (سباك، كهربائي، تكييف، تنظيف…)، والمكان، والموعد، والميزانية إن وُجدت. \
             وعندما تظهر النتائج، اكتب «احجز» لحجز الأول أو «احجز الثاني» لغيره."
            .to_owned(),
        Reply::Thanks => "العفو! هل تحتاج أي شيء آخر؟".to_owned(),
        Reply::AskCategory => "ما الخدمة التي تحتاجها؟ مثلًا: سباك، كهربائي، تصليح تكييف، \
             تنظيف أو نقل أثاث."
            .to_owned(),
        Reply::Matches {
            category,
            place,
            count,
            cheap,
            when,
        } => {
            let mut text = format!("وجدت {}", offers_ar(*count));
            if *cheap {
                text.push_str(" بأسعار مناسبة");
            }
            if let Some(category) = category {
                text.push_str(&format!(" لخدمة {category}"));
            }
            if let Some(place) = place {
                text.push_str(&format!(" في {place}"));
            }
            if let Some(when) = when {
                text.push_str(&format!("، {when}"));
            }
            text.push_str(if *count == 1 {
                ". اكتب «احجز» لحجزه."
            } else {
                ". اكتب «احجز» لحجز الأول، أو «احجز الثاني» لغيره."
            });
            text
        }
        Reply::NoMatches { category, place } => {
            let mut text = "عذرًا، لم أجد أحدًا متاحًا".to_owned();
            if let Some(category) = category {
                text.push_str(&format!(" لخدمة {category}"));
            }
            if let Some(place) = place {
                text.push_str(&format!(" في {place}"));
            }
            text.push_str(" حاليًا. جرّب موعدًا آخر أو منطقة أوسع أو ميزانية مختلفة.");
            text
        }
        Reply::Proposal {
            title,
            start,
            price,
        } => {
            format!("جاهز لحجز «{title}» في {start} بسعر {price}. أكّد الحجز، أو اكتب لي موعدًا آخر.")
        }
        Reply::NothingToBook => "لم أجد موعدًا متاحًا للحجز من هذه النتائج. \
             هل أبحث مرة أخرى بموعد أو مكان آخر؟"
            .to_owned(),
    }
}
