//! The quality report of each JPEG given on the command line, one JSON line per file (for the
//! calibration in bench/ocr/calibrate.py). `cargo run --release -p vehicle-doc-ocr-imaging
//! --example quality -- [--certificate] [--thresholds FILE] FILE...`; a path ending in `.list`
//! holds one file per line (optionally followed by ` certificate` or ` licence`).
//!
//! `--thresholds FILE`: a JSON array of threshold sets (`[{"minSharpness": 0.5, ...}, ...]`,
//! the JS names; missing names keep their defaults). Each line then also carries `"verdicts"`:
//! the reasons under each set, in order, judged by the same Rust rules as the report (so a grid
//! search never re-implements them). `minDocumentScore` is taken from the first set only (the
//! document search uses it).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;
use vehicle_doc_ocr_imaging::quality::{assess, Layout, Luma, Thresholds, MAX_ANALYSIS_SIDE};

/// A flat JSON array of objects of numbers, as the calibration writes it.
fn parse_sets(text: &str) -> Vec<Thresholds> {
    text.split('{')
        .skip(1)
        .map(|o| o.split('}').next().unwrap_or("").trim())
        .map(|o| {
            let mut t = Thresholds::default();
            for kv in o.split(',').filter(|kv| !kv.trim().is_empty()) {
                let (k, v) = kv.split_once(':').expect("name: value");
                let k = k.trim().trim_matches('"');
                t.set(k, v.trim().parse().expect("a number"))
                    .expect("a threshold");
            }
            t
        })
        .collect()
}

fn main() {
    let mut layout = Layout::Licence;
    let mut files = Vec::new();
    let mut sets = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--certificate" {
            layout = Layout::Certificate;
        } else if a == "--thresholds" {
            sets = parse_sets(&std::fs::read_to_string(args.next().expect("a file")).unwrap());
        } else if a.ends_with(".list") {
            files.extend(
                std::fs::read_to_string(&a)
                    .unwrap()
                    .lines()
                    .map(str::to_owned),
            );
        } else {
            files.push(a);
        }
    }
    let base = sets.first().cloned().unwrap_or_default();
    for f in files {
        let (path, layout) = match f.split_once(' ') {
            Some((p, "certificate")) => (p.to_owned(), Layout::Certificate),
            Some((p, _)) => (p.to_owned(), Layout::Licence),
            None => (f.clone(), layout),
        };
        let bytes = std::fs::read(&path).unwrap();
        let mut dec = jpeg_decoder::Decoder::new(&bytes[..]);
        let px = dec.decode().unwrap();
        let info = dec.info().unwrap();
        let (w, h) = (usize::from(info.width), usize::from(info.height));
        let rgba: Vec<u8> = match info.pixel_format {
            jpeg_decoder::PixelFormat::L8 => px.iter().flat_map(|&v| [v, v, v, 255]).collect(),
            _ => px
                .chunks_exact(3)
                .flat_map(|p| [p[0], p[1], p[2], 255])
                .collect(),
        };
        let t0 = Instant::now();
        let luma = Luma::from_rgba(w, h, &rgba, MAX_ANALYSIS_SIDE).unwrap();
        let t1 = Instant::now();
        // QUALITY_REPEAT=n: assess n more times (to measure CPU time with `time` on a busy machine).
        let repeat: usize = std::env::var("QUALITY_REPEAT")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        for _ in 0..repeat {
            std::hint::black_box(assess(luma.clone(), w.max(h) as u32, layout, &base));
        }
        let r = assess(luma, w.max(h) as u32, layout, &base);
        let ms = t1.elapsed().as_secs_f64() * 1000.0;
        let reduce_ms = (t1 - t0).as_secs_f64() * 1000.0;
        let doc = r.document.as_ref().map_or("null".to_owned(), |d| {
            format!(
                "{{\"quad\":{:?},\"fill\":{:.4},\"cutOff\":{},\"score\":{:.4}}}",
                d.quad, d.fill, d.cut_off, d.score
            )
        });
        let codes = |reasons: &[vehicle_doc_ocr_imaging::quality::Reason]| {
            let v: Vec<String> = reasons
                .iter()
                .map(|x| format!("\"{}\"", x.code()))
                .collect();
            format!("[{}]", v.join(","))
        };
        let verdicts: Vec<String> = sets.iter().map(|t| codes(&r.judge(t))).collect();
        println!(
            "{{\"file\":{:?},\"reasons\":{},\"sharpness\":{:.4},\"brightness\":{:.4},\"glareRatio\":{:.4},\"printDensity\":{:.4},\"strokeBalance\":{:.4},\"printAtEdge\":{:.4},\"textHeightPx\":{},\"document\":{},\"ms\":{:.2},\"reduceMs\":{:.2},\"verdicts\":[{}]}}",
            path,
            codes(&r.reasons),
            r.sharpness,
            r.brightness,
            r.glare_ratio,
            r.print_density,
            r.stroke_balance,
            r.print_at_edge,
            r.text_height_px.map_or("null".to_owned(), |v| format!("{v:.2}")),
            doc,
            ms,
            reduce_ms,
            verdicts.join(",")
        );
    }
}
