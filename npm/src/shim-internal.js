// Internal entry for the Cloudflare Worker shim (worker/src/index.js). Not part of the public
// API and not exported by package.json: it exposes the shim's decision functions (Rust,
// crates/core/src/shim) from the same wasm instance that `recognize` uses.
import module from "../wasm/vehicle_doc_ocr_bg.wasm";
import * as wasm from "../wasm/vehicle_doc_ocr.js";

export { recognize, ready } from "./workerd.js";

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
