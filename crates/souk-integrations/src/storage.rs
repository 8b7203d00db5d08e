//! File storage for uploads (avatars, photos, documents): the [`FileStorage`] trait and
//! [`storage_from_url`], which picks a local folder or an S3 bucket from configuration.

use std::path::Path;
use std::sync::Arc;

use anyhow::{Context as _, bail};
use async_trait::async_trait;
use bytes::Bytes;
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use url::Url;

mod content_type;
mod key;
mod object;

pub use key::validate_key;

use object::{Backend, ObjectStorage};

/// A file read back from storage.
#[derive(Debug, Clone)]
pub struct StoredFile {
    /// The file contents.
    pub bytes: Bytes,
    /// The MIME type, when known.
    pub content_type: Option<String>,
}

/// A flat key/value store for files. Keys are relative `/`-separated paths such as
/// `avatars/3f2a.jpg`; see [`validate_key`] for the rules.
#[async_trait]
pub trait FileStorage: Send + Sync {
    /// Stores `bytes` under `key`, replacing any existing file.
    async fn put(&self, key: &str, bytes: Bytes, content_type: &str) -> anyhow::Result<()>;
    /// Reads the file under `key`; `Ok(None)` if there is none.
    async fn get(&self, key: &str) -> anyhow::Result<Option<StoredFile>>;
    /// Deletes the file under `key`; deleting a missing file is not an error.
    async fn delete(&self, key: &str) -> anyhow::Result<()>;
}

/// Builds the storage named by `STORAGE_URL`.
///
/// * `None` — local folder `default_dir` (created if missing);
/// * `file:///abs/path` — local folder at that path (created if missing);
/// * `s3://bucket[/prefix]` — S3 (or compatible) bucket configured from the usual `AWS_*`
///   environment variables (`AWS_ENDPOINT`/`AWS_ENDPOINT_URL`, `AWS_REGION`,
///   `AWS_ALLOW_HTTP`, credentials), with keys placed under the optional prefix.
pub fn storage_from_url(
    storage_url: Option<&str>,
    default_dir: &Path,
) -> anyhow::Result<Arc<dyn FileStorage>> {
    let Some(raw) = storage_url else {
        return local(default_dir);
    };
    let url = Url::parse(raw).context("STORAGE_URL is not a valid URL")?;
    match url.scheme() {
        "file" => {
            if url
                .host_str()
                .is_some_and(|h| !h.is_empty() && h != "localhost")
            {
                bail!("STORAGE_URL file:// URLs must not name a host (use file:///abs/path)");
            }
            let dir = url
                .to_file_path()
                .ok()
                .context("STORAGE_URL file:// URL must hold an absolute path")?;
            local(&dir)
        }
        "s3" => {
            let bucket = url
                .host_str()
                .filter(|b| !b.is_empty())
                .context("STORAGE_URL s3:// URL must name a bucket (s3://bucket/prefix)")?;
            let prefix = url.path().trim_matches('/');
            let prefix = if prefix.is_empty() {
                None
            } else {
                validate_key(prefix).context("STORAGE_URL s3:// prefix is not a valid path")?;
                Some(prefix.to_owned())
            };
            let store = AmazonS3Builder::from_env()
                .with_bucket_name(bucket)
                .build()
                .context("could not configure S3 storage from STORAGE_URL and AWS_* variables")?;
            Ok(Arc::new(ObjectStorage::new(
                Arc::new(store),
                Backend::S3,
                prefix.as_deref(),
            )?))
        }
        other => bail!(
            "STORAGE_URL scheme {other:?} is not supported (use file:///abs/path or s3://bucket/prefix)"
        ),
    }
}

/// Local-folder storage rooted at `dir`, creating the folder if needed.
fn local(dir: &Path) -> anyhow::Result<Arc<dyn FileStorage>> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("could not create storage folder {}", dir.display()))?;
    let store = LocalFileSystem::new_with_prefix(dir)
        .with_context(|| format!("could not open storage folder {}", dir.display()))?;
    Ok(Arc::new(ObjectStorage::new(
        Arc::new(store),
        Backend::Local,
        None,
    )?))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;
