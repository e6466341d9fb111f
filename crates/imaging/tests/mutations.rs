//! No input may panic (a panic poisons the wasm module): truncated and bit-flipped versions of
//! real pictures in every format go through probe + prepare, which must return Ok within the
//! budget or a typed error.

// Test code: helpers outside #[test] functions may fail loudly too.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::unreachable
)]

mod common;

use common::*;
use proptest::prelude::*;
use std::sync::LazyLock;
use vehicle_doc_ocr_imaging::{base64_len, prepare, probe, PrepareOptions};

/// Built once for every proptest case.
static SEEDS: LazyLock<Vec<Vec<u8>>> = LazyLock::new(seeds);

fn seeds() -> Vec<Vec<u8>> {
    let (w, h) = (96u32, 64u32);
    let rgb = document_rgb(w, h, 10, 6, 99);
    let rgba = rgba_from_rgb(&rgb, 200);
    let idx: Vec<u8> = rgb.iter().step_by(3).map(|v| v / 64).collect();
    vec![
        with_exif(
            &encode_jpeg(&rgb, w, h, 85, jpeg_encoder::ColorType::Rgb),
            6,
            true,
        ),
        encode_jpeg_progressive(&rgb, w, h, 80),
        encode_png(&rgba, w, h, png::ColorType::Rgba, png::BitDepth::Eight),
        encode_webp_lossless(&rgba, w, h, image_webp::ColorType::Rgba8),
        encode_gif(
            &idx,
            w as u16,
            h as u16,
            &[0, 0, 0, 90, 90, 90, 180, 180, 180, 255, 255, 255],
        ),
        encode_bmp24(&rgb, w, h),
        include_bytes!("fixtures/lossy_alpha.webp").to_vec(),
        include_bytes!("fixtures/progressive_exif8.jpg").to_vec(),
        include_bytes!("fixtures/cmyk_adobe.jpg").to_vec(),
        include_bytes!("fixtures/sharp_mozjpeg.jpg").to_vec(),
        include_bytes!("fixtures/restart_rows.jpg").to_vec(),
    ]
}

fn check(bytes: &[u8]) {
    let _ = probe(bytes);
    let opts = PrepareOptions {
        max_base64_chars: 40_000,
        ..PrepareOptions::default()
    };
    if let Ok(p) = prepare(bytes, &opts) {
        assert!(base64_len(p.jpeg.len()) <= opts.max_base64_chars);
        if !p.passthrough {
            decode(&p.jpeg);
        }
    }
}

#[test]
fn every_truncation_of_every_seed_is_handled() {
    for s in SEEDS.iter() {
        let step = (s.len() / 300).max(1);
        for cut in (0..s.len()).step_by(step) {
            check(&s[..cut]);
        }
    }
}

proptest! {
    // PROPTEST_CASES=50000 for a longer soak.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(1500),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn bit_flips_and_splices_never_panic(
        seed in any::<prop::sample::Index>(),
        flips in proptest::collection::vec((any::<prop::sample::Index>(), 0u8..8), 1..12),
        cut in any::<prop::sample::Index>(),
        do_cut in any::<bool>(),
    ) {
        let mut b = seed.get(&SEEDS).clone();
        for (at, bit) in flips {
            let i = at.index(b.len());
            b[i] ^= 1 << bit;
        }
        if do_cut {
            b.truncate(cut.index(b.len() + 1));
        }
        check(&b);
    }
}
