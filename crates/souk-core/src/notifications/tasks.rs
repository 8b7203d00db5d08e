//! The micro-task events people hear about, with their texts in English
//! and Arabic.

use serde_json::{Value, json};
use uuid::Uuid;

use super::format_money;
use crate::Lang;

/// Something that happened on a micro-task.
#[derive(Debug, Clone)]
pub enum TaskEvent {
    /// A worker submitted proof (to the buyer).
    SubmissionReceived {
        task: Uuid,
        title: String,
        submission: Uuid,
    },
    /// The buyer (or the automatic approval) approved it (to the worker).
    SubmissionApproved {
        task: Uuid,
        title: String,
        submission: Uuid,
        amount: i64,
        currency: String,
    },
    SubmissionRejected {
        task: Uuid,
        title: String,
        submission: Uuid,
    },
    /// A rejected worker appealed (to the buyer).
    AppealReceived {
        task: Uuid,
        title: String,
        submission: Uuid,
    },
    /// The appeal was upheld (paid) or denied (to the worker).
    AppealDecided {
        task: Uuid,
        title: String,
        submission: Uuid,
        upheld: bool,
    },
    /// The task reached its completion date (to the buyer).
    Expired {
        task: Uuid,
        title: String,
        refunded: i64,
        currency: String,
    },
}

impl TaskEvent {
    /// The notification's `kind`.
    pub fn kind(&self) -> &'static str {
        match self {
            TaskEvent::SubmissionReceived { .. } => "task_submission",
            TaskEvent::SubmissionApproved { .. } => "submission_approved",
            TaskEvent::SubmissionRejected { .. } => "submission_rejected",
            TaskEvent::AppealReceived { .. } => "submission_appealed",
            TaskEvent::AppealDecided { upheld: true, .. } => "appeal_upheld",
            TaskEvent::AppealDecided { upheld: false, .. } => "appeal_denied",
            TaskEvent::Expired { .. } => "task_expired",
        }
    }

    /// The structured payload clients use to navigate.
    pub fn data(&self) -> Value {
        match self {
            TaskEvent::SubmissionReceived {
                task, submission, ..
            }
            | TaskEvent::SubmissionRejected {
                task, submission, ..
            }
            | TaskEvent::AppealReceived {
                task, submission, ..
            }
            | TaskEvent::AppealDecided {
                task, submission, ..
            } => json!({ "taskId": task, "submissionId": submission }),
            TaskEvent::SubmissionApproved {
                task,
                submission,
                amount,
                ..
            } => json!({ "taskId": task, "submissionId": submission, "amount": amount }),
            TaskEvent::Expired { task, refunded, .. } => {
                json!({ "taskId": task, "refunded": refunded })
            }
        }
    }

    /// Title and body in a language.
    pub fn render(&self, lang: Lang) -> (String, String) {
        let ar = lang == Lang::Ar;
        let (title, body) = match self {
            TaskEvent::SubmissionReceived { title, .. } => {
                if ar {
                    (
                        "تسليم جديد".to_owned(),
                        format!("وصل تسليم جديد على «{title}»."),
                    )
                } else {
                    (
                        "New submission".to_owned(),
                        format!("A worker submitted proof for “{title}”."),
                    )
                }
            }
            TaskEvent::SubmissionApproved {
                title,
                amount,
                currency,
                ..
            } => {
                let money = format_money(*amount, currency);
                if ar {
                    (
                        "تم قبول تسليمك".to_owned(),
                        format!("تم قبول تسليمك على «{title}» وأُضيف {money} إلى محفظتك."),
                    )
                } else {
                    (
                        "Submission approved".to_owned(),
                        format!(
                            "Your submission for “{title}” was approved: {money} added to your wallet."
                        ),
                    )
                }
            }
            TaskEvent::SubmissionRejected { title, .. } => {
                if ar {
                    (
                        "تم رفض تسليمك".to_owned(),
                        format!("تم رفض تسليمك على «{title}». يمكنك الاعتراض خلال 7 أيام."),
                    )
                } else {
                    (
                        "Submission rejected".to_owned(),
                        format!(
                            "Your submission for “{title}” was rejected. You may appeal within 7 days."
                        ),
                    )
                }
            }
            TaskEvent::AppealReceived { title, .. } => {
                if ar {
                    (
                        "اعتراض على رفض".to_owned(),
                        format!("اعترض عامل على رفض تسليمه في «{title}»."),
                    )
                } else {
                    (
                        "Appeal received".to_owned(),
                        format!("A worker appealed a rejection on “{title}”."),
                    )
                }
            }
            TaskEvent::AppealDecided { title, upheld, .. } => match (ar, upheld) {
                (true, true) => (
                    "تم قبول اعتراضك".to_owned(),
                    format!("تم قبول اعتراضك على «{title}» ودُفع لك."),
                ),
                (true, false) => (
                    "تم رفض اعتراضك".to_owned(),
                    format!("تم رفض اعتراضك على «{title}»."),
                ),
                (false, true) => (
                    "Appeal upheld".to_owned(),
                    format!("Your appeal on “{title}” was upheld and you were paid."),
                ),
                (false, false) => (
                    "Appeal denied".to_owned(),
                    format!("Your appeal on “{title}” was denied."),
                ),
            },
            TaskEvent::Expired {
                title,
                refunded,
                currency,
                ..
            } => {
                let money = format_money(*refunded, currency);
                if ar {
                    (
                        "انتهت المهمة".to_owned(),
                        format!("انتهى موعد «{title}»؛ أُعيد {money} إلى محفظتك."),
                    )
                } else {
                    (
                        "Task ended".to_owned(),
                        format!(
                            "“{title}” reached its completion date; {money} went back to your wallet."
                        ),
                    )
                }
            }
        };
        (title, body)
    }
}
