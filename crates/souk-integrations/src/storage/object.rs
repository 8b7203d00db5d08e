//! [`ObjectStorage`]: the [`FileStorage`] implementation on top of `object_store`
//! (local folder or S3).

use std::sync::Arc;

use anyhow::Context as _;
use async_trait::async_trait;
use bytes::Bytes;
use object_store::path::Path as StorePath;
use object_store::{
    Attribute, AttributeValue, Attributes, ObjectStore, ObjectStoreExt as _, PutOptions, PutPayload,
};

use super::content_type::from_extension;
use super::key::validate_key;
use super::{FileStorage, StoredFile};

/// Which kind of store sits underneath; decides how content types are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Backend {
    /// Local folder: no metadata, content type derived from the key's extension.
    Local,
    /// S3: content type stored as an object attribute.
    S3,
}

/// [`FileStorage`] over any `object_store` backend, optionally under a key prefix.
#[derive(Debug)]
pub(crate) struct ObjectStorage {
    store: Arc<dyn ObjectStore>,
    backend: Backend,
    prefix: Option<StorePath>,
}

impl ObjectStorage {
    /// Wraps `store`; `prefix` (already a valid key) is prepended to every key.
    pub(crate) fn new(
        store: Arc<dyn ObjectStore>,
        backend: Backend,
        prefix: Option<&str>,
    ) -> anyhow::Result<Self> {
        let prefix = prefix
            .map(|p| StorePath::parse(p).context("invalid storage prefix"))
            .transpose()?;
        Ok(Self {
            store,
            backend,
            prefix,
        })
    }

    /// Validates `key` and turns it into a store location under the prefix.
    fn location(&self, key: &str) -> anyhow::Result<StorePath> {
        validate_key(key)?;
        let full = match &self.prefix {
            Some(prefix) => format!("{prefix}/{key}"),
            None => key.to_owned(),
        };
        StorePath::parse(full).context("invalid storage key")
    }
}

#[async_trait]
impl FileStorage for ObjectStorage {
    async fn put(&self, key: &str, bytes: Bytes, content_type: &str) -> anyhow::Result<()> {
        let location = self.location(key)?;
        let payload = PutPayload::from(bytes);
        let result = match self.backend {
            Backend::Local => self.store.put(&location, payload).await,
            Backend::S3 => {
                let mut attributes = Attributes::new();
                attributes.insert(
                    Attribute::ContentType,
                    AttributeValue::from(content_type.to_owned()),
                );
                let opts = PutOptions {
                    attributes,
                    ..PutOptions::default()
                };
                self.store.put_opts(&location, payload, opts).await
            }
        };
        result.with_context(|| format!("could not store file {key:?}"))?;
        Ok(())
    }

    async fn get(&self, key: &str) -> anyhow::Result<Option<StoredFile>> {
        let location = self.location(key)?;
        let result = match self.store.get(&location).await {
            Ok(result) => result,
            Err(object_store::Error::NotFound { .. }) => return Ok(None),
            Err(err) => return Err(err).with_context(|| format!("could not read file {key:?}")),
        };
        let stored_type = result
            .attributes
            .get(&Attribute::ContentType)
            .map(|value| value.as_ref().to_owned());
        let bytes = match result.bytes().await {
            Ok(bytes) => bytes,
            // The file vanished between opening and reading.
            Err(object_store::Error::NotFound { .. }) => return Ok(None),
            Err(err) => return Err(err).with_context(|| format!("could not read file {key:?}")),
        };
        let content_type = match self.backend {
            Backend::Local => Some(from_extension(key).to_owned()),
            Backend::S3 => stored_type.or_else(|| Some(from_extension(key).to_owned())),
        };
        Ok(Some(StoredFile {
            bytes,
            content_type,
        }))
    }

    async fn delete(&self, key: &str) -> anyhow::Result<()> {
        let location = self.location(key)?;
        match self.store.delete(&location).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(err) => Err(err).with_context(|| format!("could not delete file {key:?}")),
        }
    }
}
