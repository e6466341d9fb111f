//! The photo quality report on drawn pictures: a document (light card with dark print) on a
//! darker table, and the same picture blurred, darkened, cut off, or without the document.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use vehicle_doc_ocr_imaging::quality::{assess, Layout, Luma, Reason, Thresholds};

const W: usize = 640;
const H: usize = 480;

/// A 88 × 60 card covering `fill` of the frame's width at (`cx`, `cy`), with rows of print.
fn photo(cx: f32, cy: f32, card_w: f32, paper: u8, table: u8, ink: u8) -> Luma {
    let card_h = card_w * 60.0 / 88.0;
    let (x0, x1) = (cx - card_w / 2.0, cx + card_w / 2.0);
    let (y0, y1) = (cy - card_h / 2.0, cy + card_h / 2.0);
    let glyph = (card_h / 14.0).max(3.0);
    let mut px = vec![table; W * H];
    for y in 0..H {
        for x in 0..W {
            let (fx, fy) = (x as f32, y as f32);
            if fx < x0 || fx >= x1 || fy < y0 || fy >= y1 {
                // A little grain on the table.
                px[y * W + x] = table.saturating_add(((x * 7 + y * 13) % 9) as u8);
                continue;
            }
            let (u, v) = (fx - x0, fy - y0);
            let row = (v / (glyph * 1.8)) as usize;
            let in_row = v > card_h * 0.1 && v < card_h * 0.92 && (v % (glyph * 1.8)) < glyph;
            let col = (u / glyph) as usize;
            // Thin strokes (1.6 px), two each way per glyph, like printed characters.
            let stroke = (u % (glyph / 2.0)) < 1.6 || ((v % (glyph * 1.8)) % (glyph / 2.0)) < 1.6;
            let inked = in_row
                && u > card_w * 0.05
                && u < card_w * 0.95
                && !(col + row).is_multiple_of(5)
                && stroke;
            px[y * W + x] = if inked { ink } else { paper };
        }
    }
    Luma::new(W, H, px).unwrap()
}

fn blur(l: &Luma, radius: usize) -> Luma {
    let (w, h) = (l.width, l.height);
    let mut out = l.pixels.clone();
    for _ in 0..3 {
        let src = out.clone();
        for y in 0..h {
            for x in 0..w {
                let (mut s, mut n) = (0u32, 0u32);
                for xx in x.saturating_sub(radius)..(x + radius + 1).min(w) {
                    s += u32::from(src[y * w + xx]);
                    n += 1;
                }
                out[y * w + x] = (s / n) as u8;
            }
        }
        let src = out.clone();
        for y in 0..h {
            for x in 0..w {
                let (mut s, mut n) = (0u32, 0u32);
                for yy in y.saturating_sub(radius)..(y + radius + 1).min(h) {
                    s += u32::from(src[yy * w + x]);
                    n += 1;
                }
                out[y * w + x] = (s / n) as u8;
            }
        }
    }
    Luma::new(w, h, out).unwrap()
}

/// Motion: each row averaged over `len` pixels (the phone moved sideways).
fn smear(l: &Luma, len: usize) -> Luma {
    let (w, h) = (l.width, l.height);
    let mut out = l.pixels.clone();
    for y in 0..h {
        for x in 0..w {
            let (a, b) = (x.saturating_sub(len / 2), (x + len / 2 + 1).min(w));
            let s: u32 = l.pixels[y * w + a..y * w + b]
                .iter()
                .map(|&v| u32::from(v))
                .sum();
            out[y * w + x] = (s / (b - a) as u32) as u8;
        }
    }
    Luma::new(w, h, out).unwrap()
}

fn report(l: Luma) -> vehicle_doc_ocr_imaging::quality::Report {
    assess(l, 2048, Layout::Licence, &Thresholds::default())
}

#[test]
fn a_sharp_well_lit_card_is_ok_and_outlined() {
    let r = report(photo(320.0, 240.0, 460.0, 225, 70, 30));
    assert!(r.ok(), "{r:?}");
    let d = r.document.as_ref().unwrap();
    assert!(!d.cut_off);
    let xs: Vec<f32> = d.quad.iter().map(|c| c[0]).collect();
    let (min, max) = (
        xs.iter().cloned().fold(1.0, f32::min),
        xs.iter().cloned().fold(0.0, f32::max),
    );
    // The card spans x = 90..550 of 640.
    assert!(
        (min - 90.0 / 640.0).abs() < 0.03 && (max - 550.0 / 640.0).abs() < 0.03,
        "{:?}",
        d.quad
    );
    assert!(r.text_height_px.unwrap() > 12.0);
}

#[test]
fn blur_lowers_sharpness_and_is_reported() {
    let sharp = report(photo(320.0, 240.0, 460.0, 225, 70, 30));
    let blurred = report(blur(&photo(320.0, 240.0, 460.0, 225, 70, 30), 4));
    assert!(
        blurred.sharpness < sharp.sharpness - 0.2,
        "{} vs {}",
        blurred.sharpness,
        sharp.sharpness
    );
    assert!(blurred.reasons.contains(&Reason::Blurry), "{blurred:?}");
}

#[test]
fn darkness_small_documents_cut_documents_and_empty_frames_are_retakes() {
    let dark = report(photo(320.0, 240.0, 460.0, 12, 4, 2));
    assert!(dark.reasons.contains(&Reason::Dark), "{dark:?}");
    let far = report(photo(320.0, 240.0, 80.0, 225, 70, 30));
    assert!(
        far.reasons.contains(&Reason::TooFar) || far.reasons.contains(&Reason::NoDocument),
        "{far:?}"
    );
    let cut = report(photo(120.0, 240.0, 460.0, 225, 70, 30));
    assert!(cut.reasons.contains(&Reason::CutOff), "{cut:?}");
    let empty = report(Luma::new(W, H, (0..W * H).map(|i| 70 + (i % 9) as u8).collect()).unwrap());
    assert_eq!(empty.reasons, [Reason::NoDocument]);
}

#[test]
fn thresholds_are_named_and_checked() {
    let mut t = Thresholds::default();
    t.set("minSharpness", 0.2).unwrap();
    assert_eq!(t.min_sharpness, 0.2);
    assert!(t
        .set("minSharpness", 2.0)
        .unwrap_err()
        .contains("minSharpness"));
    assert!(t.set("minTextHeightPx", -1.0).is_err());
    assert!(t.set("sharpest", 0.5).unwrap_err().contains("sharpest"));
    // A lenient threshold clears the reason.
    let blurred = blur(&photo(320.0, 240.0, 460.0, 225, 70, 30), 4);
    let mut lenient = Thresholds::default();
    lenient.set("minSharpness", 0.0).unwrap();
    lenient.set("minPrintDensity", 0.0).unwrap();
    lenient.set("minStrokeBalance", 0.0).unwrap();
    assert!(!assess(blurred, 2048, Layout::Licence, &lenient)
        .reasons
        .contains(&Reason::Blurry));
}

#[test]
fn mismatched_sizes_are_refused_not_panicked_on() {
    assert!(Luma::new(10, 10, vec![0; 99]).is_none());
    assert!(Luma::new(0, 10, vec![]).is_none());
    assert!(Luma::from_rgba(2, 2, &[0; 15], 640).is_none());
    // Tiny and flat pictures get a report, not a panic.
    let r = report(Luma::new(1, 1, vec![0]).unwrap());
    assert!(!r.ok());
}

#[test]
fn motion_blur_along_one_direction_is_blurry() {
    // 13 px at 640 is a 42 px smear on the 2048 px photo that is sent: unreadable.
    let smeared = report(smear(&photo(320.0, 240.0, 460.0, 225, 70, 30), 13));
    assert!(smeared.reasons.contains(&Reason::Blurry), "{smeared:?}");
    assert!(smeared.stroke_balance < 0.45, "{smeared:?}");
}

#[test]
fn a_blank_card_or_a_checked_tablecloth_is_no_document() {
    let blank = report(photo(320.0, 240.0, 460.0, 225, 70, 225));
    assert!(blank.reasons.contains(&Reason::NoDocument), "{blank:?}");
    let checks: Vec<u8> = (0..W * H)
        .map(|i| {
            if ((i % W) / 40 + (i / W) / 40).is_multiple_of(2) {
                60
            } else {
                140
            }
        })
        .collect();
    let checks = report(Luma::new(W, H, checks).unwrap());
    assert!(checks.reasons.contains(&Reason::NoDocument), "{checks:?}");
}

#[test]
fn a_scan_filling_the_frame_is_not_no_document() {
    // Paper edge to edge (no table): no outline to find, but the middle is full of print.
    let scan = report(photo(
        320.0,
        240.0,
        640.0 * 88.0 / 60.0 * 0.75,
        225,
        225,
        30,
    ));
    assert!(!scan.reasons.contains(&Reason::NoDocument), "{scan:?}");
}
