// Entry for browsers (native ES modules and bundlers: Vite, webpack 5). Each .wasm is fetched
// lazily on first use, next to this file (bundlers rewrite `new URL(..., import.meta.url)`), or
// from where `configureWasm({ main, codec })` says (esbuild, classic scripts, a CDN: then
// `import.meta.url` is never read). The image-codec module is fetched only when an image must be
// re-encoded without the canvas. On-device reading (`local`) runs in a module Web Worker started on
// its first call (local-browser.js), which fetches its own .wasm and the models.
import init, * as wasm from "../wasm/vehicle_doc_ocr.js";
import initCodec, * as codec from "../wasm/vehicle_doc_ocr_image.js";
import initQuality, * as quality from "../wasm/vehicle_doc_ocr_quality.js";
import { createApi } from "./api.js";
import { readLocally } from "./local-browser.js";
import { wasmInput } from "./wasm.js";

const api = createApi(
  async (location) => {
    const source = location ?? new URL("../wasm/vehicle_doc_ocr_bg.wasm", import.meta.url);
    await init({ module_or_path: await wasmInput(source, { stream: true }) });
    return wasm;
  },
  async (location) => {
    const source = location ?? new URL("../wasm/vehicle_doc_ocr_image_bg.wasm", import.meta.url);
    await initCodec({ module_or_path: await wasmInput(source, { stream: true }) });
    return codec;
  },
  async (location) => {
    const source = location ?? new URL("../wasm/vehicle_doc_ocr_quality_bg.wasm", import.meta.url);
    await initQuality({ module_or_path: await wasmInput(source, { stream: true }) });
    return quality;
  },
  readLocally,
);

export const { recognize, prepareImage, crossCheck, assessImage, ready, configureWasm, createClient } = api;
export * from "./errors.js";
