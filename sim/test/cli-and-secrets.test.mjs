import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { startSimulator } from "../server.mjs";
import { sampleJpeg } from "../images.mjs";
import { form, postForm, multipart, rawRequest, until } from "../testutil.mjs";

const ID = "10734591";
const APIHZ_KEY = "k-apihz-3f9a8c2e71";
const JUHE_KEY = "k-juhe-77d1e0b5aa";
const img = sampleJpeg({ totalBytes: 4000 });
const b64 = img.toString("base64");

/** Send every kind of request (success and failure) carrying the secrets. */
async function exercise(url) {
  const a = `${url}/api/ai/xingshizheng.php`;
  await postForm(a, form({ id: ID, key: APIHZ_KEY, class: "1", type: "2", img: b64 }));
  await postForm(a, form({ id: ID, key: "wrong-" + APIHZ_KEY, class: "1", type: "2", img: b64 }));
  await fetch(`${a}?${form({ id: ID, key: APIHZ_KEY, class: "2", type: "1", img: "https://example.invalid/x.jpg" })}`);
  await postForm(`${url}/__fault/malformed/api/ai/xingshizheng.php`, form({ id: ID, key: APIHZ_KEY, class: "1", type: "2", img: b64 }));
  await postForm(`${url}/verify_cardjz_certificate/query`, form({ key: JUHE_KEY, file: b64 }));
  await postForm(`${url}/verify_cardjz_certificate/query`, form({ key: "sim-error-10012", file: b64 }));
  const m = multipart([
    { name: "key", data: JUHE_KEY },
    { name: "file", filename: "a.jpg", data: img },
  ]);
  await rawRequest(`${url}/verify_cardjz_certificate/verify`, { headers: { "content-type": m.contentType }, body: m.body });
}

function assertNoSecrets(text) {
  for (const s of [ID, APIHZ_KEY, JUHE_KEY, b64.slice(0, 40), b64.slice(-40), "example.invalid"]) {
    assert.ok(!text.includes(s), `output leaks a secret or image data`);
  }
}

test("calls() and /__sim/calls contain no keys, ids or image data", async () => {
  const sim = await startSimulator({ port: 0, apihz: { id: ID, key: APIHZ_KEY }, juhe: { key: JUHE_KEY } });
  try {
    await exercise(sim.url);
    const calls = sim.calls();
    assert.equal(calls.length, 7);
    assert.deepEqual(
      calls.map((c) => c.outcome),
      ["ok", "auth", "ok", "ok", "ok", "code-10012", "ok"],
    );
    assertNoSecrets(JSON.stringify(calls));
    assertNoSecrets(await (await fetch(`${sim.url}/__sim/calls`)).text());
  } finally {
    await sim.close();
  }
});

test("CLI prints SIM_URL first and logs one line per request without secrets", async () => {
  const cli = fileURLToPath(new URL("../cli.mjs", import.meta.url));
  // The CLI runs with the default credentials: our keys are "wrong" there, but they are still sent
  // and must never show up in its output.
  const child = spawn(process.execPath, [cli, "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout.setEncoding("utf8");
  const firstLine = new Promise((resolve, reject) => {
    child.stdout.on("data", (d) => {
      out += d;
      const nl = out.indexOf("\n");
      if (nl >= 0) resolve(out.slice(0, nl));
    });
    child.on("exit", () => reject(new Error("cli exited early")));
  });
  try {
    const line = await firstLine;
    const m = /^SIM_URL=(http:\/\/127\.0\.0\.1:\d+)$/.exec(line);
    assert.ok(m, "first line is SIM_URL=...");
    await exercise(m[1]);
    // also with the CLI's default (valid) credentials so success paths are logged
    await postForm(`${m[1]}/api/ai/xingshizheng.php`, form({ id: "10000000", key: "sim-apihz-key", class: "1", type: "2", img: b64 }));
    await until(() => out.trim().split("\n").length >= 9, "8 log lines");
    const lines = out.trim().split("\n").slice(1);
    assert.equal(lines.length, 8);
    assertNoSecrets(out);
    assert.ok(!out.includes("sim-apihz-key") && !out.includes("10000000"), "default key/id not logged");
    assert.match(lines[7], /POST apihz 200 ok b64=\d+$/);
  } finally {
    child.kill("SIGTERM");
  }
});
