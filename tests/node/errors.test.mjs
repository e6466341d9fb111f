// The exported error classes agree with the Rust core's stable codes.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import * as ocr from "../../npm/src/node.js";

test("one exported Error subclass per Rust ErrorCode, same code and class name", () => {
  const rust = readFileSync(new URL("../../crates/core/src/error.rs", import.meta.url), "utf8");
  const codes = [...rust.matchAll(/ErrorCode::\w+ => "([A-Z_]+)",/g)].map((m) => m[1]);
  const names = [...rust.matchAll(/ErrorCode::\w+ => "(\w+Error)",/g)].map((m) => m[1]);
  assert.equal(codes.length, 12);
  assert.deepEqual(Object.keys(ocr.errorClasses).sort(), [...codes].sort());
  for (const [i, code] of codes.entries()) {
    const cls = ocr[names[i]];
    assert.equal(typeof cls, "function", names[i]);
    assert.equal(cls.code, code);
    const e = new cls("m", { retryable: true, provider: "juhe", providerCode: "1", providerMessage: "p" });
    assert.ok(e instanceof ocr.VehicleDocOcrError && e instanceof Error);
    assert.equal(e.name, names[i]);
    assert.equal(e.code, code);
    assert.equal(e.retryable, true);
  }
});

test("the error tree: TimeoutError is a NetworkError, provider refusals share ProviderRefusedError", () => {
  const t = new ocr.TimeoutError("m");
  assert.ok(t instanceof ocr.NetworkError && t instanceof ocr.VehicleDocOcrError);
  assert.equal(t.code, "TIMEOUT");
  assert.equal(t.name, "TimeoutError");
  assert.ok(!(new ocr.NetworkError("m") instanceof ocr.TimeoutError));
  for (const cls of [ocr.AuthError, ocr.QuotaError, ocr.RateLimitedError, ocr.RecognitionFailedError]) {
    const e = new cls("m");
    assert.ok(e instanceof ocr.ProviderRefusedError, cls.name);
    assert.equal(e.code, cls.code);
  }
  for (const cls of [ocr.ProviderError, ocr.NetworkError, ocr.TimeoutError, ocr.ConfigError, ocr.AbortedError]) {
    assert.ok(!(new cls("m") instanceof ocr.ProviderRefusedError), cls.name);
  }
  // The parent has no code of its own: it never appears in the code -> class table.
  assert.ok(!Object.values(ocr.errorClasses).includes(ocr.ProviderRefusedError));
});
