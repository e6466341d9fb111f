// The demo page: photo in, typed fields out, through the Worker shim (no key in the page).
// Nothing here logs an image or a recognized field (they are personal data): no console output.
import { ready, recognize } from "vehicle-doc-ocr";
import { DOCUMENTS, ONLY_WHEN_SET, formatValue, sourceOf, valueAt } from "./fields.js";
import { initialLang, saveLang, t } from "./i18n.js";

const $ = (id) => document.getElementById(id);
const BUDGET = 1_000_000;
const KNOWN_CODES = new Set([
  "CONFIG", "INVALID_IMAGE", "UNSUPPORTED_FORMAT", "IMAGE_TOO_LARGE", "AUTH", "QUOTA", "RATE_LIMITED",
  "RECOGNITION_FAILED", "PROVIDER_ERROR", "NETWORK", "TIMEOUT", "ABORTED",
]);
/** Codes where the photo itself is the problem: the user needs a new photo, not a retry. */
const NEW_PHOTO_CODES = new Set(["INVALID_IMAGE", "UNSUPPORTED_FORMAT", "IMAGE_TOO_LARGE"]);

const state = {
  lang: initialLang(),
  config: null, // { proxyUrl, simulator }
  health: null, // { providers: { apihz, juhe } } or null
  healthFailed: false,
  wasmFailed: false,
  file: null, // the last photo (kept for "try again")
  source: null, // { bytes, width, height } of the last photo
  prepared: null, // PreparedImage reported by recognize()
  result: null,
  error: null, // { code, provider, providerCode } or { cancelled: true }
  stage: null, // "preparing" | "waiting" | null
  stageStarted: 0,
  startedAt: 0,
  totalMs: null, // from the photo to the fields, for the result line
  run: 0,
  controller: null,
  previewUrl: null,
  stream: null,
};

// ---------------------------------------------------------------- language

function applyLang() {
  const lang = state.lang;
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  document.title = t(lang, "title");
  for (const el of document.querySelectorAll("[data-i18n]")) el.textContent = t(lang, el.dataset.i18n);
  $("lang").lang = lang === "zh" ? "en" : "zh-CN";
  renderNotices();
  renderProgress();
  renderError();
  renderImage();
  renderResult();
  updateCapture();
}

$("lang").addEventListener("click", () => {
  state.lang = state.lang === "zh" ? "en" : "zh";
  saveLang(state.lang);
  applyLang();
});

// ---------------------------------------------------------------- configuration

async function loadConfig() {
  try {
    const res = await fetch("config.json", { cache: "no-store" });
    if (!res.ok) throw new Error("no config");
    const c = await res.json();
    state.config = { proxyUrl: typeof c.proxyUrl === "string" ? c.proxyUrl.replace(/\/+$/, "") : "", simulator: c.simulator === true };
  } catch {
    state.config = { proxyUrl: "", simulator: false };
  }
  renderNotices();
  if (!state.config.proxyUrl) return;
  try {
    const res = await fetch(`${state.config.proxyUrl}/v1/health`, { cache: "no-store" });
    const body = await res.json();
    state.health = body && typeof body.providers === "object" ? body : null;
  } catch {
    state.healthFailed = true;
  }
  renderNotices();
}

/** "provider" (the OCR service through the shim) or "local" (read on this phone first: `local: {}`). */
function selectedReader() {
  return document.querySelector('input[name="reader"]:checked')?.value ?? "provider";
}

function selectedDocument() {
  return document.querySelector('input[name="document"]:checked')?.value ?? "vehicleLicenseFront";
}

function renderNotices() {
  const c = state.config;
  $("sim-notice").hidden = !(c && c.simulator);
  $("real-notice").hidden = !(c && c.proxyUrl && !c.simulator && state.health);
  const notice = $("service-notice");
  let text = "";
  if (state.wasmFailed) text = t(state.lang, "wasmFailed");
  else if (c && !c.proxyUrl) text = t(state.lang, "errors.NO_PROXY");
  else if (state.healthFailed) text = t(state.lang, "shimDown", { url: c.proxyUrl });
  else if (state.health && state.health.providers[DOCUMENTS[selectedDocument()].provider] === false) {
    text = t(state.lang, "shimMissingProvider");
  }
  notice.textContent = text;
  notice.hidden = text === "";
}

for (const radio of document.querySelectorAll('input[name="reader"]')) {
  radio.addEventListener("change", () => {
    $("local-note").hidden = selectedReader() !== "local";
  });
}

for (const radio of document.querySelectorAll('input[name="document"]')) {
  radio.addEventListener("change", () => {
    renderNotices();
    updateCapture();
  });
}

// ---------------------------------------------------------------- the job

/** `image`: a File/Blob (photo, picked or dropped file, the live camera's still: `camera`) or a canvas. */
async function run(image, { camera = false } = {}) {
  if (!image) return;
  stopCamera();
  state.controller?.abort();
  const runId = ++state.run;
  const controller = new AbortController();
  state.controller = controller;
  state.file = image;
  const isBlob = typeof Blob !== "undefined" && image instanceof Blob;
  state.source = { bytes: isBlob ? image.size : null, width: image.width ?? null, height: image.height ?? null, camera: camera || !isBlob };
  state.prepared = null;
  state.result = null;
  state.error = null;
  state.startedAt = performance.now();
  state.totalMs = null;
  setStage("preparing");
  renderError();
  renderImage();
  renderResult();
  // Source pixels even when preparation fails (shown next to the error).
  if (isBlob) measureSource(image, runId);

  try {
    if (!state.config) await configLoaded;
    if (!state.config.proxyUrl) {
      const e = new Error("no proxyUrl");
      e.code = "NO_PROXY";
      throw e;
    }
    // "Read on this phone": the package's Web Worker reads the photo first (the models come from
    // pkg/wasm/models/, served by the demo server); the shim is called only when a key field is
    // not settled on the device.
    const local = selectedReader() === "local";
    if (local) setStage("local");
    const result = await recognize(image, {
      document: selectedDocument(),
      proxyUrl: state.config.proxyUrl,
      signal: controller.signal,
      timeoutMs: 30000,
      ...(local ? { local: {} } : {}),
      onProgress: (ev) => {
        if (runId !== state.run) return;
        if (ev.stage === "recognizing") {
          state.prepared = ev.image ?? null;
          renderImage();
          setStage("waiting");
        } else {
          setStage("preparing");
        }
      },
    });
    if (runId !== state.run) return;
    state.result = result;
    state.totalMs = performance.now() - state.startedAt;
  } catch (e) {
    if (runId !== state.run) return;
    state.error = {
      code: e && typeof e.code === "string" && (KNOWN_CODES.has(e.code) || e.code === "NO_PROXY") ? e.code : "UNKNOWN",
      provider: e?.provider ?? null,
      providerCode: e?.providerCode ?? null,
    };
  }
  setStage(null);
  renderError();
  renderResult();
  if (state.result) $("result").scrollIntoView({ block: "start", behavior: "smooth" });
  else if (state.error) $("error").scrollIntoView({ block: "nearest", behavior: "smooth" });
}

async function measureSource(file, runId) {
  try {
    const bmp = await createImageBitmap(file);
    if (runId === state.run && state.source) {
      state.source.width = bmp.width;
      state.source.height = bmp.height;
      renderImage();
    }
    bmp.close();
  } catch {
    // not decodable here: the recognize() error says what to do
  }
}

$("cancel").addEventListener("click", () => {
  state.controller?.abort();
  state.run++;
  setStage(null);
  state.error = { code: "ABORTED", cancelled: true };
  renderError();
});

$("retry").addEventListener("click", () => run(state.file));

for (const id of ["shoot", "pick"]) {
  const input = $(id);
  input.addEventListener("change", () => {
    const file = input.files && input.files[0];
    input.value = ""; // picking the same file again fires "change" again
    run(file);
  });
}

// ---------------------------------------------------------------- progress

let ticker = null;
function setStage(stage) {
  state.stage = stage;
  state.stageStarted = performance.now();
  clearInterval(ticker);
  ticker = stage ? setInterval(renderProgress, 500) : null;
  renderProgress();
}

function renderProgress() {
  const box = $("progress");
  box.hidden = !state.stage;
  if (!state.stage) return;
  box.dataset.stage = state.stage;
  const key = { preparing: "preparing", local: "readingLocally" }[state.stage] ?? "waiting";
  $("progress-text").textContent = t(state.lang, key);
  const s = Math.floor((performance.now() - state.stageStarted) / 1000);
  $("progress-time").textContent = s >= 1 ? t(state.lang, "seconds", { s }) : "";
}

// ---------------------------------------------------------------- error

function renderError() {
  const box = $("error");
  const e = state.error;
  box.hidden = !e;
  if (!e) return;
  let key = `errors.${e.code}`;
  if (e.code === "AUTH" && e.provider === "shim") key = "errors.AUTH_SHIM";
  box.classList.toggle("cancelled", e.code === "ABORTED");
  box.dataset.code = e.code;
  box.querySelector("h2").hidden = e.code === "ABORTED";
  $("error-text").textContent = t(state.lang, key);
  const detail = [e.code];
  if (e.providerCode) detail.push(`${e.provider ?? ""} ${e.providerCode}`.trim());
  $("error-code").textContent = detail.join(" · ");
  $("retry").hidden = !state.file || NEW_PHOTO_CODES.has(e.code) || ["NO_PROXY", "CONFIG", "AUTH", "QUOTA"].includes(e.code);
}

// ---------------------------------------------------------------- image numbers

const fmtBytes = (n) => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(2)} MB` : `${(n / 1024).toFixed(1)} KB`);
const fmtPx = (w, h) => `${w} × ${h} px (${((w * h) / 1e6).toFixed(1)} MP)`;

function renderImage() {
  const box = $("image");
  const p = state.prepared;
  const src = state.source;
  box.hidden = !src || (!p && !src.width);
  if (box.hidden) return;
  const img = $("preview");
  if (p && img.dataset.for !== String(state.run)) {
    if (state.previewUrl) URL.revokeObjectURL(state.previewUrl);
    state.previewUrl = URL.createObjectURL(new Blob([p.bytes], { type: "image/jpeg" }));
    img.src = state.previewUrl;
    img.dataset.for = String(state.run);
  }
  img.hidden = !p;
  const L = (k) => t(state.lang, k);
  const rows = [];
  const w = p ? p.sourceWidth : src.width;
  const h = p ? p.sourceHeight : src.height;
  const what = src.camera ? L("cameraFrame") : fmtBytes(src.bytes);
  const format = p && p.sourceFormat && !src.camera ? ` · ${p.sourceFormat.toUpperCase()}` : "";
  rows.push(["source", L("source"), `${what} · ${w && h ? fmtPx(w, h) : "?"}${format}`]);
  if (p) {
    rows.push(["sent", L("sent"), `${fmtBytes(p.byteLength)} · ${fmtPx(p.width, p.height)}`]);
    rows.push(["quality", L("quality"), p.passthrough || p.quality === null ? L("passthrough") : String(p.quality)]);
    rows.push(["budget", L("budget"), `${p.base64Length.toLocaleString("en-US")} / ${BUDGET.toLocaleString("en-US")} (${Math.round((p.base64Length / BUDGET) * 100)}%)`]);
    rows.push(["time", L("time"), `${Math.round(p.elapsedMs)} ms`]);
    rows.push(["codec", L("codec"), `${t(state.lang, `codecs.${p.codec}`)} · ${L("encodes")} ${p.encodes}`]);
  }
  const dl = $("numbers");
  dl.replaceChildren(
    ...rows.flatMap(([k, label, value]) => {
      const dt = document.createElement("dt");
      dt.textContent = label;
      const dd = document.createElement("dd");
      dd.textContent = value;
      dd.dataset.k = k;
      return [dt, dd];
    }),
  );
}

// ---------------------------------------------------------------- result table

function issuesFor(issues, path) {
  return issues.filter((i) => i.field === path || i.field.startsWith(`${path}.`));
}

function renderResult() {
  const box = $("result");
  const r = state.result;
  box.hidden = !r;
  if (!r) return;
  const lang = state.lang;
  const def = DOCUMENTS[r.document];
  const issues = Array.isArray(r.issues) ? r.issues : [];
  const used = new Set();
  const tbody = $("rows");
  const trs = [];
  for (const row of def.rows) {
    const value = formatValue(valueAt(r, row.path));
    if (ONLY_WHEN_SET.has(row.path) && value === null) continue;
    const mine = issuesFor(issues, row.path).filter((i) => !used.has(i));
    mine.forEach((i) => used.add(i));
    trs.push(fieldRow(row, value, mine, sourceOf(r, row.path), lang, originOf(r, row.path)));
  }
  tbody.replaceChildren(...trs);

  const rest = issues.filter((i) => !used.has(i));
  const other = $("other-issues");
  other.hidden = rest.length === 0;
  other.replaceChildren(...rest.map((i) => issueItem(i, lang, "li")));

  const summary = $("summary");
  summary.textContent = issues.length === 0 ? t(lang, "allValid") : t(lang, "someIssues", { n: issues.length });
  summary.className = `badge ${issues.length === 0 ? "ok" : r.valid ? "warning" : "error"}`;
  const meta = [`${t(lang, "provider")}: ${r.provider}`];
  if (r.requestId) meta.push(`${t(lang, "requestId")}: ${r.requestId}`);
  if (state.totalMs !== null) meta.push(`${t(lang, "totalTime")}: ${(state.totalMs / 1000).toFixed(1)} s`);
  $("meta").textContent = meta.join(" · ");
}

/**
 * Where a field's value came from when the photo was read on the phone: "local" or "provider"
 * (`result.local.sources` when the package gives it per field; else every field is the local
 * reading's when `provider` is "local", the provider's otherwise). null without `local`.
 */
function originOf(r, path) {
  if (!r.local) return null;
  const sources = r.local.sources;
  if (sources && typeof sources === "object") return sources[path] ?? sources[path.split(".")[0]] ?? null;
  return r.provider === "local" ? "local" : "provider";
}

function fieldRow(row, value, issues, source, lang, origin = null) {
  const tr = document.createElement("tr");
  tr.dataset.field = row.path;
  if (origin) tr.dataset.origin = origin;
  const worst = issues.some((i) => i.severity === "error") ? "error" : issues.length ? "warning" : "";
  if (worst) tr.classList.add(`has-${worst}`);

  const th = document.createElement("th");
  th.scope = "row";
  const main = document.createElement("span");
  main.className = "label";
  main.textContent = lang === "zh" ? row.zh : row.en;
  const second = document.createElement("span");
  second.className = "label-alt";
  second.lang = lang === "zh" ? "en" : "zh-CN";
  second.textContent = lang === "zh" ? row.en : row.zh;
  th.append(main, second);

  const td = document.createElement("td");
  const v = document.createElement("span");
  v.className = value === null ? "value empty" : "value";
  v.textContent = value === null ? t(lang, "notRead") : value;
  td.append(v);
  if (value !== null && row.unit) {
    const u = document.createElement("span");
    u.className = "unit";
    u.textContent = ` ${row.unit}`;
    td.append(u);
  }
  if (origin && value !== null) {
    const o = document.createElement("span");
    o.className = `origin ${origin}`;
    o.textContent = t(lang, origin === "local" ? "originLocal" : "originProvider");
    td.append(" ", o);
  }
  for (const i of issues) td.append(issueItem(i, lang, "div"));

  // The provider's own text for this field, as the result names it (`sources`).
  const rawText = source ? source.text : undefined;
  const details = document.createElement("details");
  details.className = "raw";
  const summary = document.createElement("summary");
  summary.textContent = t(lang, "rawText");
  const code = document.createElement("code");
  code.textContent = rawText === undefined || rawText === null ? t(lang, "rawNone") : rawText;
  if (source) code.title = source.name;
  details.append(summary, code);
  td.append(details);
  tr.append(th, td);
  return tr;
}

function issueItem(issue, lang, tag) {
  const el = document.createElement(tag);
  el.className = `issue ${issue.severity === "error" ? "error" : "warning"}`;
  el.dataset.code = issue.code;
  const zh = t("zh", `issueCodes.${issue.code}`);
  const words = lang === "zh" && zh !== `issueCodes.${issue.code}` ? zh : issue.message;
  el.textContent = `${t(lang, `severity.${issue.severity === "error" ? "error" : "warning"}`)}: ${words}`;
  return el;
}

// ---------------------------------------------------------------- live camera

// <vehicle-doc-capture> (the package's "vehicle-doc-ocr/capture", loaded on first use): the rear
// camera with the detected document's outline and the quality report's guidance; it captures by
// itself once steady frames are ok, or on its shutter; where no camera can be used it shows a file
// input. Removing it stops the camera.
const captureLang = () => (state.lang === "zh" ? "zh-CN" : "en");
function updateCapture() {
  const el = $("live");
  if (!el) return;
  el.setAttribute("lang", captureLang());
  el.setAttribute("document", selectedDocument());
}

function cameraMessage(key) {
  const m = $("camera-message");
  m.textContent = key ? t(state.lang, key) : "";
  m.hidden = !key;
}

$("open-camera").addEventListener("click", async () => {
  cameraMessage(null);
  try {
    await import("vehicle-doc-ocr/capture");
  } catch {
    cameraMessage("cameraUnavailable");
    return;
  }
  stopCamera();
  const el = document.createElement("vehicle-doc-capture");
  el.id = "live";
  el.setAttribute("auto", "");
  el.addEventListener("capture", (e) => run(e.detail.file, { camera: true }));
  $("camera-slot").append(el);
  updateCapture();
  $("camera").hidden = false;
  document.body.classList.add("camera-open");
});

function stopCamera() {
  $("live")?.remove();
  $("camera").hidden = true;
  document.body.classList.remove("camera-open");
}

$("close-camera").addEventListener("click", stopCamera);

// ---------------------------------------------------------------- drag and drop (desktop)

let dragDepth = 0;
const hasFiles = (e) => e.dataTransfer && Array.from(e.dataTransfer.types || []).includes("Files");
window.addEventListener("dragenter", (e) => {
  if (!hasFiles(e)) return;
  e.preventDefault();
  dragDepth++;
  $("drop").hidden = false;
});
window.addEventListener("dragover", (e) => {
  if (!hasFiles(e)) return;
  e.preventDefault();
  e.dataTransfer.dropEffect = "copy";
});
window.addEventListener("dragleave", () => {
  dragDepth = Math.max(0, dragDepth - 1);
  if (dragDepth === 0) $("drop").hidden = true;
});
window.addEventListener("drop", (e) => {
  if (!hasFiles(e)) return;
  e.preventDefault();
  dragDepth = 0;
  $("drop").hidden = true;
  run(e.dataTransfer.files[0]);
});

// ---------------------------------------------------------------- start

applyLang();
const configLoaded = loadConfig();
// Compile the wasm now rather than on the first photo; say so at once if it cannot load.
ready().catch(() => {
  state.wasmFailed = true;
  renderNotices();
});
document.body.dataset.ready = "1";
