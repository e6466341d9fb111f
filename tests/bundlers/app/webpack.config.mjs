// The webpack 5 configuration a user needs: nothing package-specific. webpack 5 emits each
// `new URL("../wasm/*.wasm", import.meta.url)` as an asset/resource file (no `experiments`).
export default {
  mode: "production",
  entry: "./main.js",
  output: { filename: "main.js" },
};
