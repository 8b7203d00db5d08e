//! The money events people hear about (escrow, payments, tips, withdrawals,
//! fees due), with their texts in English and Arabic.

use serde_json::{Value, json};
use uuid::Uuid;

use crate::Lang;

/// Something that happened to someone's money.
#[derive(Debug, Clone)]
pub enum MoneyEvent {
    /// The client funded the escrow: the craftsman may start.
    EscrowFunded {
        job: Uuid,
        title: String,
        amount: i64,
        currency: String,
    },
    /// Escrow paid out to the craftsman (net of commission). `completed`:
    /// paid because the job was completed (approved by the client, or
    /// automatically) — the craftsman's only notice of that completion.
    EscrowReleased {
        job: Uuid,
        title: String,
        amount: i64,
        currency: String,
        completed: bool,
    },
    /// Escrow returned to the client.
    EscrowRefunded {
        job: Uuid,
        title: String,
        amount: i64,
        currency: String,
    },
    /// A client tipped the craftsman (net of any fee).
    TipReceived {
        job: Uuid,
        title: String,
        amount: i64,
        currency: String,
    },
    /// A gateway payment went through.
    PaymentSucceeded {
        payment: Uuid,
        amount: i64,
        currency: String,
    },
    /// A gateway payment failed.
    PaymentFailed {
        payment: Uuid,
        amount: i64,
        currency: String,
    },
    /// A withdrawal was received and awaits review.
    WithdrawalRequested {
        withdrawal: Uuid,
        amount: i64,
        currency: String,
    },
    /// A withdrawal was paid out (net of its fee).
    WithdrawalCompleted {
        withdrawal: Uuid,
        amount: i64,
        currency: String,
    },
    /// A withdrawal was refused; the money is back in the wallet.
    WithdrawalRejected {
        withdrawal: Uuid,
        amount: i64,
        currency: String,
        reason: Option<String>,
    },
    /// Commission from cash jobs is owed.
    FeesDue { amount: i64, currency: String },
    /// Credit given by the platform (signup bonus).
    BonusCredited { amount: i64, currency: String },
}

/// An amount in minor units as people read it: "1,234.50 EGP".
pub fn format_money(amount: i64, currency: &str) -> String {
    let sign = if amount < 0 { "-" } else { "" };
    let abs = amount.unsigned_abs();
    let units = (abs / 100).to_string();
    let mut grouped = String::new();
    for (i, ch) in units.chars().enumerate() {
        if i > 0 && (units.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    format!("{sign}{grouped}.{:02} {currency}", abs % 100)
}

impl MoneyEvent {
    pub fn kind(&self) -> &'static str {
        match self {
            MoneyEvent::EscrowFunded { .. } => "escrow_funded",
            MoneyEvent::EscrowReleased { .. } => "escrow_released",
            MoneyEvent::EscrowRefunded { .. } => "escrow_refunded",
            MoneyEvent::TipReceived { .. } => "tip_received",
            MoneyEvent::PaymentSucceeded { .. } => "payment_succeeded",
            MoneyEvent::PaymentFailed { .. } => "payment_failed",
            MoneyEvent::WithdrawalRequested { .. } => "withdrawal_requested",
            MoneyEvent::WithdrawalCompleted { .. } => "withdrawal_completed",
            MoneyEvent::WithdrawalRejected { .. } => "withdrawal_rejected",
            MoneyEvent::FeesDue { .. } => "fees_due",
            MoneyEvent::BonusCredited { .. } => "bonus_credited",
        }
    }

    pub fn data(&self) -> Value {
        match self {
            MoneyEvent::EscrowFunded {
                job,
                amount,
                currency,
                ..
            }
            | MoneyEvent::EscrowRefunded {
                job,
                amount,
                currency,
                ..
            }
            | MoneyEvent::TipReceived {
                job,
                amount,
                currency,
                ..
            } => {
                json!({ "jobId": job, "amount": amount, "currency": currency })
            }
            MoneyEvent::EscrowReleased {
                job,
                amount,
                currency,
                completed,
                ..
            } => {
                if *completed {
                    json!({ "jobId": job, "amount": amount, "currency": currency, "status": "completed" })
                } else {
                    json!({ "jobId": job, "amount": amount, "currency": currency })
                }
            }
            MoneyEvent::PaymentSucceeded {
                payment,
                amount,
                currency,
            }
            | MoneyEvent::PaymentFailed {
                payment,
                amount,
                currency,
            } => {
                json!({ "paymentId": payment, "amount": amount, "currency": currency })
            }
            MoneyEvent::WithdrawalRequested {
                withdrawal,
                amount,
                currency,
            }
            | MoneyEvent::WithdrawalCompleted {
                withdrawal,
                amount,
                currency,
            } => {
                json!({ "withdrawalId": withdrawal, "amount": amount, "currency": currency })
            }
            MoneyEvent::WithdrawalRejected {
                withdrawal,
                amount,
                currency,
                reason,
            } => {
                json!({ "withdrawalId": withdrawal, "amount": amount, "currency": currency, "reason": reason })
            }
            MoneyEvent::FeesDue { amount, currency }
            | MoneyEvent::BonusCredited { amount, currency } => {
                json!({ "amount": amount, "currency": currency })
            }
        }
    }

    pub fn render(&self, lang: Lang) -> (String, String) {
        let ar = lang == Lang::Ar;
        let pick = |en: (&str, String), arabic: (&str, String)| {
            let (title, body) = if ar { arabic } else { en };
            (title.to_owned(), body)
        };
        match self {
            MoneyEvent::EscrowFunded {
                title,
                amount,
                currency,
                ..
            } => {
                let m = format_money(*amount, currency);
                pick(
                    (
                        "Escrow funded",
                        format!("The client put {m} in escrow for \"{title}\". You can start."),
                    ),
                    (
                        "تم تمويل الضمان",
                        format!("أودع العميل {m} في الضمان لـ «{title}». يمكنك البدء."),
                    ),
                )
            }
            MoneyEvent::EscrowReleased {
                title,
                amount,
                currency,
                completed: true,
                ..
            } => {
                let m = format_money(*amount, currency);
                pick(
                    (
                        "Job completed, payment released",
                        format!("\"{title}\" is complete: {m} is now in your wallet."),
                    ),
                    (
                        "اكتملت المهمة وتم تحرير الدفعة",
                        format!("اكتملت «{title}»: أصبح {m} في محفظتك."),
                    ),
                )
            }
            MoneyEvent::EscrowReleased {
                title,
                amount,
                currency,
                ..
            } => {
                let m = format_money(*amount, currency);
                pick(
                    (
                        "Payment released",
                        format!("{m} for \"{title}\" is now in your wallet."),
                    ),
                    (
                        "تم تحرير الدفعة",
                        format!("أصبح {m} عن «{title}» في محفظتك."),
                    ),
                )
            }
            MoneyEvent::EscrowRefunded {
                title,
                amount,
                currency,
                ..
            } => {
                let m = format_money(*amount, currency);
                pick(
                    (
                        "Refund",
                        format!("{m} from the escrow of \"{title}\" is back in your wallet."),
                    ),
                    ("استرداد", format!("عاد {m} من ضمان «{title}» إلى محفظتك.")),
                )
            }
            MoneyEvent::TipReceived {
                title,
                amount,
                currency,
                ..
            } => {
                let m = format_money(*amount, currency);
                pick(
                    (
                        "You received a tip",
                        format!("The client tipped you {m} for \"{title}\"."),
                    ),
                    (
                        "وصلتك إكرامية",
                        format!("منحك العميل إكرامية {m} عن «{title}»."),
                    ),
                )
            }
            MoneyEvent::PaymentSucceeded {
                amount, currency, ..
            } => {
                let m = format_money(*amount, currency);
                pick(
                    (
                        "Payment received",
                        format!("Your payment of {m} went through."),
                    ),
                    ("تم استلام الدفعة", format!("تمت دفعتك بمبلغ {m} بنجاح.")),
                )
            }
            MoneyEvent::PaymentFailed {
                amount, currency, ..
            } => {
                let m = format_money(*amount, currency);
                pick(
                    (
                        "Payment failed",
                        format!("Your payment of {m} did not go through. Nothing was charged."),
                    ),
                    (
                        "فشلت الدفعة",
                        format!("لم تتم دفعتك بمبلغ {m}. لم يُخصم شيء."),
                    ),
                )
            }
            MoneyEvent::WithdrawalRequested {
                amount, currency, ..
            } => {
                let m = format_money(*amount, currency);
                pick(
                    (
                        "Withdrawal requested",
                        format!("We received your withdrawal of {m}; it is being reviewed."),
                    ),
                    (
                        "تم طلب السحب",
                        format!("استلمنا طلب سحب {m}؛ وهو قيد المراجعة."),
                    ),
                )
            }
            MoneyEvent::WithdrawalCompleted {
                amount, currency, ..
            } => {
                let m = format_money(*amount, currency);
                pick(
                    ("Withdrawal paid", format!("{m} is on its way to you.")),
                    ("تم صرف السحب", format!("تم إرسال {m} إليك.")),
                )
            }
            MoneyEvent::WithdrawalRejected {
                amount,
                currency,
                reason,
                ..
            } => {
                let m = format_money(*amount, currency);
                let why = reason
                    .as_deref()
                    .map(|r| format!(" ({r})"))
                    .unwrap_or_default();
                pick(
                    (
                        "Withdrawal rejected",
                        format!(
                            "Your withdrawal of {m} was rejected{why}; the money is back in your wallet."
                        ),
                    ),
                    (
                        "تم رفض السحب",
                        format!("تم رفض سحب {m}{why}؛ وعاد المبلغ إلى محفظتك."),
                    ),
                )
            }
            MoneyEvent::FeesDue { amount, currency } => {
                let m = format_money(*amount, currency);
                pick(
                    (
                        "Platform fees due",
                        format!(
                            "You owe {m} in commission from cash jobs. Please pay it from your wallet."
                        ),
                    ),
                    (
                        "رسوم مستحقة للمنصة",
                        format!("عليك {m} عمولة عن أعمال نقدية. يرجى سدادها من محفظتك."),
                    ),
                )
            }
            MoneyEvent::BonusCredited { amount, currency } => {
                let m = format_money(*amount, currency);
                pick(
                    ("Welcome bonus", format!("{m} was added to your wallet.")),
                    ("مكافأة ترحيب", format!("تمت إضافة {m} إلى محفظتك.")),
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::format_money;

    #[test]
    fn amounts_read_with_two_decimals_and_grouping() {
        assert_eq!(format_money(0, "EGP"), "0.00 EGP");
        assert_eq!(format_money(5, "EGP"), "0.05 EGP");
        assert_eq!(format_money(123_456_789, "USD"), "1,234,567.89 USD");
        assert_eq!(format_money(-1050, "EGP"), "-10.50 EGP");
    }
}
