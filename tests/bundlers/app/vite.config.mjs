// The Vite configuration a user needs (Vite 7). `vite build` needs nothing: Rollup emits each
// `new URL("../wasm/*.wasm", import.meta.url)` as an asset. The dev server needs the package
// excluded from dependency pre-bundling, which would move the module away from its .wasm files.
export default {
  optimizeDeps: { exclude: ["vehicle-doc-ocr"] },
};
