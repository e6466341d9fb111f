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
