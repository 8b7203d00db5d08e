//! Password hashing with argon2id (OWASP: m = 19 MiB, t = 2, p = 1), run off the
//! async threads, at most one hash per core at a time, reusing each worker
//! thread's 19 MiB buffer instead of allocating it per hash. Hashes are stored
//! as standard PHC strings (`$argon2id$v=19$m=…,t=…,p=…$salt$hash`).

use std::{cell::RefCell, sync::Arc};

use argon2::{Algorithm, Argon2, Block, Params, Version};
use base64::{Engine, engine::general_purpose::STANDARD_NO_PAD};
use rand::RngCore;
use subtle::ConstantTimeEq;
use tokio::sync::{OnceCell, Semaphore};

use crate::error::{Error, Result};

const SALT_LEN: usize = 16;
const OUTPUT_LEN: usize = 32;

thread_local! {
    static MEMORY: RefCell<Vec<Block>> = const { RefCell::new(Vec::new()) };
}

/// Hashes and verifies passwords; cheap to clone.
#[derive(Clone)]
pub struct PasswordHasher {
    params: Params,
    permits: Arc<Semaphore>,
    dummy: Arc<OnceCell<String>>,
}

impl PasswordHasher {
    /// The OWASP-recommended argon2id parameters.
    pub fn new() -> Self {
        Self::with_params(Params::DEFAULT_M_COST, Params::DEFAULT_T_COST)
    }

    /// Custom memory (KiB) and time cost; p is always 1.
    pub fn with_params(m_cost: u32, t_cost: u32) -> Self {
        let params = Params::new(m_cost, t_cost, 1, Some(OUTPUT_LEN)).unwrap_or(Params::DEFAULT);
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        Self {
            params,
            permits: Arc::new(Semaphore::new(cores)),
            dummy: Arc::new(OnceCell::new()),
        }
    }

    /// Hashes a password into a PHC string.
    pub async fn hash(&self, password: &str) -> Result<String> {
        let password = password.as_bytes().to_vec();
        let params = self.params.clone();
        self.run(move || hash_blocking(&password, &params)).await
    }

    /// True when `password` matches the PHC string `phc`.
    pub async fn verify(&self, password: &str, phc: &str) -> Result<bool> {
        let password = password.as_bytes().to_vec();
        let phc = phc.to_owned();
        self.run(move || Ok(verify_blocking(&password, &phc))).await
    }

    /// Spends the same time as a real verification, for unknown accounts, so
    /// that response times do not reveal which accounts exist.
    pub async fn verify_dummy(&self, password: &str) -> Result<()> {
        let dummy = self
            .dummy
            .get_or_try_init(|| self.hash("dummy password for timing"))
            .await?
            .clone();
        self.verify(password, &dummy).await.map(|_| ())
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|e| Error::Internal(e.into()))?;
        tokio::task::spawn_blocking(work)
            .await
            .map_err(|e| Error::Internal(e.into()))?
    }
}

impl Default for PasswordHasher {
    fn default() -> Self {
        Self::new()
    }
}

fn raw_hash(password: &[u8], salt: &[u8], params: &Params, out: &mut [u8]) -> Result<()> {
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.clone());
    MEMORY.with_borrow_mut(|memory| {
        let needed = params.block_count();
        if memory.len() != needed {
            memory.clear();
            memory.resize(needed, Block::default());
        }
        argon
            .hash_password_into_with_memory(password, salt, out, memory.as_mut_slice())
            .map_err(|e| Error::Internal(anyhow::anyhow!("argon2: {e}")))
    })
}

fn hash_blocking(password: &[u8], params: &Params) -> Result<String> {
    let mut salt = [0u8; SALT_LEN];
    rand::rng().fill_bytes(&mut salt);
    let mut out = [0u8; OUTPUT_LEN];
    raw_hash(password, &salt, params, &mut out)?;
    Ok(format!(
        "$argon2id$v=19$m={},t={},p={}${}${}",
        params.m_cost(),
        params.t_cost(),
        params.p_cost(),
        STANDARD_NO_PAD.encode(salt),
        STANDARD_NO_PAD.encode(out)
    ))
}

fn verify_blocking(password: &[u8], phc: &str) -> bool {
    let Some((params, salt, expected)) = parse_phc(phc) else {
        return false;
    };
    let mut out = vec![0u8; expected.len()];
    if raw_hash(password, &salt, &params, &mut out).is_err() {
        return false;
    }
    out.ct_eq(&expected).into()
}

fn parse_phc(phc: &str) -> Option<(Params, Vec<u8>, Vec<u8>)> {
    let mut parts = phc.split('$');
    let (_, alg, version, params, salt, hash) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    if alg != "argon2id" || version != "v=19" || parts.next().is_some() {
        return None;
    }
    let (mut m, mut t, mut p) = (None, None, None);
    for pair in params.split(',') {
        let (key, value) = pair.split_once('=')?;
        let value: u32 = value.parse().ok()?;
        match key {
            "m" => m = Some(value),
            "t" => t = Some(value),
            "p" => p = Some(value),
            _ => return None,
        }
    }
    let salt = STANDARD_NO_PAD.decode(salt).ok()?;
    let hash = STANDARD_NO_PAD.decode(hash).ok()?;
    let params = Params::new(m?, t?, p?, Some(hash.len())).ok()?;
    Some((params, salt, hash))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn round_trip_and_rejects_wrong_password() {
        let hasher = PasswordHasher::with_params(1024, 1);
        let phc = hasher.hash("correct horse").await.expect("hash");
        assert!(phc.starts_with("$argon2id$v=19$m=1024,t=1,p=1$"));
        assert!(hasher.verify("correct horse", &phc).await.expect("verify"));
        assert!(!hasher.verify("wrong horse", &phc).await.expect("verify"));
        assert!(
            !hasher
                .verify("correct horse", "garbage")
                .await
                .expect("verify")
        );
    }

    #[tokio::test]
    async fn verifies_hashes_from_the_reference_implementation() {
        use argon2::{PasswordHasher as _, PasswordVerifier as _};
        let reference = Argon2::default()
            .hash_password(b"s3cret-pass")
            .expect("reference hash")
            .to_string();
        let hasher = PasswordHasher::new();
        assert!(
            hasher
                .verify("s3cret-pass", &reference)
                .await
                .expect("verify")
        );
        let ours = hasher.hash("s3cret-pass").await.expect("hash");
        assert!(
            Argon2::default()
                .verify_password(b"s3cret-pass", ours.as_str())
                .is_ok()
        );
    }
}
