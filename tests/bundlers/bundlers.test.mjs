// The package as users consume it in browsers: built by Vite 7 and by webpack 5 (production), served
// by the Vite dev server, and loaded as native ES modules without a bundler. Each case installs the
// `npm pack` tarball into a fresh fixture app (tests/bundlers/app), serves it on 127.0.0.1 and runs
// the same checks in headless Chromium: prepareImage with both codecs, recognize() through a local
// endpoint answering like the Worker shim, ConfigError/NetworkError classes, and which .wasm files
// are fetched when (the codec module only when codec "wasm" is used). esbuild: esbuild.test.mjs.
import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { build as viteBuild, createServer as viteServer } from "vite";
import webpack from "webpack";
import { scenario } from "./scenario.mjs";
import { freshApp, openApp, serve, wasmOutputs } from "./support.mjs";

let app;
let removeApp = () => {};
before(() => {
  ({ app, remove: removeApp } = freshApp());
});
after(() => removeApp());

describe("vehicle-doc-ocr in browsers", { timeout: 110_000 }, () => {
  // `vite build` with the README's config, and with no config at all (the exclude is for the dev server only).
  for (const [label, configFile] of [["the README's config", "vite.config.mjs"], ["no config file", false]]) {
    test(`Vite 7 production build (vite build, ${label})`, async () => {
      const outDir = join(app, `dist-vite-${configFile ? "config" : "bare"}`);
      await viteBuild({ root: app, configFile: configFile && join(app, configFile), logLevel: "warn", build: { outDir } });
      const server = await serve(outDir);
      try {
        await scenario(`${server.url}/index.html`, { outputs: wasmOutputs(outDir), shimUrl: server.url, shimCalls: server.shimCalls });
      } finally {
        await server.close();
      }
    });
  }

  // The fixture's webpack.config.mjs as is, and with the options apps commonly add (other wasm
  // imported as modules, ESM output, development mode): the package needs none of them.
  const webpackVariants = [
    ["production, the fixture's config as is", {}, `<script src="main.js"></script>`],
    [
      "development, experiments.asyncWebAssembly + outputModule",
      { mode: "development", experiments: { asyncWebAssembly: true, outputModule: true }, output: { module: true } },
      `<script type="module" src="main.js"></script>`,
    ],
  ];
  for (const [label, extra, script] of webpackVariants) {
    test(`webpack 5 build (${label})`, async () => {
      const outDir = join(app, `dist-webpack-${extra.mode ?? "production"}`);
      const config = (await import(join(app, "webpack.config.mjs"))).default;
      const stats = await new Promise((ok, fail) => {
        webpack(
          { ...config, ...extra, context: app, output: { ...config.output, ...extra.output, path: outDir } },
          (err, s) => (err ? fail(err) : ok(s)),
        );
      });
      assert.equal(stats.hasErrors(), false, stats.toString({ all: false, errors: true }));
      writeFileSync(join(outDir, "index.html"), `<!doctype html><meta charset="utf-8"><body>${script}</body>`);
      const server = await serve(outDir);
      try {
        await scenario(`${server.url}/index.html`, { outputs: wasmOutputs(outDir), shimUrl: server.url, shimCalls: server.shimCalls });
      } finally {
        await server.close();
      }
    });
  }

  test("native ES modules, no bundler (import map to node_modules/vehicle-doc-ocr/src/browser.js)", async () => {
    const server = await serve(app);
    try {
      await scenario(`${server.url}/native.html`, {
        outputs: wasmOutputs(join(app, "node_modules/vehicle-doc-ocr")), shimUrl: server.url, shimCalls: server.shimCalls,
      });
    } finally {
      await server.close();
    }
  });

  test("Vite 7 dev server with optimizeDeps.exclude (the README's config)", async () => {
    const vite = await viteServer({
      root: app, configFile: join(app, "vite.config.mjs"), logLevel: "warn",
      server: { host: "127.0.0.1", port: 0 },
    });
    await vite.listen();
    const shim = await serve(join(app, "no-such-dir"));
    try {
      await scenario(vite.resolvedUrls.local[0] + "index.html", {
        outputs: wasmOutputs(join(app, "node_modules/vehicle-doc-ocr")), shimUrl: shim.url, shimCalls: shim.shimCalls,
      });
    } finally {
      await shim.close();
      await vite.close();
    }
  });

  // Why the README asks for optimizeDeps.exclude: Vite's dev pre-bundling (esbuild) copies the module
  // to node_modules/.vite/deps/, so `new URL("../wasm/…", import.meta.url)` points to a file that does
  // not exist and the dev server answers index.html. If this starts passing, Vite fixed it and the
  // README's dev-server line can go.
  test("Vite 7 dev server WITHOUT optimizeDeps.exclude: a ConfigError that says what to do (not a hang, not a CompileError)", async () => {
    const vite = await viteServer({ root: app, configFile: false, logLevel: "silent", server: { host: "127.0.0.1", port: 0 } });
    await vite.listen();
    const b = await openApp(vite.resolvedUrls.local[0] + "index.html");
    try {
      const r = await b.page.evaluate(async () => {
        const c = new OffscreenCanvas(64, 48);
        c.getContext("2d").fillRect(0, 0, 8, 8);
        try {
          await window.vdo.prepareImage(await c.convertToBlob({ type: "image/png" }));
          return "resolved";
        } catch (e) {
          return { config: e instanceof window.vdo.ConfigError, message: e.message, cause: String(e.cause) };
        }
      });
      assert.equal(r.config, true, JSON.stringify(r));
      assert.match(r.message, /could not load the vehicle-doc-ocr main WebAssembly module: got HTML instead of WebAssembly at http:\/\/127\.0\.0\.1:\d+\/node_modules\/\.vite\//);
      assert.match(r.message, /with the Vite dev server add optimizeDeps: \{ exclude: \["vehicle-doc-ocr"\] \}/);
      assert.ok(b.wasmRequests.every((u) => u.includes("/node_modules/.vite/")), b.wasmRequests.join(", "));
    } finally {
      await b.close();
      await vite.close();
    }
  });
});
