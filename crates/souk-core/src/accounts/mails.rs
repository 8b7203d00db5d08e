//! The account emails (password reset, email verification) in both languages.

use crate::{Lang, outbox::OutboxMessage};

/// The password-reset mail: a link with a single-use token and a 6-digit code.
pub fn password_reset(
    lang: Lang,
    to: &str,
    first_name: &str,
    link: &str,
    otp: &str,
    minutes: u64,
) -> OutboxMessage {
    let (subject, text) = match lang {
        Lang::En => (
            "Reset your Souk password".to_owned(),
            format!(
                "Hello {first_name},\n\nWe received a request to reset your Souk password.\n\n\
                 Open this link to choose a new password:\n{link}\n\n\
                 Or enter this code in the app: {otp}\n\n\
                 The link and the code work once and expire in {minutes} minutes.\n\
                 If you did not ask for this, you can ignore this email.\n"
            ),
        ),
        Lang::Ar => (
            "إعادة تعيين كلمة مرور سوق".to_owned(),
            format!(
                "مرحبًا {first_name}،\n\nتلقينا طلبًا لإعادة تعيين كلمة مرورك في سوق.\n\n\
                 افتح هذا الرابط لاختيار كلمة مرور جديدة:\n{link}\n\n\
                 أو أدخل هذا الرمز في التطبيق: {otp}\n\n\
                 يعمل الرابط والرمز مرة واحدة وتنتهي صلاحيتهما خلال {minutes} دقيقة.\n\
                 إذا لم تطلب ذلك، يمكنك تجاهل هذه الرسالة.\n"
            ),
        ),
    };
    OutboxMessage::Mail {
        to: to.to_owned(),
        subject,
        text,
    }
}

/// The email-verification mail.
pub fn verify_email(lang: Lang, to: &str, first_name: &str, link: &str) -> OutboxMessage {
    let (subject, text) = match lang {
        Lang::En => (
            "Confirm your email for Souk".to_owned(),
            format!(
                "Hello {first_name},\n\nWelcome to Souk! Please confirm your email address:\n{link}\n"
            ),
        ),
        Lang::Ar => (
            "أكّد بريدك الإلكتروني في سوق".to_owned(),
            format!("مرحبًا {first_name}،\n\nأهلًا بك في سوق! يرجى تأكيد بريدك الإلكتروني:\n{link}\n"),
        ),
    };
    OutboxMessage::Mail {
        to: to.to_owned(),
        subject,
        text,
    }
}
