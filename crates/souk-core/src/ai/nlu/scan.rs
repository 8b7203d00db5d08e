//! Finding the slots' words in a message with the engine's tables: the
//! place (guarded names only where they mean the place), the category and
//! the intent's cues. Each takes the words it uses.

use super::engine::Engine;
use super::gazetteer::{COUNTRY_WORDS, LOCATIVE, Named, SiteRef};
use super::intent::{Cue, Cues};
use super::lexicon::{Hit, Resolved};
use super::text::{Token, tokenize};
use super::vocab::{self, Found};

/// The first place named in a message; takes its words.
pub(super) fn place(
    engine: &Engine,
    tokens: &[Token],
    res: &[Resolved],
    used: &mut [bool],
) -> Option<Named> {
    let hits = engine
        .places
        .scan(&engine.keys, res, used, |hit| accept(engine, hit, tokens));
    hits.first()?.value
}

/// Whether a place hit stands: not a decoy, and a guarded name only when the
/// message is just the place, after a locative word, or with a clitic on it
/// ("بصور" yes, "الصور" no).
fn accept(engine: &Engine, hit: &Hit<SiteRef>, tokens: &[Token]) -> bool {
    let Some(named) = hit.value else {
        return false;
    };
    if !named.guarded {
        return true;
    }
    let Some(first) = tokens.get(hit.start) else {
        return false;
    };
    let site = named.country.sites().get(named.index);
    let written_plain = site.is_some_and(|s| {
        s.en.iter()
            .chain(s.ar)
            .any(|n| tokenize(n).first().is_some_and(|t| t.text == first.text))
    });
    let clitic = !written_plain && !first.text.starts_with("ال");
    let after_locative = hit
        .start
        .checked_sub(1)
        .and_then(|p| tokens.get(p))
        .is_some_and(|t| LOCATIVE.contains(&t.text.as_str()));
    let only_the_place = tokens.iter().enumerate().all(|(at, t)| {
        (hit.start..hit.end()).contains(&at)
            || engine.stop.contains(&t.text)
            || COUNTRY_WORDS.contains(&t.text.as_str())
    });
    clitic || after_locative || only_the_place
}

/// Finds the cues of a message; takes the words it uses.
pub(super) fn cues(engine: &Engine, tokens: &[Token], res: &[Resolved], used: &mut [bool]) -> Cues {
    let after_clock_word = |hit: &Hit<Cue>| {
        hit.start
            .checked_sub(1)
            .and_then(|p| tokens.get(p))
            .is_some_and(|t| matches!(t.text.as_str(), "الساعه" | "ساعه" | "at"))
    };
    let hits = engine
        .cues
        .scan(&engine.keys, res, used, |hit| match hit.value {
            Cue::Hala => hit.start == 0,
            Cue::Ordinal(_) => !after_clock_word(hit),
            Cue::Numbered => tokens.get(hit.end()).is_some_and(|t| t.number.is_some()),
            _ => true,
        });
    let mut cues = Cues::default();
    let no_book = hits.iter().any(|h| h.value == Cue::NoBook);
    for hit in &hits {
        match hit.value {
            Cue::Book => cues.book = true,
            Cue::Help => cues.help = true,
            Cue::Greeting | Cue::Hala => cues.greeting = true,
            Cue::Thanks => cues.thanks = true,
            Cue::Need => cues.need = true,
            Cue::Ordinal(rank) => {
                cues.choice.get_or_insert(usize::from(rank));
            }
            Cue::Numbered | Cue::NoBook => {}
        }
    }
    if no_book {
        cues.book = false;
        cues.choice = None;
        return cues;
    }
    // "number 2", "رقم ٢", "book 2": a choice by number.
    for hit in hits
        .iter()
        .filter(|h| matches!(h.value, Cue::Numbered | Cue::Book))
    {
        let at = hit.end();
        let picked = tokens
            .get(at)
            .filter(|_| !used.get(at).copied().unwrap_or(true))
            .and_then(|t| t.number.as_ref())
            .filter(|n| n.fraction.is_none())
            .and_then(|n| usize::try_from(n.whole).ok())
            .filter(|n| (1..=20).contains(n));
        if let Some(n) = picked
            && cues.choice.is_none()
        {
            cues.choice = Some(n - 1);
            if let Some(flag) = used.get_mut(at) {
                *flag = true;
            }
        }
    }
    cues
}

/// Finds the category of a message; takes the category words.
pub(super) fn category(engine: &Engine, res: &[Resolved], used: &mut [bool]) -> Option<Found> {
    let hits = engine.categories.scan(&engine.keys, res, used, |_| true);
    vocab::pick(&hits)
}
