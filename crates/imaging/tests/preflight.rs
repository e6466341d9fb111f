//! The preflight: the chunk-fed structure check (same verdict whatever the chunks),
//! `verify_structure` against "magic bytes + garbage", decompression bombs refused before
//! decoding, the passthrough cut at EOI, the first EXIF segment, `pass_as_is`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use vehicle_doc_ocr_imaging::{
    pass_as_is, prepare, probe, verify_structure, ImageErrorKind, Integrity, PrepareOptions,
    SourceFormat,
};

fn png_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    out.extend_from_slice(&[0; 4]); // CRC (not checked)
}

/// One valid file of every format.
fn samples() -> Vec<(&'static str, SourceFormat, Vec<u8>)> {
    let (w, h) = (96, 64);
    let rgb = document_rgb(w, h, 12, 8, 3);
    let gray: Vec<u8> = rgb.iter().step_by(3).copied().collect();
    vec![
        (
            "jpeg",
            SourceFormat::Jpeg,
            encode_jpeg(&rgb, w, h, 85, jpeg_encoder::ColorType::Rgb),
        ),
        (
            "progressive",
            SourceFormat::Jpeg,
            encode_jpeg_progressive(&rgb, w, h, 85),
        ),
        (
            "restart_progressive",
            SourceFormat::Jpeg,
            include_bytes!("fixtures/restart_progressive.jpg").to_vec(),
        ),
        (
            "png",
            SourceFormat::Png,
            encode_png(&rgb, w, h, png::ColorType::Rgb, png::BitDepth::Eight),
        ),
        (
            "webp lossless",
            SourceFormat::Webp,
            encode_webp_lossless(&gray, w, h, image_webp::ColorType::L8),
        ),
        (
            "webp lossy",
            SourceFormat::Webp,
            include_bytes!("fixtures/lossy.webp").to_vec(),
        ),
        (
            "webp exif",
            SourceFormat::Webp,
            include_bytes!("fixtures/exif6.webp").to_vec(),
        ),
        (
            "gif",
            SourceFormat::Gif,
            encode_gif(&gray, w as u16, h as u16, &[0; 768]),
        ),
        ("bmp", SourceFormat::Bmp, encode_bmp24(&rgb, w, h)),
    ]
}

/// The structure check fed `chunk` bytes at a time from wherever it asks.
fn check_in_chunks(
    f: SourceFormat,
    b: &[u8],
    chunk: usize,
    quick: bool,
) -> Result<u64, ImageErrorKind> {
    let mut c = Integrity::new(f, b.len() as u64, quick);
    let mut pushes = 0;
    while let Some(at) = c.wants() {
        let at = at as usize;
        c.push(b.get(at..(at + chunk).min(b.len())).unwrap_or(&[]));
        pushes += 1;
        assert!(pushes < 10 * b.len() + 10, "the check does not end");
    }
    c.finish().map(|v| v.end).map_err(|e| e.kind)
}

#[test]
fn the_verdict_is_the_same_whatever_the_chunks() {
    for (name, f, b) in samples() {
        let whole = check_in_chunks(f, &b, b.len(), false);
        assert_eq!(whole, Ok(b.len() as u64), "{name}");
        for chunk in [1, 2, 7, 100, 4096] {
            assert_eq!(
                check_in_chunks(f, &b, chunk, false),
                whole,
                "{name} in {chunk}-byte chunks"
            );
            assert_eq!(
                check_in_chunks(f, &b, chunk, true),
                whole,
                "{name} quick, {chunk}"
            );
        }
        // Every cut of the file is refused, in any chunking (a GIF without its trailer byte is
        // a complete image: taken).
        let last = if f == SourceFormat::Gif {
            b.len() - 2
        } else {
            b.len() - 1
        };
        for cut in [b.len() / 3, b.len() / 2, last] {
            let part = &b[..cut];
            for chunk in [3, 4096] {
                assert!(
                    check_in_chunks(f, part, chunk, false).is_err(),
                    "{name} cut at {cut}"
                );
            }
        }
    }
}

#[test]
fn verify_structure_accepts_whole_files_and_refuses_magic_bytes_and_garbage() {
    let mut rng = Rng(0x1234_5678_9abc_def1);
    for (name, f, b) in samples() {
        assert_eq!(verify_structure(&b).unwrap().format, f, "{name}");
        // The file's own magic bytes (and for JPEG the SOI + first marker), then garbage.
        let magic = match f {
            SourceFormat::Jpeg => 4,
            SourceFormat::Png => 8,
            SourceFormat::Webp => 16,
            SourceFormat::Gif => 6,
            _ => 2,
        };
        for trial in 0..300 {
            let len = [40, 500, 20_000][trial % 3];
            let mut g = b[..magic].to_vec();
            g.extend((0..len).map(|_| rng.next() as u8));
            if f == SourceFormat::Webp {
                // A RIFF size that matches, so only the chunks themselves are judged.
                let size = (g.len() - 8) as u32;
                g[4..8].copy_from_slice(&size.to_le_bytes());
            }
            assert!(
                verify_structure(&g).is_err(),
                "{name} + {len} bytes of garbage (trial {trial})"
            );
        }
        // A real header followed by garbage instead of the rest. Where the rest is one run of
        // coded data whose length the header gave (a WebP's VP8/VP8L chunk, a BMP's pixels) only
        // a decode could tell: the structure is whole.
        if !matches!(f, SourceFormat::Webp | SourceFormat::Bmp) {
            let keep = b.len() / 4;
            let mut g = b[..keep].to_vec();
            g.extend((keep..b.len()).map(|_| rng.next() as u8));
            assert!(verify_structure(&g).is_err(), "{name} header + garbage");
        }
    }
}

#[test]
fn a_passthrough_jpeg_is_sent_up_to_its_eoi_only() {
    let rgb = document_rgb(320, 200, 20, 6, 1);
    let jpeg = encode_jpeg(&rgb, 320, 200, 85, jpeg_encoder::ColorType::Rgb);
    let mut trailing = jpeg.clone();
    trailing.extend_from_slice(b"trailing bytes: a second image, a maker note, or a secret");
    trailing.extend_from_slice(&[0xFF, 0xD9]);
    let p = prepare(&trailing, &PrepareOptions::default()).unwrap();
    assert!(p.passthrough);
    assert_eq!(p.jpeg, jpeg, "what is sent ends at EOI");
    let p = pass_as_is(&trailing, &PrepareOptions::default()).unwrap();
    assert_eq!(p.jpeg, jpeg);
}

#[test]
fn the_first_exif_orientation_segment_decides() {
    let rgb = document_rgb(64, 48, 10, 4, 2);
    let jpeg = encode_jpeg(&rgb, 64, 48, 85, jpeg_encoder::ColorType::Rgb);
    // with_exif inserts right after SOI: the last call's segment comes first.
    let two = with_exif(&with_exif(&jpeg, 3, false), 6, true);
    assert_eq!(probe(&two).unwrap().orientation, 6);
    let p = prepare(&two, &PrepareOptions::default()).unwrap();
    assert_eq!((p.orientation_applied, p.width, p.height), (6, 48, 64));
    // A first Exif segment without an orientation tag still decides (libexif reads one block).
    let mut no_tag = b"Exif\0\0MM\0\x2a\0\0\0\x08\0\0\0\0\0\0".to_vec();
    let mut seg = vec![0xFF, 0xE1];
    seg.extend_from_slice(&((no_tag.len() + 2) as u16).to_be_bytes());
    seg.append(&mut no_tag);
    let with6 = with_exif(&jpeg, 6, false);
    let mut first_empty = with6[..2].to_vec();
    first_empty.extend(seg);
    first_empty.extend_from_slice(&with6[2..]);
    assert_eq!(probe(&first_empty).unwrap().orientation, 1);
}

fn too_large(b: &[u8]) -> String {
    let e = prepare(b, &PrepareOptions::default()).unwrap_err();
    assert_eq!(e.kind, ImageErrorKind::TooLarge, "{}", e.message);
    e.message
}

#[test]
fn decompression_bombs_under_the_pixel_cap_are_refused_before_decoding() {
    let idat = miniz_oxide::deflate::compress_to_vec_zlib(&[0; 4096], 9);
    let png = |w: u32, h: u32, depth: u8, color: u8| {
        let mut b = b"\x89PNG\r\n\x1a\n".to_vec();
        let mut ihdr = w.to_be_bytes().to_vec();
        ihdr.extend_from_slice(&h.to_be_bytes());
        ihdr.extend_from_slice(&[depth, color, 0, 0, 0]);
        png_chunk(&mut b, b"IHDR", &ihdr);
        png_chunk(&mut b, b"IDAT", &idat);
        png_chunk(&mut b, b"IEND", &[]);
        b
    };
    // 1 × 100,000,000 (the shape), 16-bit RGBA at 100 MP (800 MB to inflate).
    assert!(too_large(&png(1, 100_000_000, 8, 2)).contains("65535 pixels"));
    assert!(too_large(&png(10_000, 10_000, 16, 6)).contains("decompression bomb"));
    // A small lossless WebP announcing 10000 × 10000 (400 MB of RGBA in the decoder).
    let mut vp8l = vec![0x2f];
    let bits: u32 = 9_999 | (9_999 << 14);
    vp8l.extend_from_slice(&bits.to_le_bytes());
    vp8l.extend(std::iter::repeat_n(0u8, 4001)); // an even chunk size
    let mut webp = b"RIFF\0\0\0\0WEBPVP8L".to_vec();
    webp.extend_from_slice(&(vp8l.len() as u32).to_le_bytes());
    webp.extend(vp8l);
    let size = (webp.len() - 8) as u32;
    webp[4..8].copy_from_slice(&size.to_le_bytes());
    assert!(too_large(&webp).contains("decompression bomb"));
    // A GIF screen of 10000 × 10000 with a 1-pixel frame.
    let mut gif = b"GIF89a".to_vec();
    gif.extend_from_slice(&10_000u16.to_le_bytes());
    gif.extend_from_slice(&10_000u16.to_le_bytes());
    gif.extend_from_slice(&[
        0, 0, 0, 0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0, 2, 2, 0x4C, 0x01, 0, 0x3B,
    ]);
    assert!(too_large(&gif).contains("decompression bomb"));
    // Ordinary pictures are untouched by the rule: a blank 12 MP PNG decodes.
    let blank = encode_png(
        &vec![255u8; 4000 * 3000],
        4000,
        3000,
        png::ColorType::Grayscale,
        png::BitDepth::Eight,
    );
    assert!(blank.len() < 200_000);
    prepare(&blank, &PrepareOptions::default()).unwrap();
}

#[test]
fn codec_none_hands_back_checked_bytes_or_refuses() {
    let opts = PrepareOptions::default();
    let rgb = document_rgb(200, 120, 16, 6, 5);
    let png_bytes = encode_png(&rgb, 200, 120, png::ColorType::Rgb, png::BitDepth::Eight);
    let p = pass_as_is(&png_bytes, &opts).unwrap();
    assert_eq!(
        (p.jpeg == png_bytes, p.passthrough, p.source_format),
        (true, true, SourceFormat::Png)
    );
    let small = PrepareOptions {
        max_base64_chars: 1000,
        ..PrepareOptions::default()
    };
    assert_eq!(
        pass_as_is(&png_bytes, &small).unwrap_err().kind,
        ImageErrorKind::TooLarge
    );
    let mut garbage = png_bytes[..40].to_vec();
    garbage.extend_from_slice(&[7; 400]);
    assert_eq!(
        pass_as_is(&garbage, &opts).unwrap_err().kind,
        ImageErrorKind::Invalid
    );
    let avif = b"\0\0\0\x1cftypavif\0\0\0\0avifmif1miaf";
    let e = pass_as_is(avif, &opts).unwrap_err();
    assert_eq!(e.kind, ImageErrorKind::Unsupported);
    assert_eq!(e.message, vehicle_doc_ocr_imaging::HEIC_MESSAGE);
    assert_eq!(
        prepare(avif, &opts).unwrap_err().message,
        e.message,
        "one HEIC/AVIF message"
    );
}

/// The plan both codecs follow (the browser's through `imagePlan`): with a text-height estimate
/// "legible" plans a 12 MP photo at the providers' floor, resized (the 1/4 DCT scale, 1000 × 750,
/// would land under it), and the browser decodes at an n/8 scale above the target.
#[test]
fn legible_plan_with_a_text_height_never_snaps_under_the_floor() {
    use vehicle_doc_ocr_imaging::preflight::{browser_jpeg_numerator, plan};
    let (w, h) = (4000u32, 3000u32);
    let jpeg = encode_jpeg(
        &document_rgb(w, h, 60, 2, 43),
        w,
        h,
        85,
        jpeg_encoder::ColorType::Rgb,
    );
    let opts = PrepareOptions {
        text_height_px: Some(60),
        ..PrepareOptions::default()
    };
    let p = plan(&jpeg, jpeg.len() as u64, &opts, u64::MAX, false).unwrap();
    assert_eq!(
        (p.target.width, p.target.height, p.target.dct),
        (1067, 800, 0)
    );
    assert!(!p.may_pass_through);
    let n = browser_jpeg_numerator(w, h, &p.target);
    assert!((1..8).contains(&n) && w * n as u32 / 8 >= 1067, "{n}");
    let none = plan(
        &jpeg,
        jpeg.len() as u64,
        &PrepareOptions::default(),
        u64::MAX,
        false,
    )
    .unwrap();
    assert_eq!((none.target.width, none.target.height), (1600, 1200));
}
