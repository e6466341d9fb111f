// Entry for Node >= 20: the .wasm is read from disk next to this file.
import { readFile } from "node:fs/promises";
import * as wasm from "../wasm/vehicle_doc_ocr.js";
import { createApi } from "./api.js";

const api = createApi(async () => {
  const bytes = await readFile(new URL("../wasm/vehicle_doc_ocr_bg.wasm", import.meta.url));
  wasm.initSync({ module: bytes });
  return wasm;
});

export const { recognize, ready } = api;
export * from "./errors.js";
