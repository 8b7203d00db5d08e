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
    /// A dispute was opened against the user (with their response deadline).
    DisputeOpened {
        dispute: Uuid,
        job: Uuid,
        title: String,
        deadline: DateTime<Utc>,
    },
    /// Something happened in a dispute the user is party to: `what` is
    /// `evidence`, `info_requested`, `proposal`, `proposal_declined`,
    /// `withdrawn`.
    DisputeUpdated {
        dispute: Uuid,
        job: Uuid,
        title: String,
        what: &'static str,
    },
    /// A dispute ended with a decision.
    DisputeResolved {
        dispute: Uuid,
        job: Uuid,
        title: String,
        decision: String,
        note: Option<String>,
    },
    /// Staff decided the user's verification.
    VerificationDecided {
        verified: bool,
        reason: Option<String>,
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
            TrustEvent::DisputeOpened { .. } => "dispute_opened",
            TrustEvent::DisputeUpdated { .. } => "dispute_updated",
            TrustEvent::DisputeResolved { .. } => "dispute_resolved",
            TrustEvent::VerificationDecided { verified: true, .. } => "verification_approved",
            TrustEvent::VerificationDecided {
                verified: false, ..
            } => "verification_rejected",
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
            TrustEvent::DisputeOpened {
                dispute,
                job,
                deadline,
                ..
            } => json!({ "disputeId": dispute, "jobId": job, "responseDueAt": deadline }),
            TrustEvent::DisputeUpdated {
                dispute, job, what, ..
            } => json!({ "disputeId": dispute, "jobId": job, "what": what }),
            TrustEvent::DisputeResolved {
                dispute,
                job,
                decision,
                ..
            } => json!({ "disputeId": dispute, "jobId": job, "decision": decision }),
            TrustEvent::VerificationDecided { verified, reason } => {
                json!({ "verified": verified, "reason": reason })
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
            TrustEvent::DisputeOpened {
                title, deadline, ..
            } => {
                let when = deadline.format("%Y-%m-%d %H:%M UTC");
                if ar {
                    (
                        "فُتح نزاع على عملك".into(),
                        format!("فتح الطرف الآخر نزاعًا على «{title}». يرجى الرد قبل {when}."),
                    )
                } else {
                    (
                        "A dispute was opened".into(),
                        format!(
                            "The other party opened a dispute on “{title}”. Please respond before {when}."
                        ),
                    )
                }
            }
            TrustEvent::DisputeUpdated { title, what, .. } => {
                let (en, arabic) = match *what {
                    "info_requested" => (
                        "Our team asked for more information",
                        "طلب فريقنا مزيدًا من المعلومات",
                    ),
                    "proposal" => ("A settlement was proposed", "تم اقتراح تسوية"),
                    "proposal_declined" => ("Your settlement was declined", "تم رفض عرض التسوية"),
                    "withdrawn" => ("The dispute was withdrawn", "تم سحب النزاع"),
                    _ => ("New evidence was added", "تمت إضافة أدلة جديدة"),
                };
                if ar {
                    ("تحديث على النزاع".into(), format!("{arabic}: «{title}»."))
                } else {
                    ("Dispute update".into(), format!("{en}: “{title}”."))
                }
            }
            TrustEvent::DisputeResolved { title, note, .. } => {
                let note = note.as_deref().unwrap_or_default();
                if ar {
                    (
                        "تم حل النزاع".into(),
                        format!("تم حل النزاع على «{title}». {note}")
                            .trim_end()
                            .to_owned(),
                    )
                } else {
                    (
                        "The dispute was resolved".into(),
                        format!("The dispute on “{title}” was resolved. {note}")
                            .trim_end()
                            .to_owned(),
                    )
                }
            }
            TrustEvent::VerificationDecided { verified: true, .. } => {
                if ar {
                    (
                        "تم توثيق حسابك".into(),
                        "راجع فريقنا مستنداتك وأصبح حسابك موثقًا.".into(),
                    )
                } else {
                    (
                        "You are verified".into(),
                        "Our team checked your documents: your profile now shows you as verified."
                            .into(),
                    )
                }
            }
            TrustEvent::VerificationDecided {
                verified: false,
                reason,
            } => {
                let reason = reason.as_deref().unwrap_or_default();
                if ar {
                    (
                        "لم يتم قبول التوثيق".into(),
                        format!("لم نتمكن من توثيق حسابك: {reason}. يمكنك إرسال مستندات جديدة."),
                    )
                } else {
                    (
                        "Verification not accepted".into(),
                        format!("We could not verify you: {reason}. You can send new documents."),
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
