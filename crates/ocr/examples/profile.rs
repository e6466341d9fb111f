//! Where the time and the memory go (development aid, not a test): per stage of a reading —
//! decode, detection (the model, then the post-processing), recognition of every line, the
//! second readings — for photos of a corpus made by bench/ocr/corpus.py.
//!
//! `RTEN_NUM_THREADS=1 cargo run --release -p vehicle-doc-ocr-local --example profile --
//! <corpus dir> [--every N] [--limit N] [--prepack] [--lines] [--whole-picture] [--reread-line]`
//!
//! Prints per photo and in total: milliseconds per stage and the process's peak resident memory
//! (VmHWM, Linux) after each stage. `--prepack` loads the models with rten's weight prepacking;
//! `--lines` prints a digest of every line read (to compare two settings: same digest, same
//! reading), never the text itself.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::time::Instant;
use vehicle_doc_ocr_local::{truth, Engine, CHECKOUT_MODELS_DIR};

fn main() {
    let args = support::Args::parse();
    let (dir, every, limit) = (args.dir.clone(), args.every, args.limit);
    let prepack = args.flag("--prepack");
    let show_lines = args.flag("--lines");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.join("manifest.json")).unwrap()).unwrap();
    let models = std::path::Path::new(CHECKOUT_MODELS_DIR);
    let read = |n: &str| std::fs::read(models.join(n)).unwrap();
    let t = Instant::now();
    let mut engine = Engine::with_prepack(
        read("ch_PP-OCRv4_det_infer.onnx"),
        read("ch_PP-OCRv4_rec_infer.onnx"),
        &String::from_utf8(read("ppocr_keys_v1.txt")).unwrap(),
        prepack,
    )
    .unwrap();
    engine.options = args.engine_options(engine.options);
    eprintln!(
        "load {:.0} ms, VmHWM {:.0} MB (prepack {prepack})",
        t.elapsed().as_secs_f64() * 1e3,
        support::peak_mb()
    );
    println!("photo  lines | decode det-model det-post recognize reread | total ms | VmHWM after each stage MB");
    let mut sums = [0f64; 6];
    let mut n = 0;
    for (i, photo) in manifest["photos"].as_array().unwrap().iter().enumerate() {
        if i % every != 0 || n >= limit {
            continue;
        }
        let Some(doc) = photo["document"].as_str().and_then(truth::document) else {
            continue;
        };
        let bytes = std::fs::read(dir.join(photo["file"].as_str().unwrap())).unwrap();
        let t0 = Instant::now();
        let mut marks: Vec<(Instant, f64)> = Vec::new();
        let (lines, reading) = engine
            .read_document_staged(&bytes, doc, None, |_| {
                marks.push((Instant::now(), support::peak_mb()))
            })
            .unwrap();
        let ms = |a: Instant, b: Instant| (b - a).as_secs_f64() * 1e3;
        let mut st = [0f64; 6];
        let mut prev = t0;
        for (k, (t, _)) in marks.iter().enumerate().take(5) {
            st[k] = ms(prev, *t);
            prev = *t;
        }
        st[5] = ms(t0, prev);
        for (s, v) in sums.iter_mut().zip(st) {
            *s += v;
        }
        n += 1;
        let m: Vec<f64> = marks.iter().map(|m| m.1).collect();
        println!(
            "{:>5} {:>6} | {:>6.0} {:>9.0} {:>8.0} {:>9.0} {:>6.0} | {:>8.0} | {:?}",
            i,
            lines.len(),
            st[0],
            st[1],
            st[2],
            st[3],
            st[4],
            st[5],
            m
        );
        if show_lines {
            let mut h = DefaultHasher::new();
            for l in &lines {
                l.text.hash(&mut h);
                for c in &l.chars {
                    c.1.to_bits().hash(&mut h);
                }
            }
            for f in &reading.fields {
                f.field.hash(&mut h);
                f.acceptance.as_str().hash(&mut h);
                f.min_confidence.to_bits().hash(&mut h);
            }
            println!("      digest {:016x}", h.finish());
        }
    }
    let nf = n.max(1) as f64;
    println!(
        "mean over {n}: decode {:.0}, det-model {:.0}, det-post {:.0}, recognize {:.0}, reread {:.0}, total {:.0} ms; VmHWM {:.0} MB",
        sums[0] / nf, sums[1] / nf, sums[2] / nf, sums[3] / nf, sums[4] / nf, sums[5] / nf, support::peak_mb()
    );
}
