//! A keyed read cache for hot reads (a profile, a job): every entry holds
//! only for the write generation it was filled at, and for at most a
//! minute. The generation is read *before* the rows it guards, so rows read
//! after a write are never filed under the generation before it, and the
//! write's commit has moved the generation on before anyone can ask again.
//!
//! Entries of an older generation can never be served again, so the whole
//! map is dropped when a newer generation fills it: memory stays bounded by
//! what one generation reads (and by `MAX_ENTRIES`).

use std::{
    collections::HashMap,
    hash::Hash,
    sync::Mutex,
    time::{Duration, Instant},
};

const TTL: Duration = Duration::from_secs(60);
const MAX_ENTRIES: usize = 100_000;

struct Slot<K, V> {
    generation: u64,
    entries: HashMap<K, (Instant, V)>,
}

/// The cache (one per process and kind of read).
pub struct ReadCache<K, V> {
    slot: Mutex<Slot<K, V>>,
}

impl<K, V> Default for ReadCache<K, V> {
    fn default() -> Self {
        Self {
            slot: Mutex::new(Slot {
                generation: 0,
                entries: HashMap::new(),
            }),
        }
    }
}

impl<K: Eq + Hash, V: Clone> ReadCache<K, V> {
    /// The value filed under `key` at exactly `generation`, if fresh.
    pub fn get(&self, key: &K, generation: u64) -> Option<V> {
        let slot = self.slot.lock().ok()?;
        if slot.generation != generation {
            return None;
        }
        slot.entries
            .get(key)
            .filter(|(filled, _)| filled.elapsed() < TTL)
            .map(|(_, value)| value.clone())
    }

    /// Files `value` (read after `generation` was read) under `key`.
    pub fn put(&self, key: K, generation: u64, value: V) {
        let Ok(mut slot) = self.slot.lock() else {
            return;
        };
        if generation < slot.generation {
            // Read before a write another reader has already seen.
            return;
        }
        if generation > slot.generation || slot.entries.len() >= MAX_ENTRIES {
            slot.entries.clear();
            slot.generation = generation;
        }
        slot.entries.insert(key, (Instant::now(), value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_holds_only_for_its_generation() {
        let cache = ReadCache::default();
        cache.put(1, 5, "a");
        assert_eq!(cache.get(&1, 5), Some("a"));
        assert_eq!(cache.get(&1, 6), None);
        // A read from before generation 6 cannot land once 6 is filled.
        cache.put(2, 6, "b");
        cache.put(1, 5, "old");
        assert_eq!(cache.get(&1, 6), None);
        assert_eq!(cache.get(&1, 5), None);
        assert_eq!(cache.get(&2, 6), Some("b"));
    }
}
