// The reading worker's use of its helper worker (npm/src/local-worker.js `serve`), with a fake
// engine and fake helpers: each step's rectangles are cut where Rust says, the helper's part
// comes back after the worker's own, and a helper that dies, fails or never answers does not
// hang the reading: the worker recognizes its part itself. (The real models: local.test.mjs.)
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { serve } from "../../npm/src/local-worker.js";

/** A reading of two steps (5 then 3 rectangles), each cut at 2; results are one byte per rectangle. */
function fakeModule() {
  const fed = [];
  class Step {
    constructor() {
      this.sizes = [5, 3];
      this.freed = false;
    }
    get done() {
      return this.sizes.length === 0;
    }
    get jobCount() {
      return this.sizes[0];
    }
    get split() {
      return 2;
    }
    jobs(from, to) {
      return Float32Array.from({ length: (to - from) * 6 }, (_, i) => from + Math.floor(i / 6));
    }
    gray() {
      return new Uint8Array(12);
    }
    get width() {
      return 4;
    }
    get height() {
      return 3;
    }
    feed(bytes) {
      assert.equal(bytes.length, this.sizes[0]);
      fed.push([...bytes]);
      this.sizes.shift();
    }
    finish() {
      return { result: {}, settled: false, fields: [] };
    }
    free() {
      this.freed = true;
    }
  }
  class LocalEngine {
    startDocument() {
      return new Step();
    }
    recognizeJobs(_step, from, to) {
      return Uint8Array.from({ length: to - from }, (_, i) => from + i); // the worker's: the job's index
    }
    free() {}
  }
  return { fed, loaded: { LocalEngine, module: "module", memory: { buffer: { byteLength: 1 } } } };
}

/** The worker's answer to a reading (not its `ready` or `shared` notices). */
const isAnswer = (m) => m.id !== undefined && m.ok !== undefined;

/**
 * Serves one reading with `helper` (how the fake helper answers); resolves, once the reading's
 * answer is posted, to what was posted (the answer), fed, and how many steps were shared.
 */
async function readWith(helper, { use = true } = {}) {
  const { fed, loaded } = fakeModule();
  const posted = [];
  let handler;
  const spawned = { count: 0, terminated: 0, messages: [] };
  const answered = new Promise((resolve) => {
    serve({
      receive: (h) => {
        handler = h;
      },
      post: (m) => {
        posted.push(m);
        if (isAnswer(m)) resolve();
      },
      loadModule: async () => loaded,
      loadModels: async () => ({ det: 1, rec: 2, dict: "" }),
      modelsKey: () => "k",
      spawnHelper: ({ message, failed }) => {
        spawned.count += 1;
        return {
          post(m) {
            spawned.messages.push(m);
            helper(m, message, failed);
          },
          terminate() {
            spawned.terminated += 1;
          },
        };
      },
    });
  });
  handler({ id: 1, wasm: null, models: null, bytes: new Uint8Array(1), document: "vehicleLicenseFront", helper: use });
  await answered;
  const shared = posted.filter((m) => m.shared === true && m.id === 1).length;
  return { posted: posted.filter(isAnswer), fed, spawned, shared };
}

/** The helper's answer: its jobs' indexes + 100. */
const answer = (m, message) => {
  if (!m.jobs) return void setTimeout(() => message({ id: m.id, ok: true, results: null, memoryBytes: 7 }));
  const idx = [...m.jobs].filter((_, i) => i % 6 === 0).map((v) => v + 100);
  setTimeout(() => message({ id: m.id, ok: true, results: Uint8Array.from(idx), memoryBytes: 7 }));
};

describe("the reading worker and its helper", () => {
  test("each step: the first part read by the worker, the rest by the helper, fed back in order; the picture sent once", async () => {
    const { posted, fed, spawned, shared } = await readWith(answer);
    assert.equal(posted[0].ok, true);
    // The client is told each time both are reading (tests abort then).
    assert.equal(shared, 2);
    assert.deepEqual(fed, [
      [0, 1, 102, 103, 104],
      [0, 1, 102],
    ]);
    assert.equal(posted[0].helperJobs, 4);
    assert.equal(posted[0].helperMemoryBytes, 7);
    assert.equal(spawned.count, 1);
    assert.equal(spawned.messages.filter((m) => m.picture).length, 1);
    assert.equal(spawned.messages.filter((m) => m.wasm === "module").length, spawned.messages.length);
  });

  test("a helper that dies: the worker reads its part itself", async () => {
    const { posted, fed, spawned } = await readWith((m, message, failed) => {
      if (m.jobs) setTimeout(failed);
      else answer(m, message);
    });
    assert.equal(posted[0].ok, true);
    assert.deepEqual(fed, [
      [0, 1, 2, 3, 4],
      [0, 1, 2],
    ]);
    assert.ok(spawned.terminated >= 1);
  });

  test("a helper that answers with a failure: the worker reads its part itself", async () => {
    const { posted, fed } = await readWith((m, message) => setTimeout(() => message({ id: m.id, ok: !m.jobs })));
    assert.equal(posted[0].ok, true);
    assert.deepEqual(fed, [
      [0, 1, 2, 3, 4],
      [0, 1, 2],
    ]);
  });

  test("a helper that never answers is dropped after its time: the reading does not hang", async () => {
    const { posted, fed, spawned } = await readWith(() => {});
    assert.equal(posted[0].ok, true);
    assert.deepEqual(fed, [
      [0, 1, 2, 3, 4],
      [0, 1, 2],
    ]);
    assert.ok(spawned.terminated >= 1);
  });

  test("helper: false: no helper is started", async () => {
    const { posted, fed, spawned, shared } = await readWith(answer, { use: false });
    assert.equal(posted[0].ok, true);
    assert.equal(spawned.count, 0);
    assert.equal(shared, 0);
    assert.deepEqual(fed, [
      [0, 1, 2, 3, 4],
      [0, 1, 2],
    ]);
  });
});
