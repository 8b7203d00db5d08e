//! Validation of storage keys, so user-influenced names can never escape the storage root.

use anyhow::bail;

/// Checks that `key` is a safe relative storage key.
///
/// Rejected: empty keys, absolute keys (leading `/`), backslashes, NUL or other control
/// characters, and empty, `.` or `..` path segments.
pub fn validate_key(key: &str) -> anyhow::Result<()> {
    if key.is_empty() {
        bail!("storage key is empty");
    }
    if key.starts_with('/') {
        bail!("storage key must be relative");
    }
    if key.contains('\\') {
        bail!("storage key must not contain backslashes");
    }
    if key.chars().any(char::is_control) {
        bail!("storage key must not contain NUL or control characters");
    }
    for segment in key.split('/') {
        match segment {
            "" => bail!("storage key must not contain empty segments"),
            "." | ".." => bail!("storage key must not contain . or .. segments"),
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::validate_key;

    #[test]
    fn accepts_normal_keys() {
        for key in [
            "a.png",
            "avatars/3f2a.jpg",
            "jobs/12/photo 1.webp",
            "a..b/c",
        ] {
            assert!(validate_key(key).is_ok(), "{key}");
        }
    }

    #[test]
    fn rejects_unsafe_keys() {
        for key in [
            "",
            "/etc/passwd",
            "../x",
            "a/../b",
            "a/..",
            "a\\b",
            "a\0b",
            "a//b",
            "./a",
            "a/",
        ] {
            assert!(validate_key(key).is_err(), "{key:?}");
        }
    }
}
