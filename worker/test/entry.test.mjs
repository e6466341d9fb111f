// The package subpath the Worker imports, `vehicle-doc-ocr/worker`, in Node (its .wasm imports
// turned into compiled modules, as wrangler does): the shim is built once per `env` object, its
// configuration read once, and its module is not the browser's.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { importWasmAsModules } from "../support/wasm-modules.mjs";

importWasmAsModules();
const entry = await import("vehicle-doc-ocr/worker");

const req = {
  method: "POST",
  url: "https://shim.example/v1/recognize?document=vehicleLicenseFront",
  origin: null,
  authorization: null,
  contentType: "image/jpeg",
  contentLength: "1000",
  clientIp: "203.0.113.9",
};

test("one shim per env object: the configuration is read once, not on every call", () => {
  let reads = 0;
  const env = {
    RATE_LIMITER: { limit: () => assert.fail("a binding is never touched") },
    get APIHZ_ID() {
      reads++;
      return "10000000";
    },
    APIHZ_KEY: "k-0123456789",
  };
  const shim = entry.shimFor(env);
  for (let i = 0; i < 3; i++) {
    assert.equal(entry.shimFor(env), shim);
    assert.equal(shim.decide(req).action, "forward");
    assert.equal(shim.checkBody(req, 1000, new Uint8Array([0xff, 0xd8, 0xff, 0xe0])), null);
    assert.equal(shim.reject(req, "tooLarge").status, 413);
    assert.equal(shim.errorResponse(req, { code: "TIMEOUT", message: "slow", retryable: true }).status, 504);
  }
  assert.equal(reads, 1);
  assert.equal(shim.configProblems(), null);
  // Another env (another isolate, a redeploy): another shim with its own configuration.
  const other = entry.shimFor({ ALLOWED_ORIGINS: "*" });
  assert.notEqual(other, shim);
  assert.match(other.configProblems(), /ALLOWED_ORIGINS/);
  assert.equal(other.decide(req).status, 500);
});

test("the entry offers recognize next to the shim; the browser module has no shim export", async () => {
  assert.equal(typeof entry.recognize, "function");
  assert.equal(typeof entry.ready, "function");
  const main = await import("../../npm/wasm/vehicle_doc_ocr.js");
  assert.ok(!Object.keys(main).some((k) => /shim/i.test(k)), Object.keys(main).join(", "));
  for (const f of ["browser.js", "node.js", "workerd.js", "api.js"]) {
    const src = readFileSync(new URL(`../../npm/src/${f}`, import.meta.url), "utf8");
    assert.ok(!/shim/i.test(src.replace(/proxyUrl|Worker shim/g, "")), `npm/src/${f} refers to the shim module`);
  }
});
