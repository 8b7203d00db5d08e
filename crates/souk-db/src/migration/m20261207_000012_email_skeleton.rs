//! `users.email_skeleton`: the confusable skeleton of each address (see
//! `crate::confusable`), indexed, filled for the accounts that exist. Not
//! unique: accounts registered before this check may already look alike;
//! registration refuses new look-alikes.

use sea_orm_migration::{
    prelude::*,
    sea_orm::{ConnectionTrait, Statement},
};

use crate::confusable::email_skeleton;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Users {
    Table,
    EmailSkeleton,
}

const INDEX: &str = "idx_users_email_skeleton";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(ColumnDef::new(Users::EmailSkeleton).string().null())
                    .to_owned(),
            )
            .await?;
        let conn = manager.get_connection();
        let backend = conn.get_database_backend();
        let rows = conn
            .query_all_raw(Statement::from_string(
                backend,
                "SELECT id, email FROM users",
            ))
            .await?;
        for row in rows {
            let id: uuid::Uuid = row.try_get("", "id")?;
            let email: String = row.try_get("", "email")?;
            let (sql, skeleton) = match backend {
                sea_orm::DatabaseBackend::Postgres => (
                    "UPDATE users SET email_skeleton = $1 WHERE id = $2",
                    email_skeleton(&email),
                ),
                _ => (
                    "UPDATE users SET email_skeleton = ? WHERE id = ?",
                    email_skeleton(&email),
                ),
            };
            conn.execute_raw(Statement::from_sql_and_values(
                backend,
                sql,
                [skeleton.into(), id.into()],
            ))
            .await?;
        }
        manager
            .create_index(super::create_index(
                Users::Table,
                INDEX,
                &[Users::EmailSkeleton],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(super::drop_index(Users::Table, INDEX))
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .drop_column(Users::EmailSkeleton)
                    .to_owned(),
            )
            .await
    }
}
