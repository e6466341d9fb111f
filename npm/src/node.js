// Entry for Node >= 20.19: the .wasm files are read from disk next to this file, or from where
// `configureWasm({ main, codec, quality, local })` says (a path, a file: or http(s) URL, bytes or a
// Module). On-device reading (`local`) runs in a worker_threads worker (local-node.js).
import { readFile } from "node:fs/promises";
import * as wasm from "../wasm/vehicle_doc_ocr.js";
import * as codec from "../wasm/vehicle_doc_ocr_image.js";
import * as quality from "../wasm/vehicle_doc_ocr_quality_decode.js";
import { createApi } from "./api.js";
import { readLocally } from "./local-node.js";
import { wasmInput } from "./wasm.js";

const load = (mod, file) => async (location) => {
  mod.initSync({ module: await wasmInput(location ?? new URL(`../wasm/${file}`, import.meta.url), { readFile }) });
  return mod;
};

const api = createApi(
  load(wasm, "vehicle_doc_ocr_bg.wasm"),
  load(codec, "vehicle_doc_ocr_image_bg.wasm"),
  load(quality, "vehicle_doc_ocr_quality_decode_bg.wasm"),
  readLocally,
);

export const { recognize, prepareImage, crossCheck, assessImage, ready, configureWasm, createClient } = api;
export * from "./errors.js";
