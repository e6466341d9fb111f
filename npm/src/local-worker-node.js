// The worker_threads worker of on-device reading in Node (issue 14): loads
// vehicle_doc_ocr_local_bg.wasm (next to this package's wasm files, or where
// `configureWasm({ local })` says) and the model files local-node.js found. Started by
// local-node.js; the protocol is in local-worker.js. With two cores or more it starts one helper
// of its own: this script again (`serveHelper`: the recognition model and dictionary only).
import { readFile } from "node:fs/promises";
import * as os from "node:os";
import { Worker, parentPort, workerData } from "node:worker_threads";
import { LocalEngine, LocalRecognizer, initSync } from "../wasm/vehicle_doc_ocr_local.js";
import { modelsMissing, serve, serveHelper } from "./local-worker.js";
import { wasmInput } from "./wasm.js";

/** The helper worker (see local-worker.js): this script again, with the role "helper". */
function spawnHelper({ message, failed }) {
  const w = new Worker(new URL(import.meta.url), { workerData: { role: "helper" } });
  w.on("message", message);
  w.on("error", failed);
  w.on("exit", failed);
  return { post: (m, transfer) => w.postMessage(m, transfer), terminate: () => void w.terminate() };
}

const common = {
  receive: (handler) => parentPort.on("message", handler),
  post: (m, transfer = []) => parentPort.postMessage(m, transfer),
  async loadModule(wasm) {
    let source = wasm ?? new URL("../wasm/vehicle_doc_ocr_local_bg.wasm", import.meta.url);
    if (typeof source === "string" && source.startsWith("file:")) source = new URL(source);
    // Compiled here so that the helper is given the module (no second read or compilation).
    const input = await wasmInput(source, { readFile });
    const module = input instanceof WebAssembly.Module ? input : new WebAssembly.Module(input);
    const out = initSync({ module });
    return { LocalEngine, LocalRecognizer, module, memory: out.memory };
  },
  modelsKey: (paths) => `${paths.det}\n${paths.rec}\n${paths.dict}`,
  async loadModels(paths, _loaded, files) {
    try {
      const got = await Promise.all(files.map((f) => readFile(paths[f], f === "dict" ? "utf8" : undefined)));
      return Object.fromEntries(files.map((f, i) => [f, got[i]]));
    } catch (e) {
      throw modelsMissing(paths.dir ?? "the local.models directory", e?.code ?? "unreadable", { node: true });
    }
  },
};

if (workerData?.role === "helper") serveHelper(common);
else {
  const cores = typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
  serve({ ...common, spawnHelper: cores >= 2 ? spawnHelper : null });
}
