//! Parsing of account inputs: email, phone, password policy, names.

use crate::error::{FieldErrors, FieldIssue};

/// Trims and lower-cases an email; `None` when it is not plausibly valid.
pub fn normalize_email(raw: &str) -> Option<String> {
    let email = raw.trim().to_lowercase();
    if email.len() > 254 || email.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return None;
    }
    let (local, domain) = email.rsplit_once('@')?;
    let domain_ok = domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains("..")
        && domain
            .chars()
            .all(|c| c.is_alphanumeric() || c == '.' || c == '-');
    let local_ok = !local.is_empty() && local.len() <= 64 && !local.contains('@');
    (domain_ok && local_ok).then_some(email)
}

/// Normalizes a phone number to E.164 (`+` and 8–15 digits), dropping spaces,
/// dashes, dots and parentheses; `None` when it is not one.
pub fn normalize_phone(raw: &str) -> Option<String> {
    let trimmed = raw.trim();
    let rest = trimmed
        .strip_prefix('+')
        .or_else(|| trimmed.strip_prefix("00"))?;
    let mut digits = String::with_capacity(16);
    for c in rest.chars() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '-' | '.' | '(' | ')' => {}
            _ => return None,
        }
    }
    let valid = (8..=15).contains(&digits.len()) && !digits.starts_with('0');
    valid.then(|| format!("+{digits}"))
}

/// Minimum password length.
pub const PASSWORD_MIN: usize = 8;
/// Maximum password length (bounds hashing work).
pub const PASSWORD_MAX: usize = 128;
const PASSPHRASE_LEN: usize = 16;

const COMMON_PASSWORDS: &[&str] = &[
    "password",
    "password1",
    "password12",
    "password123",
    "passw0rd",
    "p@ssw0rd",
    "p@ssword",
    "12345678",
    "123456789",
    "1234567890",
    "0123456789",
    "87654321",
    "11111111",
    "00000000",
    "qwerty12",
    "qwerty123",
    "qwertyuiop",
    "1q2w3e4r",
    "1qaz2wsx",
    "zaq12wsx",
    "abc12345",
    "abcd1234",
    "iloveyou",
    "iloveyou1",
    "letmein1",
    "welcome1",
    "welcome123",
    "admin123",
    "admin1234",
    "administrator",
    "sunshine1",
    "football1",
    "baseball1",
    "monkey123",
    "dragon123",
    "master123",
    "trustno1",
    "princess1",
    "changeme",
    "changeme1",
    "secret123",
    "qwerty1234",
    "asdfghjkl",
    "asdf1234",
    "superman1",
    "starwars1",
    "whatever1",
];

/// Checks the password policy; every problem names what is wrong.
pub fn check_password(password: &str, email: Option<&str>) -> Option<FieldIssue> {
    let length = password.chars().count();
    if length < PASSWORD_MIN {
        return Some(FieldIssue::PasswordTooShort(PASSWORD_MIN));
    }
    if length > PASSWORD_MAX {
        return Some(FieldIssue::PasswordTooLong(PASSWORD_MAX));
    }
    if password.contains('\0') {
        return Some(FieldIssue::NulByte);
    }
    let lowered = password.to_lowercase();
    let distinct = {
        let mut chars: Vec<char> = lowered.chars().collect();
        chars.sort_unstable();
        chars.dedup();
        chars.len()
    };
    if COMMON_PASSWORDS.contains(&lowered.as_str()) || distinct <= 3 || is_sequence(&lowered) {
        return Some(FieldIssue::PasswordTooCommon);
    }
    if let Some(local) = email.and_then(|e| e.split('@').next())
        && local.len() >= 4
        && lowered.contains(&local.to_lowercase())
    {
        return Some(FieldIssue::PasswordContainsEmail);
    }
    let has_letter = password.chars().any(char::is_alphabetic);
    let has_other = password.chars().any(|c| !c.is_alphabetic());
    if length < PASSPHRASE_LEN && !(has_letter && has_other) {
        return Some(FieldIssue::PasswordNeedsVariety);
    }
    None
}

fn is_sequence(password: &str) -> bool {
    let bytes = password.as_bytes();
    bytes.len() >= 2
        && (bytes
            .windows(2)
            .all(|w| matches!(w, [a, b] if *b == a.wrapping_add(1)))
            || bytes
                .windows(2)
                .all(|w| matches!(w, [a, b] if b.wrapping_add(1) == *a)))
}

/// Checks a required, trimmed text field of bounded length; returns it trimmed.
pub fn required_text(
    errors: &mut FieldErrors,
    field: &str,
    value: Option<&str>,
    max: usize,
) -> String {
    let value = value.map(str::trim).unwrap_or_default();
    if value.is_empty() {
        errors.add(field, FieldIssue::Required);
    } else if value.chars().count() > max {
        errors.add(field, FieldIssue::TooLong(max));
    }
    value.to_owned()
}

/// Checks an optional text field; empty becomes `None`.
pub fn optional_text(
    errors: &mut FieldErrors,
    field: &str,
    value: Option<&str>,
    max: usize,
) -> Option<String> {
    let value = value.map(str::trim).filter(|v| !v.is_empty())?;
    if value.chars().count() > max {
        errors.add(field, FieldIssue::TooLong(max));
    }
    Some(value.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalized() {
        assert_eq!(
            normalize_email("  Alice@Example.COM "),
            Some("alice@example.com".into())
        );
        assert_eq!(normalize_email("no-at-sign"), None);
        assert_eq!(normalize_email("a@b"), None);
        assert_eq!(normalize_email("a b@c.de"), None);
    }

    #[test]
    fn phones_become_e164() {
        assert_eq!(
            normalize_phone("+20 100 123-4567"),
            Some("+201001234567".into())
        );
        assert_eq!(
            normalize_phone("00201001234567"),
            Some("+201001234567".into())
        );
        assert_eq!(normalize_phone("01001234567"), None);
        assert_eq!(normalize_phone("+12"), None);
        assert_eq!(normalize_phone("+20abc"), None);
    }

    #[test]
    fn password_policy_names_the_problem() {
        assert_eq!(
            check_password("short1", None),
            Some(FieldIssue::PasswordTooShort(8))
        );
        assert_eq!(
            check_password("password123", None),
            Some(FieldIssue::PasswordTooCommon)
        );
        assert_eq!(
            check_password("aaaaaaaaaa", None),
            Some(FieldIssue::PasswordTooCommon)
        );
        assert_eq!(
            check_password("abcdefgh", None),
            Some(FieldIssue::PasswordTooCommon)
        );
        assert_eq!(
            check_password("onlyletters", None),
            Some(FieldIssue::PasswordNeedsVariety)
        );
        assert_eq!(
            check_password("mona.lisa-99", Some("mona.lisa@example.com")),
            Some(FieldIssue::PasswordContainsEmail)
        );
        assert_eq!(check_password("Tr0ub4dor&3", None), None);
        assert_eq!(check_password("correct horse battery staple", None), None);
    }
}
