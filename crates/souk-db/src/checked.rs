//! The footing of a use-case that reads, decides, then writes: the one
//! place that knows how each engine keeps what was read true until the
//! write. On PostgreSQL the reads take no locks and the write is one
//! statement that is its own transaction (data-modifying CTEs: no BEGIN /
//! COMMIT round trips) and re-checks what the reads saw under the row locks
//! it takes; a use-case whose write is more than one statement asks for a
//! transaction ([`CheckedWrite::into_transaction`]). On SQLite it is a write
//! transaction from the start: writers are serialized, so what was read
//! holds until the commit.

use sea_orm::{DatabaseExecutor, DbErr};

use crate::{Db, DbBackendKind, WriteTx};

/// Where a read-decide-write use-case runs (see the module's docs).
pub enum CheckedWrite<'a> {
    /// Reads unlocked; each write statement commits itself and must
    /// re-check what the reads saw.
    Statement { db: &'a Db, touches_accounts: bool },
    /// A write transaction: reads may lock, writes commit together.
    Transaction(WriteTx),
}

impl Db {
    /// Starts a [`CheckedWrite`]: a single-statement footing where the
    /// engine can run a guarded multi-table write as one statement, else a
    /// write transaction.
    pub async fn begin_checked(&self) -> Result<CheckedWrite<'_>, DbErr> {
        Ok(match self.kind() {
            DbBackendKind::Postgres => CheckedWrite::Statement {
                db: self,
                touches_accounts: true,
            },
            DbBackendKind::Sqlite => CheckedWrite::Transaction(self.begin_write().await?),
        })
    }
}

impl<'a> CheckedWrite<'a> {
    /// Declares that nothing written here is held by the authentication
    /// cache (see [`WriteTx::without_account_changes`]).
    pub fn without_account_changes(self) -> Self {
        match self {
            CheckedWrite::Statement { db, .. } => CheckedWrite::Statement {
                db,
                touches_accounts: false,
            },
            CheckedWrite::Transaction(tx) => {
                CheckedWrite::Transaction(tx.without_account_changes())
            }
        }
    }

    /// Whether this is a transaction: reads may lock rows (and on SQLite
    /// hold anyway), and several writes commit together.
    pub fn is_transaction(&self) -> bool {
        matches!(self, CheckedWrite::Transaction(_))
    }

    /// The same footing as a transaction (begun now when it was not one):
    /// for a write that turned out to need more than one statement. Reads
    /// made before must be made again inside it.
    pub async fn into_transaction(self) -> Result<CheckedWrite<'a>, DbErr> {
        match self {
            CheckedWrite::Statement {
                db,
                touches_accounts,
            } => {
                let tx = db.begin_write().await?;
                Ok(CheckedWrite::Transaction(if touches_accounts {
                    tx
                } else {
                    tx.without_account_changes()
                }))
            }
            done => Ok(done),
        }
    }

    /// The connection to read and write through.
    pub fn conn(&self) -> DatabaseExecutor<'_> {
        match self {
            CheckedWrite::Statement { db, .. } => DatabaseExecutor::Connection(db.conn()),
            CheckedWrite::Transaction(tx) => DatabaseExecutor::Transaction(tx),
        }
    }

    /// Commits a transaction (a statement committed itself already); read
    /// caches hear of it either way.
    pub async fn commit(self) -> Result<(), DbErr> {
        match self {
            CheckedWrite::Statement {
                db,
                touches_accounts,
            } => {
                if touches_accounts {
                    db.announce_account_change().await?;
                }
                Ok(())
            }
            CheckedWrite::Transaction(tx) => tx.commit().await,
        }
    }
}
