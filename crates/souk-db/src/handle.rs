//! The database handle: connects by URL, runs migrations, and hands out write
//! transactions that are safe on both backends.

use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend,
    DbErr, EntityTrait, QuerySelect, Select, SqliteTransactionMode, Statement, TransactionOptions,
    TransactionTrait,
    sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous},
};
use sea_orm_migration::MigratorTrait;
use tokio::sync::{Mutex, OwnedMutexGuard};

use crate::{
    changes::{CHANNEL, ChangeTracker},
    migration::Migrator,
};

/// Which engine sits behind the handle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbBackendKind {
    Sqlite,
    Postgres,
}

/// A cloneable handle on the connection pool.
///
/// SQLite allows one writer at a time, and a deferred transaction that reads and
/// then writes fails at once (`SQLITE_BUSY_SNAPSHOT`) when another writer got in
/// between; `busy_timeout` does not help there. So on SQLite every write
/// transaction begins `IMMEDIATE` (taking the write lock at once; other
/// processes and single-statement writes wait on `busy_timeout`) and first
/// takes an in-process lock so that our own writers queue without polling.
/// Reads stay concurrent (WAL). PostgreSQL needs neither.
#[derive(Clone)]
pub struct Db {
    conn: DatabaseConnection,
    search: DatabaseConnection,
    kind: DbBackendKind,
    sqlite_writer: Option<Arc<Mutex<()>>>,
    changes: Arc<ChangeTracker>,
    statements: Arc<AtomicU64>,
}

/// A write transaction; on SQLite it also holds the writer lock until it ends.
pub struct WriteTx {
    txn: DatabaseTransaction,
    _writer: Option<OwnedMutexGuard<()>>,
    changes: Arc<ChangeTracker>,
    kind: DbBackendKind,
    touches_accounts: bool,
    statements: Arc<AtomicU64>,
}

impl std::ops::Deref for WriteTx {
    type Target = DatabaseTransaction;
    fn deref(&self) -> &Self::Target {
        &self.txn
    }
}

impl WriteTx {
    /// Declares that this transaction writes no `users` or `sessions` rows
    /// (and nothing else the authentication cache holds), so it need not
    /// invalidate that cache on commit. Only for hot paths that are sure.
    pub fn without_account_changes(mut self) -> Self {
        self.touches_accounts = false;
        self
    }

    /// Commits the transaction, tells read caches (on every node), and
    /// releases the writer lock.
    pub async fn commit(self) -> Result<(), DbErr> {
        self.statements.fetch_add(1, Ordering::Relaxed);
        if !self.touches_accounts {
            self.txn.commit().await?;
            self.changes.bump_data();
            return Ok(());
        }
        if self.kind == DbBackendKind::Postgres {
            self.txn
                .execute_raw(Statement::from_sql_and_values(
                    DbBackend::Postgres,
                    "SELECT pg_notify($1, $2)",
                    [CHANNEL.into(), self.changes.origin().into()],
                ))
                .await?;
        }
        self.txn.commit().await?;
        self.changes.bump();
        Ok(())
    }
}

/// Counts every statement a connection runs (for [`Db::statements`]) and
/// moves the data generation after a statement that may have written
/// outside a write transaction (a statement that is its own transaction
/// commits as it returns; inside a transaction the commit moves it again).
fn install_counter(
    conn: &mut DatabaseConnection,
    statements: &Arc<AtomicU64>,
    changes: &Arc<ChangeTracker>,
) {
    let statements = statements.clone();
    let changes = changes.clone();
    conn.set_metric_callback(move |info| {
        statements.fetch_add(1, Ordering::Relaxed);
        if !is_read_only(&info.statement.sql) {
            changes.bump_data();
        }
    });
}

/// A statement that certainly writes nothing: a plain `SELECT` (a `WITH`
/// may hide a data-modifying CTE, so it counts as a write).
fn is_read_only(sql: &str) -> bool {
    sql.trim_start()
        .get(..6)
        .is_some_and(|head| head.eq_ignore_ascii_case("select"))
}

/// Pool settings shared by both pools.
fn pool_options(url: &str, max_connections: u32) -> ConnectOptions {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(max_connections)
        .min_connections(1)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(10))
        // A connection handed straight back out is not pinged first (that
        // ping was one more round trip per transaction); one idle for a
        // while may have been dropped by the server or a proxy, so it is.
        .test_before_acquire_if_idle_for(Duration::from_secs(30))
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|opts| {
            opts.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
                .create_if_missing(true)
        });
    options
}

impl Db {
    /// Connects to `url` (`sqlite://…` or `postgres://…`) with sensible pool settings.
    pub async fn connect(url: &str, max_connections: u32) -> Result<Self, DbErr> {
        let kind = if url.starts_with("sqlite:") {
            DbBackendKind::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            DbBackendKind::Postgres
        } else {
            return Err(DbErr::Custom(
                "DATABASE_URL must start with sqlite: or postgres:".into(),
            ));
        };
        let changes = match kind {
            DbBackendKind::Sqlite => ChangeTracker::local(),
            DbBackendKind::Postgres => ChangeTracker::remote(),
        };
        let statements = Arc::new(AtomicU64::new(0));
        let mut conn = Database::connect(pool_options(url, max_connections)).await?;
        install_counter(&mut conn, &statements, &changes);
        let search = match kind {
            DbBackendKind::Sqlite => conn.clone(),
            DbBackendKind::Postgres => {
                let mut options = pool_options(url, max_connections);
                options.map_sqlx_postgres_opts(|opts| {
                    opts.options([("plan_cache_mode", "force_generic_plan")])
                });
                let mut search = Database::connect(options).await?;
                install_counter(&mut search, &statements, &changes);
                search
            }
        };
        if kind == DbBackendKind::Postgres {
            let pool = conn.get_postgres_connection_pool().clone();
            tokio::spawn(changes.clone().listen(pool));
        }
        Ok(Self {
            conn,
            search,
            kind,
            sqlite_writer: (kind == DbBackendKind::Sqlite).then(|| Arc::new(Mutex::new(()))),
            changes,
            statements,
        })
    }

    /// Applies every pending migration.
    pub async fn migrate(&self) -> Result<(), DbErr> {
        Migrator::up(&self.conn, None).await
    }

    /// Reverts the last `steps` applied migrations (operators rolling back a
    /// release; tests proving each migration reverses cleanly).
    pub async fn rollback(&self, steps: u32) -> Result<(), DbErr> {
        Migrator::down(&self.conn, Some(steps)).await
    }

    /// Connections for search statements: their shapes are fixed and every
    /// list travels as one array parameter, so on PostgreSQL they keep one
    /// generic plan per connection instead of being planned at each call
    /// (planning cost more than running them). A separate pool because the
    /// rest of Souk filters on skewed columns (a job's status) where a plan
    /// for the actual value matters. The same pool on SQLite.
    pub fn search_conn(&self) -> &DatabaseConnection {
        &self.search
    }

    /// The pooled connection, for reads and single-statement writes.
    pub fn conn(&self) -> &DatabaseConnection {
        &self.conn
    }

    /// `query` taking row locks (`FOR UPDATE`) on PostgreSQL, so concurrent
    /// write transactions on the same rows queue; unchanged on SQLite, whose
    /// writers are serialized already.
    pub fn for_update<E: EntityTrait>(&self, query: Select<E>) -> Select<E> {
        match self.kind {
            DbBackendKind::Postgres => query.lock_exclusive(),
            DbBackendKind::Sqlite => query,
        }
    }

    /// The engine behind this handle.
    pub fn kind(&self) -> DbBackendKind {
        self.kind
    }

    /// SeaORM's backend enum, for building raw statements.
    pub fn backend(&self) -> DbBackend {
        self.conn.get_database_backend()
    }

    /// Tells the authentication cache on every node that account rows
    /// changed, for writes made outside [`Db::begin_write`] (a statement
    /// that committed itself; see `CheckedWrite`).
    pub async fn announce_account_change(&self) -> Result<(), DbErr> {
        if self.kind == DbBackendKind::Postgres {
            self.conn
                .execute_raw(Statement::from_sql_and_values(
                    DbBackend::Postgres,
                    "SELECT pg_notify($1, $2)",
                    [CHANNEL.into(), self.changes.origin().into()],
                ))
                .await?;
        }
        self.changes.bump();
        Ok(())
    }

    /// Starts a write transaction (serialized on SQLite; see the type's docs).
    pub async fn begin_write(&self) -> Result<WriteTx, DbErr> {
        self.statements.fetch_add(1, Ordering::Relaxed);
        let writer = match &self.sqlite_writer {
            Some(lock) => Some(lock.clone().lock_owned().await),
            None => None,
        };
        let txn = match self.kind {
            DbBackendKind::Sqlite => {
                self.conn
                    .begin_with_options(TransactionOptions {
                        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                        ..Default::default()
                    })
                    .await?
            }
            DbBackendKind::Postgres => self.conn.begin().await?,
        };
        Ok(WriteTx {
            txn,
            _writer: writer,
            changes: self.changes.clone(),
            kind: self.kind,
            touches_accounts: true,
            statements: self.statements.clone(),
        })
    }

    /// The write generation for read caches; `None` when writes of other
    /// nodes might go unseen (cache nothing then). Every write must go
    /// through [`Db::begin_write`] for this to hold.
    pub fn write_generation(&self) -> Option<u64> {
        self.changes.generation()
    }

    /// The generation of every write, for read caches of data that writes
    /// change without announcing it to other nodes (job status, money,
    /// counters): moved by every write transaction's commit and by every
    /// statement that may write outside one. `None` when some writes might
    /// go unseen — on PostgreSQL, where other nodes (and this node's
    /// one-statement money writes) do not announce such writes; there
    /// these caches stay off. Read it before the data it guards.
    pub fn data_generation(&self) -> Option<u64> {
        self.changes.data_generation()
    }

    /// How many statements this handle has sent so far, over all its pools
    /// and transactions (`BEGIN` and `COMMIT` of write transactions
    /// included; pool health pings not). Tests read it around a request to
    /// hold hot routes to a statement budget.
    pub fn statements(&self) -> u64 {
        self.statements.load(Ordering::Relaxed)
    }

    /// Round-trips a trivial query; used by the health check.
    pub async fn ping(&self) -> Result<(), DbErr> {
        self.conn.ping().await
    }

    /// Connections open and idle in the pool, for metrics.
    pub fn pool_stats(&self) -> (u32, usize) {
        match self.kind {
            DbBackendKind::Sqlite => {
                let pool = self.conn.get_sqlite_connection_pool();
                (pool.size(), pool.num_idle())
            }
            DbBackendKind::Postgres => {
                let pool = self.conn.get_postgres_connection_pool();
                (pool.size(), pool.num_idle())
            }
        }
    }

    /// Closes the pool (graceful shutdown).
    pub async fn close(self) -> Result<(), DbErr> {
        self.conn.close().await
    }
}
