//! What the client will pay: a price ceiling ("under 300", "في حدود ٣٠٠",
//! "300 جنيه", "1.5k") in minor units, and whether they asked for cheap.

use super::engine::Engine;
use super::lexicon::{Hit, Resolved};
use super::price_words::PriceWord;
use super::text::{Number, Script, Token};

/// The price slots of a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) struct Price {
    /// Minor units (×100).
    pub max_price: Option<i64>,
    pub cheap: bool,
}

/// Words before a bare number that make it something other than money.
#[rustfmt::skip]
const NOT_MONEY_BEFORE: &[&str] = &[
    "number", "no", "apartment", "apt", "flat", "floor", "building", "block", "street", "villa",
    "unit", "room", "gate", "zone", "sector", "district", "phone", "option", "رقم", "شقه", "عماره",
    "دور", "الدور", "طابق", "الطابق", "شارع", "بلوك", "فيلا", "مجموعه", "منطقه", "بوابه", "تليفون",
    "موبايل",
];

/// Words after a number that count something other than money.
#[rustfmt::skip]
const NOT_MONEY_AFTER: &[&str] = &[
    "rooms", "room", "bedrooms", "bedroom", "m", "m2", "meter", "meters", "metre", "metres", "sqm",
    "square", "floor", "floors", "units", "unit", "pieces", "piece", "hours", "hour", "hrs", "days",
    "day", "minutes", "mins", "km", "kg", "people", "persons", "years", "year", "doors", "windows",
    "acs", "times", "متر", "م2", "غرف", "غرفه", "اوض", "اوضه", "دور", "ادوار", "طابق", "ساعات",
    "ساعه", "ايام", "يوم", "دقايق", "دقيقه", "كيلو", "شخص", "اشخاص", "سنين", "سنه", "قطع", "قطعه",
    "مرات", "نفر", "مكيفات", "ابواب", "شبابيك",
];

/// Finds the price ceiling and the wish for cheap; takes the words it uses.
pub(super) fn find(
    engine: &Engine,
    tokens: &[Token],
    res: &[Resolved],
    used: &mut [bool],
) -> Price {
    let hits = engine.prices.scan(&engine.keys, res, used, |_| true);
    let mut cheap = hits.iter().any(|h| h.value == PriceWord::Cheap);
    let mut cued: Option<(i64, usize, usize)> = None;
    let mut bare: Option<(i64, usize, usize)> = None;
    let mut budget_used = false;
    for at in 0..tokens.len() {
        let Some((cents, next, said)) = amount_at(tokens, &hits, used, at) else {
            continue;
        };
        let standalone = said != Said::Digits;
        let (factor, next) = match hit_at(&hits, next).map(|h| (h.value, h.end())) {
            Some((PriceWord::Thousand, end)) if !standalone => (1000, end),
            Some((PriceWord::Hundred, end)) if !standalone => (100, end),
            _ => (1, next),
        };
        let Some(minor) = cents.checked_mul(factor) else {
            continue;
        };
        let before = cue_before(tokens, &hits, at, engine);
        let after = hit_at(&hits, next).map(|h| h.value);
        let counts_other = tokens
            .get(next)
            .is_some_and(|t| NOT_MONEY_AFTER.contains(&t.text.as_str()));
        let unit_after = matches!(
            after,
            Some(PriceWord::Unit | PriceWord::After | PriceWord::Max)
        );
        let unit_before = matches!(before, Some(PriceWord::Unit));
        let ceiling = matches!(
            before,
            Some(PriceWord::Ceiling | PriceWord::Max | PriceWord::Budget { .. })
        );
        let paid = matches!(before, Some(PriceWord::For)) && minor >= 2_000;
        if counts_other && !unit_after {
            continue;
        }
        if unit_after || unit_before || ceiling || paid || said == Said::Words {
            if matches!(before, Some(PriceWord::Budget { .. })) {
                budget_used = true;
            }
            cued.get_or_insert((minor, at, next));
            break;
        }
        if standalone || bare.is_some() {
            continue;
        }
        let after_ok = tokens.get(next).is_none_or(|t| {
            t.script == Script::Digits
                || engine.stop.contains(&t.text)
                || used.get(next).copied().unwrap_or(false)
        });
        let before_ok = at
            .checked_sub(1)
            .and_then(|p| tokens.get(p))
            .is_none_or(|t| !NOT_MONEY_BEFORE.contains(&t.text.as_str()));
        let year = (195_000..=210_000).contains(&minor) && minor % 100 == 0;
        if (5_000..100_000_000_000).contains(&minor) && !year && after_ok && before_ok {
            bare = Some((minor, at, next));
        }
    }
    let chosen = cued.or(bare);
    if let Some((_, start, end)) = chosen {
        for flag in used.iter_mut().take(end).skip(start) {
            *flag = true;
        }
    }
    if !budget_used
        && hits
            .iter()
            .any(|h| h.value == PriceWord::Budget { cheap_alone: true })
    {
        cheap = true;
    }
    Price {
        max_price: chosen.map(|(minor, _, _)| minor),
        cheap,
    }
}

fn hit_at(hits: &[Hit<PriceWord>], start: usize) -> Option<&Hit<PriceWord>> {
    hits.iter().find(|h| h.start == start)
}

/// How an amount was said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Said {
    Digits,
    /// In money words ("ميتين", "مية جنيه"): money without a cue.
    Words,
    /// "الف"/"thousand" alone: money only with a cue.
    Thousand,
}

/// An amount starting at token `at`: minor units, the index after it, how it was said.
fn amount_at(
    tokens: &[Token],
    hits: &[Hit<PriceWord>],
    used: &[bool],
    at: usize,
) -> Option<(i64, usize, Said)> {
    if let Some(hit) = hit_at(hits, at) {
        return match hit.value {
            PriceWord::Amount(major) => Some((i64::from(major) * 100, hit.end(), Said::Words)),
            PriceWord::Thousand => Some((100_000, hit.end(), Said::Thousand)),
            _ => None,
        };
    }
    if used.get(at).copied().unwrap_or(true) {
        return None;
    }
    let cents = cents(tokens.get(at)?.number.as_ref()?)?;
    Some((cents, at + 1, Said::Digits))
}

/// A written number in hundredths; `None` for clock times and absurd sizes.
fn cents(number: &Number) -> Option<i64> {
    if number.colon {
        return None;
    }
    let whole = i64::try_from(number.whole).ok()?.checked_mul(100)?;
    let fraction = match number.fraction.as_deref() {
        None => 0,
        Some(f) => {
            let two: String = f.chars().chain(std::iter::repeat('0')).take(2).collect();
            two.parse::<i64>().ok()?
        }
    };
    whole.checked_add(fraction)
}

/// The cue right before token `at`, allowing one stop word between ("budget is 300").
fn cue_before(
    tokens: &[Token],
    hits: &[Hit<PriceWord>],
    at: usize,
    engine: &Engine,
) -> Option<PriceWord> {
    let ending = |end: usize| hits.iter().find(|h| h.end() == end).map(|h| h.value);
    if let Some(cue) = ending(at) {
        return Some(cue);
    }
    // The filler may have been taken by another slot ("around" is also a clock word).
    let gap = at.checked_sub(1)?;
    let filler = tokens.get(gap)?;
    if !engine.stop.contains(&filler.text) || hits.iter().any(|h| h.start == gap) {
        return None;
    }
    ending(gap)
}
