//! The JSON shapes of disputes.

use chrono::{DateTime, Utc};
use serde::Serialize;
use souk_core::disputes::{read::DisputeDetail, staff::Stats};
use souk_db::{
    entities::{dispute_events, dispute_files, disputes},
    enums::DisputeStatus,
};
use utoipa::ToSchema;
use uuid::Uuid;

/// The open settlement proposal.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProposalBody {
    /// Accept or decline it by this id.
    pub id: Uuid,
    pub proposed_by: Uuid,
    /// The craftsman's share (before commission); the client gets the rest.
    pub craftsman_amount: i64,
    pub expires_at: DateTime<Utc>,
    /// Past `expiresAt`: it can no longer be accepted.
    pub lapsed: bool,
}

/// How a dispute ended.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ResolutionBody {
    /// `release`, `refund` or `split`.
    pub decision: String,
    pub craftsman_amount: Option<i64>,
    pub client_amount: Option<i64>,
    pub note: Option<String>,
    /// Staff who decided; null for a settlement between the parties.
    pub resolved_by: Option<Uuid>,
}

/// A dispute as listed.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DisputeSummary {
    pub id: Uuid,
    pub contract_id: Uuid,
    pub job_id: Uuid,
    pub opened_by: Uuid,
    pub respondent_id: Uuid,
    /// `not_delivered`, `poor_quality`, `no_show`, `payment`, `other`.
    pub reason: String,
    pub description: String,
    pub status: DisputeStatus,
    /// When the party being waited on must have answered.
    pub response_due_at: DateTime<Utc>,
    /// Waiting on a party past `responseDueAt`.
    pub overdue: bool,
    pub responded_at: Option<DateTime<Utc>>,
    pub assignee_id: Option<Uuid>,
    pub proposal: Option<ProposalBody>,
    pub resolution: Option<ResolutionBody>,
    pub resolved_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl DisputeSummary {
    /// `now`: the core's clock, for lapses and overdue flags.
    pub fn new(d: disputes::Model, now: DateTime<Utc>) -> Self {
        let proposal = match (
            d.proposal_id,
            d.proposal_by,
            d.proposal_amount,
            d.proposal_expires_at,
        ) {
            (Some(id), Some(by), Some(amount), Some(expires)) => Some(ProposalBody {
                id,
                proposed_by: by,
                craftsman_amount: amount,
                expires_at: expires,
                lapsed: now >= expires,
            }),
            _ => None,
        };
        let waiting = matches!(
            d.status,
            DisputeStatus::Open | DisputeStatus::AwaitingResponse
        );
        Self {
            id: d.id,
            contract_id: d.contract_id,
            job_id: d.job_id,
            opened_by: d.opened_by,
            respondent_id: d.respondent_id,
            reason: d.reason,
            description: d.description,
            status: d.status,
            response_due_at: d.response_due_at,
            overdue: waiting && now >= d.response_due_at,
            responded_at: d.responded_at,
            assignee_id: d.assignee_id,
            proposal,
            resolution: d.decision.map(|decision| ResolutionBody {
                decision,
                craftsman_amount: d.craftsman_amount,
                client_amount: d.client_amount,
                note: d.resolution_note,
                resolved_by: d.resolved_by,
            }),
            resolved_at: d.resolved_at,
            created_at: d.created_at,
            updated_at: d.updated_at,
        }
    }
}

/// A file given as evidence.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DisputeFileBody {
    pub id: Uuid,
    pub name: String,
    pub content_type: String,
    pub size: i64,
    pub uploader_id: Uuid,
    /// Where the parties and staff download it (bearer).
    pub url: String,
}

impl DisputeFileBody {
    fn new(f: dispute_files::Model) -> Self {
        Self {
            url: format!("/api/disputes/{}/files/{}", f.dispute_id, f.id),
            id: f.id,
            name: f.name,
            content_type: f.content_type,
            size: f.size,
            uploader_id: f.uploader_id,
        }
    }
}

/// One step of the timeline.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TimelineEntry {
    pub id: Uuid,
    /// `opened`, `evidence`, `staff_note`, `assigned`, `info_requested`,
    /// `response_overdue`, `proposal`, `proposal_declined`, `resolved`, `withdrawn`.
    pub kind: String,
    /// Who acted; null for Souk itself.
    pub actor_id: Option<Uuid>,
    pub body: Option<String>,
    /// The step's particulars (amounts, deadlines, files).
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
    /// The files this step brought.
    pub files: Vec<DisputeFileBody>,
    pub created_at: DateTime<Utc>,
}

/// A dispute with its timeline.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DisputeResponse {
    #[serde(flatten)]
    pub dispute: DisputeSummary,
    /// What the contract's escrow holds now (frozen while the dispute runs).
    pub escrow_held: i64,
    /// Oldest first.
    pub timeline: Vec<TimelineEntry>,
}

impl DisputeResponse {
    pub fn new(detail: DisputeDetail, now: DateTime<Utc>) -> Self {
        let DisputeDetail {
            dispute,
            timeline,
            files,
            held,
        } = detail;
        let mut files: Vec<dispute_files::Model> = files;
        let timeline = timeline
            .into_iter()
            .map(|e: dispute_events::Model| {
                let (mine, rest): (Vec<_>, Vec<_>) = std::mem::take(&mut files)
                    .into_iter()
                    .partition(|f| f.event_id == e.id);
                files = rest;
                TimelineEntry {
                    id: e.id,
                    kind: e.kind,
                    actor_id: e.actor_id,
                    body: e.body,
                    data: serde_json::from_str(&e.data).unwrap_or(serde_json::Value::Null),
                    files: mine.into_iter().map(DisputeFileBody::new).collect(),
                    created_at: e.created_at,
                }
            })
            .collect();
        Self {
            dispute: DisputeSummary::new(dispute, now),
            escrow_held: held,
            timeline,
        }
    }
}

/// Dispute figures for staff and analytics.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DisputeStatsResponse {
    pub open: u64,
    pub awaiting_response: u64,
    pub under_review: u64,
    pub overdue: u64,
    pub resolved: u64,
    pub withdrawn: u64,
    /// Median hours from opening to a decision; null before the first.
    pub median_hours_to_resolution: Option<f64>,
}

impl From<Stats> for DisputeStatsResponse {
    fn from(s: Stats) -> Self {
        Self {
            open: s.open,
            awaiting_response: s.awaiting_response,
            under_review: s.under_review,
            overdue: s.overdue,
            resolved: s.resolved,
            withdrawn: s.withdrawn,
            median_hours_to_resolution: s.median_hours_to_resolution,
        }
    }
}
