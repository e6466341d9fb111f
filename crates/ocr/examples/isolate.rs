//! Benchmark (not a test): can the recognizer tell an engine number's `0` from `O` (and `1` from
//! `I`) by the glyph alone? Each such character of the engine numbers of a corpus made by
//! bench/ocr/corpus.py is cut out of its line (the line's height, `--w` times the line's
//! character pitch wide, centred where the recognizer emitted it) and read again on its own,
//! without the neighbours the recognizer otherwise leans on.
//!
//! `cargo run --release -p vehicle-doc-ocr-local --example isolate -- <corpus dir> [--every N]
//! [--w 1.0,1.3,1.8]`
//!
//! Prints, per crop width, how often each true character is read alone as itself, as its
//! confusable partner, or as something else, split at probability 0.9; and per true `0` and `O`
//! and what the line's reading made of it, the glyph's ink width over the value's digits
//! (`extract::glyph_ratio`, what rule 6 decides by): the evidence of docs/LOCAL_OCR.md's
//! acceptance rule 6. Use a corpus made with `CORPUS_ENGINE_OI=1`; `--w 0` skips the crops.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::collections::BTreeMap;
use vehicle_doc_ocr_local::geom::RotatedRect;
use vehicle_doc_ocr_local::{engine_from_dir, extract, truth, Line, Reading, CHECKOUT_MODELS_DIR};

const STUDIED: &str = "0O1I";

fn main() {
    let args = support::Args::parse();
    let dir = args.dir.clone();
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    let engine = engine_from_dir(std::path::Path::new(CHECKOUT_MODELS_DIR)).unwrap();
    let widths: Vec<f32> = args.opt("--w").map_or(vec![1.0, 1.3, 1.8], |s| {
        s.split(',').map(|x| x.parse().unwrap()).collect()
    });
    // (width index, truth, outcome) -> count
    let mut tally: BTreeMap<(usize, char, String), usize> = BTreeMap::new();
    // (truth, read) -> the glyph's width over the digits' (extract::glyph_ratio; NaN: none)
    let mut ratios: BTreeMap<(char, char), Vec<f32>> = BTreeMap::new();
    for photo in manifest["photos"]
        .as_array()
        .unwrap()
        .iter()
        .step_by(args.every)
    {
        let Some(doc) = photo["document"].as_str().and_then(truth::document) else {
            continue;
        };
        let want: Vec<char> = photo["values"]["engine"]
            .as_str()
            .unwrap_or("")
            .chars()
            .collect();
        if !want.iter().any(|c| STUDIED.contains(*c)) {
            continue;
        }
        let bytes = std::fs::read(dir.join(photo["file"].as_str().unwrap())).unwrap();
        let Ok(reading) = Reading::start(&engine, &bytes, doc, None) else {
            continue;
        };
        let luma = reading.picture();
        let lines: Vec<Line> = reading
            .jobs()
            .iter()
            .filter_map(|r| engine.recognize(luma, *r).unwrap())
            .collect();
        // The engine number's line: it ends with the true value, up to the studied characters.
        let same = |a: char, b: char| a == b || (STUDIED.contains(a) && STUDIED.contains(b));
        let Some((line, start)) = lines.iter().find_map(|l| {
            let start = l.chars.len().checked_sub(want.len())?;
            l.chars[start..]
                .iter()
                .zip(&want)
                .all(|(c, &t)| same(c.0, t))
                .then_some((l, start))
        }) else {
            continue;
        };
        let (pos, n) = (&line.positions, line.positions.len());
        if n < start + 2 {
            continue;
        }
        let pitch = (pos[n - 1] - pos[start]) / (n - 1 - start) as f32 * line.rect.width;
        let read: Vec<char> = line.chars[start..].iter().map(|c| c.0).collect();
        for (j, &t) in want.iter().enumerate() {
            if !STUDIED.contains(t) {
                continue;
            }
            if matches!(t, '0' | 'O') {
                let ratio = extract::glyph_ratio(&read, line.widths.get(start..).unwrap_or(&[]), j);
                ratios
                    .entry((t, read[j]))
                    .or_default()
                    .push(ratio.unwrap_or(f32::NAN));
            }
            let r = line.rect;
            let shift = (pos[start + j] - 0.5) * r.width;
            for (wi, &w) in widths.iter().enumerate() {
                let crop = RotatedRect {
                    center: [r.center[0] + shift * r.u[0], r.center[1] + shift * r.u[1]],
                    width: pitch * w,
                    ..r
                };
                let alone = engine.recognize(luma, crop).unwrap();
                let outcome = match alone.as_ref().map(|l| l.chars.as_slice()) {
                    Some([(c, p)]) if *c == t => format!("itself, p {}", band(*p)),
                    Some([(c, p)])
                        if STUDIED.contains(*c) && c.is_ascii_digit() != t.is_ascii_digit() =>
                    {
                        format!("its partner {c}, p {}", band(*p))
                    }
                    Some([_]) => "another character".to_owned(),
                    Some(_) => "several characters".to_owned(),
                    None => "nothing".to_owned(),
                };
                *tally.entry((wi, t, outcome)).or_default() += 1;
            }
        }
    }
    println!("glyph width over the value's digits 2-9 (extract::glyph_ratio), per truth/read:");
    for ((t, r), v) in &mut ratios {
        v.sort_by(f32::total_cmp);
        let shown: Vec<String> = v.iter().map(|x| format!("{x:.2}")).collect();
        println!("  true {t} read {r} ({}): {}", v.len(), shown.join(" "));
    }
    for (wi, w) in widths.iter().enumerate() {
        println!("\ncrop {w}x the character pitch");
        for ((i, t, outcome), n) in &tally {
            if *i == wi {
                println!("  true {t}: {outcome:<28} {n:>4}");
            }
        }
    }
}

fn band(p: f32) -> &'static str {
    if p >= 0.9 {
        ">= 0.9"
    } else {
        "< 0.9"
    }
}
