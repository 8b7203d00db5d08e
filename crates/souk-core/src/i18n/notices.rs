//! Confirmation messages (non-errors) in English and Arabic.

use super::Lang;

/// A confirmation a handler answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notice {
    ContactSent,
    ResetMailSent,
    LoggedOut,
    PasswordReset,
    AccountDeactivated,
    EmailVerified,
    VerificationSent,
    UserDeleted,
    JobDeleted,
    OfferingRemoved,
    CalendarLinkRevoked,
    BuyerRated,
    NotificationDeleted,
}

/// The text of a notice in a language.
pub fn notice(notice: Notice, lang: Lang) -> &'static str {
    use Notice::*;
    let (en, ar) = match notice {
        ContactSent => ("Email sent successfully.", "تم إرسال رسالتك بنجاح."),
        ResetMailSent => (
            "If an account exists for this email, we have sent a reset link and code.",
            "إذا كان هناك حساب بهذا البريد، فقد أرسلنا رابط ورمز إعادة التعيين.",
        ),
        LoggedOut => ("Signed out.", "تم تسجيل الخروج."),
        PasswordReset => (
            "Your password has been reset. Please sign in.",
            "تمت إعادة تعيين كلمة المرور. يرجى تسجيل الدخول.",
        ),
        AccountDeactivated => (
            "Your account has been deactivated. Sign in again to reactivate it.",
            "تم إيقاف حسابك. سجّل الدخول مرة أخرى لإعادة تفعيله.",
        ),
        EmailVerified => ("Your email has been verified.", "تم تأكيد بريدك الإلكتروني."),
        VerificationSent => ("Verification email sent.", "تم إرسال رسالة التحقق."),
        UserDeleted => (
            "The user's personal data has been erased.",
            "تم حذف البيانات الشخصية للمستخدم.",
        ),
        JobDeleted => ("The job has been deleted.", "تم حذف العمل."),
        OfferingRemoved => ("The offering has been taken down.", "تمت إزالة الخدمة."),
        BuyerRated => ("Thanks for rating the buyer.", "شكرًا لتقييم صاحب المهمة."),
        CalendarLinkRevoked => (
            "The calendar link no longer works.",
            "لم يعد رابط التقويم يعمل.",
        ),
        NotificationDeleted => ("Notification deleted.", "تم حذف الإشعار."),
    };
    match lang {
        Lang::En => en,
        Lang::Ar => ar,
    }
}
