import { test, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { startSimulator, FIXTURES, APIHZ_PATH } from "../server.mjs";
import { sampleJpeg } from "../images.mjs";
import { APIHZ, JUHE, form, postForm, rawRequest, until } from "../testutil.mjs";

let sim;
before(async () => {
  sim = await startSimulator({ port: 0 });
});
after(() => sim.close());
beforeEach(() => sim.reset());

const body = form({ ...APIHZ, class: "1", type: "2", img: sampleJpeg().toString("base64") });
const post = (kind) => postForm(sim.faultUrl(kind), body);

for (const kind of ["500", "502", "503"]) {
  test(`fault ${kind}: HTML error page, not billable`, async () => {
    const r = await post(kind);
    assert.equal(r.status, Number(kind));
    assert.match(r.headers.get("content-type"), /^text\/html/);
    assert.match(r.text, /<html>/);
    assert.deepEqual(sim.calls(), [{ route: "apihz", provider: "apihz", billable: false, outcome: `fault-${kind}`, fault: kind }]);
  });
}

test("fault html: 200 with an HTML page, not billable", async () => {
  const r = await post("html");
  assert.equal(r.status, 200);
  assert.match(r.headers.get("content-type"), /^text\/html/);
  assert.throws(() => JSON.parse(r.text));
  assert.equal(sim.calls()[0].billable, false);
});

test("fault malformed: 200 JSON content type, truncated body, billable (the provider did the work)", async () => {
  const r = await post("malformed");
  assert.equal(r.status, 200);
  assert.equal(r.headers.get("content-type"), "application/json; charset=utf-8");
  assert.equal(r.text, '{"code":200,"Plate');
  assert.throws(() => JSON.parse(r.text));
  assert.deepEqual(sim.calls()[0], { route: "apihz", provider: "apihz", billable: true, outcome: "ok", fault: "malformed", base64Length: sampleJpeg().toString("base64").length });
});

test("fault empty: 200 with an empty body", async () => {
  const r = await post("empty");
  assert.equal(r.status, 200);
  assert.equal(r.text, "");
  assert.equal(sim.calls()[0].billable, true);
});

test("fault hangup: connection dropped without a response, not billable", async () => {
  await assert.rejects(post("hangup"));
  const raw = await rawRequest(sim.faultUrl("hangup"), { headers: { "content-type": "application/x-www-form-urlencoded" }, body });
  assert.ok(raw.error);
  assert.ok(sim.calls().every((c) => c.billable === false && c.outcome === "fault-hangup"));
  assert.equal(sim.calls().length, 2);
});

test("fault slow-<ms>: answers normally after the wait", async () => {
  const r = await post("slow-30");
  assert.deepEqual(JSON.parse(r.text), FIXTURES.apihzFront);
  assert.equal(sim.calls()[0].clientAborted, undefined);
});

test("fault slow: a client abort stops the wait and is recorded as clientAborted (still billable)", async () => {
  const ac = new AbortController();
  const p = fetch(sim.faultUrl("slow-600000"), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body,
    signal: ac.signal,
  });
  await until(() => sim.calls().length === 1);
  ac.abort();
  await assert.rejects(p, { name: "AbortError" });
  await until(() => sim.calls()[0].clientAborted === true);
  assert.equal(sim.calls()[0].billable, true);
  // the server is still healthy afterwards
  assert.equal(JSON.parse((await post("slow-0")).text).code, 200);
});

test("faults apply to juhe routes too", async () => {
  const r = await postForm(sim.faultUrl("503", "/verify_cardjz_certificate/query"), form({ key: JUHE.key, file: "x" }));
  assert.equal(r.status, 503);
  const m = await postForm(sim.faultUrl("malformed", "/verify_cardjz_certificate/query"), form({ key: JUHE.key, file: sampleJpeg().toString("base64") }));
  assert.equal(m.text, '{"code":200,"Plate');
  assert.deepEqual(
    sim.calls().map((c) => [c.route, c.billable]),
    [
      ["juhe-query", false],
      ["juhe-query", true],
    ],
  );
});

test("unknown fault kinds are 404", async () => {
  const r = await postForm(`${sim.url}/__fault/teapot${APIHZ_PATH}`, body);
  assert.equal(r.status, 404);
  assert.deepEqual(sim.calls(), []);
});

test("admin endpoints: GET /__sim/calls and POST /__sim/reset", async () => {
  await post("500");
  const calls = await (await fetch(`${sim.url}/__sim/calls`)).json();
  assert.equal(calls.length, 1);
  assert.equal(calls[0].outcome, "fault-500");
  const reset = await fetch(`${sim.url}/__sim/reset`, { method: "POST" });
  assert.equal(reset.status, 200);
  assert.deepEqual(await (await fetch(`${sim.url}/__sim/calls`)).json(), []);
  assert.deepEqual(sim.calls(), []);
});

test("a client that goes away before the body is complete is not recorded and the server keeps working", async () => {
  const net = await import("node:net");
  const { port } = new URL(sim.url);
  await new Promise((resolve) => {
    const s = net.connect(Number(port), "127.0.0.1", () => {
      s.write(`POST ${APIHZ_PATH} HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nid=1`);
      s.end();
      s.destroy();
      resolve();
    });
  });
  const r = await post("slow-0");
  assert.equal(JSON.parse(r.text).code, 200);
  assert.deepEqual(
    sim.calls().map((c) => c.outcome),
    ["ok"],
  );
});

for (const status of [301, 307, 308]) {
  test(`fault redirect-${status}: Location from ?to=, not billable`, async () => {
    const res = await fetch(`${sim.faultUrl(`redirect-${status}`)}?to=${encodeURIComponent("http://127.0.0.1:9/elsewhere")}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body,
      redirect: "manual",
    });
    assert.equal(res.status, status);
    assert.equal(res.headers.get("location"), "http://127.0.0.1:9/elsewhere");
    assert.deepEqual(sim.calls(), [{ route: "apihz", provider: "apihz", billable: false, outcome: `fault-redirect-${status}`, fault: `redirect-${status}` }]);
  });
}

test("fault gzip-bomb: a gzip answer that keeps expanding; stops when the client cancels", async () => {
  const res = await fetch(sim.faultUrl("gzip-bomb"), { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body });
  assert.equal(res.headers.get("content-encoding"), "gzip");
  const reader = res.body.getReader();
  let decoded = 0;
  while (decoded < 8 * 1024 * 1024) {
    const { done, value } = await reader.read();
    assert.ok(!done, "the answer expands past 8 MiB");
    decoded += value.length;
  }
  await reader.cancel();
  assert.equal(sim.calls()[0].billable, true);
});
