//! `LocalEngine`: on-device reading (`crates/ocr`, PP-OCRv4 through rten) in its own module
//! (feature `local`). Converts and delegates: the reading, the fields and the acceptance rule are
//! in `vehicle-doc-ocr-local`. With the feature `local-profile` too, the measurement-only
//! `withPrepack` and `profileDocument` (bench/local-profile.mjs builds that module itself).

use crate::convert::{error_to_js, set, to_js};
use vehicle_doc_ocr_core::{DocumentKind, ErrorCode, OcrError};
use vehicle_doc_ocr_imaging::quality::Luma;
use vehicle_doc_ocr_local::reading::{decode_jobs, decode_results, encode_jobs, encode_results};
use vehicle_doc_ocr_local::{Engine, LocalError, LocalReading, Reading, Recognizer};
use wasm_bindgen::prelude::*;

fn local_error(e: &LocalError) -> JsValue {
    let code = match e.code() {
        "INVALID_IMAGE" => ErrorCode::InvalidImage,
        "LOCAL_MODEL" => ErrorCode::Config,
        _ => ErrorCode::ProviderError,
    };
    error_to_js(&OcrError::new(code, e.to_string()).with_retryable(false))
}

/// The engine, built once from the model bytes (the detection and recognition ONNX files and the
/// recognizer's dictionary).
#[wasm_bindgen]
pub struct LocalEngine(Engine);

#[wasm_bindgen]
impl LocalEngine {
    #[wasm_bindgen(constructor)]
    pub fn new(det: Vec<u8>, rec: Vec<u8>, dict: &str) -> Result<LocalEngine, JsValue> {
        Engine::new(det, rec, dict)
            .map(LocalEngine)
            .map_err(|e| local_error(&e))
    }

    /// Reads `document` in the image bytes: `{ result, settled, fields: [{ field, acceptance,
    /// minConfidence }] }` (`result` is the typed result with `provider: "local"`; `settled`:
    /// every key field accepted, so no provider is needed: `vehicle_doc_ocr_local::cascade`).
    #[wasm_bindgen(js_name = readDocument)]
    pub fn read_document(&self, image: &[u8], document: &str) -> Result<JsValue, JsValue> {
        let doc = document_kind(document)?;
        let (_, reading) = self
            .0
            .read_document(image, doc, Some(crate::convert::today()))
            .map_err(|e| local_error(&e))?;
        reading_to_js(doc, &reading)
    }

    /// [`LocalEngine::read_document`] step by step: decodes the image and detects the document's
    /// lines, then hands back the reading, whose jobs (rectangles of its gray picture to
    /// recognize) may be shared with a [`LocalRecognizer`] in another worker.
    #[wasm_bindgen(js_name = startDocument)]
    pub fn start_document(&self, image: &[u8], document: &str) -> Result<LocalSteps, JsValue> {
        let doc = document_kind(document)?;
        Reading::start(&self.0, image, doc, Some(crate::convert::today()))
            .map(|reading| LocalSteps { reading, doc })
            .map_err(|e| local_error(&e))
    }

    /// Recognizes jobs `from..to` of the reading's current step here: their results, encoded
    /// (`LocalSteps.feed` takes the results of every job, these followed by the rest's).
    #[wasm_bindgen(js_name = recognizeJobs)]
    pub fn recognize_jobs(
        &self,
        steps: &LocalSteps,
        from: usize,
        to: usize,
    ) -> Result<Vec<u8>, JsValue> {
        let jobs = steps
            .reading
            .jobs()
            .get(from..to)
            .ok_or_else(|| local_error(&LocalError::Input("no such jobs")))?;
        let results = jobs
            .iter()
            .map(|r| self.0.recognize(steps.reading.picture(), *r))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| local_error(&e))?;
        Ok(encode_results(&results))
    }
}

fn document_kind(document: &str) -> Result<DocumentKind, JsValue> {
    DocumentKind::parse(document).ok_or_else(|| {
        error_to_js(&OcrError::config(
            "option `document` must be \"vehicleLicenseFront\", \"vehicleLicenseBack\" or \"registrationCertificate\"",
        ))
    })
}

/// `{ result, settled, fields }` (see [`LocalEngine::read_document`]).
fn reading_to_js(doc: DocumentKind, reading: &LocalReading) -> Result<JsValue, JsValue> {
    let o = js_sys::Object::new();
    set(
        &o,
        "result",
        &to_js(&reading.result).map_err(|e| error_to_js(&e))?,
    );
    let fields: js_sys::Array = reading
        .fields
        .iter()
        .map(|f| -> JsValue {
            let v = js_sys::Object::new();
            set(&v, "field", &JsValue::from_str(f.field));
            set(&v, "acceptance", &JsValue::from_str(f.acceptance.as_str()));
            set(
                &v,
                "minConfidence",
                &JsValue::from_f64(f64::from(f.min_confidence)),
            );
            v.into()
        })
        .collect();
    set(&o, "fields", &fields);
    set(
        &o,
        "settled",
        &JsValue::from_bool(vehicle_doc_ocr_local::cascade::settled(doc, reading)),
    );
    Ok(o.into())
}

/// A document reading in progress ([`LocalEngine::start_document`]): while not `done`, its jobs
/// are recognized (here with [`LocalEngine::recognize_jobs`], elsewhere with a
/// [`LocalRecognizer`] given [`LocalSteps::gray`]) and their results fed back in order.
#[wasm_bindgen]
pub struct LocalSteps {
    reading: Reading,
    doc: DocumentKind,
}

#[wasm_bindgen]
impl LocalSteps {
    /// Whether the reading is over (`finish`).
    #[wasm_bindgen(getter)]
    pub fn done(&self) -> bool {
        self.reading.is_done()
    }

    /// How many jobs the current step has.
    #[wasm_bindgen(getter, js_name = jobCount)]
    pub fn job_count(&self) -> usize {
        self.reading.jobs().len()
    }

    /// Where to cut the jobs between two workers: `0..split` and `split..jobCount`, about the
    /// same recognition work each.
    #[wasm_bindgen(getter)]
    pub fn split(&self) -> usize {
        self.reading.split()
    }

    /// Jobs `from..to`, encoded for [`LocalRecognizer::recognize`] (six numbers each).
    pub fn jobs(&self, from: usize, to: usize) -> Result<Vec<f32>, JsValue> {
        self.reading
            .jobs()
            .get(from..to)
            .map(encode_jobs)
            .ok_or_else(|| local_error(&LocalError::Input("no such jobs")))
    }

    /// The gray picture's pixels (`width` × `height`, row by row): what a [`LocalRecognizer`]
    /// needs, once per reading.
    pub fn gray(&self) -> Vec<u8> {
        self.reading.picture().pixels.clone()
    }

    #[wasm_bindgen(getter)]
    pub fn width(&self) -> usize {
        self.reading.picture().width
    }

    #[wasm_bindgen(getter)]
    pub fn height(&self) -> usize {
        self.reading.picture().height
    }

    /// The encoded results of every job of the current step, in order (concatenated parts).
    pub fn feed(&mut self, results: &[u8]) -> Result<(), JsValue> {
        let results = decode_results(results, self.reading.jobs()).map_err(|e| local_error(&e))?;
        self.reading.feed(results).map_err(|e| local_error(&e))
    }

    /// The reading, once done: what [`LocalEngine::read_document`] gives.
    pub fn finish(self) -> Result<JsValue, JsValue> {
        let doc = self.doc;
        let (_, reading) = self
            .reading
            .finish()
            .ok_or_else(|| local_error(&LocalError::Inference("the reading's steps")))?;
        reading_to_js(doc, &reading)
    }
}

/// The recognition model alone (a second worker's share of a reading's jobs): built from the
/// recognition ONNX file and the dictionary; no detection model.
#[wasm_bindgen]
pub struct LocalRecognizer {
    rec: Recognizer,
    picture: Option<Luma>,
}

#[wasm_bindgen]
impl LocalRecognizer {
    #[wasm_bindgen(constructor)]
    pub fn new(rec: Vec<u8>, dict: &str) -> Result<LocalRecognizer, JsValue> {
        Recognizer::new(rec, dict)
            .map(|rec| LocalRecognizer { rec, picture: None })
            .map_err(|e| local_error(&e))
    }

    /// The gray picture of the reading whose jobs come next (`LocalSteps.gray`), replacing the
    /// previous one.
    #[wasm_bindgen(js_name = setPicture)]
    pub fn set_picture(
        &mut self,
        gray: Vec<u8>,
        width: usize,
        height: usize,
    ) -> Result<(), JsValue> {
        self.picture = None;
        self.picture = Some(
            Luma::new(width, height, gray)
                .ok_or_else(|| local_error(&LocalError::Input("the picture's size")))?,
        );
        Ok(())
    }

    /// Recognizes the encoded jobs (`LocalSteps.jobs`) on the picture: their results, encoded.
    pub fn recognize(&self, jobs: &[f32]) -> Result<Vec<u8>, JsValue> {
        let picture = self
            .picture
            .as_ref()
            .ok_or_else(|| local_error(&LocalError::Input("no picture was given")))?;
        let jobs = decode_jobs(jobs).map_err(|e| local_error(&e))?;
        let max = vehicle_doc_ocr_local::Options::default().max_rec_width;
        let results = jobs
            .iter()
            .map(|r| self.rec.recognize(picture, *r, max))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| local_error(&e))?;
        Ok(encode_results(&results))
    }
}

/// Measurement only (bench/local-profile.mjs), in a module of its own: built with the feature
/// `local-profile` (`scripts/build.sh --local-profile <dir>`), never in the shipped local module.
#[cfg(feature = "local-profile")]
#[wasm_bindgen]
impl LocalEngine {
    /// [`LocalEngine::new`] with rten's weight prepacking chosen (measurement: bench/local-profile.mjs).
    #[wasm_bindgen(js_name = withPrepack)]
    pub fn with_prepack(
        det: Vec<u8>,
        rec: Vec<u8>,
        dict: &str,
        prepack: bool,
    ) -> Result<LocalEngine, JsValue> {
        Engine::with_prepack(det, rec, dict, prepack)
            .map(LocalEngine)
            .map_err(|e| local_error(&e))
    }

    /// Measurement only (bench/local-profile.mjs): the reading of [`LocalEngine::read_document`]
    /// stage by stage, `[{ stage, ms, memoryBytes }]` (the wasm memory's size as the stage ends;
    /// no recognized value is returned).
    #[wasm_bindgen(js_name = profileDocument)]
    pub fn profile_document(&self, image: &[u8], document: &str) -> Result<JsValue, JsValue> {
        let doc = document_kind(document)?;
        use wasm_bindgen::JsCast;
        let memory = || -> f64 {
            wasm_bindgen::memory()
                .dyn_into::<js_sys::WebAssembly::Memory>()
                .map(|m| {
                    m.buffer()
                        .unchecked_into::<js_sys::ArrayBuffer>()
                        .byte_length() as f64
                })
                .unwrap_or(0.0)
        };
        let stages = js_sys::Array::new();
        let mut t = js_sys::Date::now();
        self.0
            .read_document_staged(image, doc, Some(crate::convert::today()), |stage| {
                let now = js_sys::Date::now();
                let v = js_sys::Object::new();
                set(&v, "stage", &JsValue::from_str(stage));
                set(&v, "ms", &JsValue::from_f64(now - t));
                set(&v, "memoryBytes", &JsValue::from_f64(memory()));
                stages.push(&v);
                t = now;
            })
            .map_err(|e| local_error(&e))?;
        Ok(stages.into())
    }
}
