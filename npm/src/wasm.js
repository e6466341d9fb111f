// Where the .wasm files come from: `configureWasm({ main, codec, quality, local })` (for bundlers that do not copy
// `new URL(..., import.meta.url)` assets, classic scripts, a CDN) and a fetch that checks the
// answer is WebAssembly before compiling it (a dev server answering index.html says what to do).
import { ConfigError } from "./errors.js";

const HINT =
  'with the Vite dev server add optimizeDeps: { exclude: ["vehicle-doc-ocr"] } to vite.config; with esbuild or another ' +
  "bundler that does not copy the .wasm files, copy them and pass their locations with configureWasm({ main, codec, quality })";

const isUrl = (v) => typeof v === "string" || v instanceof URL;
const isBytesOrModule = (v) => v instanceof ArrayBuffer || ArrayBuffer.isView(v) || v instanceof WebAssembly.Module;
const isResponseOrPromise = (v) =>
  (typeof Response === "function" && v instanceof Response) || (v !== null && typeof v === "object" && typeof v.then === "function");

/** The wasm modules a caller may locate: recognize/options, the image codec, the quality report, on-device reading. */
export const MODULES = ["main", "codec", "quality", "local"];

/**
 * The rule of a location loaded on the main thread (what `configureWasm()` accepts for every
 * module): a URL is kept as given, a Response or a promise of one is taken.
 */
const MAIN_THREAD = {
  url: (v) => v,
  responses: true,
  expected: "a URL (string or URL), a Response, an ArrayBuffer/typed array or a WebAssembly.Module",
};

/**
 * One module's location checked by a runtime's rule, and returned in the form that runtime loads:
 * a URL (string or URL) becomes `rule.url(v)`, bytes and a `WebAssembly.Module` stay as they are,
 * a `Response` or a promise is taken only when `rule.responses` (a worker cannot receive them).
 * Anything else is a ConfigError naming the module and `rule.expected`. The default rule is
 * `configureWasm()`'s (checkWasmLocations); local-node.js and local-browser.js pass their own for
 * the local module, which goes to their worker.
 */
export function wasmLocation(module, v, rule = MAIN_THREAD) {
  if (isUrl(v)) return rule.url(v);
  if (isBytesOrModule(v) || (rule.responses && isResponseOrPromise(v))) return v;
  throw new ConfigError(`configureWasm(): \`${module}\` must be ${rule.expected}`);
}

/** Check a `configureWasm()` argument: `{ main?, codec?, quality?, local? }`, each a URL, Response, bytes or Module. */
export function checkWasmLocations(locations) {
  if (locations === null || typeof locations !== "object" || Array.isArray(locations)) {
    throw new ConfigError("configureWasm() takes an object { main?, codec?, quality?, local? }");
  }
  for (const [k, v] of Object.entries(locations)) {
    if (!MODULES.includes(k)) throw new ConfigError(`configureWasm(): unknown module \`${k}\` (expected ${MODULES.join(", ")})`);
    if (v !== undefined) wasmLocation(k, v);
  }
  return Object.fromEntries(MODULES.map((k) => [k, locations[k]]));
}

/**
 * What wasm-bindgen's init takes (a checked `Response` when `stream`, else bytes, or a compiled
 * Module) for `source`. URLs are fetched (`readFile` reads `file:` URLs and paths in Node).
 */
export async function wasmInput(source, { stream = false, readFile = null } = {}) {
  source = await source;
  if (source instanceof WebAssembly.Module || source instanceof ArrayBuffer || ArrayBuffer.isView(source)) return source;
  if (typeof source === "string" || source instanceof URL) {
    const where = String(source);
    if (readFile && !/^https?:/i.test(where)) return readFile(source);
    try {
      source = await fetch(source);
    } catch (e) {
      throw new ConfigError(`could not fetch the WebAssembly at ${where}`, { cause: e });
    }
  }
  const url = source.url || "(the Response given)";
  if (!source.ok) throw new ConfigError(`HTTP ${source.status} for the WebAssembly at ${url}: ${HINT}`);
  const type = source.headers.get("content-type") ?? "";
  if (stream && type.startsWith("application/wasm")) return source; // compiled while downloading
  const bytes = new Uint8Array(await source.arrayBuffer());
  if (bytes[0] === 0 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d) return bytes; // "\0asm"
  const html = type.includes("html") || new TextDecoder().decode(bytes.subarray(0, 64)).trimStart().startsWith("<");
  throw new ConfigError(`got ${html ? "HTML" : `${type || "an unknown type"}`} instead of WebAssembly at ${url}: ${HINT}`);
}
