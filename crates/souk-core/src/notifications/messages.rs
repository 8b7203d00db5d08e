//! The notification events of seed 001's table, with their texts in English
//! and Arabic.

use serde_json::{Value, json};
use uuid::Uuid;

use super::{bookings::BookingEvent, money::MoneyEvent, tasks::TaskEvent, trust::TrustEvent};
use crate::{Lang, marketplace::JobStatus};

/// Something a user should hear about.
#[derive(Debug, Clone)]
pub enum Event {
    /// A craftsman was invited to a job.
    Invited {
        job: Uuid,
        title: String,
        invitation: Uuid,
    },
    /// A client received a quote.
    QuoteReceived {
        job: Uuid,
        title: String,
        quote: Uuid,
        price: i64,
    },
    /// An invitee answered.
    InvitationAnswered {
        job: Uuid,
        title: String,
        invitation: Uuid,
        accepted: bool,
    },
    /// A craftsman's quote was accepted (they are hired).
    QuoteAccepted {
        job: Uuid,
        title: String,
        quote: Uuid,
    },
    /// A craftsman's quote was declined.
    QuoteDeclined {
        job: Uuid,
        title: String,
        quote: Uuid,
    },
    /// A job moved to another status.
    StatusChanged {
        job: Uuid,
        title: String,
        status: JobStatus,
        reason: Option<String>,
    },
    /// Something that happened to someone's money.
    Money(MoneyEvent),
    /// Reviews, disputes, verification.
    Trust(TrustEvent),
    /// Bookings: requests, answers, reschedules, reminders.
    Booking(BookingEvent),
    /// Micro-tasks: submissions, decisions, appeals, expiry.
    Task(TaskEvent),
    /// A new message in one of the user's conversations (the first they
    /// have not read there; later ones while it stays unread add none).
    MessageReceived {
        conversation: Uuid,
        message: Uuid,
        seq: i64,
        /// The contract's job, for contract conversations.
        job: Option<Uuid>,
        /// The sender's name.
        sender: String,
        /// The start of the text (empty when it is only attachments).
        preview: String,
    },
}

fn status_words(status: JobStatus, lang: Lang) -> &'static str {
    use JobStatus::*;
    match (lang, status) {
        (Lang::En, Posted) => "open for quotes",
        (Lang::En, Quoted) => "receiving quotes",
        (Lang::En, Hired) => "hired",
        (Lang::En, OnTheWay) => "on the way",
        (Lang::En, InProgress) => "in progress",
        (Lang::En, WorkSubmitted) => "submitted for approval",
        (Lang::En, Completed) => "completed",
        (Lang::En, Cancelled) => "cancelled",
        (Lang::En, Disputed) => "disputed",
        (Lang::Ar, Posted) => "متاح لعروض الأسعار",
        (Lang::Ar, Quoted) => "يتلقى عروض أسعار",
        (Lang::Ar, Hired) => "تم التعيين",
        (Lang::Ar, OnTheWay) => "الحرفي في الطريق",
        (Lang::Ar, InProgress) => "قيد التنفيذ",
        (Lang::Ar, WorkSubmitted) => "بانتظار الموافقة على العمل",
        (Lang::Ar, Completed) => "مكتمل",
        (Lang::Ar, Cancelled) => "ملغى",
        (Lang::Ar, Disputed) => "متنازع عليه",
    }
}

impl Event {
    /// The stored `kind`.
    pub fn kind(&self) -> &'static str {
        match self {
            Event::Invited { .. } => "job_invitation",
            Event::QuoteReceived { .. } => "quote_received",
            Event::InvitationAnswered { accepted: true, .. } => "invitation_accepted",
            Event::InvitationAnswered {
                accepted: false, ..
            } => "invitation_rejected",
            Event::QuoteAccepted { .. } => "quote_accepted",
            Event::QuoteDeclined { .. } => "quote_declined",
            Event::StatusChanged { .. } => "job_status",
            Event::Money(event) => event.kind(),
            Event::Trust(event) => event.kind(),
            Event::Booking(event) => event.kind(),
            Event::Task(event) => event.kind(),
            Event::MessageReceived { .. } => "message_received",
        }
    }

    /// The structured payload clients use to navigate.
    pub fn data(&self) -> Value {
        match self {
            Event::Invited {
                job, invitation, ..
            } => json!({ "jobId": job, "invitationId": invitation }),
            Event::QuoteReceived {
                job, quote, price, ..
            } => {
                json!({ "jobId": job, "quoteId": quote, "price": price })
            }
            Event::InvitationAnswered {
                job, invitation, ..
            } => {
                json!({ "jobId": job, "invitationId": invitation })
            }
            Event::QuoteAccepted { job, quote, .. } | Event::QuoteDeclined { job, quote, .. } => {
                json!({ "jobId": job, "quoteId": quote })
            }
            Event::StatusChanged {
                job,
                status,
                reason,
                ..
            } => {
                json!({ "jobId": job, "status": status.as_str(), "reason": reason })
            }
            Event::Money(event) => event.data(),
            Event::Trust(event) => event.data(),
            Event::Booking(event) => event.data(),
            Event::Task(event) => event.data(),
            Event::MessageReceived {
                conversation,
                message,
                seq,
                job,
                ..
            } => {
                json!({ "conversationId": conversation, "messageId": message, "seq": seq, "jobId": job })
            }
        }
    }

    /// Title and body in a language.
    pub fn render(&self, lang: Lang) -> (String, String) {
        let ar = lang == Lang::Ar;
        match self {
            Event::Invited { title, .. } => {
                if ar {
                    (
                        "دعوة إلى عمل جديد".into(),
                        format!("دعاك عميل لتقديم عرض على «{title}»."),
                    )
                } else {
                    (
                        "You are invited to a job".into(),
                        format!("A client invited you to quote on \"{title}\"."),
                    )
                }
            }
            Event::QuoteReceived { title, .. } => {
                if ar {
                    (
                        "عرض سعر جديد".into(),
                        format!("وصلك عرض سعر جديد على «{title}»."),
                    )
                } else {
                    (
                        "New quote".into(),
                        format!("You received a new quote on \"{title}\"."),
                    )
                }
            }
            Event::InvitationAnswered {
                title,
                accepted: true,
                ..
            } => {
                if ar {
                    (
                        "تم قبول الدعوة".into(),
                        format!("قبل الحرفي دعوتك إلى «{title}»."),
                    )
                } else {
                    (
                        "Invitation accepted".into(),
                        format!("The craftsman accepted your invitation to \"{title}\"."),
                    )
                }
            }
            Event::InvitationAnswered {
                title,
                accepted: false,
                ..
            } => {
                if ar {
                    (
                        "تم رفض الدعوة".into(),
                        format!("اعتذر الحرفي عن دعوتك إلى «{title}»."),
                    )
                } else {
                    (
                        "Invitation declined".into(),
                        format!("The craftsman declined your invitation to \"{title}\"."),
                    )
                }
            }
            Event::QuoteAccepted { title, .. } => {
                if ar {
                    (
                        "تم قبول عرضك".into(),
                        format!("قبل العميل عرضك على «{title}». تم تعيينك."),
                    )
                } else {
                    (
                        "Your quote was accepted".into(),
                        format!("The client accepted your quote on \"{title}\". You are hired."),
                    )
                }
            }
            Event::QuoteDeclined { title, .. } => {
                if ar {
                    (
                        "لم يتم اختيار عرضك".into(),
                        format!("لم يتم اختيار عرضك على «{title}»."),
                    )
                } else {
                    (
                        "Your quote was declined".into(),
                        format!("Your quote on \"{title}\" was not chosen."),
                    )
                }
            }
            Event::StatusChanged {
                title,
                status,
                reason,
                ..
            } => {
                let words = status_words(*status, lang);
                let reason = reason
                    .as_deref()
                    .map(|r| format!(" ({r})"))
                    .unwrap_or_default();
                if ar {
                    (
                        "تحديث حالة العمل".into(),
                        format!("أصبحت حالة «{title}»: {words}{reason}."),
                    )
                } else {
                    (
                        "Job update".into(),
                        format!("\"{title}\" is now {words}{reason}."),
                    )
                }
            }
            Event::Money(event) => event.render(lang),
            Event::Trust(event) => event.render(lang),
            Event::Booking(event) => event.render(lang),
            Event::Task(event) => event.render(lang),
            Event::MessageReceived {
                sender, preview, ..
            } => {
                let title = if ar {
                    format!("رسالة جديدة من {sender}")
                } else {
                    format!("New message from {sender}")
                };
                let body = match (preview.is_empty(), ar) {
                    (false, _) => preview.clone(),
                    (true, true) => "أرسل مرفقًا.".to_owned(),
                    (true, false) => "Sent an attachment.".to_owned(),
                };
                (title, body)
            }
        }
    }
}
