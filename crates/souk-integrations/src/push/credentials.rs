//! A Firebase service account, read from its JSON key file (or the JSON itself). Errors
//! describe what is wrong by field name, line and column only: never the key.

use std::path::Path;

use anyhow::{Context as _, anyhow, bail, ensure};
use jsonwebtoken::EncodingKey;
use rsa::pkcs1::EncodeRsaPrivateKey as _;
use rsa::pkcs8::DecodePrivateKey as _;
use serde::Deserialize;

/// The parts of a service account the FCM sender needs.
pub(super) struct ServiceAccount {
    pub project_id: String,
    pub private_key_id: String,
    pub client_email: String,
    pub token_uri: String,
    /// The private key, ready for RS256 signing.
    pub key: EncodingKey,
}

/// The JSON fields we use; every other field of the key file is ignored.
#[derive(Deserialize)]
struct KeyFile {
    #[serde(rename = "type")]
    kind: Option<String>,
    project_id: Option<String>,
    private_key_id: Option<String>,
    private_key: Option<String>,
    client_email: Option<String>,
    token_uri: Option<String>,
}

impl ServiceAccount {
    /// `credentials` is the JSON itself (starts with `{`) or a path to the JSON file.
    pub fn load(credentials: &str) -> anyhow::Result<Self> {
        let trimmed = credentials.trim();
        if trimmed.starts_with('{') {
            return Self::parse(trimmed);
        }
        let json = std::fs::read_to_string(Path::new(trimmed))
            .with_context(|| format!("cannot read FCM credentials file {}", shown_path(trimmed)))?;
        Self::parse(&json)
    }

    fn parse(json: &str) -> anyhow::Result<Self> {
        // serde_json's messages can quote the offending value; report only where it is.
        let file: KeyFile = serde_json::from_str(json).map_err(|err| {
            anyhow!(
                "FCM credentials are not a valid service-account JSON ({:?} error at line {}, column {})",
                err.classify(),
                err.line(),
                err.column()
            )
        })?;
        let kind = required(file.kind, "type")?;
        ensure!(
            kind == "service_account",
            "FCM credentials must be a service account key (\"type\": \"service_account\")"
        );
        let token_uri = required(file.token_uri, "token_uri")?;
        let parsed = url::Url::parse(&token_uri)
            .map_err(|_| anyhow!("FCM credentials: token_uri is not a URL"))?;
        ensure!(
            matches!(parsed.scheme(), "https" | "http"),
            "FCM credentials: token_uri must be an http(s) URL"
        );
        let private_key = required(file.private_key, "private_key")?;
        Ok(Self {
            project_id: required(file.project_id, "project_id")?,
            private_key_id: required(file.private_key_id, "private_key_id")?,
            client_email: required(file.client_email, "client_email")?,
            token_uri,
            key: signing_key(&private_key)?,
        })
    }
}

fn required(value: Option<String>, field: &str) -> anyhow::Result<String> {
    match value {
        Some(value) if !value.trim().is_empty() => Ok(value),
        _ => bail!("FCM credentials: \"{field}\" is missing or empty"),
    }
}

/// PKCS#8 PEM (what Google issues) to the PKCS#1 DER that jsonwebtoken signs with.
fn signing_key(pem: &str) -> anyhow::Result<EncodingKey> {
    let key = rsa::RsaPrivateKey::from_pkcs8_pem(pem)
        .map_err(|_| anyhow!("FCM credentials: private_key is not a PKCS#8 PEM RSA private key"))?;
    let der = key
        .to_pkcs1_der()
        .map_err(|_| anyhow!("FCM credentials: private_key cannot be re-encoded"))?;
    Ok(EncodingKey::from_rsa_der(der.as_bytes()))
}

/// The path for an error message, unless it looks like something pasted by mistake
/// (a key, or JSON that lost its opening brace).
fn shown_path(path: &str) -> String {
    let suspicious = path.len() > 512
        || path.contains('\n')
        || path.contains("PRIVATE KEY")
        || path.contains('"');
    if suspicious {
        "(value not shown: it is neither a JSON object nor a plausible path)".to_owned()
    } else {
        path.to_owned()
    }
}
