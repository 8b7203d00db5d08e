//! A read cache of the whole catalog (a few dozen rows) for hot read paths
//! such as search: valid only while no write has committed anywhere since it
//! was filled (the database's write generation, which catalog changes bump on
//! every node), and for at most a minute.

use std::{
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use souk_db::entities::services;

const TTL: Duration = Duration::from_secs(60);

struct Filled {
    generation: u64,
    at: Instant,
    services: Arc<Vec<services::Model>>,
}

/// The cache (one per process).
#[derive(Default)]
pub struct CatalogCache {
    slot: Mutex<Option<Filled>>,
}

impl CatalogCache {
    pub(crate) fn current(&self, generation: u64) -> Option<Arc<Vec<services::Model>>> {
        let slot = self.slot.lock().ok()?;
        slot.as_ref()
            .filter(|f| f.generation == generation && f.at.elapsed() < TTL)
            .map(|f| f.services.clone())
    }

    pub(crate) fn fill(&self, generation: u64, services: Arc<Vec<services::Model>>) {
        if let Ok(mut slot) = self.slot.lock() {
            *slot = Some(Filled {
                generation,
                at: Instant::now(),
                services,
            });
        }
    }
}
