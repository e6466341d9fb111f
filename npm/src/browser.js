// Entry for browsers (native ES modules and bundlers: Vite, webpack 5). The .wasm is fetched
// lazily on first use, next to this file (bundlers rewrite `new URL(..., import.meta.url)`).
import init, * as wasm from "../wasm/vehicle_doc_ocr.js";
import { createApi } from "./api.js";

const api = createApi(async () => {
  await init({ module_or_path: new URL("../wasm/vehicle_doc_ocr_bg.wasm", import.meta.url) });
  return wasm;
});

export const { recognize, ready } = api;
export * from "./errors.js";
