// The public API, shared by every entry point (browser, node, workerd). Each entry only says
// how the wasm module is loaded. Orchestration only: every decision is made in Rust.
import { ConfigError, ProviderError, VehicleDocOcrError, errorClasses } from "./errors.js";
import { toBytesOrUrl } from "./input.js";

/** Build the right subclass from the plain error object the wasm module throws. */
function fromWasm(e) {
  if (e instanceof VehicleDocOcrError) return e;
  if (e && typeof e === "object" && e.__vehicleDocOcr === true) {
    const cls = errorClasses[e.code] ?? ProviderError;
    return new cls(e.message, e);
  }
  // Anything else is a bug of ours or of the runtime: never leak it raw (it could hold a URL).
  return new ProviderError("internal error in vehicle-doc-ocr (please report it)", { retryable: false });
}

/** Options handled in JS (live objects); everything else goes to the Rust option parser. */
function splitOptions(options) {
  if (options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new ConfigError("options must be an object with at least `document`");
  }
  const { signal, fetch, ...rest } = options;
  if (signal !== undefined && signal !== null && typeof signal.aborted !== "boolean") {
    throw new ConfigError("option `signal` must be an AbortSignal");
  }
  if (fetch !== undefined && fetch !== null && typeof fetch !== "function") {
    throw new ConfigError("option `fetch` must be a function");
  }
  return { signal, fetch, rest };
}

/** @param {() => Promise<object>} loadWasm resolves to the initialised wasm-bindgen module */
export function createApi(loadWasm) {
  let loading = null;
  const wasm = () => {
    loading ??= loadWasm().catch((e) => {
      loading = null; // let the next call try again (e.g. a flaky network while fetching the .wasm)
      throw new ConfigError("could not load the vehicle-doc-ocr WebAssembly module", { cause: e });
    });
    return loading;
  };

  async function recognize(image, options) {
    try {
      const { signal, fetch, rest } = splitOptions(options);
      const w = await wasm();
      w.checkOptions(rest);
      const input = await toBytesOrUrl(w, image);
      return await w.recognizePrepared(input, rest, signal, fetch);
    } catch (e) {
      throw fromWasm(e);
    }
  }

  return { recognize, ready: () => wasm().then(() => undefined) };
}
