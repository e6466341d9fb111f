//! A JPEG cut short and closed again with EOI (what some upload paths and repair tools produce)
//! must be refused as truncated, with or without restart markers, in every scan of a progressive
//! file, on every decode path (passthrough check, full-size and DCT-scaled decode). Complete files
//! must never be refused.

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
use vehicle_doc_ocr_imaging::{base64_len, prepare, ImageErrorKind, PrepareOptions};

/// Entropy-coded data of every scan: (first byte, end = first 0xFF of the marker after it,
/// scan header payload).
fn scans(b: &[u8]) -> Vec<(usize, usize, Vec<u8>)> {
    let mut out = Vec::new();
    let mut i = 2;
    while i + 4 <= b.len() {
        assert_eq!(b[i], 0xFF, "marker expected at {i}");
        let m = b[i + 1];
        if m == 0xD9 {
            break;
        }
        let len = u16::from_be_bytes([b[i + 2], b[i + 3]]) as usize;
        let header = b[i + 4..i + 2 + len].to_vec();
        i += 2 + len;
        if m == 0xDA {
            let start = i;
            while !(b[i] == 0xFF && b[i + 1] != 0 && !(0xD0..=0xD7).contains(&b[i + 1])) {
                i += 1;
            }
            out.push((start, i, header));
        }
    }
    out
}

/// The first `at` bytes, closed again with EOI.
fn cut_and_close(b: &[u8], at: usize) -> Vec<u8> {
    let mut v = b[..at].to_vec();
    while v.last() == Some(&0xFF) {
        v.pop();
    }
    v.extend_from_slice(&[0xFF, 0xD9]);
    v
}

/// Passthrough candidate (verified by a 1/8 decode), full-size re-encode, DCT-scaled decode.
fn option_sets(len: usize) -> [PrepareOptions; 3] {
    let d = PrepareOptions::default();
    [
        d.clone(),
        PrepareOptions {
            // Just under the file: not a passthrough, re-encoded from a full-size decode.
            max_base64_chars: (base64_len(len) - 4).max(6000),
            ..d.clone()
        },
        PrepareOptions {
            max_long_side_px: 40,
            ..d
        },
    ]
}

fn assert_truncated(b: &[u8], what: &str) {
    for o in option_sets(b.len()) {
        match prepare(b, &o) {
            Ok(p) => panic!(
                "{what}: accepted (passthrough {}, {}x{})",
                p.passthrough, p.width, p.height
            ),
            Err(e) => {
                assert_eq!(e.kind, ImageErrorKind::Invalid, "{what}: {e}");
                assert!(e.message.contains("truncated"), "{what}: {}", e.message);
            }
        }
    }
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn baseline_files() -> Vec<(String, Vec<u8>)> {
    let rgb = document_rgb(800, 600, 20, 5, 17);
    let gray: Vec<u8> = rgb.iter().step_by(3).copied().collect();
    vec![
        (
            "jpeg-encoder 4:2:0".into(),
            encode_jpeg(&rgb, 800, 600, 90, ColorType::Rgb),
        ),
        (
            "jpeg-encoder gray".into(),
            encode_jpeg(&gray, 800, 600, 80, ColorType::Luma),
        ),
        ("chromium canvas".into(), fixture("chromium_canvas.jpg")),
        (
            "libvips/mozjpeg baseline".into(),
            fixture("sharp_baseline.jpg"),
        ),
        ("Adobe CMYK".into(), fixture("cmyk_adobe.jpg")),
    ]
}

fn progressive_files() -> Vec<(String, Vec<u8>)> {
    let rgb = document_rgb(640, 480, 18, 5, 23);
    vec![
        (
            "jpeg-encoder progressive".into(),
            encode_jpeg_progressive(&rgb, 640, 480, 85),
        ),
        ("mozjpeg scans".into(), fixture("sharp_mozjpeg.jpg")),
        ("libjpeg 4:4:4".into(), fixture("sharp_progressive_444.jpg")),
        ("libjpeg gray".into(), fixture("sharp_gray_progressive.jpg")),
        ("libjpeg CMYK".into(), fixture("cmyk_progressive.jpg")),
        ("libjpeg exif8".into(), fixture("progressive_exif8.jpg")),
    ]
}

#[test]
fn complete_files_are_never_refused() {
    for (name, b) in baseline_files()
        .into_iter()
        .chain(progressive_files())
        .chain([
            ("restart rows".into(), fixture("restart_rows.jpg")),
            (
                "restart progressive".into(),
                fixture("restart_progressive.jpg"),
            ),
        ])
    {
        let [passthrough, full, scaled] = option_sets(b.len());
        let p = prepare(&b, &passthrough).unwrap_or_else(|e| panic!("{name}: {e}"));
        // CMYK is never forwarded, an EXIF-rotated file is re-encoded upright.
        let forwardable = !name.contains("CMYK") && !name.contains("exif8");
        assert_eq!(p.passthrough, forwardable, "{name}");
        for o in [full, scaled] {
            let p = prepare(&b, &o).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(!p.passthrough, "{name}");
        }
    }
}

#[test]
fn baseline_without_restart_markers_cut_and_closed_is_truncated() {
    for (name, b) in baseline_files() {
        let s = scans(&b);
        assert_eq!(s.len(), 1, "{name}");
        let (start, end, _) = s[0];
        for pct in [10, 25, 50, 75, 90, 95] {
            let at = start + (end - start) * pct / 100;
            assert_truncated(&cut_and_close(&b, at), &format!("{name} cut at {pct}%"));
        }
    }
}

#[test]
fn progressive_cut_in_any_scan_and_closed_is_truncated() {
    for (name, b) in progressive_files() {
        let s = scans(&b);
        assert!(s.len() > 2, "{name}");
        for (k, (start, end, header)) in s.iter().enumerate() {
            if end - start < 16 {
                continue;
            }
            for pct in [10, 50, 90] {
                let at = start + (end - start) * pct / 100;
                assert_truncated(
                    &cut_and_close(&b, at),
                    &format!("{name} scan {k} {header:?} cut at {pct}%"),
                );
            }
        }
    }
}
