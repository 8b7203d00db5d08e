//! Review sentiment from a built-in English/Arabic lexicon: deterministic, offline, negation-aware.
//!
//! The text is split into words at non-alphanumeric characters (apostrophes, Arabic
//! diacritics and tatweel join instead of splitting, so "don't" → `dont`); English is
//! lower-cased and Arabic folded to one spelling (`أ إ آ ٱ` → `ا`, `ة` → `ه`, `ى ئ` → `ي`,
//! `ؤ` → `و`). A word found in the lexicon (as written, else without a `و`/`ال`/`بال`/`وال`
//! prefix or a `ه`/`ين`/`ون`/`وا`/`ات` suffix, else with stretched letters squeezed) adds its
//! weight in −1..1, multiplied by −0.8 if a negator (`not`, `didn't`, `مش`, `لا`, …) stands
//! up to three words before it in the same clause or it carries the Egyptian `ما…ش`
//! circumfix (`ماعجبنيش`, `ما انصحش`), and by the factor of an intensifier or diminisher:
//! English ones (`very`, `slightly`) act on the next word, Arabic ones (`جدا`, `اوي`, `شويه`)
//! on the word they follow. The sum `s` is normalised VADER-style
//! (VADER's α with its −4..4 weights, so ours count four-fold: `4s / √(16s² + 15)`),
//! clamped to [−1, 1] and rounded to two decimals; ≥ 0.05 is positive, ≤ −0.05 negative.

/// A review's sentiment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sentiment {
    /// −1 (very negative) … 1 (very positive), rounded to two decimals.
    pub score: f64,
    pub label: Label,
}

/// The class of a [`Sentiment`] score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    Positive,
    Neutral,
    Negative,
}

impl Label {
    /// "positive" | "neutral" | "negative"
    pub fn as_str(self) -> &'static str {
        match self {
            Label::Positive => "positive",
            Label::Neutral => "neutral",
            Label::Negative => "negative",
        }
    }

    /// inverse of as_str
    pub fn parse(s: &str) -> Option<Label> {
        match s {
            "positive" => Some(Label::Positive),
            "neutral" => Some(Label::Neutral),
            "negative" => Some(Label::Negative),
            _ => None,
        }
    }
}

/// Scores a text (any mix of English and Arabic). Empty or lexicon-free text is neutral with score 0.
pub fn analyze(text: &str) -> Sentiment {
    let sum: f64 = word_scores(&tokenize(text)).iter().sum();
    let scaled = sum * VADER_SCALE;
    let normalized = (scaled / (scaled * scaled + ALPHA).sqrt()).clamp(-1.0, 1.0);
    let rounded = (normalized * 100.0).round() / 100.0;
    // `round` keeps the sign of a tiny negative; report it as a plain 0.
    let score = if rounded == 0.0 { 0.0 } else { rounded };
    let label = if score >= THRESHOLD {
        Label::Positive
    } else if score <= -THRESHOLD {
        Label::Negative
    } else {
        Label::Neutral
    };
    Sentiment { score, label }
}

/// VADER's normalisation constant: a lone weight-1 word scores 1/√16 = 0.25.
const ALPHA: f64 = 15.0;
/// Our weights are −1..1 where VADER's (for which α was tuned) are −4..4.
const VADER_SCALE: f64 = 4.0;
/// Scores at least this far from zero are positive or negative.
const THRESHOLD: f64 = 0.05;
/// What negation multiplies a word's weight by (a flip that also weakens: "not bad" ≠ "good").
const NEGATION: f64 = -0.8;
/// How many tokens after a negator are negated.
const NEGATION_WINDOW: usize = 3;
/// How many tokens ahead a preceding intensifier ("very") reaches.
const BOOST_WINDOW: usize = 2;
/// How many tokens back a following intensifier ("جدا") reaches.
const FOLLOW_REACH: usize = 2;

/// English words (lower case) and their weights. (The tables are kept dense: `rustfmt::skip`.)
#[rustfmt::skip]
const ENGLISH: &[(&str, f64)] = &[
    ("excellent", 1.0), ("outstanding", 1.0), ("exceptional", 1.0), ("perfect", 1.0), ("flawless", 0.9),
    ("amazing", 0.9), ("awesome", 0.9), ("fantastic", 0.9), ("superb", 0.9), ("wonderful", 0.9),
    ("brilliant", 0.9), ("best", 0.9), ("stellar", 0.9), ("terrific", 0.9), ("fabulous", 0.9),
    ("incredible", 0.9), ("masterpiece", 0.9), ("great", 0.8), ("impressive", 0.8), ("love", 0.8),
    ("loved", 0.8), ("delicious", 0.8), ("spotless", 0.8), ("lovely", 0.7), ("beautiful", 0.7),
    ("recommend", 0.7), ("recommended", 0.7), ("professional", 0.7), ("reliable", 0.7),
    ("trustworthy", 0.7), ("dependable", 0.7), ("gem", 0.7), ("exceeded", 0.7), ("good", 0.6),
    ("professionally", 0.6), ("satisfied", 0.6), ("happy", 0.6), ("pleased", 0.6), ("enjoyed", 0.6),
    ("honest", 0.6), ("friendly", 0.6), ("polite", 0.6), ("courteous", 0.6), ("respectful", 0.6),
    ("helpful", 0.6), ("efficient", 0.6), ("skilled", 0.6), ("knowledgeable", 0.6), ("thorough", 0.6),
    ("punctual", 0.6), ("trusted", 0.6), ("pleasant", 0.6), ("satisfying", 0.6), ("attentive", 0.6),
    ("favorite", 0.6), ("nice", 0.5), ("glad", 0.5), ("clean", 0.5), ("tidy", 0.5), ("neat", 0.5),
    ("fast", 0.5), ("quick", 0.5), ("prompt", 0.5), ("responsive", 0.5), ("patient", 0.5),
    ("careful", 0.5), ("experienced", 0.5), ("smooth", 0.5), ("appreciate", 0.5), ("appreciated", 0.5),
    ("legit", 0.5), ("wow", 0.5), ("comfortable", 0.5), ("organized", 0.5), ("accurate", 0.5),
    ("precise", 0.5), ("welcoming", 0.5), ("liked", 0.5), ("bargain", 0.5), ("quickly", 0.4),
    ("fixed", 0.4), ("worth", 0.4), ("affordable", 0.4), ("reasonable", 0.4), ("quality", 0.4),
    ("easy", 0.4), ("better", 0.4), ("solid", 0.4), ("thanks", 0.4), ("thank", 0.4), ("helped", 0.4),
    ("convenient", 0.4), ("fresh", 0.4), ("safe", 0.4), ("gentle", 0.4), ("decent", 0.3), ("fair", 0.3),
    ("value", 0.3), ("fine", 0.2), ("ok", 0.04), ("okay", 0.04), ("cheap", 0.1),
    ("terrible", -1.0), ("horrible", -1.0), ("worst", -1.0), ("scam", -1.0), ("scammer", -1.0),
    ("scammed", -1.0), ("fraud", -1.0), ("awful", -0.9), ("disgusting", -0.9), ("cheat", -0.9),
    ("cheated", -0.9), ("cheater", -0.9), ("liar", -0.9), ("nightmare", -0.9), ("stole", -0.9),
    ("rude", -0.8), ("unprofessional", -0.8), ("incompetent", -0.8), ("useless", -0.8),
    ("ruined", -0.8), ("overcharged", -0.8), ("dishonest", -0.8), ("lied", -0.8), ("hate", -0.8),
    ("hated", -0.8), ("pathetic", -0.8), ("rubbish", -0.8), ("garbage", -0.8), ("filthy", -0.8),
    ("fake", -0.8), ("disappointing", -0.7), ("disappointed", -0.7), ("disappointment", -0.7),
    ("unreliable", -0.7), ("impolite", -0.7), ("damaged", -0.7), ("waste", -0.7), ("wasted", -0.7),
    ("avoid", -0.7), ("regret", -0.7), ("worse", -0.7), ("negligent", -0.7), ("bad", -0.6),
    ("poor", -0.6), ("poorly", -0.6), ("dirty", -0.6), ("broken", -0.6), ("overpriced", -0.6),
    ("lazy", -0.6), ("careless", -0.6), ("sloppy", -0.6), ("unhappy", -0.6), ("angry", -0.6),
    ("arrogant", -0.6), ("unresponsive", -0.6), ("damage", -0.6), ("frustrating", -0.6),
    ("frustrated", -0.6), ("failed", -0.6), ("fail", -0.6), ("late", -0.5), ("delayed", -0.5),
    ("messy", -0.5), ("mess", -0.5), ("annoying", -0.5), ("ignored", -0.5), ("broke", -0.5),
    ("unfinished", -0.5), ("smelly", -0.5), ("leaking", -0.4), ("leak", -0.4), ("delay", -0.4),
    ("slow", -0.4), ("expensive", -0.4), ("problem", -0.4), ("problems", -0.4), ("complaint", -0.4),
    ("cancelled", -0.4), ("canceled", -0.4), ("wrong", -0.4), ("mistake", -0.4), ("issue", -0.3),
    ("issues", -0.3), ("mediocre", -0.3), ("noisy", -0.3), ("meh", -0.2),
];

/// Arabic words (MSA, Egyptian, Levantine, a little Gulf), in normalised spelling.
#[rustfmt::skip]
const ARABIC: &[(&str, f64)] = &[
    ("ممتاز", 1.0), ("تحفه", 0.9), ("رايع", 0.9), ("روعه", 0.9), ("مذهل", 0.9), ("هايل", 0.8),
    ("عظيم", 0.8), ("مدهش", 0.8), ("ابداع", 0.8), ("مبدع", 0.8), ("خرافي", 0.8), ("جامد", 0.7),
    ("جميل", 0.7), ("محترم", 0.7), ("محترف", 0.7), ("احترافي", 0.7), ("امين", 0.7), ("امانه", 0.7),
    ("متميز", 0.7), ("انصح", 0.7), ("بنصح", 0.7), ("ننصح", 0.7), ("انصحكم", 0.7), ("انصحك", 0.7),
    ("عالوقت", 0.6), ("رهيب", 0.6), ("كويس", 0.6), ("حلو", 0.6), ("جيد", 0.6), ("منيح", 0.6),
    ("مليح", 0.6), ("زين", 0.6), ("مميز", 0.6), ("ممتع", 0.6), ("صادق", 0.6), ("مخلص", 0.6),
    ("ملتزم", 0.6), ("منضبط", 0.6), ("متعاون", 0.6), ("خدوم", 0.6), ("شاطر", 0.6), ("متقن", 0.6),
    ("اتقان", 0.6), ("مضمون", 0.6), ("موثوق", 0.6), ("مهذب", 0.6), ("جدع", 0.6), ("فنان", 0.6),
    ("عجبني", 0.6), ("عجبنا", 0.6), ("عجبتني", 0.6), ("اعجبني", 0.6), ("حبيت", 0.6), ("مبسوط", 0.6),
    ("سعيد", 0.6), ("فخم", 0.6), ("خبير", 0.5), ("ذوق", 0.5), ("لطيف", 0.5), ("مريح", 0.5),
    ("مرتاح", 0.5), ("تمام", 0.5), ("نضيف", 0.5), ("نظيف", 0.5), ("مرتب", 0.5), ("سريع", 0.5),
    ("دقيق", 0.5), ("ناجح", 0.5), ("شيك", 0.5), ("صبور", 0.5), ("كريم", 0.5), ("راضي", 0.5),
    ("ثقه", 0.5), ("يستاهل", 0.5), ("مشكور", 0.5), ("تسلم", 0.5), ("يسلمو", 0.5), ("احسن", 0.5),
    ("افضل", 0.5), ("منعش", 0.5), ("مظبوط", 0.5), ("يباركلك", 0.5), ("فرحان", 0.5), ("ممتن", 0.5),
    ("بسرعه", 0.4), ("مناسب", 0.4), ("يستحق", 0.4), ("شكرا", 0.4), ("متشكر", 0.4), ("عافيه", 0.4),
    ("سلس", 0.4), ("اتصلح", 0.4), ("صلح", 0.4), ("يوفقك", 0.4), ("نظافه", 0.4), ("سهل", 0.3),
    ("معقول", 0.2), ("مقبول", 0.1), ("ماشي", 0.1), ("رخيص", 0.1),
    ("زفت", -1.0), ("نصاب", -1.0), ("نصب", -1.0), ("اتنصب", -1.0), ("حرامي", -1.0),
    ("احتيال", -1.0), ("محتال", -1.0), ("اسوا", -1.0), ("غش", -0.9), ("غشاش", -0.9),
    ("سرقني", -0.9), ("كارثه", -0.9), ("مخادع", -0.9), ("سرقه", -0.8), ("سيء", -0.8), ("سيي", -0.8),
    ("رديء", -0.8), ("فاشل", -0.8), ("معفن", -0.8), ("مقرف", -0.8), ("وقح", -0.8), ("كذاب", -0.8),
    ("كداب", -0.8), ("اوحش", -0.8), ("مزيف", -0.8), ("خداع", -0.8), ("استغلال", -0.8),
    ("استغلالي", -0.8), ("قذر", -0.7), ("وحش", -0.7), ("كذب", -0.7), ("كدب", -0.7), ("فشل", -0.7),
    ("مخيب", -0.7), ("خيبه", -0.7), ("ندمت", -0.7), ("مصيبه", -0.7), ("قرف", -0.7), ("ظالم", -0.7),
    ("وسخ", -0.6), ("متسخ", -0.6), ("بطال", -0.6), ("مهمل", -0.6), ("اهمال", -0.6), ("خربان", -0.6),
    ("بايظ", -0.6), ("بايز", -0.6), ("عطلان", -0.6), ("مكسور", -0.6), ("تالف", -0.6), ("بوظ", -0.6),
    ("خرب", -0.6), ("مستاء", -0.6), ("ندمان", -0.6), ("خساره", -0.6), ("مضيعه", -0.6), ("محبط", -0.6),
    ("مستفز", -0.6), ("مضروب", -0.6), ("مماطله", -0.6), ("تجنب", -0.6), ("بهدله", -0.6), ("غبي", -0.6),
    ("متاخر", -0.5), ("اتاخر", -0.5), ("تاخير", -0.5), ("تاخر", -0.5), ("غالي", -0.5), ("ضعيف", -0.5),
    ("باظ", -0.5), ("كسر", -0.5), ("متكبر", -0.5), ("مغرور", -0.5), ("زعلان", -0.5), ("زعلت", -0.5),
    ("مضايق", -0.5), ("اتضايقت", -0.5), ("مزعج", -0.5), ("حرام", -0.5), ("بطيء", -0.4), ("بطي", -0.4),
    ("بطء", -0.4), ("مكلف", -0.4), ("مشكله", -0.4), ("مشاكل", -0.4), ("غلط", -0.4), ("خطا", -0.4),
    ("عصبي", -0.4), ("مبالغ", -0.4), ("لخبطه", -0.4), ("متعب", -0.4), ("تعبان", -0.3),
];

/// Two-word expressions, matched before their words are read one by one.
#[rustfmt::skip]
const PHRASES: &[(&str, f64)] = &[
    ("on time", 0.6), ("top notch", 0.9), ("well done", 0.7), ("five stars", 0.8), ("5 stars", 0.8),
    ("one star", -0.6), ("1 star", -0.6), ("no show", -0.8), ("rip off", -0.9), ("ripped off", -0.9),
    ("never again", -0.7), ("so so", -0.1), ("في الميعاد", 0.6), ("في ميعاده", 0.6),
    ("في المعاد", 0.6), ("في معاده", 0.6), ("في الموعد", 0.6), ("في موعده", 0.6), ("في وقته", 0.6),
    ("الوقت المحدد", 0.6), ("علي الوقت", 0.6), ("زي الفل", 0.8), ("لا باس", 0.2), ("الف شكر", 0.6),
    ("تسلم ايدك", 0.7), ("حسبي الله", -0.8), ("قليل الادب", -0.8), ("قله ادب", -0.8),
];

/// Words that negate the next few words.
#[rustfmt::skip]
const NEGATORS: &[&str] = &[
    "not", "no", "never", "without", "hardly", "barely", "nor", "neither", "nothing", "cannot",
    "dont", "doesnt", "didnt", "isnt", "wasnt", "arent", "werent", "wont", "cant", "couldnt",
    "wouldnt", "shouldnt", "hasnt", "havent", "hadnt", "aint", "لا", "ما", "مش", "موش", "مو", "مب",
    "ليس", "لست", "ليست", "مفيش", "مافيش", "ماكان", "لم", "لن", "غير", "بدون", "بلا", "ابدا", "مكنش",
    "مكانش", "مكانتش", "ماكنش", "مكنتش", "مجاش", "معملش", "محدش", "مهوش", "مهيش",
];

/// Intensifiers (factor > 1) and diminishers (< 1); `true` when the word follows what it modifies.
#[rustfmt::skip]
const BOOSTERS: &[(&str, f64, bool)] = &[
    ("very", 1.3, false), ("really", 1.3, false), ("extremely", 1.5, false), ("super", 1.3, false),
    ("so", 1.2, false), ("totally", 1.3, false), ("highly", 1.4, false), ("absolutely", 1.4, false),
    ("incredibly", 1.5, false), ("truly", 1.3, false), ("completely", 1.3, false), ("too", 1.2, false),
    ("most", 1.2, false), ("quite", 1.1, false), ("pretty", 1.1, false), ("definitely", 1.2, false),
    ("slightly", 0.6, false), ("somewhat", 0.7, false), ("bit", 0.7, false), ("little", 0.8, false),
    ("kinda", 0.7, false), ("fairly", 0.8, false), ("جدا", 1.3, true), ("كتير", 1.2, true),
    ("كثير", 1.2, true), ("كثيرا", 1.2, true), ("قوي", 1.3, true), ("اوي", 1.3, true),
    ("خالص", 1.3, true), ("للغايه", 1.4, true), ("تماما", 1.3, true), ("بجد", 1.2, true),
    ("بزاف", 1.3, true), ("شويه", 0.7, true), ("شوي", 0.7, true), ("نوعا", 0.7, true),
];

/// Words that end a clause, and with it any pending negation or intensifier.
const BREAK_WORDS: &[&str] = &["but", "however", "although", "though", "لكن", "بس", "انما"];
/// Punctuation that ends a clause.
const CLAUSE_BREAKS: &[char] = &['.', ',', ';', ':', '!', '?', '،', '؛', '؟', '\n', '…', '|'];
/// Emoji with a sentiment of their own.
#[rustfmt::skip]
const EMOJI: &[(char, f64)] = &[
    ('👍', 0.6), ('😊', 0.5), ('❤', 0.7), ('♥', 0.6), ('⭐', 0.5), ('🌟', 0.5), ('😍', 0.8),
    ('👌', 0.5), ('🙏', 0.4), ('💯', 0.6), ('🥰', 0.7), ('😀', 0.5), ('😁', 0.5), ('👏', 0.6),
    ('👎', -0.6), ('😡', -0.8), ('😠', -0.7), ('🤬', -0.9), ('😞', -0.5), ('😢', -0.4), ('😤', -0.5),
    ('💩', -0.7),
];
/// Leading particles tried off a word that is not in the lexicon as written.
const PREFIXES: &[&str] = &["وال", "بال", "فال", "كال", "لل", "ال", "و"];
/// Feminine, plural and verb endings tried off a word that is not in the lexicon as written.
const SUFFIXES: &[&str] = &["ه", "ين", "ون", "وا", "ات"];

enum Token {
    Word(String),
    Emoji(f64),
    Break,
}

/// What a token does to the score.
enum Kind {
    /// A lexicon word with its weight.
    Word(f64),
    /// A lexicon word carrying its own negation (`ماعجبنيش`).
    NegatedWord(f64),
    Negator,
    Booster {
        factor: f64,
        follows: bool,
    },
    Break,
    Other,
}

/// The weight of a word exactly as written (normalised), if it is in the lexicon.
fn lookup(word: &str) -> Option<f64> {
    ENGLISH
        .iter()
        .chain(ARABIC)
        .find(|(key, _)| *key == word)
        .map(|&(_, score)| score)
}

/// Splits `text` into normalised words, emoji and clause breaks.
fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut word = String::new();
    for c in text.chars() {
        if is_joiner(c) {
            continue;
        }
        if c.is_alphanumeric() {
            word.extend(c.to_lowercase().map(fold_arabic));
            continue;
        }
        if !word.is_empty() {
            tokens.push(Token::Word(std::mem::take(&mut word)));
        }
        if let Some(&(_, score)) = EMOJI.iter().find(|(e, _)| *e == c) {
            tokens.push(Token::Emoji(score));
        } else if CLAUSE_BREAKS.contains(&c) && !matches!(tokens.last(), None | Some(Token::Break))
        {
            tokens.push(Token::Break);
        }
    }
    if !word.is_empty() {
        tokens.push(Token::Word(word));
    }
    tokens
}

/// Characters dropped without splitting the word: apostrophes, Arabic diacritics and tatweel.
fn is_joiner(c: char) -> bool {
    matches!(
        c,
        '\'' | '’' | '‘' | '`' | '´' | 'ʼ' | '\u{0640}' | '\u{064B}'..='\u{0652}' | '\u{0670}'
    )
}

/// One spelling per Arabic letter.
fn fold_arabic(c: char) -> char {
    match c {
        'أ' | 'إ' | 'آ' | 'ٱ' => 'ا',
        'ة' => 'ه',
        'ى' | 'ئ' | 'ی' => 'ي',
        'ؤ' => 'و',
        'ک' => 'ك',
        _ => c,
    }
}

/// Each lexicon word's contribution, after negation and intensifiers.
fn word_scores(tokens: &[Token]) -> Vec<f64> {
    let mut scores: Vec<f64> = Vec::new();
    let mut negated_through: Option<usize> = None;
    // A preceding intensifier's factor and the last token index it reaches.
    let mut boost: Option<(f64, usize)> = None;
    // Token index of the word behind `scores.last()`, within the current clause.
    let mut last_word: Option<usize> = None;
    let mut i = 0;
    while let Some(token) = tokens.get(i) {
        let mut width = 1;
        let kind = match token {
            Token::Break => Kind::Break,
            Token::Emoji(score) => Kind::Word(*score),
            Token::Word(word) => {
                if let Some(Token::Word(next)) = tokens.get(i + 1)
                    && let Some(score) = phrase(word, next)
                {
                    width = 2;
                    Kind::Word(score)
                } else if word == "ما"
                    && i.checked_sub(1)
                        .and_then(|p| tokens.get(p))
                        .is_some_and(|p| matches!(p, Token::Word(p) if p == "نوعا"))
                {
                    Kind::Other // "نوعا ما" (somewhat): this "ما" is no negator
                } else {
                    classify(word)
                }
            }
        };
        match kind {
            Kind::Word(score) | Kind::NegatedWord(score) => {
                let self_negated = matches!(kind, Kind::NegatedWord(_));
                let mut s = score;
                if let Some((factor, through)) = boost.take()
                    && i <= through
                {
                    s *= factor;
                }
                if self_negated || negated_through.is_some_and(|t| i <= t) {
                    s *= NEGATION;
                }
                scores.push(s);
                last_word = Some(i + width - 1);
            }
            Kind::Negator => negated_through = Some(i + NEGATION_WINDOW),
            Kind::Booster { factor, follows } => {
                let previous =
                    last_word.filter(|&w| follows && i.saturating_sub(w) <= FOLLOW_REACH);
                match (previous, scores.last_mut()) {
                    (Some(_), Some(s)) => *s *= factor,
                    _ => {
                        let pending = boost.filter(|&(_, t)| i <= t).map_or(1.0, |(f, _)| f);
                        boost = Some((pending * factor, i + BOOST_WINDOW));
                    }
                }
            }
            Kind::Break => {
                negated_through = None;
                boost = None;
                last_word = None;
            }
            Kind::Other => {}
        }
        i += width;
    }
    scores
}

/// The weight of the two-word expression `first second`, if it is one.
fn phrase(first: &str, second: &str) -> Option<f64> {
    PHRASES
        .iter()
        .find(|(p, _)| p.split_once(' ') == Some((first, second)))
        .map(|&(_, score)| score)
}

/// What `token` is, trying it as written, with stretched letters squeezed, and without a leading "و".
fn classify(token: &str) -> Kind {
    let mut forms = vec![token.to_owned()];
    for form in [squeeze(token, false), squeeze(token, true)] {
        if !forms.contains(&form) {
            forms.push(form);
        }
    }
    for form in &forms {
        let kind = classify_form(form);
        if !matches!(kind, Kind::Other) {
            return kind;
        }
        if let Some(rest) = form.strip_prefix('و')
            && rest.chars().count() >= 2
        {
            let kind = classify_form(rest);
            if !matches!(kind, Kind::Other) {
                return kind;
            }
        }
    }
    Kind::Other
}

fn classify_form(form: &str) -> Kind {
    if let Some(score) = lookup_inflected(form) {
        return Kind::Word(score);
    }
    if let Some(&(_, factor, follows)) = BOOSTERS.iter().find(|(w, ..)| *w == form) {
        return Kind::Booster { factor, follows };
    }
    if NEGATORS.contains(&form) {
        return Kind::Negator;
    }
    if BREAK_WORDS.contains(&form) {
        return Kind::Break;
    }
    // Egyptian "ما…ش" / "م…ش" circumfix, or a bare "…ش" after a separate "ما" (ما انصحش).
    if let Some(core) = form.strip_suffix('ش') {
        let cores = [core.strip_prefix("ما"), core.strip_prefix('م'), Some(core)];
        for core in cores.into_iter().flatten() {
            if core.chars().count() >= 2
                && let Some(score) = lookup_inflected(core)
            {
                return Kind::NegatedWord(score);
            }
        }
        // A negated verb outside the lexicon (ماكانش، مبيردش) negates what follows.
        if form.chars().count() >= 4 && (core.starts_with("ما") || core.starts_with("مب")) {
            return Kind::Negator;
        }
    }
    Kind::Other
}

/// The weight of `word` as written, else without a prefix and/or a suffix.
fn lookup_inflected(word: &str) -> Option<f64> {
    if let Some(score) = lookup(word) {
        return Some(score);
    }
    let bases = std::iter::once(word).chain(PREFIXES.iter().filter_map(|p| word.strip_prefix(p)));
    for base in bases {
        if base != word
            && base.chars().count() >= 2
            && let Some(score) = lookup(base)
        {
            return Some(score);
        }
        for suffix in SUFFIXES {
            if let Some(stem) = base.strip_suffix(suffix)
                && stem.chars().count() >= 3
                && let Some(score) = lookup(stem)
            {
                return Some(score);
            }
        }
    }
    None
}

/// Undoes letter-stretching: `hard` squeezes every run to one letter ("sooo" → "so"); otherwise
/// runs of Arabic long vowels become one (ممتااز → ممتاز) and other runs two ("goood" → "good").
fn squeeze(word: &str, hard: bool) -> String {
    let mut out = String::with_capacity(word.len());
    let mut previous = None;
    let mut run = 0;
    for c in word.chars() {
        run = if previous == Some(c) { run + 1 } else { 1 };
        previous = Some(c);
        let limit = if hard || matches!(c, 'ا' | 'و' | 'ي') {
            1
        } else {
            2
        };
        if run <= limit {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn score(text: &str) -> f64 {
        analyze(text).score
    }

    #[test]
    fn praise_is_positive_in_english_and_arabic() {
        for text in [
            "Excellent work, very professional",
            "Great job, highly recommend!",
            "On time and super clean 👍",
            "ممتاز جدا وأنصح بيه",
            "شغل رائع ومحترم",
            "الراجل ده جامد اوي وكويس",
            "منيح كتير، يعطيك العافية",
        ] {
            assert_eq!(analyze(text).label, Label::Positive, "{text}");
        }
    }

    #[test]
    fn complaints_are_negative_in_english_and_arabic() {
        for text in [
            "Terrible service, the plumber was rude and late",
            "Total scam, avoid!",
            "Overpriced and the sink is still broken",
            "زفت ونصاب",
            "الخدمة سيئة جداً والعامل اتأخر",
            "وحش خالص ومتأخر",
            "حرامي 😡",
        ] {
            assert_eq!(analyze(text).label, Label::Negative, "{text}");
        }
    }

    #[test]
    fn negation_flips_the_word_after_it() {
        assert!(score("not good") < 0.0);
        assert!(score("مش كويس") < 0.0);
        assert!(score("not bad") > 0.0);
        assert!(score("مش وحش") > 0.0);
        assert!(score("don't recommend") < 0.0);
        assert!(score("don’t recommend") < 0.0);
        assert!(score("wasn't on time") < 0.0);
        assert!(score("not worth it") < 0.0);
        assert!(score("لا انصح") < 0.0);
        assert!(score("بدون اي مشاكل") > 0.0);
        assert!(score("no problems at all") > 0.0);
        assert!(score("غير محترم") < 0.0);
    }

    #[test]
    fn negation_ends_at_a_clause_break() {
        assert!(score("مش متأخر، ممتاز") > 0.0);
        assert!(score("مش متأخر، ممتاز") > score("مش متأخر ممتاز"));
        assert!(score("The first visit was not good. Great job the second time") > 0.0);
        assert!(score("not cheap but excellent") > score("not cheap excellent"));
    }

    #[test]
    fn egyptian_ma_sh_negation_is_understood() {
        assert!(score("عجبني") > 0.0);
        assert!(score("ماعجبنيش") < 0.0);
        assert!(score("معجبنيش") < 0.0);
        assert!(score("ما انصحش") < 0.0);
        // The separate "ما" and the "ش" are one negation, not two.
        assert_eq!(score("ما انصحش"), score("انصحش"));
        assert!(score("مكنش كويس") < 0.0);
        assert!(score("ماكانش نضيف") < 0.0);
        assert!(score("ماجاش في الميعاد") < 0.0);
        assert!(
            score("وحش") < 0.0,
            "a lexicon word ending in ش is read as written"
        );
        assert!(
            score("كويس نوعا ما") > 0.0,
            "the ما of نوعا ما negates nothing"
        );
    }

    #[test]
    fn intensifiers_strengthen_and_follow_in_arabic() {
        assert!(score("ممتاز جدا") > score("ممتاز"));
        assert_eq!(score("ممتاز جداً"), score("ممتاز جدا"));
        assert!(score("very good") > score("good"));
        assert!(score("highly recommend") > score("recommend"));
        assert!(score("وحش اوي") < score("وحش"));
        assert!(score("مش كويس خالص") < score("مش كويس"));
    }

    #[test]
    fn diminishers_soften() {
        assert!(score("slightly late") > score("late"));
        assert!(score("a bit slow") > score("slow"));
        assert!(score("اتأخر شوية") > score("اتأخر"));
        assert!(score("كويس نوعا ما") < score("كويس"));
    }

    #[test]
    fn arabic_spelling_variants_score_alike() {
        assert_eq!(score("أنصح"), score("انصح"));
        assert_eq!(score("مُمتاز"), score("ممتاز"));
        assert_eq!(score("ممـتـاز"), score("ممتاز"));
        assert_eq!(score("ممتااااز"), score("ممتاز"));
        assert_eq!(score("رائعة"), score("رائع"));
        assert_eq!(score("الممتاز"), score("ممتاز"));
        assert_eq!(score("سيئة"), score("سيء"));
        assert_eq!(score("Goooood"), score("good"));
        assert_eq!(score("EXCELLENT"), score("excellent"));
    }

    #[test]
    fn phrases_are_read_as_one_word() {
        assert!(score("on time") > 0.0);
        assert!(score("not on time") < 0.0);
        assert!(score("no-show") < 0.0);
        assert!(score("وصل في الميعاد") > 0.0);
        assert!(score("لا بأس به") > 0.0);
    }

    #[test]
    fn emoji_count() {
        assert!(score("👍") > 0.0);
        assert!(score("❤️❤️") > score("❤️"));
        assert!(score("👎") < 0.0);
    }

    #[test]
    fn empty_and_unknown_text_is_neutral() {
        let neutral = Sentiment {
            score: 0.0,
            label: Label::Neutral,
        };
        for text in [
            "",
            "   ",
            "!!!",
            "the plumber came on Tuesday",
            "السباك جه يوم التلات",
        ] {
            assert_eq!(analyze(text), neutral, "{text}");
        }
        assert_eq!(analyze("ok").label, Label::Neutral, "ok is barely positive");
    }

    #[test]
    fn scores_stay_between_minus_one_and_one() {
        let best = score(&"extremely excellent ".repeat(50));
        assert!((0.99..=1.0).contains(&best), "{best}");
        let worst = score(&"زفت جدا ".repeat(50));
        assert!((-1.0..=-0.99).contains(&worst), "{worst}");
        let rounded = score("good");
        assert_eq!(rounded, (rounded * 100.0).round() / 100.0);
    }

    #[test]
    fn labels_round_trip() {
        for label in [Label::Positive, Label::Neutral, Label::Negative] {
            assert_eq!(Label::parse(label.as_str()), Some(label));
        }
        assert_eq!(Label::parse("Positive"), None);
        assert_eq!(Label::parse(""), None);
    }

    #[test]
    fn mixed_language_review_is_scored() {
        let review = "The technician was very professional والشغل ممتاز، بس اتأخر شوية";
        assert_eq!(analyze(review).label, Label::Positive);
        assert!(score(review) < score("very professional والشغل ممتاز"));
        assert_eq!(
            analyze("Not professional at all. مش محترم وما انصحش").label,
            Label::Negative
        );
    }

    fn single_words(text: &str) -> Vec<String> {
        tokenize(text)
            .into_iter()
            .map(|t| match t {
                Token::Word(w) => w,
                Token::Emoji(_) | Token::Break => String::new(),
            })
            .collect()
    }

    #[test]
    fn tables_are_normalized_and_unique() {
        let mut seen = std::collections::HashSet::new();
        let words = ENGLISH.iter().chain(ARABIC).chain(PHRASES).map(|(w, _)| *w);
        let function_words = BOOSTERS
            .iter()
            .map(|(w, ..)| *w)
            .chain(NEGATORS.iter().copied());
        for key in words
            .chain(function_words)
            .chain(BREAK_WORDS.iter().copied())
        {
            let parts: Vec<&str> = key.split(' ').collect();
            assert_eq!(single_words(key), parts, "{key} is not in normalised form");
            assert!(seen.insert(key), "{key} is listed twice");
        }
    }

    #[test]
    fn function_words_are_not_read_as_lexicon_words() {
        for &(word, ..) in BOOSTERS {
            assert!(matches!(classify(word), Kind::Booster { .. }), "{word}");
        }
        for &word in NEGATORS {
            assert!(matches!(classify(word), Kind::Negator), "{word}");
        }
        for &word in BREAK_WORDS {
            assert!(matches!(classify(word), Kind::Break), "{word}");
        }
    }
}
