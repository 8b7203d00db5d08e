//! Money: the double-entry ledger (accounts with cached balances, immutable
//! entries and their postings), gateway payments and the webhook events seen,
//! withdrawals, credit packages, platform settings, idempotency keys, and the
//! escrow state of each contract.

use sea_orm_migration::{prelude::*, schema::*, sea_orm::TransactionTrait};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum LedgerAccounts {
    Table,
    Id,
    Key,
    Kind,
    OwnerId,
    Currency,
    Balance,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum LedgerEntries {
    Table,
    Id,
    Kind,
    IdempotencyKey,
    ContractId,
    PaymentId,
    WithdrawalId,
    ActorId,
    Memo,
    CreatedAt,
}

#[derive(DeriveIden)]
enum LedgerPostings {
    Table,
    Id,
    EntryId,
    AccountId,
    Amount,
    BalanceAfter,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Payments {
    Table,
    Id,
    UserId,
    Gateway,
    Purpose,
    Status,
    Amount,
    Credit,
    Currency,
    ContractId,
    PackageId,
    ExternalId,
    ReferenceCode,
    CheckoutUrl,
    FailureReason,
    ChargeReference,
    Refunded,
    CreatedAt,
    UpdatedAt,
    CompletedAt,
}

#[derive(DeriveIden)]
enum WebhookEvents {
    Table,
    Gateway,
    EventId,
    PaymentId,
    ReceivedAt,
}

#[derive(DeriveIden)]
enum Withdrawals {
    Table,
    Id,
    UserId,
    Amount,
    Fee,
    Currency,
    Method,
    Destination,
    Status,
    Reason,
    ReviewedBy,
    ReviewedAt,
    PayoutReference,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CreditPackages {
    Table,
    Id,
    NameEn,
    NameAr,
    Price,
    Credit,
    Active,
    SortOrder,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PlatformSettings {
    Table,
    Key,
    Value,
    UpdatedBy,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum IdempotencyKeys {
    Table,
    UserId,
    Key,
    RequestHash,
    ResponseStatus,
    ResponseBody,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Contracts {
    Table,
    EscrowStatus,
    FundedAt,
}

#[derive(DeriveIden)]
enum Jobs {
    Table,
    SubmittedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

fn fk(
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from.0, from.1)
        .to(to.0, to.1)
        .to_owned()
}

fn index(name: &str, table: impl IntoIden, cols: Vec<DynIden>) -> IndexCreateStatement {
    let mut statement = Index::create();
    statement.name(name).table(table);
    for col in cols {
        statement.col(col);
    }
    statement.to_owned()
}

fn tables() -> Vec<TableCreateStatement> {
    vec![
        Table::create()
            .table(LedgerAccounts::Table)
            .col(pk_uuid(LedgerAccounts::Id))
            .col(string_uniq(LedgerAccounts::Key))
            .col(string(LedgerAccounts::Kind))
            .col(uuid_null(LedgerAccounts::OwnerId))
            .col(string(LedgerAccounts::Currency))
            .col(big_integer(LedgerAccounts::Balance).default(0))
            .col(timestamp_with_time_zone(LedgerAccounts::CreatedAt))
            .col(timestamp_with_time_zone(LedgerAccounts::UpdatedAt))
            // Only debts, gateway clearing and promotions may go below zero.
            .check(Expr::cust(
                "balance >= 0 OR kind IN ('fee_debt', 'clearing', 'promotions')",
            ))
            .to_owned(),
        Table::create()
            .table(LedgerEntries::Table)
            .col(pk_uuid(LedgerEntries::Id))
            .col(string(LedgerEntries::Kind))
            .col(string_uniq(LedgerEntries::IdempotencyKey))
            .col(uuid_null(LedgerEntries::ContractId))
            .col(uuid_null(LedgerEntries::PaymentId))
            .col(uuid_null(LedgerEntries::WithdrawalId))
            .col(uuid_null(LedgerEntries::ActorId))
            .col(text_null(LedgerEntries::Memo))
            .col(timestamp_with_time_zone(LedgerEntries::CreatedAt))
            .to_owned(),
        Table::create()
            .table(LedgerPostings::Table)
            .col(pk_auto(LedgerPostings::Id).big_integer())
            .col(uuid(LedgerPostings::EntryId))
            .col(uuid(LedgerPostings::AccountId))
            .col(big_integer(LedgerPostings::Amount))
            .col(big_integer(LedgerPostings::BalanceAfter))
            .col(timestamp_with_time_zone(LedgerPostings::CreatedAt))
            .foreign_key(&mut fk(
                (LedgerPostings::Table, LedgerPostings::EntryId),
                (LedgerEntries::Table, LedgerEntries::Id),
            ))
            .foreign_key(&mut fk(
                (LedgerPostings::Table, LedgerPostings::AccountId),
                (LedgerAccounts::Table, LedgerAccounts::Id),
            ))
            .to_owned(),
        Table::create()
            .table(Payments::Table)
            .col(pk_uuid(Payments::Id))
            .col(uuid(Payments::UserId))
            .col(string(Payments::Gateway))
            .col(string(Payments::Purpose))
            .col(string(Payments::Status))
            .col(big_integer(Payments::Amount))
            .col(big_integer(Payments::Credit))
            .col(string(Payments::Currency))
            .col(uuid_null(Payments::ContractId))
            .col(uuid_null(Payments::PackageId))
            .col(string_null(Payments::ExternalId))
            .col(string_null(Payments::ReferenceCode))
            .col(text_null(Payments::CheckoutUrl))
            .col(text_null(Payments::FailureReason))
            .col(string_null(Payments::ChargeReference))
            .col(big_integer(Payments::Refunded).default(0))
            .col(timestamp_with_time_zone(Payments::CreatedAt))
            .col(timestamp_with_time_zone(Payments::UpdatedAt))
            .col(timestamp_with_time_zone_null(Payments::CompletedAt))
            .foreign_key(&mut fk(
                (Payments::Table, Payments::UserId),
                (Users::Table, Users::Id),
            ))
            .to_owned(),
        Table::create()
            .table(WebhookEvents::Table)
            .col(string(WebhookEvents::Gateway))
            .col(string(WebhookEvents::EventId))
            .col(uuid_null(WebhookEvents::PaymentId))
            .col(timestamp_with_time_zone(WebhookEvents::ReceivedAt))
            .primary_key(
                Index::create()
                    .col(WebhookEvents::Gateway)
                    .col(WebhookEvents::EventId),
            )
            .to_owned(),
        Table::create()
            .table(Withdrawals::Table)
            .col(pk_uuid(Withdrawals::Id))
            .col(uuid(Withdrawals::UserId))
            .col(big_integer(Withdrawals::Amount))
            .col(big_integer(Withdrawals::Fee))
            .col(string(Withdrawals::Currency))
            .col(string(Withdrawals::Method))
            .col(string(Withdrawals::Destination))
            .col(string(Withdrawals::Status))
            .col(text_null(Withdrawals::Reason))
            .col(uuid_null(Withdrawals::ReviewedBy))
            .col(timestamp_with_time_zone_null(Withdrawals::ReviewedAt))
            .col(string_null(Withdrawals::PayoutReference))
            .col(timestamp_with_time_zone(Withdrawals::CreatedAt))
            .col(timestamp_with_time_zone(Withdrawals::UpdatedAt))
            .foreign_key(&mut fk(
                (Withdrawals::Table, Withdrawals::UserId),
                (Users::Table, Users::Id),
            ))
            .to_owned(),
        Table::create()
            .table(CreditPackages::Table)
            .col(pk_uuid(CreditPackages::Id))
            .col(string(CreditPackages::NameEn))
            .col(string(CreditPackages::NameAr))
            .col(big_integer(CreditPackages::Price))
            .col(big_integer(CreditPackages::Credit))
            .col(boolean(CreditPackages::Active).default(true))
            .col(integer(CreditPackages::SortOrder).default(0))
            .col(timestamp_with_time_zone(CreditPackages::CreatedAt))
            .col(timestamp_with_time_zone(CreditPackages::UpdatedAt))
            .to_owned(),
        Table::create()
            .table(PlatformSettings::Table)
            .col(string(PlatformSettings::Key).primary_key())
            .col(text(PlatformSettings::Value))
            .col(uuid_null(PlatformSettings::UpdatedBy))
            .col(timestamp_with_time_zone(PlatformSettings::UpdatedAt))
            .to_owned(),
        Table::create()
            .table(IdempotencyKeys::Table)
            .col(uuid(IdempotencyKeys::UserId))
            .col(string(IdempotencyKeys::Key))
            .col(string(IdempotencyKeys::RequestHash))
            .col(integer_null(IdempotencyKeys::ResponseStatus))
            .col(text_null(IdempotencyKeys::ResponseBody))
            .col(timestamp_with_time_zone(IdempotencyKeys::CreatedAt))
            .primary_key(
                Index::create()
                    .col(IdempotencyKeys::UserId)
                    .col(IdempotencyKeys::Key),
            )
            .to_owned(),
    ]
}

fn indexes() -> Vec<IndexCreateStatement> {
    vec![
        index(
            "idx_ledger_postings_account",
            LedgerPostings::Table,
            vec![
                LedgerPostings::AccountId.into_iden(),
                LedgerPostings::Id.into_iden(),
            ],
        ),
        index(
            "idx_payments_user",
            Payments::Table,
            vec![
                Payments::UserId.into_iden(),
                Payments::CreatedAt.into_iden(),
            ],
        ),
        index(
            "idx_payments_external",
            Payments::Table,
            vec![
                Payments::Gateway.into_iden(),
                Payments::ExternalId.into_iden(),
            ],
        ),
        index(
            "idx_withdrawals_user",
            Withdrawals::Table,
            vec![
                Withdrawals::UserId.into_iden(),
                Withdrawals::CreatedAt.into_iden(),
            ],
        ),
        index(
            "idx_withdrawals_status",
            Withdrawals::Table,
            vec![
                Withdrawals::Status.into_iden(),
                Withdrawals::CreatedAt.into_iden(),
            ],
        ),
    ]
}

// One transaction per direction (see the jobs_listed migration for why).
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let txn = manager.get_connection().begin().await?;
        for table in tables() {
            txn.execute(&table).await?;
        }
        for index in indexes() {
            txn.execute(&index).await?;
        }
        for column in [
            string(Contracts::EscrowStatus).default("unfunded").take(),
            timestamp_with_time_zone_null(Contracts::FundedAt),
        ] {
            txn.execute(
                &Table::alter()
                    .table(Contracts::Table)
                    .add_column(column)
                    .to_owned(),
            )
            .await?;
        }
        // Cash contracts hold no escrow.
        txn.execute_unprepared(
            "UPDATE contracts SET escrow_status = 'none' WHERE payment_type = 'cash'",
        )
        .await?;
        txn.execute(
            &Table::alter()
                .table(Jobs::Table)
                .add_column(timestamp_with_time_zone_null(Jobs::SubmittedAt))
                .to_owned(),
        )
        .await?;
        txn.commit().await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let txn = manager.get_connection().begin().await?;
        txn.execute(
            &Table::alter()
                .table(Jobs::Table)
                .drop_column(Jobs::SubmittedAt)
                .to_owned(),
        )
        .await?;
        for column in [Contracts::FundedAt, Contracts::EscrowStatus] {
            txn.execute(
                &Table::alter()
                    .table(Contracts::Table)
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        for table in [
            IdempotencyKeys::Table.into_iden(),
            PlatformSettings::Table.into_iden(),
            CreditPackages::Table.into_iden(),
            Withdrawals::Table.into_iden(),
            WebhookEvents::Table.into_iden(),
            Payments::Table.into_iden(),
            LedgerPostings::Table.into_iden(),
            LedgerEntries::Table.into_iden(),
            LedgerAccounts::Table.into_iden(),
        ] {
            txn.execute(&Table::drop().table(table).to_owned()).await?;
        }
        txn.commit().await
    }
}
