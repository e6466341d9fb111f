// On-device reading in browsers (`recognize(image, { local })`, issue 14): the reading runs in
// one module Web Worker per page (local-worker-browser.js, started on the first `local` call, its
// engine kept; the page stays responsive). The worker fetches vehicle_doc_ocr_local_bg.wasm and
// the PP-OCRv4 models (by default the folder `models/` next to that .wasm; `local: { models }` is
// the URL of another folder) on the first reading only, and keeps the models in the Cache API.
// A page that never passes `local` never starts the worker, so never fetches any of it.
import { ConfigError } from "./errors.js";
import { localClient } from "./local-client.js";
import { wasmLocation } from "./wasm.js";

const base = () => globalThis.location?.href;

/** An absolute URL (a string) from what the caller gave, resolved against the page. */
function absolute(v, what) {
  try {
    return new URL(String(v), base()).href;
  } catch {
    throw new ConfigError(`${what} must be a URL (absolute, or relative to the page)`);
  }
}

/** The browser's rule for `configureWasm({ local })`: what its Web Worker can receive and load. */
const WORKER_LOCATION = {
  url: (v) => absolute(v, "configureWasm(): `local`"),
  responses: false,
  expected: "a URL, bytes or a WebAssembly.Module (the worker cannot receive a Response)",
};

/** `local.models` (a non-empty string, checked in Rust with the other options) as a folder URL. */
function modelsFolder(local) {
  if (local.models === undefined) return null;
  const url = absolute(local.models, "option `local.models`");
  return url.endsWith("/") ? url : `${url}/`;
}

const NOT_LOADED =
  "the local-reading Web Worker (local-worker-browser.js) could not be loaded: it is emitted by Vite and webpack 5 " +
  "and served next to the package's code with native modules; with esbuild, bundle it as a second ESM entry point " +
  "named local-worker-browser next to your bundle (see the README); a CSP needs worker-src 'self'";

const client = localClient(({ message, failed }) => {
  if (typeof Worker !== "function") {
    throw new ConfigError("local reading runs in a Web Worker, which this runtime does not have (it needs module workers: Chrome 80, Safari 15, Firefox 114)");
  }
  let w;
  try {
    // This exact form is what Vite and webpack 5 recognise to emit the worker.
    w = new Worker(new URL("./local-worker-browser.js", import.meta.url), { type: "module" });
  } catch {
    throw new ConfigError(NOT_LOADED); // e.g. an IIFE bundle (no import.meta.url) or a CSP refusal
  }
  w.onmessage = (e) => message(e.data);
  w.onerror = (e) => {
    e.preventDefault?.();
    failed();
  };
  w.onmessageerror = () => failed();
  return { post: (m) => w.postMessage(m), terminate: () => w.terminate(), busy: () => {} };
}, () => new ConfigError(NOT_LOADED));

/**
 * How many workers were started, the largest wasm memory a reading left in the worker and in
 * its helper, and how many rectangles the helper recognized (bench, tests).
 */
export const localStats = client.stats;

/** `helper: false`: the worker reads alone, without its helper (tests compare the readings). */
export const localSettings = { helper: true };

/** `{ result, settled, fields }` for `bytes` of `document`, read in this page's Web Worker. */
export async function readLocally(local, bytes, document, { signal, wasm } = {}) {
  const where = wasm === undefined || wasm === null ? null : wasmLocation("local", wasm, WORKER_LOCATION);
  return client.read({ wasm: where, models: modelsFolder(local), bytes, document, helper: localSettings.helper }, signal);
}
