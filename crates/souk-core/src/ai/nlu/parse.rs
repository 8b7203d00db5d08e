//! Reads one message: tokens are resolved against the vocabulary once, then
//! each slot takes its words in a fixed order (places, categories, cues,
//! time, money) so a word serves one slot only; what is left are keywords.

use super::engine::{ENGINE, Engine};
use super::gazetteer::{self, Country};
use super::intent::{self, Slots};
use super::text::{Script, Token, bare_forms, mostly_arabic, tokenize};
use super::{Context, Lang, Parsed, price, scan, when};

/// Most keywords kept.
const MAX_KEYWORDS: usize = 12;

/// Parses a client's message. Never fails: anything unrecognised is left
/// out of the slots (and kept as keywords when it is a content word).
pub fn parse(text: &str, ctx: &Context) -> Parsed {
    let engine: &Engine = &ENGINE;
    let tokens = tokenize(text);
    let arabic = mostly_arabic(&tokens);
    let res = engine.keys.resolve(&tokens);
    let mut used = vec![false; tokens.len()];
    let place = scan::place(engine, &tokens, &res, &mut used)
        .and_then(|named| Some((gazetteer::place(named, arabic)?, named.country)));
    let category = scan::category(engine, &res, &mut used);
    let cues = scan::cues(engine, &tokens, &res, &mut used);
    let (tz, country) = match &place {
        Some((place, country)) => (place.tz, *country),
        None => (ctx.tz, Country::of_zone(ctx.tz)),
    };
    let when = when::find(engine, &tokens, &res, &mut used, ctx.now, tz, country);
    let price = price::find(engine, &tokens, &res, &mut used);
    let keywords = keywords(engine, &tokens, &used);
    let slots = Slots {
        category: category.is_some(),
        place: place.is_some(),
        window: when.window.is_some(),
        price: price.max_price.is_some(),
        cheap: price.cheap,
        urgent: when.urgent,
    };
    let (intent, choice) = intent::decide(&cues, &slots);
    Parsed {
        lang: if arabic { Lang::Ar } else { Lang::En },
        intent,
        category: category.map(|c| c.slug),
        max_price: price.max_price,
        cheap: price.cheap,
        window: when.window,
        place: place.map(|(place, _)| place),
        urgent: when.urgent,
        choice,
        keywords,
    }
}

/// The words no slot took, minus stop words, numbers and single letters.
fn keywords(engine: &Engine, tokens: &[Token], used: &[bool]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for (token, taken) in tokens.iter().zip(used) {
        if *taken
            || !matches!(token.script, Script::Latin | Script::Arabic)
            || token.text.chars().count() < 2
            || bare_forms(token).iter().any(|f| engine.stop.contains(f))
            || out.contains(&token.text)
        {
            continue;
        }
        out.push(token.text.clone());
        if out.len() >= MAX_KEYWORDS {
            break;
        }
    }
    out
}
