//! Tests for thumbnailing and fitting, using images generated on the fly.

use std::io::Cursor;

use image::{ImageFormat, Rgb, RgbImage, Rgba, RgbaImage};

use super::*;

fn png_bytes(image: &DynamicImage) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    image.write_to(&mut out, ImageFormat::Png).unwrap();
    out.into_inner()
}

fn gradient(width: u32, height: u32) -> DynamicImage {
    DynamicImage::ImageRgb8(RgbImage::from_fn(width, height, |x, y| {
        Rgb([
            u8::try_from(x % 256).unwrap(),
            u8::try_from(y % 256).unwrap(),
            128,
        ])
    }))
}

#[test]
fn thumbnail_of_opaque_png_is_square_jpeg() {
    let source = png_bytes(&gradient(800, 600));
    let thumb = square_thumbnail(&source, 400).unwrap();
    assert_eq!((thumb.width, thumb.height), (400, 400));
    assert_eq!(thumb.kind, ImageKind::Jpeg);
    assert_eq!(sniff_image(&thumb.bytes), Some(ImageKind::Jpeg));
    let decoded = image::load_from_memory(&thumb.bytes).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (400, 400));
}

#[test]
fn alpha_source_gives_png() {
    let source = png_bytes(&DynamicImage::ImageRgba8(RgbaImage::from_pixel(
        10,
        10,
        Rgba([255, 0, 0, 100]),
    )));
    let thumb = square_thumbnail(&source, 4).unwrap();
    assert_eq!(thumb.kind, ImageKind::Png);
    assert_eq!(sniff_image(&thumb.bytes), Some(ImageKind::Png));
    let decoded = image::load_from_memory(&thumb.bytes).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (4, 4));
    assert!(decoded.color().has_alpha());
}

#[test]
fn shell_script_is_unsupported() {
    assert!(matches!(
        square_thumbnail(b"#!/bin/sh\necho hi", 100),
        Err(ImageError::Unsupported)
    ));
    assert!(matches!(
        fit_within(b"#!/bin/sh\necho hi", 100),
        Err(ImageError::Unsupported)
    ));
}

#[test]
fn truncated_png_is_undecodable() {
    let source = png_bytes(&gradient(50, 50));
    assert!(matches!(
        square_thumbnail(&source[..8], 10),
        Err(ImageError::Undecodable)
    ));
    assert!(matches!(
        square_thumbnail(&source[..source.len() / 2], 10),
        Err(ImageError::Undecodable)
    ));
}

#[test]
fn oversized_dimensions_are_too_large() {
    let source = png_bytes(&gradient(MAX_DIMENSION + 1, 1));
    assert!(matches!(
        square_thumbnail(&source, 10),
        Err(ImageError::TooLarge)
    ));
}

#[test]
fn fit_within_only_shrinks_and_keeps_aspect() {
    let source = png_bytes(&gradient(800, 600));
    let fitted = fit_within(&source, 200).unwrap();
    assert_eq!((fitted.width, fitted.height), (200, 150));
    let decoded = image::load_from_memory(&fitted.bytes).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (200, 150));

    let small = fit_within(&source, 2000).unwrap();
    assert_eq!((small.width, small.height), (800, 600));
    assert_eq!(small.kind, ImageKind::Jpeg);
}

#[test]
fn other_formats_decode() {
    let image = gradient(64, 32);
    for format in [ImageFormat::Jpeg, ImageFormat::Gif, ImageFormat::WebP] {
        let mut out = Cursor::new(Vec::new());
        image.write_to(&mut out, format).unwrap();
        let thumb = square_thumbnail(out.get_ref(), 16).unwrap();
        assert_eq!((thumb.width, thumb.height), (16, 16), "{format:?}");
    }
}
