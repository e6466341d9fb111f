//! Benchmark (not a test): reads every photo of a corpus made by bench/ocr/corpus.py and
//! compares the fields with the ground truth in its manifest.
//!
//! `cargo run --release -p vehicle-doc-ocr-local --example read -- <corpus dir> [--every N]
//! [--only CONDITION] [--limit N] [--verbose] [--whole-picture] [--reread-line]
//! [--dump-chars FILE] [--without KEY,KEY…]`
//!
//! Prints per key field: read right, accepted, accepted but wrong (must be 0); the share of
//! photos fully settled without a provider (every key field accepted), by condition; time per
//! photo; peak memory (VmHWM); and, when `<corpus dir>/ocr.json` exists, the Python PP-OCRv4
//! reference's hits on the same photos. `--verbose` prints the fields read wrong (synthetic data).
//! The cascade table (issue 14), per condition: calls saved (photos settled: no provider call),
//! calls still paid, key fields accepted on the device in those paid calls (what the merge,
//! `core::cascade`, fills from the device when the provider's is empty or invalid, and checks
//! the provider's against otherwise), and accepted fields that are wrong (must be 0).
//! `--dump-chars FILE` writes one JSON line per key field read (synthetic data): its verdict,
//! whether it is right, and per character the first and second readings' probabilities and the
//! first reading's runner-up, with the true character where the lengths match: the evidence a
//! confidence bar is calibrated on (bench/ocr/calibrate_chars.py). `--without engine` settles a
//! call without those key fields (the manifest's names), as `local.keyFields` naming the others.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::collections::BTreeMap;
use std::time::Instant;
use vehicle_doc_ocr_local::{engine_from_dir, truth, CHECKOUT_MODELS_DIR};

#[derive(Default)]
struct Tally {
    n: usize,
    right: usize,
    accepted: usize,
    wrong_accepted: usize,
    ref_hits: usize,
    ref_n: usize,
}

fn main() {
    let args = support::Args::parse();
    let (dir, every, limit) = (args.dir.clone(), args.every, args.limit);
    let only = args.opt("--only");
    let verbose = args.flag("--verbose");
    let without: Vec<String> = args
        .opt("--without")
        .map(|s| s.split(',').map(str::to_owned).collect())
        .unwrap_or_default();
    let mut dump = args
        .opt("--dump-chars")
        .map(|p| std::io::BufWriter::new(std::fs::File::create(p).unwrap()));
    let manifest_path = ["manifest.json", "fixtures.json"]
        .iter()
        .map(|n| dir.join(n))
        .find(|p| p.exists())
        .expect("manifest.json or fixtures.json in the corpus dir");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(manifest_path).unwrap()).unwrap();
    let reference: serde_json::Value = std::fs::read(dir.join("ocr.json"))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or(serde_json::Value::Null);

    let t = Instant::now();
    let mut engine = engine_from_dir(std::path::Path::new(CHECKOUT_MODELS_DIR))
        .unwrap_or_else(|e| panic!("{e}"));
    engine.options = args.engine_options(engine.options);
    eprintln!("models loaded in {:.2} s", t.elapsed().as_secs_f64());

    let mut fields: BTreeMap<String, Tally> = BTreeMap::new();
    let mut settled: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    // Per condition: key fields accepted in paid calls, key fields in paid calls, wrong accepted.
    let mut paid: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    let mut ref_readable: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut times = Vec::new();
    let photos = manifest["photos"].as_array().unwrap();
    let mut done = 0;
    for (i, photo) in photos.iter().enumerate() {
        if i % every != 0 || done >= limit {
            continue;
        }
        let Some(doc) = photo["document"].as_str().and_then(truth::document) else {
            continue;
        };
        let condition = photo["condition"].as_str().unwrap_or("?").to_owned();
        if only.as_deref().is_some_and(|o| o != condition) {
            continue;
        }
        done += 1;
        let file = photo["file"].as_str().unwrap();
        let bytes = std::fs::read(dir.join(file)).unwrap();
        let t = Instant::now();
        let (lines, reading) = match engine.read_document(&bytes, doc, Some("2026-01-01".into())) {
            Ok(r) => r,
            Err(e) => {
                eprintln!("{file}: {}", e.code());
                let reading = vehicle_doc_ocr_local::extract(doc, &[], None);
                (Vec::new(), reading)
            }
        };
        let secs = t.elapsed().as_secs_f64();
        times.push(secs);
        // Key fields decide whether a call is settled; checked fields (the back page's
        // quantities) are only counted: a settled result returns them too, so a wrong one
        // accepted counts as wrong.
        let names = |k: &str| -> Vec<&str> {
            photo[k]
                .as_array()
                .map(|a| a.iter().map(|k| k.as_str().unwrap()).collect())
                .unwrap_or_default()
        };
        let key_fields: Vec<&str> = names("keyFields")
            .into_iter()
            .filter(|k| !without.iter().any(|w| w == k))
            .collect();
        let keys: Vec<&str> = key_fields
            .iter()
            .copied()
            .chain(names("checkedFields"))
            .collect();
        let mut all = true;
        let mut wrong = Vec::new();
        let (mut acc_n, mut wrong_n) = (0, 0);
        let r = &reference[file];
        for key in &keys {
            let field = truth::result_field(doc, key).unwrap();
            let want = photo["values"][key].as_str().unwrap();
            let got = truth::value(&reading.result, field);
            let ok = got.as_deref() == Some(want);
            let acc = reading.accepted(field);
            let t = fields.entry((*key).to_owned()).or_default();
            t.n += 1;
            t.right += usize::from(ok);
            t.accepted += usize::from(acc);
            t.wrong_accepted += usize::from(acc && !ok);
            if let Some(hit) = r["hits"][key].as_bool() {
                t.ref_n += 1;
                t.ref_hits += usize::from(hit);
            }
            let is_key = key_fields.contains(key);
            all &= acc || !is_key;
            acc_n += usize::from(acc && is_key);
            wrong_n += usize::from(acc && !ok);
            if let (Some(out), Some(f)) = (
                dump.as_mut(),
                reading.fields.iter().find(|f| f.field == field),
            ) {
                use std::io::Write;
                let truth: Vec<char> = want.chars().collect();
                let same_len = truth.len() == f.evidence.len();
                let chars: Vec<serde_json::Value> = f
                    .evidence
                    .iter()
                    .enumerate()
                    .map(|(j, e)| {
                        serde_json::json!({
                            "c": e.ch.to_string(),
                            "p1": e.first,
                            "p2": e.second,
                            "ru": e.runner_up.map(|r| r.0.to_string()),
                            "rp": e.runner_up.map(|r| r.1),
                            "t": same_len.then(|| truth[j].to_string()),
                        })
                    })
                    .collect();
                let line = serde_json::json!({
                    "file": file, "condition": condition, "document": photo["document"],
                    "key": key, "isKey": key_fields.contains(key),
                    "acceptance": f.acceptance.as_str(), "right": ok,
                    "minConfidence": f.min_confidence, "chars": chars,
                });
                writeln!(out, "{line}").unwrap();
            }
            if !ok || (verbose && !acc) {
                let (why, conf) = reading
                    .fields
                    .iter()
                    .find(|f| f.field == field)
                    .map_or(("-", 0.0), |f| (f.acceptance.as_str(), f.min_confidence));
                wrong.push(format!(
                    "{key}: {got:?} (want {want:?}, {why}, min p {conf:.3})"
                ));
            }
        }
        let p = paid.entry(condition.clone()).or_default();
        if !all {
            p.0 += acc_n;
            p.1 += key_fields.len();
        }
        p.2 += wrong_n;
        let s = settled.entry(condition.clone()).or_default();
        s.0 += usize::from(all);
        s.1 += 1;
        if let Some(readable) = r["readable"].as_bool() {
            let e = ref_readable.entry(condition.clone()).or_default();
            e.0 += usize::from(readable);
            e.1 += 1;
        }
        eprintln!(
            "{file} {:>11} {:>11} {:5.2} s  lines {:3}  settled {}{}",
            photo["document"].as_str().unwrap_or("?"),
            condition,
            secs,
            lines.len(),
            all,
            if verbose && !wrong.is_empty() {
                format!("\n    {}", wrong.join("\n    "))
            } else {
                String::new()
            }
        );
    }
    println!("\nkey field       n  read right  accepted  wrong accepted  reference hit");
    let mut tot = Tally::default();
    for (k, t) in &fields {
        println!(
            "{k:<12} {:>4} {:>10.1}% {:>8.1}% {:>15} {:>13}",
            t.n,
            100.0 * t.right as f64 / t.n.max(1) as f64,
            100.0 * t.accepted as f64 / t.n.max(1) as f64,
            t.wrong_accepted,
            if t.ref_n > 0 {
                format!("{:.1}%", 100.0 * t.ref_hits as f64 / t.ref_n as f64)
            } else {
                "-".into()
            }
        );
        tot.n += t.n;
        tot.right += t.right;
        tot.accepted += t.accepted;
        tot.wrong_accepted += t.wrong_accepted;
        tot.ref_hits += t.ref_hits;
        tot.ref_n += t.ref_n;
    }
    println!(
        "{:<12} {:>4} {:>10.1}% {:>8.1}% {:>15} {:>13}",
        "all",
        tot.n,
        100.0 * tot.right as f64 / tot.n.max(1) as f64,
        100.0 * tot.accepted as f64 / tot.n.max(1) as f64,
        tot.wrong_accepted,
        if tot.ref_n > 0 {
            format!("{:.1}%", 100.0 * tot.ref_hits as f64 / tot.ref_n as f64)
        } else {
            "-".into()
        }
    );
    println!("\ncondition     photos  settled locally  reference readable");
    for (c, (s, n)) in &settled {
        let rr = ref_readable
            .get(c)
            .map_or("-".to_owned(), |(a, b)| format!("{a}/{b}"));
        println!(
            "{c:<12} {n:>7} {s:>8} ({:.0}%) {rr:>14}",
            100.0 * *s as f64 / (*n).max(1) as f64
        );
    }
    println!("\nthe cascade (key fields)");
    println!("condition     photos  calls saved  calls paid  accepted on the device in paid calls  wrong accepted");
    let mut tot = (0, 0, 0, 0, 0);
    for (c, (s, n)) in &settled {
        let (a, k, w) = paid.get(c).copied().unwrap_or_default();
        println!(
            "{c:<12} {n:>7} {s:>5} ({:>3.0}%) {:>10} {a:>14} / {k:<4} ({:>3.0}%) {w:>15}",
            100.0 * *s as f64 / (*n).max(1) as f64,
            n - s,
            100.0 * a as f64 / k.max(1) as f64
        );
        tot = (tot.0 + n, tot.1 + s, tot.2 + a, tot.3 + k, tot.4 + w);
    }
    println!(
        "{:<12} {:>7} {:>5} ({:>3.0}%) {:>10} {:>14} / {:<4} ({:>3.0}%) {:>15}",
        "all",
        tot.0,
        tot.1,
        100.0 * tot.1 as f64 / tot.0.max(1) as f64,
        tot.0 - tot.1,
        tot.2,
        tot.3,
        100.0 * tot.2 as f64 / tot.3.max(1) as f64,
        tot.4
    );
    times.sort_by(f64::total_cmp);
    if !times.is_empty() {
        println!(
            "\ntime per photo (native, this machine): median {:.2} s, max {:.2} s, mean {:.2} s",
            times[times.len() / 2],
            times[times.len() - 1],
            times.iter().sum::<f64>() / times.len() as f64
        );
    }
    println!("peak memory: {:.0} MB (VmHWM)", support::peak_mb());
}
