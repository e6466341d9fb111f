// Entry for Cloudflare Workers (workerd): wrangler imports each .wasm as a WebAssembly.Module;
// the image-codec module is instantiated only when an image must be re-encoded.
//
// Default fitted to the Workers Free plan (10 ms CPU): `recognize()` sends the image as it is
// (`prepare.codec` "none") unless the call chooses a codec; re-encoding a 12 MP photo takes about
// 500 ms of CPU. An image that does not fit as it is gets an error that says what to do.
import module from "../wasm/vehicle_doc_ocr_bg.wasm";
import codecModule from "../wasm/vehicle_doc_ocr_image_bg.wasm";
import qualityModule from "../wasm/vehicle_doc_ocr_quality_decode_bg.wasm";
import * as wasm from "../wasm/vehicle_doc_ocr.js";
import * as codec from "../wasm/vehicle_doc_ocr_image.js";
import * as quality from "../wasm/vehicle_doc_ocr_quality_decode.js";
import { clientOf, createApi } from "./api.js";
import { ImageTooLargeError } from "./errors.js";
import { wasmInput } from "./wasm.js";

const load = (mod, compiled) => async (location) => {
  mod.initSync({ module: location === undefined ? compiled : await wasmInput(location) });
  return mod;
};
const api = createApi(load(wasm, module), load(codec, codecModule), load(quality, qualityModule));

const FREE_PLAN =
  "In a Worker, recognize() sends the image as it is unless you choose a codec: re-encoding a 12 MP photo takes " +
  "about 500 ms of CPU and the Workers Free plan allows 10 ms. Prepare the photo on the device (prepareImage() in " +
  'the browser, then send prepared.bytes), or opt in to re-encoding in the Worker with prepare: { codec: "wasm" } (paid plans)';

/**
 * The options with `prepare.codec: "none"` when the caller chose no codec (and whether it was
 * defaulted), and `qualityGate: "off"` when the caller chose no gate: the quality report decodes
 * the photo, which the Free plan's CPU does not allow either (check the photo on the device).
 */
function workerDefaults(options) {
  if (options === null || typeof options !== "object" || Array.isArray(options)) return [options, false];
  const gated = options.qualityGate === undefined ? { ...options, qualityGate: "off" } : options;
  const prepare = options.prepare;
  const chosen = prepare !== undefined && (prepare === null || typeof prepare !== "object" || prepare.codec !== undefined);
  if (chosen) return [gated, false];
  return [{ ...gated, prepare: { ...prepare, codec: "none" } }, true];
}

async function recognize(image, options) {
  const [effective, defaulted] = workerDefaults(options);
  try {
    return await api.recognize(image, effective);
  } catch (e) {
    if (defaulted && e instanceof ImageTooLargeError) throw new ImageTooLargeError(`${e.message}. ${FREE_PLAN}`, { cause: e });
    throw e;
  }
}

export { recognize };
export const { prepareImage, crossCheck, assessImage, ready, configureWasm } = api;
export const createClient = (defaults) => clientOf({ recognize, prepareImage, crossCheck, assessImage }, defaults);
export * from "./errors.js";
