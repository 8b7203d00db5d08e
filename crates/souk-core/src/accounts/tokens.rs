//! Access tokens (HS256 JWT naming user, role and session), opaque secrets
//! (refresh tokens, mailed links) and 6-digit codes, with their stored hashes.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, errors::ErrorKind};
use rand::{Rng, RngCore};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::Role;
use crate::error::{Error, ErrorCode, Result};

/// The claims of an access token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct AccessClaims {
    /// The user id.
    pub sub: Uuid,
    /// The user's role when the token was issued.
    pub role: Role,
    /// The session the token belongs to; revoking it kills the token.
    pub sid: Uuid,
    pub iat: i64,
    pub exp: i64,
}

/// Signing and verification keys for access tokens.
#[derive(Clone)]
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

impl JwtKeys {
    /// Keys from the shared secret.
    pub fn new(secret: &[u8]) -> Self {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 5;
        validation.set_required_spec_claims(&["exp", "sub"]);
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
        }
    }

    /// Signs an access token for `user` in `session`, valid until `expires`.
    pub fn issue(
        &self,
        user: Uuid,
        role: Role,
        session: Uuid,
        now: DateTime<Utc>,
        expires: DateTime<Utc>,
    ) -> Result<String> {
        let claims = AccessClaims {
            sub: user,
            role,
            sid: session,
            iat: now.timestamp(),
            exp: expires.timestamp(),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(|e| Error::Internal(e.into()))
    }

    /// Checks signature and expiry; says which of the two failed.
    pub fn verify(&self, token: &str) -> Result<AccessClaims> {
        jsonwebtoken::decode::<AccessClaims>(token, &self.decoding, &self.validation)
            .map(|data| data.claims)
            .map_err(|e| match e.kind() {
                ErrorKind::ExpiredSignature => Error::code(ErrorCode::TokenExpired),
                _ => Error::code(ErrorCode::InvalidToken),
            })
    }
}

/// A fresh 256-bit random secret, URL-safe.
pub fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// A fresh 6-digit one-time code.
pub fn random_otp() -> String {
    format!("{:06}", rand::rng().random_range(0..1_000_000u32))
}

/// The stored form of a high-entropy secret.
pub fn sha256_hex(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// The stored form of a low-entropy code: keyed, and bound to its token row so
/// that a leaked table cannot be brute-forced without the server key.
pub fn otp_hash(server_key: &[u8], token_id: Uuid, otp: &str) -> String {
    let mut mac = match Hmac::<Sha256>::new_from_slice(server_key) {
        Ok(mac) => mac,
        Err(_) => return sha256_hex(&format!("{token_id}:{otp}")),
    };
    mac.update(token_id.as_bytes());
    mac.update(otp.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_token_round_trip_and_tamper() {
        let keys = JwtKeys::new(b"secret-for-tests-secret-for-tests");
        let now = Utc::now();
        let (user, session) = (Uuid::now_v7(), Uuid::now_v7());
        let token = keys
            .issue(
                user,
                Role::Craftsman,
                session,
                now,
                now + chrono::Duration::minutes(15),
            )
            .expect("issue");
        let claims = keys.verify(&token).expect("verify");
        assert_eq!(
            (claims.sub, claims.sid, claims.role),
            (user, session, Role::Craftsman)
        );

        let other = JwtKeys::new(b"another-secret-another-secret-xx");
        assert_eq!(
            other.verify(&token).err().map(|e| e.error_code()),
            Some(ErrorCode::InvalidToken)
        );
        let expired = keys
            .issue(
                user,
                Role::Client,
                session,
                now,
                now - chrono::Duration::minutes(1),
            )
            .expect("issue");
        assert_eq!(
            keys.verify(&expired).err().map(|e| e.error_code()),
            Some(ErrorCode::TokenExpired)
        );
    }

    #[test]
    fn otp_is_six_digits() {
        for _ in 0..100 {
            let otp = random_otp();
            assert_eq!(otp.len(), 6);
            assert!(otp.chars().all(|c| c.is_ascii_digit()));
        }
    }
}
