//! A small built-in English/Arabic table of trade synonyms, and query expansion with it.

use std::collections::HashMap;
use std::sync::LazyLock;

use super::terms::terms;

/// Sets of interchangeable trade words, written naturally; they are run through
/// [`terms`] at first use so they match index terms exactly. A multi-word entry
/// ("air conditioner") is only recognised as a phrase in queries; each set also
/// has a single word the phrase's jobs are indexed under ("conditioner", "washer").
const SETS: &[&[&str]] = &[
    &["plumber", "plumbing", "pipe", "سباك", "سباكة", "مواسير"],
    &[
        "electrician",
        "electrical",
        "electric",
        "electricity",
        "wiring",
        "كهربائي",
        "كهرباء",
    ],
    &["carpenter", "carpentry", "wood", "نجار", "نجارة"],
    &["painter", "painting", "paint", "نقاش", "دهان", "دهانات"],
    &["cleaning", "cleaner", "تنظيف", "نظافة"],
    &[
        "ac",
        "air conditioner",
        "air conditioning",
        "conditioner",
        "conditioning",
        "تكييف",
        "مكيف",
    ],
    &["fridge", "refrigerator", "ثلاجة"],
    &["washing machine", "washer", "غسالة"],
    &["mover", "moving", "نقل", "عفش"],
    &["gardener", "garden", "جنايني", "حديقة"],
    &["pest", "pest control", "insects", "حشرات", "مبيدات"],
    &["tiles", "tiling", "tiler", "سيراميك", "بلاط"],
    &["locksmith", "lock", "قفل", "أقفال", "مفاتيح"],
    &["mason", "masonry", "مباني", "بناء"],
    &["repair", "fix", "تصليح", "إصلاح"],
];

/// [`SETS`] in term form.
struct Table {
    /// Per set: the stems of its single-word entries, deduplicated, in table order.
    expansions: Vec<Vec<String>>,
    /// Single-word stem → the sets it belongs to.
    sets_of: HashMap<String, Vec<usize>>,
    /// Multi-word entries as stem sequences, longest first, with their set.
    phrases: Vec<(Vec<String>, usize)>,
}

static TABLE: LazyLock<Table> = LazyLock::new(Table::build);

impl Table {
    fn build() -> Self {
        let mut table = Table {
            expansions: Vec::with_capacity(SETS.len()),
            sets_of: HashMap::new(),
            phrases: Vec::new(),
        };
        for (set, entries) in SETS.iter().enumerate() {
            let mut expansion: Vec<String> = Vec::new();
            for entry in *entries {
                match terms(entry).as_slice() {
                    [] => {}
                    [single] => {
                        if !expansion.contains(single) {
                            expansion.push(single.clone());
                        }
                        let sets = table.sets_of.entry(single.clone()).or_default();
                        if !sets.contains(&set) {
                            sets.push(set);
                        }
                    }
                    phrase => {
                        if !table.phrases.iter().any(|(p, _)| p == phrase) {
                            table.phrases.push((phrase.to_vec(), set));
                        }
                    }
                }
            }
            table.expansions.push(expansion);
        }
        table
            .phrases
            .sort_by_key(|(p, _)| std::cmp::Reverse(p.len()));
        table
    }

    /// The longest phrase `words` starts with: its length in terms and its
    /// set's stems.
    fn phrase_at(&self, words: &[String]) -> Option<(usize, &[String])> {
        let (phrase, set) = self.phrases.iter().find(|(p, _)| words.starts_with(p))?;
        Some((phrase.len(), self.expansions.get(*set)?))
    }

    /// `term` followed by the stems of every set it belongs to.
    fn expand(&self, term: &str) -> Vec<String> {
        let mut group = vec![term.to_owned()];
        for &set in self.sets_of.get(term).into_iter().flatten() {
            for synonym in self.expansions.get(set).into_iter().flatten() {
                if !group.contains(synonym) {
                    group.push(synonym.clone());
                }
            }
        }
        group
    }
}

/// The query `q` as AND-of-OR term groups, for matching against [`terms`] of a job.
///
/// `q` goes through [`terms`]; each term becomes one group holding that term's
/// stem first, then the stems of its synonyms in either language (so "plumber"
/// also finds "سباك" and the reverse). A known multi-word phrase ("air
/// conditioner", "washing machine") becomes a single group of its set's stems.
/// Groups with the same members are kept once.
///
/// A job matches when, for every group, it has at least one of the group's
/// terms. An empty or stop-word-only query gives no groups.
pub fn query_groups(q: &str) -> Vec<Vec<String>> {
    let table = &*TABLE;
    let words = terms(q);
    let mut groups: Vec<Vec<String>> = Vec::new();
    let mut rest = words.as_slice();
    while let Some(first) = rest.first() {
        let (group, used) = match table.phrase_at(rest) {
            Some((len, stems)) => (stems.to_vec(), len),
            None => (table.expand(first), 1),
        };
        if !groups.iter().any(|g| same_members(g, &group)) {
            groups.push(group);
        }
        rest = rest.get(used..).unwrap_or_default();
    }
    groups
}

fn same_members(a: &[String], b: &[String]) -> bool {
    a.len() == b.len() && a.iter().all(|t| b.contains(t))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn stem_of(word: &str) -> String {
        let mut t = terms(word);
        assert_eq!(t.len(), 1, "{word} -> {t:?}");
        t.remove(0)
    }

    fn group_with<'a>(groups: &'a [Vec<String>], word: &str) -> &'a Vec<String> {
        let stem = stem_of(word);
        groups
            .iter()
            .find(|g| g.contains(&stem))
            .unwrap_or_else(|| panic!("no group has {stem}: {groups:?}"))
    }

    #[test]
    fn every_entry_yields_terms() {
        for entries in SETS {
            for entry in *entries {
                assert!(!terms(entry).is_empty(), "{entry}");
            }
        }
        assert!(TABLE.expansions.iter().all(|e| !e.is_empty()));
    }

    #[test]
    fn english_query_reaches_arabic() {
        let groups = query_groups("plumber in Cairo");
        assert_eq!(groups.len(), 2, "{groups:?}");
        let plumbing = group_with(&groups, "سباك");
        assert_eq!(plumbing[0], stem_of("plumber"));
        assert!(plumbing.contains(&stem_of("مواسير")));
        assert_eq!(groups[1], ["cairo"]);
    }

    #[test]
    fn arabic_query_reaches_english() {
        let groups = query_groups("سبّاك");
        assert_eq!(groups.len(), 1);
        assert_eq!(groups[0][0], stem_of("سباك"));
        assert!(groups[0].contains(&stem_of("plumber")));
        assert!(groups[0].contains(&stem_of("plumbing")));

        let groups = query_groups("تصليح ثلاجة");
        assert_eq!(groups.len(), 2);
        assert!(group_with(&groups, "repair").contains(&stem_of("fix")));
        assert!(group_with(&groups, "fridge").contains(&stem_of("refrigerator")));
    }

    #[test]
    fn phrases_become_one_group() {
        let groups = query_groups("Air conditioner repair");
        assert_eq!(groups.len(), 2, "{groups:?}");
        assert!(groups[0].contains(&stem_of("مكيف")));
        assert!(groups[0].contains(&stem_of("ac")));
        assert!(!groups[0].contains(&"air".to_owned()));

        let groups = query_groups("washing machine");
        assert_eq!(groups.len(), 1);
        assert!(groups[0].contains(&stem_of("غسالة")));
    }

    #[test]
    fn unknown_words_are_their_own_group() {
        assert_eq!(query_groups("Zamalek balcony"), [["zamalek"], ["balcony"]]);
    }

    #[test]
    fn same_meaning_in_two_languages_is_one_group() {
        let groups = query_groups("plumber سباك plumbing");
        assert_eq!(groups.len(), 1, "{groups:?}");
    }

    #[test]
    fn empty_and_stop_word_queries_have_no_groups() {
        assert!(query_groups("").is_empty());
        assert!(query_groups("I need the").is_empty());
        assert!(query_groups("محتاج في").is_empty());
    }
}
