// The published package as a user gets it: `npm pack` in npm/, installed into an empty project,
// imported with a plain `import` in Node, and resolved through the right export condition.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { installPacked, pkgDir, run } from "./packed.mjs";

let dir;
let remove;
before(async () => {
  ({ dir, remove } = await installPacked());
});
after(() => remove());

test("the tarball holds the code, every wasm module and the types, and no test or build files", async () => {
  const { stdout } = await run("npm", ["pack", "--dry-run", "--json"], { cwd: pkgDir });
  const files = JSON.parse(stdout)[0].files.map((f) => f.path);
  for (const f of ["src/node.js", "src/browser.js", "src/workerd.js", "index.d.ts", "types.d.ts", "wasm/vehicle_doc_ocr_bg.wasm", "wasm/vehicle_doc_ocr_image_bg.wasm", "src/shim.js", "shim.d.ts", "wasm/vehicle_doc_ocr_shim_bg.wasm", "wasm/vehicle_doc_ocr_shim.js", "wasm/vehicle_doc_ocr_quality_bg.wasm", "wasm/vehicle_doc_ocr_quality_decode_bg.wasm", "bin/cli.mjs", "README.md", "LICENSE-MIT", "LICENSE-APACHE"]) {
    assert.ok(files.includes(f), `missing ${f}`);
  }
  assert.ok(!files.some((f) => /test|fixtures|\.rs$/.test(f)), files.join(", "));
});

test("a plain `import` in Node >= 20 gets the API and a working wasm module", async () => {
  const script = `
    import { recognize, prepareImage, crossCheck, ConfigError, errorClasses } from "vehicle-doc-ocr";
    const e = await recognize(new Uint8Array([1]), { document: "nope" }).catch((e) => e);
    const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC", "base64");
    const p = await prepareImage(png);
    console.log(JSON.stringify({ isConfig: e instanceof ConfigError, codes: Object.keys(errorClasses).length, w: p.width, codec: p.codec, fn: typeof crossCheck }));
  `;
  const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], { cwd: dir });
  assert.deepEqual(JSON.parse(stdout), { isConfig: true, codes: 13, w: 1, codec: "wasm", fn: "function" });
});

test("the export map sends each runtime to its entry", async () => {
  const pkg = JSON.parse(await readFile(join(pkgDir, "package.json"), "utf8"));
  const exp = pkg.exports["."];
  assert.equal(exp.workerd, "./src/workerd.js");
  assert.equal(exp.node, "./src/node.js");
  assert.equal(exp.browser, "./src/browser.js");
  assert.equal(exp.types, "./index.d.ts");
  assert.deepEqual(pkg.exports["./worker"], { types: "./shim.d.ts", default: "./src/shim.js" });
  const { stdout } = await run(process.execPath, ["--input-type=module", "-e", `console.log(import.meta.resolve("vehicle-doc-ocr"))`], { cwd: dir });
  assert.match(stdout.trim(), /vehicle-doc-ocr\/src\/node\.js$/);
});

test("the installed package holds both license texts and a README that covers every runtime", async () => {
  const root = join(dir, "node_modules/vehicle-doc-ocr");
  assert.match(await readFile(join(root, "LICENSE-MIT"), "utf8"), /^MIT License[\s\S]*Permission is hereby granted/);
  assert.match(await readFile(join(root, "LICENSE-APACHE"), "utf8"), /Apache License\s+Version 2\.0/);
  const pkg = JSON.parse(await readFile(join(root, "package.json"), "utf8"));
  assert.equal(pkg.license, "MIT OR Apache-2.0");
  for (const k of ["repository", "homepage", "bugs", "keywords"]) assert.ok(pkg[k], `package.json has ${k}`);
  const readme = await readFile(join(root, "README.md"), "utf8");
  for (const section of ["Browser", "Node", "Cloudflare Workers", "Options", "Errors", "Command line", "configureWasm", "createClient"]) {
    assert.ok(readme.includes(section), `the npm README covers ${section}`);
  }
});

// engines says >=20.19: from there `require()` of an ES module works without a flag (no top-level
// await in the entry). This Node is >= 20.19, so a CommonJS user gets the same API.
test("`require(\"vehicle-doc-ocr\")` works in the Node versions `engines` declares", async () => {
  const pkg = JSON.parse(await readFile(join(pkgDir, "package.json"), "utf8"));
  assert.equal(pkg.engines.node, ">=20.19");
  const [major, minor] = process.versions.node.split(".").map(Number);
  assert.ok(major > 20 || (major === 20 && minor >= 19), `this test needs Node >= 20.19, got ${process.versions.node}`);
  const script = `
    const { prepareImage, createClient, configureWasm, ConfigError } = require("vehicle-doc-ocr");
    const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC", "base64");
    prepareImage(png).then((p) => console.log(JSON.stringify({ w: p.width, fns: [typeof createClient, typeof configureWasm], c: typeof ConfigError })));
  `;
  const { stdout, stderr } = await run(process.execPath, ["-e", script], { cwd: dir });
  assert.deepEqual(JSON.parse(stdout), { w: 1, fns: ["function", "function"], c: "function" });
  assert.doesNotMatch(stderr, /ExperimentalWarning/, "no experimental warning for require(esm)");
});
