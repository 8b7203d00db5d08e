//! Write tracking for read caches: a generation counter that moves whenever
//! any write transaction of any node commits.
//!
//! On SQLite (one process owns the file) the local commit bumps it. On
//! PostgreSQL each write transaction also sends `NOTIFY souk_writes`, and
//! every node listens; while the listener is down the tracker reports itself
//! unreliable, and caches must go to the database.
//!
//! A second counter, the data generation, moves with every write of this
//! process, announced or not (money, job status, counters are written
//! without `NOTIFY` on PostgreSQL). It vouches for caches only where this
//! process sees every write: SQLite, whose file one process owns.

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
    data: AtomicU64,
    /// Every write reaches `data` (one process owns the database).
    sees_every_write: bool,
    /// This node's name in its notifications' payload: a node has already
    /// moved its generation when its own commit returned, so its own
    /// notification, arriving later, is not news (and would only empty
    /// the caches a second time).
    origin: String,
}

impl ChangeTracker {
    /// A tracker that is reliable from the start (SQLite).
    pub fn local() -> Arc<Self> {
        Arc::new(Self {
            generation: AtomicU64::new(0),
            reliable: AtomicBool::new(true),
            data: AtomicU64::new(0),
            sees_every_write: true,
            origin: String::new(),
        })
    }

    /// A tracker that becomes reliable once its listener runs (PostgreSQL).
    pub fn remote() -> Arc<Self> {
        Arc::new(Self {
            origin: uuid::Uuid::new_v4().simple().to_string(),
            ..Self::default()
        })
    }

    /// The payload of this node's notifications.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The current generation, or `None` when changes may go unseen.
    pub fn generation(&self) -> Option<u64> {
        self.reliable
            .load(Ordering::Acquire)
            .then(|| self.generation.load(Ordering::Acquire))
    }

    /// The data generation (every write of this process), or `None` when
    /// writes elsewhere may go unseen.
    pub fn data_generation(&self) -> Option<u64> {
        self.sees_every_write
            .then(|| self.data.load(Ordering::Acquire))
    }

    /// Records that something was written (accounts included).
    pub fn bump(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        self.bump_data();
    }

    /// Records a write that need not reach the authentication cache.
    pub fn bump_data(&self) {
        self.data.fetch_add(1, Ordering::AcqRel);
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
                Ok(Some(notification)) => {
                    if !self.reliable.load(Ordering::Acquire) {
                        // First notification after a reconnect: listening again.
                        self.set_reliable(true);
                    } else if notification.payload() != self.origin {
                        self.bump();
                    }
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
