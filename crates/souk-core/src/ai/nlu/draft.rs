//! Drafts a job post from a client's message, in the message's language:
//! a short title ("Fridge repair in Tyre", "تصليح تلاجة في صور") and a
//! description that restates the message, then when/where/budget lines.
//! Only what the message says goes in; the client edits the rest.

use chrono::{Datelike, Timelike};
use chrono_tz::Tz;

use super::engine::ENGINE;
use super::scan;
use super::text::{Script, tokenize};
use super::vocab::{self, Found};
use super::{Lang, Parsed, Window};

/// Longest title, in characters.
const TITLE_MAX: usize = 80;
/// Longest description, in characters.
const DESCRIPTION_MAX: usize = 2000;

/// A job post for the client to edit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub title: String,
    pub description: String,
    pub category: Option<&'static str>,
}

/// What the client wants done to the thing named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Action {
    Repair,
    Install,
    Clean,
}

impl Action {
    fn word(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Action::Repair, Lang::En) => "repair",
            (Action::Install, Lang::En) => "installation",
            (Action::Clean, Lang::En) => "cleaning",
            (Action::Repair, Lang::Ar) => "تصليح",
            (Action::Install, Lang::Ar) => "تركيب",
            (Action::Clean, Lang::Ar) => "تنظيف",
        }
    }
}

#[rustfmt::skip]
const INSTALL: &[&str] = &[
    "install", "installation", "installing", "mount", "mounting", "fit", "fitting", "تركيب", "ركب",
    "يركب", "يركبلي", "تركيبه", "اركب",
];
#[rustfmt::skip]
const CLEAN: &[&str] = &[
    "clean", "cleaning", "wash", "washing", "تنظيف", "تنضيف", "غسيل", "ينظف",
];
#[rustfmt::skip]
const REPAIR: &[&str] = &[
    "repair", "fix", "fixing", "fixed", "broken", "broke", "leak", "leaking", "leaks", "stopped",
    "service", "maintenance", "تصليح", "اصلاح", "صيانه", "يصلح", "يصلحلي", "بايظ", "بايظه", "باظ",
    "عطلان", "عطلانه", "عطل", "خربان", "خربانه", "خرب", "مكسور", "مكسوره", "تسريب", "بيسرب",
    "بتسرب", "مبيشتغلش", "واقف", "واقفه", "بيخر", "بينقط",
];

/// Drafts a job post from `prompt` as `parsed`; `category_name` is the
/// category's display name in the prompt's language, when the caller has it.
pub fn draft(prompt: &str, parsed: &Parsed, category_name: Option<&str>) -> Draft {
    let lang = parsed.lang;
    let category_name = category_name.map(str::to_owned).or_else(|| {
        let category = vocab::category(parsed.category?)?;
        Some(
            match lang {
                Lang::En => category.name_en,
                Lang::Ar => category.name_ar,
            }
            .to_owned(),
        )
    });
    let cleaned = clean(prompt);
    let title = title(&cleaned, parsed, category_name.as_deref());
    let mut lines: Vec<String> = Vec::new();
    let label = |en: &str, ar: &str| match lang {
        Lang::En => en.to_owned(),
        Lang::Ar => ar.to_owned(),
    };
    if let Some(name) = &category_name {
        lines.push(format!("{}: {name}", label("Service", "الخدمة")));
    }
    if let Some(place) = &parsed.place {
        lines.push(format!("{}: {}", label("Where", "المكان"), place.name));
    }
    if let Some(window) = &parsed.window {
        let tz = parsed
            .place
            .as_ref()
            .map_or(chrono_tz::Africa::Cairo, |p| p.tz);
        lines.push(format!(
            "{}: {}",
            label("When", "الموعد"),
            window_text(window, tz, lang)
        ));
    }
    if parsed.urgent {
        lines.push(label("Urgent: as soon as possible", "مستعجل: في أقرب وقت"));
    }
    if let Some(amount) = parsed.max_price {
        lines.push(format!(
            "{} {}",
            label("Budget: up to", "الميزانية: حتى"),
            money(amount)
        ));
    } else if parsed.cheap {
        lines.push(label(
            "Budget: as affordable as possible",
            "الميزانية: بأقل سعر مناسب",
        ));
    }
    let tail: String = lines.iter().map(|l| format!("\n- {l}")).collect();
    let room = DESCRIPTION_MAX.saturating_sub(tail.chars().count() + 1);
    let mut description = sentence(&cleaned, room);
    if !tail.is_empty() {
        description.push('\n');
        description.push_str(&tail);
    }
    Draft {
        title,
        description,
        category: parsed.category,
    }
}

/// The prompt without control characters, its whitespace collapsed.
fn clean(prompt: &str) -> String {
    prompt
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// `text` with its first letter in capitals.
fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `text` sentence-cased, ending in punctuation, at most `max` characters.
fn sentence(text: &str, max: usize) -> String {
    let mut out = capitalized(text);
    if !out.is_empty() && !out.ends_with(['.', '!', '?', '؟', '…']) {
        out.push('.');
    }
    cut(&out, max)
}

/// At most `max` characters of `text`, cut at a word boundary when one is near.
fn cut(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let head: String = text.chars().take(max.saturating_sub(1)).collect();
    let at_word = match head.rfind(' ') {
        Some(space)
            if head
                .get(..space)
                .is_some_and(|h| h.chars().count() * 4 >= max * 3) =>
        {
            head.get(..space).unwrap_or(&head).to_owned()
        }
        _ => head,
    };
    format!("{}…", at_word.trim_end())
}

fn title(cleaned: &str, parsed: &Parsed, category_name: Option<&str>) -> String {
    let lang = parsed.lang;
    let subject = subject(cleaned).filter(|f| Some(f.slug) == parsed.category);
    let action = action(cleaned);
    let arabic = lang == Lang::Ar;
    let object = subject
        .and_then(|f| f.object)
        .filter(|o| o.chars().any(super::text::is_arabic) == arabic);
    let mut title = match (object, action, category_name) {
        (Some(object), Some(action), _) => match lang {
            Lang::En => format!("{} {}", display_en(object), action.word(lang)),
            Lang::Ar => format!("{} {object}", action.word(lang)),
        },
        (_, _, Some(name)) => name.to_owned(),
        _ => cut(
            &capitalized(cleaned.trim_end_matches(['.', '!', '?', '؟'])),
            60,
        ),
    };
    if let Some(place) = &parsed.place {
        let joiner = if arabic { " في " } else { " in " };
        title.push_str(joiner);
        title.push_str(&place.name);
    }
    if parsed.urgent {
        title = format!("{}{title}", if arabic { "مستعجل: " } else { "Urgent: " });
    }
    cut(&title, TITLE_MAX)
}

/// The category (and thing named) of the prompt, read again without the time slots.
fn subject(prompt: &str) -> Option<Found> {
    let engine = &*ENGINE;
    let tokens = tokenize(prompt);
    let res = engine.keys.resolve(&tokens);
    let mut used = vec![false; tokens.len()];
    scan::place(engine, &tokens, &res, &mut used);
    scan::category(engine, &res, &mut used)
}

/// Whether the prompt asks to install, clean or repair.
fn action(prompt: &str) -> Option<Action> {
    let tokens = tokenize(prompt);
    let has = |words: &[&str]| {
        tokens.iter().any(|t| {
            t.script != Script::Digits
                && words
                    .iter()
                    .any(|w| t.text == *w || t.text.strip_prefix("ال") == Some(w))
        })
    };
    if has(INSTALL) {
        Some(Action::Install)
    } else if has(CLEAN) {
        Some(Action::Clean)
    } else if has(REPAIR) {
        Some(Action::Repair)
    } else {
        None
    }
}

/// An English table word as a title starts it: "fridge" → "Fridge", "ac" → "AC".
fn display_en(word: &str) -> String {
    let compact: String = word.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.chars().count() <= 3 {
        return compact.to_uppercase();
    }
    capitalized(word)
}

/// Minor units as the post shows them: 30000 → "300", 150 → "1.50".
fn money(amount: i64) -> String {
    let (major, minor) = (amount.div_euclid(100), amount.rem_euclid(100));
    if minor == 0 {
        major.to_string()
    } else {
        format!("{major}.{minor:02}")
    }
}

/// The window as dates and times (a post is read later, so no "today").
fn window_text(window: &Window, tz: Tz, lang: Lang) -> String {
    let from = window.from.with_timezone(&tz);
    let to = window.to.with_timezone(&tz);
    let day = |d: chrono::NaiveDate| match lang {
        Lang::En => d.format("%a %-d %b").to_string(),
        Lang::Ar => format!("{}/{}", d.day(), d.month()),
    };
    let to_midnight = to.hour() == 0 && to.minute() == 0;
    let last = if to_midnight {
        to.date_naive().pred_opt().unwrap_or(from.date_naive())
    } else {
        to.date_naive()
    };
    if last > from.date_naive() {
        return format!("{} – {}", day(from.date_naive()), day(last));
    }
    if to_midnight && from.hour() < 18 {
        return day(from.date_naive());
    }
    let end = if to_midnight {
        "24:00".to_owned()
    } else {
        to.format("%H:%M").to_string()
    };
    let comma = if lang == Lang::Ar { "،" } else { "," };
    format!(
        "{}{comma} {}–{end}",
        day(from.date_naive()),
        from.format("%H:%M")
    )
}
