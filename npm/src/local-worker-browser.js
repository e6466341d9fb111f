// The module Web Worker of on-device reading in browsers (issue 14): loads
// vehicle_doc_ocr_local_bg.wasm (next to the package's wasm files, or where
// `configureWasm({ local })` says) and the PP-OCRv4 models (the folder `models/` next to that
// .wasm, or `local: { models }`), fetched on the first reading and kept in the Cache API
// (MODEL_CACHE, keyed by the package's version; the HTTP cache where there is no Cache API).
// Started by local-browser.js; the protocol is in local-worker.js. With two cores or more it
// starts one helper of its own: this script again, named HELPER (`serveHelper`: the recognition
// model and dictionary only, from the same cache bucket).
import init, { LocalEngine, LocalRecognizer } from "../wasm/vehicle_doc_ocr_local.js";
import { ConfigError } from "./errors.js";
import { MODEL_CACHE, MODEL_FILES, isModelCache, modelsMissing, serve, serveHelper } from "./local-worker.js";
import { wasmInput } from "./wasm.js";

/**
 * The cache bucket (this package's model buckets of other versions deleted, nothing else), or
 * null without the Cache API.
 */
let cacheOpened = null;
function openCache() {
  cacheOpened ??= (async () => {
    try {
      if (typeof caches === "undefined") return null;
      for (const name of await caches.keys()) {
        if (isModelCache(name) && name !== MODEL_CACHE) await caches.delete(name); // only our own old buckets
      }
      return await caches.open(MODEL_CACHE);
    } catch {
      return null; // e.g. an insecure context or storage disabled: the HTTP cache only
    }
  })();
  return cacheOpened;
}

async function modelFile(folder, file) {
  const url = new URL(file, folder).href;
  const cache = await openCache();
  const hit = cache ? await cache.match(url).catch(() => undefined) : undefined;
  if (hit) return hit;
  let res;
  try {
    res = await fetch(url);
  } catch (e) {
    throw modelsMissing(folder, `could not fetch ${file}: ${e?.name ?? "network error"}`);
  }
  if (!res.ok) throw modelsMissing(folder, `HTTP ${res.status} for ${file}`);
  if ((res.headers.get("content-type") ?? "").includes("text/html")) throw modelsMissing(folder, `got HTML instead of ${file}`);
  if (cache) await cache.put(url, res.clone()).catch(() => {});
  return res;
}

const HELPER = "vehicle-doc-ocr-local-helper";

/** The helper worker (see local-worker.js), or null with a single core or no nested workers. */
function spawnHelper({ message, failed }) {
  const w = new Worker(new URL("./local-worker-browser.js", import.meta.url), { type: "module", name: HELPER });
  w.onmessage = (e) => message(e.data);
  w.onerror = (e) => {
    e.preventDefault?.();
    failed();
  };
  w.onmessageerror = () => failed();
  return { post: (m, transfer) => w.postMessage(m, transfer), terminate: () => w.terminate() };
}

const common = {
  receive: (handler) => {
    self.onmessage = (e) => handler(e.data);
  },
  post: (m, transfer = []) => self.postMessage(m, transfer),
  async loadModule(wasm) {
    const source = wasm ?? new URL("../wasm/vehicle_doc_ocr_local_bg.wasm", import.meta.url);
    // Compiled here so that the helper is given the module (no second download or compilation).
    const input = await wasmInput(source, { stream: true });
    const module = input instanceof WebAssembly.Module ? input : input instanceof Response ? await WebAssembly.compileStreaming(input) : await WebAssembly.compile(input);
    const out = await init({ module_or_path: module });
    const where = typeof source === "string" || source instanceof URL ? new URL(String(source), self.location.href) : null;
    return { LocalEngine, LocalRecognizer, module, memory: out.memory, defaultModels: where ? new URL("models/", where).href : null };
  },
  modelsKey: (models, loaded) => models ?? loaded.defaultModels,
  async loadModels(models, loaded, files) {
    const folder = models ?? loaded.defaultModels;
    if (!folder) throw new ConfigError("configureWasm({ local }) was given the module itself, so the models folder cannot be found next to it: pass local: { models: \"<url of the folder>\" }");
    const got = await Promise.all(files.map((f) => modelFile(folder, MODEL_FILES[f])));
    const out = {};
    for (const [i, f] of files.entries()) out[f] = f === "dict" ? await got[i].text() : new Uint8Array(await got[i].arrayBuffer());
    return out;
  },
};

if (self.name === HELPER) serveHelper(common);
else {
  const cores = Number(self.navigator?.hardwareConcurrency ?? 1);
  serve({ ...common, spawnHelper: cores >= 2 && typeof Worker === "function" ? spawnHelper : null });
}
