//! Typo tolerance: optimal-string-alignment edit distance (a swap of two
//! neighbours counts one) and a deletion index that finds the vocabulary
//! words within reach of a misspelt word without comparing against all of them.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// FNV-1a: a fast hash for the short strings of the tables (no untrusted
/// key ever grows these maps, so flooding resistance is not needed).
#[derive(Default)]
pub(super) struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut hash = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for byte in bytes {
            hash ^= u64::from(*byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = hash;
    }
}

/// A hash map keyed by short table strings.
pub(super) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<Fnv>>;
/// A hash set of short table strings.
pub(super) type FastSet<K> = HashSet<K, BuildHasherDefault<Fnv>>;

/// The largest edit distance forgiven between words the shorter of which has `len` characters.
pub(super) fn allowed(len: usize) -> usize {
    match len {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// The length that sets a word's allowance: an Arabic article does not count
/// (`الحد` is as short as `حد`, and `الحل`, `الحر` are not misspelt Sundays).
fn reach_len(word: &[char]) -> usize {
    match word {
        ['ا', 'ل', rest @ ..] if !rest.is_empty() => rest.len(),
        _ => word.len(),
    }
}

/// Optimal string alignment distance: insertions, deletions, substitutions
/// and transpositions of adjacent characters each cost one.
pub(super) fn osa(a: &[char], b: &[char]) -> usize {
    let n = b.len();
    let mut before: Vec<usize> = vec![0; n + 1];
    let mut last: Vec<usize> = (0..=n).collect();
    let mut row: Vec<usize> = vec![0; n + 1];
    for (i, &ca) in a.iter().enumerate() {
        if let Some(first) = row.first_mut() {
            *first = i + 1;
        }
        for (j, &cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            let delete = last.get(j + 1).map_or(usize::MAX, |v| v + 1);
            let insert = row.get(j).map_or(usize::MAX, |v| v + 1);
            let substitute = last.get(j).map_or(usize::MAX, |v| v + cost);
            let mut best = delete.min(insert).min(substitute);
            if i > 0
                && j > 0
                && a.get(i - 1) == Some(&cb)
                && b.get(j - 1) == Some(&ca)
                && let Some(t) = before.get(j - 1)
            {
                best = best.min(t + 1);
            }
            if let Some(cell) = row.get_mut(j + 1) {
                *cell = best;
            }
        }
        std::mem::swap(&mut before, &mut last);
        std::mem::swap(&mut last, &mut row);
    }
    last.get(n).copied().unwrap_or(usize::MAX)
}

/// Every string made by deleting up to `depth` characters of `word` (and `word` itself).
fn deletions(word: &[char], depth: usize, out: &mut FastSet<String>) {
    out.insert(word.iter().collect());
    if depth == 0 || word.len() <= 1 {
        return;
    }
    for skip in 0..word.len() {
        let shorter: Vec<char> = word
            .iter()
            .enumerate()
            .filter(|&(k, _)| k != skip)
            .map(|(_, &c)| c)
            .collect();
        deletions(&shorter, depth - 1, out);
    }
}

/// Words of the vocabulary by their deletion variants (the symmetric-delete method).
pub(super) struct FuzzyIndex {
    /// Per indexed word: its id in the caller's key table and its characters.
    words: Vec<(usize, Vec<char>)>,
    /// Deletion variant → positions in `words`.
    variants: FastMap<String, Vec<usize>>,
}

impl FuzzyIndex {
    /// Indexes `words` (id, text); words under four characters are never matched fuzzily.
    pub(super) fn new<'a>(words: impl IntoIterator<Item = (usize, &'a str)>) -> Self {
        let mut index = FuzzyIndex {
            words: Vec::new(),
            variants: FastMap::default(),
        };
        for (id, text) in words {
            let chars: Vec<char> = text.chars().collect();
            if allowed(reach_len(&chars)) == 0 {
                continue;
            }
            let at = index.words.len();
            let mut variants = FastSet::default();
            deletions(&chars, allowed(reach_len(&chars)), &mut variants);
            for variant in variants {
                index.variants.entry(variant).or_default().push(at);
            }
            index.words.push((id, chars));
        }
        index
    }

    /// The ids of the indexed words nearest to `query` within the allowed
    /// distance, with that distance (all ties; empty when none is near).
    pub(super) fn nearest(&self, query: &str) -> Vec<(usize, usize)> {
        let chars: Vec<char> = query.chars().collect();
        if allowed(reach_len(&chars)) == 0 {
            return Vec::new();
        }
        let mut variants = FastSet::default();
        deletions(&chars, allowed(reach_len(&chars)), &mut variants);
        let mut seen = FastSet::default();
        let mut best: Vec<(usize, usize)> = Vec::new();
        let mut best_distance = usize::MAX;
        for variant in &variants {
            for &at in self.variants.get(variant).into_iter().flatten() {
                if !seen.insert(at) {
                    continue;
                }
                let Some((id, word)) = self.words.get(at) else {
                    continue;
                };
                let limit = allowed(reach_len(word).min(reach_len(&chars)));
                if word.len().abs_diff(chars.len()) > limit {
                    continue;
                }
                let distance = osa(&chars, word);
                if distance == 0 || distance > limit || distance > best_distance {
                    continue;
                }
                if distance < best_distance {
                    best.clear();
                    best_distance = distance;
                }
                best.push((*id, distance));
            }
        }
        best.sort_unstable();
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(a: &str, b: &str) -> usize {
        let a: Vec<char> = a.chars().collect();
        let b: Vec<char> = b.chars().collect();
        osa(&a, &b)
    }

    #[test]
    fn osa_counts_a_swap_as_one_edit() {
        assert_eq!(d("plumber", "plumber"), 0);
        assert_eq!(d("plumer", "plumber"), 1);
        assert_eq!(d("fridge", "firdge"), 1);
        assert_eq!(d("electrican", "electrician"), 1);
        assert_eq!(d("ca", "abc"), 3);
        assert_eq!(d("", "abc"), 3);
        assert_eq!(d("تكيف", "تكييف"), 1);
    }

    #[test]
    fn index_finds_near_words_within_the_length_rule() {
        let index = FuzzyIndex::new([
            (0, "plumber"),
            (1, "electrician"),
            (2, "tap"),
            (3, "tomorrow"),
        ]);
        assert_eq!(index.nearest("plumer"), vec![(0, 1)]);
        assert_eq!(index.nearest("elecrtician"), vec![(1, 1)]);
        assert_eq!(index.nearest("electrcan"), vec![(1, 2)]);
        assert_eq!(index.nearest("tomorow"), vec![(3, 1)]);
        assert!(index.nearest("tip").is_empty());
        assert!(index.nearest("plmbr").is_empty());
        assert!(index.nearest("plumber").is_empty());
    }
}
