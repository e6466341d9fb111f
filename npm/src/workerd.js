// Entry for Cloudflare Workers (workerd): wrangler imports the .wasm as a WebAssembly.Module.
import module from "../wasm/vehicle_doc_ocr_bg.wasm";
import * as wasm from "../wasm/vehicle_doc_ocr.js";
import { createApi } from "./api.js";

const api = createApi(async () => {
  wasm.initSync({ module });
  return wasm;
});

export const { recognize, ready } = api;
export * from "./errors.js";
