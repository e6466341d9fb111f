// Internal entry for the Cloudflare Worker shim (worker/src/index.js). Not part of the public
// API and not exported by package.json: it exposes the shim's decision functions (Rust,
// crates/core/src/shim) from the same wasm instance that `recognize` uses.
import module from "../wasm/vehicle_doc_ocr_bg.wasm";
import * as wasm from "../wasm/vehicle_doc_ocr.js";

import { recognize as recognizeInWorker } from "./workerd.js";

export { ready } from "./workerd.js";
// The shim chooses the codec itself: without `PREPARE_IN_WORKER` its options carry
// `prepare: { codec: "none" }`; with it they carry none, which means re-encoding ("auto"), not the
// workerd entry's send-as-is default.
export const recognize = (image, options) => recognizeInWorker(image, { prepare: { codec: "auto" }, ...options });

let initialised = false;
function w() {
  if (!initialised) {
    wasm.initSync({ module }); // a no-op when workerd.js already instantiated the module
    initialised = true;
  }
  return wasm;
}

export const shimDecide = (env, req) => w().shimDecide(env, req);
export const shimCheckBody = (env, req, len, head) => w().shimCheckBody(env, req, len, head);
export const shimReject = (env, req, reason) => w().shimReject(env, req, reason);
export const shimErrorResponse = (env, req, error) => w().shimErrorResponse(env, req, error);
export const shimConfigProblems = (env) => w().shimConfigProblems(env);
