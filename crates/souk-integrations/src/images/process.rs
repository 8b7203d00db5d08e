//! Decoding untrusted images under strict limits and re-encoding them resized.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::imageops::FilterType;
use image::{DynamicImage, ImageFormat, ImageReader, Limits};

use super::{ImageError, ImageKind, ProcessedImage, sniff_image};

/// Largest accepted width or height of a source image, in pixels.
const MAX_DIMENSION: u32 = 8000;
/// Largest memory the decoder may allocate.
const MAX_ALLOC: u64 = 256 * 1024 * 1024;
/// JPEG quality of re-encoded images.
const JPEG_QUALITY: u8 = 85;
/// Resampling filter: nearly Lanczos quality at a fraction of the cost.
const FILTER: FilterType = FilterType::CatmullRom;

/// Makes an exactly `size`×`size` image, scaled to cover the square and cropped centred.
///
/// Output is PNG when the source has an alpha channel, otherwise JPEG (quality 85).
pub fn square_thumbnail(bytes: &[u8], size: u32) -> Result<ProcessedImage, ImageError> {
    let image = decode(bytes)?;
    let size = size.max(1);
    encode(&image.resize_to_fill(size, size, FILTER))
}

/// Shrinks the image, keeping its aspect ratio, so neither side exceeds `max_side`.
///
/// Images already small enough keep their size (they are still re-encoded, which strips
/// metadata). Output is PNG when the source has an alpha channel, otherwise JPEG (quality 85).
pub fn fit_within(bytes: &[u8], max_side: u32) -> Result<ProcessedImage, ImageError> {
    let image = decode(bytes)?;
    let max_side = max_side.max(1);
    let image = if image.width() > max_side || image.height() > max_side {
        image.resize(max_side, max_side, FILTER)
    } else {
        image
    };
    encode(&image)
}

/// Sniffs the format and decodes with limits on size and memory.
fn decode(bytes: &[u8]) -> Result<DynamicImage, ImageError> {
    let format = match sniff_image(bytes).ok_or(ImageError::Unsupported)? {
        ImageKind::Jpeg => ImageFormat::Jpeg,
        ImageKind::Png => ImageFormat::Png,
        ImageKind::Gif => ImageFormat::Gif,
        ImageKind::Webp => ImageFormat::WebP,
    };
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_DIMENSION);
    limits.max_image_height = Some(MAX_DIMENSION);
    limits.max_alloc = Some(MAX_ALLOC);
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits);
    reader.decode().map_err(|err| match err {
        image::ImageError::Limits(_) => ImageError::TooLarge,
        image::ImageError::Unsupported(_) => ImageError::Unsupported,
        _ => ImageError::Undecodable,
    })
}

/// Encodes as PNG (alpha) or JPEG (opaque).
fn encode(image: &DynamicImage) -> Result<ProcessedImage, ImageError> {
    let (width, height) = (image.width(), image.height());
    let mut bytes = Vec::new();
    let kind = if image.color().has_alpha() {
        image
            .to_rgba8()
            .write_with_encoder(PngEncoder::new(&mut bytes))
            .map_err(|_| ImageError::Undecodable)?;
        ImageKind::Png
    } else {
        image
            .to_rgb8()
            .write_with_encoder(JpegEncoder::new_with_quality(&mut bytes, JPEG_QUALITY))
            .map_err(|_| ImageError::Undecodable)?;
        ImageKind::Jpeg
    };
    Ok(ProcessedImage {
        bytes,
        kind,
        width,
        height,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;
