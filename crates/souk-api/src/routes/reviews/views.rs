//! The JSON shapes of reviews.

use chrono::{DateTime, Utc};
use serde::Serialize;
use souk_core::reviews::{ReviewView, read};
use souk_db::enums::ReviewStatus;
use utoipa::ToSchema;
use uuid::Uuid;

/// A review's sentiment from the built-in bilingual lexicon.
#[derive(Debug, Serialize, ToSchema)]
pub struct SentimentBody {
    /// −1 (very negative) … 1 (very positive).
    pub score: f64,
    /// `positive`, `neutral` or `negative`.
    pub label: String,
}

/// The reviewee's reply.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReplyBody {
    pub text: String,
    pub replied_at: Option<DateTime<Utc>>,
}

/// The author's public name.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReviewerBody {
    pub id: Uuid,
    pub first_name: String,
    pub last_name: String,
    pub profile_picture: Option<String>,
}

/// The job a review is about.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReviewJobBody {
    pub id: Uuid,
    pub title: String,
    /// The catalog service.
    pub category_id: Option<Uuid>,
}

/// A review.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ReviewResponse {
    pub id: Uuid,
    pub contract_id: Uuid,
    pub job_id: Uuid,
    pub reviewer_id: Uuid,
    pub reviewee_id: Uuid,
    /// The side the author was on: `client` or `craftsman`.
    pub reviewer_role: String,
    pub rating: i32,
    pub comment: Option<String>,
    /// Public: both sides have reviewed or the window closed (and staff
    /// have not hidden it).
    pub visible: bool,
    pub status: ReviewStatus,
    /// When the contract's review window closes (blind reviews are revealed then).
    pub review_deadline_at: DateTime<Utc>,
    pub sentiment: SentimentBody,
    pub reply: Option<ReplyBody>,
    pub revealed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// In lists and single reads: the author's public name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reviewer: Option<ReviewerBody>,
    /// In lists and single reads: the job's title and category.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub job: Option<ReviewJobBody>,
}

impl ReviewResponse {
    /// A review as written or changed.
    pub fn new(view: ReviewView) -> Self {
        let ReviewView {
            review: r,
            deadline,
        } = view;
        Self {
            id: r.id,
            contract_id: r.contract_id,
            job_id: r.job_id,
            reviewer_id: r.reviewer_id,
            reviewee_id: r.reviewee_id,
            reviewer_role: r.reviewer_role,
            rating: r.rating,
            comment: r.comment,
            visible: r.status == ReviewStatus::Revealed,
            status: r.status,
            review_deadline_at: deadline,
            sentiment: SentimentBody {
                score: r.sentiment_score,
                label: r.sentiment_label,
            },
            reply: r.reply.map(|text| ReplyBody {
                text,
                replied_at: r.replied_at,
            }),
            revealed_at: r.revealed_at,
            created_at: r.created_at,
            updated_at: r.updated_at,
            reviewer: None,
            job: None,
        }
    }

    /// A review with its author and job.
    pub fn card(card: read::ReviewCard) -> Self {
        let job = ReviewJobBody {
            id: card.view.review.job_id,
            title: card.job_title,
            category_id: card.job_category,
        };
        let reviewer = card.reviewer.map(|u| ReviewerBody {
            id: u.id,
            first_name: u.first_name,
            last_name: u.last_name,
            profile_picture: u.profile_picture,
        });
        Self {
            reviewer,
            job: Some(job),
            ..Self::new(card.view)
        }
    }
}

/// A completed contract the caller may still review.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PendingReviewBody {
    pub contract_id: Uuid,
    pub job_id: Uuid,
    pub job_title: String,
    pub reviewee_id: Uuid,
    pub review_deadline_at: DateTime<Utc>,
    /// The other side has reviewed already (blind until yours is in or the window closes).
    pub they_reviewed: bool,
}

/// The caller's reviews.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MyReviewsResponse {
    /// Written by the caller, blind ones included, newest first (at most 50).
    pub written: Vec<ReviewResponse>,
    /// About the caller, revealed only, newest first (at most 50).
    pub received: Vec<ReviewResponse>,
    /// Completed contracts still open for the caller's review.
    pub pending: Vec<PendingReviewBody>,
}

impl From<read::Mine> for MyReviewsResponse {
    fn from(m: read::Mine) -> Self {
        Self {
            written: m.written.into_iter().map(ReviewResponse::card).collect(),
            received: m.received.into_iter().map(ReviewResponse::card).collect(),
            pending: m
                .pending
                .into_iter()
                .map(|p| PendingReviewBody {
                    contract_id: p.contract,
                    job_id: p.job,
                    job_title: p.job_title,
                    reviewee_id: p.reviewee,
                    review_deadline_at: p.deadline,
                    they_reviewed: p.they_reviewed,
                })
                .collect(),
        }
    }
}
