//! Bookings: a client's booking of an offering at a time, and the job it
//! becomes once accepted (`jobs.booking_id`). No two bookings of a provider
//! that hold time (every status but the final ones) overlap, buffers
//! included, and the database itself refuses it: on PostgreSQL an exclusion
//! constraint over `int8range(hold_from, hold_to)` (`btree_gist` for the
//! provider's `=`); on SQLite triggers before insert and update, which see
//! every committed booking because SQLite has one writer at a time. Both
//! name `bookings_no_overlap` in their error, which the use-case answers as
//! 409 `slot_taken`.

use sea_orm_migration::{
    prelude::*,
    schema::*,
    sea_orm::{ConnectionTrait, DatabaseBackend},
};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Bookings {
    Table,
    Id,
    OfferingId,
    ProviderId,
    ClientId,
    StartAt,
    EndAt,
    HoldFrom,
    HoldTo,
    TimeZone,
    Status,
    Price,
    Currency,
    PaymentType,
    Notes,
    Address,
    Latitude,
    Longitude,
    JobId,
    ContractId,
    StatusReason,
    ExpiresAt,
    FreeCancelUntil,
    LateShareBps,
    NoShowShareBps,
    ProposedStartAt,
    ProposedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CalendarTokens {
    Table,
    UserId,
    TokenHash,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Offerings {
    Table,
    Images,
}

#[derive(DeriveIden)]
enum Jobs {
    Table,
    BookingId,
}

/// The statuses that hold time (kept in step with `BookingStatus::HOLDING_SQL`).
const HOLDING: &str = "'pending', 'accepted', 'in_progress', 'work_submitted', 'disputed'";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Bookings::Table)
                    .col(uuid(Bookings::Id).primary_key())
                    .col(uuid(Bookings::OfferingId))
                    .col(uuid(Bookings::ProviderId))
                    .col(uuid(Bookings::ClientId))
                    .col(timestamp_with_time_zone(Bookings::StartAt))
                    .col(timestamp_with_time_zone(Bookings::EndAt))
                    .col(big_integer(Bookings::HoldFrom))
                    .col(big_integer(Bookings::HoldTo))
                    .col(string_len(Bookings::TimeZone, 64))
                    .col(string_len(Bookings::Status, 16))
                    .col(big_integer(Bookings::Price))
                    .col(string_len(Bookings::Currency, 3))
                    .col(string_len(Bookings::PaymentType, 16))
                    .col(text_null(Bookings::Notes))
                    .col(text_null(Bookings::Address))
                    .col(double_null(Bookings::Latitude))
                    .col(double_null(Bookings::Longitude))
                    .col(uuid_null(Bookings::JobId))
                    .col(uuid_null(Bookings::ContractId))
                    .col(text_null(Bookings::StatusReason))
                    .col(timestamp_with_time_zone(Bookings::ExpiresAt))
                    .col(timestamp_with_time_zone(Bookings::FreeCancelUntil))
                    .col(integer(Bookings::LateShareBps))
                    .col(integer(Bookings::NoShowShareBps))
                    .col(timestamp_with_time_zone_null(Bookings::ProposedStartAt))
                    .col(uuid_null(Bookings::ProposedBy))
                    .col(timestamp_with_time_zone(Bookings::CreatedAt))
                    .col(timestamp_with_time_zone(Bookings::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            (
                "ix_bookings_provider_hold",
                &[Bookings::ProviderId, Bookings::HoldFrom][..],
            ),
            (
                "ix_bookings_client_start",
                &[Bookings::ClientId, Bookings::StartAt][..],
            ),
            (
                "ix_bookings_offering",
                &[Bookings::OfferingId, Bookings::StartAt][..],
            ),
        ] {
            let mut index = super::create_index(Bookings::Table, name, cols);
            manager
                .create_index(index.if_not_exists().to_owned())
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(CalendarTokens::Table)
                    .col(uuid(CalendarTokens::UserId).primary_key())
                    .col(string_len(CalendarTokens::TokenHash, 64).unique_key())
                    .col(timestamp_with_time_zone(CalendarTokens::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Jobs::Table)
                    .add_column(uuid_null(Jobs::BookingId))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Offerings::Table)
                    .add_column(text(Offerings::Images).default("[]"))
                    .to_owned(),
            )
            .await?;
        let conn = manager.get_connection();
        match conn.get_database_backend() {
            DatabaseBackend::Postgres => {
                conn.execute_unprepared("CREATE EXTENSION IF NOT EXISTS btree_gist")
                    .await?;
                conn.execute_unprepared(&format!(
                    "ALTER TABLE bookings ADD CONSTRAINT bookings_no_overlap \
                     EXCLUDE USING gist (provider_id WITH =, int8range(hold_from, hold_to) WITH &&) \
                     WHERE (status IN ({HOLDING}))"
                ))
                .await?;
            }
            _ => {
                let clash = |also: &str| {
                    format!(
                        "SELECT RAISE(ABORT, 'bookings_no_overlap') WHERE EXISTS (\
                         SELECT 1 FROM bookings b WHERE b.provider_id = NEW.provider_id \
                         AND b.status IN ({HOLDING}) AND b.hold_from < NEW.hold_to \
                         AND b.hold_to > NEW.hold_from{also});"
                    )
                };
                conn.execute_unprepared(&format!(
                    "CREATE TRIGGER IF NOT EXISTS bookings_no_overlap_insert BEFORE INSERT ON bookings \
                     WHEN NEW.status IN ({HOLDING}) BEGIN {} END",
                    clash("")
                ))
                .await?;
                conn.execute_unprepared(&format!(
                    "CREATE TRIGGER IF NOT EXISTS bookings_no_overlap_update \
                     BEFORE UPDATE OF hold_from, hold_to, status, provider_id ON bookings \
                     WHEN NEW.status IN ({HOLDING}) BEGIN {} END",
                    clash(" AND b.id <> NEW.id")
                ))
                .await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Offerings::Table)
                    .drop_column(Offerings::Images)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Jobs::Table)
                    .drop_column(Jobs::BookingId)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(CalendarTokens::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Bookings::Table).to_owned())
            .await
    }
}
