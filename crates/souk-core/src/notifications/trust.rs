//! The trust events people hear about (reviews; disputes and verification
//! join them), with their texts in English and Arabic.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::Lang;

/// Something about reviews, disputes or verification.
#[derive(Debug, Clone)]
pub enum TrustEvent {
    /// The other side reviewed you: write yours before the deadline to see
    /// theirs (both are revealed then, or at the deadline).
    ReviewWaiting {
        job: Uuid,
        title: String,
        contract: Uuid,
        deadline: DateTime<Utc>,
    },
    /// The reviews of a contract are public now.
    ReviewsRevealed {
        job: Uuid,
        title: String,
        contract: Uuid,
    },
    /// Staff took a review down (to its author) or put it back.
    ReviewModerated {
        review: Uuid,
        title: String,
        hidden: bool,
    },
}

impl TrustEvent {
    /// The notification's `kind`.
    pub fn kind(&self) -> &'static str {
        match self {
            TrustEvent::ReviewWaiting { .. } => "review_waiting",
            TrustEvent::ReviewsRevealed { .. } => "reviews_revealed",
            TrustEvent::ReviewModerated { hidden: true, .. } => "review_hidden",
            TrustEvent::ReviewModerated { hidden: false, .. } => "review_restored",
        }
    }

    /// The structured payload clients use to navigate.
    pub fn data(&self) -> Value {
        match self {
            TrustEvent::ReviewWaiting {
                job,
                contract,
                deadline,
                ..
            } => json!({ "jobId": job, "contractId": contract, "reviewDeadlineAt": deadline }),
            TrustEvent::ReviewsRevealed { job, contract, .. } => {
                json!({ "jobId": job, "contractId": contract })
            }
            TrustEvent::ReviewModerated { review, .. } => json!({ "reviewId": review }),
        }
    }

    /// Title and body in a language.
    pub fn render(&self, lang: Lang) -> (String, String) {
        let ar = lang == Lang::Ar;
        match self {
            TrustEvent::ReviewWaiting {
                title, deadline, ..
            } => {
                let day = deadline.format("%Y-%m-%d");
                if ar {
                    (
                        "لديك تقييم بانتظارك".into(),
                        format!("قيّمك الطرف الآخر في «{title}». اكتب تقييمك قبل {day} لترى تقييمه."),
                    )
                } else {
                    (
                        "You have a review waiting".into(),
                        format!(
                            "The other side reviewed you for “{title}”. Write yours before {day} to see theirs."
                        ),
                    )
                }
            }
            TrustEvent::ReviewsRevealed { title, .. } => {
                if ar {
                    (
                        "نُشرت التقييمات".into(),
                        format!("أصبحت تقييمات «{title}» مرئية الآن."),
                    )
                } else {
                    (
                        "Reviews are public".into(),
                        format!("The reviews for “{title}” are now visible."),
                    )
                }
            }
            TrustEvent::ReviewModerated {
                title,
                hidden: true,
                ..
            } => {
                if ar {
                    (
                        "تم إخفاء تقييمك".into(),
                        format!("أخفى فريق المراجعة تقييمك لـ «{title}»."),
                    )
                } else {
                    (
                        "Your review was hidden".into(),
                        format!("Our moderators hid your review of “{title}”."),
                    )
                }
            }
            TrustEvent::ReviewModerated {
                title,
                hidden: false,
                ..
            } => {
                if ar {
                    (
                        "أُعيد نشر تقييمك".into(),
                        format!("أعاد فريق المراجعة نشر تقييمك لـ «{title}»."),
                    )
                } else {
                    (
                        "Your review is back".into(),
                        format!("Our moderators restored your review of “{title}”."),
                    )
                }
            }
        }
    }
}
