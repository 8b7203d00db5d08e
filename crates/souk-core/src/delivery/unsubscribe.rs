//! One-click unsubscribe links (RFC 8058): a signed `user.category` token
//! that switches the category's email off; no sign-in needed, nothing
//! else reachable with it.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use uuid::Uuid;

use super::preferences::{self, CATEGORIES, CRITICAL};
use crate::{
    Core,
    error::{ErrorCode, Result},
};

fn signature(core: &Core, user: Uuid, category: &str) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&core.settings.jwt_secret) else {
        return String::new(); // HMAC takes keys of any length
    };
    mac.update(b"unsubscribe:");
    mac.update(user.as_bytes());
    mac.update(category.as_bytes());
    URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
}

/// The unsubscribe URL for `user`'s `category` emails (`None` for critical
/// categories, which cannot be switched off).
pub fn link(core: &Core, user: Uuid, category: &str) -> Option<String> {
    if CRITICAL.contains(&category) {
        return None;
    }
    Some(format!(
        "{}/api/notifications/unsubscribe?token={}.{}.{}",
        core.settings.public_url,
        user.simple(),
        category,
        signature(core, user, category)
    ))
}

/// The user and category a token names (400 `invalid_unsubscribe_link`).
pub fn check(core: &Core, token: &str) -> Result<(Uuid, &'static str)> {
    let invalid = || ErrorCode::InvalidUnsubscribeLink;
    let mut parts = token.split('.');
    let (Some(user), Some(category), Some(sig), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(invalid().into());
    };
    let user = Uuid::parse_str(user).map_err(|_| invalid())?;
    let category = CATEGORIES
        .iter()
        .find(|c| **c == category && !CRITICAL.contains(c))
        .ok_or_else(invalid)?;
    let expected = signature(core, user, category);
    let same = expected.len() == sig.len()
        && expected
            .bytes()
            .zip(sig.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    if !same {
        return Err(invalid().into());
    }
    Ok((user, category))
}

/// Switches the token's category email off; returns the category.
pub async fn apply(core: &Core, token: &str) -> Result<&'static str> {
    let (user, category) = check(core, token)?;
    let mut prefs = preferences::get(core, user).await?;
    if let Some(switches) = prefs.categories.get_mut(category) {
        switches.email = false;
    }
    preferences::store(core, user, &prefs).await?;
    Ok(category)
}
