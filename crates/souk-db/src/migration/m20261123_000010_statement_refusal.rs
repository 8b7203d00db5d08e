//! On PostgreSQL, `souk_refuse(reason)`: raises SQLSTATE `SK001` with
//! `reason` as its message. A money statement that runs as its own
//! transaction (no BEGIN/COMMIT round trips) calls it when one of its parts
//! came up short — a debit refused, a guarded status change lost to someone
//! faster — so the whole statement, and everything it wrote, is undone.
//! SQLite runs those writes step by step inside a transaction instead.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        super::on_postgres(
            manager,
            "CREATE OR REPLACE FUNCTION souk_refuse(reason text) RETURNS bigint \
                 LANGUAGE plpgsql VOLATILE AS $$ \
                 BEGIN RAISE EXCEPTION USING ERRCODE = 'SK001', MESSAGE = reason; END $$",
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        super::on_postgres(manager, "DROP FUNCTION IF EXISTS souk_refuse(text)").await
    }
}
