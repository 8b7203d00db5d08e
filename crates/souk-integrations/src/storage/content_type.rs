//! Guessing a file's MIME type from its key's extension (for backends without metadata).

/// MIME type for the extension of `key`; `application/octet-stream` when unknown.
pub(crate) fn from_extension(key: &str) -> &'static str {
    let name = key.rsplit('/').next().unwrap_or(key);
    let ext = name
        .rsplit_once('.')
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "pdf" => "application/pdf",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::from_extension;

    #[test]
    fn maps_known_extensions() {
        assert_eq!(from_extension("a/b.PNG"), "image/png");
        assert_eq!(from_extension("x.jpeg"), "image/jpeg");
        assert_eq!(from_extension("x.jpg"), "image/jpeg");
        assert_eq!(from_extension("x.gif"), "image/gif");
        assert_eq!(from_extension("x.webp"), "image/webp");
        assert_eq!(from_extension("x.pdf"), "application/pdf");
        assert_eq!(from_extension("dir.png/x"), "application/octet-stream");
        assert_eq!(from_extension("x.exe"), "application/octet-stream");
    }
}
