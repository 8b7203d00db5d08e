//! A read cache of the whole catalog (a few dozen rows) for hot read paths
//! such as search: valid only while no write has committed anywhere since it
//! was filled (the database's write generation, which catalog changes bump on
//! every node), and for at most a minute.

use std::{
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use sea_orm::EntityTrait;
use souk_db::entities::services;

use super::services::ServiceRef;
use crate::{Core, error::Result};

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
    fn current(&self, generation: u64) -> Option<Arc<Vec<services::Model>>> {
        let slot = self.slot.lock().ok()?;
        slot.as_ref()
            .filter(|f| f.generation == generation && f.at.elapsed() < TTL)
            .map(|f| f.services.clone())
    }

    fn fill(&self, generation: u64, services: Arc<Vec<services::Model>>) {
        if let Ok(mut slot) = self.slot.lock() {
            *slot = Some(Filled {
                generation,
                at: Instant::now(),
                services,
            });
        }
    }
}

/// Every service, archived ones included, from the cache when it is current.
pub async fn all_services(core: &Core) -> Result<Arc<Vec<services::Model>>> {
    // The generation is read before the rows, so rows read after a write
    // never get filed under the generation before it.
    let generation = core.db.write_generation();
    if let Some(services) = generation.and_then(|g| core.catalog_cache.current(g)) {
        return Ok(services);
    }
    let services = Arc::new(services::Entity::find().all(core.db.conn()).await?);
    if let Some(generation) = generation {
        core.catalog_cache.fill(generation, services.clone());
    }
    Ok(services)
}

/// A service by id or slug (archived ones too), through the cache.
pub async fn find_cached(core: &Core, reference: &ServiceRef) -> Result<Option<services::Model>> {
    let services = all_services(core).await?;
    Ok(services
        .iter()
        .find(|s| match reference {
            ServiceRef::Id(id) => s.id == *id,
            ServiceRef::Slug(slug) => s.slug == *slug,
        })
        .cloned())
}
