//! Response types of the marketplace (camelCase JSON).

use chrono::{DateTime, Utc};
use serde::Serialize;
use souk_core::{Settings, marketplace::browse::FoundJob};
use souk_db::{
    entities::{contracts, invitations, jobs, quotes},
    enums::{ContractStatus, EscrowStatus, InvitationStatus, JobStatus, QuoteStatus},
};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::views::Location;

/// The contract of a hired job (parties and staff only).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ContractResponse {
    pub id: Uuid,
    pub quote_id: Uuid,
    pub client_id: Uuid,
    pub craftsman_id: Uuid,
    /// Agreed price, minor units.
    pub price: i64,
    /// Commission fixed at hire, basis points (500 = 5%).
    pub fee_bps: i32,
    pub platform_fee: i64,
    pub currency: String,
    pub payment_type: String,
    pub status: ContractStatus,
    pub escrow_status: EscrowStatus,
    pub funded_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl From<contracts::Model> for ContractResponse {
    fn from(c: contracts::Model) -> Self {
        Self {
            id: c.id,
            quote_id: c.quote_id,
            client_id: c.client_id,
            craftsman_id: c.craftsman_id,
            price: c.price,
            fee_bps: c.fee_bps,
            platform_fee: c.platform_fee,
            currency: c.currency,
            payment_type: c.payment_type,
            status: c.status,
            escrow_status: c.escrow_status,
            funded_at: c.funded_at,
            created_at: c.created_at,
        }
    }
}

/// A job.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct JobResponse {
    pub id: Uuid,
    pub title: String,
    pub description: String,
    /// The catalog service id.
    pub category: Uuid,
    /// Public URLs.
    pub photos: Vec<String>,
    pub address: Option<String>,
    pub location: Option<Location>,
    pub budget_min: Option<i64>,
    pub budget_max: Option<i64>,
    pub currency: String,
    /// escrow | cash | cash_protected
    pub payment_type: String,
    pub desired_date: Option<DateTime<Utc>>,
    pub status: JobStatus,
    pub status_reason: Option<String>,
    pub client_id: Uuid,
    pub craftsman_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub hired_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
    /// Present when the search gave a point.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub distance_km: Option<f64>,
    /// Present for the parties once hired.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contract: Option<ContractResponse>,
}

impl JobResponse {
    /// Maps a job row.
    pub fn new(job: jobs::Model, settings: &Settings) -> Self {
        let photos: Vec<String> = serde_json::from_str(&job.photos).unwrap_or_default();
        Self {
            id: job.id,
            photos: photos.iter().map(|k| settings.file_url(k)).collect(),
            location: match (job.latitude, job.longitude) {
                (Some(lat), Some(lng)) => Some(Location { lat, lng }),
                _ => None,
            },
            title: job.title,
            description: job.description,
            category: job.category_id,
            address: job.address,
            budget_min: job.budget_min,
            budget_max: job.budget_max,
            currency: job.currency,
            payment_type: job.payment_type,
            desired_date: job.desired_date,
            status: job.status,
            status_reason: job.status_reason,
            client_id: job.client_id,
            craftsman_id: job.craftsman_id,
            created_at: job.created_at,
            updated_at: job.updated_at,
            hired_at: job.hired_at,
            completed_at: job.completed_at,
            distance_km: None,
            contract: None,
        }
    }

    /// Maps a search result.
    pub fn found(found: FoundJob, settings: &Settings) -> Self {
        Self {
            distance_km: found.distance_km,
            ..Self::new(found.job, settings)
        }
    }
}

/// A short job summary inside other answers.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct JobSummary {
    pub id: Uuid,
    pub title: String,
    pub status: JobStatus,
    pub client_id: Uuid,
}

impl From<&jobs::Model> for JobSummary {
    fn from(job: &jobs::Model) -> Self {
        Self {
            id: job.id,
            title: job.title.clone(),
            status: job.status,
            client_id: job.client_id,
        }
    }
}

/// A quote.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct QuoteResponse {
    pub id: Uuid,
    pub job_id: Uuid,
    pub craftsman_id: Uuid,
    /// Minor units.
    pub price: i64,
    pub notes: Option<String>,
    pub estimated_duration: Option<String>,
    pub status: QuoteStatus,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job: Option<JobSummary>,
}

impl From<quotes::Model> for QuoteResponse {
    fn from(q: quotes::Model) -> Self {
        Self {
            id: q.id,
            job_id: q.job_id,
            craftsman_id: q.craftsman_id,
            price: q.price,
            notes: q.notes,
            estimated_duration: q.estimated_duration,
            status: q.status,
            created_at: q.created_at,
            updated_at: q.updated_at,
            job: None,
        }
    }
}

/// An invitation.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InvitationResponse {
    pub id: Uuid,
    pub job_id: Uuid,
    pub craftsman_id: Uuid,
    pub status: InvitationStatus,
    pub responded_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job: Option<JobSummary>,
}

impl From<invitations::Model> for InvitationResponse {
    fn from(i: invitations::Model) -> Self {
        Self {
            id: i.id,
            job_id: i.job_id,
            craftsman_id: i.craftsman_id,
            status: i.status,
            responded_at: i.responded_at,
            created_at: i.created_at,
            job: None,
        }
    }
}

/// A hire: the job and its new contract.
#[derive(Debug, Serialize, ToSchema)]
pub struct HireResponse {
    pub job: JobResponse,
    pub contract: ContractResponse,
}

/// Orders views.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OrdersResponse {
    pub requested: Vec<JobResponse>,
    pub in_progress: Vec<JobResponse>,
    pub completed: Vec<JobResponse>,
    pub rejected: Vec<JobResponse>,
}
