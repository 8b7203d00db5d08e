//! Phrase tables over one shared key table: each token of a message is
//! resolved once to the vocabulary keys it can stand for (exactly, through
//! a clitic-free form, or within a small edit distance), then each table
//! finds its longest phrases among the tokens not yet taken.

use std::collections::HashSet;

use super::fuzzy::{FastMap, FastSet, FuzzyIndex};
use super::text::{Script, Token, forms, tokenize};

/// Builds the key table while the phrase tables are filled.
#[derive(Default)]
pub(super) struct KeysBuilder {
    ids: FastMap<String, usize>,
    texts: Vec<String>,
}

impl KeysBuilder {
    /// The key ids of `phrase`'s tokens, adding new keys as needed.
    fn phrase(&mut self, phrase: &str) -> Vec<usize> {
        tokenize(phrase)
            .into_iter()
            .map(|token| match self.ids.get(&token.text) {
                Some(&id) => id,
                None => {
                    let id = self.texts.len();
                    self.ids.insert(token.text.clone(), id);
                    self.texts.push(token.text);
                    id
                }
            })
            .collect()
    }

    /// The finished table; `known` are everyday words that are never taken
    /// for a misspelt vocabulary word.
    pub(super) fn finish<'a>(self, known: impl IntoIterator<Item = &'a str>) -> Keys {
        let fuzzy = FuzzyIndex::new(
            self.texts
                .iter()
                .enumerate()
                .filter(|(_, text)| !text.chars().any(|c| c.is_ascii_digit()))
                .map(|(id, text)| (id, text.as_str())),
        );
        let known = known
            .into_iter()
            .flat_map(|word| tokenize(word).into_iter().map(|t| t.text))
            .collect();
        let lens = self.texts.iter().map(|t| t.chars().count()).collect();
        Keys {
            ids: self.ids,
            texts: self.texts,
            lens,
            fuzzy,
            known,
        }
    }
}

/// Every vocabulary key of every phrase table.
pub(super) struct Keys {
    ids: FastMap<String, usize>,
    texts: Vec<String>,
    lens: Vec<usize>,
    fuzzy: FuzzyIndex,
    known: FastSet<String>,
}

/// What one token of a message can stand for.
#[derive(Debug, Clone, Default)]
pub(super) struct Resolved {
    /// Key ids with the price paid to reach them: 0 exact, one for a form
    /// without its ending, twice the edit distance for a misspelling (plus
    /// one when the first letter differs: misspellings rarely start wrong).
    pub hits: Vec<(usize, usize)>,
}

impl Resolved {
    fn cost_of(&self, key: usize) -> Option<usize> {
        self.hits.iter().find(|&&(k, _)| k == key).map(|&(_, c)| c)
    }
}

impl Keys {
    /// Resolves each token: exact keys of any of its forms; when there are
    /// none and the word is not an everyday word, the nearest keys by edit distance.
    pub(super) fn resolve(&self, tokens: &[Token]) -> Vec<Resolved> {
        tokens.iter().map(|token| self.resolve_one(token)).collect()
    }

    fn resolve_one(&self, token: &Token) -> Resolved {
        let forms = forms(token);
        let mut hits: Vec<(usize, usize)> = Vec::new();
        for (form, penalty) in &forms {
            if let Some(&id) = self.ids.get(form)
                && !hits.iter().any(|&(k, _)| k == id)
            {
                hits.push((id, *penalty));
            }
        }
        let fuzzy_ok = token.script != Script::Digits
            && hits.is_empty()
            && !forms.iter().any(|(f, _)| self.known.contains(f));
        if fuzzy_ok {
            let mut best = usize::MAX;
            // Misspellings are looked for in the word and its clitic-free forms only.
            for (form, _) in forms.iter().filter(|(_, penalty)| *penalty == 0) {
                let first = form.chars().next();
                for (id, distance) in self.fuzzy.nearest(form) {
                    let wrong_start = self.texts.get(id).and_then(|t| t.chars().next()) != first;
                    let distance = 2 * distance + usize::from(wrong_start);
                    if distance < best {
                        hits.clear();
                        best = distance;
                    }
                    if distance == best && !hits.iter().any(|&(k, _)| k == id) {
                        hits.push((id, distance));
                    }
                }
            }
        }
        Resolved { hits }
    }

    fn len(&self, key: usize) -> usize {
        self.lens.get(key).copied().unwrap_or(0)
    }
}

/// A phrase found in a message.
#[derive(Debug, Clone, Copy)]
pub(super) struct Hit<T> {
    pub start: usize,
    pub len: usize,
    /// Total price paid for inexact words (see [`Resolved::hits`]).
    pub cost: usize,
    pub value: T,
}

impl<T> Hit<T> {
    /// The index after the phrase.
    pub(super) fn end(&self) -> usize {
        self.start + self.len
    }
}

/// A table of phrases (sequences of keys) with a value each.
pub(super) struct Lexicon<T> {
    entries: Vec<(Vec<usize>, T)>,
    /// First key → entries starting with it, longest first, then in table order.
    by_first: FastMap<usize, Vec<usize>>,
    /// Shortest key a misspelling may stand for.
    min_fuzzy: usize,
    /// Whether a word may stand for a key without its ending ("booked" for
    /// "book"); cue tables say no, a tense changes what a cue means.
    endings: bool,
}

impl<T: Copy> Lexicon<T> {
    /// A table of `items`; a phrase written twice keeps its first value.
    pub(super) fn build(
        keys: &mut KeysBuilder,
        items: impl IntoIterator<Item = (&'static str, T)>,
        min_fuzzy: usize,
        endings: bool,
    ) -> Self {
        let mut entries: Vec<(Vec<usize>, T)> = Vec::new();
        let mut seen: HashSet<Vec<usize>> = HashSet::new();
        for (phrase, value) in items {
            let ids = keys.phrase(phrase);
            if !ids.is_empty() && seen.insert(ids.clone()) {
                entries.push((ids, value));
            }
        }
        let mut by_first: FastMap<usize, Vec<usize>> = FastMap::default();
        for (at, (ids, _)) in entries.iter().enumerate() {
            if let Some(&first) = ids.first() {
                by_first.entry(first).or_default().push(at);
            }
        }
        for list in by_first.values_mut() {
            list.sort_by_key(|&at| {
                std::cmp::Reverse(entries.get(at).map_or(0, |(ids, _)| ids.len()))
            });
        }
        Lexicon {
            entries,
            by_first,
            min_fuzzy,
            endings,
        }
    }

    /// The cost of token `at` standing for `key`, if it may.
    fn cost(
        &self,
        keys: &Keys,
        toks: &[Resolved],
        used: &[bool],
        at: usize,
        key: usize,
    ) -> Option<usize> {
        if used.get(at).copied().unwrap_or(true) {
            return None;
        }
        let cost = toks.get(at)?.cost_of(key)?;
        match cost {
            0 => Some(0),
            1 => self.endings.then_some(1),
            _ => (keys.len(key) >= self.min_fuzzy).then_some(cost),
        }
    }

    /// The best phrase starting at token `start`: the longest, then the
    /// cheapest, then the first in the table.
    pub(super) fn at(
        &self,
        keys: &Keys,
        toks: &[Resolved],
        used: &[bool],
        start: usize,
    ) -> Option<Hit<T>> {
        let mut best: Option<(usize, usize, usize)> = None; // (len, cost, entry)
        for &(first, _) in &toks.get(start)?.hits {
            let Some(first_cost) = self.cost(keys, toks, used, start, first) else {
                continue;
            };
            for &entry in self.by_first.get(&first).into_iter().flatten() {
                let Some((ids, _)) = self.entries.get(entry) else {
                    continue;
                };
                let mut cost = first_cost;
                let mut ok = true;
                for (offset, &key) in ids.iter().enumerate().skip(1) {
                    match self.cost(keys, toks, used, start + offset, key) {
                        Some(c) => cost += c,
                        None => {
                            ok = false;
                            break;
                        }
                    }
                }
                // A phrase of several words may not be mostly misspelt.
                if !ok || (ids.len() > 1 && cost >= 2 * ids.len()) {
                    continue;
                }
                let better = best.is_none_or(|(len, c, e)| {
                    (ids.len(), std::cmp::Reverse(cost), std::cmp::Reverse(entry))
                        > (len, std::cmp::Reverse(c), std::cmp::Reverse(e))
                });
                if better {
                    best = Some((ids.len(), cost, entry));
                }
            }
        }
        let (len, cost, entry) = best?;
        let (_, value) = self.entries.get(entry)?;
        Some(Hit {
            start,
            len,
            cost,
            value: *value,
        })
    }

    /// Every phrase left to right, longest first at each token. A hit `take`
    /// accepts marks its tokens as used and is returned; one it refuses is
    /// stepped over with its tokens left free (a decoy such as "sour taste").
    pub(super) fn scan(
        &self,
        keys: &Keys,
        toks: &[Resolved],
        used: &mut [bool],
        take: impl Fn(&Hit<T>) -> bool,
    ) -> Vec<Hit<T>> {
        let mut hits = Vec::new();
        let mut start = 0;
        while start < toks.len() {
            let Some(hit) = self.at(keys, toks, used, start) else {
                start += 1;
                continue;
            };
            start = hit.end();
            if take(&hit) {
                for flag in used.iter_mut().skip(hit.start).take(hit.len) {
                    *flag = true;
                }
                hits.push(hit);
            }
        }
        hits
    }
}
