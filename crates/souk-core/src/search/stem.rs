//! Light stemmers for normalized tokens: Porter-style suffix stripping for English, affix stripping for Arabic.

/// `-er` words that are not agent nouns; stripping them would merge unrelated words
/// (`shower` with `show`, `corner` with `corn`).
const KEEP_ER: &[&str] = &[
    "after", "border", "center", "copper", "corner", "counter", "cover", "either", "ever",
    "filter", "flower", "gutter", "hammer", "ladder", "letter", "master", "matter", "meter",
    "never", "number", "order", "other", "over", "paper", "power", "rather", "rubber", "sewer",
    "shower", "summer", "timber", "together", "tower", "under", "water", "whether", "winter",
];

/// Arabic article and conjunction/preposition + article prefixes, longest first.
const AR_PREFIXES: [&str; 6] = ["وال", "بال", "كال", "فال", "لل", "ال"];
/// Arabic plural, dual-ish and pronoun suffixes (in normalized spelling: `ة` is already `ه`).
const AR_SUFFIXES: [&str; 5] = ["ات", "ون", "ين", "ها", "ه"];
/// Shortest Arabic stem left after removing an affix.
const AR_MIN_STEM: usize = 3;

/// Stems one normalized token: English if it is all `a-z`, Arabic if it is all
/// Arabic-block letters, otherwise (digits, mixed or other scripts) unchanged.
pub(super) fn stem(token: &str) -> String {
    if token.bytes().all(|b| b.is_ascii_lowercase()) {
        stem_english(token)
    } else if token
        .chars()
        .all(|c| ('\u{0600}'..='\u{06FF}').contains(&c))
    {
        stem_arabic(token)
    } else {
        token.to_owned()
    }
}

/// Light English stemmer. Steps, each at most once:
/// 1. plural: `-ies` → `-y`, `-sses` → `-ss`, `-s` (not `-ss`, `-us`, `-is`);
/// 2. one of `-ied` → `-y`, `-ing`, `-ed` (not `-eed`), `-er` (not `-eer`), `-ly`,
///    keeping a stem of ≥ 3 letters that has a vowel, then undoubling a final
///    consonant (`running` → `run`, but `install` keeps its `ll`);
/// 3. a final silent `e` (not `-ee`) so `pipe`/`piping` and `move`/`moving` meet.
///
/// So `plumb`, `plumber(s)` and `plumbing` all give `plumb`, and `paint`, `painted`,
/// `painting`, `painter` give `paint`.
fn stem_english(word: &str) -> String {
    let mut s = word.to_owned();

    if s.len() > 4 && s.ends_with("ies") {
        s.truncate(s.len() - 3);
        s.push('y');
    } else if s.ends_with("sses") {
        s.truncate(s.len() - 2);
    } else if s.len() >= 4
        && s.ends_with('s')
        && !(s.ends_with("ss") || s.ends_with("us") || s.ends_with("is"))
    {
        s.pop();
    }

    if let Some(stem) = strip_ending(&s) {
        s = stem;
    }

    if s.len() >= 4 && s.ends_with('e') && !s.ends_with("ee") {
        s.pop();
    }
    s
}

/// Step 2 of [`stem_english`]: the word without its verb/agent/adverb ending, if it has one.
fn strip_ending(s: &str) -> Option<String> {
    if s.len() > 4
        && let Some(stem) = s.strip_suffix("ied")
    {
        return Some(format!("{stem}y"));
    }
    if KEEP_ER.contains(&s) {
        return None;
    }
    for suffix in ["ing", "ed", "er"] {
        let Some(stem) = s.strip_suffix(suffix) else {
            continue;
        };
        let blocked = (suffix == "ed" || suffix == "er") && stem.ends_with('e');
        if !blocked && stem.len() >= 3 && has_vowel(stem) {
            return Some(undouble(stem).to_owned());
        }
        return None;
    }
    match s.strip_suffix("ly") {
        // Not `-ply` (supply, apply) nor `-ily` (family, easily).
        Some(stem) if stem.len() >= 4 && !stem.ends_with(['p', 'i']) => Some(stem.to_owned()),
        _ => None,
    }
}

fn has_vowel(s: &str) -> bool {
    s.bytes().any(|b| b"aeiouy".contains(&b))
}

/// Drops one of a doubled final consonant (`runn` → `run`), except `l`, `s`, `z`
/// and when that would leave fewer than 3 letters (`add`).
fn undouble(s: &str) -> &str {
    let b = s.as_bytes();
    match b {
        [.., x, y] if b.len() >= 4 && x == y && !b"aeiouylsz".contains(x) => &s[..s.len() - 1],
        _ => s,
    }
}

/// Light Arabic stemmer: drops one article prefix (`ال`, `وال`, `بال`, `كال`,
/// `فال`, `لل`, or failing those the conjunction `و`) and then one suffix (`ات`,
/// `ون`, `ين`, `ها`, `ه`), each only when at least three letters remain.
fn stem_arabic(word: &str) -> String {
    let long_enough = |rest: &str| rest.chars().count() >= AR_MIN_STEM;
    let mut s = AR_PREFIXES
        .iter()
        .find_map(|prefix| word.strip_prefix(prefix).filter(|rest| long_enough(rest)))
        // Else the conjunction و alone, as Light10 does ("وتصليح" → "تصليح").
        .or_else(|| word.strip_prefix('و').filter(|rest| long_enough(rest)))
        .unwrap_or(word);
    if let Some(rest) = AR_SUFFIXES
        .iter()
        .find_map(|suffix| s.strip_suffix(suffix).filter(|rest| long_enough(rest)))
    {
        s = rest;
    }
    s.to_owned()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn assert_same_stem(words: &[&str], expected: &str) {
        for word in words {
            assert_eq!(stem(word), expected, "stem({word})");
        }
    }

    #[test]
    fn english_inflections_share_a_stem() {
        assert_same_stem(&["plumb", "plumber", "plumbers", "plumbing"], "plumb");
        assert_same_stem(&["leak", "leaks", "leaking", "leaked"], "leak");
        assert_same_stem(&["repair", "repairs", "repairing", "repaired"], "repair");
        assert_same_stem(
            &["paint", "paints", "painted", "painting", "painter"],
            "paint",
        );
        assert_same_stem(&["pipe", "pipes", "piping"], "pip");
        assert_same_stem(&["tile", "tiles", "tiling", "tiled"], "til");
        assert_same_stem(&["move", "moving", "mover", "movers"], "mov");
        assert_same_stem(&["fix", "fixes", "fixing", "fixed", "fixer"], "fix");
        assert_same_stem(&["clean", "cleaner", "cleaning", "cleaners"], "clean");
        assert_same_stem(&["battery", "batteries"], "battery");
        assert_same_stem(&["run", "running", "runner"], "run");
        assert_same_stem(&["install", "installing", "installer"], "install");
        assert_same_stem(&["engineer", "engineers", "engineering"], "engineer");
        assert_same_stem(&["quick", "quickly"], "quick");
    }

    #[test]
    fn english_stemmer_leaves_short_and_special_words() {
        for word in [
            "ac", "tv", "gas", "bus", "glass", "ring", "string", "bring", "need", "speed", "free",
            "supply", "family", "status", "water", "shower",
        ] {
            assert_eq!(stem(word), word);
        }
        assert_eq!(stem("classes"), "class");
        assert_eq!(stem("waters"), "water");
        assert_eq!(stem("showering"), "shower");
        assert_eq!(stem("added"), "add");
    }

    #[test]
    fn arabic_affixes_are_removed() {
        assert_eq!(stem("السباك"), "سباك");
        assert_eq!(stem("سباكه"), "سباك");
        assert_eq!(stem("للسباكه"), "سباك");
        assert_eq!(stem("المهندسين"), "مهندس");
        assert_eq!(stem("دهانات"), "دهان");
        assert_eq!(stem("والنجارون"), "نجار");
        assert_eq!(stem("بالمكيفات"), "مكيف");
        assert_eq!(stem("سيارتها"), "سيارت");
        assert_eq!(stem("وتصليح"), "تصليح");
        assert_eq!(stem("وسباكين"), "سباك");
    }

    #[test]
    fn arabic_stems_keep_three_letters() {
        assert_eq!(stem("الحب"), "الحب");
        assert_eq!(stem("وجه"), "وجه");
        assert_eq!(stem("نقل"), "نقل");
        assert_eq!(stem("بنات"), "بنات");
        assert_eq!(stem("وقت"), "وقت");
    }

    #[test]
    fn other_tokens_are_unchanged() {
        assert_eq!(stem("24"), "24");
        assert_eq!(stem("mp3s"), "mp3s");
        assert_eq!(stem("ремонт"), "ремонт");
    }
}
