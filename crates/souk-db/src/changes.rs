//! Write tracking for read caches: a generation counter that moves whenever
//! any write transaction of any node commits.
//!
//! On SQLite (one process owns the file) the local commit bumps it. On
//! PostgreSQL each write transaction also sends `NOTIFY souk_writes`, and
//! every node listens; while the listener is down the tracker reports itself
//! unreliable, and caches must go to the database.

use std::sync::{
    Arc,
    atomic::{AtomicBool, AtomicU64, Ordering},
};

use sea_orm::sqlx::{PgPool, postgres::PgListener};

/// The channel write transactions notify on PostgreSQL.
pub const CHANNEL: &str = "souk_writes";

/// Shared by every clone of a `Db`.
#[derive(Debug, Default)]
pub struct ChangeTracker {
    generation: AtomicU64,
    reliable: AtomicBool,
}

impl ChangeTracker {
    /// A tracker that is reliable from the start (SQLite).
    pub fn local() -> Arc<Self> {
        Arc::new(Self {
            generation: AtomicU64::new(0),
            reliable: AtomicBool::new(true),
        })
    }

    /// A tracker that becomes reliable once its listener runs (PostgreSQL).
    pub fn remote() -> Arc<Self> {
        Arc::new(Self::default())
    }

    /// The current generation, or `None` when changes may go unseen.
    pub fn generation(&self) -> Option<u64> {
        self.reliable
            .load(Ordering::Acquire)
            .then(|| self.generation.load(Ordering::Acquire))
    }

    /// Records that something was written.
    pub fn bump(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }

    fn set_reliable(&self, reliable: bool) {
        self.bump();
        self.reliable.store(reliable, Ordering::Release);
        self.bump();
    }

    /// Listens for other nodes' writes until the pool closes.
    pub async fn listen(self: Arc<Self>, pool: PgPool) {
        let mut listener = match PgListener::connect_with(&pool).await {
            Ok(listener) => listener,
            Err(err) => {
                tracing::warn!(error = %err, "change listener could not connect; read caches stay off");
                return;
            }
        };
        if let Err(err) = listener.listen(CHANNEL).await {
            tracing::warn!(error = %err, "change listener could not LISTEN; read caches stay off");
            return;
        }
        self.set_reliable(true);
        loop {
            match listener.try_recv().await {
                Ok(Some(_)) => {
                    self.bump();
                    if self.reliable.load(Ordering::Acquire) {
                        continue;
                    }
                    // First notification after a reconnect: listening again.
                    self.set_reliable(true);
                }
                Ok(None) => {
                    // Connection lost: notifications may have been missed.
                    self.set_reliable(false);
                    let _ = sea_orm::sqlx::query("SELECT pg_notify($1, '')")
                        .bind(CHANNEL)
                        .execute(&pool)
                        .await;
                }
                Err(_) => {
                    self.set_reliable(false);
                    return;
                }
            }
        }
    }
}
