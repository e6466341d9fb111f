//! Measurements behind docs/IMAGE_POLICY.md. Run in release:
//!   cargo run --release -p vehicle-doc-ocr-imaging --example measure [-- OUT_DIR]
//! With OUT_DIR, the generated source files are written there (for the wasm/Node measurement).
//! Timing uses std::time::Instant (fine natively; the library itself never reads a clock).

// A developer's measuring tool, never shipped: failing loudly is what it should do.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../tests/common/mod.rs"]
mod common;

use common::*;
use std::time::Instant;
use vehicle_doc_ocr_imaging::{base64_len, prepare, PrepareOptions};

fn luma(px: &[u8], ch: usize) -> Vec<f32> {
    if ch == 1 {
        return px.iter().map(|&v| v as f32).collect();
    }
    px.chunks(3)
        .map(|p| 0.299 * p[0] as f32 + 0.587 * p[1] as f32 + 0.114 * p[2] as f32)
        .collect()
}

/// Bilinear resample of a luma plane to (dw, dh) (used only to bring candidates onto one grid).
fn bilinear(src: &[f32], w: usize, h: usize, dw: usize, dh: usize) -> Vec<f32> {
    let mut out = vec![0f32; dw * dh];
    for y in 0..dh {
        let sy = ((y as f32 + 0.5) * h as f32 / dh as f32 - 0.5).clamp(0.0, (h - 1) as f32);
        let (y0, fy) = (sy as usize, sy.fract());
        let y1 = (y0 + 1).min(h - 1);
        for x in 0..dw {
            let sx = ((x as f32 + 0.5) * w as f32 / dw as f32 - 0.5).clamp(0.0, (w - 1) as f32);
            let (x0, fx) = (sx as usize, sx.fract());
            let x1 = (x0 + 1).min(w - 1);
            let a = src[y0 * w + x0] * (1.0 - fx) + src[y0 * w + x1] * fx;
            let b = src[y1 * w + x0] * (1.0 - fx) + src[y1 * w + x1] * fx;
            out[y * dw + x] = a * (1.0 - fy) + b * fy;
        }
    }
    out
}

fn psnr(a: &[f32], b: &[f32]) -> f64 {
    let mse: f64 = a
        .iter()
        .zip(b)
        .map(|(x, y)| ((x - y) as f64).powi(2))
        .sum::<f64>()
        / a.len() as f64;
    10.0 * (255.0f64 * 255.0 / mse.max(1e-9)).log10()
}

fn unsharp(rgb: &[u8], w: usize, h: usize, amount: f32) -> Vec<u8> {
    let mut out = rgb.to_vec();
    for y in 1..h - 1 {
        for x in 1..w - 1 {
            for c in 0..3 {
                let at = |xx: usize, yy: usize| rgb[(yy * w + xx) * 3 + c] as f32;
                let blur =
                    (at(x - 1, y) + at(x + 1, y) + at(x, y - 1) + at(x, y + 1) + 4.0 * at(x, y))
                        / 8.0;
                let v = at(x, y) + amount * (at(x, y) - blur);
                out[(y * w + x) * 3 + c] = v.clamp(0.0, 255.0) as u8;
            }
        }
    }
    out
}

fn main() {
    let out_dir = std::env::args().nth(1);
    let budget = 1_000_000usize;

    // ---- 1. Speed, encodes, budget use on document photos (default policy) ----
    println!("## prepare() with the default policy, budget {budget}\n");
    println!("| source | bytes in | ms | out px | q | encodes | base64 | use |");
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    let mut uses = Vec::new();
    let cases: Vec<(&str, u32, u32, u32, u8, bool)> = vec![
        ("12 MP card, noise 8", 4000, 3000, 60, 8, false),
        ("12 MP page, noise 14", 4000, 3000, 28, 14, false),
        (
            "12 MP page, noise 14, progressive",
            4000,
            3000,
            28,
            14,
            true,
        ),
        ("12 MP iPhone 4032x3024, noise 4", 4032, 3024, 40, 4, false),
        ("48 MP page, noise 14", 8000, 6000, 56, 14, false),
        ("48 MP card, noise 6", 8000, 6000, 120, 6, false),
        ("50 MP 8160x6120, noise 10", 8160, 6120, 60, 10, false),
        ("8 MP 3264x2448, noise 10", 3264, 2448, 30, 10, false),
    ];
    for (name, w, h, text, noise, progressive) in cases {
        let rgb = document_rgb(w, h, text, noise, w as u64 ^ text as u64);
        let src = if progressive {
            encode_jpeg_progressive(&rgb, w, h, 92)
        } else {
            encode_jpeg(&rgb, w, h, 92, jpeg_encoder::ColorType::Rgb)
        };
        drop(rgb);
        if let Some(d) = &out_dir {
            let file = format!("{d}/{}.jpg", name.replace([' ', ','], "_"));
            std::fs::write(file, &src).unwrap();
        }
        let o = PrepareOptions::default();
        let mut times = Vec::new();
        let mut last = None;
        for _ in 0..3 {
            let t = Instant::now();
            let p = prepare(&src, &o).unwrap();
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            last = Some(p);
        }
        times.sort_by(|a, b| a.partial_cmp(b).unwrap());
        let p = last.unwrap();
        let b64 = base64_len(p.jpeg.len());
        let use_ = b64 as f64 / budget as f64;
        uses.push(use_);
        println!(
            "| {name} | {} | {:.0} | {}x{} | {} | {} | {} | {:.1}% |",
            src.len(),
            times[1],
            p.width,
            p.height,
            p.quality.unwrap_or(0),
            p.encodes,
            b64,
            use_ * 100.0
        );
    }
    uses.sort_by(|a, b| a.partial_cmp(b).unwrap());
    println!(
        "\nmedian budget use {:.1}%, min {:.1}%\n",
        uses[uses.len() / 2] * 100.0,
        uses[0] * 100.0
    );

    // ---- 2. Long side vs quality under the 1M budget: fidelity to the clean document ----
    // Score: PSNR of the output (luma), bilinearly brought onto a 3200 px grid, against the
    // noise-free source rendered through the same pipeline at 3200 px and q 100.
    for (label, text, noise) in [
        ("card-like: glyphs 60 px at 4000 px", 60u32, 10u8),
        ("page-like: glyphs 28 px at 4000 px", 28, 14),
    ] {
        println!("## long side vs quality, 12 MP {label}, noise {noise}\n");
        println!("| long side | glyph px | q chosen | base64 | PSNR vs clean @ same size | PSNR vs clean @ 3200 grid |");
        println!("|---:|---:|---:|---:|---:|---:|");
        let (w, h) = (4000u32, 3000u32);
        let clean = document_rgb(w, h, text, 0, 5);
        let noisy = {
            let mut n = clean.clone();
            let mut r = Rng(77);
            for v in n.iter_mut() {
                let d = r.below(2 * noise as u64 + 1) as i32 - noise as i32;
                *v = (*v as i32 + d).clamp(0, 255) as u8;
            }
            n
        };
        let clean_jpeg = encode_jpeg(&clean, w, h, 100, jpeg_encoder::ColorType::Rgb);
        let noisy_jpeg = encode_jpeg(&noisy, w, h, 92, jpeg_encoder::ColorType::Rgb);
        let at = |src: &[u8], long: u32, minq: u8, maxq: u8, budget: usize| {
            let o = PrepareOptions {
                max_base64_chars: budget,
                max_long_side_px: long,
                min_quality: minq,
                max_quality: maxq,
                ..PrepareOptions::default()
            };
            let p = prepare(src, &o).unwrap();
            let (dw, dh, px, ch) = decode(&p.jpeg);
            (p, dw as usize, dh as usize, luma(&px, ch))
        };
        let (_, gw, gh, grid_ref) = at(&clean_jpeg, 3200, 100, 100, usize::MAX / 2);
        for long in [1600u32, 2000, 2048, 2560, 3200] {
            let (p, dw, dh, y) = at(&noisy_jpeg, long, 20, 95, budget);
            let (_, _, _, same_ref) = at(&clean_jpeg, long, 100, 100, usize::MAX / 2);
            let same = if same_ref.len() == y.len() {
                psnr(&y, &same_ref)
            } else {
                f64::NAN
            };
            let up = bilinear(&y, dw, dh, gw, gh);
            println!(
                "| {} | {:.0} | {} | {} | {:.2} dB | {:.2} dB |",
                p.width.max(p.height),
                text as f64 * p.width.max(p.height) as f64 / 4000.0,
                p.quality.unwrap_or(0),
                base64_len(p.jpeg.len()),
                same,
                psnr(&up, &grid_ref)
            );
        }
        println!();
        if text == 28 {
            // ---- 3. Quality floor: bytes and fidelity per quality at 2048 px ----
            println!("## quality vs bytes at 2048 px (page-like, noise {noise})\n");
            println!("| q | base64 | PSNR vs clean @ 2048 |");
            println!("|---:|---:|---:|");
            let (_, _, _, ref2048) = at(&clean_jpeg, 2048, 100, 100, usize::MAX / 2);
            for q in [50u8, 60, 70, 80, 85, 90, 92, 95] {
                let (p, _, _, y) = at(&noisy_jpeg, 2048, q, q, usize::MAX / 2);
                let s = if y.len() == ref2048.len() {
                    psnr(&y, &ref2048)
                } else {
                    f64::NAN
                };
                println!("| {q} | {} | {s:.2} dB |", base64_len(p.jpeg.len()));
            }
            println!();
            // ---- 4. Sharpening before encode ----
            println!("## unsharp mask before encoding, 2048 px, budget 1M (page-like)\n");
            println!("| amount | q chosen | base64 | PSNR vs clean @ same size |");
            println!("|---:|---:|---:|---:|");
            for amount in [0.0f32, 0.5, 1.0] {
                let sharp = if amount == 0.0 {
                    noisy.clone()
                } else {
                    unsharp(&noisy, w as usize, h as usize, amount)
                };
                let sj = encode_jpeg(&sharp, w, h, 92, jpeg_encoder::ColorType::Rgb);
                let (p, _, _, y) = at(&sj, 2048, 20, 95, budget);
                let (_, _, _, r) = at(&clean_jpeg, p.width.max(p.height), 100, 100, usize::MAX / 2);
                let s = if y.len() == r.len() {
                    psnr(&y, &r)
                } else {
                    f64::NAN
                };
                println!(
                    "| {amount} | {} | {} | {s:.2} dB |",
                    p.quality.unwrap_or(0),
                    base64_len(p.jpeg.len())
                );
            }
            println!();
            // ---- 5. Chroma subsampling at equal quality: bytes and luma/colour fidelity ----
            println!("## chroma subsampling at 2000 px, q 80 (page-like, red stamp)\n");
            println!("| sampling | base64 | luma PSNR vs clean | RGB PSNR vs clean |");
            println!("|---|---:|---:|---:|");
            let (p100, dw, dh, _) = at(&noisy_jpeg, 2048, 100, 100, usize::MAX / 2);
            let (_, _, px100, _) = decode(&p100.jpeg);
            let (pc, _, _, _) = at(&clean_jpeg, 2048, 100, 100, usize::MAX / 2);
            let (_, _, clean_px, _) = decode(&pc.jpeg);
            for (label, f) in [
                ("4:4:4", jpeg_encoder::SamplingFactor::F_1_1),
                ("4:2:0", jpeg_encoder::SamplingFactor::F_2_2),
            ] {
                let mut out = Vec::new();
                let mut e = jpeg_encoder::Encoder::new(&mut out, 80);
                e.set_sampling_factor(f);
                e.set_optimized_huffman_tables(true);
                e.encode(&px100, dw as u16, dh as u16, jpeg_encoder::ColorType::Rgb)
                    .unwrap();
                let (_, _, px, ch) = decode(&out);
                let rgb_psnr = psnr(
                    &px.iter().map(|&v| v as f32).collect::<Vec<_>>(),
                    &clean_px.iter().map(|&v| v as f32).collect::<Vec<_>>(),
                );
                println!(
                    "| {label} | {} | {:.2} dB | {:.2} dB |",
                    base64_len(out.len()),
                    psnr(&luma(&px, ch), &luma(&clean_px, 3)),
                    rgb_psnr
                );
            }
            println!();
        }
    }
}
