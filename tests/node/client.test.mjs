// createClient() (the app's options held once, each call's merged over them), prepareImage()'s
// signal, onProgress and blob, and configureWasm() (where the .wasm files are) in Node, against the
// provider simulator over 127.0.0.1.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { after, before, beforeEach, describe, test } from "node:test";
import { promisify } from "node:util";
import * as ocr from "../../npm/src/node.js";
import { CARD_JPEG, CREDS, apihzOptions, assertNoSecrets, billable, faulty, rejection as rejectionOf, startSim } from "./helpers.mjs";

const { AbortedError, ConfigError, createClient, prepareImage } = ocr;
const rejection = (promise, cls) => rejectionOf(promise, cls, (err) => assertNoSecrets(assert, err, cls.name));
let sim;
before(async () => { sim = await startSim(); });
after(async () => { await sim.close(); });
beforeEach(() => sim.reset());

/** A fetch that counts its calls and passes them on. */
function spyFetch() {
  const f = (url, init) => {
    f.calls += 1;
    return fetch(url, init);
  };
  f.calls = 0;
  return f;
}

describe("createClient", () => {
  test("holds the app's options once; each call's options are merged over them", async () => {
    const clientFetch = spyFetch();
    const callFetch = spyFetch();
    const client = createClient({ apihz: { ...CREDS.apihz, endpoints: [sim.apihzUrl] }, timeoutMs: 10_000, fetch: clientFetch });
    assert.deepEqual(Object.keys(client).sort(), ["assessImage", "crossCheck", "prepareImage", "recognize"]);

    const front = await client.recognize(CARD_JPEG, { document: "vehicleLicenseFront" });
    assert.equal(front.document, "vehicleLicenseFront");
    assert.equal(clientFetch.calls, 1);

    // A call's own fetch wins; its `apihz` is merged one level deep (id and key kept from the client).
    const back = await client.recognize(CARD_JPEG, {
      document: "vehicleLicenseBack", fetch: callFetch, apihz: { endpoints: [faulty(sim, "500"), sim.apihzUrl] },
    });
    assert.equal(back.document, "vehicleLicenseBack");
    assert.deepEqual([clientFetch.calls, callFetch.calls], [1, 2], "the call's fetch, over both endpoints");
    assert.equal(billable(sim), 2);

    // The client's options are checked like a call's: an unknown one is a ConfigError, nothing sent.
    const bad = createClient({ apihz: { ...CREDS.apihz, endpoints: [sim.apihzUrl] }, colour: "red" });
    const err = await rejection(bad.recognize(CARD_JPEG, { document: "vehicleLicenseFront" }), ConfigError);
    assert.match(err.message, /colour/);
    assert.equal(billable(sim), 2);

    const issues = await client.crossCheck({ front, back });
    assert.ok(Array.isArray(issues));
  });

  test("prepareImage takes the client's prepare settings and budget, under the call's", async () => {
    const client = createClient({ ...apihzOptions(sim), prepare: { maxLongSidePx: 320, codec: "wasm" }, maxBase64Chars: 500_000 });
    const p = await client.prepareImage(CARD_JPEG);
    assert.deepEqual([p.width, p.height, p.codec], [320, 200, "wasm"]);
    const q = await client.prepareImage(CARD_JPEG, { maxLongSidePx: 160 });
    assert.deepEqual([q.width, q.height], [160, 100]);
    assert.throws(() => createClient("https://x.example"), ConfigError);
  });
});

describe("prepareImage signal, onProgress and blob", () => {
  test("onProgress sees preparing then done (with the image); the result offers a JPEG Blob", async () => {
    const events = [];
    const p = await prepareImage(CARD_JPEG, { maxLongSidePx: 320, onProgress: (e) => events.push(e) });
    assert.deepEqual(events.map((e) => e.stage), ["preparing", "done"]);
    assert.equal(events[1].image, p);
    assert.ok(p.blob instanceof Blob);
    assert.equal(p.blob.type, "image/jpeg");
    assert.equal(p.blob.size, p.byteLength);
    assert.deepEqual(new Uint8Array(await p.blob.arrayBuffer()), p.bytes);
    assert.equal(p.blob, p.blob, "created once");
    assert.ok(!Object.keys(p).includes("blob") && !("blob" in JSON.parse(JSON.stringify(p))), "not in JSON");
  });

  test("an aborted signal rejects with AbortedError and stops the work between steps", async () => {
    const before = new AbortController();
    before.abort();
    await rejection(prepareImage(CARD_JPEG, { signal: before.signal }), AbortedError);

    const during = new AbortController();
    const events = [];
    const err = await rejection(
      prepareImage(CARD_JPEG, { maxLongSidePx: 320, signal: during.signal, onProgress: (e) => { events.push(e.stage); during.abort(); } }),
      AbortedError,
    );
    assert.match(err.message, /cancelled/);
    assert.deepEqual(events, ["preparing"], "no `done` after the abort");
    await rejection(prepareImage(CARD_JPEG, { signal: "soon" }), ConfigError);
    await rejection(prepareImage(CARD_JPEG, { onProgress: 1 }), ConfigError);
  });

  test("an exception in onProgress is the caller's own, unchanged", async () => {
    const mine = new RangeError("mine");
    await assert.rejects(prepareImage(CARD_JPEG, { onProgress: () => { throw mine; } }), (e) => e === mine);
  });
});

// configureWasm() changes the module-wide loader, so each case runs in a fresh Node process.
const run = promisify(execFile);
const entry = new URL("../../npm/src/node.js", import.meta.url).href;
const wasmUrl = (name) => new URL(`../../npm/wasm/${name}`, import.meta.url);
const png1 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC";

async function inFreshNode(body) {
  const script = `import * as vdo from ${JSON.stringify(entry)};
    const png = Buffer.from(${JSON.stringify(png1)}, "base64");
    const out = async (p) => { try { const v = await p; return { ok: v?.width ?? true }; } catch (e) { return { code: e.code, message: e.message }; } };
    ${body}`;
  const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script]);
  return JSON.parse(stdout);
}

describe("configureWasm", () => {
  test("takes a path, a file: URL, bytes or a compiled WebAssembly.Module for each module", async () => {
    const main = wasmUrl("vehicle_doc_ocr_bg.wasm");
    const codec = wasmUrl("vehicle_doc_ocr_image_bg.wasm");
    const r = await inFreshNode(`
      const fs = await import("node:fs");
      vdo.configureWasm({ main: new WebAssembly.Module(fs.readFileSync(new URL(${JSON.stringify(main.href)}))),
        codec: fs.readFileSync(new URL(${JSON.stringify(codec.href)})) });
      const a = await out(vdo.prepareImage(png));
      console.log(JSON.stringify({ a, late: await out((async () => vdo.configureWasm({ main: "x.wasm" }))()) }));`);
    assert.deepEqual(r.a, { ok: 1 });
    assert.equal(r.late.code, "CONFIG");
    assert.match(r.late.message, /already loaded; call configureWasm\(\) before the first call/);
    const paths = await inFreshNode(`
      vdo.configureWasm({ main: ${JSON.stringify(main.pathname)}, codec: new URL(${JSON.stringify(codec.href)}) });
      console.log(JSON.stringify(await out(vdo.prepareImage(png))));`);
    assert.deepEqual(paths, { ok: 1 });
  });

  test("a wrong location or an HTML answer is a ConfigError that says what to do", async () => {
    const r = await inFreshNode(`
      const res = [];
      res.push(await out((async () => vdo.configureWasm({ main: 42 }))()));
      res.push(await out((async () => vdo.configureWasm({ shim: "x" }))()));
      vdo.configureWasm({ main: new Response("<!doctype html><html>index</html>", { headers: { "content-type": "text/html" } }) });
      res.push(await out(vdo.prepareImage(png)));
      vdo.configureWasm({ main: "/no/such/file.wasm" });
      res.push(await out(vdo.prepareImage(png)));
      console.log(JSON.stringify(res));`);
    assert.deepEqual(r.map((x) => x.code), ["CONFIG", "CONFIG", "CONFIG", "CONFIG"]);
    assert.match(r[0].message, /`main` must be a URL \(string or URL\), a Response, an ArrayBuffer\/typed array or a WebAssembly.Module/);
    assert.match(r[1].message, /unknown module `shim`/);
    assert.match(r[2].message, /got HTML instead of WebAssembly at .*optimizeDeps: \{ exclude: \["vehicle-doc-ocr"\] \}.*configureWasm\(\{ main, codec, quality \}\)/);
    assert.match(r[3].message, /could not load the vehicle-doc-ocr main WebAssembly module/);
  });

  test("configureWasm({ local }): what the local worker cannot receive is a ConfigError at the first local call (Node's and the browser's rule)", async () => {
    // Node: configureWasm() takes a Response for any module, but the worker thread cannot receive one.
    const r = await inFreshNode(`
      vdo.configureWasm({ local: new Response("x") });
      console.log(JSON.stringify(await out(vdo.recognize(png, { document: "vehicleLicenseFront", local: {} }))));`);
    assert.equal(r.code, "CONFIG");
    assert.match(r.message, /`local` must be a path, a file: URL, bytes or a WebAssembly.Module in Node/);
    // The browser's rule (checked before its Web Worker is started, so it runs here).
    const { readLocally } = await import("../../npm/src/local-browser.js");
    const read = (wasm) => readLocally({}, new Uint8Array(1), "vehicleLicenseFront", { wasm });
    for (const wasm of [new Response("x"), Promise.resolve(new Uint8Array(1)), 42]) {
      await assert.rejects(read(wasm), (e) => e instanceof ConfigError && /`local` must be a URL, bytes or a WebAssembly.Module \(the worker cannot receive a Response\)/.test(e.message));
    }
    // A URL is resolved against the page: without one, a relative URL cannot be.
    await assert.rejects(read("local.wasm"), (e) => e instanceof ConfigError && /`local` must be a URL \(absolute, or relative to the page\)/.test(e.message));
    // Accepted locations go on to the worker (which Node does not have as a Web Worker).
    for (const wasm of ["https://cdn.example/vehicle_doc_ocr_local_bg.wasm", new URL("https://cdn.example/x.wasm"), new Uint8Array(4), undefined]) {
      await assert.rejects(read(wasm), (e) => e instanceof ConfigError && /runs in a Web Worker/.test(e.message));
    }
  });
});
