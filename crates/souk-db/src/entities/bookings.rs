//! `bookings`: a client's booking of an offering at a time. The provider's
//! time it holds is `[hold_from, hold_to)` in Unix seconds (the start to the
//! end plus the offering's buffer), which the database keeps from
//! overlapping another holding booking of the same provider.

use sea_orm::entity::prelude::*;

use crate::enums::BookingStatus;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "bookings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub offering_id: Uuid,
    pub provider_id: Uuid,
    pub client_id: Uuid,
    pub start_at: DateTimeUtc,
    pub end_at: DateTimeUtc,
    /// Unix seconds: the start.
    pub hold_from: i64,
    /// Unix seconds: the end plus the offering's buffer.
    pub hold_to: i64,
    /// The provider's IANA zone when booked (local times are shown in it).
    pub time_zone: String,
    pub status: BookingStatus,
    /// What the client pays (minor units): the offering's price, times the
    /// hours for an hourly one.
    pub price: i64,
    pub currency: String,
    /// escrow | cash
    pub payment_type: String,
    pub notes: Option<String>,
    pub address: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    /// The job and contract made when it was accepted.
    pub job_id: Option<Uuid>,
    pub contract_id: Option<Uuid>,
    pub status_reason: Option<String>,
    /// When an unanswered request expires.
    pub expires_at: DateTimeUtc,
    /// The cancellation policy fixed at booking: free until this instant,
    /// then `late_share_bps` of the escrow to the provider; a no-show pays
    /// `no_show_share_bps`.
    pub free_cancel_until: DateTimeUtc,
    pub late_share_bps: i32,
    pub no_show_share_bps: i32,
    /// A reschedule waiting for the other side's answer.
    pub proposed_start_at: Option<DateTimeUtc>,
    pub proposed_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
