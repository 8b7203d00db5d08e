//! The confusable skeleton of an e-mail address (Unicode TS #39): two
//! addresses that look the same — a Cyrillic `а` for a Latin `a`, `rn` for
//! `m` — have the same skeleton. `users.email_skeleton` keeps it so that
//! registration can refuse a look-alike of an existing account.

/// The skeleton of an already normalized (trimmed, lower-case) address.
pub fn email_skeleton(email: &str) -> String {
    unicode_security::skeleton(email)
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::email_skeleton;

    #[test]
    fn look_alikes_share_a_skeleton_and_others_do_not() {
        // The first `а` is Cyrillic.
        assert_eq!(
            email_skeleton("\u{430}dmin@souk.local"),
            email_skeleton("admin@souk.local")
        );
        assert_ne!(
            email_skeleton("admin@souk.local"),
            email_skeleton("admins@souk.local")
        );
    }
}
