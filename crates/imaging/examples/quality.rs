//! The quality report of each JPEG given on the command line, one JSON line per file (for the
//! calibration in bench/ocr/calibrate.py). `cargo run --release -p vehicle-doc-ocr-imaging
//! --example quality -- [--certificate] FILE...`; a path ending in `.list` holds one file per line.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;
use vehicle_doc_ocr_imaging::quality::{assess, Layout, Luma, Thresholds, MAX_ANALYSIS_SIDE};

fn main() {
    let mut layout = Layout::Licence;
    let mut files = Vec::new();
    for a in std::env::args().skip(1) {
        if a == "--certificate" {
            layout = Layout::Certificate;
        } else if let Some(list) = a.strip_suffix(".list").map(|_| a.clone()) {
            files.extend(
                std::fs::read_to_string(list)
                    .unwrap()
                    .lines()
                    .map(str::to_owned),
            );
        } else {
            files.push(a);
        }
    }
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
            std::hint::black_box(assess(
                luma.clone(),
                w.max(h) as u32,
                layout,
                &Thresholds::default(),
            ));
        }
        let r = assess(luma, w.max(h) as u32, layout, &Thresholds::default());
        let ms = t1.elapsed().as_secs_f64() * 1000.0;
        let reduce_ms = (t1 - t0).as_secs_f64() * 1000.0;
        let doc = r.document.as_ref().map_or("null".to_owned(), |d| {
            format!(
                "{{\"quad\":{:?},\"fill\":{:.4},\"cutOff\":{},\"score\":{:.4}}}",
                d.quad, d.fill, d.cut_off, d.score
            )
        });
        let reasons: Vec<String> = r
            .reasons
            .iter()
            .map(|x| format!("\"{}\"", x.code()))
            .collect();
        println!(
            "{{\"file\":{:?},\"reasons\":[{}],\"sharpness\":{:.4},\"brightness\":{:.4},\"glareRatio\":{:.4},\"textHeightPx\":{},\"document\":{},\"ms\":{:.2},\"reduceMs\":{:.2}}}",
            path,
            reasons.join(","),
            r.sharpness,
            r.brightness,
            r.glare_ratio,
            r.text_height_px.map_or("null".to_owned(), |v| format!("{v:.2}")),
            doc,
            ms,
            reduce_ms
        );
    }
}
