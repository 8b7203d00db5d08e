//! On PostgreSQL, `notifications` drops its foreign key to `users`. The key
//! was a trigger that, for every notification, looked the user up again and
//! locked the row — a second query per notification, after the insert had
//! already read that user (every notification is written as `INSERT …
//! SELECT … FROM users WHERE id = …`, which also picks its language, so a
//! notification for a missing user is never written). Users are never
//! deleted (erasure anonymises the row and keeps it), so the cascade the
//! key carried never fired. SQLite keeps the key (it cannot
//! drop a constraint in place, and its checks are cheap).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        super::on_postgres(
            manager,
            "ALTER TABLE notifications DROP CONSTRAINT IF EXISTS notifications_user_id_fkey",
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        super::on_postgres(
            manager,
            "ALTER TABLE notifications ADD CONSTRAINT notifications_user_id_fkey \
                 FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE",
        )
        .await
    }
}
