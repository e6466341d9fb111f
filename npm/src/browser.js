// Entry for browsers (native ES modules and bundlers: Vite, webpack 5). Each .wasm is fetched
// lazily on first use, next to this file (bundlers rewrite `new URL(..., import.meta.url)`).
// The image-codec module is fetched only when an image must be re-encoded without the canvas.
import init, * as wasm from "../wasm/vehicle_doc_ocr.js";
import initCodec, * as codec from "../wasm/vehicle_doc_ocr_image.js";
import { createApi } from "./api.js";

const api = createApi(
  async () => {
    await init({ module_or_path: new URL("../wasm/vehicle_doc_ocr_bg.wasm", import.meta.url) });
    return wasm;
  },
  async () => {
    await initCodec({ module_or_path: new URL("../wasm/vehicle_doc_ocr_image_bg.wasm", import.meta.url) });
    return codec;
  },
);

export const { recognize, prepareImage, crossCheck, ready } = api;
export * from "./errors.js";
