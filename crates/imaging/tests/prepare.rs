//! Behaviour a caller notices: formats decode, pictures come out upright, the budget holds.

// Test code: helpers outside #[test] functions may fail loudly too.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::unreachable
)]

mod common;

use common::*;
use jpeg_encoder::ColorType;
use vehicle_doc_ocr_imaging::{
    base64_len, prepare, prepare_rgba, probe, ImageErrorKind, PrepareOptions, SizeTarget,
    SourceFormat, DEFAULT_MAX_LONG_SIDE_PX, LEGIBLE_LONG_SIDE_PX, LEGIBLE_MIN_SHORT_SIDE_PX,
    LEGIBLE_NOISY_QUALITY, LEGIBLE_QUALITY, LEGIBLE_TEXT_HEIGHT_PX,
};

fn opts() -> PrepareOptions {
    PrepareOptions::default()
}

fn within_budget(p: &vehicle_doc_ocr_imaging::Prepared, o: &PrepareOptions) {
    assert!(
        base64_len(p.jpeg.len()) <= o.max_base64_chars,
        "base64 {} over budget {}",
        base64_len(p.jpeg.len()),
        o.max_base64_chars
    );
    // The output is a JPEG that decodes to the announced size.
    let (w, h, _, _) = decode(&p.jpeg);
    assert_eq!((w, h), (p.width, p.height));
}

/// Upright 64x48 picture: red top-left quadrant, green top-right, blue bottom-left, white else.
fn quadrants() -> (u32, u32, Vec<u8>) {
    let (w, h) = (64u32, 48u32);
    let mut v = Vec::new();
    for y in 0..h {
        for x in 0..w {
            let px = match (x < w / 2, y < h / 2) {
                (true, true) => [220, 20, 20],
                (false, true) => [20, 200, 20],
                (true, false) => [20, 20, 220],
                (false, false) => [255, 255, 255],
            };
            v.extend_from_slice(&px);
        }
    }
    (w, h, v)
}

fn transform(
    rgb: &[u8],
    w: u32,
    h: u32,
    f: impl Fn(u32, u32) -> (u32, u32),
    ow: u32,
    oh: u32,
) -> Vec<u8> {
    // out(ox, oy) = in(f(ox, oy))
    let mut out = vec![0u8; (ow * oh * 3) as usize];
    for oy in 0..oh {
        for ox in 0..ow {
            let (ix, iy) = f(ox, oy);
            assert!(ix < w && iy < h);
            let s = ((iy * w + ix) * 3) as usize;
            let d = ((oy * ow + ox) * 3) as usize;
            out[d..d + 3].copy_from_slice(&rgb[s..s + 3]);
        }
    }
    out
}

/// What a camera stores for an upright scene when it writes EXIF orientation `o`.
fn stored_for(o: u16, up: &[u8], w: u32, h: u32) -> (u32, u32, Vec<u8>) {
    let flip_h = |x: u32, y: u32| (w - 1 - x, y);
    match o {
        1 => (w, h, up.to_vec()),
        2 => (w, h, transform(up, w, h, flip_h, w, h)),
        3 => (
            w,
            h,
            transform(up, w, h, |x, y| (w - 1 - x, h - 1 - y), w, h),
        ),
        4 => (w, h, transform(up, w, h, |x, y| (x, h - 1 - y), w, h)),
        // transpose is its own inverse
        5 => (h, w, transform(up, w, h, |x, y| (y, x), h, w)),
        // display = rotate stored 90° clockwise  =>  stored = upright rotated 90° counter-clockwise
        6 => (h, w, transform(up, w, h, |x, y| (w - 1 - y, x), h, w)),
        // transverse is its own inverse
        7 => (
            h,
            w,
            transform(up, w, h, |x, y| (w - 1 - y, h - 1 - x), h, w),
        ),
        // display = rotate stored 90° counter-clockwise => stored = upright rotated clockwise
        8 => (h, w, transform(up, w, h, |x, y| (y, h - 1 - x), h, w)),
        _ => unreachable!(),
    }
}

#[test]
fn every_exif_orientation_comes_out_upright() {
    let (w, h, up) = quadrants();
    for o in 1..=8u16 {
        for little in [false, true] {
            let (sw, sh, stored) = stored_for(o, &up, w, h);
            let jpeg = with_exif(&encode_jpeg(&stored, sw, sh, 95, ColorType::Rgb), o, little);
            assert_eq!(probe(&jpeg).unwrap().orientation, o as u8);
            let p = prepare(&jpeg, &opts()).unwrap();
            within_budget(&p, &opts());
            assert_eq!((p.width, p.height), (w, h), "orientation {o}");
            assert_eq!(p.orientation_applied, o as u8);
            assert_eq!(p.passthrough, o == 1);
            let (dw, _, px, ch) = decode(&p.jpeg);
            let tl = pixel(&px, dw, ch, 4, 4);
            let tr = pixel(&px, dw, ch, w - 5, 4);
            let bl = pixel(&px, dw, ch, 4, h - 5);
            let br = pixel(&px, dw, ch, w - 5, h - 5);
            assert!(close(tl, [220, 20, 20], 40), "o={o} top-left {tl:?}");
            assert!(close(tr, [20, 200, 20], 40), "o={o} top-right {tr:?}");
            assert!(close(bl, [20, 20, 220], 40), "o={o} bottom-left {bl:?}");
            assert!(close(br, [255, 255, 255], 30), "o={o} bottom-right {br:?}");
        }
    }
}

#[test]
fn orientation_is_left_alone_when_the_caller_says_upright() {
    let (w, h, up) = quadrants();
    let (sw, sh, stored) = stored_for(6, &up, w, h);
    let jpeg = with_exif(&encode_jpeg(&stored, sw, sh, 95, ColorType::Rgb), 6, false);
    let o = PrepareOptions {
        apply_orientation: false,
        ..opts()
    };
    let p = prepare(&jpeg, &o).unwrap();
    assert!(p.passthrough);
    assert_eq!(p.jpeg, jpeg);
    assert_eq!(p.orientation_applied, 1);
}

#[test]
fn small_jpeg_under_budget_is_passed_through_byte_for_byte() {
    let rgb = document_rgb(1200, 800, 24, 6, 7);
    let jpeg = encode_jpeg(&rgb, 1200, 800, 90, ColorType::Rgb);
    let p = prepare(&jpeg, &opts()).unwrap();
    assert!(p.passthrough);
    assert_eq!(p.jpeg, jpeg);
    assert_eq!(p.encodes, 0);
    assert_eq!(p.quality, None);
    assert_eq!(p.source_format, SourceFormat::Jpeg);
}

#[test]
fn jpeg_over_the_long_side_cap_is_downscaled_not_passed_through() {
    let rgb = document_rgb(2600, 1000, 30, 4, 9);
    let jpeg = encode_jpeg(&rgb, 2600, 1000, 80, ColorType::Rgb);
    let p = prepare(&jpeg, &opts()).unwrap();
    assert!(!p.passthrough);
    assert!(p.width <= 2048 && p.height <= 2048);
    within_budget(&p, &opts());
}

#[test]
fn twelve_megapixel_noisy_photo_fills_the_budget_without_going_over() {
    let (w, h) = (4000, 3000);
    let rgb = document_rgb(w, h, 40, 14, 11);
    let jpeg = encode_jpeg(&rgb, w, h, 93, ColorType::Rgb);
    assert!(
        base64_len(jpeg.len()) > 1_000_000,
        "the source must be over budget"
    );
    let o = with_target(SizeTarget::Budget);
    let p = prepare(&jpeg, &o).unwrap();
    within_budget(&p, &o);
    let used = base64_len(p.jpeg.len()) as f64 / o.max_base64_chars as f64;
    assert!(
        used >= 0.92 || p.quality == Some(o.max_quality),
        "budget use {used:.3} at q {:?}",
        p.quality
    );
    assert!(p.width.max(p.height) <= 2048);
    assert!(p.encodes >= 1 && p.encodes <= 4, "encodes {}", p.encodes);
    assert_eq!((p.source_width, p.source_height), (w, h));
}

#[test]
fn tiny_budget_is_never_exceeded() {
    let (w, h) = (3000, 2000);
    let rgb = document_rgb(w, h, 30, 20, 12);
    let jpeg = encode_jpeg(&rgb, w, h, 90, ColorType::Rgb);
    for budget in [50_000usize, 120_000, 400_000] {
        let o = PrepareOptions {
            max_base64_chars: budget,
            ..opts()
        };
        let p = prepare(&jpeg, &o).unwrap();
        within_budget(&p, &o);
        let q = p.quality.unwrap();
        assert!(
            q >= o.min_quality,
            "q {q} under the floor at budget {budget}"
        );
        assert!(p.width < w);
    }
}

#[test]
fn impossible_budget_is_too_large() {
    let rgb = document_rgb(1000, 800, 20, 30, 13);
    let jpeg = encode_jpeg(&rgb, 1000, 800, 90, ColorType::Rgb);
    let o = PrepareOptions {
        max_base64_chars: 2_000,
        ..opts()
    };
    let e = prepare(&jpeg, &o).unwrap_err();
    assert_eq!(e.kind, ImageErrorKind::TooLarge);
}

#[test]
fn never_upscales() {
    let (w, h) = (300, 200);
    let rgb = document_rgb(w, h, 12, 3, 5);
    let png = encode_png(&rgb, w, h, png::ColorType::Rgb, png::BitDepth::Eight);
    let p = prepare(&png, &opts()).unwrap();
    assert_eq!((p.width, p.height), (w, h));
    assert_eq!(p.source_format, SourceFormat::Png);
    within_budget(&p, &opts());
}

#[test]
fn progressive_grayscale_and_cmyk_jpegs_decode() {
    let (w, h) = (320, 240);
    let rgb = document_rgb(w, h, 16, 4, 3);
    let o = PrepareOptions {
        max_base64_chars: 20_000,
        ..opts()
    };
    let prog = encode_jpeg_progressive(&rgb, w, h, 90);
    let p = prepare(&prog, &o).unwrap();
    within_budget(&p, &o);
    assert_eq!((p.width, p.height), (w, h));

    let gray: Vec<u8> = rgb.chunks(3).map(|p| p[1]).collect();
    let g = encode_jpeg(&gray, w, h, 90, ColorType::Luma);
    let p = prepare(&g, &o).unwrap();
    within_budget(&p, &o);

    // CMYK: cyan ink on the left half, none on the right.
    let cmyk = halves(w, h, [255, 0, 0, 0], [0, 0, 0, 0]);
    let c = encode_jpeg(&cmyk, w, h, 95, ColorType::Cmyk);
    let p = prepare(&c, &opts()).unwrap();
    assert!(!p.passthrough, "CMYK is converted, never forwarded");
    let (dw, _, px, ch) = decode(&p.jpeg);
    assert!(
        close(pixel(&px, dw, ch, 10, 10), [0, 255, 255], 30),
        "{:?}",
        pixel(&px, dw, ch, 10, 10)
    );
    assert!(close(pixel(&px, dw, ch, w - 10, 10), [255, 255, 255], 10));
}

#[test]
fn png_variants_decode_with_alpha_on_white() {
    let (w, h) = (40u32, 30u32);
    // RGBA: left half fully transparent black, right half opaque blue.
    let rgba = halves(w, h, [0, 0, 0, 0], [0, 0, 255, 255]);
    let png = encode_png(&rgba, w, h, png::ColorType::Rgba, png::BitDepth::Eight);
    let p = prepare(&png, &opts()).unwrap();
    let (dw, _, px, ch) = decode(&p.jpeg);
    assert!(close(pixel(&px, dw, ch, 5, 15), [255, 255, 255], 8));
    assert!(close(pixel(&px, dw, ch, 35, 15), [0, 0, 255], 30));

    // 16-bit RGB.
    let mut rgb16 = Vec::new();
    for _ in 0..w * h {
        rgb16.extend_from_slice(&[0xC8, 0x00, 0x10, 0x00, 0x20, 0x00]);
    }
    let png = encode_png(&rgb16, w, h, png::ColorType::Rgb, png::BitDepth::Sixteen);
    let p = prepare(&png, &opts()).unwrap();
    let (dw, _, px, ch) = decode(&p.jpeg);
    assert!(close(pixel(&px, dw, ch, 20, 15), [200, 16, 32], 12));

    // Gray + alpha, palette.
    let ga: Vec<u8> = (0..w * h).flat_map(|_| [0u8, 128]).collect();
    let png = encode_png(
        &ga,
        w,
        h,
        png::ColorType::GrayscaleAlpha,
        png::BitDepth::Eight,
    );
    let p = prepare(&png, &opts()).unwrap();
    let (dw, _, px, ch) = decode(&p.jpeg);
    assert_eq!(ch, 1, "gray stays gray");
    assert!(close(pixel(&px, dw, ch, 20, 15), [127, 127, 127], 6));

    let idx: Vec<u8> = (0..w * h).map(|i| (i % w < w / 2) as u8).collect();
    let png = encode_png_palette(&idx, w, h, &[255, 0, 0, 0, 255, 0]);
    let p = prepare(&png, &opts()).unwrap();
    let (dw, _, px, ch) = decode(&p.jpeg);
    assert!(close(pixel(&px, dw, ch, 5, 5), [0, 255, 0], 40));
    assert!(close(pixel(&px, dw, ch, 35, 5), [255, 0, 0], 40));
}

#[test]
fn webp_gif_and_bmp_decode() {
    let (w, h) = (48u32, 32u32);
    let rgba = halves(w, h, [200, 30, 30, 0], [30, 30, 200, 255]);
    let webp = encode_webp_lossless(&rgba, w, h, image_webp::ColorType::Rgba8);
    assert_eq!(probe(&webp).unwrap().format, SourceFormat::Webp);
    let p = prepare(&webp, &opts()).unwrap();
    let (dw, _, px, ch) = decode(&p.jpeg);
    assert!(
        close(pixel(&px, dw, ch, 5, 5), [255, 255, 255], 8),
        "transparent → white"
    );
    assert!(close(pixel(&px, dw, ch, 40, 5), [30, 30, 200], 30));

    let idx: Vec<u8> = (0..w * h).map(|i| (i % w >= w / 2) as u8).collect();
    let gif = encode_gif(&idx, w as u16, h as u16, &[250, 250, 0, 0, 0, 250]);
    let p = prepare(&gif, &opts()).unwrap();
    assert_eq!(p.source_format, SourceFormat::Gif);
    let (dw, _, px, ch) = decode(&p.jpeg);
    assert!(close(pixel(&px, dw, ch, 5, 5), [250, 250, 0], 40));
    assert!(close(pixel(&px, dw, ch, 40, 5), [0, 0, 250], 40));

    let rgb: Vec<u8> = (0..w * h)
        .flat_map(|i| {
            if i / w < h / 2 {
                [240, 10, 10]
            } else {
                [10, 240, 10]
            }
        })
        .collect();
    let bmp = encode_bmp24(&rgb, w, h);
    let p = prepare(&bmp, &opts()).unwrap();
    assert_eq!(p.source_format, SourceFormat::Bmp);
    let (dw, _, px, ch) = decode(&p.jpeg);
    assert!(
        close(pixel(&px, dw, ch, 5, 3), [240, 10, 10], 40),
        "top row stays on top"
    );
    assert!(close(pixel(&px, dw, ch, 5, 28), [10, 240, 10], 40));
}

#[test]
fn prepare_rgba_flattens_and_fits() {
    let (w, h) = (2500u32, 1800u32);
    let rgb = document_rgb(w, h, 24, 10, 21);
    let rgba = rgba_from_rgb(&rgb, 255);
    let o = PrepareOptions {
        max_base64_chars: 300_000,
        ..opts()
    };
    let p = prepare_rgba(&rgba, w, h, &o).unwrap();
    within_budget(&p, &o);
    assert!(p.width.max(p.height) <= 2048);
    let e = prepare_rgba(&rgba[..100], w, h, &o).unwrap_err();
    assert_eq!(e.kind, ImageErrorKind::Invalid);
}

#[test]
fn truncated_jpeg_is_invalid_never_half_decoded() {
    let rgb = document_rgb(800, 600, 20, 5, 17);
    let jpeg = encode_jpeg(&rgb, 800, 600, 90, ColorType::Rgb);
    for cut in [jpeg.len() - 2, jpeg.len() - 100, jpeg.len() / 2, 700, 20, 3] {
        let e = prepare(&jpeg[..cut], &opts()).unwrap_err();
        assert_eq!(e.kind, ImageErrorKind::Invalid, "cut at {cut}: {e}");
    }
    let e = prepare(&jpeg[..jpeg.len() / 2], &opts()).unwrap_err();
    assert!(e.message.contains("truncated"), "{}", e.message);
}

#[test]
fn empty_and_non_image_bytes_are_invalid() {
    for bytes in [
        &b""[..],
        b"hello world, not an image",
        b"%PDF-1.7\n",
        &[0u8; 64],
    ] {
        let e = prepare(bytes, &opts()).unwrap_err();
        assert_eq!(e.kind, ImageErrorKind::Invalid);
        assert_eq!(e.code(), "INVALID_IMAGE");
    }
}

#[test]
fn heic_is_unsupported_with_advice() {
    let mut heic = vec![0, 0, 0, 24];
    heic.extend_from_slice(b"ftypheic");
    heic.extend_from_slice(&[0, 0, 0, 0]);
    heic.extend_from_slice(b"mif1heic");
    heic.extend_from_slice(&[0u8; 100]);
    assert_eq!(probe(&heic).unwrap().format, SourceFormat::Heif);
    let e = prepare(&heic, &opts()).unwrap_err();
    assert_eq!(e.kind, ImageErrorKind::Unsupported);
    assert_eq!(e.code(), "UNSUPPORTED_FORMAT");
    assert!(e.message.contains("HEIC"));
    assert!(e.message.contains("Most Compatible"));
}

#[test]
fn decompression_bomb_is_refused_from_the_header() {
    // 20000 x 10000 = 200 MP announced by a tiny PNG whose data is garbage: refused before any
    // decoding or allocation happens (a decode attempt would fail as Invalid instead).
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    png.extend_from_slice(&20_000u32.to_be_bytes());
    png.extend_from_slice(&10_000u32.to_be_bytes());
    png.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
    let e = prepare(&png, &opts()).unwrap_err();
    assert_eq!(e.kind, ImageErrorKind::TooLarge);
    assert_eq!(e.code(), "IMAGE_TOO_LARGE");

    // Same for a JPEG: patch a real file's SOF to 16000 x 12500.
    let rgb = document_rgb(64, 64, 8, 2, 1);
    let mut jpeg = encode_jpeg(&rgb, 64, 64, 90, ColorType::Rgb);
    let sof = jpeg.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
    jpeg[sof + 5..sof + 7].copy_from_slice(&12_500u16.to_be_bytes());
    jpeg[sof + 7..sof + 9].copy_from_slice(&16_000u16.to_be_bytes());
    let e = prepare(&jpeg, &opts()).unwrap_err();
    assert_eq!(e.kind, ImageErrorKind::TooLarge);
    assert!(e.message.contains("200 megapixels"), "{}", e.message);
}

#[test]
fn forty_eight_megapixel_photo_lands_in_budget_at_dct_scale() {
    let (w, h) = (8000, 6000);
    let rgb = document_rgb(w, h, 60, 12, 48);
    let jpeg = encode_jpeg(&rgb, w, h, 90, ColorType::Rgb);
    drop(rgb);
    let o = with_target(SizeTarget::Budget);
    let p = prepare(&jpeg, &o).unwrap();
    within_budget(&p, &o);
    // Decoded at 1/4 in the DCT domain: 2000x1500, no resampling, never above the cap.
    assert_eq!((p.width, p.height), (2000, 1500));
    let used = base64_len(p.jpeg.len()) as f64 / o.max_base64_chars as f64;
    assert!(used >= 0.92, "budget use {used:.3}");
    assert!(p.encodes <= 4);
}

#[test]
fn huge_progressive_jpeg_is_refused_before_decoding() {
    let rgb = document_rgb(64, 64, 8, 2, 1);
    let mut jpeg = encode_jpeg_progressive(&rgb, 64, 64, 90);
    let sof = jpeg.windows(2).position(|w| w == [0xFF, 0xC2]).unwrap();
    jpeg[sof + 5..sof + 7].copy_from_slice(&6000u16.to_be_bytes());
    jpeg[sof + 7..sof + 9].copy_from_slice(&8000u16.to_be_bytes());
    let e = prepare(&jpeg, &opts()).unwrap_err();
    assert_eq!(e.kind, ImageErrorKind::TooLarge);
    assert!(e.message.contains("progressive"), "{}", e.message);
}

#[test]
fn bombs_in_every_container_are_refused_from_the_header() {
    // GIF 65535 x 65535 logical screen.
    let mut gif = b"GIF89a".to_vec();
    gif.extend_from_slice(&[0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0]);
    // BMP 30000 x 30000.
    let mut bmp = b"BM".to_vec();
    bmp.extend_from_slice(&[0; 8]);
    bmp.extend_from_slice(&54u32.to_le_bytes());
    bmp.extend_from_slice(&40u32.to_le_bytes());
    bmp.extend_from_slice(&30_000i32.to_le_bytes());
    bmp.extend_from_slice(&30_000i32.to_le_bytes());
    bmp.extend_from_slice(&[1, 0, 24, 0]);
    bmp.extend_from_slice(&[0; 24]);
    // WebP VP8X canvas 16384 x 16384.
    let mut webp = b"RIFF\0\0\0\0WEBPVP8X".to_vec();
    webp.extend_from_slice(&10u32.to_le_bytes());
    webp.extend_from_slice(&[0, 0, 0, 0]);
    webp.extend_from_slice(&[0xFF, 0x3F, 0x00, 0xFF, 0x3F, 0x00]);
    for bytes in [gif, bmp, webp] {
        let e = prepare(&bytes, &opts()).unwrap_err();
        assert_eq!(e.kind, ImageErrorKind::TooLarge, "{}", e.message);
    }
}

#[test]
fn the_module_keeps_working_after_errors() {
    let rgb = document_rgb(200, 150, 10, 3, 8);
    let good = encode_jpeg(&rgb, 200, 150, 90, ColorType::Rgb);
    for _ in 0..3 {
        assert!(prepare(&good[..good.len() / 3], &opts()).is_err());
        assert!(prepare(b"garbage", &opts()).is_err());
        assert!(prepare(&good, &opts()).unwrap().passthrough);
    }
}

fn jpeg_with_restarts(progressive: bool, gray: bool) -> Vec<u8> {
    let (w, h) = (333u32, 211u32);
    let rgb = document_rgb(w, h, 12, 6, 31);
    let data: Vec<u8> = if gray {
        rgb.chunks(3).map(|p| p[1]).collect()
    } else {
        rgb
    };
    let mut out = Vec::new();
    let mut e = jpeg_encoder::Encoder::new(&mut out, 85);
    e.set_restart_interval(4);
    e.set_progressive(progressive);
    let color = if gray {
        ColorType::Luma
    } else {
        ColorType::Rgb
    };
    e.encode(&data, w as u16, h as u16, color).unwrap();
    out
}

#[test]
fn jpeg_cut_short_but_closed_with_eoi_is_invalid_when_restart_markers_tell() {
    for progressive in [false, true] {
        for gray in [false, true] {
            let jpeg = jpeg_with_restarts(progressive, gray);
            // Intact: decodes (no false alarm on interleaved or single-component scans).
            let o = PrepareOptions {
                max_base64_chars: 20_000,
                ..opts()
            };
            prepare(&jpeg, &o).unwrap();
            // Cut in the middle of the last scan's data and close the file again: a decoder
            // would fill the missing part with grey.
            let last_sos = jpeg.windows(2).rposition(|w| w == [0xFF, 0xDA]).unwrap();
            let cut = last_sos + (jpeg.len() - last_sos) / 2;
            let mut bad = jpeg[..cut].to_vec();
            if bad.last() == Some(&0xFF) {
                bad.pop();
            }
            bad.extend_from_slice(&[0xFF, 0xD9]);
            let e = prepare(&bad, &o).unwrap_err();
            assert_eq!(
                e.kind,
                ImageErrorKind::Invalid,
                "progressive {progressive} gray {gray}"
            );
        }
    }
}

fn with_target(target: SizeTarget) -> PrepareOptions {
    PrepareOptions { target, ..opts() }
}

/// Issue 13: "legible" sends far fewer bytes than "budget" for a 12 MP photo, at the legible size
/// and quality, within the budget.
#[test]
fn legible_target_sends_fewer_bytes_than_budget_at_the_legible_size() {
    let (w, h) = (4000, 3000);
    let rgb = document_rgb(w, h, 40, 10, 31);
    let jpeg = encode_jpeg(&rgb, w, h, 92, ColorType::Rgb);
    let budget = prepare(&jpeg, &with_target(SizeTarget::Budget)).unwrap();
    let o = with_target(SizeTarget::Legible);
    let legible = prepare(&jpeg, &o).unwrap();
    within_budget(&legible, &o);
    assert_eq!(
        (legible.width, legible.height),
        (LEGIBLE_LONG_SIDE_PX, LEGIBLE_LONG_SIDE_PX * 3 / 4)
    );
    assert!(legible.quality.unwrap() <= LEGIBLE_QUALITY);
    assert!(
        legible.jpeg.len() * 3 < budget.jpeg.len() * 2,
        "legible {} vs budget {} bytes",
        legible.jpeg.len(),
        budget.jpeg.len()
    );
    // What the picture holds is the same photo, upright and whole.
    let (dw, dh, _, _) = decode(&legible.jpeg);
    assert_eq!((dw, dh), (legible.width, legible.height));
}

/// "legible" on a noisy photo: the quality ceiling comes down (bytes spent on sensor noise do not
/// make text more legible), never under `minQuality`; a quiet photo keeps the full ceiling and
/// "budget" ignores noise.
#[test]
fn legible_target_lowers_quality_on_a_noisy_photo_only() {
    let (w, h) = (2400, 1800);
    let o = with_target(SizeTarget::Legible);
    let quiet = encode_jpeg(&document_rgb(w, h, 40, 1, 35), w, h, 92, ColorType::Rgb);
    let noisy = encode_jpeg(&document_rgb(w, h, 40, 14, 35), w, h, 92, ColorType::Rgb);
    let q = prepare(&quiet, &o).unwrap();
    let n = prepare(&noisy, &o).unwrap();
    within_budget(&n, &o);
    assert_eq!(q.quality, Some(LEGIBLE_QUALITY));
    assert_eq!(n.quality, Some(LEGIBLE_NOISY_QUALITY));
    assert_eq!((n.width, n.height), (q.width, q.height));
    let full = prepare(
        &noisy,
        &PrepareOptions {
            min_quality: LEGIBLE_QUALITY,
            ..o.clone()
        },
    )
    .unwrap();
    assert_eq!(full.quality, Some(LEGIBLE_QUALITY));
    assert!(
        n.jpeg.len() * 4 < full.jpeg.len() * 3,
        "noisy at its ceiling {} vs at {LEGIBLE_QUALITY}: {} bytes",
        n.jpeg.len(),
        full.jpeg.len()
    );
    assert!(
        prepare(&noisy, &with_target(SizeTarget::Budget))
            .unwrap()
            .quality
            > Some(80)
    );
}

/// "legible" never goes over a small budget: it gives up quality, then size, like "budget".
#[test]
fn legible_target_stays_within_a_small_budget() {
    let (w, h) = (4000, 3000);
    let rgb = document_rgb(w, h, 28, 14, 32);
    let jpeg = encode_jpeg(&rgb, w, h, 92, ColorType::Rgb);
    for max_base64_chars in [60_000usize, 150_000] {
        let o = PrepareOptions {
            max_base64_chars,
            ..with_target(SizeTarget::Legible)
        };
        let p = prepare(&jpeg, &o).unwrap();
        within_budget(&p, &o);
        assert!(p.width <= LEGIBLE_LONG_SIDE_PX);
    }
}

/// The size floor: a long thin picture keeps its short side at 800 px (Tencent asks for ≥ 500 ×
/// 800) within the long-side cap, and a picture already under the legible size is never upscaled.
#[test]
fn legible_target_keeps_the_short_side_floor_and_never_upscales() {
    let (w, h) = (3000, 1200);
    let rgb = document_rgb(w, h, 40, 6, 33);
    let jpeg = encode_jpeg(&rgb, w, h, 92, ColorType::Rgb);
    let o = with_target(SizeTarget::Legible);
    let p = prepare(&jpeg, &o).unwrap();
    assert_eq!((p.width, p.height), (2000, LEGIBLE_MIN_SHORT_SIDE_PX));
    assert!(p.width <= DEFAULT_MAX_LONG_SIDE_PX);
    let small = encode_jpeg(
        &document_rgb(1200, 900, 24, 6, 34),
        1200,
        900,
        95,
        ColorType::Rgb,
    );
    let png = prepare_rgba(
        &common::rgba_from_rgb(&document_rgb(1200, 900, 24, 6, 34), 255),
        1200,
        900,
        &o,
    )
    .unwrap();
    assert_eq!((png.width, png.height), (1200, 900));
    let p = prepare(&small, &o).unwrap();
    assert_eq!((p.width, p.height), (1200, 900));
}

/// Issue 13: "legible" sizes the picture by its text. A photo whose text the quality report
/// measures large (a 行驶证 filling the frame: ~50 px at 1600) is sent at the providers' floor
/// (short side 800) with far fewer bytes; one whose text is small keeps the 1600 px cap; none goes
/// under the floor (no DCT snap to 1000 × 750 either) or over the budget.
#[test]
fn legible_target_sends_big_text_smaller_and_small_text_at_1600() {
    let (w, h) = (4000, 3000);
    let jpeg = encode_jpeg(&document_rgb(w, h, 60, 4, 41), w, h, 92, ColorType::Rgb);
    let with = |text| PrepareOptions {
        text_height_px: text,
        ..with_target(SizeTarget::Legible)
    };
    let unknown = prepare(&jpeg, &with(None)).unwrap();
    assert_eq!((unknown.width, unknown.height), (1600, 1200));
    let small = prepare(&jpeg, &with(Some(LEGIBLE_TEXT_HEIGHT_PX - 1))).unwrap();
    assert_eq!((small.width, small.height), (1600, 1200));
    let big = prepare(&jpeg, &with(Some(50))).unwrap();
    within_budget(&big, &with(Some(50)));
    assert_eq!((big.width, big.height), (1067, LEGIBLE_MIN_SHORT_SIDE_PX));
    assert!(
        big.jpeg.len() * 3 < unknown.jpeg.len() * 2,
        "big text {} vs no estimate {} bytes",
        big.jpeg.len(),
        unknown.jpeg.len()
    );
    // In between: just large enough for the text (measured 20 px at 1600 → 16 px at 1280).
    let mid = prepare(&jpeg, &with(Some(LEGIBLE_TEXT_HEIGHT_PX * 5 / 4))).unwrap();
    assert_eq!((mid.width, mid.height), (1280, 960));
    // A small budget still holds: quality, then size give way.
    let tight = PrepareOptions {
        max_base64_chars: 40_000,
        ..with(Some(50))
    };
    let p = prepare(&jpeg, &tight).unwrap();
    within_budget(&p, &tight);
    assert!(p.width <= 1067);
    // "budget" ignores the estimate.
    let budget = prepare(
        &jpeg,
        &PrepareOptions {
            text_height_px: Some(50),
            ..with_target(SizeTarget::Budget)
        },
    )
    .unwrap();
    assert_eq!(budget.width, 2000);
    // Pixels (a canvas) follow the same rule.
    let rgba = common::rgba_from_rgb(&document_rgb(2000, 1500, 30, 4, 42), 255);
    let px = prepare_rgba(&rgba, 2000, 1500, &with(Some(50))).unwrap();
    assert_eq!((px.width, px.height), (1067, LEGIBLE_MIN_SHORT_SIDE_PX));
}
