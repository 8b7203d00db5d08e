//! Why a craftsman is recommended, in words: the factors that carry most
//! of the score, each said with its figure, in English or Arabic.

use crate::{Lang, ai::recommend::Recommended, reviews::rating};

/// How many factors the sentence names.
const NAMED: usize = 3;

/// One sentence naming the strongest factors of `r` (at least one).
pub fn why(r: &Recommended, category: Option<&str>, lang: Lang) -> String {
    let mut factors: Vec<_> = r
        .scored
        .factors
        .iter()
        .filter(|f| f.contribution > 0.0)
        .collect();
    factors.sort_by(|a, b| b.contribution.total_cmp(&a.contribution));
    let c = &r.candidate;
    let parts: Vec<String> = factors
        .iter()
        .take(NAMED)
        .filter_map(|f| phrase(f.name, r, category, lang))
        .collect();
    if parts.is_empty() {
        return match lang {
            Lang::En => format!("{} is available near you", c.first_name),
            Lang::Ar => format!("{} متاح بالقرب منك", c.first_name),
        };
    }
    let joined = match lang {
        Lang::En => parts.join(", "),
        Lang::Ar => parts.join("، "),
    };
    let mut chars = joined.chars();
    match (lang, chars.next()) {
        (Lang::En, Some(first)) => first.to_uppercase().chain(chars).collect(),
        _ => joined,
    }
}

fn phrase(name: &str, r: &Recommended, category: Option<&str>, lang: Lang) -> Option<String> {
    let c = &r.candidate;
    Some(match (name, lang) {
        ("skill", Lang::En) => match category {
            Some(cat) if c.has_skill != 0 || c.offers != 0 => format!("does {cat}"),
            _ => "their profile matches your words".to_owned(),
        },
        ("skill", Lang::Ar) => match category {
            Some(cat) if c.has_skill != 0 || c.offers != 0 => format!("يقدّم خدمة {cat}"),
            _ => "ملفه يطابق طلبك".to_owned(),
        },
        ("distance", Lang::En) => format!("{:.1} km away", r.distance_km?),
        ("distance", Lang::Ar) => format!("على بُعد {:.1} كم", r.distance_km?),
        ("rating", _) if c.rating_count == 0 => return None,
        ("rating", Lang::En) => format!(
            "rated {:.1} from {} reviews",
            rating::average(c.rating_sum, c.rating_count)?,
            c.rating_count
        ),
        ("rating", Lang::Ar) => format!(
            "تقييمه {:.1} من {} مراجعة",
            rating::average(c.rating_sum, c.rating_count)?,
            c.rating_count
        ),
        ("completion", _) if c.completed_jobs == 0 => return None,
        ("completion", Lang::En) => format!("completed {} jobs", c.completed_jobs),
        ("completion", Lang::Ar) => format!("أنجز {} عملًا", c.completed_jobs),
        ("response", Lang::En) => {
            format!("usually answers within {} min", c.response_time_minutes?)
        }
        ("response", Lang::Ar) => format!("يرد عادةً خلال {} دقيقة", c.response_time_minutes?),
        ("availability", Lang::En) => "has free time when you want it".to_owned(),
        ("availability", Lang::Ar) => "لديه وقت متاح في الموعد المطلوب".to_owned(),
        ("activity", Lang::En) => "active recently".to_owned(),
        ("activity", Lang::Ar) => "نشط مؤخرًا".to_owned(),
        ("verification", Lang::En) => "identity verified".to_owned(),
        ("verification", Lang::Ar) => "هويته موثّقة".to_owned(),
        _ => return None,
    })
}
