//! The reading as a state machine (`Reading`, its jobs recognized by a second, recognition-only
//! `Recognizer` through the wire encoding) gives exactly the direct reading: the same lines, the
//! same fields, the same verdicts.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;
use vehicle_doc_ocr_local::engine::{reread_rect, Line};
use vehicle_doc_ocr_local::reading::{decode_jobs, decode_results, encode_jobs, encode_results};
use vehicle_doc_ocr_local::{
    engine_from_dir, extract_with_reread, Reading, Recognizer, CHECKOUT_MODELS_DIR,
};

#[test]
fn the_state_machine_split_over_two_recognizers_reads_exactly_as_the_direct_reading() {
    let models = Path::new(CHECKOUT_MODELS_DIR);
    let engine = engine_from_dir(models).unwrap_or_else(|e| panic!("{e}"));
    let helper = Recognizer::new(
        std::fs::read(models.join("ch_PP-OCRv4_rec_infer.onnx")).unwrap(),
        &std::fs::read_to_string(models.join("ppocr_keys_v1.txt")).unwrap(),
    )
    .unwrap();
    let max = engine.options.max_rec_width;
    for common::Fixture {
        file, doc, bytes, ..
    } in common::fixtures()
    {
        let today = Some("2026-01-01".to_owned());

        // Direct: detection, every line, then the second readings asked for on the way.
        let mut reading = Reading::start(&engine, &bytes, doc, today.clone()).unwrap();
        let luma = reading.picture().clone();
        let lines: Vec<Line> = engine
            .document_regions(&luma, doc, |_| {})
            .unwrap()
            .into_iter()
            .filter_map(|r| engine.recognize(&luma, r).unwrap())
            .collect();
        let direct = extract_with_reread(doc, &lines, today.clone(), |line, start| {
            engine
                .recognize(&luma, reread_rect(line, start, true))
                .unwrap()
        });

        // The state machine, each step's jobs split: the first part here, the rest on the
        // recognition-only helper, given the picture and the jobs on the wire.
        let mut steps = 0;
        while !reading.is_done() {
            let jobs = reading.jobs().to_vec();
            let k = reading.split();
            assert!(k <= jobs.len());
            let mine: Vec<Option<Line>> = jobs[..k]
                .iter()
                .map(|r| engine.recognize(&luma, *r).unwrap())
                .collect();
            let theirs: Vec<Option<Line>> = decode_jobs(&encode_jobs(&jobs[k..]))
                .unwrap()
                .into_iter()
                .map(|r| helper.recognize(&luma, r, max).unwrap())
                .collect();
            let mut wire = encode_results(&mine);
            wire.extend(encode_results(&theirs));
            reading.feed(decode_results(&wire, &jobs).unwrap()).unwrap();
            steps += 1;
        }
        assert_eq!(steps, 2, "{file}: the lines, then the second readings");
        let (machine_lines, machine) = reading.finish().unwrap();
        assert_eq!(machine_lines, lines, "{file}: lines");
        assert_eq!(machine.fields, direct.fields, "{file}: verdicts");
        assert_eq!(
            serde_json::to_value(&machine.result).unwrap(),
            serde_json::to_value(&direct.result).unwrap(),
            "{file}: fields"
        );
        // And the engine's own loop.
        let (engine_lines, own) = engine.read_document(&bytes, doc, today).unwrap();
        assert_eq!(engine_lines, lines, "{file}: lines");
        assert_eq!(own.fields, direct.fields, "{file}: verdicts");
    }
}

#[test]
fn a_feed_of_the_wrong_length_or_a_truncated_encoding_is_an_error_not_a_panic() {
    let engine = engine_from_dir(Path::new(CHECKOUT_MODELS_DIR)).unwrap_or_else(|e| panic!("{e}"));
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let bytes = std::fs::read(dir.join("licence-0080.jpg")).unwrap();
    let doc = vehicle_doc_ocr_core::DocumentKind::VehicleLicenseFront;
    let mut reading = Reading::start(&engine, &bytes, doc, None).unwrap();
    let jobs = reading.jobs().to_vec();
    assert!(!jobs.is_empty());
    let results: Vec<Option<Line>> = jobs
        .iter()
        .map(|r| engine.recognize(reading.picture(), *r).unwrap())
        .collect();
    let wire = encode_results(&results);
    assert!(decode_results(&wire[..wire.len() - 1], &jobs).is_err());
    assert!(decode_results(&wire, &jobs[1..]).is_err());
    assert!(decode_jobs(&[1.0; 7]).is_err());
    assert!(reading.feed(results[1..].to_vec()).is_err());
    assert!(reading.is_done() && reading.finish().is_none());
}
