// Entry for Cloudflare Workers (workerd): wrangler imports each .wasm as a WebAssembly.Module;
// the image-codec module is instantiated only when an image must be re-encoded.
import module from "../wasm/vehicle_doc_ocr_bg.wasm";
import codecModule from "../wasm/vehicle_doc_ocr_image_bg.wasm";
import * as wasm from "../wasm/vehicle_doc_ocr.js";
import * as codec from "../wasm/vehicle_doc_ocr_image.js";
import { createApi } from "./api.js";

const api = createApi(
  async () => {
    wasm.initSync({ module });
    return wasm;
  },
  async () => {
    codec.initSync({ module: codecModule });
    return codec;
  },
);

export const { recognize, prepareImage, crossCheck, ready } = api;
export * from "./errors.js";
