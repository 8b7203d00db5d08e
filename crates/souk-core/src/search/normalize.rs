//! Folds text to the form search compares: lower case, no accents or tashkeel, one spelling per Arabic letter.

/// What one (already lower-cased) character becomes.
enum Fold {
    /// Emit this character.
    Keep(char),
    /// Emit these two characters (`æ` → `ae`, `ß` → `ss`).
    Pair(char, char),
    /// Emit nothing and do not split the word (diacritics, tatweel, apostrophes).
    Drop,
    /// A word break (whitespace, punctuation, symbols).
    Gap,
}

/// Lower-cases `text` and folds it to the form the search index stores.
///
/// * Arabic: tashkeel and Quranic marks (U+0610–U+061A, U+064B–U+065F, U+0670,
///   U+06D6–U+06ED) and tatweel are removed; `أ إ آ ٱ` → `ا`, `ى ئ` → `ي`,
///   `ة` → `ه`, `ؤ` → `و` (and Persian `ی ک` → `ي ك`).
/// * Digits: Arabic-Indic `٠-٩` and extended `۰-۹` (and full-width) → `0-9`.
/// * Latin: accents of Latin-1 and Latin Extended-A are stripped (`é` → `e`,
///   `ß` → `ss`, `œ` → `oe`), as are combining marks of decomposed text.
/// * Apostrophes and invisible format characters are removed without splitting
///   the word (`plumber's` → `plumbers`); other punctuation and symbols become
///   spaces; runs of spaces collapse to one and the ends are trimmed.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut gap = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        match fold(c) {
            Fold::Keep(c) => emit(&mut out, &mut gap, c),
            Fold::Pair(a, b) => {
                emit(&mut out, &mut gap, a);
                emit(&mut out, &mut gap, b);
            }
            Fold::Drop => {}
            Fold::Gap => gap = true,
        }
    }
    out
}

/// Appends `c`, preceded by one space if a word break is pending and the output is not empty.
fn emit(out: &mut String, gap: &mut bool, c: char) {
    if *gap && !out.is_empty() {
        out.push(' ');
    }
    *gap = false;
    out.push(c);
}

fn fold(c: char) -> Fold {
    if c.is_ascii() {
        return match c {
            'a'..='z' | '0'..='9' => Fold::Keep(c),
            '\'' => Fold::Drop,
            _ => Fold::Gap,
        };
    }
    match c {
        // Tashkeel, Quranic annotation marks, superscript alef, tatweel.
        '\u{0610}'..='\u{061A}'
        | '\u{064B}'..='\u{065F}'
        | '\u{0670}'
        | '\u{06D6}'..='\u{06ED}'
        | '\u{0640}' => Fold::Drop,
        'أ' | 'إ' | 'آ' | 'ٱ' | '\u{0672}' | '\u{0673}' => Fold::Keep('ا'),
        'ى' | 'ئ' | 'ی' => Fold::Keep('ي'),
        'ة' => Fold::Keep('ه'),
        'ؤ' => Fold::Keep('و'),
        'ک' => Fold::Keep('ك'),
        '٠'..='٩' => digit(u32::from(c) - 0x0660),
        '۰'..='۹' => digit(u32::from(c) - 0x06F0),
        '０'..='９' => digit(u32::from(c) - 0xFF10),
        'ａ'..='ｚ' => char::from_u32(u32::from(c) - 0xFEE0).map_or(Fold::Gap, Fold::Keep),
        // Invisible format characters: soft hyphen, zero-width and bidi marks, BOM.
        '\u{00AD}'
        | '\u{061C}'
        | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{2064}'
        | '\u{2066}'..='\u{2069}'
        | '\u{FEFF}' => Fold::Drop,
        // Typographic apostrophes.
        '\u{2018}' | '\u{2019}' | '\u{02BC}' => Fold::Drop,
        // Combining marks left by decomposed (NFD) text.
        '\u{0300}'..='\u{036F}'
        | '\u{1AB0}'..='\u{1AFF}'
        | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}'
        | '\u{FE20}'..='\u{FE2F}' => Fold::Drop,
        _ => fold_latin(c).unwrap_or(if c.is_alphanumeric() {
            Fold::Keep(c)
        } else {
            Fold::Gap
        }),
    }
}

fn digit(value: u32) -> Fold {
    char::from_digit(value, 10).map_or(Fold::Gap, Fold::Keep)
}

/// The accent-free spelling of a lower-case Latin-1 / Latin Extended-A letter.
fn fold_latin(c: char) -> Option<Fold> {
    let base = match c {
        'à'..='å' | 'ā' | 'ă' | 'ą' => 'a',
        'ç' | 'ć' | 'ĉ' | 'ċ' | 'č' => 'c',
        'ð' | 'ď' | 'đ' => 'd',
        'è'..='ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => 'e',
        'ĝ' | 'ğ' | 'ġ' | 'ģ' => 'g',
        'ĥ' | 'ħ' => 'h',
        'ì'..='ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => 'i',
        'ĵ' => 'j',
        'ķ' | 'ĸ' => 'k',
        'ĺ' | 'ļ' | 'ľ' | 'ŀ' | 'ł' => 'l',
        'ñ' | 'ń' | 'ņ' | 'ň' | 'ŉ' | 'ŋ' => 'n',
        'ò'..='ö' | 'ø' | 'ō' | 'ŏ' | 'ő' | 'ơ' => 'o',
        'ŕ' | 'ŗ' | 'ř' => 'r',
        'ś' | 'ŝ' | 'ş' | 'š' | 'ș' | 'ſ' => 's',
        'ţ' | 'ť' | 'ŧ' | 'ț' => 't',
        'ù'..='ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' | 'ư' => 'u',
        'ŵ' => 'w',
        'ý' | 'ÿ' | 'ŷ' => 'y',
        'ź' | 'ż' | 'ž' => 'z',
        'æ' => return Some(Fold::Pair('a', 'e')),
        'ĳ' => return Some(Fold::Pair('i', 'j')),
        'œ' => return Some(Fold::Pair('o', 'e')),
        'ß' => return Some(Fold::Pair('s', 's')),
        'þ' => return Some(Fold::Pair('t', 'h')),
        _ => return None,
    };
    Some(Fold::Keep(base))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn arabic_spelling_variants_fold_together() {
        assert_eq!(normalize("سبّاك"), normalize("سباك"));
        assert_eq!(normalize("مدرسة"), normalize("مدرسه"));
        assert_eq!(normalize("إصلاح"), normalize("اصلاح"));
        assert_eq!(normalize("مُهَنْدِس"), normalize("مهندس"));
        assert_eq!(normalize("مُهَنْدِس"), "مهندس");
        assert_eq!(normalize("أحمد آمن ٱلله"), "احمد امن الله");
        assert_eq!(normalize("مستشفى"), "مستشفي");
        assert_eq!(normalize("مؤسسة"), "موسسه");
        assert_eq!(normalize("بيئة"), "بييه");
        assert_eq!(normalize("كهربـــائي"), "كهربايي");
        assert_eq!(normalize("كهربـــائي"), normalize("كهربائي"));
        assert_eq!(normalize("سَبّاكٌ"), "سباك");
    }

    #[test]
    fn digits_become_ascii() {
        assert_eq!(normalize("٠١٢٣٤٥٦٧٨٩"), "0123456789");
        assert_eq!(normalize("۰۱۲۳۴۵۶۷۸۹"), "0123456789");
        assert_eq!(normalize("شقة ٣ غرف"), "شقه 3 غرف");
        assert_eq!(normalize("１２ＡＢ"), "12ab");
    }

    #[test]
    fn latin_is_lowercased_and_unaccented() {
        assert_eq!(normalize("Café CRÈME Brûlée"), "cafe creme brulee");
        assert_eq!(normalize("Straße Œuvre Łódź"), "strasse oeuvre lodz");
        assert_eq!(normalize("İstanbul"), "istanbul");
        // Decomposed (NFD) input: e + U+0301.
        assert_eq!(normalize("cafe\u{301}"), "cafe");
    }

    #[test]
    fn every_latin_letter_up_to_extended_a_folds_to_ascii() {
        for code in 0x00C0..=0x017F_u32 {
            let c = char::from_u32(code).unwrap();
            let folded = normalize(&c.to_string());
            assert!(folded.is_ascii(), "{c} (U+{code:04X}) -> {folded}");
        }
    }

    #[test]
    fn punctuation_splits_and_whitespace_collapses() {
        assert_eq!(
            normalize("  Leaking\tpipe!!  (urgent)—call\n"),
            "leaking pipe urgent call"
        );
        assert_eq!(normalize("سباك، نجار؟ «دهان»"), "سباك نجار دهان");
        assert_eq!(normalize("plumber's van"), "plumbers van");
        assert_eq!(normalize("a/c & $50"), "a c 50");
        assert_eq!(normalize("ab\u{200C}cd\u{200F}"), "abcd");
        assert_eq!(normalize("!!! ..."), "");
        assert_eq!(normalize(""), "");
    }
}
