//! Turns text into search terms: normalized, stop words dropped, stemmed, deduplicated and capped.

use super::normalize::normalize;
use super::stem::stem;

/// Most terms kept from one text; later ones are ignored.
const MAX_TERMS: usize = 64;
/// Longest term kept, in characters; longer ones are cut to this.
const MAX_TERM_CHARS: usize = 40;

/// English function words, negations and request filler ("I need someone to…"), which
/// would otherwise become required query groups. Not dropped on purpose: `it` (IT
/// support), `ac`, and every trade, object or symptom word.
const EN_STOP_WORDS: &[&str] = &[
    "a", "about", "am", "an", "and", "any", "are", "as", "at", "be", "but", "by", "can", "cant",
    "could", "do", "does", "doesnt", "dont", "find", "for", "from", "get", "had", "has", "have",
    "help", "here", "hire", "i", "if", "im", "in", "into", "is", "isnt", "just", "looking", "me",
    "my", "near", "need", "needed", "needs", "no", "not", "of", "on", "or", "our", "please", "pls",
    "plz", "so", "some", "somebody", "someone", "than", "that", "the", "their", "them", "then",
    "there", "these", "this", "those", "to", "us", "very", "want", "wanted", "wants", "was", "we",
    "were", "who", "will", "with", "wont", "would", "you", "your",
];

/// Arabic (MSA and Egyptian/Gulf colloquial) function words and request filler, in
/// normalized spelling: `على` is stored as `علي`, `إلى` as `الي`, `أريد` as `اريد`.
const AR_STOP_WORDS: &[&str] = &[
    "ابغي",
    "اريد",
    "ال",
    "التي",
    "الذي",
    "اللي",
    "الي",
    "ان",
    "انا",
    "انت",
    "او",
    "بدي",
    "حتي",
    "حد",
    "ذلك",
    "سمحت",
    "عاوز",
    "عايز",
    "عايزه",
    "علي",
    "عن",
    "عند",
    "فضلك",
    "في",
    "كل",
    "لا",
    "لم",
    "لن",
    "لو",
    "لي",
    "ليس",
    "ما",
    "محتاج",
    "محتاجه",
    "مش",
    "مع",
    "ممكن",
    "من",
    "نحن",
    "هذا",
    "هذه",
    "هو",
    "هي",
    "و",
    "يا",
];

/// The distinct search terms of `text`, in first-seen order.
///
/// `text` is [`normalize`]d and split on spaces; English and Arabic stop words and
/// one-character tokens are dropped; the rest are stemmed (light English and
/// Arabic stemmers), cut to 40 characters and deduplicated. At most 64 terms are
/// returned. Use it both for indexing and (through `query_groups`) for queries, so
/// both sides agree.
pub fn terms(text: &str) -> Vec<String> {
    let normalized = normalize(text);
    let mut out: Vec<String> = Vec::new();
    for token in normalized.split_whitespace() {
        if token.chars().nth(1).is_none() || is_stop_word(token) {
            continue;
        }
        let mut term = stem(token);
        if let Some((cut, _)) = term.char_indices().nth(MAX_TERM_CHARS) {
            term.truncate(cut);
        }
        if !out.contains(&term) {
            out.push(term);
            if out.len() == MAX_TERMS {
                break;
            }
        }
    }
    out
}

fn is_stop_word(token: &str) -> bool {
    EN_STOP_WORDS.contains(&token) || AR_STOP_WORDS.contains(&token)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn stop_words_are_in_normalized_spelling() {
        for word in EN_STOP_WORDS.iter().chain(AR_STOP_WORDS) {
            assert_eq!(normalize(word), *word);
        }
    }

    #[test]
    fn english_stop_words_are_dropped() {
        assert_eq!(
            terms("I need a plumber for my leaking pipes in the kitchen"),
            ["plumb", "leak", "pip", "kitchen"]
        );
        assert_eq!(terms("IT support"), ["it", "support"]);
        assert_eq!(
            terms("Fridge doesn't work, no power"),
            ["fridg", "work", "power"]
        );
        assert!(terms("the and of to with").is_empty());
    }

    #[test]
    fn arabic_stop_words_are_dropped() {
        assert_eq!(terms("محتاج سبّاك في القاهرة"), ["سباك", "قاهر"]);
        assert_eq!(terms("تصليح ثلاجة على السريع"), ["تصليح", "ثلاج", "سريع"]);
        assert!(terms("من في على إلى عن مع و يا").is_empty());
    }

    #[test]
    fn inflections_collapse_to_one_term() {
        assert_eq!(
            terms("Painting, painted walls; painter paints!"),
            ["paint", "wall"]
        );
        assert_eq!(terms("leaks leaking leak"), ["leak"]);
        assert_eq!(terms("repairs repairing repair"), ["repair"]);
        assert_eq!(terms("سباك السباك سباكة للسباكة"), ["سباك"]);
    }

    #[test]
    fn short_tokens_are_dropped_and_numbers_kept() {
        assert_eq!(terms("x 7 ac 24 ساعة ب"), ["ac", "24", "ساع"]);
    }

    #[test]
    fn terms_are_capped() {
        let text: String = (0..200).map(|i| format!("word{i} ")).collect();
        let got = terms(&text);
        assert_eq!(got.len(), MAX_TERMS);
        assert_eq!(got[0], "word0");
        assert_eq!(got[63], "word63");

        let long = "ب".repeat(100);
        let got = terms(&format!("{long} {}", "z".repeat(100)));
        assert_eq!(got.len(), 2);
        assert!(got.iter().all(|t| t.chars().count() == MAX_TERM_CHARS));
    }

    #[test]
    fn empty_input_has_no_terms() {
        assert!(terms("").is_empty());
        assert!(terms("   ?!  ").is_empty());
    }
}
