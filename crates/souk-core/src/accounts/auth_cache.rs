//! A read cache for request authentication: session id → user, valid only
//! while no write has committed anywhere since it was filled (the database's
//! write generation), and for at most a minute. Logout, bans and password
//! changes are writes, so they still act on the very next request.

use std::{
    collections::HashMap,
    sync::Mutex,
    time::{Duration, Instant},
};

use chrono::{DateTime, Utc};
use souk_db::entities::users;
use uuid::Uuid;

const TTL: Duration = Duration::from_secs(60);
const MAX_ENTRIES: usize = 100_000;

struct Entry {
    generation: u64,
    filled: Instant,
    session_expires: DateTime<Utc>,
    user: users::Model,
}

/// The cache (one per process).
#[derive(Default)]
pub struct AuthCache {
    entries: Mutex<HashMap<Uuid, Entry>>,
}

impl AuthCache {
    /// The cached user of a live session, if still current.
    pub fn get(
        &self,
        session: Uuid,
        user: Uuid,
        generation: u64,
        now: DateTime<Utc>,
    ) -> Option<users::Model> {
        let entries = self.entries.lock().ok()?;
        let entry = entries.get(&session)?;
        (entry.generation == generation
            && entry.user.id == user
            && entry.filled.elapsed() < TTL
            && entry.session_expires > now)
            .then(|| entry.user.clone())
    }

    /// Remembers a session's user as read at `generation`.
    pub fn put(
        &self,
        session: Uuid,
        generation: u64,
        session_expires: DateTime<Utc>,
        user: users::Model,
    ) {
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= MAX_ENTRIES {
                entries.retain(|_, e| e.generation == generation && e.filled.elapsed() < TTL);
                if entries.len() >= MAX_ENTRIES {
                    entries.clear();
                }
            }
            entries.insert(
                session,
                Entry {
                    generation,
                    filled: Instant::now(),
                    session_expires,
                    user,
                },
            );
        }
    }
}
