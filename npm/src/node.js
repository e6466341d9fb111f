// Entry for Node >= 20: the .wasm files are read from disk next to this file.
import { readFile } from "node:fs/promises";
import * as wasm from "../wasm/vehicle_doc_ocr.js";
import * as codec from "../wasm/vehicle_doc_ocr_image.js";
import { createApi } from "./api.js";

const load = (mod, file) => async () => {
  mod.initSync({ module: await readFile(new URL(`../wasm/${file}`, import.meta.url)) });
  return mod;
};

const api = createApi(load(wasm, "vehicle_doc_ocr_bg.wasm"), load(codec, "vehicle_doc_ocr_image_bg.wasm"));

export const { recognize, prepareImage, crossCheck, ready } = api;
export * from "./errors.js";
