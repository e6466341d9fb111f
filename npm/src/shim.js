// `vehicle-doc-ocr/worker`: the entry of the Cloudflare Worker shim (worker/src/index.js, or your
// own Worker). `recognize` is the package's workerd entry; the shim's decisions (routing, CORS,
// token, limits, error mapping: crates/shim, Rust) come from their own wasm module, which no
// browser ever loads. Types: ../shim.d.ts.
import shimModule from "../wasm/vehicle_doc_ocr_shim_bg.wasm";
import * as shimWasm from "../wasm/vehicle_doc_ocr_shim.js";

import { recognize as recognizeInWorker } from "./workerd.js";

export { ready } from "./workerd.js";
// The shim chooses the codec itself: without `PREPARE_IN_WORKER` its options carry
// `prepare: { codec: "none" }`; with it they carry none, which means re-encoding ("auto"), whatever
// the workerd entry's own default is.
export const recognize = (image, options) => recognizeInWorker(image, { prepare: { codec: "auto" }, ...options });

let initialised = false;
/** One `Shim` per `env` object: workerd passes the same `env` to every request of an isolate. */
const shims = new WeakMap();

/**
 * The shim configured from the Worker's `env`, built once per `env` object: its configuration is
 * read and checked only when a new `env` is seen.
 */
export function shimFor(env) {
  const cacheable = typeof env === "object" && env !== null;
  let shim = cacheable ? shims.get(env) : undefined;
  if (shim === undefined) {
    if (!initialised) {
      shimWasm.initSync({ module: shimModule });
      initialised = true;
    }
    shim = new shimWasm.Shim(env ?? {});
    if (cacheable) shims.set(env, shim);
  }
  return shim;
}
