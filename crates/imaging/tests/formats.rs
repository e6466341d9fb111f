//! Decoder coverage beyond the basics: libjpeg/libwebp fixtures, every PNG layout, YCCK.

// Test code: helpers outside #[test] functions may fail loudly too.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::unreachable
)]

mod common;

use common::*;
use vehicle_doc_ocr_imaging::{prepare, probe, PrepareOptions, SourceFormat};

const QUAD: [[u8; 3]; 4] = [[220, 20, 20], [20, 200, 20], [20, 20, 220], [255, 255, 255]];

/// Checks a prepared 64x48 quadrant picture (see tests/fixtures/make_fixtures.py).
fn assert_quadrants(jpeg: &[u8], tol: i32) {
    let (w, h, px, ch) = decode(jpeg);
    assert_eq!((w, h), (64, 48));
    let at = |x, y| pixel(&px, w, ch, x, y);
    for (i, (x, y)) in [(6, 6), (57, 6), (6, 41), (57, 41)].into_iter().enumerate() {
        assert!(
            close(at(x, y), QUAD[i], tol),
            "corner {i}: {:?} vs {:?}",
            at(x, y),
            QUAD[i]
        );
    }
}

#[test]
fn libwebp_lossy_with_and_without_alpha_and_exif() {
    let p = prepare(
        include_bytes!("fixtures/lossy.webp"),
        &PrepareOptions::default(),
    )
    .unwrap();
    assert_eq!(p.source_format, SourceFormat::Webp);
    assert_quadrants(&p.jpeg, 45);
    // The transparent (black) bottom-right quadrant is flattened on white.
    let p = prepare(
        include_bytes!("fixtures/lossy_alpha.webp"),
        &PrepareOptions::default(),
    )
    .unwrap();
    assert_quadrants(&p.jpeg, 45);
    let bytes = include_bytes!("fixtures/exif6.webp");
    assert_eq!(probe(bytes).unwrap().orientation, 6);
    let p = prepare(bytes, &PrepareOptions::default()).unwrap();
    assert_eq!(p.orientation_applied, 6);
    assert_quadrants(&p.jpeg, 45);
}

#[test]
fn libjpeg_progressive_with_orientation_8() {
    let bytes = include_bytes!("fixtures/progressive_exif8.jpg");
    let info = probe(bytes).unwrap();
    assert_eq!((info.width, info.height, info.orientation), (48, 64, 8));
    let p = prepare(bytes, &PrepareOptions::default()).unwrap();
    assert_quadrants(&p.jpeg, 40);
}

#[test]
fn photoshop_style_cmyk_and_ycck() {
    let p = prepare(
        include_bytes!("fixtures/cmyk_adobe.jpg"),
        &PrepareOptions::default(),
    )
    .unwrap();
    let (w, _, px, ch) = decode(&p.jpeg);
    assert!(
        close(pixel(&px, w, ch, 8, 8), [0, 255, 255], 40),
        "{:?}",
        pixel(&px, w, ch, 8, 8)
    );
    assert!(close(pixel(&px, w, ch, 56, 8), [255, 255, 255], 12));

    let (w, h) = (64u32, 48u32);
    let cmyk = halves(w, h, [0, 255, 0, 0], [0, 0, 0, 128]);
    let ycck = encode_jpeg(&cmyk, w, h, 95, jpeg_encoder::ColorType::CmykAsYcck);
    let p = prepare(&ycck, &PrepareOptions::default()).unwrap();
    let (w2, _, px, ch) = decode(&p.jpeg);
    assert!(
        close(pixel(&px, w2, ch, 8, 8), [255, 0, 255], 40),
        "{:?}",
        pixel(&px, w2, ch, 8, 8)
    );
    assert!(close(pixel(&px, w2, ch, 56, 8), [127, 127, 127], 20));
}

// ---- PNG layouts, written by hand so interlacing, filters and low bit depths are covered ----

fn crc32(data: &[u8]) -> u32 {
    let mut c = 0xFFFF_FFFFu32;
    for &b in data {
        c ^= b as u32;
        for _ in 0..8 {
            c = if c & 1 != 0 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
        }
    }
    !c
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let mut body = kind.to_vec();
    body.extend_from_slice(data);
    out.extend_from_slice(&body);
    out.extend_from_slice(&crc32(&body).to_be_bytes());
}

/// Packs samples (each < 2^depth, or 16-bit values) of one row.
fn pack(samples: &[u16], depth: u8) -> Vec<u8> {
    match depth {
        16 => samples.iter().flat_map(|s| s.to_be_bytes()).collect(),
        8 => samples.iter().map(|&s| s as u8).collect(),
        d => {
            let mut out = vec![0u8; (samples.len() * d as usize).div_ceil(8)];
            for (i, &s) in samples.iter().enumerate() {
                let bit = i * d as usize;
                out[bit / 8] |= (s as u8) << (8 - d as usize - bit % 8);
            }
            out
        }
    }
}

/// A PNG whose pixel (x, y) has samples `f(x, y)`, optionally Adam7-interlaced, rows filtered with
/// a rotating filter type (Sub/Up/Average/Paeth applied for real) and extra chunks before IDAT.
fn make_png(
    w: usize,
    h: usize,
    color: u8,
    depth: u8,
    interlace: bool,
    f: impl Fn(usize, usize) -> Vec<u16>,
    extra: &[(&[u8; 4], Vec<u8>)],
) -> Vec<u8> {
    let mut raw = Vec::new();
    let passes: Vec<(usize, usize, usize, usize)> = if interlace {
        vec![
            (0, 0, 8, 8),
            (4, 0, 8, 8),
            (0, 4, 4, 8),
            (2, 0, 4, 4),
            (0, 2, 2, 4),
            (1, 0, 2, 2),
            (0, 1, 1, 2),
        ]
    } else {
        vec![(0, 0, 1, 1)]
    };
    let samples = f(0, 0).len();
    let bpp = ((samples * depth as usize).div_ceil(8)).max(1);
    let mut n = 0u8;
    for (x0, y0, dx, dy) in passes {
        let xs: Vec<usize> = (x0..w).step_by(dx).collect();
        let ys: Vec<usize> = (y0..h).step_by(dy).collect();
        if xs.is_empty() || ys.is_empty() {
            continue;
        }
        let mut prev = vec![0u8; pack(&vec![0; xs.len() * samples], depth).len()];
        for y in ys {
            let s: Vec<u16> = xs.iter().flat_map(|&x| f(x, y)).collect();
            let row = pack(&s, depth);
            let ft = n % 5;
            n = n.wrapping_add(1);
            raw.push(ft);
            for i in 0..row.len() {
                let a = if i >= bpp { row[i - bpp] as i16 } else { 0 };
                let b = prev[i] as i16;
                let c = if i >= bpp { prev[i - bpp] as i16 } else { 0 };
                let pred = match ft {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    _ => {
                        let p = a + b - c;
                        let (pa, pb, pc) = ((p - a).abs(), (p - b).abs(), (p - c).abs());
                        if pa <= pb && pa <= pc {
                            a
                        } else if pb <= pc {
                            b
                        } else {
                            c
                        }
                    }
                };
                raw.push(row[i].wrapping_sub(pred as u8));
            }
            prev = row;
        }
    }
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = (w as u32).to_be_bytes().to_vec();
    ihdr.extend_from_slice(&(h as u32).to_be_bytes());
    ihdr.extend_from_slice(&[depth, color, 0, 0, interlace as u8]);
    chunk(&mut out, b"IHDR", &ihdr);
    for (k, d) in extra {
        chunk(&mut out, k, d);
    }
    chunk(
        &mut out,
        b"IDAT",
        &miniz_oxide::deflate::compress_to_vec_zlib(&raw, 6),
    );
    chunk(&mut out, b"IEND", &[]);
    out
}

fn quad_index(x: usize, y: usize) -> usize {
    match (x < 32, y < 24) {
        (true, true) => 0,
        (false, true) => 1,
        (true, false) => 2,
        (false, false) => 3,
    }
}

/// Samples of the 64x48 quadrant picture at (x, y) as RGB, each value times `scale` (257 for 16 bits).
fn quad_rgb(x: usize, y: usize, scale: u16) -> Vec<u16> {
    QUAD[quad_index(x, y)]
        .iter()
        .map(|&v| v as u16 * scale)
        .collect()
}

#[test]
fn png_every_layout_including_adam7() {
    let opts = PrepareOptions::default();
    for interlace in [false, true] {
        // RGB 8 and 16 bit.
        for depth in [8u8, 16] {
            let scale = if depth == 16 { 257 } else { 1 };
            let png = make_png(
                64,
                48,
                2,
                depth,
                interlace,
                |x, y| quad_rgb(x, y, scale),
                &[],
            );
            let p = prepare(&png, &opts).unwrap();
            assert_quadrants(&p.jpeg, 40);
        }
        // Palette at 1, 2, 4, 8 bits, with tRNS making index 3 transparent (→ white).
        for depth in [2u8, 4, 8] {
            let pal: Vec<u8> = [[220, 20, 20], [20, 200, 20], [20, 20, 220], [0, 0, 0]].concat();
            let png = make_png(
                64,
                48,
                3,
                depth,
                interlace,
                |x, y| vec![quad_index(x, y) as u16],
                &[(b"PLTE", pal), (b"tRNS", vec![255, 255, 255, 0])],
            );
            let p = prepare(&png, &opts).unwrap();
            assert_quadrants(&p.jpeg, 40);
        }
        // RGBA 8/16 with the last quadrant transparent black.
        for depth in [8u8, 16] {
            let scale = if depth == 16 { 257 } else { 1 };
            let png = make_png(
                64,
                48,
                6,
                depth,
                interlace,
                |x, y| {
                    if quad_index(x, y) == 3 {
                        vec![0, 0, 0, 0]
                    } else {
                        let mut rgba = quad_rgb(x, y, scale);
                        rgba.push(255 * scale);
                        rgba
                    }
                },
                &[],
            );
            let p = prepare(&png, &opts).unwrap();
            assert_quadrants(&p.jpeg, 40);
        }
        // Gray 1-bit: left half black, right half white; 16-bit gray with tRNS key.
        let png = make_png(64, 48, 0, 1, interlace, |x, _| vec![(x >= 32) as u16], &[]);
        let p = prepare(&png, &opts).unwrap();
        let (w, _, px, ch) = decode(&p.jpeg);
        assert_eq!(ch, 1);
        assert!(close(pixel(&px, w, ch, 5, 5), [0, 0, 0], 20));
        assert!(close(pixel(&px, w, ch, 60, 5), [255, 255, 255], 20));
        let png = make_png(
            64,
            48,
            0,
            16,
            interlace,
            |x, _| vec![if x < 32 { 0x1234 } else { 0x8000 }],
            &[(b"tRNS", vec![0x12, 0x34])],
        );
        let p = prepare(&png, &opts).unwrap();
        let (w, _, px, ch) = decode(&p.jpeg);
        assert!(
            close(pixel(&px, w, ch, 5, 5), [255, 255, 255], 12),
            "keyed gray → white"
        );
        assert!(close(pixel(&px, w, ch, 60, 5), [128, 128, 128], 12));
    }
}

#[test]
fn png_exif_orientation_is_applied() {
    // Stored = upright rotated 90° counter-clockwise, eXIf says 6.
    let png = make_png(
        48,
        64,
        2,
        8,
        false,
        // upright (ux, uy) = (63 - y, x)  for a 64x48 upright picture
        |x, y| quad_rgb(63 - y, x, 1),
        &[(b"eXIf", tiff_orientation(6, false))],
    );
    assert_eq!(probe(&png).unwrap().orientation, 6);
    let p = prepare(&png, &PrepareOptions::default()).unwrap();
    assert_eq!(p.orientation_applied, 6);
    assert_quadrants(&p.jpeg, 40);
}

#[test]
fn png_missing_iend_or_cut_idat_is_invalid() {
    let png = make_png(64, 48, 2, 8, false, |x, y| quad_rgb(x, y, 1), &[]);
    for cut in [png.len() - 12, png.len() - 30, 40] {
        let e = prepare(&png[..cut], &PrepareOptions::default()).unwrap_err();
        assert_eq!(
            e.kind,
            vehicle_doc_ocr_imaging::ImageErrorKind::Invalid,
            "cut {cut}"
        );
    }
}

/// Rewrites a PNG so its zlib stream is spread over IDAT chunks of `n` bytes (plus an empty one),
/// as encoders that stream do.
fn split_idat(png: &[u8], n: usize) -> Vec<u8> {
    let mut out = png[..8].to_vec();
    let mut pos = 8;
    let mut z = Vec::new();
    let mut after = Vec::new();
    while pos + 8 <= png.len() {
        let len = u32::from_be_bytes(png[pos..pos + 4].try_into().unwrap()) as usize;
        let kind: [u8; 4] = png[pos + 4..pos + 8].try_into().unwrap();
        let data = &png[pos + 8..pos + 8 + len];
        match &kind {
            b"IDAT" => z.extend_from_slice(data),
            b"IEND" => after.push((kind, data.to_vec())),
            _ => chunk(&mut out, &kind, data),
        }
        pos += 12 + len;
    }
    chunk(&mut out, b"IDAT", &[]);
    for part in z.chunks(n) {
        chunk(&mut out, b"IDAT", part);
    }
    for (k, d) in after {
        chunk(&mut out, &k, &d);
    }
    out
}

#[test]
fn png_zlib_stream_split_over_many_idat_chunks() {
    for interlace in [false, true] {
        let png = make_png(64, 48, 2, 8, interlace, |x, y| quad_rgb(x, y, 1), &[]);
        for n in [1, 7, 100] {
            let p = prepare(&split_idat(&png, n), &PrepareOptions::default()).unwrap();
            assert_quadrants(&p.jpeg, 40);
        }
    }
}

#[test]
fn extreme_png_shapes_are_refused_or_decoded_never_crash() {
    // 100 M x 1 pixels of 16-bit RGBA: under the pixel limit, but a single row would need 800 MB.
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = 100_000_000u32.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&1u32.to_be_bytes());
    ihdr.extend_from_slice(&[16, 6, 0, 0, 0]);
    chunk(&mut png, b"IHDR", &ihdr);
    chunk(
        &mut png,
        b"IDAT",
        &miniz_oxide::deflate::compress_to_vec_zlib(&[0; 64], 6),
    );
    chunk(&mut png, b"IEND", &[]);
    let e = prepare(&png, &PrepareOptions::default()).unwrap_err();
    assert_eq!(
        e.kind,
        vehicle_doc_ocr_imaging::ImageErrorKind::TooLarge,
        "{}",
        e.message
    );

    // A 3000 x 1 strip decodes (long side capped, nothing upscaled).
    let png = make_png(3000, 1, 0, 8, false, |x, _| vec![(x % 256) as u16], &[]);
    let p = prepare(&png, &PrepareOptions::default()).unwrap();
    assert_eq!((p.width, p.height), (2048, 1));
}

#[test]
fn gif_first_frame_is_placed_at_its_offset_on_white() {
    // 40x30 screen, first frame 10x10 of palette colour 1 (blue) at (20, 10).
    let mut out = Vec::new();
    {
        let mut e = gif::Encoder::new(&mut out, 40, 30, &[255, 0, 0, 0, 0, 255]).unwrap();
        let mut f = gif::Frame::from_indexed_pixels(10, 10, vec![1u8; 100], None);
        f.left = 20;
        f.top = 10;
        e.write_frame(&f).unwrap();
        // A second frame that must be ignored.
        let f2 = gif::Frame::from_indexed_pixels(40, 30, vec![0u8; 1200], None);
        e.write_frame(&f2).unwrap();
    }
    let p = prepare(&out, &PrepareOptions::default()).unwrap();
    let (w, _, px, ch) = decode(&p.jpeg);
    assert!(
        close(pixel(&px, w, ch, 25, 15), [0, 0, 255], 40),
        "{:?}",
        pixel(&px, w, ch, 25, 15)
    );
    assert!(
        close(pixel(&px, w, ch, 5, 5), [255, 255, 255], 20),
        "outside the frame is white"
    );
}

#[test]
fn large_png_shrinks_while_decoding_to_the_same_picture_as_interlaced() {
    // 2600 x 1000, left 60% red, right 40% blue, a dark bar across the top 100 rows.
    let f = |x: usize, y: usize| -> Vec<u16> {
        if y < 100 {
            vec![20, 20, 20]
        } else if x < 1560 {
            vec![210, 30, 30]
        } else {
            vec![30, 30, 210]
        }
    };
    let plain = make_png(2600, 1000, 2, 8, false, f, &[]);
    let adam7 = make_png(2600, 1000, 2, 8, true, f, &[]);
    let a = prepare(&plain, &PrepareOptions::default()).unwrap();
    let b = prepare(&adam7, &PrepareOptions::default()).unwrap();
    for p in [&a, &b] {
        assert_eq!((p.width, p.height), (2048, 788));
        let (w, _, px, ch) = decode(&p.jpeg);
        assert!(close(pixel(&px, w, ch, 600, 400), [210, 30, 30], 30));
        assert!(close(pixel(&px, w, ch, 1800, 400), [30, 30, 210], 30));
        assert!(close(pixel(&px, w, ch, 1000, 30), [20, 20, 20], 25));
    }
    // Same resampler either way: the two decodes are (near) identical pictures.
    let (_, _, pa, _) = decode(&a.jpeg);
    let (_, _, pb, _) = decode(&b.jpeg);
    let diff = pa
        .iter()
        .zip(&pb)
        .map(|(x, y)| (*x as i32 - *y as i32).abs())
        .max()
        .unwrap();
    assert!(diff <= 8, "max pixel difference {diff}");
}
