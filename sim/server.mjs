// Provider simulator for apihz (行驶证) and juhe (车辆登记证) — test-only, not shipped.
// Node >= 20, ESM, zero npm dependencies. See sim/README.md.
import http from "node:http";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { Readable } from "node:stream";
import { createGzip, constants as zlibConstants } from "node:zlib";

// ---------------------------------------------------------------------------
// Messages. [doc] = printed in the provider's document; [guess] = NOT verified
// anywhere (the real apihz text may differ; clients must classify loosely).
// ---------------------------------------------------------------------------
export const APIHZ_MSG = {
  auth: "通讯秘钥错误。", // [doc]
  imageParse: "图片解析失败，请检查BASE64编码", // [guess]
  imgMissing: "图片地址不能为空", // [guess]
  classInvalid: "正副页参数错误，class只能为1或2", // [guess]
  typeInvalid: "图片方式参数错误，type只能为1或2", // [guess]
  tooLarge: "BASE64编码大小不能超过1M", // [guess] wording taken from the doc's parameter text
  urlInvalid: "远程图片地址错误", // [guess]
  quota: "账户余额不足，请充值", // [guess]
  rate: "请求过于频繁，请稍后再试", // [guess]
  unreadable: "识别失败，未识别到行驶证", // [guess]
};

// juhe error codes and reasons, all [doc].
export const JUHE_CODES = {
  10001: "错误的请求KEY",
  10002: "该KEY无请求权限",
  10003: "KEY过期",
  10004: "错误的OPENID",
  10005: "应用未审核超时，请提交认证",
  10007: "未知的请求源",
  10008: "被禁止的IP",
  10009: "被禁止的KEY",
  10011: "当前IP请求超过限制",
  10012: "请求超过次数限制",
  10013: "测试KEY超过请求限制",
  10014: "系统内部异常(调用充值类业务时，请务必联系客服或通过订单查询接口检测订单，避免造成损失)",
  10020: "接口维护",
  10021: "接口停用",
  270901: "网络错误",
  270902: "file参数不可为空",
  270903: "识别失败",
};

export const APIHZ_PATH = "/api/ai/xingshizheng.php";
export const JUHE_QUERY_PATH = "/verify_cardjz_certificate/query";
export const JUHE_VERIFY_PATH = "/verify_cardjz_certificate/verify";
export const FAULT_KINDS = ["500", "502", "503", "html", "malformed", "slow-<ms>", "hangup", "empty"];

const MARK_UNREADABLE = Buffer.from("SIM:UNREADABLE", "latin1");
const MARK_DOC = Buffer.from("SIM:DOC-EXAMPLE", "latin1");
const MAX_BODY_BYTES = 32 * 1024 * 1024; // hard cap so a runaway client can't exhaust memory

const here = dirname(fileURLToPath(import.meta.url));
const fixturesDir = join(here, "..", "fixtures", "providers");
const loadFixture = (name) => JSON.parse(readFileSync(join(fixturesDir, name), "utf8"));
// Doc examples are served byte-for-byte as stored (trailing newline trimmed).
const loadRaw = (name) => readFileSync(join(fixturesDir, name), "utf8").trimEnd();
export const FIXTURES = Object.freeze({
  apihzFront: loadFixture("sim-apihz-front.json"),
  apihzBack: loadFixture("sim-apihz-back.json"),
  juheCertificate: loadFixture("sim-juhe-certificate.json"),
  apihzFrontDoc: loadRaw("apihz-front.doc.json"),
  apihzBackDoc: loadRaw("apihz-back.doc.json"),
  juheQueryDoc: loadRaw("juhe-query.doc.json"),
  juheVerifyDoc: loadRaw("juhe-verify.doc.json"),
});

// ---------------------------------------------------------------------------
// Helpers (exported for tests)
// ---------------------------------------------------------------------------

/** Decode one x-www-form-urlencoded component the way PHP's urldecode does:
 *  `+` → space first, then %XX; malformed % sequences are kept literally.
 *  Input is a byte string (latin1, as read off the wire); the result is decoded as UTF-8. */
export function phpUrlDecode(s) {
  const src = Buffer.from(s.replace(/\+/g, " "), "latin1");
  const out = Buffer.alloc(src.length);
  let j = 0;
  const hex = (c) =>
    c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x41 && c <= 0x46 ? c - 55 : c >= 0x61 && c <= 0x66 ? c - 87 : -1;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === 0x25 && i + 2 < src.length && hex(src[i + 1]) >= 0 && hex(src[i + 2]) >= 0) {
      out[j++] = hex(src[i + 1]) * 16 + hex(src[i + 2]);
      i += 2;
    } else out[j++] = c;
  }
  return out.subarray(0, j).toString("utf8");
}

/** Parse a query string / form body like PHP (last duplicate wins). */
export function parsePhpForm(text) {
  const out = Object.create(null);
  if (!text) return out;
  for (const part of text.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    const k = phpUrlDecode(eq < 0 ? part : part.slice(0, eq));
    const v = eq < 0 ? "" : phpUrlDecode(part.slice(eq + 1));
    out[k] = v;
  }
  return out;
}

/** Strict standard base64 (A-Z a-z 0-9 + /, '=' padding, length multiple of 4). Returns Buffer or null. */
export function strictBase64Decode(s) {
  if (typeof s !== "string" || s.length === 0 || s.length % 4 !== 0) return null;
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s)) return null;
  return Buffer.from(s, "base64");
}

/** True when bytes start with JPEG, PNG, WebP, GIF or BMP magic. */
export function looksLikeImage(b) {
  if (!b || b.length < 4) return false;
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return true; // JPEG
  if (b.length >= 8 && b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return true;
  if (b.length >= 12 && b.toString("latin1", 0, 4) === "RIFF" && b.toString("latin1", 8, 12) === "WEBP") return true;
  if (b.toString("latin1", 0, 4) === "GIF8") return true;
  if (b[0] === 0x42 && b[1] === 0x4d) return true; // BMP "BM"
  return false;
}

/** Parse multipart/form-data over raw bytes. Returns [{name, filename, contentType, data: Buffer}] or null. */
export function parseMultipart(body, contentType) {
  const m = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType || "");
  if (!m) return null;
  const boundary = (m[1] || m[2]).trim();
  const delim = Buffer.from("--" + boundary, "latin1");
  const parts = [];
  let pos = body.indexOf(delim);
  if (pos < 0) return null;
  for (;;) {
    pos += delim.length;
    // "--" after a delimiter closes the body
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) break;
    // skip transport padding then CRLF
    while (body[pos] === 0x20 || body[pos] === 0x09) pos++;
    if (body[pos] === 0x0d && body[pos + 1] === 0x0a) pos += 2;
    else return null;
    const headEnd = body.indexOf("\r\n\r\n", pos, "latin1");
    if (headEnd < 0) return null;
    const headers = body.toString("utf8", pos, headEnd).split("\r\n");
    const next = body.indexOf(Buffer.concat([Buffer.from("\r\n", "latin1"), delim]), headEnd + 4);
    if (next < 0) return null;
    const part = { name: null, filename: null, contentType: null, data: body.subarray(headEnd + 4, next) };
    for (const h of headers) {
      const i = h.indexOf(":");
      if (i < 0) continue;
      const hn = h.slice(0, i).trim().toLowerCase();
      const hv = h.slice(i + 1).trim();
      if (hn === "content-disposition") {
        const n = /(?:^|;)\s*name="([^"]*)"/i.exec(hv) || /(?:^|;)\s*name=([^;]*)/i.exec(hv);
        const f = /(?:^|;)\s*filename="([^"]*)"/i.exec(hv) || /(?:^|;)\s*filename=([^;]*)/i.exec(hv);
        if (n) part.name = n[1].trim();
        if (f) part.filename = f[1].trim();
      } else if (hn === "content-type") part.contentType = hv;
    }
    parts.push(part);
    pos = next + 2;
  }
  return parts;
}

// ---------------------------------------------------------------------------
// Provider logic: pure functions from parameters to {status, body, outcome, billable}
// Billing policy (documented in README): a call is billable when the provider
// authenticated the caller and then did work / answered about the image —
// i.e. any JSON answer after successful auth except quota/rate refusals.
// Failed auth is never billable. This is the conservative reading for the
// "never retry a call the provider may have processed" rule.
// ---------------------------------------------------------------------------

function apihzAnswer(params, cfg) {
  const r = (outcome, body, billable, extra = {}) => ({ outcome, body, billable, ...extra });
  const id = params.id ?? "";
  const key = params.key ?? "";
  const special = key === "sim-quota" || key === "sim-rate";
  if (!special && (id !== cfg.apihz.id || key !== cfg.apihz.key)) return r("auth", { code: 400, msg: APIHZ_MSG.auth }, false);
  if (key === "sim-quota") return r("quota", { code: 400, msg: APIHZ_MSG.quota }, false);
  if (key === "sim-rate") return r("rate", { code: 400, msg: APIHZ_MSG.rate }, false);
  const cls = params.class;
  if (cls !== "1" && cls !== "2") return r("class-invalid", { code: 400, msg: APIHZ_MSG.classInvalid }, true);
  const img = params.img ?? "";
  if (img === "") return r("img-missing", { code: 400, msg: APIHZ_MSG.imgMissing }, true);
  const type = params.type;
  if (type === "1") {
    if (!/^https?:\/\/[^\s]+$/i.test(img)) return r("url-invalid", { code: 400, msg: APIHZ_MSG.urlInvalid }, true);
    if (img.includes("SIM:UNREADABLE")) return r("unreadable", { code: 400, msg: APIHZ_MSG.unreadable }, true);
    if (img.includes("SIM:DOC-EXAMPLE"))
      return r("ok-doc", cls === "1" ? FIXTURES.apihzFrontDoc : FIXTURES.apihzBackDoc, true);
    return r("ok", cls === "1" ? FIXTURES.apihzFront : FIXTURES.apihzBack, true);
  }
  if (type !== "2") return r("type-invalid", { code: 400, msg: APIHZ_MSG.typeInvalid }, true);
  const b64Len = img.length;
  if (b64Len > cfg.maxBase64Chars) return r("too-large", { code: 400, msg: APIHZ_MSG.tooLarge }, true, { b64Len });
  // A remaining data: head (or a '+' turned into a space) makes the strict decode fail.
  const bytes = strictBase64Decode(img);
  if (!bytes || !looksLikeImage(bytes)) return r("image-parse", { code: 400, msg: APIHZ_MSG.imageParse }, true, { b64Len });
  if (bytes.includes(MARK_UNREADABLE)) return r("unreadable", { code: 400, msg: APIHZ_MSG.unreadable }, true, { b64Len });
  if (bytes.includes(MARK_DOC))
    return r("ok-doc", cls === "1" ? FIXTURES.apihzFrontDoc : FIXTURES.apihzBackDoc, true, { b64Len });
  return r("ok", cls === "1" ? FIXTURES.apihzFront : FIXTURES.apihzBack, true, { b64Len });
}

let orderSeq = 0;
function newOrderId() {
  orderSeq = (orderSeq + 1) % 1e11;
  return "JH" + String(Date.now()).padStart(13, "0") + String(orderSeq).padStart(11, "0");
}

function juheError(code) {
  return { reason: JUHE_CODES[code], result: null, error_code: code };
}

/** key: string|undefined; image: {kind:"base64", text} | {kind:"bytes", data} | null; verify: which doc example. */
function juheAnswer(key, image, cfg, verify) {
  const r = (outcome, body, billable, extra = {}) => ({ outcome, body, billable, ...extra });
  const sp = /^sim-error-(\d+)$/.exec(key ?? "");
  if (sp && JUHE_CODES[sp[1]] !== undefined) {
    const code = Number(sp[1]);
    // system-level (1xxxx) codes are refusals before work: not billable; service-level (2709xx) are.
    return r("code-" + code, juheError(code), code >= 200000);
  }
  if (!key || key !== cfg.juhe.key) return r("code-10001", juheError(10001), false);
  let bytes;
  let b64Len;
  if (!image || (image.kind === "base64" ? image.text === "" : image.data.length === 0))
    return r("code-270902", juheError(270902), true);
  if (image.kind === "base64") {
    b64Len = image.text.length;
    // [guess] the juhe doc states no size limit; we refuse over-budget base64 as a recognition failure.
    if (b64Len > cfg.maxBase64Chars) return r("too-large", juheError(270903), true, { b64Len });
    bytes = strictBase64Decode(image.text); // [guess] a data: head is not stripped by juhe either
  } else {
    bytes = image.data;
    // [guess] same budget for uploads, measured as the base64 length the bytes would have
    if (Math.ceil(bytes.length / 3) * 4 > cfg.maxBase64Chars) return r("too-large", juheError(270903), true);
  }
  if (!bytes || !looksLikeImage(bytes)) return r("code-270903", juheError(270903), true, { b64Len });
  if (bytes.includes(MARK_UNREADABLE)) return r("unreadable", juheError(270903), true, { b64Len });
  const doc = bytes.includes(MARK_DOC);
  const base = doc ? (verify ? FIXTURES.juheVerifyDoc : FIXTURES.juheQueryDoc) : FIXTURES.juheCertificate;
  const body = doc ? base : structuredClone(base);
  if (!doc) body.result.orderid = newOrderId();
  return r(doc ? "ok-doc" : "ok", body, true, { b64Len });
}

// ---------------------------------------------------------------------------
// HTTP server
// ---------------------------------------------------------------------------

const JSON_CT = "application/json; charset=utf-8";
const HTML_CT = "text/html; charset=utf-8";
const HTML_PAGE = (title) =>
  `<!DOCTYPE html><html><head><title>${title}</title></head><body><h1>${title}</h1><hr><center>nginx</center></body></html>`;

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on("data", (c) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error("body too large"));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
    req.on("close", () => {
      if (!req.complete) reject(new Error("client went away before the body was complete"));
    });
  });
}

function routeOf(pathname) {
  if (pathname === APIHZ_PATH) return { route: "apihz", provider: "apihz" };
  if (pathname === JUHE_QUERY_PATH) return { route: "juhe-query", provider: "juhe" };
  if (pathname === JUHE_VERIFY_PATH) return { route: "juhe-verify", provider: "juhe" };
  return null;
}

/** Run the provider behind a route; returns {outcome, body, billable, b64Len?} or an HTTP-level result. */
function dispatch(route, req, url, body, cfg) {
  const ct = String(req.headers["content-type"] || "").toLowerCase();
  if (route === "apihz") {
    if (req.method !== "GET" && req.method !== "POST") return null;
    const params = parsePhpForm(url.search.slice(1));
    // PHP fills $_POST only for form bodies; POST values override query values (like $_REQUEST).
    if (req.method === "POST" && ct.startsWith("application/x-www-form-urlencoded"))
      Object.assign(params, parsePhpForm(body.toString("latin1")));
    return apihzAnswer(params, cfg);
  }
  if (req.method !== "POST") return null;
  if (route === "juhe-query") {
    const params = parsePhpForm(url.search.slice(1));
    if (ct.startsWith("application/x-www-form-urlencoded")) Object.assign(params, parsePhpForm(body.toString("latin1")));
    const image = params.file === undefined ? null : { kind: "base64", text: params.file };
    return juheAnswer(params.key, image, cfg, false);
  }
  // juhe-verify: multipart
  // PHP-like: `key` may come from the query or a form body; `file` counts only as an uploaded file part.
  const params = parsePhpForm(url.search.slice(1));
  if (ct.startsWith("application/x-www-form-urlencoded")) Object.assign(params, parsePhpForm(body.toString("latin1")));
  let key = params.key;
  let image = null;
  const parts = ct.startsWith("multipart/form-data") ? parseMultipart(body, req.headers["content-type"]) : null;
  for (const p of parts || []) {
    if (p.name === "key") key = p.data.toString("utf8");
    else if (p.name === "file") image = { kind: "bytes", data: p.data };
  }
  return juheAnswer(key, image, cfg, true);
}

export async function startSimulator(options = {}) {
  const cfg = {
    port: options.port ?? 0,
    host: options.host ?? "127.0.0.1",
    apihz: { id: "10000000", key: "sim-apihz-key", ...(options.apihz || {}) },
    juhe: { key: "sim-juhe-key", ...(options.juhe || {}) },
    maxBase64Chars: options.maxBase64Chars ?? 1_000_000,
    log: typeof options.log === "function" ? options.log : null,
  };
  let calls = [];
  const sockets = new Set();

  const log = (req, route, status, outcome, b64Len) => {
    if (!cfg.log) return;
    // Never include keys, ids, query strings or image data: route name, status, outcome and length only.
    cfg.log(`${req.method} ${route} ${status} ${outcome}${b64Len !== undefined ? ` b64=${b64Len}` : ""}`);
  };

  const sendJson = (res, status, obj) => {
    const text = typeof obj === "string" ? obj : JSON.stringify(obj);
    res.writeHead(status, { "Content-Type": JSON_CT, "Content-Length": Buffer.byteLength(text) });
    res.end(text);
  };
  const sendHtml = (res, status, title) => {
    const text = HTML_PAGE(title);
    res.writeHead(status, { "Content-Type": HTML_CT, "Content-Length": Buffer.byteLength(text) });
    res.end(text);
  };

  const GZIP_BOMB_BYTES = 200 * 1024 * 1024;
  const handler = async (req, res) => {
    let url;
    try {
      url = new URL(req.url, "http://sim.invalid");
    } catch {
      url = new URL("http://sim.invalid/");
    }
    let body;
    try {
      body = await readBody(req);
    } catch {
      if (!res.headersSent && !res.destroyed) sendHtml(res, 413, "413 Request Entity Too Large");
      return;
    }

    // admin
    if (url.pathname === "/__sim/calls" && req.method === "GET") {
      log(req, "admin-calls", 200, "admin");
      return sendJson(res, 200, calls);
    }
    if (url.pathname === "/__sim/reset" && req.method === "POST") {
      calls = [];
      log(req, "admin-reset", 200, "admin");
      return sendJson(res, 200, { ok: true });
    }
    if (url.pathname === "/__sim/health") return sendJson(res, 200, { ok: true });

    let fault = null;
    let pathname = url.pathname;
    const fm = /^\/__fault\/([^/]+)(\/.*)$/.exec(pathname);
    if (fm) {
      fault = fm[1];
      pathname = fm[2];
      if (!/^(500|502|503|html|malformed|hangup|empty|slow-\d+|redirect-(301|302|303|307|308)|gzip-bomb)$/.test(fault)) {
        log(req, "unknown-fault", 404, "not-found");
        return sendHtml(res, 404, "404 Not Found");
      }
    }
    const r = routeOf(pathname);
    if (!r) {
      log(req, "unknown", 404, "not-found");
      return sendHtml(res, 404, "404 Not Found");
    }

    const record = { route: r.route, provider: r.provider, billable: false, outcome: "" };
    if (fault) record.fault = fault;

    // A redirect to `?to=<url>` (an attacker's host): the request never reaches the provider.
    const redirect = /^redirect-(\d+)$/.exec(fault ?? "");
    if (redirect) {
      record.outcome = "fault-" + fault;
      calls.push(record);
      const status = Number(redirect[1]);
      log(req, r.route, status, record.outcome);
      res.writeHead(status, { Location: url.searchParams.get("to") ?? "/", "Content-Length": 0 });
      return res.end();
    }

    // Faults where the request never reaches the provider.
    if (fault === "500" || fault === "502" || fault === "503" || fault === "html" || fault === "hangup") {
      record.outcome = "fault-" + fault;
      calls.push(record);
      if (fault === "hangup") {
        log(req, r.route, 0, record.outcome);
        req.socket.destroy();
        return;
      }
      const status = fault === "html" ? 200 : Number(fault);
      log(req, r.route, status, record.outcome);
      const titles = { 500: "500 Internal Server Error", 502: "502 Bad Gateway", 503: "503 Service Temporarily Unavailable" };
      return sendHtml(res, status, titles[status] || "Welcome");
    }

    const ans = dispatch(r.route, req, url, body, cfg);
    if (!ans) {
      // Method not served by the provider route.
      record.outcome = "method-not-allowed";
      calls.push(record);
      log(req, r.route, 405, record.outcome);
      return sendHtml(res, 405, "405 Not Allowed");
    }
    record.billable = ans.billable;
    record.outcome = ans.outcome;
    if (ans.b64Len !== undefined) record.base64Length = ans.b64Len;
    calls.push(record);

    if (fault && fault.startsWith("slow-")) {
      const ms = Number(fault.slice(5));
      const aborted = await new Promise((resolve) => {
        const t = setTimeout(() => {
          res.off("close", onClose);
          resolve(false);
        }, ms);
        const onClose = () => {
          clearTimeout(t);
          resolve(true);
        };
        res.once("close", onClose);
      });
      if (aborted) {
        // The request was fully received, so the real provider may still bill it.
        record.clientAborted = true;
        log(req, r.route, 0, record.outcome + " client-aborted", ans.b64Len);
        return;
      }
    }
    if (fault === "malformed") {
      log(req, r.route, 200, record.outcome + " (malformed)", ans.b64Len);
      return sendJson(res, 200, '{"code":200,"Plate');
    }
    if (fault === "gzip-bomb") {
      // A small gzip answer that expands to GZIP_BOMB_BYTES of JSON whitespace, compressed as it
      // is read (backpressure) and stopped when the client goes away: the simulator stays light.
      log(req, r.route, 200, record.outcome + " (gzip-bomb)", ans.b64Len);
      res.writeHead(200, { "Content-Type": JSON_CT, "Content-Encoding": "gzip" });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let left = GZIP_BOMB_BYTES;
      const source = new Readable({
        read() {
          if (left <= 0) return this.push(null);
          left -= chunk.length;
          this.push(chunk);
        },
      });
      const gzip = createGzip({ level: zlibConstants.Z_BEST_SPEED });
      res.once("close", () => {
        source.destroy();
        gzip.destroy();
      });
      source.pipe(gzip).pipe(res);
      return;
    }
    if (fault === "empty") {
      log(req, r.route, 200, record.outcome + " (empty)", ans.b64Len);
      res.writeHead(200, { "Content-Type": JSON_CT, "Content-Length": 0 });
      return res.end();
    }
    log(req, r.route, 200, record.outcome, ans.b64Len);
    return sendJson(res, 200, ans.body);
  };

  const server = http.createServer((req, res) => {
    handler(req, res).catch(() => {
      if (!res.headersSent && !res.destroyed) sendHtml(res, 500, "500 Internal Server Error");
    });
  });
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(cfg.port, cfg.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const addr = server.address();
  const hostForUrl = addr.family === "IPv6" ? `[${addr.address}]` : addr.address;
  const base = `http://${hostForUrl}:${addr.port}`;
  return {
    url: base,
    port: addr.port,
    apihzUrl: base + APIHZ_PATH,
    juheBaseUrl: base,
    /** URL of `path` (e.g. APIHZ_PATH) behind a fault kind ("500", "slow-200", ...). */
    faultUrl: (kind, path = APIHZ_PATH) => `${base}/__fault/${kind}${path}`,
    calls: () => calls.map((c) => ({ ...c })),
    reset: () => {
      calls = [];
    },
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
