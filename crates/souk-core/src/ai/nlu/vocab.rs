//! Which catalog category a message is about: every category word found
//! votes (trades and objects six, symptoms two, one less when misspelt);
//! the strongest category wins, the first mentioned on a tie, and
//! `handyman` only when nothing more specific was said.

use super::lexicon::Hit;
use super::vocab_data::{CATEGORIES, Category};

/// What a category word says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Term {
    /// Index into [`CATEGORIES`].
    pub category: usize,
    pub weight: u8,
    /// The word as written in the table, when it names a thing (for titles).
    pub object: Option<&'static str>,
}

/// Every category phrase with its term; a phrase listed twice keeps the first.
pub(super) fn entries() -> Vec<(&'static str, Term)> {
    let mut out = Vec::new();
    for (category, c) in CATEGORIES.iter().enumerate() {
        let strong = |object| Term {
            category,
            weight: 3,
            object,
        };
        out.extend(c.trade.iter().map(|w| (*w, strong(None))));
        out.extend(c.objects.iter().map(|w| (*w, strong(Some(*w)))));
        out.extend(c.signs.iter().map(|w| {
            (
                *w,
                Term {
                    category,
                    weight: 1,
                    object: None,
                },
            )
        }));
    }
    out
}

/// The category a message is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Found {
    pub slug: &'static str,
    /// The first thing named for it ("fridge", "تلاجة").
    pub object: Option<&'static str>,
}

pub(super) fn pick(hits: &[Hit<Term>]) -> Option<Found> {
    // (category, total weight, first position)
    let mut votes: Vec<(usize, u32, usize)> = Vec::new();
    for hit in hits {
        match votes.iter_mut().find(|(c, _, _)| *c == hit.value.category) {
            Some(vote) => vote.1 += vote_of(hit),
            None => votes.push((hit.value.category, vote_of(hit), hit.start)),
        }
    }
    let specific = votes
        .iter()
        .filter(|(c, _, _)| CATEGORIES.get(*c).is_some_and(|c| c.slug != "handyman"))
        .max_by_key(|(_, weight, first)| (*weight, std::cmp::Reverse(*first)))
        .or_else(|| votes.first())?;
    let category = CATEGORIES.get(specific.0)?;
    let object = hits
        .iter()
        .filter(|h| h.value.category == specific.0)
        .find_map(|h| h.value.object);
    Some(Found {
        slug: category.slug,
        object,
    })
}

/// A hit's vote: twice its weight, one less when the words were misspelt.
fn vote_of(hit: &Hit<Term>) -> u32 {
    2 * u32::from(hit.value.weight) - u32::from(hit.cost > 1)
}

/// The catalog category with this slug.
pub(super) fn category(slug: &str) -> Option<&'static Category> {
    CATEGORIES.iter().find(|c| c.slug == slug)
}

/// The vocabulary words of a category (trades, then objects, then symptoms);
/// empty for an unknown slug.
pub fn category_words(slug: &str) -> Vec<&'static str> {
    category(slug)
        .map(|c| {
            c.trade
                .iter()
                .chain(c.objects)
                .chain(c.signs)
                .copied()
                .collect()
        })
        .unwrap_or_default()
}
