// esbuild, which bundles the package but does not copy its .wasm files: the recipe (copy them next
// to the bundle, `configureWasm({ main, codec })`, app/esbuild.js) as an ES module bundle and as an
// IIFE in a classic <script> (no `import.meta` there), each checked in Chromium with the same
// scenario as the other bundlers; and without the recipe, the error says what to do.
import assert from "node:assert/strict";
import { copyFileSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { build } from "esbuild";
import { WASM_FILES, freshApp, openApp, serve, wasmOutputs } from "./support.mjs";
import { scenario } from "./scenario.mjs";

let app;
let removeApp = () => {};
before(() => {
  ({ app, remove: removeApp } = freshApp());
});
after(() => removeApp());

/** Bundle `entry` with esbuild into `outDir` (the README's recipe) with a page loading it. */
async function bundle(entry, format, outDir, { copyWasm = true } = {}) {
  mkdirSync(outDir, { recursive: true });
  const result = await build({
    absWorkingDir: app, entryPoints: [entry], bundle: true, format, platform: "browser",
    outfile: join(outDir, "bundle.js"), logLevel: "silent",
  });
  assert.deepEqual(result.errors, []);
  if (copyWasm) for (const f of WASM_FILES) copyFileSync(join(app, "node_modules/vehicle-doc-ocr/wasm", f), join(outDir, f));
  const script = format === "esm" ? `<script type="module" src="bundle.js"></script>` : `<script src="bundle.js"></script>`;
  writeFileSync(join(outDir, "index.html"), `<!doctype html><meta charset="utf-8"><body>${script}</body>`);
}

describe("vehicle-doc-ocr bundled by esbuild", { timeout: 110_000 }, () => {
  for (const format of ["esm", "iife"]) {
    test(`esbuild ${format} bundle with the wasm files copied and configureWasm()`, async () => {
      const outDir = join(app, `dist-esbuild-${format}`);
      await bundle("./esbuild.js", format, outDir);
      const server = await serve(outDir);
      try {
        await scenario(`${server.url}/index.html`, { outputs: wasmOutputs(outDir), shimUrl: server.url, shimCalls: server.shimCalls });
      } finally {
        await server.close();
      }
    });
  }

  test("esbuild without the recipe: the first call is a ConfigError that names the URL and says what to do", async () => {
    const outDir = join(app, "dist-esbuild-bare");
    await bundle("./main.js", "esm", outDir, { copyWasm: false });
    const server = await serve(outDir);
    const b = await openApp(`${server.url}/index.html`);
    try {
      const r = await b.page.evaluate(async () => {
        try {
          await window.vdo.prepareImage(new Uint8Array([1, 2, 3]));
          return "resolved";
        } catch (e) {
          return { config: e instanceof window.vdo.ConfigError, message: e.message };
        }
      });
      assert.equal(r.config, true, JSON.stringify(r));
      assert.match(r.message, /HTTP 404 for the WebAssembly at http:\/\/127\.0\.0\.1:\d+\/wasm\/vehicle_doc_ocr_bg\.wasm/);
      assert.match(r.message, /copy them and pass their locations with configureWasm\(\{ main, codec, quality \}\)/);
    } finally {
      await b.close();
      await server.close();
    }
  });
});
