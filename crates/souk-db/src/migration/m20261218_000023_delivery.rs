//! Delivery and integrators: users' push devices and notification
//! preferences; one row per notification × channel × target that carries
//! the send's idempotency key and its dead-letter state; the event feed
//! (sequence assigned after commit by one sequencer at a time, so readers
//! never see a lower number appear later) and its counter; API keys;
//! webhook endpoints, their deliveries and attempt log; admin announcements.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Devices {
    Table,
    Token,
    UserId,
    Platform,
    Locale,
    CreatedAt,
    LastSeenAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum NotificationPreferences {
    Table,
    UserId,
    Matrix,
    QuietStart,
    QuietEnd,
    QuietTimeZone,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Deliveries {
    Table,
    Id,
    DedupeKey,
    NotificationId,
    UserId,
    Channel,
    Target,
    Status,
    Attempts,
    LastError,
    CreatedAt,
    UpdatedAt,
    SentAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Events {
    Table,
    Id,
    Sequence,
    Kind,
    ActorId,
    ResourceType,
    ResourceId,
    Data,
    Previous,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum EventCounter {
    Table,
    Id,
    Last,
}

#[derive(DeriveIden, Clone, Copy)]
enum ApiKeys {
    Table,
    Id,
    Name,
    Prefix,
    SecretHash,
    Scopes,
    CreatedBy,
    CreatedAt,
    LastUsedAt,
    RevokedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum WebhookEndpoints {
    Table,
    Id,
    Url,
    Description,
    Events,
    Active,
    Secret,
    Cursor,
    FailingSince,
    DisabledReason,
    LeaseUntil,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum WebhookDeliveries {
    Table,
    Id,
    EndpointId,
    EventId,
    Sequence,
    Resource,
    Status,
    Attempts,
    NextAt,
    LastStatus,
    LastLatencyMs,
    LastResponse,
    LastError,
    CreatedAt,
    DeliveredAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum WebhookAttempts {
    Table,
    Id,
    DeliveryId,
    EndpointId,
    EventId,
    AttemptedAt,
    StatusCode,
    LatencyMs,
    ResponseExcerpt,
    Error,
}

#[derive(DeriveIden, Clone, Copy)]
enum Announcements {
    Table,
    Id,
    Audience,
    TitleEn,
    TitleAr,
    BodyEn,
    BodyAr,
    Channels,
    CreatedBy,
    CreatedAt,
    Recipients,
    FinishedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let tables = [
            Table::create()
                .table(Devices::Table)
                .if_not_exists()
                .col(string_len(Devices::Token, 4096).primary_key())
                .col(uuid(Devices::UserId))
                .col(string_len(Devices::Platform, 8))
                .col(string_len_null(Devices::Locale, 16))
                .col(timestamp_with_time_zone(Devices::CreatedAt))
                .col(timestamp_with_time_zone(Devices::LastSeenAt))
                .to_owned(),
            Table::create()
                .table(NotificationPreferences::Table)
                .if_not_exists()
                .col(uuid(NotificationPreferences::UserId).primary_key())
                .col(text(NotificationPreferences::Matrix))
                .col(string_len_null(NotificationPreferences::QuietStart, 5))
                .col(string_len_null(NotificationPreferences::QuietEnd, 5))
                .col(string_len_null(NotificationPreferences::QuietTimeZone, 64))
                .col(timestamp_with_time_zone(NotificationPreferences::UpdatedAt))
                .to_owned(),
            Table::create()
                .table(Deliveries::Table)
                .if_not_exists()
                .col(uuid(Deliveries::Id).primary_key())
                .col(string_len(Deliveries::DedupeKey, 200).unique_key())
                .col(uuid_null(Deliveries::NotificationId))
                .col(uuid(Deliveries::UserId))
                .col(string_len(Deliveries::Channel, 8))
                .col(text_null(Deliveries::Target))
                .col(string_len(Deliveries::Status, 8))
                .col(integer(Deliveries::Attempts))
                .col(text_null(Deliveries::LastError))
                .col(timestamp_with_time_zone(Deliveries::CreatedAt))
                .col(timestamp_with_time_zone(Deliveries::UpdatedAt))
                .col(timestamp_with_time_zone_null(Deliveries::SentAt))
                .to_owned(),
            Table::create()
                .table(Events::Table)
                .if_not_exists()
                .col(uuid(Events::Id).primary_key())
                .col(big_integer_null(Events::Sequence))
                .col(string_len(Events::Kind, 64))
                .col(uuid_null(Events::ActorId))
                .col(string_len(Events::ResourceType, 32))
                .col(string_len(Events::ResourceId, 64))
                .col(text(Events::Data))
                .col(text_null(Events::Previous))
                .col(timestamp_with_time_zone(Events::CreatedAt))
                .to_owned(),
            Table::create()
                .table(EventCounter::Table)
                .if_not_exists()
                .col(integer(EventCounter::Id).primary_key())
                .col(big_integer(EventCounter::Last))
                .to_owned(),
            Table::create()
                .table(ApiKeys::Table)
                .if_not_exists()
                .col(uuid(ApiKeys::Id).primary_key())
                .col(string_len(ApiKeys::Name, 100))
                .col(string_len(ApiKeys::Prefix, 24))
                .col(string_len(ApiKeys::SecretHash, 64).unique_key())
                .col(text(ApiKeys::Scopes))
                .col(uuid(ApiKeys::CreatedBy))
                .col(timestamp_with_time_zone(ApiKeys::CreatedAt))
                .col(timestamp_with_time_zone_null(ApiKeys::LastUsedAt))
                .col(timestamp_with_time_zone_null(ApiKeys::RevokedAt))
                .to_owned(),
            Table::create()
                .table(WebhookEndpoints::Table)
                .if_not_exists()
                .col(uuid(WebhookEndpoints::Id).primary_key())
                .col(text(WebhookEndpoints::Url))
                .col(text_null(WebhookEndpoints::Description))
                .col(text(WebhookEndpoints::Events))
                .col(boolean(WebhookEndpoints::Active))
                .col(text(WebhookEndpoints::Secret))
                .col(big_integer(WebhookEndpoints::Cursor))
                .col(timestamp_with_time_zone_null(
                    WebhookEndpoints::FailingSince,
                ))
                .col(text_null(WebhookEndpoints::DisabledReason))
                .col(timestamp_with_time_zone_null(WebhookEndpoints::LeaseUntil))
                .col(uuid(WebhookEndpoints::CreatedBy))
                .col(timestamp_with_time_zone(WebhookEndpoints::CreatedAt))
                .col(timestamp_with_time_zone(WebhookEndpoints::UpdatedAt))
                .to_owned(),
            Table::create()
                .table(WebhookDeliveries::Table)
                .if_not_exists()
                .col(uuid(WebhookDeliveries::Id).primary_key())
                .col(uuid(WebhookDeliveries::EndpointId))
                .col(uuid(WebhookDeliveries::EventId))
                .col(big_integer(WebhookDeliveries::Sequence))
                .col(string_len(WebhookDeliveries::Resource, 100))
                .col(string_len(WebhookDeliveries::Status, 10))
                .col(integer(WebhookDeliveries::Attempts))
                .col(timestamp_with_time_zone(WebhookDeliveries::NextAt))
                .col(integer_null(WebhookDeliveries::LastStatus))
                .col(big_integer_null(WebhookDeliveries::LastLatencyMs))
                .col(text_null(WebhookDeliveries::LastResponse))
                .col(text_null(WebhookDeliveries::LastError))
                .col(timestamp_with_time_zone(WebhookDeliveries::CreatedAt))
                .col(timestamp_with_time_zone_null(
                    WebhookDeliveries::DeliveredAt,
                ))
                .to_owned(),
            Table::create()
                .table(WebhookAttempts::Table)
                .if_not_exists()
                .col(uuid(WebhookAttempts::Id).primary_key())
                .col(uuid(WebhookAttempts::DeliveryId))
                .col(uuid(WebhookAttempts::EndpointId))
                .col(uuid(WebhookAttempts::EventId))
                .col(timestamp_with_time_zone(WebhookAttempts::AttemptedAt))
                .col(integer_null(WebhookAttempts::StatusCode))
                .col(big_integer(WebhookAttempts::LatencyMs))
                .col(text(WebhookAttempts::ResponseExcerpt))
                .col(text_null(WebhookAttempts::Error))
                .to_owned(),
            Table::create()
                .table(Announcements::Table)
                .if_not_exists()
                .col(uuid(Announcements::Id).primary_key())
                .col(text(Announcements::Audience))
                .col(text(Announcements::TitleEn))
                .col(text(Announcements::TitleAr))
                .col(text(Announcements::BodyEn))
                .col(text(Announcements::BodyAr))
                .col(text(Announcements::Channels))
                .col(uuid(Announcements::CreatedBy))
                .col(timestamp_with_time_zone(Announcements::CreatedAt))
                .col(integer(Announcements::Recipients))
                .col(timestamp_with_time_zone_null(Announcements::FinishedAt))
                .to_owned(),
        ];
        for table in tables {
            manager.create_table(table).await?;
        }
        let db = manager.get_connection();
        for sql in [
            "CREATE INDEX IF NOT EXISTS ix_devices_user ON devices (user_id)",
            "CREATE INDEX IF NOT EXISTS ix_deliveries_status ON deliveries (status, updated_at)",
            "CREATE INDEX IF NOT EXISTS ix_deliveries_notification ON deliveries (notification_id)",
            "CREATE UNIQUE INDEX IF NOT EXISTS uq_events_sequence ON events (sequence)",
            "CREATE INDEX IF NOT EXISTS ix_events_unsequenced ON events (id) WHERE sequence IS NULL",
            "CREATE INDEX IF NOT EXISTS ix_events_created ON events (created_at)",
            "CREATE INDEX IF NOT EXISTS ix_webhook_deliveries_due ON webhook_deliveries (endpoint_id, status, sequence)",
            "CREATE INDEX IF NOT EXISTS ix_webhook_attempts_endpoint ON webhook_attempts (endpoint_id, attempted_at)",
            "INSERT INTO event_counter (id, last) VALUES (1, 0)",
        ] {
            db.execute_unprepared(sql).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "announcements",
            "webhook_attempts",
            "webhook_deliveries",
            "webhook_endpoints",
            "api_keys",
            "event_counter",
            "events",
            "deliveries",
            "notification_preferences",
            "devices",
        ] {
            manager
                .drop_table(
                    Table::drop()
                        .table(Alias::new(table))
                        .if_exists()
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
