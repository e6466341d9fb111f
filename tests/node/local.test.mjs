// recognize(image, { local }) in Node (issue 14): read on this machine with PP-OCRv4 (the local
// wasm module, rten) on generated photos (crates/ocr/tests/fixtures, made by bench/ocr/fixtures.py
// with their ground truth), and the cascade against the provider simulator: the provider is called
// only when a key field is not settled locally, and the result is merged field by field
// (`local.sources`, crates/core/src/cascade.rs). The tests assert what is read, never timings.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { after, before, beforeEach, describe, test } from "node:test";
import * as ocr from "../../npm/src/node.js";
import { assertAcceptedAreRight, fieldOf, photo, truthOf } from "./local-fixtures.mjs";
import { apihzOptions, billable, juheOptions, rejection as rejectionOf, startSim } from "./helpers.mjs";

/** `result.local.sources` names every field the result has a value for, and only those. */
function assertSourcesCover(r) {
  const meta = new Set(["document", "provider", "requestId", "valid", "issues", "sources", "raw", "local", "quality"]);
  const present = Object.keys(r).filter((k) => !meta.has(k) && r[k] !== null).sort();
  assert.deepEqual(Object.keys(r.local.sources).sort(), present);
  for (const from of Object.values(r.local.sources)) assert.ok(from === "local" || from === "provider", from);
}

/** The simulator's fixed licence answer's VIN (fixtures/providers/sim-apihz-front.json). */
const SIM_FRONT_VIN = "LSVCY6C49MN027789";

/** A `fetch` that sends to the simulator (so the call is made and billed there) and hands back `answer` instead of its body. */
const answering = (answer) => async (url, init) => {
  const real = await fetch(url, init);
  await real.arrayBuffer();
  return new Response(JSON.stringify(answer), { status: real.status, headers: { "Content-Type": "application/json" } });
};

const rejection = (promise, cls) => rejectionOf(promise, cls, () => {});
let sim;
before(async () => {
  sim = await startSim();
});
after(() => sim.close());
beforeEach(() => sim.reset());

describe("recognize({ local }) in Node", () => {
  test("a licence read on this machine: provider \"local\", the accepted fields right, the rest marked", async () => {
    const r = await ocr.recognize(photo("licence-0010.jpg"), { document: "vehicleLicenseFront", local: {} });
    assert.equal(r.provider, "local");
    assert.equal(r.document, "vehicleLicenseFront");
    const accepted = assertAcceptedAreRight("licence-0010.jpg", r);
    assert.ok(accepted.includes("vin"), JSON.stringify(r.local.fields));
    assert.equal(r.vin, truthOf("licence-0010.jpg").values.vin);
    // Free text is never accepted without a provider.
    assert.equal(r.local.fields.find((f) => f.field === "address").acceptance, "notCheckable");
    assert.equal(typeof r.local.settled, "boolean");
    for (const f of r.local.fields) assert.ok(f.minConfidence >= 0 && f.minConfidence <= 1, JSON.stringify(f));
  });

  test("the cascade: a licence whose key fields are all settled on the device costs no provider call", async () => {
    const r = await ocr.recognize(photo("licence-0080.jpg"), { ...apihzOptions(sim), local: {} });
    assert.equal(r.local.settled, true, JSON.stringify(r.local.fields));
    assert.equal(r.provider, "local");
    assert.equal(billable(sim), 0);
    const t = truthOf("licence-0080.jpg");
    const accepted = assertAcceptedAreRight("licence-0080.jpg", r);
    for (const key of t.keyFields) assert.ok(accepted.includes(fieldOf(t.document, key)), key);
    // Every value of the result says it was read on the device.
    assertSourcesCover(r);
    assert.ok(Object.values(r.local.sources).every((s) => s === "local"), JSON.stringify(r.local.sources));
  });

  test("the cascade, not settled: one provider call; fields the provider read differently keep its value with a LOCAL_DISAGREES warning", async () => {
    // The simulator answers its fixed licence (another car): every field the device accepted disagrees.
    const r = await ocr.recognize(photo("licence-0010.jpg"), { ...apihzOptions(sim), local: {} });
    assert.equal(r.local.settled, false, JSON.stringify(r.local.fields));
    assert.equal(r.provider, "apihz");
    assert.equal(billable(sim), 1);
    assertSourcesCover(r);
    const accepted = r.local.fields.filter((f) => f.acceptance === "accepted").map((f) => f.field);
    assert.ok(accepted.includes("vin"), JSON.stringify(r.local.fields));
    assert.equal(r.vin, SIM_FRONT_VIN); // the provider's value is kept
    for (const [field, from] of Object.entries(r.local.sources)) assert.equal(from, "provider", field);
    const warned = r.issues.filter((i) => i.code === "LOCAL_DISAGREES");
    assert.deepEqual(warned.map((i) => i.field).sort(), accepted.filter((f) => r[f] !== null).sort());
    for (const w of warned) {
      assert.equal(w.severity, "warning");
      assert.ok(!w.message.includes(truthOf("licence-0010.jpg").values.vin), "no value in the message");
    }
    assert.equal(r.valid, true, "a disagreement is a warning, not an error");
  });

  test("the cascade, not settled: a field the provider left empty is filled from the device (source \"local\"), the rest from the provider", async () => {
    const t = truthOf("licence-0010.jpg").values;
    // The provider reads this licence right but sends no VIN.
    const answer = { code: 200, PlateNo: t.plate, VehicleType: t.type, Owner: t.owner, Address: t.address, UseCharacter: t.use, Model: t.model, Vin: "", EngineNo: t.engine, RegisterDate: t.registerDate, IssueDate: t.issueDate, Seal: "四川省成都市公安局交通警察支队" };
    const r = await ocr.recognize(photo("licence-0010.jpg"), { ...apihzOptions(sim), local: {}, fetch: answering(answer) });
    assert.equal(billable(sim), 1);
    assert.equal(r.provider, "apihz");
    assert.equal(r.vin, t.vin);
    assert.equal(r.local.sources.vin, "local");
    assert.equal(r.sources.vin.name, "车辆识别代号", "the source entry is the printed label the device read");
    assertSourcesCover(r);
    for (const [field, from] of Object.entries(r.local.sources)) if (field !== "vin") assert.equal(from, "provider", field);
    // The provider agrees with every other field the device accepted: no warning.
    assert.deepEqual(r.issues.filter((i) => i.code === "LOCAL_DISAGREES"), []);
    assert.equal(r.engineNumber, t.engine);
  });

  test("local.keyFields: a flow that needs only the fields accepted on the device pays nothing; one that needs a field not accepted pays once", async () => {
    // licence-0010 is not settled with every key field (the test above), but its VIN is accepted.
    const verdicts = (await ocr.recognize(photo("licence-0010.jpg"), { document: "vehicleLicenseFront", local: {} })).local.fields;
    const acceptance = Object.fromEntries(verdicts.map((f) => [f.field, f.acceptance]));
    const keys = ["plateNumber", "vehicleType", "owner", "model", "vin", "engineNumber", "registerDate", "issueDate"];
    const accepted = keys.filter((k) => acceptance[k] === "accepted");
    const notAccepted = keys.filter((k) => acceptance[k] !== "accepted");
    assert.ok(accepted.includes("vin") && notAccepted.length > 0, JSON.stringify(verdicts));

    const r = await ocr.recognize(photo("licence-0010.jpg"), { ...apihzOptions(sim), local: { keyFields: accepted } });
    assert.equal(billable(sim), 0);
    assert.equal(r.provider, "local");
    assert.equal(r.local.settled, true);
    assertAcceptedAreRight("licence-0010.jpg", r);
    // The fields the flow did not ask for come back as read, with their verdicts.
    for (const k of notAccepted) assert.equal(r.local.fields.find((f) => f.field === k).acceptance, acceptance[k], k);

    const paid = await ocr.recognize(photo("licence-0010.jpg"), { ...apihzOptions(sim), local: { keyFields: ["vin", notAccepted[0]] } });
    assert.equal(billable(sim), 1);
    assert.equal(paid.provider, "apihz");
    assert.equal(paid.local.settled, false);

    // Only key fields of the document may be named; nothing is read or sent for a bad list.
    for (const keyFields of [[], ["address"], ["registrationDate"], "vin"]) {
      const e = await rejection(ocr.recognize(photo("licence-0010.jpg"), { ...apihzOptions(sim), local: { keyFields } }), ocr.ConfigError);
      assert.match(e.message, /`local\.keyFields`/);
    }
    assert.equal(billable(sim), 1);
  });

  test("the cascade: a certificate not settled on the device is sent to the provider once", async () => {
    const r = await ocr.recognize(photo("certificate-0000.jpg"), { ...juheOptions(sim), local: {} });
    assert.equal(r.local.settled, false, JSON.stringify(r.local.fields));
    assert.equal(r.provider, "juhe");
    assert.equal(billable(sim), 1);
    assertSourcesCover(r);
  });

  test("bad `local` options are ConfigErrors before anything is read or sent", async () => {
    for (const [local, names] of [
      ["yes", /`local`/],
      [[], /`local`/],
      [{ models: "" }, /`local\.models`/],
      [{ models: 3 }, /`local\.models`/],
      [{ models: new URL("file:///nonexistent/") }, /`local\.models`/],
      [{ modelz: "/x" }, /unknown option `local\.modelz`/],
    ]) {
      const e = await rejection(ocr.recognize(photo("licence-0010.jpg"), { ...apihzOptions(sim), local }), ocr.ConfigError);
      assert.match(e.message, names);
    }
    const e = await rejection(ocr.recognize(photo("licence-0010.jpg"), { ...juheOptions(sim), local: { models: "/nonexistent/models" } }), ocr.ConfigError);
    assert.match(e.message, /models/);
    // A provider given with `local` must be the document's, so a call that must pay can.
    const wrong = await rejection(ocr.recognize(photo("certificate-0000.jpg"), { ...apihzOptions(sim, "registrationCertificate"), local: {} }), ocr.ConfigError);
    assert.match(wrong.message, /`juhe`/);
    // Without `local`, a provider is still required.
    await rejection(ocr.recognize(photo("licence-0010.jpg"), { document: "vehicleLicenseFront" }), ocr.ConfigError);
    assert.equal(billable(sim), 0);
  });
});

// The reading runs in a worker_threads worker (npm/src/local-node.js): the event loop stays free
// and an AbortSignal stops the call at once.
describe("recognize({ local }) off the event loop", () => {
  test("timers keep firing while a photo is read on the device", async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 20);
    try {
      const r = await ocr.recognize(photo("licence-0010.jpg"), { document: "vehicleLicenseFront", local: {} });
      assert.equal(r.provider, "local");
      assertAcceptedAreRight("licence-0010.jpg", r);
    } finally {
      clearInterval(timer);
    }
    // A reading held on the event loop would let the timer fire at most once or twice.
    assert.ok(ticks >= 5, `the timer fired ${ticks} times during the reading`);
  });

  test("an abort rejects with AbortedError, and the next call reads again", async () => {
    const { localStats } = await import("../../npm/src/local-node.js");
    const ac = new AbortController();
    const posted = localStats.readsPosted;
    const call = ocr.recognize(photo("licence-0010.jpg"), { document: "vehicleLicenseFront", local: {}, signal: ac.signal });
    // Abort once the worker has the photo (a reading takes about a second; a fixed delay raced it).
    while (localStats.readsPosted === posted) await new Promise((r) => setTimeout(r, 2));
    ac.abort();
    await rejection(call, ocr.AbortedError);
    await rejection(
      ocr.recognize(photo("licence-0010.jpg"), { document: "vehicleLicenseFront", local: {}, signal: AbortSignal.abort() }),
      ocr.AbortedError,
    );
    const r = await ocr.recognize(photo("licence-0080.jpg"), { document: "vehicleLicenseFront", local: {} });
    assert.equal(r.provider, "local");
    assertAcceptedAreRight("licence-0080.jpg", r);
  });

  test("with two cores the worker shares the recognition with its helper thread: the same reading as the worker alone", async () => {
    const { localSettings, localStats } = await import("../../npm/src/local-node.js");
    const read = async (helper) => {
      localSettings.helper = helper;
      const before = localStats.helperJobs;
      try {
        const r = await ocr.recognize(photo("certificate-0000.jpg"), { document: "registrationCertificate", local: {} });
        return { r, helperJobs: localStats.helperJobs - before };
      } finally {
        localSettings.helper = true;
      }
    };
    const alone = await read(false);
    const shared = await read(true);
    assert.equal(alone.helperJobs, 0);
    if (availableParallelism() >= 2) assert.ok(shared.helperJobs > 0, "the helper recognized part of the lines");
    // Everything but the clock.
    const untimed = (r) => ({ ...r, local: { ...r.local, elapsedMs: 0 } });
    assert.deepEqual(untimed(shared.r), untimed(alone.r));
  });

  test("an abort while both the worker and its helper are reading rejects with AbortedError; the next call reads with a new pair", async () => {
    const { localStats } = await import("../../npm/src/local-node.js");
    const started = localStats.workersStarted;
    const ac = new AbortController();
    const shared = localStats.stepsShared;
    const call = ocr.recognize(photo("certificate-0000.jpg"), { document: "registrationCertificate", local: {}, signal: ac.signal });
    // Past detection: once a step's lines are being recognized by both (one core: no helper, so
    // once the reading has been posted).
    const posted = localStats.readsPosted;
    const both = availableParallelism() >= 2;
    while (both ? localStats.stepsShared === shared : localStats.readsPosted === posted) {
      await new Promise((r) => setTimeout(r, 2));
    }
    ac.abort();
    await rejection(call, ocr.AbortedError);
    const before = localStats.helperJobs;
    const r = await ocr.recognize(photo("licence-0080.jpg"), { document: "vehicleLicenseFront", local: {} });
    assert.equal(r.provider, "local");
    assertAcceptedAreRight("licence-0080.jpg", r);
    assert.equal(localStats.workersStarted, started + 1);
    if (availableParallelism() >= 2) assert.ok(localStats.helperJobs > before, "the new worker has a helper too");
  });

  test("configureWasm({ local }): a wrong value, or a change after the local module is loaded, is a ConfigError", async () => {
    assert.throws(() => ocr.configureWasm({ local: 42 }), ocr.ConfigError);
    // The tests above loaded it.
    assert.throws(() => ocr.configureWasm({ local: "/elsewhere/vehicle_doc_ocr_local_bg.wasm" }), /already loaded/);
  });

  test("the browser's model cache is keyed by this package's version", async () => {
    const { MODEL_CACHE } = await import("../../npm/src/local-worker.js");
    const { version } = JSON.parse(readFileSync(new URL("../../npm/package.json", import.meta.url), "utf8"));
    assert.ok(MODEL_CACHE.startsWith(`vehicle-doc-ocr-${version}-`), MODEL_CACHE);
  });

  test("the browser worker deletes only its own model buckets of other versions, not a bucket that merely shares the prefix", async () => {
    const { MODEL_CACHE, isModelCache } = await import("../../npm/src/local-worker.js");
    for (const ours of [MODEL_CACHE, "vehicle-doc-ocr-0.0.9-ocr-models-1.4.2", "vehicle-doc-ocr-0.1.0-ocr-models-1.4.1", "vehicle-doc-ocr-1.0.0-beta.1-ocr-models-2.0.0"]) {
      assert.ok(isModelCache(ours), ours);
    }
    for (const theirs of ["vehicle-doc-ocr-mine", "vehicle-doc-ocr-", "vehicle-doc-ocr-images-v2", "my-vehicle-doc-ocr-0.1.0-ocr-models-1.4.2", "vehicle-doc-ocr-0.1.0-ocr-models-1.4.2/x", "vehicle-doc-ocr-0.1.0-ocr-models-"]) {
      assert.ok(!isModelCache(theirs), theirs);
    }
  });
});
