//! On PostgreSQL, `ledger_postings` drops its two foreign keys (to its entry
//! and its account). Each was a trigger that, for every posting, looked the
//! row up again and locked it: about 8% of the machine's CPU per escrow
//! fund+release cycle. Postings are written only by the ledger's one
//! statement, which takes both ids from the rows it has just written, and
//! nothing is ever deleted from the ledger; the trial balance
//! (`GET /api/admin/ledger/check`) reports any posting whose entry or account
//! is missing, and any entry without postings. SQLite keeps the keys (it
//! cannot drop a constraint in place, and its checks are cheap).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        super::on_postgres(
            manager,
            "ALTER TABLE ledger_postings \
                 DROP CONSTRAINT IF EXISTS ledger_postings_entry_id_fkey, \
                 DROP CONSTRAINT IF EXISTS ledger_postings_account_id_fkey",
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        super::on_postgres(
            manager,
            "ALTER TABLE ledger_postings \
                 ADD CONSTRAINT ledger_postings_entry_id_fkey \
                 FOREIGN KEY (entry_id) REFERENCES ledger_entries (id), \
                 ADD CONSTRAINT ledger_postings_account_id_fkey \
                 FOREIGN KEY (account_id) REFERENCES ledger_accounts (id)",
        )
        .await
    }
}
