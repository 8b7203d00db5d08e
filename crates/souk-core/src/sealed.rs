//! Files sealed at rest with AES-256-GCM (identity documents): each file is
//! `SKE1`, the key id's length and bytes, a random 96-bit nonce, then the
//! ciphertext with its tag. The key id (the first 8 bytes of the key's
//! SHA-256, in hex) is stored beside each file too, so `souk keys rotate`
//! finds what an old key sealed and seals it again under the current one.
//! Without the key the bytes on disk or in the bucket are unreadable.

use base64::Engine;
use ring::{
    aead::{AES_256_GCM, Aad, LessSafeKey, NONCE_LEN, Nonce, UnboundKey},
    rand::{SecureRandom, SystemRandom},
};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

const MAGIC: &[u8; 4] = b"SKE1";

/// One data key.
#[derive(Clone)]
pub struct DataKey {
    id: String,
    bytes: [u8; 32],
}

impl DataKey {
    /// A key from its 32 bytes.
    pub fn new(bytes: [u8; 32]) -> Self {
        let digest = Sha256::digest(bytes);
        let id = hex::encode(digest.get(..8).unwrap_or_default());
        Self { id, bytes }
    }

    /// A key from standard base64 (`SOUK_DATA_KEY`); `None` unless it
    /// decodes to exactly 32 bytes.
    pub fn from_base64(text: &str) -> Option<Self> {
        let raw = base64::engine::general_purpose::STANDARD
            .decode(text.trim())
            .ok()?;
        let bytes: [u8; 32] = raw.try_into().ok()?;
        Some(Self::new(bytes))
    }

    /// A fresh random key.
    pub fn generate() -> Self {
        let mut bytes = [0u8; 32];
        rand::RngCore::fill_bytes(&mut rand::rng(), &mut bytes);
        Self::new(bytes)
    }

    /// The key as standard base64, to keep it.
    pub fn to_base64(&self) -> String {
        base64::engine::general_purpose::STANDARD.encode(self.bytes)
    }

    /// Its id, stored with what it seals.
    pub fn id(&self) -> &str {
        &self.id
    }

    fn aead(&self) -> Result<LessSafeKey> {
        let key = UnboundKey::new(&AES_256_GCM, &self.bytes)
            .map_err(|_| Error::Internal(anyhow::anyhow!("bad data key")))?;
        Ok(LessSafeKey::new(key))
    }
}

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DataKey")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

/// The current key (sealing) and older ones (opening what they sealed
/// until it is rotated).
#[derive(Debug, Clone)]
pub struct DataKeys {
    pub current: DataKey,
    pub old: Vec<DataKey>,
}

impl DataKeys {
    /// Just one key.
    pub fn single(current: DataKey) -> Self {
        Self {
            current,
            old: Vec::new(),
        }
    }

    fn find(&self, id: &str) -> Option<&DataKey> {
        std::iter::once(&self.current)
            .chain(self.old.iter())
            .find(|k| k.id == id)
    }

    /// Seals `plain` under the current key; returns the sealed bytes.
    pub fn seal(&self, plain: &[u8]) -> Result<Vec<u8>> {
        let mut nonce = [0u8; NONCE_LEN];
        SystemRandom::new()
            .fill(&mut nonce)
            .map_err(|_| Error::Internal(anyhow::anyhow!("no randomness for a nonce")))?;
        let id = self.current.id.as_bytes();
        let id_len = u8::try_from(id.len())
            .map_err(|_| Error::Internal(anyhow::anyhow!("key id too long")))?;
        let mut body = plain.to_vec();
        self.current
            .aead()?
            .seal_in_place_append_tag(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(MAGIC),
                &mut body,
            )
            .map_err(|_| Error::Internal(anyhow::anyhow!("sealing failed")))?;
        let mut out = Vec::with_capacity(body.len() + 5 + id.len() + NONCE_LEN);
        out.extend_from_slice(MAGIC);
        out.push(id_len);
        out.extend_from_slice(id);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&body);
        Ok(out)
    }

    /// The id of the key that sealed `sealed`, if it is a sealed file.
    pub fn key_id_of(sealed: &[u8]) -> Option<String> {
        let rest = sealed.strip_prefix(MAGIC.as_slice())?;
        let (&len, rest) = rest.split_first()?;
        let id = rest.get(..usize::from(len))?;
        String::from_utf8(id.to_vec()).ok()
    }

    /// Opens a sealed file with whichever known key sealed it.
    pub fn open(&self, sealed: &[u8]) -> Result<Vec<u8>> {
        let broken = || Error::Internal(anyhow::anyhow!("a sealed file could not be opened"));
        let rest = sealed.strip_prefix(MAGIC.as_slice()).ok_or_else(broken)?;
        let (&len, rest) = rest.split_first().ok_or_else(broken)?;
        let (id, rest) = rest.split_at_checked(usize::from(len)).ok_or_else(broken)?;
        let id = std::str::from_utf8(id).map_err(|_| broken())?;
        let key = self.find(id).ok_or_else(|| {
            Error::Internal(anyhow::anyhow!(
                "no data key with id {id} (SOUK_DATA_KEYS_OLD?)"
            ))
        })?;
        let (nonce, body) = rest.split_at_checked(NONCE_LEN).ok_or_else(broken)?;
        let nonce: [u8; NONCE_LEN] = nonce.try_into().map_err(|_| broken())?;
        let mut body = body.to_vec();
        let plain = key
            .aead()?
            .open_in_place(
                Nonce::assume_unique_for_key(nonce),
                Aad::from(MAGIC),
                &mut body,
            )
            .map_err(|_| broken())?;
        Ok(plain.to_vec())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_file_opens_only_with_its_key_and_hides_its_bytes() {
        let keys = DataKeys::single(DataKey::generate());
        let plain = b"%PDF-1.7 national id 29001011234567".to_vec();
        let sealed = keys.seal(&plain).expect("sealed");
        assert!(!sealed.windows(5).any(|w| w == b"%PDF-"));
        assert!(!sealed.windows(14).any(|w| w == b"29001011234567"));
        assert_eq!(keys.open(&sealed).expect("opened"), plain);
        assert_eq!(
            DataKeys::key_id_of(&sealed).as_deref(),
            Some(keys.current.id())
        );
        // Another key cannot; a flipped bit is refused.
        let other = DataKeys::single(DataKey::generate());
        assert!(other.open(&sealed).is_err());
        let mut tampered = sealed.clone();
        if let Some(last) = tampered.last_mut() {
            *last ^= 1;
        }
        assert!(keys.open(&tampered).is_err());
        // Two seals of the same bytes differ (fresh nonces).
        assert_ne!(keys.seal(&plain).expect("sealed"), sealed);
    }

    #[test]
    fn an_old_key_still_opens_until_rotation() {
        let old = DataKey::generate();
        let sealed = DataKeys::single(old.clone())
            .seal(b"licence")
            .expect("sealed");
        let rotated = DataKeys {
            current: DataKey::generate(),
            old: vec![old],
        };
        assert_eq!(rotated.open(&sealed).expect("opened"), b"licence");
        let again = rotated.seal(b"licence").expect("sealed");
        assert_eq!(
            DataKeys::key_id_of(&again).as_deref(),
            Some(rotated.current.id())
        );
    }

    #[test]
    fn keys_come_from_base64_of_exactly_32_bytes() {
        let key = DataKey::generate();
        let back = DataKey::from_base64(&key.to_base64()).expect("decodes");
        assert_eq!(back.id(), key.id());
        assert!(DataKey::from_base64("c2hvcnQ=").is_none());
        assert!(DataKey::from_base64("not base64!").is_none());
    }
}
