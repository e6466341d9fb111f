// Node can import the Worker's code as wrangler bundles it: after `importWasmAsModules()`, an
// `import x from "….wasm"` gives a compiled `WebAssembly.Module` (wrangler's CompiledWasm rule).
// Used by worker/test/entry.test.mjs and scripts/bench-shim.mjs; import the Worker code after it.
import { register } from "node:module";

export function importWasmAsModules() {
  register(
    "data:text/javascript," +
      encodeURIComponent(`
export async function load(url, context, next) {
  if (url.endsWith(".wasm")) {
    return {
      format: "module",
      shortCircuit: true,
      source: 'import { readFileSync } from "node:fs"; export default new WebAssembly.Module(readFileSync(new URL(' + JSON.stringify(url) + ')));',
    };
  }
  return next(url, context);
}`),
    import.meta.url,
  );
}
