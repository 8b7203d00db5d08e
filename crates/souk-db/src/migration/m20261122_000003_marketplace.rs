//! The marketplace: service catalog, craftsman profile data, jobs (with their
//! search terms), quotes, invitations, contracts and stored notifications.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    ServiceRadiusKm,
    Available,
    VerificationStatus,
    RatingSum,
    RatingCount,
    CompletedJobs,
}

#[derive(DeriveIden)]
enum Services {
    Table,
    Id,
    Slug,
    NameEn,
    NameAr,
    DescriptionEn,
    DescriptionAr,
    Icon,
    Active,
    CommissionBps,
    SortOrder,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum UserSkills {
    Table,
    UserId,
    ServiceId,
}

#[derive(DeriveIden)]
enum PortfolioImages {
    Table,
    Id,
    UserId,
    FileKey,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Jobs {
    Table,
    Id,
    ClientId,
    CraftsmanId,
    CategoryId,
    Title,
    Description,
    Photos,
    Address,
    Latitude,
    Longitude,
    GeoCell,
    BudgetMin,
    BudgetMax,
    Currency,
    PaymentType,
    DesiredDate,
    Status,
    StatusReason,
    CreatedAt,
    UpdatedAt,
    HiredAt,
    CompletedAt,
}

#[derive(DeriveIden)]
enum JobTerms {
    Table,
    Term,
    CategoryId,
    GeoCell,
    JobId,
}

#[derive(DeriveIden)]
enum Quotes {
    Table,
    Id,
    JobId,
    CraftsmanId,
    Price,
    Notes,
    EstimatedDuration,
    Status,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Invitations {
    Table,
    Id,
    JobId,
    CraftsmanId,
    Status,
    RespondedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Contracts {
    Table,
    Id,
    JobId,
    QuoteId,
    ClientId,
    CraftsmanId,
    Price,
    FeeBps,
    PlatformFee,
    Currency,
    PaymentType,
    Status,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Notifications {
    Table,
    Id,
    UserId,
    Kind,
    Title,
    Body,
    Data,
    ReadAt,
    CreatedAt,
}

fn fk(
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
    cascade: bool,
) -> ForeignKeyCreateStatement {
    let mut key = ForeignKey::create();
    key.from(from.0, from.1).to(to.0, to.1);
    if cascade {
        key.on_delete(ForeignKeyAction::Cascade);
    }
    key.to_owned()
}

fn index(name: &str, table: impl IntoIden, cols: Vec<DynIden>) -> IndexCreateStatement {
    let mut statement = Index::create();
    statement.name(name).table(table);
    for col in cols {
        statement.col(col);
    }
    statement.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (col, def) in [
            (Users::ServiceRadiusKm, double_null(Users::ServiceRadiusKm)),
            (
                Users::Available,
                boolean(Users::Available).default(true).take(),
            ),
            (
                Users::VerificationStatus,
                string(Users::VerificationStatus)
                    .default("unverified")
                    .take(),
            ),
            (
                Users::RatingSum,
                big_integer(Users::RatingSum).default(0).take(),
            ),
            (
                Users::RatingCount,
                integer(Users::RatingCount).default(0).take(),
            ),
            (
                Users::CompletedJobs,
                integer(Users::CompletedJobs).default(0).take(),
            ),
        ] {
            let _ = col;
            manager
                .alter_table(
                    Table::alter()
                        .table(Users::Table)
                        .add_column(def)
                        .to_owned(),
                )
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(Services::Table)
                    .col(pk_uuid(Services::Id))
                    .col(string_uniq(Services::Slug))
                    .col(string(Services::NameEn))
                    .col(string(Services::NameAr))
                    .col(text(Services::DescriptionEn))
                    .col(text(Services::DescriptionAr))
                    .col(string(Services::Icon))
                    .col(boolean(Services::Active).default(true))
                    .col(integer_null(Services::CommissionBps))
                    .col(integer(Services::SortOrder).default(0))
                    .col(timestamp_with_time_zone(Services::CreatedAt))
                    .col(timestamp_with_time_zone(Services::UpdatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(UserSkills::Table)
                    .col(uuid(UserSkills::UserId))
                    .col(uuid(UserSkills::ServiceId))
                    .primary_key(
                        Index::create()
                            .col(UserSkills::UserId)
                            .col(UserSkills::ServiceId),
                    )
                    .foreign_key(&mut fk(
                        (UserSkills::Table, UserSkills::UserId),
                        (Users::Table, Users::Id),
                        true,
                    ))
                    .foreign_key(&mut fk(
                        (UserSkills::Table, UserSkills::ServiceId),
                        (Services::Table, Services::Id),
                        false,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_user_skills_service",
                UserSkills::Table,
                vec![
                    UserSkills::ServiceId.into_iden(),
                    UserSkills::UserId.into_iden(),
                ],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(PortfolioImages::Table)
                    .col(pk_uuid(PortfolioImages::Id))
                    .col(uuid(PortfolioImages::UserId))
                    .col(string(PortfolioImages::FileKey))
                    .col(timestamp_with_time_zone(PortfolioImages::CreatedAt))
                    .foreign_key(&mut fk(
                        (PortfolioImages::Table, PortfolioImages::UserId),
                        (Users::Table, Users::Id),
                        true,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_portfolio_user",
                PortfolioImages::Table,
                vec![PortfolioImages::UserId.into_iden()],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Jobs::Table)
                    .col(pk_uuid(Jobs::Id))
                    .col(uuid(Jobs::ClientId))
                    .col(uuid_null(Jobs::CraftsmanId))
                    .col(uuid(Jobs::CategoryId))
                    .col(string(Jobs::Title))
                    .col(text(Jobs::Description))
                    .col(text(Jobs::Photos))
                    .col(text_null(Jobs::Address))
                    .col(double_null(Jobs::Latitude))
                    .col(double_null(Jobs::Longitude))
                    .col(big_integer_null(Jobs::GeoCell))
                    .col(big_integer_null(Jobs::BudgetMin))
                    .col(big_integer_null(Jobs::BudgetMax))
                    .col(string(Jobs::Currency))
                    .col(string(Jobs::PaymentType))
                    .col(timestamp_with_time_zone_null(Jobs::DesiredDate))
                    .col(string(Jobs::Status))
                    .col(text_null(Jobs::StatusReason))
                    .col(timestamp_with_time_zone(Jobs::CreatedAt))
                    .col(timestamp_with_time_zone(Jobs::UpdatedAt))
                    .col(timestamp_with_time_zone_null(Jobs::HiredAt))
                    .col(timestamp_with_time_zone_null(Jobs::CompletedAt))
                    .foreign_key(&mut fk(
                        (Jobs::Table, Jobs::ClientId),
                        (Users::Table, Users::Id),
                        false,
                    ))
                    .foreign_key(&mut fk(
                        (Jobs::Table, Jobs::CraftsmanId),
                        (Users::Table, Users::Id),
                        false,
                    ))
                    .foreign_key(&mut fk(
                        (Jobs::Table, Jobs::CategoryId),
                        (Services::Table, Services::Id),
                        false,
                    ))
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            (
                "idx_jobs_status_created",
                vec![Jobs::Status.into_iden(), Jobs::CreatedAt.into_iden()],
            ),
            (
                "idx_jobs_category_status",
                vec![
                    Jobs::CategoryId.into_iden(),
                    Jobs::Status.into_iden(),
                    Jobs::CreatedAt.into_iden(),
                ],
            ),
            (
                "idx_jobs_client",
                vec![Jobs::ClientId.into_iden(), Jobs::CreatedAt.into_iden()],
            ),
            ("idx_jobs_craftsman", vec![Jobs::CraftsmanId.into_iden()]),
            (
                // Covering for radius searches: the candidates' positions,
                // dates and budgets come from the index alone.
                "idx_jobs_category_cell",
                vec![
                    Jobs::CategoryId.into_iden(),
                    Jobs::GeoCell.into_iden(),
                    Jobs::Status.into_iden(),
                    Jobs::CreatedAt.into_iden(),
                    Jobs::Latitude.into_iden(),
                    Jobs::Longitude.into_iden(),
                    Jobs::BudgetMax.into_iden(),
                    Jobs::Id.into_iden(),
                ],
            ),
            ("idx_jobs_cell", vec![Jobs::GeoCell.into_iden()]),
        ] {
            manager.create_index(index(name, Jobs::Table, cols)).await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(JobTerms::Table)
                    .col(string(JobTerms::Term))
                    .col(uuid(JobTerms::CategoryId))
                    .col(big_integer(JobTerms::GeoCell))
                    .col(uuid(JobTerms::JobId))
                    .primary_key(
                        Index::create()
                            .col(JobTerms::Term)
                            .col(JobTerms::CategoryId)
                            .col(JobTerms::GeoCell)
                            .col(JobTerms::JobId),
                    )
                    .foreign_key(&mut fk(
                        (JobTerms::Table, JobTerms::JobId),
                        (Jobs::Table, Jobs::Id),
                        true,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_job_terms_job",
                JobTerms::Table,
                vec![JobTerms::JobId.into_iden()],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Quotes::Table)
                    .col(pk_uuid(Quotes::Id))
                    .col(uuid(Quotes::JobId))
                    .col(uuid(Quotes::CraftsmanId))
                    .col(big_integer(Quotes::Price))
                    .col(text_null(Quotes::Notes))
                    .col(string_null(Quotes::EstimatedDuration))
                    .col(string(Quotes::Status))
                    .col(timestamp_with_time_zone(Quotes::CreatedAt))
                    .col(timestamp_with_time_zone(Quotes::UpdatedAt))
                    .foreign_key(&mut fk(
                        (Quotes::Table, Quotes::JobId),
                        (Jobs::Table, Jobs::Id),
                        true,
                    ))
                    .foreign_key(&mut fk(
                        (Quotes::Table, Quotes::CraftsmanId),
                        (Users::Table, Users::Id),
                        false,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_quotes_job",
                Quotes::Table,
                vec![Quotes::JobId.into_iden(), Quotes::CreatedAt.into_iden()],
            ))
            .await?;
        manager
            .create_index(index(
                "idx_quotes_craftsman",
                Quotes::Table,
                vec![
                    Quotes::CraftsmanId.into_iden(),
                    Quotes::CreatedAt.into_iden(),
                ],
            ))
            .await?;
        // One live quote per craftsman per job, enforced by the database.
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX uq_quotes_live ON quotes (job_id, craftsman_id) WHERE status = 'submitted'",
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Invitations::Table)
                    .col(pk_uuid(Invitations::Id))
                    .col(uuid(Invitations::JobId))
                    .col(uuid(Invitations::CraftsmanId))
                    .col(string(Invitations::Status))
                    .col(timestamp_with_time_zone_null(Invitations::RespondedAt))
                    .col(timestamp_with_time_zone(Invitations::CreatedAt))
                    .foreign_key(&mut fk(
                        (Invitations::Table, Invitations::JobId),
                        (Jobs::Table, Jobs::Id),
                        true,
                    ))
                    .foreign_key(&mut fk(
                        (Invitations::Table, Invitations::CraftsmanId),
                        (Users::Table, Users::Id),
                        false,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_invitations_job_craftsman")
                    .table(Invitations::Table)
                    .col(Invitations::JobId)
                    .col(Invitations::CraftsmanId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_invitations_craftsman",
                Invitations::Table,
                vec![
                    Invitations::CraftsmanId.into_iden(),
                    Invitations::CreatedAt.into_iden(),
                ],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Contracts::Table)
                    .col(pk_uuid(Contracts::Id))
                    .col(uuid_uniq(Contracts::JobId))
                    .col(uuid(Contracts::QuoteId))
                    .col(uuid(Contracts::ClientId))
                    .col(uuid(Contracts::CraftsmanId))
                    .col(big_integer(Contracts::Price))
                    .col(integer(Contracts::FeeBps))
                    .col(big_integer(Contracts::PlatformFee))
                    .col(string(Contracts::Currency))
                    .col(string(Contracts::PaymentType))
                    .col(string(Contracts::Status))
                    .col(timestamp_with_time_zone(Contracts::CreatedAt))
                    .col(timestamp_with_time_zone(Contracts::UpdatedAt))
                    .foreign_key(&mut fk(
                        (Contracts::Table, Contracts::JobId),
                        (Jobs::Table, Jobs::Id),
                        true,
                    ))
                    .foreign_key(&mut fk(
                        (Contracts::Table, Contracts::QuoteId),
                        (Quotes::Table, Quotes::Id),
                        false,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Notifications::Table)
                    .col(pk_uuid(Notifications::Id))
                    .col(uuid(Notifications::UserId))
                    .col(string(Notifications::Kind))
                    .col(text(Notifications::Title))
                    .col(text(Notifications::Body))
                    .col(text(Notifications::Data))
                    .col(timestamp_with_time_zone_null(Notifications::ReadAt))
                    .col(timestamp_with_time_zone(Notifications::CreatedAt))
                    .foreign_key(&mut fk(
                        (Notifications::Table, Notifications::UserId),
                        (Users::Table, Users::Id),
                        true,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_notifications_user",
                Notifications::Table,
                vec![
                    Notifications::UserId.into_iden(),
                    Notifications::CreatedAt.into_iden(),
                ],
            ))
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Notifications::Table.into_iden(),
            Contracts::Table.into_iden(),
            Invitations::Table.into_iden(),
            Quotes::Table.into_iden(),
            JobTerms::Table.into_iden(),
            Jobs::Table.into_iden(),
            PortfolioImages::Table.into_iden(),
            UserSkills::Table.into_iden(),
            Services::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
