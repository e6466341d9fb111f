#![no_main]
//! Any input: probe and prepare must return (never panic), and Ok output must fit the budget.

use libfuzzer_sys::fuzz_target;
use vehicle_doc_ocr_imaging::{base64_len, prepare, prepare_rgba, probe, PrepareOptions};

fuzz_target!(|data: &[u8]| {
    let _ = probe(data);
    let opts = PrepareOptions {
        max_base64_chars: 30_000,
        max_source_pixels: 4_000_000,
        ..PrepareOptions::default()
    };
    if let Ok(p) = prepare(data, &opts) {
        assert!(base64_len(p.jpeg.len()) <= opts.max_base64_chars);
    }
    if data.len() >= 2 {
        let (w, h) = (data[0] as u32 + 1, data[1] as u32 + 1);
        let _ = prepare_rgba(&data[2..], w, h, &opts);
    }
});
