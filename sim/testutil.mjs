// Shared helpers for sim/test/*.test.mjs (kept outside test/ so the runner does not treat it as a test file).
import http from "node:http";

export const APIHZ = { id: "10000000", key: "sim-apihz-key" };
export const JUHE = { key: "sim-juhe-key" };

/** Percent-encode every reserved byte, '+', '/' and '=' included (what a correct client sends). */
export const enc = (s) => encodeURIComponent(s);

export const form = (obj) =>
  Object.entries(obj)
    .map(([k, v]) => `${enc(k)}=${enc(v)}`)
    .join("&");

export async function postForm(url, body) {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body,
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

export async function postJson(url, body) {
  const r = await postForm(url, body);
  return { ...r, json: JSON.parse(r.text) };
}

/** Raw multipart/form-data body over bytes; parts: [{name, filename?, contentType?, data: Buffer|string}]. */
export function multipart(parts, boundary = "----simBoundary7MA4YWxkTrZu0gW") {
  const chunks = [];
  for (const p of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"`;
    if (p.filename !== undefined) head += `; filename="${p.filename}"`;
    head += "\r\n";
    if (p.contentType) head += `Content-Type: ${p.contentType}\r\n`;
    head += "\r\n";
    chunks.push(Buffer.from(head, "utf8"), Buffer.isBuffer(p.data) ? p.data : Buffer.from(p.data, "utf8"), Buffer.from("\r\n"));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** Low-level request; resolves {status, headers, text} or {error} if the connection failed. */
export function rawRequest(url, { method = "POST", headers = {}, body } = {}) {
  return new Promise((resolve) => {
    const req = http.request(url, { method, headers, agent: false }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", (error) => resolve({ error }));
    });
    req.on("error", (error) => resolve({ error }));
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** Wait (event-loop polling, no timing assertions) until predicate() is true; gives up after ~20 s
 *  so a broken simulator fails the test instead of hanging the run. */
export async function until(predicate, what = "condition") {
  for (let i = 0; !predicate(); i++) {
    if (i > 4000) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
