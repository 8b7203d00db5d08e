//! Tests for local storage built through [`storage_from_url`].

use bytes::Bytes;

use super::storage_from_url;

#[tokio::test]
async fn local_round_trip_missing_and_delete() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("uploads");
    let storage = storage_from_url(None, &root).unwrap();
    assert!(root.is_dir(), "default folder is created");

    let data = Bytes::from_static(b"\x89PNG fake");
    storage
        .put("avatars/u1.png", data.clone(), "image/png")
        .await
        .unwrap();
    assert!(root.join("avatars/u1.png").is_file());

    let file = storage.get("avatars/u1.png").await.unwrap().unwrap();
    assert_eq!(file.bytes, data);
    assert_eq!(file.content_type.as_deref(), Some("image/png"));

    // Overwrite.
    storage
        .put("avatars/u1.png", Bytes::from_static(b"v2"), "image/png")
        .await
        .unwrap();
    let file = storage.get("avatars/u1.png").await.unwrap().unwrap();
    assert_eq!(file.bytes, Bytes::from_static(b"v2"));

    assert!(storage.get("avatars/none.png").await.unwrap().is_none());
    assert!(storage.get("nothing/here.pdf").await.unwrap().is_none());

    storage.delete("avatars/u1.png").await.unwrap();
    assert!(storage.get("avatars/u1.png").await.unwrap().is_none());
    storage.delete("avatars/u1.png").await.unwrap();
    storage.delete("never/existed.bin").await.unwrap();
}

#[tokio::test]
async fn unusual_but_valid_keys_map_to_literal_file_names() {
    let tmp = tempfile::tempdir().unwrap();
    let storage = storage_from_url(None, tmp.path()).unwrap();
    for key in [
        "a%2F..%2Fb.png",
        "with space/and#hash.png",
        "ü/日本.jpg",
        "q?x=1.gif",
    ] {
        storage
            .put(key, Bytes::from(key.to_owned()), "image/png")
            .await
            .unwrap();
        assert_eq!(std::fs::read(tmp.path().join(key)).unwrap(), key.as_bytes());
        let file = storage.get(key).await.unwrap().unwrap();
        assert_eq!(file.bytes, Bytes::from(key.to_owned()));
    }
}

#[tokio::test]
async fn content_type_from_extension() {
    let tmp = tempfile::tempdir().unwrap();
    let storage = storage_from_url(None, tmp.path()).unwrap();
    for (key, expected) in [
        ("a.jpg", "image/jpeg"),
        ("a.JPEG", "image/jpeg"),
        ("a.gif", "image/gif"),
        ("a.webp", "image/webp"),
        ("doc.pdf", "application/pdf"),
        ("blob", "application/octet-stream"),
    ] {
        storage
            .put(key, Bytes::from_static(b"x"), "text/plain")
            .await
            .unwrap();
        let file = storage.get(key).await.unwrap().unwrap();
        assert_eq!(file.content_type.as_deref(), Some(expected), "{key}");
    }
}

#[tokio::test]
async fn bad_keys_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("root");
    let storage = storage_from_url(None, &root).unwrap();
    for key in [
        "",
        "/etc/passwd",
        "../escape.png",
        "a/../../b",
        "a\\b",
        "a\0b",
    ] {
        assert!(
            storage
                .put(key, Bytes::from_static(b"x"), "image/png")
                .await
                .is_err(),
            "put {key:?}"
        );
        assert!(storage.get(key).await.is_err(), "get {key:?}");
        assert!(storage.delete(key).await.is_err(), "delete {key:?}");
    }
    assert!(!tmp.path().join("escape.png").exists());
}

#[tokio::test]
async fn file_url_points_at_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("via-url");
    let url = url::Url::from_directory_path(&dir).unwrap();
    let storage = storage_from_url(Some(url.as_str()), tmp.path()).unwrap();
    storage
        .put("x/y.pdf", Bytes::from_static(b"%PDF"), "application/pdf")
        .await
        .unwrap();
    assert_eq!(std::fs::read(dir.join("x/y.pdf")).unwrap(), b"%PDF");
}

#[test]
fn unsupported_urls_name_storage_url() {
    let tmp = tempfile::tempdir().unwrap();
    for url in ["ftp://host/x", "not a url", "file://remote/x", "s3://"] {
        let err = match storage_from_url(Some(url), tmp.path()) {
            Ok(_) => panic!("{url} accepted"),
            Err(err) => err,
        };
        assert!(format!("{err:#}").contains("STORAGE_URL"), "{url}: {err:#}");
    }
}

#[test]
fn s3_url_builds_with_prefix() {
    // Building does not contact the bucket; region and credentials come from the environment
    // or defaults.
    let tmp = tempfile::tempdir().unwrap();
    assert!(storage_from_url(Some("s3://my-bucket/uploads/prod"), tmp.path()).is_ok());
    assert!(storage_from_url(Some("s3://my-bucket"), tmp.path()).is_ok());
}
