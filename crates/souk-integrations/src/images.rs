//! Image handling for uploads: format sniffing from magic bytes and safe resizing
//! (square thumbnails for avatars, bounded sizes for photos).

mod process;
mod sniff;

pub use process::{fit_within, square_thumbnail};
pub use sniff::sniff_image;

/// An accepted image format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImageKind {
    /// JPEG.
    Jpeg,
    /// PNG.
    Png,
    /// GIF (only the first frame is used when processing).
    Gif,
    /// WebP.
    Webp,
}

impl ImageKind {
    /// Usual file extension, without the dot (`jpg`, `png`, `gif`, `webp`).
    pub fn extension(&self) -> &'static str {
        match self {
            ImageKind::Jpeg => "jpg",
            ImageKind::Png => "png",
            ImageKind::Gif => "gif",
            ImageKind::Webp => "webp",
        }
    }

    /// MIME type (`image/jpeg`, ...).
    pub fn mime(&self) -> &'static str {
        match self {
            ImageKind::Jpeg => "image/jpeg",
            ImageKind::Png => "image/png",
            ImageKind::Gif => "image/gif",
            ImageKind::Webp => "image/webp",
        }
    }
}

/// Why an image could not be processed.
#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    /// Not a JPEG, PNG, GIF or WebP file.
    #[error("unsupported image format")]
    Unsupported,
    /// Looks like a supported format but is corrupt or truncated.
    #[error("image could not be decoded")]
    Undecodable,
    /// Larger than the allowed dimensions or memory budget.
    #[error("image is too large")]
    TooLarge,
}

/// A re-encoded image.
#[derive(Debug, Clone)]
pub struct ProcessedImage {
    /// Encoded bytes (PNG or JPEG).
    pub bytes: Vec<u8>,
    /// Format of `bytes`.
    pub kind: ImageKind,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
}
