//! Field-level validation messages in English and Arabic.

use super::Lang;
use crate::error::FieldIssue;

/// The human message for one field issue in a language.
pub fn field_message(issue: &FieldIssue, lang: Lang) -> String {
    use FieldIssue::*;
    let ar = lang == Lang::Ar;
    match issue {
        Required => pick(ar, "is required", "هذا الحقل مطلوب"),
        InvalidType(expected) => {
            if ar {
                format!("نوع القيمة غير صحيح (المتوقع: {expected})")
            } else {
                format!("has the wrong type (expected {expected})")
            }
        }
        InvalidEmail => pick(
            ar,
            "must be a valid email address",
            "يجب أن يكون بريدًا إلكترونيًا صالحًا",
        ),
        InvalidPhone => pick(
            ar,
            "must be a phone number in international format, e.g. +201001234567",
            "يجب أن يكون رقم هاتف بالصيغة الدولية، مثل ‎+201001234567",
        ),
        TooShort(min) => {
            if ar {
                format!("يجب ألا يقل عن {min} حرفًا")
            } else {
                format!("must be at least {min} characters")
            }
        }
        TooLong(max) => {
            if ar {
                format!("يجب ألا يزيد عن {max} حرفًا")
            } else {
                format!("must be at most {max} characters")
            }
        }
        OneOf(options) => {
            let list = options.join(", ");
            if ar {
                format!("يجب أن يكون أحد: {list}")
            } else {
                format!("must be one of: {list}")
            }
        }
        ForbiddenRole => pick(
            ar,
            "staff accounts cannot be created by registration",
            "لا يمكن إنشاء حسابات فريق الإدارة عبر التسجيل",
        ),
        PasswordTooShort(min) => {
            if ar {
                format!("يجب أن تتكون كلمة المرور من {min} أحرف على الأقل")
            } else {
                format!("must be at least {min} characters long")
            }
        }
        PasswordTooLong(max) => {
            if ar {
                format!("يجب ألا تزيد كلمة المرور عن {max} حرفًا")
            } else {
                format!("must be at most {max} characters long")
            }
        }
        PasswordTooCommon => pick(
            ar,
            "is too common and easy to guess",
            "كلمة المرور شائعة جدًا وسهلة التخمين",
        ),
        PasswordNeedsVariety => pick(
            ar,
            "must mix letters with digits or symbols (or be a passphrase of 16+ characters)",
            "يجب أن تجمع بين الحروف والأرقام أو الرموز (أو أن تكون عبارة من 16 حرفًا أو أكثر)",
        ),
        PasswordContainsEmail => pick(
            ar,
            "must not contain your email address",
            "يجب ألا تحتوي كلمة المرور على بريدك الإلكتروني",
        ),
        NulByte => pick(
            ar,
            "must not contain NUL characters",
            "يجب ألا يحتوي على محارف NUL",
        ),
        OutOfRange { min, max } => {
            if ar {
                format!("يجب أن يكون بين {min} و {max}")
            } else {
                format!("must be between {min} and {max}")
            }
        }
        NotAllowed => pick(ar, "cannot be changed here", "لا يمكن تغيير هذا الحقل هنا"),
        Invalid => pick(ar, "is invalid", "القيمة غير صالحة"),
        Schedule(code) => schedule_message(code, ar),
    }
}

fn schedule_message(code: &str, ar: bool) -> String {
    let (en, arabic) = match code {
        "unknown_time_zone" => (
            "is not an IANA time zone (e.g. Africa/Cairo)",
            "ليست منطقة زمنية معروفة (مثل Africa/Cairo)",
        ),
        "invalid_time" => (
            "must be a time HH:MM (end may be 24:00)",
            "يجب أن يكون وقتًا بصيغة HH:MM",
        ),
        "empty_interval" => ("must end after it starts", "يجب أن ينتهي بعد أن يبدأ"),
        "overlapping_intervals" => (
            "overlaps another interval of the same day",
            "يتداخل مع فترة أخرى في اليوم نفسه",
        ),
        "invalid_day" => (
            "must be a weekday (mon … sun)",
            "يجب أن يكون يومًا من أيام الأسبوع",
        ),
        "invalid_date" => (
            "must be a date YYYY-MM-DD",
            "يجب أن يكون تاريخًا بصيغة YYYY-MM-DD",
        ),
        "duplicate_date" => (
            "has a second override for the same date",
            "يحتوي على استثناء ثانٍ للتاريخ نفسه",
        ),
        "invalid_range" => ("must end after it starts", "يجب أن ينتهي بعد أن يبدأ"),
        "too_many" => ("has too many entries", "يحتوي على عدد كبير جدًا من العناصر"),
        "https_required" => ("must be an https URL", "يجب أن يكون رابطًا يبدأ بـ https"),
        "invalid_url" => ("is not a valid URL", "ليس رابطًا صالحًا"),
        "private_address" => (
            "must not point to a private, loopback or link-local address",
            "يجب ألا يشير إلى عنوان خاص أو محلي",
        ),
        "unresolvable_host" => (
            "names a host that does not resolve",
            "يشير إلى مضيف لا يمكن العثور عليه",
        ),
        "critical_category" => (
            "cannot be switched off: account and payment notices are always sent",
            "لا يمكن إيقافه: إشعارات الحساب والمدفوعات تُرسل دائمًا",
        ),
        "invalid_device_token" => (
            "is not a push token (8–4096 visible characters)",
            "ليس رمز إشعارات صالحًا",
        ),
        _ => ("is invalid", "القيمة غير صالحة"),
    };
    pick(ar, en, arabic)
}

fn pick(ar: bool, en: &str, arabic: &str) -> String {
    if ar { arabic.to_owned() } else { en.to_owned() }
}
