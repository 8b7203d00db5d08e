//! Splits a message into normalized word and number tokens, and spells out
//! the forms a word may take once its Arabic clitics or English endings are
//! taken off.

use crate::search::normalize;

/// Most tokens read from one message; the rest is ignored (bounds the work).
const MAX_TOKENS: usize = 600;

/// The writing system of a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Script {
    Latin,
    Arabic,
    Digits,
    Other,
}

/// A number as written: `300`, `1.5`, `17:00`, `1,500` (thousands folded in).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Number {
    /// The digits before any `.`/`:` separator (saturating).
    pub whole: u64,
    /// The digits after a `.` or `:` separator, as written.
    pub fraction: Option<String>,
    /// The separator was `:` (a clock time).
    pub colon: bool,
}

/// One token: a normalized word (one script) or a number.
#[derive(Debug, Clone)]
pub(super) struct Token {
    /// Normalized text; for a number its canonical ASCII spelling (`17:00`).
    pub text: String,
    pub script: Script,
    pub number: Option<Number>,
}

/// The value of a decimal digit in any script the app sees.
fn digit_of(c: char) -> Option<u32> {
    match c {
        '0'..='9' => c.to_digit(10),
        '٠'..='٩' => Some(u32::from(c) - 0x0660),
        '۰'..='۹' => Some(u32::from(c) - 0x06F0),
        '０'..='９' => Some(u32::from(c) - 0xFF10),
        _ => None,
    }
}

fn ascii_digit(c: char) -> Option<char> {
    digit_of(c).and_then(|d| char::from_digit(d, 10))
}

/// Whether `c` is a letter of the Arabic script (any of its blocks).
pub(super) fn is_arabic(c: char) -> bool {
    matches!(c,
        '\u{0600}'..='\u{06FF}'
        | '\u{0750}'..='\u{077F}'
        | '\u{08A0}'..='\u{08FF}'
        | '\u{FB50}'..='\u{FDFF}'
        | '\u{FE70}'..='\u{FEFF}')
}

/// The tokens of `raw`, at most [`MAX_TOKENS`].
///
/// Digits (Arabic-Indic too) become number tokens, split from the letters
/// around them (`5pm` → `5` `pm`, `ب300` → `ب` `300`), except one or two
/// digits inside a Latin word, which is Franco-Arabic (`delwa2ty`). `$ € £`
/// become the words `usd eur gbp`. Everything else is [`normalize`]d and split
/// on spaces and where the script changes (`fridgeتصليح`).
pub(super) fn tokenize(raw: &str) -> Vec<Token> {
    let chars: Vec<char> = raw.chars().collect();
    let mut tokens = Vec::new();
    let mut text = String::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if tokens.len() >= MAX_TOKENS {
            break;
        }
        if digit_of(c).is_some() {
            let end = (i..)
                .find(|&j| chars.get(j).is_none_or(|&c| digit_of(c).is_none()))
                .unwrap_or(chars.len());
            let letter_before = i
                .checked_sub(1)
                .and_then(|p| chars.get(p))
                .is_some_and(char::is_ascii_alphabetic);
            let letter_after = chars.get(end).is_some_and(char::is_ascii_alphabetic);
            if letter_before && letter_after && end - i <= 2 {
                text.extend(
                    chars
                        .get(i..end)
                        .unwrap_or_default()
                        .iter()
                        .filter_map(|&c| ascii_digit(c)),
                );
                i = end;
                continue;
            }
            flush(&mut text, &mut tokens);
            i = number(&chars, i, &mut tokens);
            continue;
        }
        let symbol = match c {
            '$' => Some("usd"),
            '€' => Some("eur"),
            '£' => Some("gbp"),
            _ => None,
        };
        if let Some(word) = symbol {
            flush(&mut text, &mut tokens);
            tokens.push(Token {
                text: word.to_owned(),
                script: Script::Latin,
                number: None,
            });
        } else {
            text.push(c);
        }
        i += 1;
    }
    flush(&mut text, &mut tokens);
    tokens.truncate(MAX_TOKENS);
    tokens
}

/// Reads the number starting at `start`; returns the index after it.
fn number(chars: &[char], start: usize, tokens: &mut Vec<Token>) -> usize {
    let mut whole: u64 = 0;
    let mut i = start;
    let mut fraction = None;
    let mut colon = false;
    loop {
        while let Some(d) = chars.get(i).and_then(|&c| digit_of(c)) {
            whole = whole.saturating_mul(10).saturating_add(u64::from(d));
            i += 1;
        }
        let sep = chars.get(i).copied();
        let digits_after = (i + 1..)
            .find(|&j| chars.get(j).is_none_or(|&c| digit_of(c).is_none()))
            .unwrap_or(i)
            .saturating_sub(i + 1);
        if digits_after == 0 {
            break;
        }
        match sep {
            // A thousands separator: exactly three digits follow.
            Some(',' | '٬') if digits_after == 3 => {
                i += 1;
            }
            Some('.' | '٫' | ':') => {
                colon = sep == Some(':');
                let text: String = chars
                    .get(i + 1..i + 1 + digits_after)
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|&c| ascii_digit(c))
                    .collect();
                fraction = Some(text);
                i += 1 + digits_after;
                break;
            }
            _ => break,
        }
    }
    let text = match &fraction {
        Some(f) if colon => format!("{whole}:{f}"),
        Some(f) => format!("{whole}.{f}"),
        None => whole.to_string(),
    };
    tokens.push(Token {
        text,
        script: Script::Digits,
        number: Some(Number {
            whole,
            fraction,
            colon,
        }),
    });
    i
}

/// Normalizes the pending text and appends its words.
fn flush(text: &mut String, tokens: &mut Vec<Token>) {
    if text.is_empty() {
        return;
    }
    for piece in normalize(text).split(' ') {
        let mut word = String::new();
        let mut script = Script::Other;
        for c in piece.chars() {
            let here = if is_arabic(c) {
                Script::Arabic
            } else if c.is_ascii_alphanumeric() {
                Script::Latin
            } else {
                Script::Other
            };
            if here != script && !word.is_empty() {
                push_word(tokens, std::mem::take(&mut word), script);
            }
            script = here;
            word.push(c);
        }
        push_word(tokens, word, script);
    }
    text.clear();
}

fn push_word(tokens: &mut Vec<Token>, text: String, script: Script) {
    if !text.is_empty() {
        tokens.push(Token {
            text,
            script,
            number: None,
        });
    }
}

fn chars_len(s: &str) -> usize {
    s.chars().count()
}

fn push_unique(out: &mut Vec<String>, form: String) {
    if !form.is_empty() && !out.contains(&form) {
        out.push(form);
    }
}

/// The spellings `token` may be looked up under, best first, each with a
/// penalty: itself and its forms without clitics (Arabic `و ف ب ل ك ع لل`
/// and the article `ال`) cost nothing; forms without an ending (Arabic
/// possessive and plural; English plural, `-ing`, `-ed`) cost one, so a
/// word that is itself in the vocabulary wins over a shorter one inside it.
pub(super) fn forms(token: &Token) -> Vec<(String, usize)> {
    let (all, primary) = match token.script {
        Script::Arabic => arabic_forms(&token.text),
        Script::Latin => english_forms(&token.text),
        Script::Digits | Script::Other => (vec![token.text.clone()], 1),
    };
    all.into_iter()
        .enumerate()
        .map(|(at, form)| (form, usize::from(at >= primary)))
        .collect()
}

/// `word` and the word without the Arabic article (the forms a stop word is checked under).
pub(super) fn bare_forms(token: &Token) -> Vec<String> {
    let mut out = vec![token.text.clone()];
    if token.script == Script::Arabic
        && let Some(rest) = token.text.strip_prefix("ال")
        && chars_len(rest) >= 2
    {
        out.push(rest.to_owned());
    }
    out
}

/// The forms of an Arabic word and how many of them (first) keep its ending.
fn arabic_forms(word: &str) -> (Vec<String>, usize) {
    let mut bases: Vec<String> = vec![word.to_owned()];
    for conj in ["و", "ف"] {
        if let Some(rest) = word.strip_prefix(conj)
            && chars_len(rest) >= 3
        {
            push_unique(&mut bases, rest.to_owned());
        }
    }
    for base in bases.clone() {
        if let Some(rest) = base.strip_prefix("لل")
            && chars_len(rest) >= 2
        {
            push_unique(&mut bases, format!("ال{rest}"));
        }
        for prep in ["ب", "ل", "ك", "ع"] {
            if let Some(rest) = base.strip_prefix(prep)
                && chars_len(rest) >= 3
            {
                push_unique(&mut bases, rest.to_owned());
            }
        }
    }
    let mut out = Vec::new();
    for base in &bases {
        push_unique(&mut out, base.clone());
        if let Some(rest) = base.strip_prefix("ال")
            && chars_len(rest) >= 2
        {
            push_unique(&mut out, rest.to_owned());
        }
    }
    let primary = out.len();
    for form in out.clone() {
        for ending in ["تي", "تك", "ته", "تها", "تنا", "تهم"] {
            if let Some(stem) = form.strip_suffix(ending)
                && chars_len(stem) >= 2
            {
                push_unique(&mut out, format!("{stem}ه"));
            }
        }
        if let Some(stem) = form.strip_suffix("ات")
            && chars_len(stem) >= 3
        {
            push_unique(&mut out, format!("{stem}ه"));
            push_unique(&mut out, stem.to_owned());
        }
        for ending in ["ين", "ي", "ها", "نا", "و"] {
            if let Some(stem) = form.strip_suffix(ending)
                && chars_len(stem) >= 3
                && chars_len(&form) >= 5
            {
                push_unique(&mut out, stem.to_owned());
            }
        }
    }
    (out, primary)
}

/// The forms of an English word; only the first is the word itself.
fn english_forms(word: &str) -> (Vec<String>, usize) {
    let mut out = vec![word.to_owned()];
    let n = word.len();
    if n >= 5
        && let Some(stem) = word.strip_suffix("ies")
    {
        push_unique(&mut out, format!("{stem}y"));
    }
    if n >= 5
        && let Some(stem) = word.strip_suffix("es")
    {
        push_unique(&mut out, stem.to_owned());
    }
    if n >= 3
        && !word.ends_with("ss")
        && let Some(stem) = word.strip_suffix('s')
    {
        push_unique(&mut out, stem.to_owned());
    }
    for ending in ["ing", "ed"] {
        if n >= ending.len() + 3
            && let Some(stem) = word.strip_suffix(ending)
        {
            push_unique(&mut out, stem.to_owned());
            push_unique(&mut out, format!("{stem}e"));
            let mut chars = stem.chars().rev();
            if let (Some(a), Some(b)) = (chars.next(), chars.next())
                && a == b
            {
                push_unique(&mut out, stem.chars().take(stem.len() - 1).collect());
            }
        }
    }
    (out, 1)
}

/// Whether the message is mostly Arabic: more Arabic letters than Latin ones.
pub(super) fn mostly_arabic(tokens: &[Token]) -> bool {
    let (mut arabic, mut latin) = (0usize, 0usize);
    for token in tokens {
        for c in token.text.chars() {
            if is_arabic(c) {
                arabic += 1;
            } else if c.is_ascii_alphabetic() {
                latin += 1;
            }
        }
    }
    arabic > latin
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn texts(raw: &str) -> Vec<String> {
        tokenize(raw).into_iter().map(|t| t.text).collect()
    }

    #[test]
    fn numbers_split_from_letters_and_keep_separators() {
        assert_eq!(texts("5pm"), ["5", "pm"]);
        assert_eq!(texts("1.5k EGP"), ["1.5", "k", "egp"]);
        assert_eq!(texts("at 17:00"), ["at", "17:00"]);
        assert_eq!(texts("بـ٣٠٠ج"), ["ب", "300", "ج"]);
        assert_eq!(texts("$50"), ["usd", "50"]);
        assert_eq!(texts("1,500 pounds"), ["1500", "pounds"]);
        assert_eq!(texts("٥٫٥"), ["5.5"]);
        assert_eq!(texts("delwa2ty"), ["delwa2ty"]);
        assert_eq!(texts("fridgeتصليح"), ["fridge", "تصليح"]);
        assert_eq!(texts("6th of October"), ["6", "th", "of", "october"]);
    }

    #[test]
    fn arabic_forms_drop_clitics_and_article() {
        let forms = arabic_forms("بالتكييف").0;
        assert!(forms.contains(&"التكييف".to_owned()));
        assert!(forms.contains(&"تكييف".to_owned()));
        assert!(arabic_forms("للمعادي").0.contains(&"المعادي".to_owned()));
        assert!(arabic_forms("عالاشرفيه").0.contains(&"الاشرفيه".to_owned()));
        assert!(arabic_forms("تلاجتي").0.contains(&"تلاجه".to_owned()));
        assert!(arabic_forms("وبالمعادي").0.contains(&"المعادي".to_owned()));
    }

    #[test]
    fn english_forms_drop_endings() {
        assert!(english_forms("leaking").0.contains(&"leak".to_owned()));
        assert!(english_forms("pipes").0.contains(&"pipe".to_owned()));
        assert!(english_forms("batteries").0.contains(&"battery".to_owned()));
        assert!(english_forms("clogged").0.contains(&"clog".to_owned()));
    }
}
