// The worker_threads worker of on-device reading in Node (issue 14): loads
// vehicle_doc_ocr_local_bg.wasm (next to this package's wasm files, or where
// `configureWasm({ local })` says) and the model files local-node.js found. Started by
// local-node.js; the protocol is in local-worker.js.
import { readFile } from "node:fs/promises";
import { parentPort } from "node:worker_threads";
import { LocalEngine, initSync } from "../wasm/vehicle_doc_ocr_local.js";
import { modelsMissing, serve } from "./local-worker.js";
import { wasmInput } from "./wasm.js";

serve({
  receive: (handler) => parentPort.on("message", handler),
  post: (m) => parentPort.postMessage(m),
  async loadModule(wasm) {
    let source = wasm ?? new URL("../wasm/vehicle_doc_ocr_local_bg.wasm", import.meta.url);
    if (typeof source === "string" && source.startsWith("file:")) source = new URL(source);
    const out = initSync({ module: await wasmInput(source, { readFile }) });
    return { LocalEngine, memory: out.memory };
  },
  modelsKey: (paths) => `${paths.det}\n${paths.rec}\n${paths.dict}`,
  async loadModels(paths) {
    try {
      const [det, rec, dict] = await Promise.all([readFile(paths.det), readFile(paths.rec), readFile(paths.dict, "utf8")]);
      return { det, rec, dict };
    } catch (e) {
      throw modelsMissing(paths.dir ?? "the local.models directory", e?.code ?? "unreadable", { node: true });
    }
  },
});
