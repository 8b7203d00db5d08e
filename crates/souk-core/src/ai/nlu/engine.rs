//! The parser's tables, built once on first use: one key table shared by
//! the place, category, cue, time and money phrase tables, plus the stop words.

use std::collections::HashSet;
use std::sync::LazyLock;

use super::gazetteer::{self, SiteRef};
use super::intent::{self, Cue};
use super::lexicon::{Keys, KeysBuilder, Lexicon};
use super::price_words::{self, PriceWord};
use super::stop::{COMMON, STOP};
use super::text::tokenize;
use super::vocab::{self, Term};
use super::when_words::{self, TimeWord};

/// Every table the parser reads.
pub(super) struct Engine {
    pub keys: Keys,
    /// Stop words, normalized: never keywords.
    pub stop: HashSet<String>,
    pub places: Lexicon<SiteRef>,
    pub categories: Lexicon<Term>,
    pub cues: Lexicon<Cue>,
    pub times: Lexicon<TimeWord>,
    pub prices: Lexicon<PriceWord>,
}

/// The tables, built on first use.
pub(super) static ENGINE: LazyLock<Engine> = LazyLock::new(Engine::build);

impl Engine {
    fn build() -> Self {
        let mut keys = KeysBuilder::default();
        // Misspelt place names are only forgiven from five letters, other words from four.
        // Cue words keep their endings: "booked" is not "book".
        let places = Lexicon::build(&mut keys, gazetteer::entries(), 5, true);
        let categories = Lexicon::build(&mut keys, vocab::entries(), 4, true);
        let cues = Lexicon::build(&mut keys, intent::entries(), 4, false);
        let times = Lexicon::build(&mut keys, when_words::entries(), 4, true);
        let prices = Lexicon::build(&mut keys, price_words::entries(), 4, true);
        let stop = STOP
            .iter()
            .flat_map(|w| tokenize(w).into_iter().map(|t| t.text))
            .collect();
        Engine {
            keys: keys.finish(STOP.iter().chain(COMMON).copied()),
            stop,
            places,
            categories,
            cues,
            times,
            prices,
        }
    }
}
