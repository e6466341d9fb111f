// Test harness of the Worker shim: bundles worker/ exactly as `wrangler deploy` would (dry run,
// offline), runs the bundle in the real workerd through miniflare, and records every answer so
// a suite can scan all of them for the keys at the end.
import net from "node:net";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, beforeEach } from "node:test";
import { Miniflare } from "miniflare";
import { startSimulator } from "../../sim/server.mjs";
import { bundleWorker, workerOptions } from "./workerd.mjs";
export { withComment } from "../../sim/images.mjs";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** The Worker's secrets in the suites: deliberately different from anything a client sends. */
export const KEYS = Object.freeze({
  APIHZ_ID: "20260001",
  APIHZ_KEY: "wkr+Apihz/Key=0f9e8d7c",
  JUHE_KEY: "wkr+Juhe/Key=6b5a4c3d",
  SHIM_TOKEN: "tok-0123456789abcdef-shim",
});
/** Every form in which a key could leak (raw, percent-encoded, form-encoded). */
export const SECRET_FORMS = Object.values(KEYS).flatMap((k) => [
  k,
  encodeURIComponent(k),
  new URLSearchParams({ k }).toString().slice(2),
]);

export const APP = "https://app.example.com";
export const CARD_JPEG = new Uint8Array(readFileSync(join(ROOT, "tests/node/fixtures/card-640x400.jpg")));
export const CARD_PNG = new Uint8Array(readFileSync(join(ROOT, "tests/node/fixtures/card-640x400.png")));

/** Every answer of every Worker in this process: `{ what, status, headers, body }`. */
export const seen = [];
/** Everything the Workers' runtime printed (console.* of the Worker included). */
export const runtimeOutput = [];

/**
 * A suite's stack, with its node:test hooks registered: one provider simulator that knows KEYS
 * (records reset before each test), Workers wired to it through `worker(vars, opts)` (`defaults`
 * and then `vars` override the provider settings), and everything closed after the suite.
 */
export function useStack(defaults = {}) {
  let starting = null;
  // Root-level `before` hooks of different registrations may overlap: every user waits for this.
  const ready = () =>
    (starting ??= startSimulator({
      port: 0,
      quiet: true,
      apihz: { id: KEYS.APIHZ_ID, key: KEYS.APIHZ_KEY },
      juhe: { key: KEYS.JUHE_KEY },
    }).then((sim) => {
      stack.sim = sim;
    }));
  const stack = {
    /** The provider simulator (set once the suite's `before` hooks ran). */
    sim: null,
    /** Every Worker started by `worker()`, closed after the suite. */
    workers: [],
    async worker(vars = {}, opts = {}) {
      await ready();
      const w = await startWorker(
        {
          APIHZ_ID: KEYS.APIHZ_ID,
          APIHZ_KEY: KEYS.APIHZ_KEY,
          JUHE_KEY: KEYS.JUHE_KEY,
          APIHZ_ENDPOINTS: stack.sim.apihzUrl,
          JUHE_BASE_URL: stack.sim.juheBaseUrl,
          ...defaults,
          ...vars,
        },
        opts,
      );
      stack.workers.push(w);
      return w;
    },
    /** Close `w` now (a test that needs it gone). */
    async close(w) {
      stack.workers.splice(stack.workers.indexOf(w), 1);
      await w.close();
    },
  };
  before(ready);
  after(async () => {
    for (const w of stack.workers) await w.close();
    await stack.sim?.close();
    cleanupBundle();
  });
  beforeEach(() => stack.sim.reset());
  return stack;
}

let bundleDir = null;
/** The Worker's bundle, made once per process (see workerd.mjs). */
export function bundle() {
  bundleDir ??= bundleWorker("shim-bundle-");
  return bundleDir;
}

export function cleanupBundle() {
  if (bundleDir) rmSync(bundleDir, { recursive: true, force: true });
  bundleDir = null;
}

/**
 * Start the Worker in workerd with `vars` as its environment (secrets and vars alike).
 * `rateLimit`: the RATE_LIMITER binding's limit per 60 s (null: no binding).
 */
export async function startWorker(vars, { rateLimit = 1000 } = {}) {
  const mf = new Miniflare(
    workerOptions(bundle(), {
      bindings: Object.fromEntries(Object.entries(vars).filter(([, v]) => v !== undefined)),
      rateLimit,
      host: "127.0.0.1",
      port: 0,
      handleRuntimeStdio(stdout, stderr) {
        stdout.on("data", (d) => runtimeOutput.push(String(d)));
        stderr.on("data", (d) => runtimeOutput.push(String(d)));
      },
    }),
  );
  const url = String(await mf.ready).replace(/\/$/, "");
  return {
    url,
    /**
     * One request over a fresh HTTP/1.1 connection (`Connection: close`); the answer is recorded
     * and returned. `body`: bytes; an (async) iterable of chunks, sent chunked without
     * Content-Length; or `{ declaredLength, chunks }`, sent raw under that Content-Length. The answer is read even when the Worker answers before the whole body
     * was sent (early refusals), which fetch() reports as a network error.
     */
    async call(path, { method = "GET", headers = {}, body } = {}, what = `${method} ${path}`) {
      const res = await rawRequest(url + path, method, headers, body);
      const answer = { what, ...res };
      seen.push(answer);
      return { ...answer, json: () => JSON.parse(res.body) };
    },
    close: () => mf.dispose(),
  };
}

/** A minimal HTTP/1.1 client over a raw socket. Write errors after the answer are ignored. */
function rawRequest(url, method, headers, body) {
  const u = new URL(url);
  const lines = [`${method} ${u.pathname}${u.search} HTTP/1.1`, `host: ${u.host}`, "connection: close"];
  for (const [k, v] of Object.entries(headers)) if (v !== undefined && v !== null) lines.push(`${k}: ${v}`);
  const declared = body?.declaredLength;
  const streamed = body !== undefined && !(body instanceof Uint8Array);
  if (body instanceof Uint8Array) lines.push(`content-length: ${body.length}`);
  else if (declared !== undefined) lines.push(`content-length: ${declared}`);
  else if (streamed) lines.push("transfer-encoding: chunked");
  else if (method === "POST" || method === "PUT") lines.push("content-length: 0");
  return new Promise((resolve, reject) => {
    const sock = net.connect(Number(u.port), u.hostname);
    const got = [];
    let done = false;
    const finish = (final) => {
      if (done) return;
      let res;
      try {
        res = parseResponse(Buffer.concat(got), final);
      } catch (e) {
        done = true;
        reject(e);
        return;
      }
      if (res) {
        done = true;
        sock.destroy();
        resolve(res);
      }
    };
    sock.on("data", (d) => {
      got.push(d);
      finish(false);
    });
    sock.on("error", () => {}); // EPIPE/ECONNRESET after an early answer: judged on what arrived
    sock.on("close", () => finish(true));
    sock.on("connect", async () => {
      sock.write(`${lines.join("\r\n")}\r\n\r\n`);
      if (body instanceof Uint8Array) sock.write(body);
      else if (streamed) {
        for await (const chunk of declared === undefined ? body : body.chunks) {
          if (done || got.length > 0) return; // answered: stop sending
          const ok = declared === undefined
            ? sock.write(`${chunk.length.toString(16)}\r\n`) && sock.write(chunk) && sock.write("\r\n")
            : sock.write(chunk);
          if (!ok) await new Promise((r) => { sock.once("drain", r); sock.once("close", r); });
        }
        if (!done && got.length === 0 && declared === undefined) sock.write("0\r\n\r\n");
      }
    });
  });
}

/** The answer in `buf`, or null while incomplete (`final`: the connection has closed). */
function parseResponse(buf, final) {
  const end = buf.indexOf("\r\n\r\n");
  if (end < 0) {
    if (final) throw new Error(`no HTTP answer (${buf.length} bytes received)`);
    return null;
  }
  const [statusLine, ...headerLines] = buf.subarray(0, end).toString("latin1").split("\r\n");
  const status = Number(statusLine.split(" ")[1]);
  const headers = {};
  for (const l of headerLines) {
    const i = l.indexOf(":");
    const k = l.slice(0, i).trim().toLowerCase();
    const v = l.slice(i + 1).trim();
    headers[k] = k in headers ? `${headers[k]}, ${v}` : v;
  }
  let rest = buf.subarray(end + 4);
  if ((headers["transfer-encoding"] ?? "").includes("chunked")) {
    const parts = [];
    for (;;) {
      const nl = rest.indexOf("\r\n");
      if (nl < 0) return final ? fail() : null;
      const size = parseInt(rest.subarray(0, nl).toString("latin1"), 16);
      if (size === 0) break;
      if (!(size > 0) || rest.length < nl + 2 + size + 2) return final ? fail() : null;
      parts.push(rest.subarray(nl + 2, nl + 2 + size));
      rest = rest.subarray(nl + 2 + size + 2);
    }
    rest = Buffer.concat(parts);
    delete headers["transfer-encoding"];
  } else if (headers["content-length"] !== undefined) {
    const n = Number(headers["content-length"]);
    if (rest.length < n) return final ? fail() : null;
    rest = rest.subarray(0, n);
  } else if (status === 204 || status === 304) {
    rest = rest.subarray(0, 0);
  } else if (!final) {
    return null; // delimited by the connection's end
  }
  return { status, headers, body: rest.toString("utf8") };

  function fail() {
    throw new Error(`truncated HTTP answer (status ${status})`);
  }
}


/** The request headers of an image upload. */
export function imageHeaders(extra = {}, type = "image/jpeg") {
  return { "content-type": type, ...extra };
}

/** Scan a text for every form of every key. Returns the names of leaked keys. */
export function leaks(text) {
  return SECRET_FORMS.filter((s) => text.includes(s));
}
