// The vehicle-doc-ocr Cloudflare Worker shim (issue #4): holds the provider keys and forwards
// prepared images, so a web page never sees a key. Deploying: docs/SHIM.md.
//
// Thin on purpose: every decision (routing, CORS, token, limits, error mapping, configuration)
// is made in Rust (crates/shim, unit-tested natively, in a wasm module only Workers load), through
// the package subpath `vehicle-doc-ocr/worker`. This file only moves bytes. The configuration is
// read from `env` once per isolate (`shimFor` keeps one shim per `env` object).
// Nothing here logs a key, an image, a request or a result (they are personal data); the only
// log line names a misconfigured variable, never its value.
import { recognize, shimFor } from "vehicle-doc-ocr/worker";

/** The request facts the Rust side decides on (header values as received). */
function facts(request) {
  const h = request.headers;
  return {
    method: request.method,
    url: request.url,
    origin: h.get("origin"),
    authorization: h.get("authorization"),
    contentType: h.get("content-type"),
    contentLength: h.get("content-length"),
    clientIp: h.get("cf-connecting-ip"),
  };
}

/** `{ status, headers, body }` from Rust: `body` is a JSON value, or null for no body. */
const answer = ({ status, headers, body }) =>
  new Response(body === null || body === undefined ? null : JSON.stringify(body), { status, headers });

/**
 * Read `body` while at most `cap` bytes arrived: its chunks (kept only when `keep`) and their
 * total, or null as soon as more arrived (the rest is never read).
 */
async function readUpTo(body, cap, keep) {
  const reader = body.getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return { chunks, total };
    total += value.byteLength;
    if (total > cap) {
      reader.cancel().catch(() => {});
      return null;
    }
    if (keep) chunks.push(value);
  }
}

/** The body, or null as soon as more than `cap` bytes arrived (the rest is never read). */
async function readCapped(body, cap) {
  if (body === null) return new Uint8Array(0);
  const read = await readUpTo(body, cap, true);
  if (read === null) return null;
  const { chunks, total } = read;
  if (chunks.length === 1) return chunks[0];
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    bytes.set(c, offset);
    offset += c.byteLength;
  }
  return bytes;
}

/**
 * Read and discard at most `limit` bytes of a body that will not be used, so that an HTTP/1.1
 * client still uploading gets the early answer rather than a reset (Rust decides the limit).
 */
async function drain(body, limit) {
  if (body === null || !limit) return;
  try {
    await readUpTo(body, limit, false);
  } catch {
    // the client went away: nothing to answer
  }
}

/** Answer a request whose body has not been read. */
async function early(request, response) {
  await drain(request.body, response.drainBytes);
  return answer(response);
}

let configChecked = false;

async function handle(request, env, req) {
  const shim = shimFor(env);
  if (!configChecked) {
    configChecked = true;
    const problems = shim.configProblems();
    if (problems) console.error(`vehicle-doc-ocr shim: configuration problem: ${problems}`);
  }
  const d = shim.decide(req);
  if (d.action === "respond") return early(request, d);

  if (env.RATE_LIMITER) {
    const { success } = await env.RATE_LIMITER.limit({ key: d.rateLimitKey });
    if (!success) return early(request, shim.reject(req, "rateLimited"));
  }
  const bytes = await readCapped(request.body, d.capBytes);
  if (bytes === null) return answer(shim.reject(req, "tooLarge"));
  const refused = shim.checkBody(req, bytes);
  if (refused) return answer(refused);

  try {
    const result = await recognize(bytes, d.options);
    return new Response(JSON.stringify(result), { status: 200, headers: d.headers });
  } catch (e) {
    return answer(shim.errorResponse(req, e));
  }
}

export default {
  async fetch(request, env) {
    const req = facts(request);
    try {
      return await handle(request, env, req);
    } catch {
      // A bug or a runtime failure: a generic answer, never the exception's text.
      try {
        return answer(shimFor(env).errorResponse(req, null));
      } catch {
        return new Response('{"error":{"code":"PROVIDER_ERROR","message":"internal error in the OCR shim","retryable":false}}', {
          status: 502,
          headers: { "content-type": "application/json; charset=utf-8", vary: "Origin" },
        });
      }
    }
  },
};
