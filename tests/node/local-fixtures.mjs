// The generated photos of crates/ocr/tests/fixtures (made by bench/ocr/fixtures.py) and their
// ground truth, for the local-reading suites in Node (tests/node/local.test.mjs) and Chromium
// (tests/browser/local-reading.mjs).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

const FIXTURES = new URL("../../crates/ocr/tests/fixtures/", import.meta.url);
const { photos } = JSON.parse(readFileSync(new URL("fixtures.json", FIXTURES), "utf8"));

/** The photo's bytes. */
export const photo = (file) => new Uint8Array(readFileSync(new URL(file, FIXTURES)));
export const truthOf = (file) => photos.find((p) => p.file === file);
/** The result field of a corpus key field (crates/ocr/src/truth.rs). */
const FIELD = { plate: "plateNumber", type: "vehicleType", owner: "owner", model: "model", vin: "vin", engine: "engineNumber", issueDate: "issueDate" };
export const fieldOf = (doc, key) => (key === "registerDate" ? (doc === "certificate" ? "registrationDate" : "registerDate") : FIELD[key]);
const text = (v) => (v !== null && typeof v === "object" ? v.name : v);

/** Every field the reading accepted equals the truth: the cascade's rule ("never wrong"). */
export function assertAcceptedAreRight(file, r) {
  const t = truthOf(file);
  const accepted = r.local.fields.filter((f) => f.acceptance === "accepted").map((f) => f.field);
  for (const key of t.keyFields) {
    const field = fieldOf(t.document, key);
    if (accepted.includes(field)) assert.equal(text(r[field]), t.values[key], `${file}: ${field} accepted`);
  }
  return accepted;
}
