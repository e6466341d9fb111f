// The published package as a user gets it: `npm pack` in npm/, installed into an empty project,
// imported with a plain `import` in Node, and resolved through the right export condition.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, test } from "node:test";
import { promisify } from "node:util";

const run = promisify(execFile);
const pkgDir = fileURLToPath(new URL("../../npm/", import.meta.url));
let dir;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), "vdo-pack-"));
  await run("npm", ["pack", "--pack-destination", dir, "--silent"], { cwd: pkgDir });
  const [tgz] = (await readdir(dir)).filter((f) => f.endsWith(".tgz"));
  await writeFile(join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
  await run("npm", ["install", "--offline", "--no-audit", "--no-fund", "--silent", `./${tgz}`], { cwd: dir });
});
after(() => rm(dir, { recursive: true, force: true }));

test("the tarball holds the code, both wasm modules and the types, and no test or build files", async () => {
  const { stdout } = await run("npm", ["pack", "--dry-run", "--json"], { cwd: pkgDir });
  const files = JSON.parse(stdout)[0].files.map((f) => f.path);
  for (const f of ["src/node.js", "src/browser.js", "src/workerd.js", "index.d.ts", "types.d.ts", "wasm/vehicle_doc_ocr_bg.wasm", "wasm/vehicle_doc_ocr_image_bg.wasm", "src/shim.js", "shim.d.ts", "wasm/vehicle_doc_ocr_shim_bg.wasm", "wasm/vehicle_doc_ocr_shim.js", "bin/cli.mjs", "README.md"]) {
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
  assert.deepEqual(JSON.parse(stdout), { isConfig: true, codes: 12, w: 1, codec: "wasm", fn: "function" });
});

test("the export map sends each runtime to its entry", async () => {
  const pkg = JSON.parse(await (await import("node:fs/promises")).readFile(join(pkgDir, "package.json"), "utf8"));
  const exp = pkg.exports["."];
  assert.equal(exp.workerd, "./src/workerd.js");
  assert.equal(exp.node, "./src/node.js");
  assert.equal(exp.browser, "./src/browser.js");
  assert.equal(exp.types, "./index.d.ts");
  assert.deepEqual(pkg.exports["./worker"], { types: "./shim.d.ts", default: "./src/shim.js" });
  const { stdout } = await run(process.execPath, ["--input-type=module", "-e", `console.log(import.meta.resolve("vehicle-doc-ocr"))`], { cwd: dir });
  assert.match(stdout.trim(), /vehicle-doc-ocr\/src\/node\.js$/);
});
